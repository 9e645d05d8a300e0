/**
 * TcpDirectionStream: TCP segments of one direction of the control connection -> PPTP
 * control messages. Small messages are written out byte by byte below (RFC 2637 §1.4 header,
 * §2.5, §2.12, §2.15 bodies); the long ones come from the builder. Expected values are the
 * types and IDs written into those bytes and the frame numbers the test hands in.
 */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readCaptureSet } from "../../src/capture/capture-set.js";
import { sourceAddress } from "../../src/decode/address.js";
import { Decoder } from "../../src/decode/decoder.js";
import { PacketKind } from "../../src/decode/packet.js";
import type { PptpMessageFields } from "../../src/decode/pptp.js";
import {
  MAX_HELD_SEGMENTS,
  MAX_STREAM_BUFFER_BYTES,
  TcpDirectionStream,
  seqDistance,
  type SegmentOrigin,
  type StreamLimits,
} from "../../src/reassembly/tcp-stream.js";
import { buildPptpMessage } from "../../src/synth/pptp.js";
import { TcpFlag } from "../../src/synth/tcp.js";
import { hex, PUBLIC_CAPTURES } from "../helpers.js";

const { SYN, FIN, RST, ACK, PSH } = TcpFlag;

/** Call-Clear-Request (16 bytes, RFC 2637 §2.12). */
function ccrq(callId: string): Buffer {
  return hex(
    "0010", // length 16
    "0001", // PPTP message type 1: control
    "1a2b3c4d", // magic cookie
    "000c", // control type 12: Call-Clear-Request
    "0000", // reserved0
    callId, // call ID
    "0000", // reserved1
  );
}

/** Echo-Request (16 bytes, RFC 2637 §2.5). */
function echo(identifier: string): Buffer {
  return hex("0010", "0001", "1a2b3c4d", "0005" /* Echo-Request */, "0000", identifier);
}

/** Set-Link-Info (24 bytes, RFC 2637 §2.15). */
function sli(peerCallId: string): Buffer {
  return hex(
    "0018", // length 24
    "0001",
    "1a2b3c4d",
    "000f", // control type 15: Set-Link-Info
    "0000",
    peerCallId, // peer's call ID
    "0000", // reserved1
    "ffffffff", // send ACCM
    "ffffffff", // receive ACCM
  );
}

/** Outgoing-Call-Request (168 bytes, RFC 2637 §2.7) with call ID 0x1234, dialing 5551234. */
const OCRQ = buildPptpMessage({ type: 7, callId: 0x1234, phoneNumber: "5551234" });

/** What the events said, in order: messages as type, the ID they carry, and frame numbers. */
type Recorded =
  | { message: number; id: number | undefined; frame: number; first: number }
  | { malformed: string; frame: number }
  | { gap: number; frame: number };

function idOf(message: PptpMessageFields): number | undefined {
  if ("callId" in message) return message.callId;
  if ("peerCallId" in message) return message.peerCallId;
  if ("identifier" in message) return message.identifier;
  return undefined;
}

class Harness {
  readonly events: Recorded[] = [];
  readonly messages: PptpMessageFields[] = [];
  /** Frames of the gaps given up early, for a limit. */
  readonly earlyGaps: number[] = [];
  readonly stream: TcpDirectionStream;

  constructor(limits?: Partial<StreamLimits>) {
    this.stream = new TcpDirectionStream(
      {
        message: (message, origin, firstOrigin) => {
          this.messages.push({ ...message }); // copied: the stream reuses the object for the next message of its type
          const frames = { frame: origin.frameNo, first: firstOrigin.frameNo };
          this.events.push({ message: message.type, id: idOf(message), ...frames });
        },
        malformed: (reason, origin) => this.events.push({ malformed: reason, frame: origin.frameNo }),
        gap: (bytes, origin, early) => {
          this.events.push({ gap: bytes, frame: origin.frameNo });
          if (early) this.earlyGaps.push(origin.frameNo);
        },
      },
      limits,
    );
  }

  /**
   * One segment as frame `frameNo`. The payload sits after 54 bytes of other headers in a
   * buffer of its own, as in a frame, and the byte after it is not part of it.
   */
  feed(frameNo: number, seq: number, flags: number, payload: Uint8Array = new Uint8Array(0)): void {
    const frame = Buffer.concat([Buffer.alloc(54, 0xee), payload, Buffer.from([0x1a])]);
    this.stream.segment(seq >>> 0, flags, frame, 54, payload.length, origin(frameNo));
  }
}

