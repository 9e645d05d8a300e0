/**
 * What the reachability rule tests share: synthesized records written to a temporary
 * pcap and analyzed with the six reachability rules only, and the findings of one code.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { analyzeWithRules } from "../../src/analyze.js";
import { controlNoAnswer } from "../../src/diagnose/control-no-answer.js";
import { controlRefused } from "../../src/diagnose/control-refused.js";
import { dialTargetMismatch } from "../../src/diagnose/dial-target-mismatch.js";
import { greBlocked } from "../../src/diagnose/gre-blocked.js";
import { pppPeerNotResponding } from "../../src/diagnose/ppp-peer-not-responding.js";
import { replyFromOtherAddress } from "../../src/diagnose/reply-from-other-address.js";
import type { Rule } from "../../src/diagnose/rule.js";
import type { Finding, Report } from "../../src/report/schema.js";
import { LinkType } from "../../src/decode/linktypes.js";
import { type ConversationOptions, PptpConversation } from "../../src/synth/conversation.js";
import { type SynthRecord, writePcap } from "../../src/synth/pcap-writer.js";

export const REACHABILITY_RULES: readonly Rule[] = [replyFromOtherAddress, dialTargetMismatch, greBlocked, pppPeerNotResponding, controlNoAnswer, controlRefused];

/** The committed healthy session (tests run from the repository root). */
export const HEALTHY_FIXTURE = "fixtures/healthy.pcap";

/** 2024-03-01T09:00:00Z, where the scenarios start. */
export const START_SEC = 1709283600;

const folder = mkdtempSync(join(tmpdir(), "pptp-reachability-"));
let written = 0;

export function writeCapture(bytes: Buffer): string {
  const file = join(folder, `capture-${++written}.pcap`);
  writeFileSync(file, bytes);
  return file;
}

export function removeCaptures(): void {
  rmSync(folder, { recursive: true, force: true });
}

/** Records in time order (several conversations interleave) as an Ethernet pcap, analyzed with the reachability rules. */
export async function analyzeRecords(records: SynthRecord[], linkType: number = LinkType.ETHERNET): Promise<Report> {
  const ordered = [...records].sort((a, b) => a.tsSec - b.tsSec || a.tsNsec - b.tsNsec);
  return analyzeWithRules([writeCapture(writePcap(ordered, { linkType }))], REACHABILITY_RULES);
}

export async function analyzeFile(path: string): Promise<Report> {
  return analyzeWithRules([path], REACHABILITY_RULES);
}

/** Every finding of `code`, capture-level and per session. */
export function findingsOf(report: Report, code: string): Finding[] {
  return [...report.findings, ...report.sessions.flatMap((s) => s.findings)].filter((f) => f.code === code);
}

/** A conversation of the client 192.0.2.10 (port 49200) with 198.51.100.1 whose frames go to `records`. */
export function conversationInto(records: SynthRecord[], options: Partial<ConversationOptions> = {}): PptpConversation {
  return new PptpConversation(
    {
      client: "192.0.2.10",
      server: "198.51.100.1",
      clientPort: 49200,
      clientCallId: 0x2a10,
      serverCallId: 0x4001,
      startSec: START_SEC,
      ...options,
    },
    (record) => records.push(record),
  );
}
