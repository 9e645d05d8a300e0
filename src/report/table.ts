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

/** Spaces each side of a cell's text (cli-table3's default, given so that tableText can count it). */
const CELL_PADDING = 1;
/** Plain table borders: cli-table3 would otherwise colour the header itself. */
const PLAIN = { head: [], border: [], "padding-left": CELL_PADDING, "padding-right": CELL_PADDING };
/** The lines inside a table (cli-table3's default characters), given so that tableText can draw rows itself. */
const INNER = { left: "│", middle: "│", right: "│", rowLeft: "├", rowLine: "─", rowCross: "┼", rowRight: "┤" };
const INNER_CHARS = {
  left: INNER.left,
  middle: INNER.middle,
  right: INNER.right,
  "left-mid": INNER.rowLeft,
  mid: INNER.rowLine,
  "mid-mid": INNER.rowCross,
  "right-mid": INNER.rowRight,
};
/**
 * Cells that tableText draws itself: printable ASCII, one column per character as cli-table3
 * (string-width) counts, and the colour codes of color.ts, which take none.
 */
const DRAWN_HERE = /^(?:[\x20-\x7e]|\u001b\[\d+m)*$/;
const COLOUR_CODE = /\u001b\[\d+m/g;

type Row = Array<string | number>;

/**
 * The table as cli-table3 draws it with a header and a line between rows. cli-table3 lays a
 * table out cell by cell against every row above it and measures each cell several times,
 * which took 2 s for 2,000 sessions; so it draws here only the borders and header, and the
 * rows with other than DRAWN_HERE cells (wide or combining characters, emoji), at the widths
 * of the whole table. The other rows are drawn directly, as cli-table3 would.
 */
export function tableText(head: string[], rows: readonly Row[]): string {
  const widths = head.map(cellWidth);
  for (const row of rows) for (let i = 0; i < row.length; i++) widths[i] = Math.max(widths[i], cellWidth(row[i]));
  const [top, ...headerAndBottom] = cliTableLines(head, [], widths);
  const bottom = headerAndBottom.pop()!;
  const between = INNER.rowLeft + widths.map((w) => INNER.rowLine.repeat(w)).join(INNER.rowCross) + INNER.rowRight;
  const lines = [top, ...headerAndBottom];
  for (const row of rows) {
    lines.push(between);
    if (row.every((cell) => DRAWN_HERE.test(String(cell)))) lines.push(rowLine(row, widths));
    else lines.push(...cliTableLines([], [row], widths).slice(1, -1));
  }
  lines.push(bottom);
  return lines.join("\n");
}

/** A row of DRAWN_HERE cells as cli-table3 draws it: each padded, left-aligned, to its column's width. */
function rowLine(row: Row, widths: readonly number[]): string {
  const pad = " ".repeat(CELL_PADDING);
  const cells = row.map((cell, i) => {
    const text = String(cell);
    return pad + text + " ".repeat(widths[i] - columns(text) - 2 * CELL_PADDING) + pad;
  });
  return INNER.left + cells.join(INNER.middle) + INNER.right;
}

/** Columns a DRAWN_HERE text takes. */
function columns(text: string): number {
  return text.includes("\u001b") ? text.replace(COLOUR_CODE, "").length : text.length;
}

/** The lines of a cli-table3 table at the given column widths, from its top border to its bottom one. */
function cliTableLines(head: string[], rows: readonly Row[], colWidths: number[]): string[] {
  const table = new Table({ head, style: PLAIN, chars: INNER_CHARS, colWidths });
  table.push(...rows);
  return table.toString().split("\n");
}

/** Columns a cell takes with its padding, as cli-table3 counts them (wide characters two, colour codes none): others measured by it. */
function cellWidth(cell: string | number): number {
  const text = String(cell);
  if (DRAWN_HERE.test(text)) return columns(text) + 2 * CELL_PADDING;
  const probe = new Table({ style: PLAIN });
  probe.push([text]);
  probe.toString();
  return probe.options.colWidths[0]!;
}

export function renderTable({ report, traffic }: Analysis, options: TableOptions = { color: false }): string {
  const captures = tableText(
    ["File", "Format", "Link types", "Packets", "Bytes", "First packet", "Span", "PPTP control", "GRE", "PPP"],
    report.captures.map((c, i) => [
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
    ]),
  );
  const lines = [captures];
  if (report.sessions.length > 0) {
    const sessions = report.sessions.map((s) => [
      t(s.id),
      t(endpoint(s.client, s.clientPort)),
      t(s.dialed),
      t(answeringAddresses(s).join(", ") || "-"),
      `${s.clientCallId ?? "-"} / ${s.serverCallId ?? "-"}`,
      t(protocolText(s.ppp.lcp)),
      t(authText(s.ppp)),
      t(ipcpText(s.ppp)),
      options.color ? paint(OUTCOME_STYLE[s.outcome], t(s.outcome)) : t(s.outcome),
    ]);
    lines.push("", tableText(["Session", "Client", "Dialed", "Answered from", "Call IDs (client/server)", "LCP", "Auth", "IPCP", "Outcome"], sessions));
  }
  if (report.links.length > 0) {
    const links = report.links.map((l) => [
      l.kind === "pppoe" ? `PPPoE session ${l.sessionId}` : `PPP (${linkTypeName(l.linkType)})`,
      t(l.local ?? "-"),
      t(l.peer ?? "-"),
      t(l.addresses.join(", ") || "-"),
      t(authText(l.ppp)),
      t(l.frames.map(formatFrameRef).join("-")),
    ]);
    lines.push("", tableText(["PPP link", "Local", "Peer", "IPCP addresses", "Auth", "Frames"], links));
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