function origin(frameNo: number): SegmentOrigin {
  return { fileIndex: 0, frameNo, tsSec: 1_700_000_000 + frameNo, tsNsec: 0 };
}

const ISN = 1000;
/** Sequence number of the first data byte after a SYN with ISN. */
const DATA = ISN + 1;

function opened(limits?: Partial<StreamLimits>): Harness {
  const h = new Harness(limits);
  h.feed(1, ISN, SYN);
  return h;
}

describe("seqDistance (RFC 9293 §3.4: modulo 2^32)", () => {
  it("is the signed distance, across the wrap", () => {
    expect(seqDistance(5, 3)).toBe(2);
    expect(seqDistance(3, 5)).toBe(-2);
    expect(seqDistance(0x00000002, 0xfffffffe)).toBe(4);
    expect(seqDistance(0xfffffffe, 0x00000002)).toBe(-4);
  });
});

describe("TcpDirectionStream in order", () => {
  it("delivers one message per segment, origin = first origin = its frame", () => {
    const h = opened();
    h.feed(2, DATA, ACK | PSH, ccrq("0101"));
    h.feed(3, DATA + 16, ACK | PSH, echo("01020304"));
    h.feed(4, DATA + 32, ACK | PSH, sli("0202"));
    expect(h.events).toEqual([
      { message: 12, id: 0x0101, frame: 2, first: 2 },
      { message: 5, id: 0x01020304, frame: 3, first: 3 },
      { message: 15, id: 0x0202, frame: 4, first: 4 },
    ]);
    expect(h.stream.stats).toMatchObject({
      segments: 4,
      retransmitted: 0,
      outOfOrder: 0,
      overlapping: 0,
      bufferedBytes: 0,
    });
  });

  it("delivers two messages of one segment, both from that frame", () => {
    const h = opened();
    h.feed(2, DATA, ACK | PSH, Buffer.concat([ccrq("0101"), echo("0000abcd")]));
    h.feed(3, DATA + 32, ACK | PSH, sli("0303"));
    expect(h.events).toEqual([
      { message: 12, id: 0x0101, frame: 2, first: 2 },
      { message: 5, id: 0xabcd, frame: 2, first: 2 },
      { message: 15, id: 0x0303, frame: 3, first: 3 },
    ]);
  });

  it("joins a message split over 3 segments: origin = the last, firstOrigin = the first", () => {
    const h = opened();
    // 5 bytes (not even the header), 100 bytes, then the last 63 bytes and a whole Call-Clear-Request.
    h.feed(2, DATA, ACK, OCRQ.subarray(0, 5));
    expect(h.stream.stats.bufferedBytes).toBe(5);
    h.feed(3, DATA + 5, ACK, OCRQ.subarray(5, 105));
    expect(h.stream.stats.bufferedBytes).toBe(105);
    expect(h.events).toEqual([]);
    h.feed(4, DATA + 105, ACK | PSH, Buffer.concat([OCRQ.subarray(105), ccrq("0077")]));
    expect(h.events).toEqual([
      { message: 7, id: 0x1234, frame: 4, first: 2 },
      { message: 12, id: 0x0077, frame: 4, first: 4 },
    ]);
    expect(h.messages[0]).toMatchObject({ type: 7, length: 168, callId: 0x1234, phoneNumberLength: 7 });
    // the stream hands on the numbers only: the dialed number's text is not read
    expect(h.messages[0]).not.toHaveProperty("phoneNumber");
    expect(h.stream.stats.bufferedBytes).toBe(0);
  });
});

