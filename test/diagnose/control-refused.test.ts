/** control-refused: the control port answered with a TCP reset. */
import { afterAll, describe, expect, it } from "vitest";
import { controlRefused } from "../../src/diagnose/control-refused.js";
import { RULES } from "../../src/diagnose/index.js";
import { PptpMessageType as Msg } from "../../src/decode/pptp.js";
import type { SynthRecord } from "../../src/synth/pcap-writer.js";
import { controlResetRecords, synUnansweredRecords } from "../../src/synth/scenarios-reachability.js";
import { startControlConnection } from "../../src/synth/sessions.js";
import { analyzeFile, analyzeRecords, conversationInto, findingsOf, HEALTHY_FIXTURE, removeCaptures } from "./reachability-captures.js";

afterAll(removeCaptures);

describe("control-refused", () => {
  it("is registered (fails until the main session adds it to RULES)", () => {
    expect(RULES).toContain(controlRefused);
  });

  it("fires when every SYN is answered by a reset", async () => {
    const report = await analyzeRecords(controlResetRecords());
    const [finding, ...more] = findingsOf(report, "control-refused");
    expect(more).toEqual([]);
    expect(finding.severity).toBe("error");
    // SYNs 1, 3, 5 and the resets 2, 4, 6
    expect(finding.frames).toEqual([1, 2, 3, 4, 5, 6]);
    expect(finding.message).toContain("from 192.0.2.10:49200 to 198.51.100.1:1723 was refused");
    expect(finding.message).toContain("each of the client's 3 SYNs was answered by a TCP reset from 198.51.100.1 (frames 2, 4, 6)");
    expect(report.sessions[0].outcome).toBe("failed");
  });

  it("names a firewall that resets in the server's place", async () => {
    const records: SynthRecord[] = [];
    const conv = conversationInto(records, { serverReplyAddress: "203.0.113.1", serverIsn: 0 });
    conv.syn();
    conv.reset("server");
    const [finding] = findingsOf(await analyzeRecords(records), "control-refused");
    expect(finding.frames).toEqual([1, 2]);
    expect(finding.message).toContain("the client's SYN was answered by a TCP reset from 203.0.113.1, not the dialed 198.51.100.1");
  });

  it("fires when the server resets the connection before any PPTP reply", async () => {
    const records: SynthRecord[] = [];
    const conv = conversationInto(records);
    conv.connect(); // 1-3
    conv.control("client", { type: Msg.StartControlConnectionRequest, hostName: "client", vendor: "test" }); // 4
    conv.reset("server"); // 5
    const [finding, ...more] = findingsOf(await analyzeRecords(records), "control-refused");
    expect(more).toEqual([]);
    expect(finding.frames).toEqual([1, 2, 5]);
    expect(finding.message).toContain("198.51.100.1:1723 accepted the TCP connection from 192.0.2.10:49200 (SYN-ACK, frame 2) but reset it");
    expect(finding.message).toContain("frame 5");
  });

  it("does not fire on a reset after the server's Start-Control-Connection-Reply, a client's reset, no answer, or a healthy session", async () => {
    const afterReply: SynthRecord[] = [];
    const answered = conversationInto(afterReply);
    answered.connect();
    startControlConnection(answered);
    answered.reset("server");
    const clientReset: SynthRecord[] = [];
    const aborted = conversationInto(clientReset);
    aborted.connect();
    aborted.reset("client");
    for (const records of [afterReply, clientReset, synUnansweredRecords()]) {
      expect(findingsOf(await analyzeRecords(records), "control-refused")).toEqual([]);
    }
    expect(findingsOf(await analyzeFile(HEALTHY_FIXTURE), "control-refused")).toEqual([]);
  });
});
