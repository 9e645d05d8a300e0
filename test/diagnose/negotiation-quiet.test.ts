/**
 * The negotiation rules stay quiet where nothing failed: the healthy fixtures, and the real
 * public captures (../shared/captures/public): no error or warning of this group anywhere,
 * and none of the codes their expected.json forbids. Skips the public part when the folder
 * is absent.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { allFindings, analyzeWithRules } from "../../src/analyze.js";
import { hasPublicCaptures, PUBLIC_CAPTURES } from "../helpers.js";
import { CaptureFolder, NEGOTIATION_RULES } from "./negotiation-captures.js";

const folder = new CaptureFolder();
afterAll(() => folder.remove());

const CODES = NEGOTIATION_RULES.map((r) => r.code);

describe("negotiation rules on healthy sessions", () => {
  it.each(["healthy.pcap", "healthy.pcapng", "healthy-sll.pcap"])("%s: nothing", async (name) => {
    const report = await folder.fixture(name, NEGOTIATION_RULES);
    expect(report.sessions[0].outcome).toBe("established");
    expect(allFindings(report)).toEqual([]);
  });
});

if (!hasPublicCaptures) console.log(`public captures absent (${PUBLIC_CAPTURES}): their negotiation checks are skipped`);
const publicCaptures = hasPublicCaptures ? readdirSync(PUBLIC_CAPTURES).filter((f) => /\.pcap(ng)?$/.test(f)) : [];
const forbidden: Record<string, string[]> = {};
if (hasPublicCaptures) {
  const expected = JSON.parse(readFileSync(join(PUBLIC_CAPTURES, "expected.json"), "utf8")).captures as Record<string, { sessions?: Array<{ forbidden?: string[] }> }>;
  for (const [name, capture] of Object.entries(expected)) {
    forbidden[name] = (capture.sessions ?? []).flatMap((s) => s.forbidden ?? []).filter((code) => CODES.includes(code));
  }
}

describe.skipIf(!hasPublicCaptures)("negotiation rules on the public captures", () => {
  it("expected.json forbids some of these codes on real sessions (the check below has something to check)", () => {
    expect(forbidden["john-pptp-mschapv2-lulu.pcap"]).toContain("auth-failed");
    expect(forbidden["netwiz-pptp-negotiation-pap.pcap"]).toContain("lcp-failed");
  });

  it.each(publicCaptures)("%s: no error or warning of this group, no forbidden code", async (name) => {
    const report = await analyzeWithRules([join(PUBLIC_CAPTURES, name)], NEGOTIATION_RULES);
    const findings = allFindings(report);
    expect(findings.filter((f) => f.severity !== "info")).toEqual([]);
    for (const code of forbidden[name] ?? []) expect(findings.map((f) => f.code)).not.toContain(code);
  });
});