describe("TcpDirectionStream handed one origin object for every segment, as the reader's Frame is", () => {
  it("keeps the frames of a split message, a held segment and a bad message while the object moves on", () => {
    const h = opened();
    const reused = origin(0);
    const feedAs = (frameNo: number, seq: number, flags: number, payload: Uint8Array): void => {
      Object.assign(reused, origin(frameNo));
      h.stream.segment(seq >>> 0, flags, payload, 0, payload.length, reused);
    };
    feedAs(2, DATA, ACK, OCRQ.subarray(0, 100)); // the first 100 of 168 bytes
    feedAs(3, DATA + 168 + 16, ACK | PSH, echo("00000009")); // after the Call-Clear-Request not yet sent: held
    feedAs(4, DATA + 100, ACK | PSH, Buffer.concat([OCRQ.subarray(100), ccrq("0001")])); // the rest, then the held one
    // 16 bytes that are no message (magic cookie 0xffffffff), then a Set-Link-Info
    feedAs(5, DATA + 200, ACK | PSH, Buffer.alloc(16, 0xff));
    feedAs(6, DATA + 216, ACK | PSH, sli("0002"));
    expect(h.events).toEqual([
      { message: 7, id: 0x1234, frame: 4, first: 2 },
      { message: 12, id: 1, frame: 4, first: 4 },
      { message: 5, id: 9, frame: 3, first: 3 },
      { malformed: "bad magic cookie 0xffffffff (expected 0x1a2b3c4d); 16 bytes skipped to the next message", frame: 5 },
      { message: 15, id: 2, frame: 6, first: 6 },
    ]);
  });
});

describe("TcpDirectionStream out of order and repeated", () => {
  it("holds segments that come early and releases them in order (3, 1, 2)", () => {
    const h = opened();
    h.feed(2, DATA + 32, ACK | PSH, sli("0003"));
    expect(h.events).toEqual([]);
    expect(h.stream.stats.bufferedBytes).toBe(24);
    h.feed(3, DATA, ACK | PSH, ccrq("0001"));
    h.feed(4, DATA + 16, ACK | PSH, echo("00000002"));
    expect(h.events).toEqual([
      { message: 12, id: 1, frame: 3, first: 3 },
      { message: 5, id: 2, frame: 4, first: 4 },
      { message: 15, id: 3, frame: 2, first: 2 },
    ]);
    expect(h.stream.stats).toMatchObject({ outOfOrder: 1, retransmitted: 0, bufferedBytes: 0 });
  });

  it("attributes a message completed by a held segment to that segment's frame", () => {
    const h = opened();
    h.feed(2, DATA + 100, ACK | PSH, OCRQ.subarray(100)); // the end arrives first
    h.feed(3, DATA, ACK, OCRQ.subarray(0, 100));
    expect(h.events).toEqual([{ message: 7, id: 0x1234, frame: 2, first: 3 }]);
  });

  it("drops a retransmitted segment and a retransmitted SYN, counting both", () => {
    const h = opened();
    h.feed(2, ISN, SYN); // the SYN again
    h.feed(3, DATA, ACK | PSH, ccrq("0001"));
    h.feed(4, DATA, ACK | PSH, ccrq("0001"));
    h.feed(5, DATA + 16, ACK | PSH, echo("00000002"));
    h.feed(6, DATA + 32, ACK); // a pure ACK is not a retransmission
    expect(h.events).toEqual([
      { message: 12, id: 1, frame: 3, first: 3 },
      { message: 5, id: 2, frame: 5, first: 5 },
    ]);
    expect(h.stream.stats).toMatchObject({ segments: 6, retransmitted: 2, overlapping: 0 });
  });

  it("uses only the new part of an overlapping segment: the first copy wins", () => {
    const h = opened();
    const stream = Buffer.concat([ccrq("0001"), echo("00000002"), sli("0003")]); // 56 bytes
    h.feed(2, DATA, ACK, stream.subarray(0, 24));
    // Bytes 16..55 again; its copy of 16..23 (the Echo-Request's length, type and cookie) is damaged.
    const second = Buffer.from(stream.subarray(16));
    second.fill(0xff, 0, 8);
    h.feed(3, DATA + 16, ACK | PSH, second);
    expect(h.events).toEqual([
      { message: 12, id: 1, frame: 2, first: 2 },
      { message: 5, id: 2, frame: 3, first: 2 },
      { message: 15, id: 3, frame: 3, first: 3 },
    ]);
    expect(h.stream.stats).toMatchObject({ overlapping: 1, retransmitted: 0 });
  });

  it("holds an early duplicate once", () => {
    const h = opened();
    h.feed(2, DATA + 16, ACK | PSH, echo("00000002"));
    h.feed(3, DATA + 16, ACK | PSH, echo("00000002"));
    h.feed(4, DATA, ACK | PSH, ccrq("0001"));
    expect(h.events).toEqual([
      { message: 12, id: 1, frame: 4, first: 4 },
      { message: 5, id: 2, frame: 2, first: 2 },
    ]);
    expect(h.stream.stats).toMatchObject({ outOfOrder: 1, retransmitted: 1 });
  });
});

