/**
 * The reachability fixtures show the verdicts declared beside their scripts, as far as the
 * six reachability rules go; and on the public captures these rules fire where
 * expected.json asks for them and nowhere it forbids them.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REACHABILITY_FIXTURES } from "../../src/synth/scenarios-reachability.js";
import { hasPublicCaptures, PUBLIC_CAPTURES } from "../helpers.js";
import { analyzeFile, REACHABILITY_RULES, removeCaptures, writeCapture } from "./reachability-captures.js";

afterAll(removeCaptures);

const OUR_CODES = new Set(REACHABILITY_RULES.map((r) => r.code));

describe("reachability fixtures", () => {
  it.each(REACHABILITY_FIXTURES.map((f) => [f.name, f] as const))("%s", async (_, fixture) => {
    const report = await analyzeFile(writeCapture(fixture.bytes()));
    expect(report.sessions).toHaveLength(fixture.expected.sessions.length);
    fixture.expected.sessions.forEach((want, i) => {
      const got = report.sessions[i];
      expect({ client: got.client, dialed: got.dialed, clientCallId: got.clientCallId, serverCallId: got.serverCallId }).toEqual({
        client: want.client,
        dialed: want.dialed,
        clientCallId: want.clientCallId,
        serverCallId: want.serverCallId,
      });
      expect(got.findings.map((f) => f.code).sort()).toEqual(want.findings.filter((c) => OUR_CODES.has(c)).sort());
      for (const finding of got.findings) if (finding.recommended !== undefined) expect(finding.recommended).toBe(want.recommended);
    });
    expect(report.findings).toEqual([]);
  });
});

interface ExpectedSession {
  findings?: Array<{ code: string }>;
  forbidden?: string[];
}

const expected: Record<string, { sessions?: ExpectedSession[] }> = hasPublicCaptures
  ? JSON.parse(readFileSync(join(PUBLIC_CAPTURES, "expected.json"), "utf8")).captures
  : {};

describe.skipIf(!hasPublicCaptures)("reachability rules on the public captures (expected.json)", () => {
  it.each(Object.keys(expected))("%s", async (name) => {
    const report = await analyzeFile(join(PUBLIC_CAPTURES, name));
    const want = expected[name].sessions ?? [];
    if (want.length === 0) {
      // no PPTP session: none of these rules has anything to judge
      expect(report.sessions.flatMap((s) => s.findings)).toEqual([]);
      return;
    }
    want.forEach((w, i) => {
      const codes = report.sessions[i].findings.map((f) => f.code);
      for (const code of w.forbidden ?? []) expect(codes, `${code} is forbidden`).not.toContain(code);
      for (const { code } of w.findings ?? []) if (OUR_CODES.has(code)) expect(codes).toContain(code);
    });
  });
});
