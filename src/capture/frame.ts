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

/** ISO 8601 UTC with 6 or 9 fractional digits, e.g. 2024-01-02T03:04:05.123456Z. */
export function isoTime(tsSec: number, tsNsec: number, digits: number): string {
  const base = new Date(tsSec * 1000).toISOString().slice(0, 19);
  const frac = digits === 9 ? String(tsNsec).padStart(9, "0") : String(Math.floor(tsNsec / 1000)).padStart(6, "0");
  return `${base}.${frac}Z`;
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

/** True when a was seen earlier than b. */
export function originBefore(a: FrameOrigin, b: FrameOrigin): boolean {
  return a.tsSec !== b.tsSec ? a.tsSec < b.tsSec : a.tsNsec < b.tsNsec;
}
