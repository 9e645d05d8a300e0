/**
 * One direction of a call's enhanced GRE (RFC 2637 §4): packets and bytes, the
 * addresses they came from, sequence gaps and acknowledgments.
 */
import { type Frame, type FrameOrigin, originOf, secondsBetween } from "../capture/frame.js";
import { sourceAddress } from "../decode/address.js";
import type { Packet } from "../decode/packet.js";

/** Source addresses listed per direction; more are counted, not named. */
export const MAX_SOURCES_PER_FLOW = 8;

/**
 * Sequence numbers remembered per direction (a power of two): the last ones seen sent, with
 * size, time and frame, and the acknowledgment numbers carried. Taken with a flow's first
 * packet, given back when its call is put away.
 */
export const SEQUENCE_HISTORY = 128;
const HISTORY_SLOT = SEQUENCE_HISTORY - 1;
/** Sequence numbers behind the highest for which a late packet is told apart as filling a gap or repeating a packet. */
const RECENT_WINDOW = 32;

/** Words per history slot, and where each fact lives in them. */
const SLOT_WORDS = 8;
const SEQ = 0;
const SIZE = 1;
const MILLIS = 2;
const FRAME_NO = 3;
const FILE_INDEX = 4;
const ACK = 5;
const ACK_FRAME_NO = 6;
const ACK_FILE_INDEX = 7;
const HISTORY_WORDS = SEQUENCE_HISTORY * SLOT_WORDS;

/**
 * Histories are views into shared slabs: a typed array of its own costs a fresh zeroed
 * allocation (about 15 us for 4 KB, page faults included), a view into a slab a hundredth
 * of that. A call gives its histories back when it is put away (releaseHistories), and new
 * calls take those first, so the slabs hold about as many histories as calls are open at once.
 */
const HISTORIES_PER_SLAB = 256;
let slab = new ArrayBuffer(0);
let slabUsed = HISTORIES_PER_SLAB;
/** Histories given back, for the next flows to take; beyond the limit they are left to the garbage collector (4 MB kept at most). */
const MAX_SPARE_HISTORIES = 1024;
const spareHistories: SequenceHistory[] = [];

function historyWords(): Uint32Array {
  if (slabUsed === HISTORIES_PER_SLAB) {
    slab = new ArrayBuffer(HISTORIES_PER_SLAB * HISTORY_WORDS * Uint32Array.BYTES_PER_ELEMENT);
    slabUsed = 0;
  }
  return new Uint32Array(slab, slabUsed++ * HISTORY_WORDS * Uint32Array.BYTES_PER_ELEMENT, HISTORY_WORDS);
}

function takeHistory(): SequenceHistory {
  const spare = spareHistories.pop();
  if (spare === undefined) return new SequenceHistory();
  spare.clear();
  return spare;
}

/**
 * The last SEQUENCE_HISTORY sequence numbers a direction was seen sending and the
 * acknowledgment numbers it carried, each in slot (number mod SEQUENCE_HISTORY). With the
 * other direction's history it shows which packets the peer acknowledged (RFC 2637 §4.4: the
 * acknowledgment is the highest sequence number received), and how big they were.
 * One typed array for all of it, a view into a shared slab (historyWords).
 */
export class SequenceHistory {
  private readonly slots = historyWords();

  constructor() {
    this.clear();
  }

  /** Forgets every packet: an empty slot holds a number that does not belong in it, so no lookup matches it. */
  clear(): void {
    for (let i = 0; i < SEQUENCE_HISTORY; i++) this.slots[i * SLOT_WORDS + SEQ] = this.slots[i * SLOT_WORDS + ACK] = i + 1;
  }

