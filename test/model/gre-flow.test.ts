// Sequence histories are given back when a call is put away and taken by new calls: what the
// acknowledgments said must survive the handover, and a taken history must start empty.
// A packet updates only number fields: frames, source counts and unsigned sequence numbers
// are made when read, and must read the same however often and whenever they are read.
import { describe, expect, it } from "vitest";
import { Frame } from "../../src/capture/frame.js";
import { Packet } from "../../src/decode/packet.js";
import { ACK_WAIT_SECONDS, GreDirection, MAX_SOURCES_PER_FLOW, MIN_LARGE_UNACKNOWLEDGED } from "../../src/model/gre-flow.js";

const frame = new Frame();
const packet = new Packet();
let frameNo = 0;

/** One GRE packet of `flow` at `second` of the capture (seq/ack -1: none). */
function add(flow: GreDirection, second: number, seq: number, ack: number, payloadLength = 1400): void {
  Object.assign(frame, { frameNo: ++frameNo, tsSec: 1000 + second, tsNsec: 0 });
  Object.assign(packet, { ipVersion: 4, src4: 0xc0000201, greSeq: seq, greAck: ack, payloadLength, pppProtocol: -1 });
  flow.add(packet, frame);
}

/** A call whose client sent packets 0-9 at second 0 and the server acknowledged only 0-4, still acknowledging at ACK_WAIT_SECONDS. */
function callWithLoss(): { toServer: GreDirection; toClient: GreDirection } {
  const toServer = new GreDirection();
  const toClient = new GreDirection();
  for (let seq = 0; seq < 10; seq++) add(toServer, 0, seq, -1);
  for (let ack = 0; ack < 5; ack++) add(toClient, 0, ack, ack, 100);
  add(toClient, ACK_WAIT_SECONDS, 5, 4, 100);
  return { toServer, toClient };
}

describe("GreDirection.releaseHistories", () => {
  it("keeps what the acknowledgments said and gives the histories back", () => {
    const { toServer, toClient } = callWithLoss();
    const before = toServer.acknowledgments(toClient);
    expect(before?.unacknowledged.map((p) => p.seq)).toEqual([5, 6, 7, 8, 9]);
    GreDirection.releaseHistories(toServer, toClient);
    expect([toServer.history, toClient.history]).toEqual([null, null]);
    expect(toServer.acknowledgments(toClient)).toEqual(before);
  });

  it("a new flow takes a given-back history empty", () => {
    const { toServer, toClient } = callWithLoss();
    const givenBack = [toServer.history, toClient.history];
    GreDirection.releaseHistories(toServer, toClient);
    const next = new GreDirection();
    add(next, 0, 100, -1);
    const history = next.history!;
    expect(givenBack).toContain(history);
    expect([...Array(10).keys()].map((seq) => history.hasSent(seq) || history.acknowledged(seq))).toEqual(Array(10).fill(false));
    expect(history.framesByFile()).toEqual(new Map([[0, [frameNo]]]));
  });

  it("GRE after the release takes a history again, judged after what was judged before", () => {
    const { toServer, toClient } = callWithLoss();
    GreDirection.releaseHistories(toServer, toClient);
    // packets 10-19 a minute later: the server acknowledges 10-14, and goes on acknowledging
    for (let seq = 10; seq < 20; seq++) add(toServer, 60, seq, -1);
    for (let ack = 10; ack < 15; ack++) add(toClient, 60, ack, ack, 100);
    add(toClient, 60 + ACK_WAIT_SECONDS, 15, 14, 100);
    expect(toServer.history).not.toBeNull();
    expect(toServer.acknowledgments(toClient)?.unacknowledged.map((p) => p.seq)).toEqual([5, 6, 7, 8, 9, 15, 16, 17, 18, 19]);
  });

  it("judges nothing when every packet was acknowledged", () => {
    const toServer = new GreDirection();
    const toClient = new GreDirection();
    for (let seq = 0; seq < MIN_LARGE_UNACKNOWLEDGED * 2; seq++) {
      add(toServer, 0, seq, -1);
      add(toClient, 0, -1, seq);
    }
    GreDirection.releaseHistories(toServer, toClient);
    expect([toServer.acknowledgments(toClient), toClient.acknowledgments(toServer)]).toEqual([null, null]);
  });
});

