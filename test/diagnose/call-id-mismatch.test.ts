/**
 * call-id-mismatch on synthesized captures whose frames follow from their scripts (the
 * frame plans are in src/synth/scenarios-data.ts and in the comments below), near misses
 * that must not fire, the healthy fixture and the public captures.
 */
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { analyzeWithRules } from "../../src/analyze.js";
import { callIdMismatch, isRewrittenGre, rewrittenGreFlows } from "../../src/diagnose/call-id-mismatch.js";
import { RULES } from "../../src/diagnose/index.js";
import type { Rule } from "../../src/diagnose/rule.js";
import { unknownCallId } from "../../src/diagnose/unknown-call-id.js";
import { ControlCode as Code } from "../../src/decode/ppp/control-packet.js";
import { PppProtocol } from "../../src/decode/ppp/protocols.js";
import { PptpMessageType as Msg } from "../../src/decode/pptp.js";
import type { PptpConversation } from "../../src/synth/conversation.js";
import { echoPacket } from "../../src/synth/ppp-control.js";
import { SeededRandom } from "../../src/synth/random.js";
import {
  DATA_ADDRESSES,
  DATA_CALL_IDS,
  dataSessionRecords,
  mergedByTime,
  NAT_SHARING_CALLS,
  natCallIdRewriteRecords,
  natCallsSameIdsRecords,
  severalSessionsRecords,
  twoClientsSameCallIdRecords,
} from "../../src/synth/scenarios-data.js";
import { establishCall, negotiatePpp, startControlConnection } from "../../src/synth/sessions.js";
import { hasPublicCaptures, PUBLIC_CAPTURES } from "../helpers.js";
import { clearCall, DataCaptures, findingsOf, scripted, SESSION, START_SEC, theFinding } from "./data-captures.js";

const captures = new DataCaptures();
afterAll(() => captures.remove());

const { client: CLIENT_ID, server: SERVER_ID, rewrittenClient: REWRITTEN } = DATA_CALL_IDS;
const ONLY = [callIdMismatch];

/** Outgoing-Call-Request with the client's ID and a reply that answers `answers`. */
function callWithReply(conv: PptpConversation, answers: number): void {
  conv.connect();
  startControlConnection(conv);
  conv.control("client", { type: Msg.OutgoingCallRequest, callId: CLIENT_ID, callSerialNumber: 1, minimumBps: 300, maximumBps: 1e8, bearerType: 3, framingType: 3, packetReceiveWindowSize: 64, phoneNumber: "" });
  conv.control("server", { type: Msg.OutgoingCallReply, callId: SERVER_ID, peerCallId: answers, resultCode: 1, connectSpeed: 1e8, packetReceiveWindowSize: 64 });
}

