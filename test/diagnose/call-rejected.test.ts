import { afterAll, describe, expect, it } from "vitest";
import { allFindings } from "../../src/analyze.js";
import { callRejected } from "../../src/diagnose/call-rejected.js";
import { RULES } from "../../src/diagnose/index.js";
import { callRejectedRecords, controlRejectedRecords, incomingCallDeclinedRecords } from "../../src/synth/scenarios-negotiation.js";
import { CaptureFolder, NEGOTIATION_RULES, onlyFinding } from "./negotiation-captures.js";

const folder = new CaptureFolder();
afterAll(() => folder.remove());

describe("call-rejected", () => {
  it("is registered (fails until the main session adds it to RULES)", () => {
    expect(RULES).toContain(callRejected);
  });

  // Frames of callRejectedRecords: 1-3 handshake, 4-5 Start-Control-Connection, 6 Outgoing-Call-Request, 7 the Reply.
  it("Outgoing-Call-Reply result 4 busy: the request and the reply, the client's call ID", async () => {
    const report = await folder.fixture("call-rejected-busy.pcap", [callRejected]);
    const finding = onlyFinding(report, "call-rejected");
    expect(finding).toMatchObject({ severity: "error", frames: [6, 7], detail: "result 4 (busy)" });
    // client call ID 0x3a10 = 14864
    expect(finding.message).toContain("The server 198.51.100.1 refused the outgoing call of 192.0.2.10:49300 (client call ID 14864)");
    expect(finding.message).toContain("(frame 7)");
    expect(finding.remedy).toContain("PPTP port");
  });

  // RFC 2637 §2.8 result codes, §2.16 general error codes.
  it.each([
    [{ result: 2, error: 4 }, "result 2 (general error), error code 4 (no-resource)"],
    [{ result: 2, error: 5, cause: 16 }, "result 2 (general error), error code 5 (bad-call-id), cause code 16"],
    [{ result: 3 }, "result 3 (no carrier)"],
    [{ result: 5 }, "result 5 (no dial tone)"],
    [{ result: 6 }, "result 6 (time-out)"],
    [{ result: 7 }, "result 7 (do not accept)"],
  ])("%o: %s", async (codes, detail) => {
    const report = await folder.analyze(callRejectedRecords(codes), [callRejected]);
    const finding = onlyFinding(report, "call-rejected");
    expect(finding.detail).toBe(detail);
    expect(finding.frames).toEqual([6, 7]);
  });

  // Frames of incomingCallDeclinedRecords: 6 Incoming-Call-Request from the server, 7 the client's Incoming-Call-Reply.
  it("an incoming call the client declines (Incoming-Call-Reply result 3 do not accept)", async () => {
    const report = await folder.analyze(incomingCallDeclinedRecords(), [callRejected]);
    const finding = onlyFinding(report, "call-rejected");
    expect(finding.frames).toEqual([6, 7]);
    expect(finding.detail).toBe("result 3 (do not accept)");
    expect(finding.message).toContain("The client 192.0.2.10 declined the incoming call the server 198.51.100.1 offered");
  });

  it("a refused control connection has no call to reject", async () => {
    const report = await folder.analyze(controlRejectedRecords({ result: 4, error: 0 }), NEGOTIATION_RULES);
    expect(allFindings(report).map((f) => f.code)).toEqual(["control-rejected"]);
  });

  it("a connected call gives nothing", async () => {
    const report = await folder.fixture("mschapv2-691.pcap", [callRejected]);
    expect(allFindings(report)).toEqual([]);
  });
});