/** One GRE packet of `flow` from the IPv4 address `src4`, without sequence or acknowledgment number. */
function addFrom(flow: GreDirection, src4: number): void {
  Object.assign(frame, { frameNo: ++frameNo, tsSec: 2000, tsNsec: frameNo * 1000 });
  Object.assign(packet, { ipVersion: 4, src4, greSeq: -1, greAck: -1, payloadLength: 100, pppProtocol: -1 });
  flow.add(packet, frame);
}

describe("GreDirection sources and frames", () => {
  const a = 0xc0000201; // 192.0.2.1
  const b = 0xc6336402; // 198.51.100.2

  it("counts each source's packets across changes of source, read between packets", () => {
    const flow = new GreDirection();
    expect(flow.first).toBeNull();
    const firstFrame = frameNo + 1;
    addFrom(flow, a);
    addFrom(flow, a);
    addFrom(flow, b);
    addFrom(flow, a);
    // reading twice must not count the same packets twice
    expect(flow.sources.map((s) => [s.address, s.packets])).toEqual([["192.0.2.1", 3], ["198.51.100.2", 1]]);
    expect(flow.sources.map((s) => [s.address, s.packets])).toEqual([["192.0.2.1", 3], ["198.51.100.2", 1]]);
    addFrom(flow, a);
    addFrom(flow, b);
    expect(flow.sources.map((s) => [s.address, s.packets, s.first.frameNo])).toEqual([
      ["192.0.2.1", 4, firstFrame],
      ["198.51.100.2", 2, firstFrame + 2],
    ]);
    expect([flow.packets, flow.first?.frameNo, flow.last.frameNo, flow.last.tsNsec]).toEqual([6, firstFrame, firstFrame + 5, (firstFrame + 5) * 1000]);
  });

  it("counts no packets of sources beyond the list's limit for a listed one", () => {
    const flow = new GreDirection();
    for (let i = 0; i < MAX_SOURCES_PER_FLOW; i++) addFrom(flow, a + i);
    addFrom(flow, b); // not listed
    addFrom(flow, b);
    addFrom(flow, a);
    expect(flow.sourcesOmitted).toBe(2);
    expect(flow.sources.map((s) => s.packets)).toEqual([2, ...Array(MAX_SOURCES_PER_FLOW - 1).fill(1)]);
  });
});

describe("GreDirection sequence numbers above 2^31", () => {
  it("tells late packets from repeats across the whole window and reads the numbers unsigned", () => {
    const flow = new GreDirection();
    add(flow, 0, 0x90000000, 0xa0000000);
    expect([flow.highestSeq, flow.highestAck]).toEqual([0x90000000, 0xa0000000]);
    add(flow, 0, 0x90000020, -1); // 31 skipped
    add(flow, 0, 0x90000001, -1); // 31 behind the highest: fills the gap late
    add(flow, 0, 0x90000001, -1); // the same again: a repeat
    expect({ missing: flow.missing, gaps: flow.gaps, reordered: flow.reordered, late: flow.lateArrivals, duplicates: flow.duplicates }).toEqual({
      missing: 31,
      gaps: 1,
      reordered: 2,
      late: 1,
      duplicates: 1,
    });
    expect(flow.highestSeq).toBe(0x90000020);
  });

  it("keeps the highest acknowledgment in sequence-number order as it wraps", () => {
    const flow = new GreDirection();
    expect(flow.highestAck).toBe(-1);
    add(flow, 0, -1, 0xfffffff0);
    add(flow, 0, -1, 2); // after 0xfffffff0, modulo 2^32
    add(flow, 0, -1, 0xfffffff5); // before 2: an older acknowledgment
    expect([flow.highestAck, flow.acksCarried, flow.highestSeq]).toEqual([2, 3, -1]);
  });
});
