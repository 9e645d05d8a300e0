/**
 * One direction of a PPTP control connection as an ordered byte stream, cut into control
 * messages. RFC 2637 §1.3 carries the messages on TCP, so one segment may hold several
 * and one message may span several segments; the session model creates a
 * TcpDirectionStream per direction of every connection on the control port, feeds it
 * each segment and gets the messages back as events.
 *
 * Sequence numbers are 32-bit and wrap (RFC 9293 §3.4): they are only ever compared by
 * their signed distance modulo 2^32 (seqDistance).
 *
 * - The SYN gives the initial sequence number. Without one (the capture starts in the
 *   middle of the connection) the first segment that carries data or a FIN sets the
 *   expected sequence number, and the stream looks for the first message start with
 *   findMagicCookie(). That is normal for a capture, so it is not reported as malformed;
 *   the bytes passed over are counted in stats.skippedBytes (and stats.resyncs).
 * - Segments wholly before the expected sequence number are retransmissions (counted,
 *   dropped). A segment that overlaps what was already received contributes only its new
 *   bytes: the first copy wins, as a receiver that has already delivered the old bytes to
 *   its application would have it. Segments beyond the expected sequence number are
 *   copied and held until the hole before them fills.
 * - A hole is given up (reported as `gap`) when holding one more segment would exceed
 *   the limits (stats.droppedForLimit), and at finish() (or an RST) for what is still
 *   held. After a gap the stream resyncs on the next message start; the bytes skipped
 *   there are explained by the gap and are not reported as malformed.
 * - A message that fails validation is reported as malformed once, when the stream has
 *   found the next message start (or met a gap or its end), with the number of bytes
 *   skipped; the search starts one byte after the bad message's start.
 * - A FIN ends the data: a message cut short by it is reported as malformed, and data
 *   sent after the FIN too. An RST ends the stream like finish().
 *
 * Copies are made only for held segments and for a message (or a resync tail of up to 7
 * bytes) that continues in the next segment; a message wholly inside one in-order
 * segment is decoded straight from the frame's buffer.
 *
 * The origin handed to segment() is read during the call only: the caller may reuse one
 * object (e.g. the reader's Frame) for every segment. The stream copies the origins it keeps
 * (of a held segment, an unfinished message, a resync), and an origin or a message handed to
 * an event is valid during the event only: a listener copies what it keeps.
 */
import { originOf } from "../capture/frame.js";
import { noItems } from "../model/empty-list.js";
import {
  findMagicCookie,
  pptpDecodeFailed,
  PptpFieldsReader,
  pptpMessageName,
  PPTP_HEADER_LENGTH,
  PPTP_MAX_MESSAGE_LENGTH,
  type PptpMessageFields,
} from "../decode/pptp.js";
import { TcpFlag } from "../decode/tcp.js";

/** Default bound on the bytes held out of order in one direction. */
export const MAX_STREAM_BUFFER_BYTES = 256 * 1024;
/** Default bound on the out-of-order segments held in one direction. */
export const MAX_HELD_SEGMENTS = 256;


/**
 * findMagicCookie() recognises a message start by its first 8 bytes (length, type, magic
 * cookie), so while resyncing, up to 7 trailing bytes of a segment may begin a message
 * whose cookie is in the next segment: those are kept.
 */
const MESSAGE_START_PATTERN_BYTES = 8;
const RESYNC_TAIL_BYTES = MESSAGE_START_PATTERN_BYTES - 1;

/** Where a segment came from: what the events hand back, for the report's frame numbers. */
export interface SegmentOrigin {
  fileIndex: number;
  frameNo: number;
  tsSec: number;
  tsNsec: number;
}

export interface StreamLimits {
  /** Bytes held out of order; default MAX_STREAM_BUFFER_BYTES. */
  maxBufferedBytes: number;
  /** Out-of-order segments held; default MAX_HELD_SEGMENTS. */
  maxHeldSegments: number;
}

/** The limits of a stream given none: one shared object (a `{}` default would make one per stream). */
const DEFAULT_LIMITS: StreamLimits = { maxBufferedBytes: MAX_STREAM_BUFFER_BYTES, maxHeldSegments: MAX_HELD_SEGMENTS };

