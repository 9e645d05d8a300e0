/**
 * What the tests of call-id-mismatch and gre-loss share: synthesized records written to a
 * temporary pcap, analyzed with a chosen list of rules, and the findings of one code.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { allFindings, analyzeWithRules } from "../../src/analyze.js";
import { LinkType } from "../../src/decode/linktypes.js";
import { PptpMessageType as Msg } from "../../src/decode/pptp.js";
import type { Rule } from "../../src/diagnose/rule.js";
import type { Finding, Report } from "../../src/report/schema.js";
import { type ConversationOptions, PptpConversation } from "../../src/synth/conversation.js";
import { type SynthRecord, writePcap } from "../../src/synth/pcap-writer.js";
import { DATA_ADDRESSES, DATA_CALL_IDS } from "../../src/synth/scenarios-data.js";

/** 2024-03-01T09:00:00Z, where the scenarios start. */
export const START_SEC = 1709283600;

/** PPP parameters for negotiatePpp (with a seeded random source added). */
export const SESSION = { userName: "dave", clientTunnelAddress: "10.9.0.2", serverTunnelAddress: "10.9.0.1", dataFrames: 0, minDataBytes: 60, maxDataBytes: 200 };

/** A conversation between 192.0.2.20:49400 and 198.51.100.20 with the scenarios' call IDs, scripted by `script`. */
export function scripted(script: (conv: PptpConversation) => void, options: Partial<ConversationOptions> = {}): SynthRecord[] {
  const records: SynthRecord[] = [];
  const conv = new PptpConversation(
    {
      client: DATA_ADDRESSES.client,
      server: DATA_ADDRESSES.server,
      clientPort: 49400,
      clientCallId: DATA_CALL_IDS.client,
      serverCallId: DATA_CALL_IDS.server,
      startSec: START_SEC,
      ...options,
    },
    (record) => records.push(record),
  );
  script(conv);
  return records;
}

/** Call-Clear-Request with `clearId`, Call-Disconnect-Notify with `disconnectId`, Stop-Control-Connection, close: 7 frames. */
export function clearCall(conv: PptpConversation, clearId: number, disconnectId: number): void {
  conv.control("client", { type: Msg.CallClearRequest, callId: clearId });
  conv.control("server", { type: Msg.CallDisconnectNotify, callId: disconnectId, resultCode: 3 });
  conv.control("client", { type: Msg.StopControlConnectionRequest, reason: 1 });
  conv.control("server", { type: Msg.StopControlConnectionReply, resultCode: 1 });
  conv.close("client");
}

export class DataCaptures {
  private readonly folder = mkdtempSync(join(tmpdir(), "pptp-data-"));
  private written = 0;

  /** Capture bytes to a file; returns its path. */
  write(bytes: Buffer, name = `capture-${++this.written}.pcap`): string {
    const file = join(this.folder, name);
    writeFileSync(file, bytes);
    return file;
  }

  async analyze(records: readonly SynthRecord[], rules: readonly Rule[]): Promise<Report> {
    return analyzeWithRules([this.write(writePcap(records, { linkType: LinkType.ETHERNET }))], rules);
  }

  remove(): void {
    rmSync(this.folder, { recursive: true, force: true });
  }
}

/** Every finding with this code, capture-level and per session. */
export function findingsOf(report: Report, code: string): Finding[] {
  return allFindings(report).filter((f) => f.code === code);
}

/** The only finding with this code; fails the test when there is not exactly one. */
export function theFinding(report: Report, code: string): Finding {
  const found = findingsOf(report, code);
  if (found.length !== 1) throw new Error(`expected one ${code} finding, got ${found.length}: ${JSON.stringify(allFindings(report), null, 1)}`);
  return found[0];
}
