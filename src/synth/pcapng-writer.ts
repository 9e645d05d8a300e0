/**
 * pcapng files (draft-ietf-opsawg-pcapng): per section a Section Header Block, the
 * Interface Description Blocks, then packet blocks (Enhanced, Simple or the obsolete Packet
 * Block) and any raw block a reader test wants. Every block is type(4) total length(4)
 * body total length(4), 32-bit aligned, in the section's byte order.
 */
import { BlockType } from "../capture/pcapng.js";
import { checkField, pad4, putU16, putU32 } from "./bytes.js";
import { DEFAULT_SNAPLEN, type SynthRecord } from "./pcap-writer.js";

/** Option codes written here (pcapng §3.5 general, §4.2 interface options). */
const PcapngOption = {
  EndOfOptions: 0,
  IfName: 2,
  IfTsresol: 9,
} as const;

const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

export interface PcapngInterface {
  linkType: number;
  /** Default 262144; 0 means no limit. Packet data longer than it is cut. */
  snaplen?: number;
  /** Raw if_tsresol byte: high bit clear = 10^-n seconds, set = 2^-n; omitted = no option (10^-6). */
  tsresol?: number;
  name?: string;
}

export type PcapngBlockKind = "epb" | "spb" | "pb";

export type PcapngRecord =
  /** A packet, in an Enhanced Packet Block unless `block` says otherwise (an SPB always means interface 0). */
  | (SynthRecord & { block?: PcapngBlockKind })
  /** Any block, written as given (body padded to 32 bits), e.g. a Name Resolution or custom block. */
  | { rawBlock: { type: number; body: Uint8Array } };

export interface PcapngSection {
  bigEndian?: boolean;
  interfaces: PcapngInterface[];
  records: Iterable<PcapngRecord>;
}

const BLOCK_OVERHEAD = 12;
/** Section length -1: not given (readers walk the blocks instead). */
const SECTION_LENGTH_UNSPECIFIED = 0xffffffff;
const TSRESOL_POWER_OF_TWO = 0x80;
const DEFAULT_DECIMAL_EXPONENT = 6;
const NANOSECONDS_PER_SECOND = 1_000_000_000n;
/** Timestamps are 64-bit counts of units. */
const MAX_TIMESTAMP_UNITS = (1n << 64n) - 1n;

export function writePcapng(sections: PcapngSection[]): Buffer {
  const blocks: Buffer[] = [];
  for (const section of sections) {
    const be = section.bigEndian ?? false;
    blocks.push(sectionHeader(be));
    for (const iface of section.interfaces) blocks.push(interfaceDescription(iface, be));
    for (const record of section.records) {
      if ("rawBlock" in record) blocks.push(block(record.rawBlock.type, record.rawBlock.body, be));
      else blocks.push(packetBlock(record, section.interfaces, be));
    }
  }
  return Buffer.concat(blocks);
}

/** type, total length, body padded with zeros to 32 bits, total length again. */
function block(type: number, body: Uint8Array, be: boolean): Buffer {
  const total = BLOCK_OVERHEAD + pad4(body.length);
  const out = Buffer.alloc(total);
  putU32(out, 0, type, be);
  putU32(out, 4, total, be);
  out.set(body, 8);
  putU32(out, total - 4, total, be);
  return out;
}

function sectionHeader(be: boolean): Buffer {
  const body = Buffer.alloc(16);
  putU32(body, 0, BYTE_ORDER_MAGIC, be);
  putU16(body, 4, 1, be); // major version
  putU16(body, 6, 0, be); // minor version
  putU32(body, 8, SECTION_LENGTH_UNSPECIFIED, be);
  putU32(body, 12, SECTION_LENGTH_UNSPECIFIED, be);
  return block(BlockType.SectionHeader, body, be);
}