export interface StreamEvents {
  /**
   * A complete control message, its numbers only (PptpFieldsReader); `origin` = the segment
   * that delivered its last byte (as Wireshark attributes a reassembled PDU); `firstOrigin` =
   * the segment holding its first byte. The message, like the origins, is valid during the
   * event only (the next message of its type reuses the object): a listener copies what it keeps.
   */
  message(message: PptpMessageFields, origin: SegmentOrigin, firstOrigin: SegmentOrigin): void;
  /** A message that fails validation (bad magic, bad length, unknown type), cut short, or data after the FIN. */
  malformed(reason: string, origin: SegmentOrigin): void;
  /**
   * Bytes never seen (a capture gap / lost segment): `bytes` missing before `origin`.
   * `early`: the hole was given up while it could still fill, because holding one more
   * segment would have passed maxBufferedBytes or maxHeldSegments (else: at the end).
   */
  gap(bytes: number, origin: SegmentOrigin, early: boolean): void;
}

export interface StreamStats {
  /** Segments fed, pure ACKs included. */
  segments: number;
  /** Segments (data, SYN or FIN) wholly received before: dropped. */
  retransmitted: number;
  /** Segments that arrived ahead of a hole and were held. */
  outOfOrder: number;
  /** Segments partly received before: only their new bytes were used. */
  overlapping: number;
  /** Bytes of the holes given up. */
  gapBytes: number;
  /** Times bytes were skipped to find a message start (bad message, after a gap, mid-stream start). */
  resyncs: number;
  /** Bytes skipped that way, and bytes of unfinished messages lost at a gap or at the end. */
  skippedBytes: number;
  /** Holes given up early because holding one more segment would have exceeded a limit. */
  droppedForLimit: number;
  /** Bytes held now: out-of-order segments and an unfinished message. */
  bufferedBytes: number;
  /** The most bytes held at once. */
  peakBufferedBytes: number;
}

/** Where the stream is in the connection's life. */
const StreamState = {
  /** Neither a SYN nor data seen yet. */
  Waiting: 0,
  Open: 1,
  /** The FIN was reached in order: retransmissions are still recognised, new data is not expected. */
  FinReceived: 2,
  /** After an RST or finish(): segments are only counted. */
  Ended: 3,
} as const;
type StreamState = (typeof StreamState)[keyof typeof StreamState];

/** Signed distance a - b between two sequence numbers, modulo 2^32 (RFC 9293 §3.4). */
export function seqDistance(a: number, b: number): number {
  return (a - b) | 0;
}

interface HeldSegment {
  seq: number;
  bytes: Uint8Array;
  fin: boolean;
  origin: SegmentOrigin;
}

/** `partial` until a stream first keeps bytes: most streams (a SYN flood, a message per segment) never do. */
const NO_BYTES = new Uint8Array(0);

/**
 * Decodes the messages of every stream into one object per control type: a message is
 * handed to its listener at once and is valid during that event only (see StreamEvents).
 */
const messageReader = new PptpFieldsReader();

/** Stands in for "no segment" before the first one; never handed out with bytes. */
const NO_ORIGIN: SegmentOrigin = Object.freeze({ fileIndex: -1, frameNo: 0, tsSec: 0, tsNsec: 0 });

export class TcpDirectionStream {
  readonly stats: StreamStats = {
    segments: 0,
    retransmitted: 0,
    outOfOrder: 0,
    overlapping: 0,
    gapBytes: 0,
    resyncs: 0,
    skippedBytes: 0,
    droppedForLimit: 0,
    bufferedBytes: 0,
    peakBufferedBytes: 0,
  };

  private readonly maxBufferedBytes: number;
  private readonly maxHeldSegments: number;
  private state: StreamState = StreamState.Waiting;
  /** Initial sequence number from the SYN, -1 without one. */
  private isn = -1;
  /** Sequence number of the next byte expected in order. */
  private nextSeq = 0;
  /**
   * Out-of-order segments, ordered by sequence number (first arrived first among equals). The
   * shared empty list until a segment is held: most streams never hold one.
   */
  private held: HeldSegment[] = noItems();
  private heldBytes = 0;

  /**
   * The start of a message that continues in the next segment (at most its length), or,
   * while resyncing, the last bytes of the data that may begin one.
   */
  private partial = NO_BYTES;
  private partialLength = 0;
  /** The segment that held partial[0]. */
  private partialOrigin = NO_ORIGIN;

  /** Looking for the next message start with findMagicCookie(). */
  private resyncing = false;
  /** Why: the bad message's reason, reported when the search ends; "" for a quiet resync. */
  private resyncReason = "";
  private resyncOrigin = NO_ORIGIN;
  private resyncSkipped = 0;

  constructor(
    private readonly events: StreamEvents,
    limits: Partial<StreamLimits> = DEFAULT_LIMITS,
  ) {
    this.maxBufferedBytes = limits.maxBufferedBytes ?? MAX_STREAM_BUFFER_BYTES;
    this.maxHeldSegments = limits.maxHeldSegments ?? MAX_HELD_SEGMENTS;
  }