describe("TcpDirectionStream gaps and resync", () => {
  it("reports a lost segment as a gap at finish() and finds the next message after it", () => {
    const h = opened();
    h.feed(2, DATA, ACK | PSH, ccrq("0001"));
    // Bytes 16..65 (the first 50 bytes of the Outgoing-Call-Request) are never captured.
    h.feed(3, DATA + 66, ACK | PSH, Buffer.concat([OCRQ.subarray(50), echo("00000002")]));
    h.feed(4, DATA + 66 + 118 + 16, ACK | PSH, sli("0003"));
    expect(h.events).toEqual([{ message: 12, id: 1, frame: 2, first: 2 }]);
    h.stream.finish();
    expect(h.events).toEqual([
      { message: 12, id: 1, frame: 2, first: 2 },
      { gap: 50, frame: 3 },
      { message: 5, id: 2, frame: 3, first: 3 },
      { message: 15, id: 3, frame: 4, first: 4 },
    ]);
    // given up at the end, not early: no limit was reached
    expect(h.earlyGaps).toEqual([]);
    // The 118 bytes after the gap belong to the lost message: skipped, not malformed.
    expect(h.stream.stats).toMatchObject({
      gapBytes: 50,
      resyncs: 1,
      skippedBytes: 118,
      outOfOrder: 2,
      bufferedBytes: 0,
    });
  });

  it("finds the first whole message of a stream captured from its middle (no SYN), quietly", () => {
    const h = new Harness();
    // The capture starts 68 bytes into an Outgoing-Call-Request.
    h.feed(7, 500_000, ACK | PSH, Buffer.concat([OCRQ.subarray(68), sli("0003")]));
    h.feed(8, 500_000 + 100 + 24, ACK | PSH, ccrq("0004"));
    h.stream.finish();
    expect(h.events).toEqual([
      { message: 15, id: 3, frame: 7, first: 7 },
      { message: 12, id: 4, frame: 8, first: 8 },
    ]);
    expect(h.stream.stats).toMatchObject({ resyncs: 1, skippedBytes: 100 });
  });

  it("takes a stream captured from its middle that starts at a message as it is", () => {
    const h = new Harness();
    h.feed(3, 0x7000_0000, ACK, echo("00000009"));
    expect(h.events).toEqual([{ message: 5, id: 9, frame: 3, first: 3 }]);
    expect(h.stream.stats).toMatchObject({ resyncs: 0, skippedBytes: 0 });
  });

  it("reports garbage between messages once and resyncs on the next magic cookie", () => {
    const h = opened();
    h.feed(2, DATA, ACK | PSH, Buffer.concat([ccrq("0001"), hex("deadbeef00"), echo("00000002")]));
    expect(h.events).toHaveLength(3);
    expect(h.events[0]).toEqual({ message: 12, id: 1, frame: 2, first: 2 });
    expect(h.events[1]).toMatchObject({ frame: 2 });
    const reason = (h.events[1] as { malformed: string }).malformed;
    // At the garbage, bytes 4..7 are 0x00 (5th garbage byte) and 00 10 00 (the Echo-Request's first bytes).
    expect(reason).toMatch(/bad magic cookie 0x00001000/);
    expect(reason).toMatch(/5 bytes skipped/);
    expect(h.events[2]).toEqual({ message: 5, id: 2, frame: 2, first: 2 });
    expect(h.stream.stats).toMatchObject({ resyncs: 1, skippedBytes: 5 });
  });

  it("resyncs on a message whose header straddles two segments", () => {
    const h = opened();
    const next = echo("00000002");
    // Frame 2: 5 garbage bytes and the Echo-Request's first 6 bytes (its cookie cut in half).
    h.feed(2, DATA, ACK, Buffer.concat([hex("0102030405"), next.subarray(0, 6)]));
    h.feed(3, DATA + 11, ACK | PSH, Buffer.concat([next.subarray(6), ccrq("0003")]));
    expect(h.events).toHaveLength(3);
    expect(h.events[0]).toMatchObject({ frame: 2 });
    expect((h.events[0] as { malformed: string }).malformed).toMatch(/bad magic cookie.*5 bytes skipped/);
    expect(h.events.slice(1)).toEqual([
      { message: 5, id: 2, frame: 3, first: 2 },
      { message: 12, id: 3, frame: 3, first: 3 },
    ]);
  });

  it("goes on after a message found in copied bytes with the next one's first bytes", () => {
    const h = opened();
    const next = echo("00000002");
    // Frame 2: one stray byte and the Echo-Request's first 10 bytes: too short to judge.
    h.feed(2, DATA, ACK, Buffer.concat([hex("00"), next.subarray(0, 10)]));
    // Frame 3: the Echo-Request's last 6 bytes and a whole Call-Clear-Request.
    h.feed(3, DATA + 11, ACK | PSH, Buffer.concat([next.subarray(10), ccrq("0003")]));
    expect(h.events).toEqual([
      // Bytes 4..7 from the stray byte: 01 1a 2b 3c, the Echo-Request's cookie one byte early.
      { malformed: "bad magic cookie 0x011a2b3c (expected 0x1a2b3c4d); 1 byte skipped to the next message", frame: 2 },
      { message: 5, id: 2, frame: 3, first: 2 },
      { message: 12, id: 3, frame: 3, first: 3 },
    ]);
  });

  it("keeps the last bytes of a segment while resyncing, for a start pattern cut by the segment end", () => {
    const h = opened();
    const bad = ccrq("0001");
    bad[4] = 0x1b; // the magic cookie is 1b2b3c4d
    const next = echo("00000002");
    h.feed(2, DATA, ACK, Buffer.concat([bad, next.subarray(0, 3)]));
    h.feed(3, DATA + 19, ACK | PSH, next.subarray(3));
    expect(h.events).toHaveLength(2);
    expect(h.events[0]).toMatchObject({ frame: 2 });
    expect((h.events[0] as { malformed: string }).malformed).toMatch(/bad magic cookie 0x1b2b3c4d.*16 bytes skipped/);
    expect(h.events[1]).toEqual({ message: 5, id: 2, frame: 3, first: 2 });
    expect(h.stream.stats).toMatchObject({ resyncs: 1, skippedBytes: 16, bufferedBytes: 0 });
  });

  it("scans on in the next segment when the kept bytes hold no message start", () => {
    const h = opened();
    const bad = ccrq("0001");
    bad.fill(0, 4, 8); // magic cookie 0
    h.feed(2, DATA, ACK, Buffer.concat([bad, hex("01020304")])); // 20 bytes
    h.feed(3, DATA + 20, ACK | PSH, Buffer.concat([hex("0a0b0c0d0e0f10111213"), echo("00000002")])); // 10 + 16
    expect(h.events).toEqual([
      {
        malformed: "bad magic cookie 0x00000000 (expected 0x1a2b3c4d); 30 bytes skipped to the next message",
        frame: 2,
      },
      { message: 5, id: 2, frame: 3, first: 3 },
    ]);
    expect(h.stream.stats).toMatchObject({ resyncs: 1, skippedBytes: 30, bufferedBytes: 0 });
  });

  it("reports an unknown control type and finds the message after it", () => {
    const h = opened();
    const unknown = hex("0010", "0001", "1a2b3c4d", "0063" /* control type 99 */, "0000", "00000000");
    h.feed(2, DATA, ACK | PSH, Buffer.concat([unknown, sli("0005")]));
    expect(h.events).toHaveLength(2);
    expect(h.events[0]).toEqual({
      malformed: "unknown control message type 99; 16 bytes skipped to the next message",
      frame: 2,
    });
    expect(h.events[1]).toEqual({ message: 15, id: 5, frame: 2, first: 2 });
  });

  it("reports bytes skipped until the end when no message follows", () => {
    const h = opened();
    h.feed(2, DATA, ACK, hex("00100001ffffffff000c0000000100"));
    h.stream.finish();
    expect(h.events).toHaveLength(1);
    expect(h.events[0]).toEqual({
      malformed: "bad magic cookie 0xffffffff (expected 0x1a2b3c4d); 15 bytes skipped to the end of the stream",
      frame: 2,
    });
  });
});