  /** Remembers packet `seq` as sent; `millis` after the flow's first packet. */
  recordSent(seq: number, size: number, millis: number, frameNo: number, fileIndex: number): void {
    const at = (seq & HISTORY_SLOT) * SLOT_WORDS;
    this.slots[at + SEQ] = seq;
    this.slots[at + MILLIS] = millis;
    this.slots[at + FRAME_NO] = frameNo;
    this.slots[at + SIZE] = size;
    this.slots[at + FILE_INDEX] = fileIndex;
  }

  /** Remembers that a packet carried acknowledgment number `ack`. */
  recordAck(ack: number, frameNo: number, fileIndex: number): void {
    const at = (ack & HISTORY_SLOT) * SLOT_WORDS;
    this.slots[at + ACK] = ack;
    this.slots[at + ACK_FRAME_NO] = frameNo;
    this.slots[at + ACK_FILE_INDEX] = fileIndex;
  }

  /** Whether packet `seq` is (still) remembered as sent. */
  hasSent(seq: number): boolean {
    return this.slots[(seq & HISTORY_SLOT) * SLOT_WORDS + SEQ] === seq >>> 0;
  }

  /** Whether an acknowledgment carried exactly `seq`. */
  acknowledged(seq: number): boolean {
    return this.slots[(seq & HISTORY_SLOT) * SLOT_WORDS + ACK] === seq >>> 0;
  }

  sizeOf(seq: number): number {
    return this.slots[(seq & HISTORY_SLOT) * SLOT_WORDS + SIZE];
  }

  millisOf(seq: number): number {
    return this.slots[(seq & HISTORY_SLOT) * SLOT_WORDS + MILLIS];
  }

  frameOf(seq: number): { fileIndex: number; frameNo: number } {
    const at = (seq & HISTORY_SLOT) * SLOT_WORDS;
    return { fileIndex: this.slots[at + FILE_INDEX], frameNo: this.slots[at + FRAME_NO] };
  }

  /** The frames of the remembered packets (sent, or carrying an acknowledgment), per file, in order. */
  framesByFile(): Map<number, number[]> {
    const frames = new Map<number, number[]>();
    const note = (fileIndex: number, frameNo: number) => {
      const list = frames.get(fileIndex);
      if (list === undefined) frames.set(fileIndex, [frameNo]);
      else list.push(frameNo);
    };
    for (let slot = 0; slot < SEQUENCE_HISTORY; slot++) {
      const at = slot * SLOT_WORDS;
      if ((this.slots[at + SEQ] & HISTORY_SLOT) === slot) note(this.slots[at + FILE_INDEX], this.slots[at + FRAME_NO]);
      if ((this.slots[at + ACK] & HISTORY_SLOT) === slot) note(this.slots[at + ACK_FILE_INDEX], this.slots[at + ACK_FRAME_NO]);
    }
    for (const list of frames.values()) list.sort((a, b) => a - b);
    return frames;
  }
}

/** A peer acknowledges within well under a second (RFC 2637 §4.4 adapts its timeout to the round trip); after this, an unacknowledged packet is lost. */
export const ACK_WAIT_SECONDS = 2;
/** Unacknowledged packets above the size boundary needed before size is blamed (gre-loss): fewer not acknowledged, and none waited for, is nothing to judge. */
export const MIN_LARGE_UNACKNOWLEDGED = 4;

export interface SentPacket {
  seq: number;
  size: number;
  origin: FrameOrigin;
  /** The peer sent GRE after this packet and before the sender's next one (in the same file): its acknowledgment had a chance to name it. */
  answered: boolean;
}

/** The sender's last packets as the peer's acknowledgments judged them (SEQUENCE_HISTORY at most per history), in the order sent. */
export interface AckJudgement {
  /** Named by an acknowledgment. */
  acknowledged: SentPacket[];
  /** Skipped by the acknowledgments (may have arrived). */
  passed: SentPacket[];
  /** Never covered, though the peer acknowledged other packets ACK_WAIT_SECONDS or more after they were sent. */
  unacknowledged: SentPacket[];
}

