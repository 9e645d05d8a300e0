/**
 * The data fixtures (src/synth/scenarios-data.ts) are the same bytes on every run, and show
 * the sessions and outcomes declared beside their scripts and, as far as call-id-mismatch
 * and gre-loss go, the declared findings.
 */
import { afterAll, describe, expect, it } from "vitest";
import { analyzeWithRules } from "../../src/analyze.js";
import { callIdMismatch } from "../../src/diagnose/call-id-mismatch.js";
import { greLoss } from "../../src/diagnose/gre-loss.js";
import { DATA_FIXTURES } from "../../src/synth/scenarios-data.js";
import { DataCaptures } from "./data-captures.js";

const captures = new DataCaptures();
afterAll(() => captures.remove());

const RULES_HERE = [callIdMismatch, greLoss];
const OUR_CODES = new Set(RULES_HERE.map((r) => r.code));

describe("data fixtures", () => {
  it.each(DATA_FIXTURES.map((f) => [f.name, f] as const))("%s", async (name, fixture) => {
    const bytes = fixture.bytes();
    expect(fixture.bytes().equals(bytes)).toBe(true);
    const report = await analyzeWithRules([captures.write(bytes, name)], RULES_HERE);
    expect(
      report.sessions.map((s) => ({
        client: s.client,
        dialed: s.dialed,
        clientCallId: s.clientCallId,
        serverCallId: s.serverCallId,
        outcome: s.outcome,
        // a verdict lists each code once, as expected.json does (a session may have several findings of one code)
        findings: [...new Set(s.findings.map((f) => f.code))].sort(),
      })),
    ).toEqual(
      // the recommended address comes from reply-from-other-address, not from the rules here
      fixture.expected.sessions.map(({ recommended: _, ...s }) => ({ ...s, findings: s.findings.filter((c) => OUR_CODES.has(c)).sort() })),
    );
    expect(report.findings).toEqual([]);
  });
});
