import { Frame } from "./frame.js";
import { PCAP_FILE_HEADER_BYTES, PcapFormat, pcapMagic } from "./pcap.js";
import { PcapngFormat, SECTION_HEADER_MIN_BYTES, isSectionHeader, sectionHeaderProblem } from "./pcapng.js";
import { CaptureOpenError, ProblemList, type CaptureProblem, type CaptureProblemCode } from "./problems.js";
import { Unit, type FormatSummary, type RecordFormat } from "./record-format.js";
import { displayName, isGzipStart, openSource, readAtLeast, type ByteSource, type SourceOptions } from "./source.js";

export { CaptureOpenError } from "./problems.js";
export type { CaptureProblem } from "./problems.js";
export type { SourceOptions as ReaderOptions } from "./source.js";

export interface CaptureFileInfo extends FormatSummary {
  /** The path as given ("-" for stdin). */
  file: string;
  fileIndex: number;
  format: "pcap" | "pcapng";
  compressed: boolean;
  /** Distinct link types in order of appearance (pcap: the header's; pcapng: each interface's). */
  linkTypes: number[];
  /** Frames handed out. */
  packets: number;
  /** Sum of their captured lengths. */
  bytes: number;
  /**
   * Earliest and latest timestamp among the frames handed out (what capinfos calls first
   * and last packet time, also when the file is not in time order); meaningful when packets > 0.
   */
  firstSec: number;
  firstNsec: number;
  lastSec: number;
  lastNsec: number;
  /** 9 if any interface has nanosecond or finer timestamps, else 6. */
  tsDigits: number;
}

/** Bytes read before deciding the format: enough for a pcap file header and the smallest Section Header Block. */
const PREFIX_BYTES = Math.max(PCAP_FILE_HEADER_BYTES, SECTION_HEADER_MIN_BYTES);
/** Smallest buffer that assembles a unit straddling two chunks; it grows to fit the unit. */
const INITIAL_CARRY_BYTES = 64 * 1024;
const EMPTY: Buffer = Buffer.alloc(0);

/**
 * Reads one capture file (pcap or pcapng, maybe gzip-compressed) as a stream of frames.
 *
 * Pull-based, so that several files can be merged without an await per frame: `next()`
 * synchronously fills `frame` with the next record already in memory; when it returns
 * false, `fill()` reads another chunk (false at the end of the input). The one Frame is
 * refilled for every record and points into the chunk; only a unit that straddles two
 * chunks is copied, into the carry buffer. A frame's bytes are valid until the next call
 * of next() or fill(): a file is read into one reused buffer, so keep a copy of anything
 * needed later.
 */
export class CaptureReader {
  readonly frame = new Frame();
  private readonly problemList: ProblemList;
  /** Packet records met so far, delivered or not: the last frame number given out. */
  private frameNo = 0;
  private chunk: Buffer;
  private pos: number;
  private end: number;
  /** Offset of chunk[0] in the (decompressed) capture, for messages. */
  private chunkBase = 0;
  private stopped = false;
  private closed = false;
  // A unit that straddles chunks: carry[0, carryLen) holds its first bytes. carryNeed is its
  // length, or the format's header size while carryLengthKnown is false.
  private carry = EMPTY;
  private carryLen = 0;
  private carryNeed = 0;
  private carryLengthKnown = false;
  private carryReady = false;
  private carryStart = 0;

  private constructor(
    private readonly source: ByteSource,
    private readonly format: RecordFormat,
    readonly info: CaptureFileInfo,
    prefix: Buffer,
    start: number,
  ) {
    this.problemList = new ProblemList(info.fileIndex, info.file);
    this.frame.fileIndex = info.fileIndex;
    this.chunk = prefix;
    this.pos = start;
    this.end = prefix.length;
  }

  /** Opens a capture and reads its header. Throws CaptureOpenError, and nothing else, when it cannot. */
  static async open(path: string, fileIndex: number, options: SourceOptions = {}): Promise<CaptureReader> {
    const source = await openSource(path, options);
    try {
      const prefix = await readAtLeast(source, PREFIX_BYTES);
      const info = newInfo(path, fileIndex, source.compressed);
      const [format, start] = recogniseFormat(prefix, info, source);
      return new CaptureReader(source, format, info, prefix, start);
    } catch (err) {
      await source.close();
      throw err;
    }
  }

  /** Problems found so far (at most MAX_PROBLEMS_PER_FILE; see problemsOmitted). */
  get problems(): CaptureProblem[] {
    return this.problemList.entries;
  }