  /** Feed one segment of this direction. flags as in the TCP header (SYN 0x02, FIN 0x01, RST 0x04). */
  segment(
    seq: number,
    flags: number,
    payload: Uint8Array,
    payloadOffset: number,
    payloadLength: number,
    origin: SegmentOrigin,
  ): void {
    this.stats.segments++;
    const length = Math.max(0, Math.min(payloadLength, payload.length - payloadOffset));
    this.take(seq >>> 0, flags, payload, payloadOffset, length, origin);
    this.updateBuffered();
  }

  /**
   * Flush at the end of the capture (or of the connection): held data after a hole is
   * delivered (each hole reported as a gap), and an unfinished message is reported as
   * malformed with `lastOrigin` (default: the segment where it began). Later segments are
   * only counted.
   */
  finish(lastOrigin?: SegmentOrigin): void {
    if (this.state === StreamState.Ended) return;
    while (this.state === StreamState.Open && this.held.length > 0) {
      this.skipTo(this.held[0].seq, this.held[0].origin, false);
      this.releaseHeld();
    }
    if (this.state === StreamState.Open) this.endOfData(lastOrigin);
    this.state = StreamState.Ended;
    this.updateBuffered();
  }

  private take(
    seq: number,
    flags: number,
    payload: Uint8Array,
    offset: number,
    length: number,
    origin: SegmentOrigin,
  ): void {
    if (flags & TcpFlag.RST) {
      this.finish(origin);
      return;
    }
    let dataSeq = seq;
    if (flags & TcpFlag.SYN) {
      if (this.state !== StreamState.Waiting && seq !== this.isn) this.restart(origin);
      if (this.state === StreamState.Waiting) {
        this.isn = seq;
        this.nextSeq = (seq + 1) >>> 0;
        this.state = StreamState.Open;
      } else if (length === 0 && !(flags & TcpFlag.FIN)) {
        this.stats.retransmitted++;
        return;
      }
      dataSeq = (seq + 1) >>> 0; // the SYN occupies one sequence number (RFC 9293 §3.4)
    }
    if (this.state === StreamState.Ended) return;
    const fin = (flags & TcpFlag.FIN) !== 0;
    if (length === 0 && !fin) return; // a pure ACK says nothing about this direction's bytes
    if (this.state === StreamState.Waiting) {
      // No SYN: the capture starts in the middle of the connection, maybe inside a message.
      this.nextSeq = dataSeq;
      this.state = StreamState.Open;
      this.startResync("", origin);
    }
    this.place(payload, offset, length, dataSeq, fin, origin);
  }

  /** A SYN with another initial sequence number: a new connection on the same ports. */
  private restart(origin: SegmentOrigin): void {
    this.finish(origin);
    this.state = StreamState.Waiting;
    this.isn = -1;
  }

  /** A segment of data (and FIN) starting at `seq`, against what was received so far. */
  private place(
    buf: Uint8Array,
    offset: number,
    length: number,
    seq: number,
    fin: boolean,
    origin: SegmentOrigin,
  ): void {
    const distance = seqDistance(seq, this.nextSeq);
    if (distance < 0 && -distance >= length + (fin ? 1 : 0)) {
      this.stats.retransmitted++;
      return;
    }
    if (this.state === StreamState.FinReceived) {
      this.events.malformed(`${length} bytes of data after the FIN`, origin);
      return;
    }
    if (distance > 0) {
      this.hold(buf, offset, length, seq, fin, origin);
      return;
    }
    this.acceptInOrder(buf, offset, length, distance, fin, origin);
    this.releaseHeld();
  }

  /** Data starting `distance` (<= 0) before the expected sequence number; the first copy wins. */
  private acceptInOrder(
    buf: Uint8Array,
    offset: number,
    length: number,
    distance: number,
    fin: boolean,
    origin: SegmentOrigin,
  ): void {
    if (distance < 0) this.stats.overlapping++;
    const from = offset - distance;
    const end = offset + length;
    this.consume(buf, from, end, origin);
    this.nextSeq = (this.nextSeq + (end - from)) >>> 0;
    if (fin) this.receiveFin(origin);
  }

  /** Delivers held segments that the expected sequence number has reached. */
  private releaseHeld(): void {
    while (this.state === StreamState.Open && this.held.length > 0) {
      const next = this.held[0];
      const distance = seqDistance(next.seq, this.nextSeq);
      if (distance > 0) return;
      this.held.shift();
      this.heldBytes -= next.bytes.length;
      if (-distance >= next.bytes.length + (next.fin ? 1 : 0)) {
        this.stats.retransmitted++;
        continue;
      }
      this.acceptInOrder(next.bytes, 0, next.bytes.length, distance, next.fin, next.origin);
    }
  }