/**
 * The packets in `flow`'s history as `peer`'s history of acknowledgments judges them; null when
 * there is nothing to tell (most flows: every packet acknowledged).
 */
function judgeHistories(flow: GreDirection, peer: GreDirection): AckJudgement | null {
  const sent = flow.history;
  const acks = peer.history;
  if (sent === null || acks === null || peer.acksCarried === 0 || flow.first === null || flow.highestSeq < 0) return null;
  const first = flow.first;
  const highestAck = peer.highestAck;
  const lastAckSeconds = secondsBetween(first, peer.lastAck);
  // first a count without allocation: most flows have every packet acknowledged, and then nothing is judged
  let notAcknowledged = 0;
  let unacknowledged = 0;
  for (let back = 0; back < SEQUENCE_HISTORY; back++) {
    const seq = (flow.highestSeq - back) >>> 0;
    if (!sent.hasSent(seq)) continue;
    if (inAckRange(seq, highestAck)) {
      if (!acks.acknowledged(seq)) notAcknowledged++;
    } else if (waitedFor(sent, seq, lastAckSeconds)) unacknowledged++;
  }
  if (unacknowledged === 0 && notAcknowledged < MIN_LARGE_UNACKNOWLEDGED) return null;

  const peerFrames = acks.framesByFile();
  const judged: AckJudgement = { acknowledged: [], passed: [], unacknowledged: [] };
  for (let back = 0; back < SEQUENCE_HISTORY; back++) {
    const seq = (flow.highestSeq - back) >>> 0;
    if (!sent.hasSent(seq)) continue;
    const acknowledgedRange = inAckRange(seq, highestAck);
    if (!acknowledgedRange && !waitedFor(sent, seq, lastAckSeconds)) continue;
    const frame = sent.frameOf(seq);
    const next = (seq + 1) >>> 0;
    const nextFrame = sent.hasSent(next) ? sent.frameOf(next) : null;
    const nextFrameNo = nextFrame !== null && nextFrame.fileIndex === frame.fileIndex ? nextFrame.frameNo : Infinity;
    const time = timeAfter(first, sent.millisOf(seq));
    const packet = {
      seq,
      size: sent.sizeOf(seq),
      origin: { fileIndex: frame.fileIndex, frameNo: frame.frameNo, tsSec: time.tsSec, tsNsec: time.tsNsec },
      answered: frameBetween(peerFrames.get(frame.fileIndex), frame.frameNo, nextFrameNo),
    };
    if (acknowledgedRange) (acks.acknowledged(seq) ? judged.acknowledged : judged.passed).push(packet);
    else judged.unacknowledged.push(packet);
  }
  for (const list of [judged.acknowledged, judged.passed, judged.unacknowledged]) list.reverse();
  return judged;
}

/** Whether an acknowledgment up to `highestAck` (-1: none) covers `seq`. */
function inAckRange(seq: number, highestAck: number): boolean {
  return highestAck >= 0 && !seqAfter(seq, highestAck);
}

/** Whether the peer's last acknowledgment came ACK_WAIT_SECONDS or more after `seq` was sent. */
function waitedFor(sent: SequenceHistory, seq: number, lastAckSeconds: number): boolean {
  return lastAckSeconds - sent.millisOf(seq) / 1000 >= ACK_WAIT_SECONDS;
}

/** The time `millis` after `origin` (the history keeps times to the millisecond). */
function timeAfter(origin: FrameOrigin, millis: number): { tsSec: number; tsNsec: number } {
  const nanos = origin.tsNsec + millis * 1e6;
  // `| 0`: the remainder is a whole number below 1e9, but V8 keeps a `%` of doubles as a double,
  // and one double stored as tsNsec makes every position's tsNsec a boxed number
  return { tsSec: origin.tsSec + Math.floor(nanos / 1e9), tsNsec: (nanos % 1e9) | 0 };
}

