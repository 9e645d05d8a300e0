import type { Frame } from "./frame.js";

/**
 * The contract between the shared framing loop (CaptureReader) and a file format.
 *
 * Both formats are a sequence of length-prefixed units: a classic pcap record (16-byte
 * header + data) or a pcapng block (type, total length, body, total length again). The
 * loop asks the format for a unit's length once `headerBytes` are present, waits until the
 * whole unit is in memory (in the current chunk, or assembled in a carry buffer when it
 * straddles two chunks), then lets the format interpret it.
 */

/** Largest packet a record may carry; a larger claim is damage, not data. */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;

/** What `unit()` made of one complete unit. */
export const Unit = {
  /** The frame was filled with a packet. */
  Packet: 0,
  /** Not a packet (pcapng metadata, unknown block type): nothing to deliver. */
  Skip: 1,
  /** Not a packet and something in it was wrong (see `problem`); reading goes on. */
  Noted: 2,
  /** A packet record that cannot be delivered (see `problem`); it still takes a frame number. */
  BadPacket: 3,
  /** The framing itself is broken (see `problem`); reading stops here. */
  Stop: 4,
} as const;
export type Unit = (typeof Unit)[keyof typeof Unit];

/** The parts of the file summary a format keeps up to date as it meets interfaces. */
export interface FormatSummary {
  /** Distinct link types, in order of appearance. */
  linkTypes: number[];
  /** 9 once any interface has nanosecond or finer timestamps, else 6. */
  tsDigits: number;
}

export interface RecordFormat {
  /** Bytes of a unit that must be present to learn its length. */
  readonly headerBytes: number;
  /** What a unit is called in messages ("record", "block"). */
  readonly unitName: string;
  /** Why the last length or unit was refused; meaningful after -1, Noted, BadPacket or Stop. */
  problem: string;
  /** Total length of the unit at buf[off] (headerBytes present), or -1 when impossible. */
  unitLength(buf: Buffer, off: number): number;
  /** Interprets the complete unit buf[off .. off + len). */
  unit(buf: Buffer, off: number, len: number, frame: Frame): Unit;
}

/** Distinct link types listed per file; a damaged pcapng file could declare thousands. */
export const MAX_LINK_TYPES_LISTED = 64;

/** Adds a link type to the summary unless it is already there (or the list is full). */
export function noteLinkType(summary: FormatSummary, linkType: number): void {
  if (summary.linkTypes.length < MAX_LINK_TYPES_LISTED && !summary.linkTypes.includes(linkType)) {
    summary.linkTypes.push(linkType);
  }
}
