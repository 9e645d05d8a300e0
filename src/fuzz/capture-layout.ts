/**
 * Where the parts of a pcap or pcapng file are, so that mutations can aim at header
 * fields and record boundaries and minimization can drop whole records. It reads only the
 * framing, independently of src/capture, and stops quietly where the framing breaks (the
 * rest is the tail): mutated files are its usual input.
 */
import { u16be, u16le, u32be, u32le } from "../capture/bytes.js";
import { BlockType } from "../capture/pcapng.js";

/** A fixed-width unsigned field of a file. */
export interface FieldRef {
  name: string;
  offset: number;
  size: 1 | 2 | 4;
  littleEndian: boolean;
}

export type UnitKind = "pcap-header" | "pcap-record" | "pcapng-block";

/** One length-framed part of the file: the pcap file header, a pcap record or a pcapng block. */
export interface CaptureUnit {
  kind: UnitKind;
  offset: number;
  length: number;
  /** pcapng block type, -1 for pcap. */
  blockType: number;
  littleEndian: boolean;
  /** The packet bytes the unit carries, -1 / 0 when it carries none. */
  dataOffset: number;
  dataLength: number;
  /** Link type of that packet, -1 when unknown (a packet block naming no interface). */
  linkType: number;
  /** The framing and header fields of the unit. */
  fields: FieldRef[];
}

export interface CaptureLayout {
  format: "pcap" | "pcapng";
  units: CaptureUnit[];
  /** Offset of the bytes after the last whole unit (the file length when none are left). */
  tailOffset: number;
}

const PCAP_HEADER_BYTES = 24;
const PCAP_RECORD_HEADER_BYTES = 16;
/** The four pcap magics as the first four bytes read big-endian, and whether the file is little-endian. */
const PCAP_MAGIC_ORDER: Readonly<Record<number, boolean>> = {
  0xa1b2c3d4: false,
  0xa1b23c4d: false,
  0xd4c3b2a1: true,
  0x4d3cb2a1: true,
};
const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const BLOCK_FRAME_BYTES = 12;
/** EPB and PB: packet data after type, length, interface, timestamp (8), captured and original length. */
const PACKET_BLOCK_DATA_OFFSET = 28;
const SIMPLE_PACKET_DATA_OFFSET = 12;
const IDB_OPTIONS_OFFSET = 16;
const OPT_IF_TSRESOL = 9;

/** The layout of a pcap or pcapng file, or undefined when it starts with neither. */
export function captureLayout(bytes: Uint8Array): CaptureLayout | undefined {
  if (bytes.length < 4) return undefined;
  const pcapOrder = PCAP_MAGIC_ORDER[u32be(bytes, 0)];
  if (pcapOrder !== undefined) return pcapLayout(bytes, pcapOrder);
  if (u32be(bytes, 0) === BlockType.SectionHeader) return pcapngLayout(bytes);
  return undefined;
}

function field(name: string, offset: number, size: 1 | 2 | 4, littleEndian: boolean): FieldRef {
  return { name, offset, size, littleEndian };
}

function pcapLayout(bytes: Uint8Array, le: boolean): CaptureLayout {
  const units: CaptureUnit[] = [];
  if (bytes.length < PCAP_HEADER_BYTES) return { format: "pcap", units, tailOffset: 0 };
  const read32 = le ? u32le : u32be;
  const linkType = read32(bytes, 20) & 0xffff;
  units.push({
    kind: "pcap-header",
    offset: 0,
    length: PCAP_HEADER_BYTES,
    blockType: -1,
    littleEndian: le,
    dataOffset: -1,
    dataLength: 0,
    linkType: -1,
    fields: [
      field("magic", 0, 4, false),
      field("version major", 4, 2, le),
      field("version minor", 6, 2, le),
      field("snaplen", 16, 4, le),
      field("link type", 20, 4, le),
    ],
  });
  let off = PCAP_HEADER_BYTES;
  while (off + PCAP_RECORD_HEADER_BYTES <= bytes.length) {
    const caplen = read32(bytes, off + 8);
    const length = PCAP_RECORD_HEADER_BYTES + caplen;
    if (off + length > bytes.length) break;
    units.push({
      kind: "pcap-record",
      offset: off,
      length,
      blockType: -1,
      littleEndian: le,
      dataOffset: off + PCAP_RECORD_HEADER_BYTES,
      dataLength: caplen,
      linkType,
      fields: [
        field("ts seconds", off, 4, le),
        field("ts fraction", off + 4, 4, le),
        field("captured length", off + 8, 4, le),
        field("original length", off + 12, 4, le),
      ],
    });
    off += length;
  }
  return { format: "pcap", units, tailOffset: off };
}