/** Whether the sorted `frames` hold one after `after` and before `before` (binary search). */
function frameBetween(frames: readonly number[] | undefined, after: number, before: number): boolean {
  if (frames === undefined) return false;
  let low = 0;
  let high = frames.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (frames[mid] <= after) low = mid + 1;
    else high = mid;
  }
  return low < frames.length && frames[low] < before;
}

/** Both judgements, `earlier` first; either may be null. */
function joinJudgements(earlier: AckJudgement | null, later: AckJudgement | null): AckJudgement | null {
  if (earlier === null || later === null) return earlier ?? later;
  return {
    acknowledged: [...earlier.acknowledged, ...later.acknowledged],
    passed: [...earlier.passed, ...later.passed],
    unacknowledged: [...earlier.unacknowledged, ...later.unacknowledged],
  };
}

export interface GreSource {
  address: string;
  packets: number;
  first: FrameOrigin;
}

/**
 * A packet updates only the direction's own number fields (with its history's slot): no
 * FrameOrigin or source object is read or written per packet, since loading cold objects,
 * not instructions, is what the per-packet path pays. Frames are materialized when read.
 */
export class GreDirection {
  packets = 0;
  /** GRE payload bytes (the PPP frames), as the key's payload length counts them. */
  bytes = 0;
  /** Packets that carried PPP (not acknowledgment-only). */
  dataPackets = 0;
  /** PPP frames of data protocols (below 0x8000: IP, compressed/encrypted data), not negotiation. */
  pppDataFrames = 0;
  /** The largest payload seen. */
  largestPayload = 0;
  /** The first and the last packet's frame (see `first`, `last`). */
  private firstFileIndex = 0;
  private firstFrameNo = 0;
  private firstTsSec = 0;
  private firstTsNsec = 0;
  private lastFileIndex = 0;
  private lastFrameNo = 0;
  private lastTsSec = 0;
  private lastTsNsec = 0;
  /**
   * The highest sequence number seen and acknowledgment number carried (see `highestSeq`,
   * `highestAck`), and the window of recently seen numbers, as signed 32-bit numbers: V8 keeps
   * those in the object itself, an unsigned one above 2^31 in a box of its own (one more load).
   * `sequenced`: a sequence number was seen (highestSeqBits holds one).
   */
  private highestSeqBits = 0;
  private sequenced = false;
  private highestAckBits = 0;
  /** Bit i: sequence number highestSeq - i was seen. */
  private recentSeen = 0;
  /** Sent and acknowledged sequence numbers, taken with the first of them and given back when the call is put away. */
  history: SequenceHistory | null = null;
  /** Packets that carried an acknowledgment number, and the last of them (see `lastAck`). */
  acksCarried = 0;
  private lastAckFileIndex = 0;
  private lastAckFrameNo = 0;
  private lastAckTsSec = 0;
  private lastAckTsNsec = 0;
  /**
   * The source of the last packets (null when not listed) and its IPv4 address; the packets
   * from `packets` = `currentSourceFrom` on are its too, added to its count when the list is read
   * or the source changes.
   */
  private currentSource: GreSource | null = null;
  private currentSrc4 = -1;
  private currentSourceFrom = 0;
  private readonly listedSources: GreSource[] = [];
  sourcesOmitted = 0;
  /** Sequence numbers skipped (lost before the capture point), and how often. */
  missing = 0;
  gaps = 0;
  /** Packets whose sequence number was not above the highest seen (reordered or duplicated). */
  reordered = 0;
  /** Of the `reordered` packets: those that filled a gap (arrived late, not lost) and repeats of a packet already seen. */
  lateArrivals = 0;
  duplicates = 0;
  /** Frame of the first gap, for evidence. */
  firstGap: FrameOrigin | null = null;
  /** Frame after the last gap, updated in place; meaningful once `gaps` > 0. */
  readonly lastGap: FrameOrigin = { fileIndex: 0, frameNo: 0, tsSec: 0, tsNsec: 0 };
  /** What the acknowledgments said of the packets in histories given back (releaseHistories). */
  private judgedBefore: AckJudgement | null = null;

