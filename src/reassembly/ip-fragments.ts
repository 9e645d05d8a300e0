/**
 * IP fragment reassembly for IPv4 (RFC 791 §3.2, key: source, destination, protocol,
 * identification) and IPv6 (RFC 8200 §4.5, key: source, destination, identification).
 * The IP decoders build the key and hand each fragment in; this file knows nothing of
 * either header beyond "keep the first fragment's header and set its protocol byte".
 *
 * Memory is bounded: a limited number of datagrams in progress, of fragments per
 * datagram and of bytes held overall; when a limit is reached the oldest datagram goes,
 * and datagrams not completed within FRAGMENT_TIMEOUT_SECONDS of capture time go too.
 * `drops` counts each, by the limit that dropped it, so the report can say so.
 */
import { DecodeError, PacketKind, type Packet } from "../decode/packet.js";

/** Datagrams being reassembled at once; a new one beyond this evicts the oldest. */
export const MAX_DATAGRAMS_IN_PROGRESS = 1024;
/** Largest fragmentable part: both IP versions give it a 16-bit length field (no jumbograms). */
export const MAX_DATAGRAM_BYTES = 65535;
/** Fragments stored for one datagram (8-byte fragments would allow 8192; real senders use a few). */
export const MAX_FRAGMENTS_PER_DATAGRAM = 256;
/** Bytes held over all datagrams in progress; above this the oldest datagrams go. */
export const MAX_HELD_BYTES = 16 * 1024 * 1024;
/** Capture time after the first fragment within which a datagram must complete (as Linux's ipfrag_time). */
export const FRAGMENT_TIMEOUT_SECONDS = 30;

export const FragmentStatus = {
  /** Stored; the datagram is not complete yet. */
  Held: 0,
  /** This fragment completed the datagram: see `datagram`. */
  Complete: 1,
  /** The fragments disagree (overlapping bytes differ, or two different ends): datagram dropped. */
  Conflict: 2,
  /** The fragment reaches beyond MAX_DATAGRAM_BYTES, which no length field can describe: datagram dropped. */
  TooLarge: 3,
  /** More than MAX_FRAGMENTS_PER_DATAGRAM fragments: datagram dropped and counted in drops.tooManyFragments. */
  TooManyFragments: 4,
} as const;
export type FragmentStatus = (typeof FragmentStatus)[keyof typeof FragmentStatus];

/** One fragment as the IP decoder hands it in; offsets point into `buf`, which is copied from. */
export interface FragmentInput {
  /** Identifies the datagram (addresses, protocol for IPv4, identification). */
  key: string;
  /** Capture time of the frame, for the timeout. */
  tsSec: number;
  buf: Uint8Array;
  /** The header kept from the first fragment (IPv6: everything before the Fragment header). */
  headerOffset: number;
  headerLength: number;
  /** Where in that header the protocol byte is (IPv4: 9; IPv6: the Next Header that named the Fragment header). */
  protocolFieldAt: number;
  /** Protocol of the reassembled payload, written to that byte. */
  protocol: number;
  /** Position of this fragment's payload in the datagram's payload, in bytes. */
  fragmentOffset: number;
  /** More-fragments flag. */
  more: boolean;
  payloadOffset: number;
  payloadLength: number;
}

/** Datagrams dropped before they were complete, by the limit that dropped them. */
export interface FragmentDrops {
  /** Pushed out, oldest first, by a new datagram beyond MAX_DATAGRAMS_IN_PROGRESS. */
  tooManyDatagrams: number;
  /** Pushed out, oldest first, to keep the bytes held within MAX_HELD_BYTES. */
  tooManyBytes: number;
  /** Given more than MAX_FRAGMENTS_PER_DATAGRAM fragments. */
  tooManyFragments: number;
  /** Not complete FRAGMENT_TIMEOUT_SECONDS after their first fragment. */
  timedOut: number;
}

interface Piece {
  offset: number;
  bytes: Uint8Array;
}

interface DatagramInProgress {
  firstTsSec: number;
  pieces: Piece[];
  /** Copy of the first fragment's header, with the protocol byte set; null until it arrives. */
  header: Uint8Array | null;
  /** Payload length, known once the last fragment (more = false) arrived; -1 before. */
  payloadLength: number;
  heldBytes: number;
}

export class IpFragmentReassembler {
  readonly drops: FragmentDrops = { tooManyDatagrams: 0, tooManyBytes: 0, tooManyFragments: 0, timedOut: 0 };
  /** After add() returned Complete: the whole datagram, first fragment's header then the payload. */
  datagram: Uint8Array = new Uint8Array(0);

  private readonly inProgress = new Map<string, DatagramInProgress>();
  private heldBytes = 0;

  /** Datagrams still waiting for fragments (at the end of a capture: never completed). */
  get datagramsInProgress(): number {
    return this.inProgress.size;
  }

  /** Bytes copied out of fragments and held until their datagrams complete. */
  get bytesHeld(): number {
    return this.heldBytes;
  }