describe("TcpDirectionStream sequence number wrap (2^32)", () => {
  it("orders, joins and recognises retransmissions across the wrap", () => {
    const h = new Harness();
    h.feed(1, 0xfffffff8, SYN); // data starts at 0xfffffff9
    const clear = ccrq("0042");
    // Frame 2: the last 9 bytes of the Call-Clear-Request at sequence 0 (after the wrap), early.
    h.feed(2, 0x00000000, ACK | PSH, clear.subarray(7));
    // Frame 3: its first 7 bytes, 0xfffffff9..0xffffffff.
    h.feed(3, 0xfffffff9, ACK, clear.subarray(0, 7));
    h.feed(4, 0x00000009, ACK | PSH, echo("00000005"));
    h.feed(5, 0xfffffff9, ACK, clear.subarray(0, 7)); // retransmitted from before the wrap
    expect(h.events).toEqual([
      { message: 12, id: 0x42, frame: 2, first: 3 },
      { message: 5, id: 5, frame: 4, first: 4 },
    ]);
    expect(h.stream.stats).toMatchObject({ outOfOrder: 1, retransmitted: 1, gapBytes: 0 });
  });
});

describe("TcpDirectionStream limits", () => {
  it("has the documented defaults", () => {
    expect(MAX_STREAM_BUFFER_BYTES).toBe(256 * 1024);
    expect(MAX_HELD_SEGMENTS).toBe(256);
  });

  it("gives up a hole when held bytes would pass maxBufferedBytes, before finish()", () => {
    const h = opened({ maxBufferedBytes: 64 });
    // Bytes 0..15 are lost; three 24-byte Set-Link-Info follow.
    h.feed(2, DATA + 16, ACK | PSH, sli("0001"));
    h.feed(3, DATA + 40, ACK | PSH, sli("0002"));
    expect(h.stream.stats.bufferedBytes).toBe(48);
    expect(h.events).toEqual([]);
    h.feed(4, DATA + 64, ACK | PSH, sli("0003")); // 72 bytes would be held
    expect(h.events).toEqual([
      { gap: 16, frame: 2 },
      { message: 15, id: 1, frame: 2, first: 2 },
      { message: 15, id: 2, frame: 3, first: 3 },
      { message: 15, id: 3, frame: 4, first: 4 },
    ]);
    expect(h.stream.stats).toMatchObject({ droppedForLimit: 1, gapBytes: 16, bufferedBytes: 0, peakBufferedBytes: 48 });
    // given up early, while bytes 0..15 could still have come: the session model reports that
    expect(h.earlyGaps).toEqual([2]);
    // they come now, too late: a retransmission of what the stream already skipped
    h.feed(5, DATA, ACK | PSH, sli("0000").subarray(0, 16));
    expect(h.stream.stats.retransmitted).toBe(1);
    expect(h.events).toHaveLength(4);
  });

  it("gives up a hole when maxHeldSegments would be passed", () => {
    const h = opened({ maxHeldSegments: 2 });
    h.feed(2, DATA + 16, ACK | PSH, sli("0001"));
    h.feed(3, DATA + 40, ACK | PSH, sli("0002"));
    h.feed(4, DATA + 64, ACK | PSH, sli("0003"));
    expect(h.events.map((e) => ("gap" in e ? `gap ${e.gap}` : "message" in e ? `${e.message}/${e.id}` : "?"))).toEqual([
      "gap 16",
      "15/1",
      "15/2",
      "15/3",
    ]);
    expect(h.stream.stats.droppedForLimit).toBe(1);
    expect(h.earlyGaps).toEqual([2]);
  });

  it("skips straight to a segment larger than the limit", () => {
    const h = opened({ maxBufferedBytes: 16 });
    h.feed(2, DATA + 16, ACK | PSH, sli("0001"));
    expect(h.events).toEqual([
      { gap: 16, frame: 2 },
      { message: 15, id: 1, frame: 2, first: 2 },
    ]);
    expect(h.stream.stats.peakBufferedBytes).toBe(0);
  });

  it("skips only up to a new segment that comes before everything held", () => {
    const h = opened({ maxBufferedBytes: 40 });
    h.feed(2, DATA + 40, ACK | PSH, sli("0002")); // held: 24 bytes
    h.feed(3, DATA + 16, ACK | PSH, sli("0001")); // 48 would be held; bytes 0..15 are the hole
    expect(h.events).toEqual([
      { gap: 16, frame: 3 },
      { message: 15, id: 1, frame: 3, first: 3 },
      { message: 15, id: 2, frame: 2, first: 2 },
    ]);
  });

  it("stays bounded over thousands of segments behind a hole that never fills", () => {
    const limit = 1000;
    const h = opened({ maxBufferedBytes: limit, maxHeldSegments: 30 });
    let seq = DATA + 16; // the first 16 bytes never come
    let peak = 0;
    for (let i = 0; i < 5000; i++) {
      h.feed(2 + i, seq, ACK | PSH, echo(i.toString(16).padStart(8, "0")));
      seq += 16;
      peak = Math.max(peak, h.stream.stats.bufferedBytes);
    }
    h.stream.finish();
    expect(peak).toBeLessThanOrEqual(limit);
    expect(h.stream.stats.peakBufferedBytes).toBeLessThanOrEqual(limit);
    const gaps = h.events.filter((e) => "gap" in e);
    expect(gaps).toEqual([{ gap: 16, frame: 2 }]); // one hole, given up once
    expect(h.events.filter((e) => "message" in e)).toHaveLength(5000);
    expect(h.stream.stats).toMatchObject({ droppedForLimit: 1, bufferedBytes: 0 });
  });
});

