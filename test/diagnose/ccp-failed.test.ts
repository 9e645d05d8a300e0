import { afterAll, describe, expect, it } from "vitest";
import { allFindings } from "../../src/analyze.js";
import { ccpFailed } from "../../src/diagnose/ccp-failed.js";
import { RULES } from "../../src/diagnose/index.js";
import { ControlCode } from "../../src/decode/ppp/control-packet.js";
import { LinkType } from "../../src/decode/linktypes.js";
import { PppProtocol } from "../../src/decode/ppp/protocols.js";
import { ccpOption, configurePacket, protocolReject } from "../../src/synth/ppp-control.js";
import { PppDirection, ppp, pppWithDirection } from "../../src/synth/ppp.js";
import type { SynthRecord } from "../../src/synth/pcap-writer.js";
import { mppeMismatchRecords } from "../../src/synth/scenarios-negotiation.js";
import { CaptureFolder, NEGOTIATION_RULES, onlyFinding } from "./negotiation-captures.js";

const folder = new CaptureFolder();
afterAll(() => folder.remove());

describe("ccp-failed", () => {
  it("is registered (fails until the main session adds it to RULES)", () => {
    expect(RULES).toContain(ccpFailed);
  });

  // Frames of lcpTerminateMppeRecords: 16 the server's CCP request (MPPE 0x01000040), 17 the client's
  // Configure-Reject of it, 18 the server's LCP Terminate-Request "MPPE required but not available".
  it("MPPE Configure-Rejected and the link terminated for it: an error", async () => {
    const report = await folder.fixture("lcp-terminate-mppe.pcap", [ccpFailed]);
    const finding = onlyFinding(report, "ccp-failed");
    expect(finding.severity).toBe("error");
    expect(finding.frames).toEqual([16, 17, 18]);
    // RFC 3078 §2.1: 0x01000040 = H (stateless) + S (128-bit)
    expect(finding.detail).toBe("server asked for MPPE 0x01000040 (H stateless, S 128-bit); terminated: MPPE required but not available");
    expect(finding.message).toContain(
      "the client 192.0.2.10 Configure-Rejected the MPPE option of the server 198.51.100.1, which asked for 0x01000040 (H stateless, S 128-bit) (frame 17)",
    );
    expect(finding.message).toContain('LCP Terminate-Request "MPPE required but not available" (frame 18)');
    expect(finding.remedy).toContain("ppp_mppe");
  });

  // Frames of ccpRefusedRecords: 17 the client's LCP Protocol-Reject of CCP; then IPCP opens and pings flow.
  it("CCP Protocol-Rejected while the link works: a warning that the data is unencrypted", async () => {
    const report = await folder.fixture("ccp-refused.pcap", [ccpFailed]);
    const finding = onlyFinding(report, "ccp-failed");
    expect(finding).toMatchObject({ severity: "warning", frames: [17] });
    expect(finding.message).toContain("the client 192.0.2.10 Protocol-Rejected CCP (frame 17)");
    expect(finding.message).toContain("unencrypted");
    expect(report.sessions[0].outcome).toBe("established");
  });

  // Frames of mppeMismatchRecords: 16 the client's CCP request (40-bit), 17 the server's (128-bit), 18 the Terminate.
  it("encryption strengths with nothing in common, then a Terminate without text: an error", async () => {
    const finding = onlyFinding(await folder.analyze(mppeMismatchRecords(""), [ccpFailed]), "ccp-failed");
    expect(finding.severity).toBe("error");
    expect(finding.frames).toEqual([16, 17, 18]);
    expect(finding.detail).toBe("client asked for MPPE 0x00000020 (L 40-bit); server asked for MPPE 0x01000040 (H stateless, S 128-bit)");
    expect(finding.message).toContain("the MPPE encryption strengths have nothing in common");
  });

  it("the same mismatch where the capture stops before anything else happens: a warning", async () => {
    const finding = onlyFinding(await folder.analyze(mppeMismatchRecords().slice(0, 17), [ccpFailed]), "ccp-failed");
    expect(finding.severity).toBe("warning");
    expect(finding.frames).toEqual([16, 17]);
    expect(finding.message).toContain("The capture does not show the link being ended for it");
  });

  it("CCP opened with MPPE, or never tried, gives nothing", async () => {
    for (const name of ["echo-timeout.pcap", "ipcp-rejected.pcap", "pap-failure.pcap"]) {
      const report = await folder.fixture(name, [ccpFailed]);
      expect(allFindings(report), name).toEqual([]);
    }
  });

  it("on a PPP link seen directly CCP is compression, which an end may refuse: nothing", async () => {
    const deflate = configurePacket(ControlCode.ConfigureRequest, 1, [ccpOption.deflate(15)]);
    const frames: Array<[number, number, Uint8Array]> = [
      [PppDirection.Received, PppProtocol.CCP, deflate], // the peer offers Deflate
      [PppDirection.Sent, PppProtocol.LCP, protocolReject(1, PppProtocol.CCP, deflate)], // we do not run CCP
    ];
    const records: SynthRecord[] = frames.map(([direction, protocol, payload], i) => ({
      tsSec: 1709283600,
      tsNsec: i * 1000,
      data: pppWithDirection(direction, ppp({ protocol, payload })),
    }));
    const report = await folder.analyze(records, [ccpFailed], LinkType.PPP_WITH_DIR);
    expect(report.links.length).toBe(1);
    expect(report.links[0].ppp.ccp.state).toBe("failed");
    expect(allFindings(report)).toEqual([]);
  });

  it("the MPPE fixture gives lcp-failed beside it, and nothing else of this group", async () => {
    const report = await folder.fixture("lcp-terminate-mppe.pcap", NEGOTIATION_RULES);
    expect(allFindings(report).map((f) => f.code).sort()).toEqual(["ccp-failed", "lcp-failed"]);
  });
});
