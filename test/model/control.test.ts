/**
 * ControlConnection fed directly: the lists it keeps for the report, the WAN-Error-Notify
 * sums of a call and the Stop-Control-Connection-Request record. Messages are built with
 * the synthesizer and decoded; expected values are the ones written into them and the
 * frame positions handed in.
 */
import { describe, expect, it } from "vitest";
import { Frame, type FrameOrigin } from "../../src/capture/frame.js";
import { decodePptpMessage, type PptpMessage } from "../../src/decode/pptp.js";
import { ControlConnection, MAX_PENDING_ECHOES, MAX_TCP_EVENTS, type Side, TcpEvent } from "../../src/model/control.js";
import { buildPptpMessage, type PptpMessageInit } from "../../src/synth/pptp.js";

function at(frameNo: number): FrameOrigin {
  return { fileIndex: 0, frameNo, tsSec: 1_700_000_000 + frameNo, tsNsec: 250_000 };
}

function connection(): ControlConnection {
  return new ControlConnection("192.0.2.10", 49152, "198.51.100.1", 1723, 0, at(1));
}

function message(init: PptpMessageInit): PptpMessage {
  const bytes = buildPptpMessage(init);
  const result = decodePptpMessage(bytes, 0, bytes.length);
  if (typeof result === "number" || !result.ok) throw new Error("the builder made a message the decoder rejects");
  return result.message;
}

function send(c: ControlConnection, from: Side, frameNo: number, init: PptpMessageInit): void {
  c.message(message(init), from, at(frameNo));
}

describe("ControlConnection lists", () => {
  it("keep each SYN, SYN-ACK and FIN in arrival order, and nothing in the lists that saw none", () => {
    const c = connection();
    c.syn(at(1));
    c.tcpEvent("synAcks", new TcpEvent(at(2), "server", "198.51.100.1"));
    c.tcpEvent("fins", new TcpEvent(at(8), "client", "192.0.2.10"));
    c.tcpEvent("fins", new TcpEvent(at(9), "server", "198.51.100.1"));
    c.finish();
    expect(c.syns).toEqual([at(1)]);
    expect(c.synAcks.map((e) => e.origin.frameNo)).toEqual([2]);
    expect(c.fins.map((e) => [e.origin.frameNo, e.from])).toEqual([
      [8, "client"],
      [9, "server"],
    ]);
    expect(c.resets).toEqual([]);
    expect(c.malformed).toEqual([]);
    expect(c.closed).toBe(true);
    expect(c.tcpEventsOmitted).toBe(0);
  });

  it("count the SYN-ACKs beyond MAX_TCP_EVENTS instead of keeping them", () => {
    const c = connection();
    for (let i = 0; i < MAX_TCP_EVENTS + 3; i++) c.tcpEvent("synAcks", new TcpEvent(at(2 + i), "server", "198.51.100.1"));
    expect(c.synAcks).toHaveLength(MAX_TCP_EVENTS);
    expect(c.synAcks[MAX_TCP_EVENTS - 1].origin.frameNo).toBe(2 + MAX_TCP_EVENTS - 1);
    expect(c.tcpEventsOmitted).toBe(3);
  });

  it("are not shared between connections", () => {
    const a = connection();
    const b = connection();
    a.syn(at(1));
    a.noteAnswer("198.51.100.1");
    expect(b.syns).toEqual([]);
    expect(b.answeringAddresses).toEqual([]);
    expect(a.answeringAddresses).toEqual(["198.51.100.1"]);
  });
});

describe("ControlConnection messages", () => {
  it("sums the WAN-Error-Notify counters of the call whose PNS call ID they name (RFC 2637 §2.14)", () => {
    const c = connection();
    send(c, "client", 3, { type: 7, callId: 7 });
    send(c, "server", 4, { type: 8, callId: 40, peerCallId: 7 });
    expect(c.calls).toHaveLength(1);
    expect(c.calls[0].wanErrors).toBeNull();
    send(c, "server", 5, { type: 14, peerCallId: 7, crcErrors: 3, timeoutErrors: 1 });
    send(c, "server", 6, { type: 14, peerCallId: 7, crcErrors: 2, alignmentErrors: 4 });
    // a call ID no call has: not counted anywhere
    send(c, "server", 7, { type: 14, peerCallId: 8, crcErrors: 100 });
    expect(c.calls[0].wanErrors).toEqual({ messages: 2, crc: 5, framing: 0, hardwareOverruns: 0, bufferOverruns: 0, timeouts: 1, alignment: 4 });
    // the Outgoing-Call-Request names no peer; the reply and the three notifies do
    expect(c.messages.map((m) => m.peerCallId)).toEqual([undefined, 7, 7, 7, 8]);
  });

  it("keeps the Stop-Control-Connection-Request's frame, sender and reason", () => {
    const c = connection();
    send(c, "client", 12, { type: 3, reason: 2 });
    expect(c.stopRequest).toBe(c.messages[0]);
    expect([c.stopRequest?.origin.frameNo, c.stopRequest?.from, c.stopReason]).toEqual([12, "client", 2]);
  });
});

