/**
 * ppp-peer-not-responding: GRE comes back from the dialed server, but the client's LCP
 * Configure-Requests are never answered. Frames 1-8 of every call scenario: handshake,
 * SCCRQ, SCCRP, Outgoing-Call-Request/Reply, Set-Link-Info.
 */
import { afterAll, describe, expect, it } from "vitest";
import { RULES } from "../../src/diagnose/index.js";
import { pppPeerNotResponding } from "../../src/diagnose/ppp-peer-not-responding.js";
import { ControlCode as Code } from "../../src/decode/ppp/control-packet.js";
import { PppProtocol } from "../../src/decode/ppp/protocols.js";
import type { SynthRecord } from "../../src/synth/pcap-writer.js";
import { configurePacket, lcpOption } from "../../src/synth/ppp-control.js";
import { greBlockedRecords, lcpUnansweredRecords, wrongInterfaceRecords } from "../../src/synth/scenarios-reachability.js";
import { establishCall } from "../../src/synth/sessions.js";
import { analyzeFile, analyzeRecords, conversationInto, findingsOf, HEALTHY_FIXTURE, removeCaptures } from "./reachability-captures.js";

afterAll(removeCaptures);

const clientRequest = (id: number) => configurePacket(Code.ConfigureRequest, id, [lcpOption.mru(1400), lcpOption.magicNumber(0x0a0b0c0d)]);
const serverOptions = [lcpOption.authPap(), lcpOption.magicNumber(0x01020304)];

describe("ppp-peer-not-responding", () => {
  it("is registered (fails until the main session adds it to RULES)", () => {
    expect(RULES).toContain(pppPeerNotResponding);
  });

  it("fires when the server's GRE only acknowledges the client's LCP requests", async () => {
    const report = await analyzeRecords(lcpUnansweredRecords());
    const [finding, ...more] = findingsOf(report, "ppp-peer-not-responding");
    expect(more).toEqual([]);
    expect(finding.severity).toBe("error");
    // requests at 9 + 2r, the server's ack-only GRE at 10 + 2r (r = 0..9); 29 Call-Clear-Request
    expect(finding.frames).toEqual([9, 10, 27, 29]);
    expect(finding.message).toContain("the client's 10 LCP Configure-Requests (frames 9 to 27) got no Ack, Nak or Reject");
    expect(finding.message).toContain("10 GRE packets came back from 198.51.100.1 (the first in frame 10)");
    // the tenth request has GRE sequence number 9 (the first is 0), and the server acknowledged it
    expect(finding.message).toContain("acknowledges the client's GRE (up to sequence 9)");
    expect(report.sessions[0].findings.map((f) => f.code)).toEqual(["ppp-peer-not-responding"]);
  });

  it("says the client's GRE does not get through when the server sends LCP requests of its own", async () => {
    const records: SynthRecord[] = [];
    const conv = conversationInto(records);
    establishCall(conv, 0x2a10, 0x4001);
    for (let r = 1; r <= 4; r++) {
      conv.ppp("client", PppProtocol.LCP, clientRequest(r)); // 9 + 3(r-1)
      conv.ppp("server", PppProtocol.LCP, configurePacket(Code.ConfigureRequest, r, serverOptions)); // 10 + 3(r-1)
      conv.ppp("client", PppProtocol.LCP, configurePacket(Code.ConfigureAck, r, serverOptions)); // 11 + 3(r-1)
      conv.wait(3);
    }
    const [finding] = findingsOf(await analyzeRecords(records), "ppp-peer-not-responding");
    // first request 9, first server GRE 10, last request 9 + 3*3 = 18; no teardown in this capture
    expect(finding.frames).toEqual([9, 10, 18]);
    expect(finding.message).toContain("The server sent 4 LCP Configure-Requests of its own");
    expect(finding.message).toContain("the client's GRE does not reach the server's PPP");
  });

  it("waits for a re-send: one request answered by nothing but an acknowledgment, then the capture ends", async () => {
    const records: SynthRecord[] = [];
    const conv = conversationInto(records);
    establishCall(conv, 0x2a10, 0x4001);
    conv.ppp("client", PppProtocol.LCP, clientRequest(1));
    conv.greFrame("server", undefined);
    const report = await analyzeRecords(records);
    expect(report.sessions[0].gre.toClient.packets).toBe(1);
    expect(findingsOf(report, "ppp-peer-not-responding")).toEqual([]);
  });

  it("does not fire without GRE back, with GRE from another address, or on a healthy session", async () => {
    // no GRE back: gre-blocked; GRE from 203.0.113.5 only: reply-from-other-address
    for (const records of [greBlockedRecords(), wrongInterfaceRecords()]) {
      expect(findingsOf(await analyzeRecords(records), "ppp-peer-not-responding")).toEqual([]);
    }
    expect(findingsOf(await analyzeFile(HEALTHY_FIXTURE), "ppp-peer-not-responding")).toEqual([]);
  });
});