describe("TcpDirectionStream FIN and RST", () => {
  it("delivers data that comes with the FIN; afterwards retransmissions are counted and new data is malformed", () => {
    const h = opened();
    h.feed(2, DATA, ACK | PSH, ccrq("0001"));
    h.feed(3, DATA + 16, ACK | PSH | FIN, ccrq("0002")); // FIN at DATA + 32
    h.feed(4, DATA + 32, ACK | FIN); // the FIN again
    h.feed(5, DATA + 16, ACK | PSH | FIN, ccrq("0002")); // data and FIN again (as ndpi-pptp.pcap frame 19)
    h.feed(6, DATA + 33, ACK | PSH, echo("00000003")); // nothing is expected after the FIN
    expect(h.events).toEqual([
      { message: 12, id: 1, frame: 2, first: 2 },
      { message: 12, id: 2, frame: 3, first: 3 },
      { malformed: "16 bytes of data after the FIN", frame: 6 },
    ]);
    expect(h.stream.stats).toMatchObject({ retransmitted: 2 });
  });

  it("waits for data before a FIN that arrives early", () => {
    const h = opened();
    h.feed(2, DATA + 16, ACK | FIN);
    h.feed(3, DATA, ACK | PSH, ccrq("0001"));
    h.stream.finish();
    expect(h.events).toEqual([{ message: 12, id: 1, frame: 3, first: 3 }]);
    expect(h.stream.stats.gapBytes).toBe(0);
  });

  it("reports a message cut short by the FIN", () => {
    const h = opened();
    h.feed(2, DATA, ACK, OCRQ.subarray(0, 20));
    h.feed(3, DATA + 20, ACK | FIN);
    expect(h.events).toEqual([
      { malformed: "the stream ends 20 bytes into a 168-byte Outgoing-Call-Request (begun in frame 2)", frame: 3 },
    ]);
  });

  it("ends at an RST: a partial header is reported, later segments are only counted", () => {
    const h = opened();
    h.feed(2, DATA, ACK, ccrq("0001").subarray(0, 10));
    h.feed(3, DATA + 10, RST | ACK);
    h.feed(4, DATA + 10, ACK | PSH, ccrq("0001").subarray(10));
    h.stream.finish();
    expect(h.events).toEqual([
      { malformed: "the stream ends 10 bytes into a 12-byte message header (begun in frame 2)", frame: 3 },
    ]);
    expect(h.stream.stats).toMatchObject({ segments: 4, bufferedBytes: 0 });
  });

  it("reports an unfinished message at finish() with the given origin, or where it began", () => {
    const a = opened();
    a.feed(2, DATA, ACK, sli("0001").subarray(0, 20));
    a.stream.finish(origin(9));
    expect(a.events).toEqual([
      { malformed: "the stream ends 20 bytes into a 24-byte Set-Link-Info (begun in frame 2)", frame: 9 },
    ]);
    const b = opened();
    b.feed(2, DATA, ACK, sli("0001").subarray(0, 20));
    b.stream.finish();
    expect(b.events).toEqual([
      { malformed: "the stream ends 20 bytes into a 24-byte Set-Link-Info (begun in frame 2)", frame: 2 },
    ]);
  });

  it("starts over at a SYN with another initial sequence number (a new connection)", () => {
    const h = opened();
    h.feed(2, DATA, ACK | PSH, ccrq("0001"));
    h.feed(3, 90_000, SYN);
    h.feed(4, 90_001, ACK | PSH, echo("00000002"));
    expect(h.events).toEqual([
      { message: 12, id: 1, frame: 2, first: 2 },
      { message: 5, id: 2, frame: 4, first: 4 },
    ]);
  });
});

