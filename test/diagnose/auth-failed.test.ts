import { afterAll, describe, expect, it } from "vitest";
import { allFindings } from "../../src/analyze.js";
import { authFailed } from "../../src/diagnose/auth-failed.js";
import { RULES } from "../../src/diagnose/index.js";
import { LinkType } from "../../src/decode/linktypes.js";
import { linkChapFailureRecords, msChapV2FailureRecords } from "../../src/synth/scenarios-negotiation.js";
import { CaptureFolder, NEGOTIATION_RULES, onlyFinding } from "./negotiation-captures.js";

const folder = new CaptureFolder();
afterAll(() => folder.remove());

describe("auth-failed", () => {
  it("is registered (fails until the main session adds it to RULES)", () => {
    expect(RULES).toContain(authFailed);
  });

  // Frames of msChapV2FailureRecords: 13 Challenge, 14 Response, 15 Failure, 16 the server's LCP Terminate-Request.
  it("MS-CHAPv2 E=691: the error with its meaning in detail, the user, the challenge, response, failure and terminate", async () => {
    const report = await folder.fixture("mschapv2-691.pcap", [authFailed]);
    const finding = onlyFinding(report, "auth-failed");
    expect(finding.severity).toBe("error");
    expect(finding.frames).toEqual([13, 14, 15, 16]);
    // RFC 2759 §6: 691 ERROR_AUTHENTICATION_FAILURE; the script sent R=0 and M=Authentication failure
    expect(finding.detail).toBe(
      "E=691 ERROR_AUTHENTICATION_FAILURE: authentication failure (bad user name or password); R=0 (no retry); M=Authentication failure",
    );
    expect(finding.message).toContain('The server 198.51.100.1 rejected the MS-CHAPv2 authentication of user "alice" (the client 192.0.2.10)');
    expect(finding.message).toContain("(client call ID 14864, server call ID 20481)");
    expect(finding.message).toContain('The server 198.51.100.1 then ended the link with LCP Terminate-Request "Authentication failed" (frame 16).');
    expect(finding.remedy).toContain("password");
    expect(report.sessions[0].findings).toEqual([finding]);
  });

  // RFC 2759 §6 error codes and their symbols; the remedy says what to change for each.
  it.each([
    [646, "ERROR_RESTRICTED_LOGON_HOURS", "logon hours"],
    [647, "ERROR_ACCT_DISABLED", "disabled"],
    [648, "ERROR_PASSWD_EXPIRED", "expired"],
    [649, "ERROR_NO_DIALIN_PERMISSION", "Dial-in"],
    [709, "ERROR_CHANGING_PASSWORD", "password policy"],
  ])("E=%i %s", async (error, symbol, remedy) => {
    const report = await folder.analyze(msChapV2FailureRecords({ error }), [authFailed]);
    const finding = onlyFinding(report, "auth-failed");
    expect(finding.detail?.startsWith(`E=${error} ${symbol}: `)).toBe(true);
    expect(finding.message).toContain(`E=${error} ${symbol}`);
    expect(finding.remedy).toContain(remedy);
    expect(finding.frames).toEqual([13, 14, 15, 16]);
  });

  it("an error code RFC 2759 does not list is reported as unknown, not guessed", async () => {
    const report = await folder.analyze(msChapV2FailureRecords({ error: 999 }), [authFailed]);
    const finding = onlyFinding(report, "auth-failed");
    expect(finding.detail?.startsWith("E=999 unknown error 999")).toBe(true);
    expect(finding.remedy).toContain("error 999");
  });

  // With the retry: 15 Failure (R=1), 18 Success of the second round.
  it("a failure followed by a successful retry is info, citing both results", async () => {
    const report = await folder.analyze(msChapV2FailureRecords({ retrySucceeds: true }), NEGOTIATION_RULES);
    const finding = onlyFinding(report, "auth-failed");
    expect(finding.severity).toBe("info");
    expect(finding.frames).toEqual([15, 18]);
    expect(finding.message).toContain("failed once before it succeeded");
    expect(report.sessions[0].outcome).toBe("established");
    expect(allFindings(report)).toEqual([finding]);
  });

  // Frames of papFailureRecords: 13 Authenticate-Request, 14 Authenticate-Nak, 15 the server's LCP Terminate-Request.
  it("PAP Authenticate-Nak: its message and the Peer-ID", async () => {
    const report = await folder.fixture("pap-failure.pcap", [authFailed]);
    const finding = onlyFinding(report, "auth-failed");
    expect(finding).toMatchObject({ severity: "error", frames: [13, 14, 15], detail: 'PAP Authenticate-Nak with message "Login incorrect"' });
    expect(finding.message).toContain('PAP authentication of user "bob"');
    expect(finding.remedy).toContain("clear text");
  });

  // Frames of linkChapFailureRecords: 5 Challenge, 6 Response, 7 Failure, 8 Terminate-Request; the link spans 1-9.
  it("on a PPP link seen directly: a capture-level finding naming the link and its ends", async () => {
    const report = await folder.analyze(linkChapFailureRecords(), [authFailed], LinkType.PPP_WITH_DIR);
    expect(report.sessions).toEqual([]);
    const finding = onlyFinding(report, "auth-failed");
    expect(report.findings).toEqual([finding]);
    expect(finding).toMatchObject({ severity: "error", frames: [5, 6, 7, 8], detail: 'CHAP-MD5 Failure with message "Authentication failed"' });
    expect(finding.message).toContain('The far end rejected the CHAP-MD5 authentication of user "router1" (the capturing end) on the PPP link (frames 1-9)');
  });

  it("a refusal of the authentication protocol is not a failed authentication", async () => {
    const report = await folder.fixture("lcp-auth-refused.pcap", NEGOTIATION_RULES);
    expect(allFindings(report).map((f) => f.code)).toEqual(["lcp-failed"]);
  });

  it("a successful authentication gives nothing", async () => {
    const report = await folder.fixture("ccp-refused.pcap", [authFailed]);
    expect(report.sessions[0].ppp.auth.result).toBe("success");
    expect(allFindings(report)).toEqual([]);
  });
});