  /** Copies a segment that arrived ahead of a hole, giving up holes while the limits are reached. */
  private hold(
    buf: Uint8Array,
    offset: number,
    length: number,
    seq: number,
    fin: boolean,
    origin: SegmentOrigin,
  ): void {
    while (this.heldBytes + length > this.maxBufferedBytes || this.held.length + 1 > this.maxHeldSegments) {
      this.stats.droppedForLimit++;
      if (this.held.length === 0 || seqDistance(seq, this.held[0].seq) < 0) {
        // Nothing held comes before this segment: give up the hole right before it.
        this.skipTo(seq, origin, true);
        this.place(buf, offset, length, seq, fin, origin);
        return;
      }
      this.skipTo(this.held[0].seq, this.held[0].origin, true);
      this.releaseHeld();
      if (this.state !== StreamState.Open || seqDistance(seq, this.nextSeq) <= 0) {
        this.place(buf, offset, length, seq, fin, origin);
        return;
      }
    }

    let at = this.held.length;
    while (at > 0 && seqDistance(this.held[at - 1].seq, seq) > 0) at--;
    const same = at > 0 ? this.held[at - 1] : undefined;
    if (same !== undefined && same.seq === seq && same.bytes.length >= length && (same.fin || !fin)) {
      this.stats.retransmitted++;
      return;
    }
    const bytes = new Uint8Array(length);
    bytes.set(buf.subarray(offset, offset + length));
    const segment = { seq, bytes, fin, origin: originOf(origin) };
    if (this.held.length === 0) this.held = [segment];
    else this.held.splice(at, 0, segment);
    this.heldBytes += length;
    this.stats.outOfOrder++;
  }

  /** Gives up the hole before `seq` (`early`: for a limit): reports it and resyncs on the data after it. */
  private skipTo(seq: number, origin: SegmentOrigin, early: boolean): void {
    const bytes = seqDistance(seq, this.nextSeq);
    this.dropPartial();
    this.endResync("before a gap");
    this.stats.gapBytes += bytes;
    this.events.gap(bytes, origin, early);
    this.nextSeq = seq;
    this.startResync("", origin);
  }

  /** The FIN was reached in order: no more data is expected. */
  private receiveFin(origin: SegmentOrigin): void {
    this.nextSeq = (this.nextSeq + 1) >>> 0; // the FIN occupies one sequence number
    this.state = StreamState.FinReceived;
    this.endOfData(origin);
    if (this.held.length > 0) {
      this.events.malformed(`${this.heldBytes} bytes of data after the FIN`, this.held[0].origin);
      this.held = noItems();
      this.heldBytes = 0;
    }
  }

  /** No more bytes will come: report a bad message still being skipped and an unfinished message. */
  private endOfData(origin: SegmentOrigin | undefined): void {
    if (this.resyncing) {
      this.dropPartial();
      this.endResync("to the end of the stream");
      return;
    }
    if (this.partialLength === 0) return;
    // With 12 bytes the header was validated: its length and type are the message's.
    const partial = this.partial;
    const what =
      this.partialLength < PPTP_HEADER_LENGTH
        ? `a ${PPTP_HEADER_LENGTH}-byte message header`
        : `a ${(partial[0] << 8) | partial[1]}-byte ${pptpMessageName((partial[8] << 8) | partial[9])}`;
    this.events.malformed(
      `the stream ends ${this.partialLength} bytes into ${what} (begun in frame ${this.partialOrigin.frameNo})`,
      origin ?? this.partialOrigin,
    );
    this.stats.skippedBytes += this.partialLength;
    this.partialLength = 0;
  }

  // -------------------------------------------------------------------------
  // Bytes in order -> messages

  /** In-order bytes buf[at, end) of the segment `origin`. */
  private consume(buf: Uint8Array, at: number, end: number, origin: SegmentOrigin): void {
    if (this.partialLength > 0) at = this.extendPartial(buf, at, end, origin);
    while (at < end) {
      if (this.resyncing) {
        const start = findMagicCookie(buf, at, end);
        if (start < 0) {
          const keep = Math.min(RESYNC_TAIL_BYTES, end - at);
          this.skip(end - keep - at);
          this.keepPartial(buf, end - keep, end, origin);
          return;
        }
        this.skip(start - at);
        this.endResync("to the next message");
        at = start;
      }
      const result = messageReader.read(buf, at, end - at);
      if (typeof result === "number") {
        this.keepPartial(buf, at, end, origin);
        return;
      }
      if (!pptpDecodeFailed(result)) {
        this.events.message(result, origin, origin);
        at += result.length;
      } else {
        this.startResync(result.reason, origin);
        this.skip(1);
        at++;
      }
    }
  }