function pcapngLayout(bytes: Uint8Array): CaptureLayout {
  const units: CaptureUnit[] = [];
  let le = true;
  let interfaces: number[] = [];
  let off = 0;
  while (off + BLOCK_FRAME_BYTES <= bytes.length) {
    if (u32be(bytes, off) === BlockType.SectionHeader) {
      if (u32le(bytes, off + 8) === PCAPNG_BYTE_ORDER_MAGIC) le = true;
      else if (u32be(bytes, off + 8) === PCAPNG_BYTE_ORDER_MAGIC) le = false;
      else break;
    }
    const read32 = le ? u32le : u32be;
    const read16 = le ? u16le : u16be;
    const type = read32(bytes, off);
    const length = read32(bytes, off + 4);
    if (length < BLOCK_FRAME_BYTES || length % 4 !== 0 || off + length > bytes.length) break;
    const unit: CaptureUnit = {
      kind: "pcapng-block",
      offset: off,
      length,
      blockType: type,
      littleEndian: le,
      dataOffset: -1,
      dataLength: 0,
      linkType: -1,
      fields: [field("block type", off, 4, le), field("block length", off + 4, 4, le), field("trailing block length", off + length - 4, 4, le)],
    };
    const bodyEnd = off + length - 4;
    const has = (bytesNeeded: number) => off + bytesNeeded <= bodyEnd;
    switch (type) {
      case BlockType.SectionHeader:
        interfaces = [];
        if (has(24)) {
          unit.fields.push(
            field("byte-order magic", off + 8, 4, le),
            field("version major", off + 12, 2, le),
            field("version minor", off + 14, 2, le),
            field("section length", off + 16, 4, le),
          );
        }
        break;
      case BlockType.InterfaceDescription:
        if (has(16)) {
          interfaces.push(read16(bytes, off + 8));
          unit.fields.push(field("link type", off + 8, 2, le), field("snaplen", off + 12, 4, le));
          for (let p = off + IDB_OPTIONS_OFFSET; p + 4 <= bodyEnd; ) {
            const code = read16(bytes, p);
            const optionLength = read16(bytes, p + 2);
            unit.fields.push(field("option code", p, 2, le), field("option length", p + 2, 2, le));
            if (code === OPT_IF_TSRESOL && p + 5 <= bodyEnd) unit.fields.push(field("if_tsresol", p + 4, 1, le));
            if (code === 0) break;
            p += 4 + ((optionLength + 3) & ~3);
          }
        }
        break;
      case BlockType.EnhancedPacket:
      case BlockType.Packet:
        if (has(PACKET_BLOCK_DATA_OFFSET)) {
          const interfaceId = type === BlockType.Packet ? read16(bytes, off + 8) : read32(bytes, off + 8);
          unit.fields.push(
            type === BlockType.Packet ? field("interface", off + 8, 2, le) : field("interface", off + 8, 4, le),
            field("ts high", off + 12, 4, le),
            field("ts low", off + 16, 4, le),
            field("captured length", off + 20, 4, le),
            field("original length", off + 24, 4, le),
          );
          unit.dataOffset = off + PACKET_BLOCK_DATA_OFFSET;
          unit.dataLength = Math.min(read32(bytes, off + 20), bodyEnd - unit.dataOffset);
          unit.linkType = interfaces[interfaceId] ?? -1;
        }
        break;
      case BlockType.SimplePacket:
        if (has(SIMPLE_PACKET_DATA_OFFSET)) {
          unit.fields.push(field("original length", off + 8, 4, le));
          unit.dataOffset = off + SIMPLE_PACKET_DATA_OFFSET;
          unit.dataLength = Math.min(read32(bytes, off + 8), bodyEnd - unit.dataOffset);
          unit.linkType = interfaces[0] ?? -1;
        }
        break;
    }
    units.push(unit);
    off += length;
  }
  return { format: "pcapng", units, tailOffset: off };
}

/** The units that carry a packet. */
export function packetUnits(layout: CaptureLayout): CaptureUnit[] {
  return layout.units.filter((unit) => unit.dataOffset >= 0 && unit.dataLength > 0);
}

/** Reads a field's current value. */
export function readField(bytes: Uint8Array, ref: FieldRef): number {
  if (ref.size === 1) return bytes[ref.offset];
  if (ref.size === 2) return ref.littleEndian ? u16le(bytes, ref.offset) : u16be(bytes, ref.offset);
  return ref.littleEndian ? u32le(bytes, ref.offset) : u32be(bytes, ref.offset);
}

/** Writes a field (the value must fit). */
export function writeField(bytes: Buffer, ref: FieldRef, value: number): void {
  if (ref.size === 1) bytes[ref.offset] = value;
  else if (ref.size === 2) ref.littleEndian ? bytes.writeUInt16LE(value, ref.offset) : bytes.writeUInt16BE(value, ref.offset);
  else ref.littleEndian ? bytes.writeUInt32LE(value, ref.offset) : bytes.writeUInt32BE(value, ref.offset);
}
