/**
 * The table format (the default): what a person reads in a terminal. Every string from the
 * report goes through escapeTerminal() (packet texts such as peer names and Terminate
 * reasons reach it as the peer sent them); colour, when the caller asks for it, is added
 * after escaping.
 */
import Table from "cli-table3";
import { linkTypeName } from "../decode/linktypes.js";
import type { Analysis } from "../analyze.js";
import { OUTCOME_STYLE, SEVERITY_STYLE, paint } from "./color.js";
import { escapeTerminal as t } from "./escape.js";
import { answeringAddresses, endpoint, findingsWithSession, formatFrameRef, type PppReport, type ProtocolReport } from "./schema.js";

export interface TableOptions {
  /** ANSI colour for severities and outcomes; the command line decides (color.ts useColor). */
  color: boolean;
}

/** Plain table borders: cli-table3 would otherwise colour the header itself. */
const PLAIN = { head: [], border: [] };

export function renderTable({ report, traffic }: Analysis, options: TableOptions = { color: false }): string {
  const captures = new Table({
    head: ["File", "Format", "Link types", "Packets", "Bytes", "First packet", "Span", "PPTP control", "GRE", "PPP"],
    style: PLAIN,
  });
  report.captures.forEach((c, i) => {
    captures.push([
      t(c.file),
      c.format,
      c.linkTypes.map(linkTypeName).join(", "),
      c.packets,
      c.bytes,
      c.first ?? "-",
      c.first && c.last ? formatSpan(c.first, c.last) : "-",
      traffic[i].pptpControlSegments,
      traffic[i].grePackets,
      traffic[i].pppFrames,
    ]);
  });
  const lines = [captures.toString()];
  if (report.sessions.length > 0) {
    const sessions = new Table({
      head: ["Session", "Client", "Dialed", "Answered from", "Call IDs (client/server)", "LCP", "Auth", "IPCP", "Outcome"],
      style: PLAIN,
    });
    for (const s of report.sessions) {
      const answered = answeringAddresses(s);
      sessions.push([
        t(s.id),
        t(endpoint(s.client, s.clientPort)),
        t(s.dialed),
        t(answered.join(", ") || "-"),
        `${s.clientCallId ?? "-"} / ${s.serverCallId ?? "-"}`,
        t(protocolText(s.ppp.lcp)),
        t(authText(s.ppp)),
        t(ipcpText(s.ppp)),
        options.color ? paint(OUTCOME_STYLE[s.outcome], t(s.outcome)) : t(s.outcome),
      ]);
    }
    lines.push("", sessions.toString());
  }
  if (report.links.length > 0) {
    const links = new Table({ head: ["PPP link", "Local", "Peer", "IPCP addresses", "Auth", "Frames"], style: PLAIN });
    for (const l of report.links) {
      links.push([
        l.kind === "pppoe" ? `PPPoE session ${l.sessionId}` : `PPP (${linkTypeName(l.linkType)})`,
        t(l.local ?? "-"),
        t(l.peer ?? "-"),
        t(l.addresses.join(", ") || "-"),
        t(authText(l.ppp)),
        t(l.frames.map(formatFrameRef).join("-")),
      ]);
    }
    lines.push("", links.toString());
  }
  const findings = findingsWithSession(report);
  if (findings.length > 0) {
    lines.push("", "Findings:");
    for (const { finding: f, session } of findings) {
      const where = session === null ? "" : `${session} `;
      const severity = options.color ? paint(SEVERITY_STYLE[f.severity], `[${t(f.severity)}]`) : `[${t(f.severity)}]`;
      lines.push(`  ${t(where)}${severity} ${t(f.code)}: ${t(f.message)}`);
      if (f.frames.length > 0) lines.push(`    frames: ${t(f.frames.map(formatFrameRef).join(", "))}`);
      if (f.detail) lines.push(`    detail: ${t(f.detail)}`);
      if (f.recommended) lines.push(`    recommended address: ${t(f.recommended)}`);
      if (f.remedy) lines.push(`    remedy: ${t(f.remedy)}`);
    }
  }
  return lines.join("\n") + "\n";
}

/** "closed: User request": the state, and what happened when the report says. */
export function protocolText(protocol: ProtocolReport): string {
  return protocol.detail ? `${protocol.state}: ${protocol.detail}` : protocol.state;
}

/**
 * "MS-CHAPv2 failure (alice): E=691 (...)": protocol, result, the peer's name, and the
 * detail of a result other than success (a success's detail is the authenticator response).
 */
export function authText(ppp: PppReport): string {
  const { protocol, result, peerName, detail } = ppp.auth;
  const head = protocol ? `${protocol} ${result}` : result;
  return `${head}${peerName !== null ? ` (${peerName})` : ""}${detail && result !== "success" ? `: ${detail}` : ""}`;
}

/** "opened: client 10.8.0.2, server 10.8.0.1", or the bare state when IPCP assigned nothing. */
export function ipcpText(ppp: PppReport): string {
  const { state, client, server } = ppp.ipcp;
  return client || server ? `${state}: client ${client ?? "?"}, server ${server ?? "?"}` : state;
}


/**
 * Time between two ISO timestamps, as seconds with the precision a person needs; "-" when
 * Date cannot read them (a damaged capture's timestamps can lie past the year 275760).
 */
export function formatSpan(first: string, last: string): string {
  const seconds = (Date.parse(last) - Date.parse(first)) / 1000;
  return Number.isFinite(seconds) ? `${seconds.toFixed(3)} s` : "-";
}
