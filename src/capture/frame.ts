/**
 * One captured record, as the readers hand it out.
 *
 * A reader owns ONE Frame object and refills it for every record (no per-packet
 * allocation). The bytes live in `buf` at `offset .. offset + caplen`; they stay valid
 * only until the reader is advanced again, so anything kept longer must be copied.
 */
export class Frame {
  /** Index of the file in the capture set (order given on the command line). */
  fileIndex = 0;
  /** 1-based per file, counting every packet record, exactly as Wireshark numbers frames. */
  frameNo = 0;
  /** Seconds since the Unix epoch (integer). */
  tsSec = 0;
  /** Nanoseconds within the second (integer, 0..999999999). */
  tsNsec = 0;
  /** Digits after the decimal point the capture really has: 6 (µs) or 9 (ns); others round to these. */
  tsDigits = 6;
  /** LINKTYPE_* value of the record (pcap header, or the pcapng interface). */
  linkType = 0;
  /** Bytes present in the capture. */
  caplen = 0;
  /** Length of the packet on the wire (larger than caplen when cut by the snap length). */
  origLen = 0;
  buf: Buffer = EMPTY;
  offset = 0;
}

const EMPTY = Buffer.alloc(0);

/**
 * True when frame a goes before frame b in a merged capture set. Equal timestamps put the
 * later file first, because that is what mergecap does (its is_earlier() is true on
 * equality), and a merged file opened in Wireshark must show the same order.
 */
export function frameBefore(a: Frame, b: Frame): boolean {
  if (a.tsSec !== b.tsSec) return a.tsSec < b.tsSec;
  if (a.tsNsec !== b.tsNsec) return a.tsNsec < b.tsNsec;
  return a.fileIndex > b.fileIndex;
}

const SECONDS_PER_DAY = 86400;
/** Days from 0000-03-01 to 1970-01-01, and the days of a 400-year cycle of the Gregorian calendar. */
const EPOCH_SHIFT_DAYS = 719468;
const DAYS_PER_ERA = 146097;
const LAST_FOUR_DIGIT_YEAR = 9999;

/**
 * Days since 1970-01-01 -> [year, month, day] of the proleptic Gregorian calendar, for any
 * day count (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms", civil_from_days).
 * Date stops at ±8.64e15 ms, and a damaged pcapng timestamp counted in seconds goes far beyond.
 */
function civilFromDays(days: number): [number, number, number] {
  const z = days + EPOCH_SHIFT_DAYS;
  const era = Math.floor(z / DAYS_PER_ERA);
  const dayOfEra = z - era * DAYS_PER_ERA;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153); // 0 = March
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

const two = (n: number) => String(n).padStart(2, "0");

/**
 * ISO 8601 UTC with 6 or 9 fractional digits, e.g. 2024-01-02T03:04:05.123456Z. Years after
 * 9999 (only damaged captures have them) take ISO 8601's expanded form, "+" and at least six
 * digits, as Date.prototype.toISOString writes them.
 */
export function isoTime(tsSec: number, tsNsec: number, digits: number): string {
  // direct-mapped: a second's slot is its remainder, and a slot holds the last second that had it
  const slot = ((tsSec % SECONDS_CACHED) + SECONDS_CACHED) % SECONDS_CACHED;
  if (cachedSeconds[slot] !== tsSec) {
    cachedSecondTexts[slot] = secondText(tsSec);
    cachedSeconds[slot] = tsSec;
  }
  const frac = digits === 9 ? String(tsNsec).padStart(9, "0") : String(Math.floor(tsNsec / 1000)).padStart(6, "0");
  return `${cachedSecondTexts[slot]}${frac}Z`;
}

/**
 * The texts of recent seconds, up to the fraction: a report's times come many per second
 * (a session's messages, its start and end) and sessions overlap, so most reuse one.
 */
const SECONDS_CACHED = 64;
const cachedSeconds = new Float64Array(SECONDS_CACHED).fill(NaN);
const cachedSecondTexts: string[] = new Array<string>(SECONDS_CACHED).fill("");

/** isoTime's text of a whole second, up to and with the decimal point: "2024-01-02T03:04:05.". */
function secondText(tsSec: number): string {
  // The remainder is exact in floating point; a quotient taken first would not be past 2^53.
  const secondOfDay = ((tsSec % SECONDS_PER_DAY) + SECONDS_PER_DAY) % SECONDS_PER_DAY;
  const days = Math.floor((tsSec - secondOfDay) / SECONDS_PER_DAY);
  const [year, month, day] = civilFromDays(days);
  const yearText =
    year >= 0 && year <= LAST_FOUR_DIGIT_YEAR ? String(year).padStart(4, "0") : `${year < 0 ? "-" : "+"}${String(Math.abs(year)).padStart(6, "0")}`;
  const time = `${two(Math.floor(secondOfDay / 3600))}:${two(Math.floor(secondOfDay / 60) % 60)}:${two(secondOfDay % 60)}`;
  return `${yearText}-${two(month)}-${two(day)}T${time}.`;
}

/** Where and when something was seen: enough to cite the frame in a report. */
export interface FrameOrigin {
  fileIndex: number;
  frameNo: number;
  tsSec: number;
  tsNsec: number;
}

/** A copy of a position and time, e.g. of a Frame (which the reader reuses for the next record). */
export function originOf(frame: FrameOrigin): FrameOrigin {
  return { fileIndex: frame.fileIndex, frameNo: frame.frameNo, tsSec: frame.tsSec, tsNsec: frame.tsNsec };
}

/** Whether two positions name the same frame (the same file's same record). */
export function sameFrame(a: FrameOrigin, b: FrameOrigin): boolean {
  return a.frameNo === b.frameNo && a.fileIndex === b.fileIndex;
}

/** Capture seconds from `from` to `to` (negative when `to` came first). */
export function secondsBetween(from: FrameOrigin, to: FrameOrigin): number {
  return to.tsSec - from.tsSec + (to.tsNsec - from.tsNsec) / 1e9;
}

/** True when a was seen earlier than b. */
export function originBefore(a: FrameOrigin, b: FrameOrigin): boolean {
  return timeBefore(a.tsSec, a.tsNsec, b.tsSec, b.tsNsec);
}

/** originBefore of times kept as numbers (e.g. in typed arrays). */
export function timeBefore(aSec: number, aNsec: number, bSec: number, bNsec: number): boolean {
  return aSec !== bSec ? aSec < bSec : aNsec < bNsec;
}