  /**
   * Completes what `partial` holds with bytes from buf[at, end): copies only as many as the
   * message (or, while resyncing, the start pattern) needs. Returns where the segment's
   * own bytes continue; partial is then empty unless the segment ran out.
   */
  private extendPartial(buf: Uint8Array, at: number, end: number, origin: SegmentOrigin): number {
    while (this.partialLength > 0) {
      if (this.resyncing) {
        // Every start in the old bytes can be checked with 7 more bytes.
        const oldLength = this.partialLength;
        const copied = this.append(buf, at, Math.min(end, at + RESYNC_TAIL_BYTES));
        at += copied;
        const start = findMagicCookie(this.partial, 0, this.partialLength);
        if (start >= 0) {
          this.skip(start);
          this.shiftPartial(start);
          this.endResync("to the next message");
          continue;
        }
        if (copied === RESYNC_TAIL_BYTES) {
          // No start in the old bytes; the copied ones are still in the segment: scan it there.
          this.skip(oldLength);
          this.partialLength = 0;
          return at - copied;
        }
        // The segment ran out: keep the last bytes that may still begin a message.
        const drop = Math.max(0, this.partialLength - RESYNC_TAIL_BYTES);
        this.skip(drop);
        this.shiftPartial(drop);
        if (drop >= oldLength) this.partialOrigin = originOf(origin);
        return at;
      }
      const result = messageReader.read(this.partial, 0, this.partialLength);
      if (typeof result === "number") {
        if (at === end) return at;
        at += this.append(buf, at, Math.min(end, at + (result - this.partialLength)));
      } else if (!pptpDecodeFailed(result)) {
        // A start found in a resync tail may come with bytes beyond the message: they were
        // copied from this segment just now, so it gives them again.
        at -= this.partialLength - result.length;
        this.partialLength = 0;
        this.events.message(result, origin, this.partialOrigin);
      } else {
        this.startResync(result.reason, this.partialOrigin);
        this.skip(1);
        this.shiftPartial(1);
      }
    }
    return at;
  }

  /** Starts `partial` with buf[from, end) (at most a message, or a resync tail). */
  private keepPartial(buf: Uint8Array, from: number, end: number, origin: SegmentOrigin): void {
    this.partialLength = 0;
    this.partialOrigin = originOf(origin);
    this.append(buf, from, end);
  }

  private append(buf: Uint8Array, from: number, end: number): number {
    if (this.partial === NO_BYTES) this.partial = new Uint8Array(PPTP_MAX_MESSAGE_LENGTH);
    const partial = this.partial;
    let length = this.partialLength;
    for (let i = from; i < end; i++) partial[length++] = buf[i];
    this.partialLength = length;
    return end - from;
  }

  private shiftPartial(count: number): void {
    this.partial.copyWithin(0, count, this.partialLength);
    this.partialLength -= count;
  }

  /** An unfinished message or resync tail that will never be completed (a gap or the end). */
  private dropPartial(): void {
    this.skip(this.partialLength);
    this.partialLength = 0;
  }

  // -------------------------------------------------------------------------
  // Resync

  /** Looks for the next message start; `reason` ("" for none) is reported when the search ends. */
  private startResync(reason: string, origin: SegmentOrigin): void {
    this.resyncing = true;
    this.resyncReason = reason;
    this.resyncOrigin = originOf(origin);
    this.resyncSkipped = 0;
  }

  private skip(bytes: number): void {
    this.stats.skippedBytes += bytes;
    this.resyncSkipped += bytes;
  }

  /** The search ended (`how`: "to the next message", "before a gap", ...): report a bad message. */
  private endResync(how: string): void {
    if (!this.resyncing) return;
    this.resyncing = false;
    if (this.resyncSkipped > 0) this.stats.resyncs++;
    if (this.resyncReason !== "") {
      const skipped = this.resyncSkipped === 1 ? "1 byte" : `${this.resyncSkipped} bytes`;
      this.events.malformed(`${this.resyncReason}; ${skipped} skipped ${how}`, this.resyncOrigin);
    }
  }

  private updateBuffered(): void {
    const buffered = this.heldBytes + this.partialLength;
    this.stats.bufferedBytes = buffered;
    if (buffered > this.stats.peakBufferedBytes) this.stats.peakBufferedBytes = buffered;
  }
}
