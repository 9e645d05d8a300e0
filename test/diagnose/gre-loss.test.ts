/**
 * gre-loss on synthesized captures whose frames follow from their scripts: losses seen
 * behind the loss (sequence gaps) and before it (acknowledgments), whether the large
 * packets are the lost ones, and near misses (reordering, repeats, acknowledgments that
 * cover a burst at once, capture drops); then the sequence accounting of the model itself.
 */
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { analyzeWithRules } from "../../src/analyze.js";
import { Frame } from "../../src/capture/frame.js";
import { greLoss } from "../../src/diagnose/gre-loss.js";
import { RULES } from "../../src/diagnose/index.js";
import { Packet } from "../../src/decode/packet.js";
import { ControlCode as Code } from "../../src/decode/ppp/control-packet.js";
import { PppProtocol } from "../../src/decode/ppp/protocols.js";
import { PptpMessageType as Msg } from "../../src/decode/pptp.js";
import { GreDirection } from "../../src/model/gre-flow.js";
import { CLOSE_GRACE_SECONDS } from "../../src/model/tracker.js";
import type { PptpConversation } from "../../src/synth/conversation.js";
import { ethernet } from "../../src/synth/ethernet.js";
import { enhancedGre } from "../../src/synth/gre.js";
import { ipv4 } from "../../src/synth/ipv4.js";
import type { SynthRecord } from "../../src/synth/pcap-writer.js";
import { terminatePacket } from "../../src/synth/ppp-control.js";
import { SeededRandom } from "../../src/synth/random.js";
import {
  DATA_ADDRESSES,
  DATA_CALL_IDS,
  type DataRound,
  dataSessionRecords,
  DOWNLOAD_SIZES,
  greLossLargeRecords,
  greLossUploadRecords,
  LOSS_ROUNDS,
  UPLOAD_SIZES,
} from "../../src/synth/scenarios-data.js";
import { establishCall, mppeFrame, negotiatePpp } from "../../src/synth/sessions.js";
import { hasPublicCaptures, PUBLIC_CAPTURES } from "../helpers.js";
import { clearCall, DataCaptures, findingsOf, scripted, SESSION, theFinding } from "./data-captures.js";

const captures = new DataCaptures();
afterAll(() => captures.remove());

const ONLY = [greLoss];
const { client: CLIENT_ID, server: SERVER_ID } = DATA_CALL_IDS;

/**
 * Frame numbers of dataSessionRecords: 1-27 set-up and PPP, then per round the client's
 * frame and the server's, each unless lost before the capture.
 */
function roundFrames(rounds: readonly DataRound[]): Array<{ client?: number; server?: number }> {
  let frame = 28;
  return rounds.map((round) => {
    const frames: { client?: number; server?: number } = {};
    if (round.client && round.client.fate !== "lost-before-capture") frames.client = frame++;
    if (round.server && round.server.fate !== "lost-before-capture") frames.server = frame++;
    return frames;
  });
}

function rounds(count: number, round: (i: number) => DataRound): DataRound[] {
  return Array.from({ length: count }, (_, i) => round(i));
}

