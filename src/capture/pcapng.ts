import { u16be, u16le, u32be, u32le } from "./bytes.js";
import type { Frame } from "./frame.js";
import { MAX_RECORD_BYTES, Unit, noteLinkType, type FormatSummary, type RecordFormat } from "./record-format.js";
import { DEFAULT_TSRESOL, TimestampScale } from "./timestamp.js";

/**
 * pcapng files (draft-ietf-opsawg-pcapng). A file is a sequence of blocks:
 * type(4) total length(4) body total length(4). A Section Header Block starts each section,
 * fixes its byte order and resets the interface list; packets name their interface by its
 * index among the section's Interface Description Blocks.
 */

export const BlockType = {
  SectionHeader: 0x0a0d0d0a,
  InterfaceDescription: 1,
  /** Obsolete Packet Block, superseded by the EPB but still met in old files (described in an appendix of the draft). */
  Packet: 2,
  SimplePacket: 3,
  NameResolution: 4,
  InterfaceStatistics: 5,
  EnhancedPacket: 6,
  SystemdJournal: 9,
  DecryptionSecrets: 10,
  Custom: 0x00000bad,
  CustomNoCopy: 0x40000bad,
} as const;

const BLOCK_NAMES: Readonly<Record<number, string>> = {
  [BlockType.SectionHeader]: "section header",
  [BlockType.InterfaceDescription]: "interface description",
  [BlockType.Packet]: "packet",
  [BlockType.SimplePacket]: "simple packet",
  [BlockType.NameResolution]: "name resolution",
  [BlockType.InterfaceStatistics]: "interface statistics",
  [BlockType.EnhancedPacket]: "enhanced packet",
  [BlockType.SystemdJournal]: "systemd journal export",
  [BlockType.DecryptionSecrets]: "decryption secrets",
  [BlockType.Custom]: "custom",
  [BlockType.CustomNoCopy]: "custom",
};

function blockName(type: number): string {
  return BLOCK_NAMES[type] ?? `type 0x${type.toString(16).padStart(8, "0")}`;
}

/** Type, total length and the trailing copy of the length. */
const BLOCK_FRAME_BYTES = 12;
// Smallest total length of the blocks we read: the frame plus their fixed fields.
/** + byte-order magic(4) major(2) minor(2) section length(8) */
export const SECTION_HEADER_MIN_BYTES = 28;
/** + link type(2) reserved(2) snaplen(4) */
const INTERFACE_DESCRIPTION_MIN_BYTES = 20;
/** EPB: + interface(4) timestamp(8) captured length(4) original length(4); PB: interface(2) drops(2) instead. */
const PACKET_BLOCK_MIN_BYTES = 32;
/** + original length(4) */
const SIMPLE_PACKET_MIN_BYTES = 16;

function minBlockBytes(type: number): number {
  switch (type) {
    case BlockType.EnhancedPacket:
    case BlockType.Packet:
      return PACKET_BLOCK_MIN_BYTES;
    case BlockType.SimplePacket:
      return SIMPLE_PACKET_MIN_BYTES;
    case BlockType.InterfaceDescription:
      return INTERFACE_DESCRIPTION_MIN_BYTES;
    case BlockType.SectionHeader:
      return SECTION_HEADER_MIN_BYTES;
    default:
      return BLOCK_FRAME_BYTES;
  }
}

/** The packet's data starts here in an EPB and a PB. */
const PACKET_DATA_OFFSET = 28;
const SIMPLE_PACKET_DATA_OFFSET = 12;
const INTERFACE_OPTIONS_OFFSET = 16;
/** A block holds one packet plus room for its options (Wireshark allows 128 KiB more too). */
const MAX_BLOCK_BYTES = MAX_RECORD_BYTES + 128 * 1024;
/** Interfaces kept per section; real captures have a handful, damaged ones could claim millions. */
export const MAX_INTERFACES_PER_SECTION = 4096;

const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const SUPPORTED_MAJOR_VERSION = 1;

/** IDB option codes (section 4.2): options end at opt_endofopt or at the block's end. */
const OPT_ENDOFOPT = 0;
const OPT_IF_TSRESOL = 9;