/**
 * Real captures (facts in /work/shared/captures/public/MANIFEST.md, from tshark): each
 * direction of the control connection fed frame by frame, as the session model does.
 */
const PPTP_CAPTURES_PRESENT =
  existsSync(PUBLIC_CAPTURES + "tcpdump-pptp.pcap") && existsSync(PUBLIC_CAPTURES + "ndpi-pptp.pcap");
if (!PPTP_CAPTURES_PRESENT) console.log(`public capture stream tests skipped: no PPTP captures in ${PUBLIC_CAPTURES}`);

interface DirectionResult {
  messages: Array<{ type: number; frame: number }>;
  retransmittedFrames: number[];
  other: Recorded[];
}

async function streamsOf(file: string, server: string): Promise<{ client: DirectionResult; server: DirectionResult }> {
  const decoder = new Decoder();
  const make = () => {
    const result: DirectionResult = { messages: [], retransmittedFrames: [], other: [] };
    const stream = new TcpDirectionStream({
      message: (message, at) => result.messages.push({ type: message.type, frame: at.frameNo }),
      malformed: (reason, at) => result.other.push({ malformed: reason, frame: at.frameNo }),
      gap: (bytes, at) => result.other.push({ gap: bytes, frame: at.frameNo }),
    });
    return { result, stream };
  };
  const toClient = make();
  const toServer = make();
  await readCaptureSet([PUBLIC_CAPTURES + file], (frame) => {
    if (decoder.decode(frame) !== PacketKind.PptpTcp) return;
    const p = decoder.packet;
    const direction = sourceAddress(p) === server ? toClient : toServer;
    const before = direction.stream.stats.retransmitted;
    direction.stream.segment(p.tcpSeq, p.tcpFlags, p.buf, p.payloadOffset, p.payloadLength, {
      fileIndex: frame.fileIndex,
      frameNo: frame.frameNo,
      tsSec: frame.tsSec,
      tsNsec: frame.tsNsec,
    });
    if (direction.stream.stats.retransmitted > before) direction.result.retransmittedFrames.push(frame.frameNo);
  });
  toClient.stream.finish();
  toServer.stream.finish();
  return { client: toServer.result, server: toClient.result };
}

