/**
 * The real public captures (../shared/captures/public, see its MANIFEST.md) against the
 * verdicts in its expected.json: the sessions a correct analyzer rebuilds (client, dialed
 * address, call IDs, where GRE replies came from, IPCP addresses, outcome), the orphan GRE
 * flows, the PPP links, and no PPTP session in the captures that have none.
 * Skips when the folder is absent.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { analyze } from "../src/analyze.js";
import type { Report } from "../src/report/schema.js";
import { hasPublicCaptures, PUBLIC_CAPTURES } from "./helpers.js";

interface ExpectedSession {
  findings?: Array<{ code: string }>;
  forbidden?: string[];
  client: string;
  clientPort?: number;
  dialed: string;
  clientCallId: number;
  serverCallId: number;
  outcome: string;
  greRepliesFrom?: string[];
  ipcp?: { clientAddress: string; serverAddress: string } | null;
  auth?: { protocol: string; peerName: string; result: string };
}

interface ExpectedCapture {
  sessions: ExpectedSession[];
  findings?: Array<{ code: string }>;
  clean?: boolean;
  orphanGre?: Array<{ from: string; to: string; callId: number }>;
  links?: Array<Record<string, unknown> & { kind: string }>;
}

if (!hasPublicCaptures) console.log(`corpus tests skipped: ${PUBLIC_CAPTURES} is absent`);
const expected: Record<string, ExpectedCapture> = hasPublicCaptures
  ? JSON.parse(readFileSync(join(PUBLIC_CAPTURES, "expected.json"), "utf8")).captures
  : {};

describe.skipIf(!hasPublicCaptures)("public captures against expected.json", () => {
  it.each(Object.entries(expected))("%s", async (name, want) => {
    const report: Report = await analyze([join(PUBLIC_CAPTURES, name)]);

    expect(report.sessions.length, "sessions").toBe(want.sessions.length);
    want.sessions.forEach((w, i) => {
      const s = report.sessions[i];
      expect({ client: s.client, dialed: s.dialed, clientCallId: s.clientCallId, serverCallId: s.serverCallId, outcome: s.outcome }).toEqual({
        client: w.client,
        dialed: w.dialed,
        clientCallId: w.clientCallId,
        serverCallId: w.serverCallId,
        outcome: w.outcome,
      });
      if (w.clientPort !== undefined) expect(s.clientPort).toBe(w.clientPort);
      if (w.greRepliesFrom !== undefined) expect(s.gre.toClient.from).toEqual(w.greRepliesFrom);
      if (w.ipcp === null) expect([s.ppp.ipcp.client, s.ppp.ipcp.server]).toEqual([null, null]);
      else if (w.ipcp) expect([s.ppp.ipcp.client, s.ppp.ipcp.server]).toEqual([w.ipcp.clientAddress, w.ipcp.serverAddress]);
      if (w.auth) expect({ protocol: s.ppp.auth.protocol, peerName: s.ppp.auth.peerName, result: s.ppp.auth.result }).toEqual(w.auth);
      const codes = s.findings.map((f) => f.code);
      for (const f of w.findings ?? []) expect(codes, `${name} must report ${f.code}`).toContain(f.code);
      for (const code of w.forbidden ?? []) expect(codes, `${name} must not report ${code}`).not.toContain(code);
      // a session the capture shows working has no error or warning
      if (w.outcome === "established") expect(s.findings.filter((f) => f.severity !== "info")).toEqual([]);
    });

    if (want.clean) {
      const errors = report.findings.filter((f) => f.severity === "error" && f.code !== "malformed" && f.code !== "capture-truncated");
      expect(errors).toEqual([]);
    }

    for (const f of want.findings ?? []) expect(report.findings.map((r) => r.code)).toContain(f.code);
    const orphans = report.findings.filter((f) => f.code === "unknown-call-id");
    expect(orphans.length, "unknown-call-id findings").toBe(want.orphanGre?.length ?? 0);
    for (const o of want.orphanGre ?? []) {
      expect(orphans.some((f) => f.message.includes(`from ${o.from} to ${o.to} carry call ID ${o.callId},`)), JSON.stringify(o)).toBe(true);
    }

    expect(report.links.length, "links").toBe(want.links?.length ?? (want.clean ? report.links.length : 0));
    (want.links ?? []).forEach((w, i) => {
      const link = report.links[i];
      expect(link.kind).toBe(w.kind);
      if (w.sessionId !== undefined) expect(link.sessionId).toBe(w.sessionId);
      if (w.linkType !== undefined) expect(link.linkType).toBe(w.linkType);
      const ipcp = w.ipcp as { clientAddress: string; serverAddress: string } | undefined;
      if (ipcp) expect([link.local, link.peer]).toEqual([ipcp.clientAddress, ipcp.serverAddress]);
      const addresses = w.ipcpAddresses as string[] | undefined;
      if (addresses) expect([...link.addresses].sort()).toEqual([...addresses].sort());
      const auth = w.auth as { protocol: string; result: string; peerName?: string } | undefined;
      if (auth) {
        expect(link.ppp.auth.result).toBe(auth.result);
        if (auth.peerName) expect(link.ppp.auth.peerName).toBe(auth.peerName);
      }
    });
  });
});
