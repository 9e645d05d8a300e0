// Sequence histories are given back when a call is put away and taken by new calls: what the
// acknowledgments said must survive the handover, and a taken history must start empty.
import { describe, expect, it } from "vitest";
import { Frame } from "../../src/capture/frame.js";
import { Packet } from "../../src/decode/packet.js";
import { ACK_WAIT_SECONDS, GreDirection, MIN_LARGE_UNACKNOWLEDGED } from "../../src/model/gre-flow.js";

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