describe.skipIf(!PPTP_CAPTURES_PRESENT)("TcpDirectionStream over public captures", () => {
  it("tcpdump-pptp.pcap: each message once although every server frame is duplicated", async () => {
    const { client, server } = await streamsOf("tcpdump-pptp.pcap", "10.1.1.10");
    expect(client.messages).toEqual([
      { type: 1, frame: 5 }, // Start-Control-Connection-Request
      { type: 7, frame: 10 }, // Outgoing-Call-Request
      { type: 15, frame: 15 }, // Set-Link-Info
    ]);
    expect(server.messages).toEqual([
      { type: 2, frame: 8 }, // Start-Control-Connection-Reply
      { type: 8, frame: 13 }, // Outgoing-Call-Reply
    ]);
    // tshark's tcp.analysis.retransmission: the second SYN-ACK, the copies of both replies and of the FIN.
    expect(server.retransmittedFrames).toEqual([3, 9, 14, 20]);
    expect(client.retransmittedFrames).toEqual([]);
    expect([...client.other, ...server.other]).toEqual([]);
  });

  it("ndpi-pptp.pcap: the Call-Clear-Request retransmitted with the FIN (frame 19) is no second message", async () => {
    const { client, server } = await streamsOf("ndpi-pptp.pcap", "191.101.61.1");
    expect(client.messages).toEqual([
      { type: 1, frame: 4 },
      { type: 7, frame: 8 },
      { type: 12, frame: 16 }, // Call-Clear-Request
    ]);
    expect(server.messages).toEqual([
      { type: 2, frame: 6 },
      { type: 8, frame: 10 },
      { type: 15, frame: 12 },
      { type: 15, frame: 14 },
      { type: 13, frame: 23 }, // Call-Disconnect-Notify
    ]);
    // tshark: frame 18 (the FIN again) and 19 (Call-Clear-Request and FIN again) are retransmissions.
    expect(client.retransmittedFrames).toEqual([18, 19]);
    expect(server.retransmittedFrames).toEqual([]);
    expect([...client.other, ...server.other]).toEqual([]);
  });
});
