/** The table format (the default): what a person reads in a terminal. */
import Table from "cli-table3";
import { linkTypeName } from "../decode/linktypes.js";
import type { Analysis } from "../analyze.js";
import type { FrameRef } from "./schema.js";

export function renderTable({ report, traffic }: Analysis): string {
  const captures = new Table({
    head: ["File", "Format", "Link types", "Packets", "Bytes", "First packet", "Span", "PPTP control", "GRE", "PPP"],
    style: { head: [], border: [] },
  });
  report.captures.forEach((c, i) => {
    captures.push([
      c.file,
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
      style: { head: [], border: [] },
    });
    for (const s of report.sessions) {
      const answered = [...new Set([...s.serverAddresses, ...s.gre.toClient.from])];
      sessions.push([
        s.id,
        `${s.client}:${s.clientPort}`,
        s.dialed,
        answered.join(", ") || "-",
        `${s.clientCallId ?? "-"} / ${s.serverCallId ?? "-"}`,
        s.ppp.lcp.state,
        s.ppp.auth.protocol ? `${s.ppp.auth.protocol} ${s.ppp.auth.result}` : s.ppp.auth.result,
        s.ppp.ipcp.client || s.ppp.ipcp.server ? `${s.ppp.ipcp.state}: client ${s.ppp.ipcp.client ?? "?"}, server ${s.ppp.ipcp.server ?? "?"}` : s.ppp.ipcp.state,
        s.outcome,
      ]);
    }
    lines.push("", sessions.toString());
  }
  if (report.links.length > 0) {
    const links = new Table({ head: ["PPP link", "Local", "Peer", "IPCP addresses", "Auth", "Frames"], style: { head: [], border: [] } });
    for (const l of report.links) {
      links.push([
        l.kind === "pppoe" ? `PPPoE session ${l.sessionId}` : `PPP (${linkTypeName(l.linkType)})`,
        l.local ?? "-",
        l.peer ?? "-",
        l.addresses.join(", ") || "-",
        l.ppp.auth.protocol ? `${l.ppp.auth.protocol} ${l.ppp.auth.result}` : l.ppp.auth.result,
        l.frames.map(formatFrameRef).join("-"),
      ]);
    }
    lines.push("", links.toString());
  }
  const findings = [...report.findings.map((f) => ({ f, where: "" })), ...report.sessions.flatMap((s) => s.findings.map((f) => ({ f, where: `${s.id} ` })))];
  if (findings.length > 0) {
    lines.push("", "Findings:");
    for (const { f, where } of findings) {
      lines.push(`  ${where}[${f.severity}] ${f.code}: ${f.message}`);
      if (f.frames.length > 0) lines.push(`    frames: ${f.frames.map(formatFrameRef).join(", ")}`);
      if (f.remedy) lines.push(`    remedy: ${f.remedy}`);
    }
  }
  return lines.join("\n") + "\n";
}

export function formatFrameRef(ref: FrameRef): string {
  return typeof ref === "number" ? String(ref) : `${ref.file}#${ref.frame}`;
}

/** Time between two ISO timestamps, as seconds with the precision a person needs. */
function formatSpan(first: string, last: string): string {
  const seconds = (Date.parse(last) - Date.parse(first)) / 1000;
  return `${seconds.toFixed(3)} s`;
}