  /** Problems found beyond those kept in `problems`. */
  get problemsOmitted(): number {
    return this.problemList.omitted;
  }

  /** Bytes consumed from the file or stdin (compressed bytes for gzip input). */
  get bytesRead(): number {
    return this.source.bytesRead;
  }

  /** Size of the file (compressed size for gzip input); undefined for stdin and pipes. */
  get totalBytes(): number | undefined {
    return this.source.totalBytes;
  }

  /** Fills `frame` with the next record in memory. False: call fill() (or the input is done). */
  next(): boolean {
    if (this.carryReady) {
      this.carryReady = false;
      const len = this.carryNeed;
      this.carryLen = 0;
      this.carryNeed = 0;
      this.carryLengthKnown = false;
      const result = this.format.unit(this.carry, 0, len, this.frame);
      if (result === Unit.Packet) {
        this.countFrame();
        return true;
      }
      if (result !== Unit.Skip) this.book(result, this.carryStart);
    }
    const format = this.format;
    const chunk = this.chunk;
    const end = this.end;
    const headerBytes = format.headerBytes;
    let pos = this.pos;
    while (!this.stopped) {
      const avail = end - pos;
      if (avail < headerBytes) {
        if (avail > 0) this.startCarry(pos, -1);
        break;
      }
      const len = format.unitLength(chunk, pos);
      if (len < 0) {
        this.book(Unit.Stop, this.chunkBase + pos);
        break;
      }
      if (len > avail) {
        this.startCarry(pos, len);
        break;
      }
      const result = format.unit(chunk, pos, len, this.frame);
      pos += len;
      if (result === Unit.Packet) {
        this.pos = pos;
        this.countFrame();
        return true;
      }
      if (result !== Unit.Skip) this.book(result, this.chunkBase + pos - len);
    }
    this.pos = end;
    return false;
  }

  /** Reads the next chunk. False at the end of the input (or once reading has stopped at damage). */
  async fill(): Promise<boolean> {
    if (this.stopped) return false;
    if (this.pos < this.end || this.carryReady) return true;
    const chunk = await this.source.read();
    if (chunk === null) {
      this.finish();
      return false;
    }
    this.chunkBase += this.end;
    this.chunk = chunk;
    this.pos = 0;
    this.end = chunk.length;
    if (this.carryLen > 0) this.continueCarry();
    return !this.stopped;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopped = true;
    await this.source.close();
  }

  private countFrame(): void {
    const frame = this.frame;
    const info = this.info;
    frame.frameNo = ++this.frameNo;
    const packets = ++info.packets;
    info.bytes += frame.caplen;
    const sec = frame.tsSec;
    const nsec = frame.tsNsec;
    if (packets === 1 || sec < info.firstSec || (sec === info.firstSec && nsec < info.firstNsec)) {
      info.firstSec = sec;
      info.firstNsec = nsec;
    }
    if (packets === 1 || sec > info.lastSec || (sec === info.lastSec && nsec > info.lastNsec)) {
      info.lastSec = sec;
      info.lastNsec = nsec;
    }
  }

  /** Records what a unit other than Packet or Skip means; `offset` is where the unit starts. */
  private book(result: Unit, offset: number): void {
    if (result === Unit.BadPacket) {
      // A packet record, even one we cannot deliver, takes a frame number as in Wireshark.
      this.frameNo++;
      this.report("malformed", this.frameNo, offset, this.format.problem);
      return;
    }
    this.report("malformed", this.frameNo + 1, offset, this.format.problem);
    if (result === Unit.Stop) this.stopped = true;
  }

  private report(code: CaptureProblemCode, frameNo: number, offset: number, message: string): void {
    this.problemList.add(code, frameNo, `byte ${offset}: ${message}`);
  }

  /** Copies the first bytes of a unit that continues in the next chunk; len = -1 while unknown. */
  private startCarry(pos: number, len: number): void {
    const need = len < 0 ? this.format.headerBytes : len;
    this.carryLen = 0;
    this.growCarry(need);
    this.carryLen = this.chunk.copy(this.carry, 0, pos, this.end);
    this.carryNeed = need;
    this.carryLengthKnown = len >= 0;
    this.carryStart = this.chunkBase + pos;
  }