describe("gre-loss", () => {
  it("is registered (fails until the main session adds it to RULES)", () => {
    expect(RULES).toContain(greLoss);
  });

  it("behind the loss: the server's frames above 1200 bytes never arrive; likely the large ones, said as likely", async () => {
    const report = await captures.analyze(greLossLargeRecords(), ONLY);
    const finding = theFinding(report, "gre-loss");
    // DOWNLOAD_SIZES cycles 1400, 300, 1180, 80, 1250, 1100: two of six lost, 20 of 60 rounds;
    // the server sent 10 negotiation frames + 60 data + its Terminate-Ack = 71
    expect(DOWNLOAD_SIZES.filter((s) => s > 1200)).toHaveLength(2);
    expect(finding.severity).toBe("warning");
    // the first lost frame is round 0's; round 1's server frame (30) follows it; round 59's (127) follows the last
    expect(finding.frames).toEqual([30, 127]);
    expect(finding.message).toContain("GRE from 198.51.100.20 to 192.0.2.20 on the call from 192.0.2.20:49400 to 198.51.100.20");
    expect(finding.message).toContain("lost 20 packets (28.2% of 71 sent). 20 sequence numbers never arrived, in 20 gaps (the first and last packet after a gap: frames 30 and 127)");
    // the largest size that arrives is 1180; the client asked for MRU 1400 and sent 1400-byte frames itself
    expect(finding.message).toContain("No packet above 1180 bytes arrived in this direction, although 192.0.2.20 accepts frames of 1400 bytes (MRU) and itself sent up to 1400");
    expect(finding.message).toContain("likely the large ones");
    expect(finding.detail).toBe("likely the large packets (none above 1180 bytes arrived)");
    expect(finding.remedy).toContain("MSS");
  });

  it("before the loss: the server never acknowledges the client's frames above 1100 bytes; the large packets, with the odds", async () => {
    const report = await captures.analyze(greLossUploadRecords(), ONLY);
    const finding = theFinding(report, "gre-loss");
    // UPLOAD_SIZES cycles 1400, 120, 1300, 1100, 60, 1350: rounds i % 6 in {0, 2, 5} lost, 30 of 60;
    // the client's frame of round i is frame 28 + 2i: the first eight lost are rounds 0, 2, 5, 6, 8, 11, 12, 14
    expect(UPLOAD_SIZES.filter((s) => s > 1200)).toHaveLength(3);
    expect(finding.severity).toBe("warning");
    expect(finding.frames).toEqual([0, 2, 5, 6, 8, 11, 12, 14].map((i) => 28 + 2 * i));
    // the client sent 9 negotiation frames + 60 data + its Terminate-Request = 70
    expect(finding.message).toContain("GRE from 192.0.2.20 to 198.51.100.20");
    expect(finding.message).toContain("lost 30 packets (42.9% of 70 sent)");
    expect(finding.message).toContain("198.51.100.20 never acknowledged any of the 30 packets above 1100 bytes (1300-1400 bytes; frames 28, 32, 38, 40, 44, 50, 52, 56, ...)");
    // the smaller ones followed by a server frame: 7 of the 9 negotiation frames (two are followed by
    // another client frame), the 30 smaller data frames and the Terminate-Request, each acknowledged
    expect(finding.message).toContain("it acknowledged 38 of the 38 smaller packets it sent GRE after");
    expect(finding.message).toContain("below 0.01%");
    expect(finding.message).toContain("MTU black hole between the capture point and 198.51.100.20");
    expect(finding.detail).toBe("the large packets (none above 1100 bytes acknowledged)");
  });

  it("losses of every size, with full-size frames arriving: not the large packets", async () => {
    // the server alternates 1400 (the client's MRU) and 200 bytes; every fifth round (i % 5 = 2) is lost: 12 of 60
    const plan = rounds(LOSS_ROUNDS, (i) => ({ client: { size: 200 }, server: { size: i % 2 === 0 ? 1400 : 200, fate: i % 5 === 2 ? "lost-before-capture" : "delivered" } }));
    const frames = roundFrames(plan);
    const finding = theFinding(await captures.analyze(dataSessionRecords(plan), ONLY), "gre-loss");
    expect(finding.severity).toBe("warning");
    expect(finding.frames).toEqual([frames[3].server, frames[58].server]);
    expect(finding.message).toContain("lost 12 packets (16.9% of 71 sent)");
    expect(finding.message).toContain("Packets of up to 1400 bytes did arrive, about the most 192.0.2.20 accepts (MRU 1400), so the losses are not a size limit");
    expect(finding.detail).toBe("not the large packets (up to 1400 bytes arrived)");
  });

  it("losses where nothing large was sent either way: the capture cannot tell the sizes", async () => {
    const plan = rounds(LOSS_ROUNDS, (i) => ({ client: { size: 100 }, server: { size: i % 2 === 0 ? 300 : 150, fate: i % 5 === 2 ? "lost-before-capture" : "delivered" } }));
    const finding = theFinding(await captures.analyze(dataSessionRecords(plan), ONLY), "gre-loss");
    expect(finding.severity).toBe("warning");
    expect(finding.message).toContain("cannot tell the size of the lost packets; the largest that arrived had 300 bytes");
    expect(finding.detail).toBe("sizes of the lost packets unknown");
  });

  it("one packet lost in 71: info, not a warning", async () => {
    const plan = rounds(LOSS_ROUNDS, (i) => ({ client: { size: 200 }, server: { size: 200, fate: i === 30 ? "lost-before-capture" : "delivered" } }));
    const frames = roundFrames(plan);
    const finding = theFinding(await captures.analyze(dataSessionRecords(plan), ONLY), "gre-loss");
    expect(finding.severity).toBe("info");
    expect(finding.message).toContain("lost 1 packet (1.4% of 71 sent). 1 sequence number never arrived, in 1 gap (the first and last packet after a gap: frame 90)");
    expect(finding.frames).toEqual([frames[31].server]);
    // rounds 0-29 are frames 28-87, round 30 only the client's (88), round 31 is 89-90
    expect(frames[31].server).toBe(90);
  });

  it("the peer stops acknowledging but says so later: the packets after its last acknowledgment are lost", async () => {
    // client frames of rounds 40-49 never reach the server; 2.5 s later it sends an acknowledgment-only
    // packet still naming 48, the client's sequence number of round 39 (9 negotiation frames + 40)
    const records = scripted((conv) => {
      establishCall(conv, CLIENT_ID, SERVER_ID);
      const p = { ...SESSION, random: new SeededRandom(7) };
      negotiatePpp(conv, p);
      for (let i = 0; i < 50; i++) {
        conv.greFrame("client", mppeFrame({ ...p, minDataBytes: 200, maxDataBytes: 200 }), i >= 40 ? "lost-after-capture" : "delivered");
        conv.greFrame("server", mppeFrame({ ...p, minDataBytes: 100, maxDataBytes: 100 }));
      }
      conv.wait(3);
      clearCall(conv, CLIENT_ID, SERVER_ID);
    });
    const last = records[127 - 1];
    const staleAck: SynthRecord = {
      tsSec: last.tsSec + 2,
      tsNsec: last.tsNsec + 500_000_000,
      data: ethernet({ payload: ipv4({ src: DATA_ADDRESSES.server, dst: DATA_ADDRESSES.client, payload: enhancedGre({ callId: CLIENT_ID, ack: 48 }) }) }),
    };
    records.splice(127, 0, staleAck); // frame 128
    const finding = theFinding(await captures.analyze(records, ONLY), "gre-loss");
    // round i's client frame is 28 + 2i: rounds 40-49 are frames 108-126, the first eight named
    const lost = [108, 110, 112, 114, 116, 118, 120, 122];
    expect(finding.severity).toBe("warning");
    expect(finding.frames).toEqual([...lost, 128]);
    expect(finding.message).toContain("lost 10 packets (16.9% of 59 sent)");
    expect(finding.message).toContain(`198.51.100.20 never acknowledged 10 packets (frames ${lost.join(", ")}, ...), although it went on acknowledging up to frame 128, 2 s or more after they were sent`);
    expect(finding.detail).toBe("not the large packets");
  });

  it("GRE of a call after its connection was put away is judged too, after what was judged when it was put away", async () => {
    // twice 20 rounds, whose last 10 client frames never reach the server, and 2.5 s later an
    // acknowledgment-only packet still naming the last that did; between the two the control
    // connection closes and, CLOSE_GRACE_SECONDS later, is put away (the reset), the call sealed
    const lossyRounds = (conv: PptpConversation, p: typeof SESSION & { random: SeededRandom }) => {
      for (let i = 0; i < 20; i++) {
        conv.greFrame("client", mppeFrame({ ...p, minDataBytes: 200, maxDataBytes: 200 }), i >= 10 ? "lost-after-capture" : "delivered");
        conv.greFrame("server", mppeFrame({ ...p, minDataBytes: 100, maxDataBytes: 100 }));
      }
    };
    const records = scripted((conv) => {
      establishCall(conv, CLIENT_ID, SERVER_ID);
      const p = { ...SESSION, random: new SeededRandom(9) };
      negotiatePpp(conv, p);
      lossyRounds(conv, p);
      conv.wait(3);
      clearCall(conv, CLIENT_ID, SERVER_ID);
      conv.wait(CLOSE_GRACE_SECONDS + 1);
      conv.reset("client");
      lossyRounds(conv, p);
    });
    // the client's sequence numbers: 0-8 negotiation, 9-28 the first rounds, 29-48 the second
    const staleAck = (after: SynthRecord, ack: number): SynthRecord => ({
      tsSec: after.tsSec + 2,
      tsNsec: after.tsNsec + 500_000_000,
      data: ethernet({ payload: ipv4({ src: DATA_ADDRESSES.server, dst: DATA_ADDRESSES.client, payload: enhancedGre({ callId: CLIENT_ID, ack }) }) }),
    });
    records.push(staleAck(records[records.length - 1], 38)); // frame 117
    records.splice(67, 0, staleAck(records[66], 18)); // frame 68, before the control connection closes
    const finding = theFinding(await captures.analyze(records, ONLY), "gre-loss");
    // frames 28-67 the first rounds (the lost client frames 48-66), 69-76 the clearing and the reset, 77-116 the second rounds
    expect(finding.message).toContain("GRE from 192.0.2.20 to 198.51.100.20");
    expect(finding.message).toContain("198.51.100.20 never acknowledged 20 packets (frames 48, 50, 52, 54, 56, 58, 60, 62, ...)");
    expect(finding.frames).toEqual([48, 50, 52, 54, 56, 58, 60, 62, 117]);
  });

  it("gaps while the capture also misses bytes of the TCP control stream: info, the capture may have dropped them", async () => {
    const records = scripted((conv) => {
      establishCall(conv, CLIENT_ID, SERVER_ID);
      const p = { ...SESSION, random: new SeededRandom(8) };
      negotiatePpp(conv, p);
      for (let i = 0; i < LOSS_ROUNDS; i++) {
        conv.greFrame("client", mppeFrame(p));
        conv.greFrame("server", mppeFrame(p), i % 10 === 5 ? "lost-before-capture" : "delivered");
      }
      conv.ppp("client", PppProtocol.LCP, terminatePacket(Code.TerminateRequest, 3), false);
      conv.ppp("server", PppProtocol.LCP, terminatePacket(Code.TerminateAck, 3), false);
      // the 16 bytes of the Call-Clear-Request never reach the capture; the Stop-Control-Connection-Request after them does
      conv.controlSegments("client", [{ type: Msg.CallClearRequest, callId: CLIENT_ID }, { type: Msg.StopControlConnectionRequest, reason: 1 }], [[16, 32]]);
      conv.control("server", { type: Msg.StopControlConnectionReply, resultCode: 1 });
      conv.close("client");
    });
    const finding = theFinding(await captures.analyze(records, ONLY), "gre-loss");
    expect(finding.severity).toBe("info");
    expect(finding.message).toContain("lost 6 packets (8.5% of 71 sent)");
    expect(finding.message).toContain("misses 16 bytes of the TCP control stream");
    expect(finding.message).toContain("the gaps may be capture loss");
  });

  describe("near misses", () => {
    const plain = rounds(10, () => ({ client: { size: 100 }, server: { size: 100 } }));

    it("a packet that arrives late fills its gap: no finding", async () => {
      const records = dataSessionRecords(plain);
      // frames 29 and 31 are the server's data sequence numbers 10 and 11: swap their contents
      [records[28], records[30]] = [{ ...records[28], data: records[30].data }, { ...records[30], data: records[28].data }];
      expect(findingsOf(await captures.analyze(records, ONLY), "gre-loss")).toEqual([]);
    });

    it("a packet captured twice is not a gap: no finding", async () => {
      const records = dataSessionRecords(plain);
      records.splice(29, 0, { ...records[28] });
      expect(findingsOf(await captures.analyze(records, ONLY), "gre-loss")).toEqual([]);
    });

    it("a peer that acknowledges each burst at its last (smaller) packet is no black hole", async () => {
      // 15 bursts of three 1400-byte frames and a 600-byte one, the server answering once after each
      const bursts: DataRound[] = [];
      for (let b = 0; b < 15; b++) bursts.push({ client: { size: 1400 } }, { client: { size: 1400 } }, { client: { size: 1400 } }, { client: { size: 600 }, server: { size: 100 } });
      expect(findingsOf(await captures.analyze(dataSessionRecords(bursts), ONLY), "gre-loss")).toEqual([]);
    });

    it("the healthy fixture gives none", async () => {
      expect(findingsOf(await analyzeWithRules(["fixtures/healthy.pcap"], ONLY), "gre-loss")).toEqual([]);
    });
  });
});