  /** The first packet's frame, null before it. */
  get first(): FrameOrigin | null {
    if (this.packets === 0) return null;
    return { fileIndex: this.firstFileIndex, frameNo: this.firstFrameNo, tsSec: this.firstTsSec, tsNsec: this.firstTsNsec };
  }

  /** The last packet's frame; meaningful once `first` is set. */
  get last(): FrameOrigin {
    return { fileIndex: this.lastFileIndex, frameNo: this.lastFrameNo, tsSec: this.lastTsSec, tsNsec: this.lastTsNsec };
  }

  /** The last packet that carried an acknowledgment number; meaningful once `acksCarried` > 0. */
  get lastAck(): FrameOrigin {
    return { fileIndex: this.lastAckFileIndex, frameNo: this.lastAckFrameNo, tsSec: this.lastAckTsSec, tsNsec: this.lastAckTsNsec };
  }

  /** Highest sequence number seen, -1 before the first. */
  get highestSeq(): number {
    return this.sequenced ? this.highestSeqBits >>> 0 : -1;
  }

  /** Highest acknowledgment number this direction carried (for the other direction's data), -1 when none. */
  get highestAck(): number {
    return this.acksCarried > 0 ? this.highestAckBits >>> 0 : -1;
  }

  /** Source addresses, in the order first seen, with their packets (MAX_SOURCES_PER_FLOW at most). */
  get sources(): readonly GreSource[] {
    this.countCurrentSource();
    return this.listedSources;
  }

  /**
   * One GRE packet of this direction (p is the decoder's packet for `frame`). Returns the
   * source it listed for the first time, null for a source already listed or not named.
   */
  add(p: Packet, frame: Frame): GreSource | null {
    const newSource = this.noteSource(p, frame);
    const payloadLength = p.payloadLength;
    if (this.packets === 0) {
      this.firstFileIndex = frame.fileIndex;
      this.firstFrameNo = frame.frameNo;
      this.firstTsSec = frame.tsSec;
      this.firstTsNsec = frame.tsNsec;
    }
    this.packets++;
    this.bytes += payloadLength;
    if (payloadLength > 0) this.dataPackets++;
    if (p.pppProtocol >= 0 && p.pppProtocol < 0x8000) this.pppDataFrames++;
    if (payloadLength > this.largestPayload) this.largestPayload = payloadLength;
    this.lastFileIndex = frame.fileIndex;
    this.lastFrameNo = frame.frameNo;
    this.lastTsSec = frame.tsSec;
    this.lastTsNsec = frame.tsNsec;
    if (p.greSeq >= 0) {
      this.noteSequence(p.greSeq, frame);
      this.remember(p.greSeq, payloadLength, frame);
    }
    if (p.greAck >= 0) this.noteAck(p.greAck, frame);
    return newSource;
  }

  /**
   * A call is put away: judges both directions' acknowledgments while their histories still
   * hold them, then gives the histories back for new calls. GRE that still comes takes a
   * history again, judged with the rest (acknowledgments).
   */
  static releaseHistories(toServer: GreDirection, toClient: GreDirection): void {
    const judgedToServer = judgeHistories(toServer, toClient);
    const judgedToClient = judgeHistories(toClient, toServer);
    toServer.judgedBefore = joinJudgements(toServer.judgedBefore, judgedToServer);
    toClient.judgedBefore = joinJudgements(toClient.judgedBefore, judgedToClient);
    toServer.giveBackHistory();
    toClient.giveBackHistory();
  }

  private giveBackHistory(): void {
    if (this.history !== null && spareHistories.length < MAX_SPARE_HISTORIES) spareHistories.push(this.history);
    this.history = null;
  }

