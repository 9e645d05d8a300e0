/**
 * Classic libpcap files (draft-ietf-opsawg-pcap): a 24-byte file header, then per record
 * a 16-byte header and the captured bytes, all fields in the writer's byte order.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { checkField, putU16, putU32 } from "./bytes.js";

/** One packet to write. Timestamps are integers: seconds since the epoch and nanoseconds. */
export interface SynthRecord {
  tsSec: number;
  tsNsec: number;
  data: Uint8Array;
  /** Length on the wire, default data.length (larger to mark a packet cut by the snap length). */
  origLen?: number;
  /** pcapng only: index of the interface in its section, default 0. */
  interfaceId?: number;
}

export interface PcapWriteOptions {
  linkType: number;
  /** Nanosecond timestamps (magic 0xa1b23c4d) instead of microseconds (0xa1b2c3d4). */
  nanosecond?: boolean;
  bigEndian?: boolean;
  /** Written to the header, and records longer than it are cut to it; default 262144 (tcpdump's). */
  snaplen?: number;
}

const PCAP_MAGIC_MICROSECOND = 0xa1b2c3d4;
const PCAP_MAGIC_NANOSECOND = 0xa1b23c4d;
const PCAP_VERSION_MAJOR = 2;
const PCAP_VERSION_MINOR = 4;
/** tcpdump's default; also used for pcapng interfaces. */
export const DEFAULT_SNAPLEN = 262144;
const FILE_HEADER_LENGTH = 24;
const RECORD_HEADER_LENGTH = 16;
/** The streaming writer fills buffers of this size before each write to the file. */
const FILE_WRITE_CHUNK = 4 * 1024 * 1024;

/** A whole capture in memory. */
export function writePcap(records: Iterable<SynthRecord>, options: PcapWriteOptions): Buffer {
  const list = [...records];
  const snaplen = options.snaplen ?? DEFAULT_SNAPLEN;
  let length = FILE_HEADER_LENGTH;
  for (const record of list) length += RECORD_HEADER_LENGTH + storedLength(record, snaplen);
  const out = Buffer.alloc(length);
  let offset = writeFileHeader(out, options);
  for (const record of list) offset = writeRecord(out, offset, record, options, snaplen);
  return out;
}

export interface PcapFileWriter {
  write(record: SynthRecord): void;
  /** Flushes and closes the file. */
  close(): void;
  /** Bytes written so far, including those still buffered. */
  readonly bytesWritten: number;
}

/** Appends records to a file through a large buffer (for benchmark captures of gigabytes). */
export function createPcapFileWriter(path: string, options: PcapWriteOptions): PcapFileWriter {
  const snaplen = options.snaplen ?? DEFAULT_SNAPLEN;
  const fd = openSync(path, "w");
  const chunk = Buffer.alloc(FILE_WRITE_CHUNK);
  let used = writeFileHeader(chunk, options);
  let flushed = 0;
  const flush = () => {
    writeSync(fd, chunk, 0, used);
    flushed += used;
    used = 0;
  };
  return {
    write(record) {
      const size = RECORD_HEADER_LENGTH + storedLength(record, snaplen);
      if (used + size > chunk.length) flush();
      if (size <= chunk.length) {
        used = writeRecord(chunk, used, record, options, snaplen);
        return;
      }
      const single = Buffer.alloc(size); // a record larger than the whole buffer
      writeRecord(single, 0, record, options, snaplen);
      writeSync(fd, single);
      flushed += size;
    },
    close() {
      flush();
      closeSync(fd);
    },
    get bytesWritten() {
      return flushed + used;
    },
  };
}

function storedLength(record: SynthRecord, snaplen: number): number {
  return Math.min(record.data.length, snaplen);
}

function writeFileHeader(out: Buffer, options: PcapWriteOptions): number {
  const be = options.bigEndian ?? false;
  putU32(out, 0, options.nanosecond ? PCAP_MAGIC_NANOSECOND : PCAP_MAGIC_MICROSECOND, be);
  putU16(out, 4, PCAP_VERSION_MAJOR, be);
  putU16(out, 6, PCAP_VERSION_MINOR, be);
  putU32(out, 8, 0, be); // thiszone: timestamps are UTC
  putU32(out, 12, 0, be); // sigfigs
  putU32(out, 16, checkField("snaplen", options.snaplen ?? DEFAULT_SNAPLEN, 0xffffffff), be);
  putU32(out, 20, checkField("linkType", options.linkType, 0xffffffff), be);
  return FILE_HEADER_LENGTH;
}

function writeRecord(out: Buffer, offset: number, record: SynthRecord, options: PcapWriteOptions,
  snaplen: number): number {
  const be = options.bigEndian ?? false;
  const caplen = storedLength(record, snaplen);
  checkField("tsNsec", record.tsNsec, 999_999_999);
  putU32(out, offset, checkField("tsSec", record.tsSec, 0xffffffff), be);
  putU32(out, offset + 4, options.nanosecond ? record.tsNsec : Math.floor(record.tsNsec / 1000), be);
  putU32(out, offset + 8, caplen, be);
  putU32(out, offset + 12, checkField("origLen", record.origLen ?? record.data.length, 0xffffffff), be);
  out.set(record.data.subarray(0, caplen), offset + RECORD_HEADER_LENGTH);
  return offset + RECORD_HEADER_LENGTH + caplen;
}
