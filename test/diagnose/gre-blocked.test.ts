/**
 * gre-blocked: a call set up on the control channel, and no GRE back from the peer at all.
 * Frame numbers follow from the scripts in src/synth/scenarios-reachability.ts: 1-3 TCP
 * handshake, 4 SCCRQ, 5 SCCRP, 6 Outgoing-Call-Request, 7 Outgoing-Call-Reply, 8
 * Set-Link-Info, then the tunnel.
 */
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { greBlocked } from "../../src/diagnose/gre-blocked.js";
import { RULES } from "../../src/diagnose/index.js";
import { establishCall } from "../../src/synth/sessions.js";
import { ControlCode as Code } from "../../src/decode/ppp/control-packet.js";
import { PppProtocol } from "../../src/decode/ppp/protocols.js";
import { configurePacket, lcpOption } from "../../src/synth/ppp-control.js";
import type { SynthRecord } from "../../src/synth/pcap-writer.js";
import { greBlockedRecords, lcpUnansweredRecords, wrongInterfaceRecords } from "../../src/synth/scenarios-reachability.js";
import { hasPublicCaptures, PUBLIC_CAPTURES } from "../helpers.js";
import { analyzeFile, analyzeRecords, conversationInto, findingsOf, HEALTHY_FIXTURE, removeCaptures } from "./reachability-captures.js";

afterAll(removeCaptures);

describe("gre-blocked", () => {
  it("is registered (fails until the main session adds it to RULES)", () => {
    expect(RULES).toContain(greBlocked);
  });

  it("fires when the client sends GRE and nothing comes back", async () => {
    const report = await analyzeRecords(greBlockedRecords());
    const [finding, ...more] = findingsOf(report, "gre-blocked");
    expect(more).toEqual([]);
    expect(finding.severity).toBe("error");
    // 7 Outgoing-Call-Reply, 9 and 18 the client's first and tenth LCP request, 19 Call-Clear-Request
    expect(finding.frames).toEqual([7, 9, 18, 19]);
    // call IDs 0x2a10 = 10768 (client), 0x4001 = 16385 (server)
    expect(finding.message).toContain("192.0.2.10:49200 to 198.51.100.1 (client call ID 10768, server call ID 16385)");
    expect(finding.message).toContain("the client sent 10 GRE packets (its LCP Configure-Requests), frames 9 to 18");
    expect(finding.message).toContain("no GRE packet with the client's call ID 10768 came from 198.51.100.1 or any other address");
    expect(finding.message).toContain("Call-Clear-Request (frame 19)");
    expect(finding.remedy).toMatch(/protocol 47/);
    expect(report.sessions[0].findings.map((f) => f.code)).toEqual(["gre-blocked"]);
  });

  it("does not judge a capture that ends right after the call was set up", async () => {
    const records: SynthRecord[] = [];
    establishCall(conversationInto(records), 0x2a10, 0x4001); // ends with Set-Link-Info, 200 µs after the reply
    const report = await analyzeRecords(records);
    expect(report.sessions[0].outcome).toBe("incomplete");
    expect(findingsOf(report, "gre-blocked")).toEqual([]);
  });

  it("does not fire when GRE comes back, from another address or without PPP answers", async () => {
    for (const records of [wrongInterfaceRecords(), lcpUnansweredRecords()]) {
      const report = await analyzeRecords(records);
      expect(report.sessions[0].gre.toClient.packets).toBeGreaterThan(0);
      expect(findingsOf(report, "gre-blocked")).toEqual([]);
    }
  });

  it("does not fire when the server's GRE comes back under a call ID the control channel never named", async () => {
    // a NAT rewrote the client's call ID 0x2a10 towards the server and not back: the server's GRE carries 0xc350
    const records: SynthRecord[] = [];
    const conv = conversationInto(records, { clientCallId: 0xc350 });
    establishCall(conv, 0x2a10, 0x4001);
    for (let r = 1; r <= 3; r++) {
      conv.ppp("client", PppProtocol.LCP, configurePacket(Code.ConfigureRequest, r, [lcpOption.mru(1400)]));
      conv.ppp("server", PppProtocol.LCP, configurePacket(Code.ConfigureAck, r, [lcpOption.mru(1400)]));
      conv.wait(3);
    }
    const report = await analyzeRecords(records);
    expect(report.sessions[0].gre.toClient.packets).toBe(0);
    expect(findingsOf(report, "gre-blocked")).toEqual([]);
  });

  it("does not fire on the healthy fixture", async () => {
    const report = await analyzeFile(HEALTHY_FIXTURE);
    expect(findingsOf(report, "gre-blocked")).toEqual([]);
  });
});

describe.skipIf(!hasPublicCaptures)("gre-blocked on the public captures", () => {
  it("tcpdump-pptp.pcap: the client's one LCP request (frame 16), no GRE from 10.1.1.10, the server's FIN (frame 19)", async () => {
    const report = await analyzeFile(join(PUBLIC_CAPTURES, "tcpdump-pptp.pcap"));
    const [finding, ...more] = findingsOf(report, "gre-blocked");
    expect(more).toEqual([]);
    expect(finding.severity).toBe("error");
    // MANIFEST: f13 Outgoing-Call-Reply result 1, f16 the only GRE (client to server), f19 FIN from 10.1.1.10
    expect(finding.frames).toEqual([13, 16, 19]);
    expect(finding.message).toContain("the server ended it with TCP FIN (frame 19)");
  });

  it("ndpi-pptp.pcap: no GRE in either direction, so only a warning that says why", async () => {
    const report = await analyzeFile(join(PUBLIC_CAPTURES, "ndpi-pptp.pcap"));
    const [finding, ...more] = findingsOf(report, "gre-blocked");
    expect(more).toEqual([]);
    expect(finding.severity).toBe("warning");
    // tshark: f10 Outgoing-Call-Reply (result 1), f16 Call-Clear-Request from the client
    expect(finding.frames).toEqual([10, 16]);
    expect(finding.message).toContain("no GRE packet of it at all");
    expect(finding.message).toContain("tcp port 1723");
  });
});