describe.skipIf(!hasPublicCaptures)("gre-loss on the public captures", () => {
  const expected: Record<string, { sessions?: Array<{ findings?: Array<{ code: string }> }> }> = hasPublicCaptures
    ? JSON.parse(readFileSync(join(PUBLIC_CAPTURES, "expected.json"), "utf8")).captures
    : {};
  it.each(Object.keys(expected))("%s: only where expected.json asks for it", async (name) => {
    const report = await analyzeWithRules([join(PUBLIC_CAPTURES, name)], ONLY);
    const wanted = (expected[name].sessions ?? []).some((s) => (s.findings ?? []).some((f) => f.code === "gre-loss"));
    expect(findingsOf(report, "gre-loss").length > 0).toBe(wanted);
  });
});

describe("GreDirection: sequence accounting behind gre-loss", () => {
  const frame = new Frame();
  const packet = new Packet();
  const flow = new GreDirection();

  /** One GRE packet of 192.0.2.1, frame n at n ms. */
  function add(n: number, seq: number, payloadLength: number, ack = -1): void {
    Object.assign(frame, { frameNo: n, tsSec: 100, tsNsec: n * 1_000_000 });
    Object.assign(packet, { ipVersion: 4, src4: 0xc0000201, greSeq: seq, greAck: ack, payloadLength, pppProtocol: -1 });
    flow.add(packet, frame);
  }

  it("counts a gap, the late packet that fills it, a repeat, and remembers sizes, frames and acknowledgments", () => {
    add(1, 0, 100);
    add(2, 1, 1400);
    add(3, 3, 100); // 2 skipped
    add(4, 2, 1400, 7); // late: fills the gap
    add(5, 2, 1400); // a repeat
    add(6, 5, 60); // 4 skipped, not filled
    expect({ missing: flow.missing, gaps: flow.gaps, reordered: flow.reordered, late: flow.lateArrivals, duplicates: flow.duplicates }).toEqual({
      missing: 2,
      gaps: 2,
      reordered: 2,
      late: 1,
      duplicates: 1,
    });
    expect([flow.firstGap?.frameNo, flow.lastGap.frameNo]).toEqual([3, 6]);
    const history = flow.history!;
    expect([0, 1, 2, 3, 4, 5].map((s) => history.hasSent(s))).toEqual([true, true, true, true, false, true]);
    expect([history.sizeOf(1), history.sizeOf(5)]).toEqual([1400, 60]);
    expect(history.frameOf(3)).toEqual({ fileIndex: 0, frameNo: 3 });
    // frame 6 came 5 ms after the first
    expect(history.millisOf(5)).toBe(5);
    expect({ highestAck: flow.highestAck, carried: flow.acksCarried, last: flow.lastAck.frameNo }).toEqual({ highestAck: 7, carried: 1, last: 4 });
    expect([history.acknowledged(7), history.acknowledged(6)]).toEqual([true, false]);
    // frames 1-6 sent (5 a repeat of 4's sequence number, so only its frame is kept), 4 carried the acknowledgment
    expect(history.framesByFile()).toEqual(new Map([[0, [1, 2, 3, 4, 5, 6]]]));
  });

  it("sequence numbers wrap modulo 2^32", () => {
    const wrapping = new GreDirection();
    for (const [n, seq] of [[1, 0xfffffffe], [2, 0xffffffff], [3, 1]] as const) {
      Object.assign(frame, { frameNo: n, tsSec: 100, tsNsec: 0 });
      Object.assign(packet, { ipVersion: 4, src4: 1, greSeq: seq, greAck: -1, payloadLength: 10, pppProtocol: -1 });
      wrapping.add(packet, frame);
    }
    // 0 was skipped between 0xffffffff and 1
    expect({ missing: wrapping.missing, gaps: wrapping.gaps, highest: wrapping.highestSeq }).toEqual({ missing: 1, gaps: 1, highest: 1 });
    expect(wrapping.history!.hasSent(0xffffffff)).toBe(true);
  });
});
