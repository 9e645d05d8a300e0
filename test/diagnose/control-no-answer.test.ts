/** control-no-answer: SYNs to the control port that nothing answered. */
import { afterAll, describe, expect, it } from "vitest";
import { controlNoAnswer } from "../../src/diagnose/control-no-answer.js";
import { RULES } from "../../src/diagnose/index.js";
import type { SynthRecord } from "../../src/synth/pcap-writer.js";
import { controlResetRecords, synUnansweredRecords, wrongInterfaceSynAckRecords } from "../../src/synth/scenarios-reachability.js";
import { analyzeFile, analyzeRecords, conversationInto, findingsOf, HEALTHY_FIXTURE, removeCaptures, START_SEC } from "./reachability-captures.js";

afterAll(removeCaptures);

/** One SYN from 192.0.2.10:49200, then a frame of another client `after` seconds later, which ends the capture. */
function oneSynThen(after: number): SynthRecord[] {
  const records: SynthRecord[] = [];
  conversationInto(records).syn();
  const whole = Math.floor(after);
  conversationInto(records, { client: "192.0.2.77", startSec: START_SEC + whole, startNsec: Math.round((after - whole) * 1e9) }).syn();
  return records;
}

describe("control-no-answer", () => {
  it("is registered (fails until the main session adds it to RULES)", () => {
    expect(RULES).toContain(controlNoAnswer);
  });

  it("fires on three unanswered SYNs, listing them", async () => {
    const report = await analyzeRecords(synUnansweredRecords());
    const [finding, ...more] = findingsOf(report, "control-no-answer");
    expect(more).toEqual([]);
    expect(finding.severity).toBe("error");
    expect(finding.frames).toEqual([1, 2, 3]);
    // SYNs at 0, 3.0002 and 9.0004 s (3 s, then 6 s of back-off plus the 200 µs frame step)
    expect(finding.message).toContain("The client 192.0.2.10:49200 sent 3 SYNs to 198.51.100.1:1723 over 9.0 s (frames 1-3)");
    expect(finding.message).toContain("no SYN-ACK, no reset");
    expect(report.sessions[0].outcome).toBe("failed");
  });

  it("is a warning, and says why, when the capture ends before a retransmission was due", async () => {
    const report = await analyzeRecords(oneSynThen(0.5));
    const findings = findingsOf(report, "control-no-answer").filter((f) => f.message.includes("192.0.2.10:49200"));
    expect(findings).toHaveLength(1);
    expect(findings[0].severity).toBe("warning");
    expect(findings[0].frames).toEqual([1]);
    expect(findings[0].message).toContain("the capture ends 0.5 s later");
  });

  it("is an error for a single SYN when the capture went on long enough", async () => {
    const report = await analyzeRecords(oneSynThen(5));
    const [finding] = findingsOf(report, "control-no-answer").filter((f) => f.message.includes("192.0.2.10:49200"));
    expect(finding.severity).toBe("error");
    expect(finding.message).toContain("sent 1 SYN to 198.51.100.1:1723 (frame 1)");
  });

  it("does not fire when the SYN was answered, from another address or by a reset", async () => {
    for (const records of [wrongInterfaceSynAckRecords(), controlResetRecords()]) {
      expect(findingsOf(await analyzeRecords(records), "control-no-answer")).toEqual([]);
    }
    expect(findingsOf(await analyzeFile(HEALTHY_FIXTURE), "control-no-answer")).toEqual([]);
  });
});
