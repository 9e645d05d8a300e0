/**
 * One direction of a call's enhanced GRE (RFC 2637 §4): packets and bytes, the
 * addresses they came from, sequence gaps and acknowledgments.
 */
import { type Frame, type FrameOrigin, originOf } from "../capture/frame.js";
import { sourceAddress } from "../decode/address.js";
import type { Packet } from "../decode/packet.js";

/** Source addresses listed per direction; more are counted, not named. */
export const MAX_SOURCES_PER_FLOW = 8;

/** Payload size from which a lost packet counts as large (an MTU black hole drops these). */
export const LARGE_PAYLOAD_BYTES = 1000;

export interface GreSource {
  address: string;
  packets: number;
  first: FrameOrigin;
}

export class GreDirection {
  packets = 0;
  /** GRE payload bytes (the PPP frames), as the key's payload length counts them. */
  bytes = 0;
  /** Packets that carried PPP (not acknowledgment-only). */
  dataPackets = 0;
  /** PPP frames of data protocols (below 0x8000: IP, compressed/encrypted data), not negotiation. */
  pppDataFrames = 0;
  ackOnly = 0;
  first: FrameOrigin | null = null;
  /** Updated in place: no object per packet. Meaningful once `first` is set. */
  readonly last: FrameOrigin = { fileIndex: 0, frameNo: 0, tsSec: 0, tsNsec: 0 };
  readonly sources: GreSource[] = [];
  sourcesOmitted = 0;
  /** Sequence numbers skipped (lost before the capture point), and how often. */
  missing = 0;
  gaps = 0;
  /** Packets whose sequence number was not above the highest seen (reordered or duplicated). */
  reordered = 0;
  /** Highest sequence number seen, -1 before the first. */
  highestSeq = -1;
  /** Highest acknowledgment number this direction carried (for the other direction's data), -1 when none. */
  highestAck = -1;
  /** Payload sizes: the largest seen, and how many were large. */
  largestPayload = 0;
  largePackets = 0;
  /** Frame of the first gap, for evidence. */
  firstGap: FrameOrigin | null = null;
  private currentSource: GreSource | null = null;
  private currentSrc4 = -1;

  /** One GRE packet of this direction (p is the decoder's packet for `frame`). */
  add(p: Packet, frame: Frame): void {
    const payloadLength = p.payloadLength;
    this.packets++;
    this.bytes += payloadLength;
    if (payloadLength > 0) this.dataPackets++;
    else this.ackOnly++;
    if (p.pppProtocol >= 0 && p.pppProtocol < 0x8000) this.pppDataFrames++;
    if (payloadLength > this.largestPayload) this.largestPayload = payloadLength;
    if (payloadLength >= LARGE_PAYLOAD_BYTES) this.largePackets++;
    if (this.first === null) this.first = originOf(frame);
    this.last.fileIndex = frame.fileIndex;
    this.last.frameNo = frame.frameNo;
    this.last.tsSec = frame.tsSec;
    this.last.tsNsec = frame.tsNsec;
    this.noteSource(p, frame);
    if (p.greSeq >= 0) this.noteSequence(p.greSeq, frame);
    if (p.greAck >= 0 && (this.highestAck < 0 || seqAfter(p.greAck, this.highestAck))) this.highestAck = p.greAck;
  }

  /** Counts the packet for its source address; the text of an IPv4 address is made once per change of source. */
  private noteSource(p: Packet, frame: Frame): void {
    const current = this.currentSource;
    if (current !== null && p.ipVersion === 4 && p.src4 === this.currentSrc4) {
      current.packets++;
      return;
    }
    const address = sourceAddress(p);
    this.currentSrc4 = p.ipVersion === 4 ? p.src4 : -1;
    for (const s of this.sources) {
      if (s.address === address) {
        s.packets++;
        this.currentSource = s;
        return;
      }
    }
    this.currentSource = null;
    if (this.sources.length < MAX_SOURCES_PER_FLOW) {
      this.currentSource = { address, packets: 1, first: originOf(frame) };
      this.sources.push(this.currentSource);
    } else this.sourcesOmitted++;
  }

  private noteSequence(seq: number, frame: Frame): void {
    if (this.highestSeq < 0) {
      this.highestSeq = seq;
      return;
    }
    if (!seqAfter(seq, this.highestSeq)) {
      this.reordered++;
      return;
    }
    const skipped = (seq - this.highestSeq - 1) >>> 0;
    if (skipped > 0) {
      this.missing += skipped;
      this.gaps++;
      if (this.firstGap === null) this.firstGap = originOf(frame);
    }
    this.highestSeq = seq;
  }
}

/** Sequence-number order modulo 2^32 (RFC 1982 style): a comes after b. */
export function seqAfter(a: number, b: number): boolean {
  const diff = (a - b) >>> 0;
  return diff !== 0 && diff < 0x80000000;
}