/** True when buf[off] starts a Section Header Block (its type reads the same in both byte orders). */
export function isSectionHeader(buf: Buffer, off: number): boolean {
  return u32be(buf, off) === BlockType.SectionHeader;
}

/** Byte order of the section header at buf[off] (12 bytes present): true = little-endian; undefined when the magic is wrong. */
function sectionByteOrder(buf: Buffer, off: number): boolean | undefined {
  if (u32le(buf, off + 8) === BYTE_ORDER_MAGIC) return true;
  if (u32be(buf, off + 8) === BYTE_ORDER_MAGIC) return false;
  return undefined;
}

/** Why the section header at buf[off] (16 bytes present) cannot be read, or "" when it can. */
export function sectionHeaderProblem(buf: Buffer, off: number): string {
  const le = sectionByteOrder(buf, off);
  if (le === undefined) return "pcapng section header has no valid byte-order magic";
  const major = le ? u16le(buf, off + 12) : u16be(buf, off + 12);
  if (major === SUPPORTED_MAJOR_VERSION) return "";
  const minor = le ? u16le(buf, off + 14) : u16be(buf, off + 14);
  return `pcapng version ${major}.${minor} is not supported`;
}

interface CaptureInterface {
  linkType: number;
  /** 0 = no limit. */
  snapLen: number;
  scale: TimestampScale;
}

export class PcapngFormat implements RecordFormat {
  readonly headerBytes = BLOCK_FRAME_BYTES;
  readonly unitName = "block";
  problem = "";
  /** Byte order of the current section. */
  private le = true;
  private interfaces: CaptureInterface[] = [];

  constructor(private readonly summary: FormatSummary) {}

  unitLength(buf: Buffer, off: number): number {
    let le = this.le;
    if (isSectionHeader(buf, off)) {
      const order = sectionByteOrder(buf, off);
      if (order === undefined) {
        this.problem = "section header block has no valid byte-order magic; reading stopped";
        return -1;
      }
      le = order;
    }
    const type = le ? u32le(buf, off) : u32be(buf, off);
    const len = le ? u32le(buf, off + 4) : u32be(buf, off + 4);
    const min = minBlockBytes(type);
    let why = "";
    if (len % 4 !== 0) why = "is not a multiple of 4";
    else if (len < min) why = `is less than the ${min}-byte minimum`;
    else if (len > MAX_BLOCK_BYTES) why = `is more than the ${MAX_BLOCK_BYTES}-byte limit`;
    if (why === "") return len;
    // pcapng has no sync marker to find the next block by, so reading stops here. (A resync
    // would scan on for a known block type whose leading and trailing lengths agree.)
    this.problem = `${blockName(type)} block length ${len} ${why}; reading stopped`;
    return -1;
  }

  unit(buf: Buffer, off: number, len: number, frame: Frame): Unit {
    if (isSectionHeader(buf, off)) return this.sectionHeader(buf, off, len);
    const type = this.u32(buf, off);
    const trailing = this.u32(buf, off + len - 4);
    if (trailing !== len) {
      this.problem = `${blockName(type)} block length ${len} differs from its trailing copy ${trailing}; reading stopped`;
      return Unit.Stop;
    }
    switch (type) {
      case BlockType.EnhancedPacket:
        return this.packet(buf, off, len, frame, this.u32(buf, off + 8), type);
      case BlockType.Packet:
        return this.packet(buf, off, len, frame, this.u16(buf, off + 8), type);
      case BlockType.SimplePacket:
        return this.simplePacket(buf, off, len, frame);
      case BlockType.InterfaceDescription:
        return this.interfaceDescription(buf, off, len);
      default:
        return Unit.Skip;
    }
  }

  private sectionHeader(buf: Buffer, off: number, len: number): Unit {
    const problem = sectionHeaderProblem(buf, off);
    if (problem !== "") {
      this.problem = `${problem}; reading stopped`;
      return Unit.Stop;
    }
    const le = sectionByteOrder(buf, off) === true;
    const trailing = le ? u32le(buf, off + len - 4) : u32be(buf, off + len - 4);
    if (trailing !== len) {
      this.problem = `section header block length ${len} differs from its trailing copy ${trailing}; reading stopped`;
      return Unit.Stop;
    }
    this.le = le;
    this.interfaces = [];
    return Unit.Skip;
  }