  add(f: FragmentInput): FragmentStatus {
    this.expire(f.tsSec);
    const fragmentEnd = f.fragmentOffset + f.payloadLength;
    if (fragmentEnd > MAX_DATAGRAM_BYTES) {
      this.drop(f.key);
      return FragmentStatus.TooLarge;
    }

    let d = this.inProgress.get(f.key);
    if (d === undefined) {
      if (this.inProgress.size >= MAX_DATAGRAMS_IN_PROGRESS && this.evictOldest(f.key)) this.drops.tooManyDatagrams++;
      d = { firstTsSec: f.tsSec, pieces: [], header: null, payloadLength: -1, heldBytes: 0 };
      this.inProgress.set(f.key, d);
    }

    if (this.disagrees(d, f, fragmentEnd)) {
      this.drop(f.key);
      return FragmentStatus.Conflict;
    }
    if (!f.more) d.payloadLength = fragmentEnd;

    if (f.fragmentOffset === 0 && d.header === null) {
      this.makeRoom(f.headerLength, f.key);
      d.header = copyOf(f.buf, f.headerOffset, f.headerLength);
      d.header[f.protocolFieldAt] = f.protocol;
      this.hold(d, f.headerLength);
    }
    if (!isDuplicate(d, f)) {
      if (d.pieces.length >= MAX_FRAGMENTS_PER_DATAGRAM) {
        this.drop(f.key);
        this.drops.tooManyFragments++;
        return FragmentStatus.TooManyFragments;
      }
      this.makeRoom(f.payloadLength, f.key);
      d.pieces.push({ offset: f.fragmentOffset, bytes: copyOf(f.buf, f.payloadOffset, f.payloadLength) });
      this.hold(d, f.payloadLength);
    }

    if (d.header === null || d.payloadLength < 0 || !isCovered(d)) return FragmentStatus.Held;
    this.assemble(d);
    this.drop(f.key);
    return FragmentStatus.Complete;
  }

  /**
   * Overlap policy: overlapping fragments whose bytes agree (a duplicate, or a resend cut
   * differently) are accepted. If they disagree the whole datagram is dropped and reported,
   * as RFC 5722 requires for IPv6. For IPv4, RFC 791 lets either copy win and stacks differ
   * (first wins on some, last on others), which is how overlap attacks evade inspection:
   * any choice could show us a datagram the receiver never saw, so we take none.
   * A fragment past the end the last fragment set, or a second different end, disagrees too.
   */
  private disagrees(d: DatagramInProgress, f: FragmentInput, fragmentEnd: number): boolean {
    if (d.payloadLength >= 0 && (fragmentEnd > d.payloadLength || (!f.more && fragmentEnd !== d.payloadLength))) return true;
    for (const piece of d.pieces) {
      const pieceEnd = piece.offset + piece.bytes.length;
      if (!f.more && pieceEnd > fragmentEnd) return true;
      const from = Math.max(piece.offset, f.fragmentOffset);
      const to = Math.min(pieceEnd, fragmentEnd);
      for (let i = from; i < to; i++) {
        if (piece.bytes[i - piece.offset] !== f.buf[f.payloadOffset + i - f.fragmentOffset]) return true;
      }
    }
    return false;
  }

  private assemble(d: DatagramInProgress): void {
    const header = d.header as Uint8Array;
    const datagram = new Uint8Array(header.length + d.payloadLength);
    datagram.set(header, 0);
    for (const piece of d.pieces) datagram.set(piece.bytes, header.length + piece.offset);
    this.datagram = datagram;
  }

  /** Drops datagrams whose first fragment is older than the timeout (the map keeps arrival order). */
  private expire(nowSec: number): void {
    for (const [key, d] of this.inProgress) {
      if (nowSec - d.firstTsSec <= FRAGMENT_TIMEOUT_SECONDS) break;
      this.drop(key);
      this.drops.timedOut++;
    }
  }

  /** Evicts the oldest datagrams, except the one being added to, until `bytes` more fit. */
  private makeRoom(bytes: number, keep: string): void {
    while (this.heldBytes + bytes > MAX_HELD_BYTES) {
      if (!this.evictOldest(keep)) return;
      this.drops.tooManyBytes++;
    }
  }

  /** Drops the datagram in progress longest, other than `keep`; false when there is none. */
  private evictOldest(keep: string): boolean {
    for (const key of this.inProgress.keys()) {
      if (key === keep) continue;
      this.drop(key);
      return true;
    }
    return false;
  }

  private hold(d: DatagramInProgress, bytes: number): void {
    d.heldBytes += bytes;
    this.heldBytes += bytes;
  }

  private drop(key: string): void {
    const d = this.inProgress.get(key);
    if (d === undefined) return;
    this.heldBytes -= d.heldBytes;
    this.inProgress.delete(key);
  }
}

/** What the IP decoders return for a fragment that did not complete a datagram. */
export function kindOfUnfinishedFragment(status: FragmentStatus, p: Packet, layer: string): PacketKind {
  switch (status) {
    case FragmentStatus.Held:
      return PacketKind.FragmentHeld;
    case FragmentStatus.Conflict:
      return p.fail(DecodeError.FragmentOverlap, layer);
    case FragmentStatus.TooLarge:
      return p.fail(DecodeError.BadHeader, layer);
    default:
      // Dropped by our own limit, not by anything wrong in the frame; `drops` counts it.
      return PacketKind.Other;
  }
}

function copyOf(buf: Uint8Array, offset: number, length: number): Uint8Array {
  const copy = new Uint8Array(length);
  copy.set(buf.subarray(offset, offset + length));
  return copy;
}

/** The fragment lies within one piece already held (disagrees() has checked the bytes). */
function isDuplicate(d: DatagramInProgress, f: FragmentInput): boolean {
  const fragmentEnd = f.fragmentOffset + f.payloadLength;
  return d.pieces.some((piece) => piece.offset <= f.fragmentOffset && piece.offset + piece.bytes.length >= fragmentEnd);
}

/** Every payload byte 0 .. payloadLength is in some piece. */
function isCovered(d: DatagramInProgress): boolean {
  d.pieces.sort((a, b) => a.offset - b.offset);
  let covered = 0;
  for (const piece of d.pieces) {
    if (piece.offset > covered) return false;
    covered = Math.max(covered, piece.offset + piece.bytes.length);
  }
  return covered >= d.payloadLength;
}
