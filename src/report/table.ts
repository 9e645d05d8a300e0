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
  if (report.findings.length > 0) {
    lines.push("", "Findings:");
    for (const f of report.findings) {
      lines.push(`  [${f.severity}] ${f.code}: ${f.message}`);
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