  private interfaceDescription(buf: Buffer, off: number, len: number): Unit {
    if (this.interfaces.length >= MAX_INTERFACES_PER_SECTION) {
      this.problem = `more than ${MAX_INTERFACES_PER_SECTION} interfaces in one section; interface ignored`;
      return Unit.Noted;
    }
    const linkType = this.u16(buf, off + 8);
    const snapLen = this.u32(buf, off + 12);
    let tsresol = DEFAULT_TSRESOL;
    let damaged = false;
    const end = off + len - 4;
    let p = off + INTERFACE_OPTIONS_OFFSET;
    // Each option: code(2) length(2) value padded to 4 bytes.
    while (p + 4 <= end) {
      const code = this.u16(buf, p);
      const length = this.u16(buf, p + 2);
      if (code === OPT_ENDOFOPT) break;
      if (p + 4 + length > end) {
        damaged = true;
        break;
      }
      if (code === OPT_IF_TSRESOL && length >= 1) tsresol = buf[p + 4];
      p += 4 + ((length + 3) & ~3);
    }
    const scale = new TimestampScale(tsresol);
    this.interfaces.push({ linkType, snapLen, scale });
    noteLinkType(this.summary, linkType);
    if (scale.digits === 9) this.summary.tsDigits = 9;
    if (!damaged) return Unit.Skip;
    this.problem = `interface description block ${this.interfaces.length - 1}: an option runs past the end of the block; the rest ignored`;
    return Unit.Noted;
  }

  /** Enhanced Packet Block and the obsolete Packet Block: the same fields after the interface ID. */
  private packet(buf: Buffer, off: number, len: number, frame: Frame, interfaceId: number, type: number): Unit {
    if (interfaceId >= this.interfaces.length) {
      this.problem = `${blockName(type)} block names interface ${interfaceId}, but its section defines ${this.interfaces.length}; packet skipped`;
      return Unit.BadPacket;
    }
    const caplen = this.u32(buf, off + 20);
    const room = len - PACKET_BLOCK_MIN_BYTES;
    if (caplen > room) {
      this.problem = `${blockName(type)} block: captured length ${caplen} exceeds the ${room} bytes the block holds; packet skipped`;
      return Unit.BadPacket;
    }
    const iface = this.interfaces[interfaceId];
    iface.scale.apply(this.u32(buf, off + 12), this.u32(buf, off + 16), frame);
    frame.tsDigits = iface.scale.digits;
    frame.linkType = iface.linkType;
    frame.caplen = caplen;
    frame.origLen = this.u32(buf, off + 24);
    frame.buf = buf;
    frame.offset = off + PACKET_DATA_OFFSET;
    return Unit.Packet;
  }

  /**
   * Simple Packet Block (section 4.4): captured on the section's first interface, with no
   * timestamp. The frame keeps the timestamp of the file's previous packet (0 before any),
   * so that a merge by time keeps it where it was captured.
   */
  private simplePacket(buf: Buffer, off: number, len: number, frame: Frame): Unit {
    if (this.interfaces.length === 0) {
      this.problem = "simple packet block, but its section defines no interface; packet skipped";
      return Unit.BadPacket;
    }
    const iface = this.interfaces[0];
    const origLen = this.u32(buf, off + 8);
    let caplen = Math.min(origLen, len - SIMPLE_PACKET_MIN_BYTES);
    if (iface.snapLen > 0 && iface.snapLen < caplen) caplen = iface.snapLen;
    frame.tsDigits = iface.scale.digits;
    frame.linkType = iface.linkType;
    frame.caplen = caplen;
    frame.origLen = origLen;
    frame.buf = buf;
    frame.offset = off + SIMPLE_PACKET_DATA_OFFSET;
    return Unit.Packet;
  }

  private u32(buf: Buffer, off: number): number {
    return this.le ? u32le(buf, off) : u32be(buf, off);
  }

  private u16(buf: Buffer, off: number): number {
    return this.le ? u16le(buf, off) : u16be(buf, off);
  }
}
