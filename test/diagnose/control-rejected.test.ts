import { afterAll, describe, expect, it } from "vitest";
import { allFindings } from "../../src/analyze.js";
import { controlRejected } from "../../src/diagnose/control-rejected.js";
import { RULES } from "../../src/diagnose/index.js";
import { callRejectedRecords, controlRejectedRecords } from "../../src/synth/scenarios-negotiation.js";
import { CaptureFolder, NEGOTIATION_RULES, onlyFinding } from "./negotiation-captures.js";

const folder = new CaptureFolder();
afterAll(() => folder.remove());

describe("control-rejected", () => {
  it("is registered (fails until the main session adds it to RULES)", () => {
    expect(RULES).toContain(controlRejected);
  });

  // Frames of controlRejectedRecords: 1-3 handshake, 4 Start-Control-Connection-Request, 5 the Reply, 6-8 TCP close.
  it("names result 2 general error with its error code 4 no-resource, citing the request and the reply", async () => {
    const report = await folder.fixture("control-rejected.pcap", [controlRejected]);
    const finding = onlyFinding(report, "control-rejected");
    expect(finding).toMatchObject({
      severity: "error",
      frames: [4, 5],
      detail: "result 2 (general error), error code 4 (no-resource)",
    });
    expect(finding.message).toContain("198.51.100.1 refused the PPTP control connection from 192.0.2.10:49300");
    expect(finding.message).toContain("(frame 5)");
    expect(finding.remedy).toContain("no-resource");
    expect(report.sessions[0].findings).toEqual([finding]);
  });

  // RFC 2637 §2.2: 3 command channel already exists, 4 requester not authorized, 5 unsupported protocol version;
  // the error code is only named with a general error (§2.16).
  it.each([
    [3, "result 3 (command channel already exists)", "stale"],
    [4, "result 4 (requester not authorized)", "Allow the client's address"],
    [5, "result 5 (unsupported protocol version)", "version 1.0"],
  ])("result %i: %s", async (result, detail, remedy) => {
    const report = await folder.analyze(controlRejectedRecords({ result, error: 0 }), [controlRejected]);
    const finding = onlyFinding(report, "control-rejected");
    expect(finding.detail).toBe(detail);
    expect(finding.frames).toEqual([4, 5]);
    expect(finding.remedy).toContain(remedy);
  });

  it("an error code other than 0 is named even without a general error", async () => {
    const report = await folder.analyze(controlRejectedRecords({ result: 4, error: 6 }), [controlRejected]);
    expect(onlyFinding(report, "control-rejected").detail).toBe("result 4 (requester not authorized), error code 6 (pac-error)");
  });

  it("a successful Start-Control-Connection-Reply gives nothing (the call refused later is another code)", async () => {
    const report = await folder.analyze(callRejectedRecords({ result: 4 }), NEGOTIATION_RULES);
    expect(allFindings(report).map((f) => f.code)).toEqual(["call-rejected"]);
  });
});
