import { afterAll, describe, expect, it } from "vitest";
import { allFindings } from "../../src/analyze.js";
import { RULES } from "../../src/diagnose/index.js";
import { ipcpFailed } from "../../src/diagnose/ipcp-failed.js";
import { echoTimeoutRecords, ipcpRejectedRecords } from "../../src/synth/scenarios-negotiation.js";
import { CaptureFolder, later, NEGOTIATION_RULES, onlyFinding } from "./negotiation-captures.js";

const folder = new CaptureFolder();
afterAll(() => folder.remove());

describe("ipcp-failed", () => {
  it("is registered (fails until the main session adds it to RULES)", () => {
    expect(RULES).toContain(ipcpFailed);
  });

  // Frames of ipcpRejectedRecords("address"): 21 the client's IPCP request (0.0.0.0), 23 the server's
  // Configure-Reject of it, 24 the client's LCP Terminate-Request "No network protocols running".
  it("the client's IP-Address Configure-Rejected: the request, the reject and the Terminate", async () => {
    const report = await folder.fixture("ipcp-rejected.pcap", [ipcpFailed]);
    const finding = onlyFinding(report, "ipcp-failed");
    expect(finding).toMatchObject({ severity: "error", frames: [21, 23, 24], detail: "IP-Address of the client Configure-Rejected by the server" });
    expect(finding.message).toContain(
      "the server 198.51.100.1 Configure-Rejected the IP-Address option of the client 192.0.2.10 (it asked for 0.0.0.0) (frame 23), so it got no IPv4 address",
    );
    expect(finding.message).toContain('LCP Terminate-Request "No network protocols running" (frame 24)');
    expect(finding.remedy).toContain("address pool");
  });

  it("a reject the capture ends right after is only a warning", async () => {
    const finding = onlyFinding(await folder.analyze(ipcpRejectedRecords("address").slice(0, 23), [ipcpFailed]), "ipcp-failed");
    expect(finding.severity).toBe("warning");
    expect(finding.frames).toEqual([21, 23]);
    expect(finding.message).toContain("The capture ends less than 3 s later");
  });

  // Frames of ipcpRejectedRecords("protocol-reject"): 20 the client's IPCP request, 21 the server's LCP Protocol-Reject.
  it("IPCP Protocol-Rejected by the server", async () => {
    const finding = onlyFinding(await folder.analyze(ipcpRejectedRecords("protocol-reject"), [ipcpFailed]), "ipcp-failed");
    expect(finding).toMatchObject({ severity: "error", frames: [21], detail: "IPCP Protocol-Rejected" });
    expect(finding.message).toContain("the server 198.51.100.1 Protocol-Rejected IPCP (frame 21): it does not run IPv4 on this link");
    expect(finding.remedy).toContain("IPv4");
  });

  it("IPCP rejected while data still flows both ways is only a warning", async () => {
    const records = ipcpRejectedRecords("protocol-reject").slice(0, 21);
    // frames 22-25: the echo scenario's MPPE data (client, server, client, server), the same call, a second later
    records.push(...echoTimeoutRecords().slice(25, 29).map((r) => later(r, 1)));
    const finding = onlyFinding(await folder.analyze(records, [ipcpFailed]), "ipcp-failed");
    expect(finding.severity).toBe("warning");
    expect(finding.frames).toEqual([21]);
    expect(finding.message).toContain("Data frames went both ways all the same");
  });

  it("IPCP that opened gives nothing, nor IPCP never started after a failed authentication", async () => {
    for (const name of ["echo-timeout.pcap", "ccp-refused.pcap", "mschapv2-691.pcap"]) {
      const report = await folder.fixture(name, [ipcpFailed]);
      expect(allFindings(report), name).toEqual([]);
    }
  });

  it("the fixture gives lcp-failed beside it, and nothing else of this group", async () => {
    const report = await folder.fixture("ipcp-rejected.pcap", NEGOTIATION_RULES);
    expect(allFindings(report).map((f) => f.code).sort()).toEqual(["ipcp-failed", "lcp-failed"]);
  });
});