describe("ControlConnection message records", () => {
  /** The reader's one Frame, moved to `frameNo`: what the tracker hands in, reused for the next record. */
  function readerAt(frame: Frame, frameNo: number): Frame {
    Object.assign(frame, at(frameNo));
    return frame;
  }

  it("keep each message's own frame though the origin handed in is reused, and are what the call keeps", () => {
    const c = connection();
    const frame = new Frame();
    c.message(message({ type: 7, callId: 7 }), "client", readerAt(frame, 3));
    c.message(message({ type: 8, callId: 40, peerCallId: 7, resultCode: 2, errorCode: 4, causeCode: 9 }), "server", readerAt(frame, 4));
    c.message(message({ type: 12, callId: 7 }), "client", readerAt(frame, 5));
    c.message(message({ type: 13, callId: 40, resultCode: 4 }), "server", readerAt(frame, 6));
    readerAt(frame, 99);
    expect(c.messages.map((m) => [m.origin.frameNo, m.origin.tsSec, m.from, m.name])).toEqual([
      [3, 1_700_000_003, "client", "Outgoing-Call-Request"],
      [4, 1_700_000_004, "server", "Outgoing-Call-Reply"],
      [5, 1_700_000_005, "client", "Call-Clear-Request"],
      [6, 1_700_000_006, "server", "Call-Disconnect-Notify"],
    ]);
    expect(c.messages.map((m) => [m.result, m.error, m.cause, m.callId, m.peerCallId])).toEqual([
      [undefined, undefined, undefined, 7, undefined],
      [2, 4, 9, 40, 7],
      [undefined, undefined, undefined, 7, undefined],
      [4, 0, 0, 40, undefined],
    ]);
    const call = c.calls[0];
    expect(call.request).toBe(c.messages[0]);
    expect(call.reply).toBe(c.messages[1]);
    expect(call.clear).toBe(c.messages[2]);
    expect(call.disconnect).toBe(c.messages[3]);
    expect(call.accepted).toBe(false);
  });

  it("give the Start-Control-Connection-Reply and Incoming-Call-Reply cause 0 as the replies kept", () => {
    const c = connection();
    send(c, "server", 2, { type: 2, resultCode: 1 });
    send(c, "server", 3, { type: 9, callId: 50 });
    send(c, "client", 4, { type: 10, callId: 8, peerCallId: 50, resultCode: 1 });
    expect(c.startReply).toBe(c.messages[0]);
    expect([c.startReply?.result, c.startReply?.error, c.startReply?.cause]).toEqual([1, 0, 0]);
    expect(c.calls[0].reply).toBe(c.messages[2]);
    expect([c.calls[0].reply?.cause, c.calls[0].accepted]).toEqual([0, true]);
  });

  it("keep the frame of a malformed message though the origin handed in is reused", () => {
    const c = connection();
    const frame = new Frame();
    c.malformedMessage("bad magic cookie", readerAt(frame, 7));
    readerAt(frame, 8);
    expect(c.malformed).toEqual([{ origin: at(7), reason: "bad magic cookie" }]);
  });
});

describe("ControlConnection Echo-Requests", () => {
  it("pair replies from the other side by identifier; the ones left at the end are unanswered", () => {
    const c = connection();
    send(c, "client", 3, { type: 5, identifier: 1 });
    send(c, "client", 4, { type: 5, identifier: 2 });
    // the client's own Echo-Reply answers nothing of its own
    send(c, "client", 5, { type: 6, identifier: 1 });
    send(c, "server", 6, { type: 6, identifier: 1 });
    expect(c.answeredEchoes).toBe(1);
    c.finish();
    expect(c.pendingEchoes).toEqual([]);
    expect(c.unansweredEchoes).toBe(1);
    expect(c.unansweredEchoFrames.map((o) => o.frameNo)).toEqual([4]);
  });

  it(`count the oldest of more than ${MAX_PENDING_ECHOES} outstanding as pushed out and unanswered`, () => {
    const c = connection();
    for (let i = 0; i < MAX_PENDING_ECHOES + 2; i++) send(c, "server", 10 + i, { type: 5, identifier: i });
    expect([c.echoesPushedOut, c.unansweredEchoes, c.pendingEchoes.length]).toEqual([2, 2, MAX_PENDING_ECHOES]);
    expect(c.unansweredEchoFrames.map((o) => o.frameNo)).toEqual([10, 11]);
  });
});
