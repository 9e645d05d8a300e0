import { u16be, u16le, u32be, u32le } from "./bytes.js";
import type { Frame } from "./frame.js";
import { MAX_RECORD_BYTES, Unit, noteLinkType, type FormatSummary, type RecordFormat } from "./record-format.js";

/**
 * Classic libpcap files (draft-ietf-opsawg-pcap, pcap-savefile(5)).
 *
 * File header (24 bytes): magic(4) version major(2) minor(2) reserved(4) reserved(4)
 * snaplen(4) link type and FCS information(4). Each record: ts seconds(4), ts fraction(4,
 * µs or ns by the magic), captured length(4), original length(4), then the captured bytes.
 * Every field is in the byte order the magic reveals.
 */

export const PCAP_FILE_HEADER_BYTES = 24;
const PCAP_RECORD_HEADER_BYTES = 16;

export interface PcapMagic {
  littleEndian: boolean;
  nanoseconds: boolean;
}

/** The four magics, as the first four bytes read big-endian. */
const PCAP_MAGICS: Readonly<Record<number, PcapMagic>> = {
  0xa1b2c3d4: { littleEndian: false, nanoseconds: false },
  0xd4c3b2a1: { littleEndian: true, nanoseconds: false },
  0xa1b23c4d: { littleEndian: false, nanoseconds: true },
  0x4d3cb2a1: { littleEndian: true, nanoseconds: true },
};

/** The pcap magic at the start of buf, if any. */
export function pcapMagic(buf: Buffer): PcapMagic | undefined {
  return buf.length >= 4 ? PCAP_MAGICS[u32be(buf, 0)] : undefined;
}

/**
 * The link type is the low 16 bits of the header's last field; the upper bits say whether
 * packets end with an FCS and how long it is (pcap-savefile(5)).
 */
const LINK_TYPE_MASK = 0xffff;

/**
 * libpcap before 0.4 wrote captured and original length the other way round. Readers
 * (libpcap sf-pcap.c, Wireshark) therefore swap them for versions 2.0-2.2, and for 2.3 when
 * the captured length is the larger one; we do the same so frame numbers match tshark.
 */
const LengthOrder = { Normal: 0, Swapped: 1, SwappedIfLarger: 2 } as const;
type LengthOrder = (typeof LengthOrder)[keyof typeof LengthOrder];

function lengthOrder(versionMajor: number, versionMinor: number): LengthOrder {
  if (versionMajor !== 2 || versionMinor > 3) return LengthOrder.Normal;
  return versionMinor < 3 ? LengthOrder.Swapped : LengthOrder.SwappedIfLarger;
}

export class PcapFormat implements RecordFormat {
  readonly headerBytes = PCAP_RECORD_HEADER_BYTES;
  readonly unitName = "record";
  problem = "";
  private readonly littleEndian: boolean;
  private readonly fractionsPerSecond: number;
  private readonly nsPerFraction: number;
  private readonly tsDigits: number;
  private readonly linkType: number;
  private readonly lengths: LengthOrder;

  /** header: at least the 24-byte file header; magic: what pcapMagic() found in it. */
  constructor(magic: PcapMagic, header: Buffer, summary: FormatSummary) {
    const le = magic.littleEndian;
    this.littleEndian = le;
    this.fractionsPerSecond = magic.nanoseconds ? 1_000_000_000 : 1_000_000;
    this.nsPerFraction = magic.nanoseconds ? 1 : 1000;
    this.tsDigits = magic.nanoseconds ? 9 : 6;
    const major = le ? u16le(header, 4) : u16be(header, 4);
    const minor = le ? u16le(header, 6) : u16be(header, 6);
    this.lengths = lengthOrder(major, minor);
    const network = le ? u32le(header, 20) : u32be(header, 20);
    this.linkType = network & LINK_TYPE_MASK;
    noteLinkType(summary, this.linkType);
    summary.tsDigits = this.tsDigits;
  }

  unitLength(buf: Buffer, off: number): number {
    const caplen = this.capturedLength(buf, off);
    if (caplen > MAX_RECORD_BYTES) {
      this.problem = `record header claims ${caplen} captured bytes, more than the ${MAX_RECORD_BYTES} byte limit; reading stopped`;
      return -1;
    }
    return PCAP_RECORD_HEADER_BYTES + caplen;
  }

  unit(buf: Buffer, off: number, len: number, frame: Frame): Unit {
    const le = this.littleEndian;
    let sec = le ? u32le(buf, off) : u32be(buf, off);
    let fraction = le ? u32le(buf, off + 4) : u32be(buf, off + 4);
    // A fraction of a second or more (seen in damaged and fuzzed files) is carried into
    // the seconds rather than refused: the packet is still worth reading.
    if (fraction >= this.fractionsPerSecond) {
      sec += Math.floor(fraction / this.fractionsPerSecond);
      fraction %= this.fractionsPerSecond;
    }
    frame.tsSec = sec;
    frame.tsNsec = fraction * this.nsPerFraction;
    frame.tsDigits = this.tsDigits;
    frame.linkType = this.linkType;
    frame.caplen = len - PCAP_RECORD_HEADER_BYTES;
    frame.origLen = this.originalLength(buf, off);
    frame.buf = buf;
    frame.offset = off + PCAP_RECORD_HEADER_BYTES;
    return Unit.Packet;
  }

  private capturedLength(buf: Buffer, off: number): number {
    const le = this.littleEndian;
    const incl = le ? u32le(buf, off + 8) : u32be(buf, off + 8);
    if (this.lengths === LengthOrder.Normal) return incl;
    const orig = le ? u32le(buf, off + 12) : u32be(buf, off + 12);
    return this.lengths === LengthOrder.Swapped ? orig : Math.min(incl, orig);
  }

  private originalLength(buf: Buffer, off: number): number {
    const le = this.littleEndian;
    const orig = le ? u32le(buf, off + 12) : u32be(buf, off + 12);
    if (this.lengths === LengthOrder.Normal) return orig;
    const incl = le ? u32le(buf, off + 8) : u32be(buf, off + 8);
    return this.lengths === LengthOrder.Swapped ? incl : Math.max(incl, orig);
  }
}
