/**
 * reply-from-other-address (KB Q169831): replies for the session from another address
 * than the one dialed. The client 192.0.2.10 dials 198.51.100.1; 203.0.113.5 is another
 * interface of the server.
 */
import { afterAll, describe, expect, it } from "vitest";
import { RULES } from "../../src/diagnose/index.js";
import { replyFromOtherAddress } from "../../src/diagnose/reply-from-other-address.js";
import type { SynthRecord } from "../../src/synth/pcap-writer.js";
import { SeededRandom } from "../../src/synth/random.js";
import { wrongInterfaceRecords, wrongInterfaceSynAckRecords } from "../../src/synth/scenarios-reachability.js";
import { healthySession } from "../../src/synth/sessions.js";
import { analyzeFile, analyzeRecords, conversationInto, findingsOf, HEALTHY_FIXTURE, removeCaptures, START_SEC } from "./reachability-captures.js";

afterAll(removeCaptures);

const OTHER = "203.0.113.5";

describe("reply-from-other-address", () => {
  it("is registered (fails until the main session adds it to RULES)", () => {
    expect(RULES).toContain(replyFromOtherAddress);
  });

  it("names the dialed address and the one the GRE came from, counts its packets and recommends it", async () => {
    const report = await analyzeRecords(wrongInterfaceRecords());
    const [finding, ...more] = findingsOf(report, "reply-from-other-address");
    expect(more).toEqual([]);
    expect(finding.severity).toBe("error");
    expect(finding.recommended).toBe(OTHER);
    // 1 the SYN to the dialed address, 10 the first GRE from 203.0.113.5 (the server's first LCP request)
    expect(finding.frames).toEqual([1, 10]);
    // ten rounds, each with the server's Configure-Request and Configure-Ack: 20 GRE packets; call ID 0x2a10 = 10768
    expect(finding.message).toContain("The client 192.0.2.10:49200 dialed 198.51.100.1");
    expect(finding.message).toContain("the GRE carrying its call ID 10768 came from 203.0.113.5 (20 packets, the first in frame 10), none from 198.51.100.1");
    expect(finding.message).toContain("KB Q169831");
  });

  it("reports SYN-ACKs from another address, with every one as evidence", async () => {
    const report = await analyzeRecords(wrongInterfaceSynAckRecords());
    expect(report.sessions).toHaveLength(1);
    const [finding, ...more] = findingsOf(report, "reply-from-other-address");
    expect(more).toEqual([]);
    expect(finding.severity).toBe("error");
    expect(finding.recommended).toBe(OTHER);
    // SYNs 1, 3, 5; SYN-ACKs from 203.0.113.5 in 2, 4, 6
    expect(finding.frames).toEqual([1, 2, 4, 6]);
    expect(finding.message).toContain("the 3 SYN-ACKs answering its SYN to 198.51.100.1:1723 came from 203.0.113.5 (frames 2, 4, 6), none from 198.51.100.1");
  });

  it("is only a warning when the session came up anyway", async () => {
    const records: SynthRecord[] = [];
    healthySession(conversationInto(records, { serverGreAddress: OTHER }), 0x2a10, 0x4001, {
      userName: "alice",
      clientTunnelAddress: "10.8.0.2",
      serverTunnelAddress: "10.8.0.1",
      dataFrames: 2,
      minDataBytes: 60,
      maxDataBytes: 200,
      random: new SeededRandom(3),
    });
    const report = await analyzeRecords(records);
    expect(report.sessions[0].outcome).toBe("established");
    const [finding] = findingsOf(report, "reply-from-other-address");
    expect(finding.severity).toBe("warning");
    expect(finding.recommended).toBe(OTHER);
    expect(finding.message).toContain("The session still came up");
  });

  it("does not take a SYN-ACK to another client port for the session's", async () => {
    const records: SynthRecord[] = [];
    const dialing = conversationInto(records);
    dialing.connect();
    // 203.0.113.5 answers some other connection of the client: port 49201, not 49200
    conversationInto(records, { clientPort: 49201, serverReplyAddress: OTHER, startSec: START_SEC + 1 }).synAck();
    const report = await analyzeRecords(records);
    expect(report.sessions.find((s) => s.clientPort === 49200)?.serverAddresses).toEqual(["198.51.100.1"]);
    expect(findingsOf(report, "reply-from-other-address")).toEqual([]);
  });

  it("does not take a SYN-ACK to the same port for the session's when it acknowledges another SYN", async () => {
    const records: SynthRecord[] = [];
    conversationInto(records, { clientIsn: 1000 }).syn();
    // a SYN-ACK from 203.0.113.5 to port 49200 acknowledging 777777 (no SYN of this conversation is sent), not the client's ISN + 1 = 1001
    conversationInto(records, { clientIsn: 777777, serverReplyAddress: OTHER, startSec: START_SEC + 1 }).synAck();
    const report = await analyzeRecords(records);
    const session = report.sessions.find((s) => s.dialed === "198.51.100.1");
    expect(session?.serverAddresses).toEqual([]);
    expect(findingsOf(report, "reply-from-other-address")).toEqual([]);
  });

  it("does not fire on the healthy fixture", async () => {
    expect(findingsOf(await analyzeFile(HEALTHY_FIXTURE), "reply-from-other-address")).toEqual([]);
  });
});
