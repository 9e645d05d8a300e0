/**
 * For the tests of the negotiation rules (control-rejected, call-rejected, auth-failed,
 * lcp-failed, ipcp-failed, ccp-failed, echo-timeout): write a scenario's records to a
 * temporary pcap and run the whole analysis with only the rules under test.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { allFindings, analyzeWithRules } from "../../src/analyze.js";
import { authFailed } from "../../src/diagnose/auth-failed.js";
import { callRejected } from "../../src/diagnose/call-rejected.js";
import { ccpFailed } from "../../src/diagnose/ccp-failed.js";
import { controlRejected } from "../../src/diagnose/control-rejected.js";
import { echoTimeout } from "../../src/diagnose/echo-timeout.js";
import { ipcpFailed } from "../../src/diagnose/ipcp-failed.js";
import { lcpFailed } from "../../src/diagnose/lcp-failed.js";
import type { Rule } from "../../src/diagnose/rule.js";
import { LinkType } from "../../src/decode/linktypes.js";
import type { Finding, Report } from "../../src/report/schema.js";
import { type SynthRecord, writePcap } from "../../src/synth/pcap-writer.js";
import { FIXTURES } from "../../src/synth/fixtures.js";
import { NEGOTIATION_FIXTURES } from "../../src/synth/scenarios-negotiation.js";

/** Every rule of this group: near-miss tests run them all, so that no other one fires either. */
export const NEGOTIATION_RULES: readonly Rule[] = [controlRejected, callRejected, authFailed, lcpFailed, ipcpFailed, ccpFailed, echoTimeout];

export class CaptureFolder {
  private readonly path = mkdtempSync(join(tmpdir(), "pptp-negotiation-"));
  private count = 0;

  /** The records as an Ethernet (or `linkType`) pcap; returns its path. */
  write(records: readonly SynthRecord[], linkType: number = LinkType.ETHERNET): string {
    const file = join(this.path, `capture-${++this.count}.pcap`);
    writeFileSync(file, writePcap(records, { linkType }));
    return file;
  }

  async analyze(records: readonly SynthRecord[], rules: readonly Rule[], linkType: number = LinkType.ETHERNET): Promise<Report> {
    return analyzeWithRules([this.write(records, linkType)], rules);
  }

  /** A fixture (of FIXTURES or NEGOTIATION_FIXTURES) by name, analyzed with `rules`. */
  async fixture(name: string, rules: readonly Rule[]): Promise<Report> {
    const fixture = [...FIXTURES, ...NEGOTIATION_FIXTURES].find((f) => f.name === name);
    if (fixture === undefined) throw new Error(`no fixture ${name}`);
    const file = join(this.path, name);
    writeFileSync(file, fixture.bytes());
    return analyzeWithRules([file], rules);
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

/** The only finding with this code; fails the test when there is not exactly one. */
export function onlyFinding(report: Report, code: string): Finding {
  const found = allFindings(report).filter((f) => f.code === code);
  if (found.length !== 1) throw new Error(`expected one ${code} finding, got ${found.length}: ${JSON.stringify(allFindings(report), null, 1)}`);
  return found[0];
}

/** Records shifted in time: a frame the capture shows `seconds` later. */
export function later(record: SynthRecord, seconds: number): SynthRecord {
  return { ...record, tsSec: record.tsSec + seconds };
}
