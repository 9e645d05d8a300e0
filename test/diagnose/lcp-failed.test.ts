import { afterAll, describe, expect, it } from "vitest";
import { allFindings } from "../../src/analyze.js";
import { RULES } from "../../src/diagnose/index.js";
import { lcpFailed } from "../../src/diagnose/lcp-failed.js";
import { lcpAuthRefusedRecords, lcpNakLoopRecords, msChapV2FailureRecords } from "../../src/synth/scenarios-negotiation.js";
import { CaptureFolder, later, NEGOTIATION_RULES, onlyFinding } from "./negotiation-captures.js";

const folder = new CaptureFolder();
afterAll(() => folder.remove());

describe("lcp-failed", () => {
  it("is registered (fails until the main session adds it to RULES)", () => {
    expect(RULES).toContain(lcpFailed);
  });

  // Frames of lcpAuthRefusedRecords: 10 the server's Configure-Request (MS-CHAPv2), 12 the client's Nak, 13 the
  // server's Terminate-Request "Authentication protocol refused", 14 the Terminate-Ack.
  it("the authentication protocol refused by Nak, then the server's Terminate-Request: its text in detail", async () => {
    const report = await folder.fixture("lcp-auth-refused.pcap", [lcpFailed]);
    const finding = onlyFinding(report, "lcp-failed");
    expect(finding).toMatchObject({ severity: "error", frames: [10, 12, 13], detail: "Authentication protocol refused" });
    expect(finding.message).toContain(
      "The client 192.0.2.10 refused the authentication protocol the server 198.51.100.1 requires on the call from 192.0.2.10:49300 to 198.51.100.1",
    );
    expect(finding.message).toContain("it Nak'd MS-CHAPv2 and suggested PAP (frame 12)");
    expect(finding.message).toContain('LCP Terminate-Request "Authentication protocol refused" (frame 13)');
    expect(finding.remedy).toContain("MS-CHAP");
  });

  it("the authentication protocol refused by Configure-Reject", async () => {
    const report = await folder.analyze(lcpAuthRefusedRecords("reject"), [lcpFailed]);
    const finding = onlyFinding(report, "lcp-failed");
    expect(finding.frames).toEqual([10, 12, 13]);
    expect(finding.message).toContain("it Rejected MS-CHAPv2 (frame 12)");
  });

  it("a refusal the capture ends right after (no Terminate, nothing later) is only a warning, and says why", async () => {
    const records = lcpAuthRefusedRecords("nak").slice(0, 12);
    const finding = onlyFinding(await folder.analyze(records, [lcpFailed]), "lcp-failed");
    expect(finding.severity).toBe("warning");
    expect(finding.frames).toEqual([10, 12]);
    expect(finding.detail).toBe("MS-CHAPv2 Nak'd and suggested PAP");
    expect(finding.message).toContain("The capture ends less than 3 s later");
  });

  it("a refusal followed by 5 s of capture without another offer is an error", async () => {
    const records = lcpAuthRefusedRecords("nak").slice(0, 12);
    records.push(later(records[2], 5)); // frame 13: the client's handshake ACK again, 5 s on
    const finding = onlyFinding(await folder.analyze(records, [lcpFailed]), "lcp-failed");
    expect(finding.severity).toBe("error");
    expect(finding.frames).toEqual([10, 12]);
  });

  // Frames of lcpNakLoopRecords: the client's requests 9, 11, 13, 15, 17 and the server's Naks 10, 12, 14, 16, 18.
  it("an option Nak'd five times in a row (RFC 1661 Max-Failure) is an option loop, with the last suggestion", async () => {
    const finding = onlyFinding(await folder.analyze(lcpNakLoopRecords(), NEGOTIATION_RULES), "lcp-failed");
    expect(finding.severity).toBe("error");
    expect(finding.frames).toEqual([10, 12, 14, 16, 18]);
    expect(finding.detail).toBe("Maximum-Receive-Unit Nak'd 5 times in a row (last suggestion: 1500)");
    expect(finding.message).toContain("LCP never opened on the call from 192.0.2.10:49300 to 198.51.100.1");
    expect(finding.message).toContain("the server 198.51.100.1 Nak'd the Maximum-Receive-Unit option of the client 192.0.2.10 5 times in a row");
  });

  it("a Terminate-Request before LCP opened", async () => {
    const scenario = lcpAuthRefusedRecords("nak");
    // frames 9-10 the two Configure-Requests, then (frame 11) the server's Terminate-Request of the scenario's frame 13
    const records = [...scenario.slice(0, 10), scenario[12]];
    const finding = onlyFinding(await folder.analyze(records, [lcpFailed]), "lcp-failed");
    expect(finding).toMatchObject({ severity: "error", frames: [11], detail: "Authentication protocol refused" });
    expect(finding.message).toContain(
      'LCP never opened on the call from 192.0.2.10:49300 to 198.51.100.1 (client call ID 14864, server call ID 20481): the server 198.51.100.1 ended the link with LCP Terminate-Request "Authentication protocol refused" (frame 11)',
    );
  });

  // Frames of lcpTerminateMppeRecords: 18 the server's Terminate-Request, 19 the client's Terminate-Ack.
  it("LCP opened, then terminated before any data: the Terminate text quoted in detail", async () => {
    const report = await folder.fixture("lcp-terminate-mppe.pcap", [lcpFailed]);
    const finding = onlyFinding(report, "lcp-failed");
    expect(finding).toMatchObject({ severity: "error", frames: [18, 19], detail: "MPPE required but not available" });
    expect(finding.message).toContain('The server 198.51.100.1 ended the PPP link on the call from 192.0.2.10:49300 to 198.51.100.1');
    expect(finding.message).toContain("before it carried any data (LCP had opened and MS-CHAPv2 authentication had succeeded");
    expect(finding.remedy).toContain("MPPE");
  });

  it("a Terminate after a failed authentication is auth-failed's, not lcp-failed's", async () => {
    const report = await folder.fixture("mschapv2-691.pcap", NEGOTIATION_RULES);
    expect(report.sessions[0].ppp.lcp.state).toBe("closed");
    expect(allFindings(report).map((f) => f.code)).toEqual(["auth-failed"]);
  });

  it("a Terminate after the link carried data is an ordinary hang-up", async () => {
    const report = await folder.fixture("ccp-refused.pcap", [lcpFailed]);
    expect(report.sessions[0].ppp.lcp).toEqual({ state: "closed", detail: "User request" });
    expect(allFindings(report)).toEqual([]);
  });

  it("requests never answered are silence (ppp-peer-not-responding), not lcp-failed", async () => {
    const records = msChapV2FailureRecords().slice(0, 9); // 1-8 call up, 9 the client's first LCP request
    for (let i = 1; i <= 9; i++) records.push(later(records[8], 3 * i)); // re-sent every 3 s, ten in all
    const report = await folder.analyze(records, NEGOTIATION_RULES);
    expect(report.sessions[0].ppp.lcp.state).toBe("failed");
    expect(allFindings(report)).toEqual([]);
  });
});