describe("call-id-mismatch", () => {
  it("is registered (fails until the main session adds it to RULES)", () => {
    expect(RULES).toContain(callIdMismatch);
  });

  // nat-call-id-rewrite: 6 Outgoing-Call-Request with 0x4a10; the server's GRE with 0xc350 in frames 10, 11, 13, 14, 16, 17
  it("GRE towards the client with the NAT's call ID, not the one the client announced: error with the request and the GRE's first and last frame", async () => {
    const report = await captures.analyze(natCallIdRewriteRecords(), ONLY);
    const finding = theFinding(report, "call-id-mismatch");
    expect(finding.severity).toBe("error");
    expect(finding.frames).toEqual([6, 10, 17]);
    expect(finding.detail).toBe("advertised 18960, GRE carries 50000");
    expect(finding.message).toContain("GRE from 198.51.100.20 to 192.168.1.20 carries call ID 50000 (0xc350), but the client announced call ID 18960 (0x4a10)");
    expect(finding.message).toContain("in the Outgoing-Call-Request (frame 6): 6 GRE packets (LCP), frame 10 to 17");
    expect(finding.remedy).toContain("nf_nat_pptp");
    expect(report.sessions[0].findings).toEqual([finding]);
  });

  it("rewrittenGreFlows places the orphan flow in its session, so unknown-call-id and gre-blocked can leave it to this rule", async () => {
    let seen: Array<{ from: string; to: string; callId: number; session: string; toward: string; advertised: number; rewritten: boolean }> = [];
    const spy: Rule = {
      code: "spy",
      severity: "info",
      explain: { meaning: "", onTheWire: "", remedy: "" },
      capture: (capture) => {
        seen = rewrittenGreFlows(capture).map((r) => ({
          from: r.orphan.from,
          to: r.orphan.to,
          callId: r.orphan.callId,
          session: r.facts.session.id,
          toward: r.toward,
          advertised: r.advertised,
          rewritten: isRewrittenGre(r.orphan, capture),
        }));
        return [];
      },
    };
    await captures.analyze(natCallIdRewriteRecords(), [spy]);
    expect(seen).toEqual([{ from: "198.51.100.20", to: "192.168.1.20", callId: 0xc350, session: "s1", toward: "client", advertised: 0x4a10, rewritten: true }]);
  });

  // Captured at the server: the client's GRE carries 0x6002 (client LCP requests in frames 9, 12, 15), the Outgoing-Call-Reply (frame 7) said 0x6001
  it("GRE towards the server with another ID than the Outgoing-Call-Reply gave", async () => {
    const records = natCallIdRewriteRecords({ client: DATA_ADDRESSES.client, clientCallId: CLIENT_ID, serverCallId: 0x6002 });
    const finding = theFinding(await captures.analyze(records, ONLY), "call-id-mismatch");
    expect(finding.severity).toBe("error");
    expect(finding.frames).toEqual([7, 9, 15]);
    expect(finding.message).toContain("GRE from 192.0.2.20 to 198.51.100.20 carries call ID 24578 (0x6002), but the server announced call ID 24577 (0x6001)");
    expect(finding.message).toContain("in the Outgoing-Call-Reply (frame 7): 3 GRE packets (LCP), frame 9 to 15");
  });

  // 6 Outgoing-Call-Request, 7 Reply, 8 Set-Link-Info naming 0x6002
  it("Set-Link-Info naming an ID no call has", async () => {
    const records = scripted((conv) => {
      conv.connect();
      startControlConnection(conv);
      conv.control("client", { type: Msg.OutgoingCallRequest, callId: CLIENT_ID, callSerialNumber: 1, minimumBps: 300, maximumBps: 1e8, bearerType: 3, framingType: 3, packetReceiveWindowSize: 64, phoneNumber: "" });
      conv.control("server", { type: Msg.OutgoingCallReply, callId: SERVER_ID, peerCallId: CLIENT_ID, resultCode: 1, connectSpeed: 1e8, packetReceiveWindowSize: 64 });
      conv.control("client", { type: Msg.SetLinkInfo, peerCallId: 0x6002, sendAccm: 0xffffffff, receiveAccm: 0xffffffff });
      negotiatePpp(conv, { ...SESSION, random: new SeededRandom(3) });
      clearCall(conv, CLIENT_ID, SERVER_ID);
    });
    const report = await captures.analyze(records, ONLY);
    const finding = theFinding(report, "call-id-mismatch");
    expect(finding.severity).toBe("error");
    expect(finding.frames).toEqual([6, 7, 8]);
    expect(finding.detail).toBe("Set-Link-Info names 24578");
    expect(finding.message).toContain("The Set-Link-Info from the client (frame 8) names call ID 24578 (0x6002), which no call on this control connection has");
    expect(finding.message).toContain("RFC 2637 puts the server's call ID here, 24577 (0x6001)");
    expect(report.sessions[0].outcome).toBe("established");
  });

  // 1-8 call set-up (6 request, 7 reply), 9-27 PPP, 28 Call-Clear-Request naming 0x4a11
  it("Call-Clear-Request naming another call ID", async () => {
    const records = scripted((conv) => {
      establishCall(conv, CLIENT_ID, SERVER_ID);
      negotiatePpp(conv, { ...SESSION, random: new SeededRandom(4) });
      clearCall(conv, 0x4a11, SERVER_ID);
    });
    const finding = theFinding(await captures.analyze(records, ONLY), "call-id-mismatch");
    expect(finding.frames).toEqual([6, 7, 28]);
    expect(finding.message).toContain("The Call-Clear-Request from the client (frame 28) names call ID 18961 (0x4a11)");
    expect(finding.message).toContain("RFC 2637 puts the client's call ID here, 18960 (0x4a10)");
  });

  // 6 Outgoing-Call-Request with 0x4a10, 7 Outgoing-Call-Reply answering 0x4a11
  it("a reply that answers another call ID than the request's: once, on the request's session", async () => {
    const report = await captures.analyze(scripted((conv) => callWithReply(conv, 0x4a11)), ONLY);
    const finding = theFinding(report, "call-id-mismatch");
    expect(finding.frames).toEqual([6, 7]);
    expect(finding.message).toContain("The Outgoing-Call-Reply from the server (frame 7) answers call ID 18961 (0x4a11), but the Outgoing-Call-Request it replies to (frame 6) carried call ID 18960 (0x4a10)");
    const owner = report.sessions.find((s) => s.findings.length > 0);
    expect(owner?.clientCallId).toBe(CLIENT_ID);
  });

  // first call: Outgoing-Call-Request at frame 6 (port 50001); second: at frame 53 (port 50002), both call ID 1
  it("two clients behind one NAT address with the same call ID at once: an error on each, citing both requests", async () => {
    const report = await captures.analyze(twoClientsSameCallIdRecords(), ONLY);
    expect(report.sessions.map((s) => s.clientPort)).toEqual([50001, 50002]);
    const [first, second] = report.sessions.map((s) => s.findings);
    expect(first).toHaveLength(1);
    expect(second).toHaveLength(1);
    for (const finding of [first[0], second[0]]) {
      expect(finding.severity).toBe("error");
      expect(finding.frames).toEqual([6, 53]);
      expect(finding.message).toContain("Two calls from 203.0.113.77 to 198.51.100.20 use the same client call ID 1 (0x0001) at the same time");
    }
    expect(first[0].message).toContain("this one from 203.0.113.77:50001 (frame 6) and the one from 203.0.113.77:50002 (frame 53)");
    expect(first[0].detail).toBe("client call ID 1 also used from port 50002");
    expect(second[0].detail).toBe("client call ID 1 also used from port 50001");
  });

  it("the same call IDs from one address on two connections at once fire; one after the other they do not", async () => {
    // each data session takes about 8 ms: the second starts 1 ms after the first, or a minute later
    const first = dataSessionRecords([], { clientPort: 50001 });
    const overlapping = await captures.analyze(mergedByTime(first, dataSessionRecords([], { clientPort: 50002, startNsec: 1_000_000, clientIsn: 7000 })), ONLY);
    // they share both IDs: each session gets a finding for the client's and one for the server's
    expect(findingsOf(overlapping, "call-id-mismatch").map((f) => f.detail)).toEqual([
      `client call ID ${CLIENT_ID} also used from port 50002`,
      `server call ID ${SERVER_ID} also used from port 50002`,
      `client call ID ${CLIENT_ID} also used from port 50001`,
      `server call ID ${SERVER_ID} also used from port 50001`,
    ]);
    const sequential = await captures.analyze(mergedByTime(first, dataSessionRecords([], { clientPort: 50002, startSec: START_SEC + 60 })), ONLY);
    expect(sequential.sessions).toHaveLength(2);
    expect(findingsOf(sequential, "call-id-mismatch")).toEqual([]);
  });

  it("ten calls from one NAT address with the same IDs at once: one finding per shared ID and session, eight others named, the rest counted", async () => {
    const report = await captures.analyze(natCallsSameIdsRecords(), ONLY);
    const nat = DATA_ADDRESSES.natPublic;
    expect(report.sessions.map((s) => s.clientPort)).toEqual(Array.from({ length: NAT_SHARING_CALLS }, (_, i) => 50001 + i));
    for (const session of report.sessions) expect(session.findings.map((f) => f.code)).toEqual(["call-id-mismatch", "call-id-mismatch"]);
    // five frames of each call (0.2 ms apart, the calls 10 us apart) come before the first
    // Outgoing-Call-Request, its sixth: call i's request is frame 51 + i
    const [clientId, serverId] = report.sessions[0].findings;
    expect(clientId.message).toContain(
      `10 calls from ${nat} to 198.51.100.20 use the same client call ID ${CLIENT_ID} (0x4a10) at the same time: ` +
        `this one from ${nat}:50001 (frame 51) and the ones from ${nat}:50002 (frame 52), `,
    );
    expect(clientId.message).toContain(`${nat}:50009 (frame 59), and 1 more.`);
    expect(clientId.detail).toBe(`client call ID ${CLIENT_ID} also used from ports 50002, 50003, 50004, 50005, 50006, 50007, 50008, 50009, and 1 more`);
    expect(serverId.detail).toBe(`server call ID ${SERVER_ID} also used from ports 50002, 50003, 50004, 50005, 50006, 50007, 50008, 50009, and 1 more`);
    // this call's request and the eight named ones
    expect(clientId.frames).toEqual([51, 52, 53, 54, 55, 56, 57, 58, 59]);
    expect(report.sessions[9].findings[0].detail).toBe(`client call ID ${CLIENT_ID} also used from ports 50001, 50002, 50003, 50004, 50005, 50006, 50007, 50008, and 1 more`);
  });

  describe("near misses", () => {
    it("GRE with another call ID from an address that is not the server's stays unknown-call-id", async () => {
      const records = natCallIdRewriteRecords({ serverGreAddress: "203.0.113.9" });
      const report = await captures.analyze(records, [callIdMismatch, unknownCallId]);
      expect(findingsOf(report, "call-id-mismatch")).toEqual([]);
      expect(theFinding(report, "unknown-call-id").message).toContain("from 203.0.113.9 to 192.168.1.20 carry call ID 50000");
    });

    it("GRE with another call ID that began before the call was set up belongs to another tunnel", async () => {
      // an older tunnel between the same addresses, its control connection not in the capture
      const old = scripted(
        (conv) => {
          conv.ppp("server", PppProtocol.LCP, echoPacket(Code.EchoRequest, 1, 0x01020304));
          conv.wait(1);
          conv.ppp("server", PppProtocol.LCP, echoPacket(Code.EchoRequest, 2, 0x01020304));
        },
        { clientCallId: REWRITTEN, startSec: START_SEC - 10 },
      );
      const report = await captures.analyze(mergedByTime(old, dataSessionRecords([{ client: { size: 100 }, server: { size: 100 } }])), [callIdMismatch, unknownCallId]);
      expect(findingsOf(report, "call-id-mismatch")).toEqual([]);
      expect(findingsOf(report, "unknown-call-id")).toHaveLength(1);
    });

    it("GRE with another call ID beside the call's own GRE: only a warning, saying why", async () => {
      // the stray GRE starts 5 ms in, after the call's set-up (frames 1-8 take 1.6 ms) and during its PPP
      const stray = scripted((conv) => conv.ppp("server", PppProtocol.LCP, echoPacket(Code.EchoRequest, 1, 0x01020304)), {
        clientCallId: REWRITTEN,
        startNsec: 5_000_000,
      });
      const report = await captures.analyze(mergedByTime(dataSessionRecords([]), stray), ONLY);
      const finding = theFinding(report, "call-id-mismatch");
      expect(finding.severity).toBe("warning");
      expect(finding.message).toContain("Not certain:");
      expect(finding.message).toContain("another tunnel between the same addresses");
    });

    it("Set-Link-Info from the server and a Call-Disconnect-Notify naming the client's ID name the call: no finding", async () => {
      const records = scripted((conv) => {
        establishCall(conv, CLIENT_ID, SERVER_ID);
        conv.control("server", { type: Msg.SetLinkInfo, peerCallId: CLIENT_ID, sendAccm: 0, receiveAccm: 0 });
        negotiatePpp(conv, { ...SESSION, random: new SeededRandom(5) });
        clearCall(conv, CLIENT_ID, CLIENT_ID);
      });
      expect(findingsOf(await captures.analyze(records, ONLY), "call-id-mismatch")).toEqual([]);
    });

    it("a capture that starts after the Outgoing-Call-Request does not judge the messages that follow", async () => {
      const records = scripted((conv) => {
        establishCall(conv, CLIENT_ID, SERVER_ID);
        negotiatePpp(conv, { ...SESSION, random: new SeededRandom(6) });
        clearCall(conv, 0x4a11, SERVER_ID);
      });
      // frames 1-6 (the handshake, Start-Control-Connection and the request) are not in the capture
      expect(findingsOf(await captures.analyze(records.slice(6), ONLY), "call-id-mismatch")).toEqual([]);
    });

    it("three clients on different addresses with the same call ID to one server: no finding", async () => {
      const report = await captures.analyze(severalSessionsRecords(), ONLY);
      expect(report.sessions.map((s) => s.clientCallId)).toEqual([1, 1, 1]);
      expect(findingsOf(report, "call-id-mismatch")).toEqual([]);
    });

    it("the healthy fixture gives none", async () => {
      const report = await analyzeWithRules(["fixtures/healthy.pcap"], ONLY);
      expect(findingsOf(report, "call-id-mismatch")).toEqual([]);
    });
  });
});

const expected: Record<string, { sessions?: Array<{ forbidden?: string[]; findings?: Array<{ code: string }> }> }> = hasPublicCaptures
  ? JSON.parse(readFileSync(join(PUBLIC_CAPTURES, "expected.json"), "utf8")).captures
  : {};

describe.skipIf(!hasPublicCaptures)("call-id-mismatch on the public captures", () => {
  it.each(Object.keys(expected))("%s: only where expected.json asks for it", async (name) => {
    const report = await analyzeWithRules([join(PUBLIC_CAPTURES, name)], ONLY);
    const wanted = (expected[name].sessions ?? []).some((s) => (s.findings ?? []).some((f) => f.code === "call-id-mismatch"));
    expect(findingsOf(report, "call-id-mismatch").length > 0).toBe(wanted);
  });
});