  /** This direction's packets as `peer`'s acknowledgments judged them: those of histories given back, then those of the current one. */
  acknowledgments(peer: GreDirection): AckJudgement | null {
    return joinJudgements(this.judgedBefore, judgeHistories(this, peer));
  }

  /** Writes the packet into the history ring: nothing allocated after the first. */
  private remember(seq: number, payloadLength: number, frame: Frame): void {
    const millis = (frame.tsSec - this.firstTsSec) * 1000 + Math.floor((frame.tsNsec - this.firstTsNsec) / 1e6);
    (this.history ??= takeHistory()).recordSent(seq, payloadLength, millis > 0 ? millis : 0, frame.frameNo, frame.fileIndex);
  }

  private noteAck(ack: number, frame: Frame): void {
    if (this.acksCarried === 0 || seqAfter(ack, this.highestAckBits)) this.highestAckBits = ack | 0;
    (this.history ??= takeHistory()).recordAck(ack, frame.frameNo, frame.fileIndex);
    this.acksCarried++;
    this.lastAckFileIndex = frame.fileIndex;
    this.lastAckFrameNo = frame.frameNo;
    this.lastAckTsSec = frame.tsSec;
    this.lastAckTsNsec = frame.tsNsec;
  }

  /**
   * Notes the packet's source address (before `packets` counts it); the text of an IPv4
   * address is made once per change of source. Returns the source when it is new to the list.
   */
  private noteSource(p: Packet, frame: Frame): GreSource | null {
    if (this.currentSource !== null && p.ipVersion === 4 && p.src4 === this.currentSrc4) return null;
    this.countCurrentSource();
    const address = sourceAddress(p);
    this.currentSrc4 = p.ipVersion === 4 ? p.src4 : -1;
    this.currentSource = null;
    for (const s of this.listedSources) {
      if (s.address === address) {
        this.currentSource = s;
        return null;
      }
    }
    if (this.listedSources.length >= MAX_SOURCES_PER_FLOW) {
      this.sourcesOmitted++;
      return null;
    }
    this.currentSource = { address, packets: 0, first: originOf(frame) };
    this.listedSources.push(this.currentSource);
    return this.currentSource;
  }

  /** Adds the packets since `currentSourceFrom` to the current source's count. */
  private countCurrentSource(): void {
    if (this.currentSource !== null) this.currentSource.packets += this.packets - this.currentSourceFrom;
    this.currentSourceFrom = this.packets;
  }

  private noteSequence(seq: number, frame: Frame): void {
    if (!this.sequenced) {
      this.sequenced = true;
      this.highestSeqBits = seq | 0;
      this.recentSeen = 1;
      return;
    }
    if (!seqAfter(seq, this.highestSeqBits)) {
      this.reordered++;
      const behind = (this.highestSeqBits - seq) >>> 0;
      if (behind < RECENT_WINDOW) {
        const bit = 1 << behind;
        if (this.recentSeen & bit) this.duplicates++;
        else {
          this.recentSeen |= bit;
          this.lateArrivals++;
        }
      }
      return;
    }
    const ahead = (seq - this.highestSeqBits) >>> 0;
    if (ahead > 1) {
      this.missing += ahead - 1;
      this.gaps++;
      if (this.firstGap === null) this.firstGap = originOf(frame);
      this.lastGap.fileIndex = frame.fileIndex;
      this.lastGap.frameNo = frame.frameNo;
      this.lastGap.tsSec = frame.tsSec;
      this.lastGap.tsNsec = frame.tsNsec;
    }
    this.recentSeen = ahead >= RECENT_WINDOW ? 1 : (this.recentSeen << ahead) | 1;
    this.highestSeqBits = seq | 0;
  }
}

/** Sequence-number order modulo 2^32 (RFC 1982 style): a comes after b. */
export function seqAfter(a: number, b: number): boolean {
  const diff = (a - b) >>> 0;
  return diff !== 0 && diff < 0x80000000;
}