  /** Adds the new chunk's first bytes to the carried unit, learning its length on the way. */
  private continueCarry(): void {
    for (;;) {
      const take = Math.min(this.carryNeed - this.carryLen, this.end - this.pos);
      this.chunk.copy(this.carry, this.carryLen, this.pos, this.pos + take);
      this.carryLen += take;
      this.pos += take;
      if (this.carryLen < this.carryNeed) return;
      if (this.carryLengthKnown) {
        this.carryReady = true;
        return;
      }
      const len = this.format.unitLength(this.carry, 0);
      if (len < 0) {
        this.carryLen = 0;
        this.book(Unit.Stop, this.carryStart);
        return;
      }
      this.carryLengthKnown = true;
      this.carryNeed = len;
      this.growCarry(len);
    }
  }

  /** Makes the carry buffer hold `size` bytes, keeping the carried ones. */
  private growCarry(size: number): void {
    if (this.carry.length >= size) return;
    const grown = Buffer.allocUnsafe(Math.max(size, INITIAL_CARRY_BYTES, this.carry.length * 2));
    this.carry.copy(grown, 0, 0, this.carryLen);
    this.carry = grown;
  }

  /** The input has ended: a unit still being carried was cut short. */
  private finish(): void {
    this.stopped = true;
    const failure = this.source.failure;
    const unitName = this.format.unitName;
    let cut = "";
    if (this.carryLen > 0) {
      cut = this.carryLengthKnown
        ? `the capture ends inside a ${unitName} (${this.carryLen} of its ${this.carryNeed} bytes)`
        : `the capture ends inside a ${unitName} header (${this.carryLen} of ${this.carryNeed} bytes)`;
      this.carryLen = 0;
    }
    if (cut === "" && failure === "") return;
    const message = failure === "" ? cut : cut === "" ? failure : `${failure}; ${cut}`;
    const offset = cut === "" ? this.chunkBase + this.end : this.carryStart;
    this.report("capture-truncated", this.frameNo + 1, offset, message);
  }
}

function newInfo(path: string, fileIndex: number, compressed: boolean): CaptureFileInfo {
  return {
    file: path,
    fileIndex,
    format: "pcap",
    compressed,
    linkTypes: [],
    packets: 0,
    bytes: 0,
    firstSec: 0,
    firstNsec: 0,
    lastSec: 0,
    lastNsec: 0,
    tsDigits: 6,
  };
}

/** Bytes that startsLikeCapture needs: a pcap magic and a pcapng block type are four bytes, the gzip magic two. */
export const CAPTURE_START_BYTES = 4;

/**
 * True when a file's first bytes are those of a file open() accepts: a pcap magic (either
 * byte order, µs or ns), a pcapng Section Header Block, or gzip (whose content is checked
 * only when read). How a directory's capture files are told from the other files in it.
 */
export function startsLikeCapture(prefix: Buffer): boolean {
  return pcapMagic(prefix) !== undefined || (prefix.length >= 4 && isSectionHeader(prefix, 0)) || isGzipStart(prefix);
}

/** Decides the format from the first bytes; returns it with the offset of the first unit. */
function recogniseFormat(prefix: Buffer, info: CaptureFileInfo, source: ByteSource): [RecordFormat, number] {
  const name = displayName(info.file);
  const failure = source.failure === "" ? "" : `; ${source.failure}`;
  if (prefix.length === 0) {
    if (source.failure !== "") throw new CaptureOpenError(`${name}: ${source.failure}`);
    const what = source.compressed ? "empty after gunzip" : "empty file";
    throw new CaptureOpenError(`${name}: ${what}, not a pcap or pcapng capture`);
  }
  const magic = pcapMagic(prefix);
  if (magic !== undefined) {
    if (prefix.length < PCAP_FILE_HEADER_BYTES) {
      throw new CaptureOpenError(`${name}: pcap file header cut short (${prefix.length} of ${PCAP_FILE_HEADER_BYTES} bytes${failure})`);
    }
    info.format = "pcap";
    return [new PcapFormat(magic, prefix, info), PCAP_FILE_HEADER_BYTES];
  }
  if (prefix.length >= 4 && isSectionHeader(prefix, 0)) {
    if (prefix.length < SECTION_HEADER_MIN_BYTES) {
      throw new CaptureOpenError(
        `${name}: pcapng section header cut short (${prefix.length} of ${SECTION_HEADER_MIN_BYTES} bytes${failure})`,
      );
    }
    const problem = sectionHeaderProblem(prefix, 0);
    if (problem !== "") throw new CaptureOpenError(`${name}: ${problem}`);
    info.format = "pcapng";
    return [new PcapngFormat(info), 0];
  }
  if (prefix.length < 4) {
    throw new CaptureOpenError(`${name}: only ${prefix.length} byte(s)${failure}, not a pcap or pcapng capture`);
  }
  throw new CaptureOpenError(`${name}: not a pcap or pcapng capture`);
}