function interfaceDescription(iface: PcapngInterface, be: boolean): Buffer {
  const options: Buffer[] = [];
  if (iface.name !== undefined) options.push(option(PcapngOption.IfName, Buffer.from(iface.name, "utf8"), be));
  if (iface.tsresol !== undefined) {
    options.push(option(PcapngOption.IfTsresol, Buffer.of(checkField("tsresol", iface.tsresol, 0xff)), be));
  }
  if (options.length > 0) options.push(option(PcapngOption.EndOfOptions, Buffer.alloc(0), be));
  const fixed = Buffer.alloc(8);
  putU16(fixed, 0, checkField("linkType", iface.linkType, 0xffff), be);
  // bytes 2..3 reserved (zero)
  putU32(fixed, 4, checkField("snaplen", iface.snaplen ?? DEFAULT_SNAPLEN, 0xffffffff), be);
  return block(BlockType.InterfaceDescription, Buffer.concat([fixed, ...options]), be);
}

/** code(2) length(2) value padded to 32 bits. */
function option(code: number, value: Uint8Array, be: boolean): Buffer {
  const out = Buffer.alloc(4 + pad4(value.length));
  putU16(out, 0, code, be);
  putU16(out, 2, checkField("option length", value.length, 0xffff), be);
  out.set(value, 4);
  return out;
}

function packetBlock(record: SynthRecord & { block?: PcapngBlockKind }, interfaces: PcapngInterface[],
  be: boolean): Buffer {
  const kind = record.block ?? "epb";
  const interfaceId = kind === "spb" ? 0 : record.interfaceId ?? 0;
  const iface = interfaces[interfaceId];
  if (iface === undefined) {
    throw new RangeError(`record names interface ${interfaceId}, the section has ${interfaces.length}; ` +
      "use a rawBlock to write a dangling reference");
  }
  const snaplen = iface.snaplen ?? DEFAULT_SNAPLEN;
  const data = snaplen > 0 && record.data.length > snaplen ? record.data.subarray(0, snaplen) : record.data;
  const origLen = checkField("origLen", record.origLen ?? record.data.length, 0xffffffff);
  if (kind === "spb") {
    const fixed = Buffer.alloc(4);
    putU32(fixed, 0, origLen, be);
    return block(BlockType.SimplePacket, Buffer.concat([fixed, data]), be);
  }
  const units = timestampUnits(record, iface.tsresol);
  const fixed = Buffer.alloc(20);
  if (kind === "pb") {
    putU16(fixed, 0, checkField("interfaceId", interfaceId, 0xffff), be);
    putU16(fixed, 2, 0, be); // drops count
  } else {
    putU32(fixed, 0, interfaceId, be);
  }
  putU32(fixed, 4, Number(units >> 32n), be);
  putU32(fixed, 8, Number(units & 0xffffffffn), be);
  putU32(fixed, 12, data.length, be);
  putU32(fixed, 16, origLen, be);
  return block(kind === "pb" ? BlockType.Packet : BlockType.EnhancedPacket,
    Buffer.concat([fixed, data]), be);
}

/** The timestamp in units of the interface resolution (pcapng §4.2 if_tsresol), rounded down. */
function timestampUnits(record: SynthRecord, tsresol: number | undefined): bigint {
  checkField("tsSec", record.tsSec, Number.MAX_SAFE_INTEGER);
  checkField("tsNsec", record.tsNsec, 999_999_999);
  const resolution = tsresol ?? DEFAULT_DECIMAL_EXPONENT;
  const exponent = BigInt(resolution & ~TSRESOL_POWER_OF_TWO);
  const unitsPerSecond = resolution & TSRESOL_POWER_OF_TWO ? 1n << exponent : 10n ** exponent;
  const units = BigInt(record.tsSec) * unitsPerSecond + (BigInt(record.tsNsec) * unitsPerSecond) / NANOSECONDS_PER_SECOND;
  if (units > MAX_TIMESTAMP_UNITS) throw new RangeError(`timestamp ${record.tsSec}s does not fit 64 bits of if_tsresol units`);
  return units;
}
