/**
 * ControlConnection fed directly: the lists it keeps for the report, the WAN-Error-Notify
 * sums of a call and the Stop-Control-Connection-Request record. Messages are built with
 * the synthesizer and decoded; expected values are the ones written into them and the
 * frame positions handed in.
 */
import { describe, expect, it } from "vitest";
import type { FrameOrigin } from "../../src/capture/frame.js";
import { decodePptpMessage, type PptpMessage } from "../../src/decode/pptp.js";
import { ControlConnection, MAX_TCP_EVENTS, type Side } from "../../src/model/control.js";
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
    c.tcpEvent("synAcks", { origin: at(2), from: "server", address: "198.51.100.1" });
    c.tcpEvent("fins", { origin: at(8), from: "client", address: "192.0.2.10" });
    c.tcpEvent("fins", { origin: at(9), from: "server", address: "198.51.100.1" });
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
    for (let i = 0; i < MAX_TCP_EVENTS + 3; i++) c.tcpEvent("synAcks", { origin: at(2 + i), from: "server", address: "198.51.100.1" });
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
    expect(c.stopRequest).toEqual({ ...at(12), from: "client", reason: 2 });
  });
});
