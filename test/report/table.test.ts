import { fileURLToPath } from "node:url";
import Table from "cli-table3";
import { beforeAll, describe, expect, it } from "vitest";
import { type Analysis, analyzeCaptures } from "../../src/analyze.js";
import { paint, useColor } from "../../src/report/color.js";
import type { Finding } from "../../src/report/schema.js";
import { renderTable, tableText } from "../../src/report/table.js";
import { HOSTILE, writeHostileCapture } from "./hostile-capture.js";

const HEALTHY = fileURLToPath(new URL("../../fixtures/healthy.pcap", import.meta.url));

/** Our colour sequences (color.ts): red, yellow, green, dim on, and their offs. */
const OUR_SGR = /\u001b\[(?:31|33|32|2|39|22)m/g;
/** What may not reach a terminal raw: C0 controls but newline, DEL, C1 controls. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

let healthy: Analysis;
let hostile: Analysis;

beforeAll(async () => {
  healthy = await analyzeCaptures([HEALTHY]);
  hostile = await analyzeCaptures([writeHostileCapture()]);
});

/** The healthy analysis with findings added, one of each severity, with packet text in them. */
function withFindings(base: Analysis): Analysis {
  const report = structuredClone(base.report);
  const finding = (severity: Finding["severity"], message: string): Finding => ({ code: `test-${severity}`, severity, message, frames: [4, 5] });
  report.findings.push(finding("info", "capture note"));
  report.sessions[0].findings.push(
    { ...finding("error", `peer said \u001b[2J${HOSTILE.terminate}`), detail: "E=691 \u009b1m", recommended: "192.0.2.99", remedy: "dial 192.0.2.99" },
    finding("warning", "half the GRE lost"),
  );
  return { report, traffic: base.traffic };
}

describe("renderTable", () => {
  it("shows the healthy session as the fixture script built it, without colour codes", () => {
    const out = renderTable(healthy);
    expect(out).not.toContain("\u001b");
    // fixtures: client 192.0.2.10:49152 dials 198.51.100.1, call IDs 0x1c2a / 0x8001, user alice,
    // IPCP 10.8.0.2 / 10.8.0.1, the client's LCP Terminate-Request says "User request".
    const row = out.split("\n").find((line) => line.includes(" s1 "))!;
    const cells = row.split("│").map((c) => c.trim()).filter((c) => c !== "");
    expect(cells).toEqual([
      "s1",
      "192.0.2.10:49152",
      "198.51.100.1",
      "198.51.100.1",
      "7210 / 32769",
      "closed: User request",
      "MS-CHAPv2 success (alice)",
      "opened: client 10.8.0.2, server 10.8.0.1",
      "established",
    ]);
  });

  it("lets no control character from the packets reach the terminal", () => {
    for (const color of [false, true]) {
      const out = renderTable(hostile, { color }).replace(OUR_SGR, "");
      expect(out).not.toMatch(RAW_CONTROL);
      // The texts are there, visibly escaped: file name, PAP peer ID, the Terminate text.
      expect(out).toContain("cap|ture *\\x1b[1mbold_.pcap");
      expect(out).toContain("PAP failure (bob\\r\\n| injected | row |)");
      expect(out).toContain("closed: ; --> #\\nD->>C: injected\\n```\\n</pre>");
    }
  });

  it("prints each finding with frames, detail, recommended address and remedy, escaped", () => {
    const out = renderTable(withFindings(healthy));
    expect(out).not.toMatch(RAW_CONTROL);
    const findings = out.slice(out.indexOf("Findings:")).split("\n");
    expect(findings.slice(0, 9)).toEqual([
      "Findings:",
      "  [info] test-info: capture note",
      "    frames: 4, 5",
      "  s1 [error] test-error: peer said \\x1b[2J; --> #\\nD->>C: injected\\n```\\n</pre>",
      "    frames: 4, 5",
      "    detail: E=691 \\x9b1m",
      "    recommended address: 192.0.2.99",
      "    remedy: dial 192.0.2.99",
      "  s1 [warning] test-warning: half the GRE lost",
    ]);
  });

  it("colours severities and outcomes when asked, and only then", () => {
    const plain = renderTable(withFindings(healthy), { color: false });
    const coloured = renderTable(withFindings(healthy), { color: true });
    expect(plain).not.toContain("\u001b");
    // SGR 31 red, 33 yellow, 2 dim, 32 green; 39 and 22 switch colour and dim off (ECMA-48).
    expect(coloured).toContain("  s1 \u001b[31m[error]\u001b[39m test-error: peer said \\x1b[2J");
    expect(coloured).toContain("  s1 \u001b[33m[warning]\u001b[39m test-warning");
    expect(coloured).toContain("  \u001b[2m[info]\u001b[22m test-info");
    expect(coloured).toContain("\u001b[32mestablished\u001b[39m");
    // The hostile sessions failed: red outcome.
    expect(renderTable(hostile, { color: true })).toContain("\u001b[31mfailed\u001b[39m");
    // Colour codes do not count as width: the borders still line up.
    for (const table of coloured.replace(OUR_SGR, "").split("\n\n").filter((t) => t.startsWith("┌"))) {
      expect(new Set(table.split("\n").filter((l) => l !== "").map((l) => l.length)).size).toBe(1);
    }
  });
});

describe("tableText", () => {
  /** The oracle: the whole table drawn by cli-table3 itself, as renderTable drew it before tableText. */
  const cliTable = (head: string[], rows: Array<Array<string | number>>): string => {
    const table = new Table({ head, style: { head: [], border: [] } });
    table.push(...rows);
    return table.toString();
  };
  const HEAD = ["Session", "Peer", "Packets", "Outcome"];

  it("draws printable ASCII rows exactly as cli-table3 does, widths taken from the widest cell, header included", () => {
    const rows = [
      ["s1", "alice", 7, "established"],
      ["s2", "", 12345, "failed"],
      ["s3", "a much longer peer name than the header", 0, "incomplete"],
    ];
    const text = tableText(HEAD, rows);
    expect(text).toBe(cliTable(HEAD, rows));
    // hand-checked: "a much longer peer name than the header" is 39 columns, plus one space each side
    expect(text.split("\n")[0]).toBe(`┌─────────┬${"─".repeat(41)}┬─────────┬─────────────┐`);
    expect(text.split("\n")[3]).toBe(`│ s1      │ alice${" ".repeat(35)}│ 7       │ established │`);
  });

  it("rows with wide characters, combining marks, emoji and colour codes: cli-table3 measures them, the table is the same", () => {
    const rows = [
      ["s1", "名前", 1, paint("green", "established")], // CJK: two columns each
      ["s2", "e\u0301te\u0301", 2, paint("red", "failed")], // combining acute accents: no column
      ["s3", "bob \u{1F600}", 3, "incomplete"], // an emoji: two columns
      ["s4", "plain", 4, "incomplete"],
      ["s5", "painted", 5, paint("yellow", "incomplete")], // colour codes: no columns
    ];
    expect(tableText(HEAD, rows)).toBe(cliTable(HEAD, rows));
    // alone, the CJK name takes 4 columns, as many as the header "Peer": the column is 4 + padding, not 2 + padding
    expect(tableText(HEAD, rows.slice(0, 1)).split("\n")[3]).toContain("│ 名前 │");
  });

  it("a table of 2,500 rows (past what cli-table3 lays out in reasonable time) is the same as cli-table3's", () => {
    const peer = (i: number): string => (i % 997 === 0 ? `peer ${"長".repeat(i % 5)}` : `peer${i}`);
    const rows = Array.from({ length: 2500 }, (_, i) => [`s${i + 1}`, peer(i), i * 7, i % 2 === 0 ? "established" : paint("red", "failed")]);
    expect(tableText(HEAD, rows)).toBe(cliTable(HEAD, rows));
  });

  it("no rows: the header between its borders", () => {
    expect(tableText(HEAD, [])).toBe(cliTable(HEAD, []));
  });
});

describe("useColor", () => {
  it("colours a terminal unless NO_COLOR is set to anything non-empty (no-color.org) or TERM is dumb", () => {
    const tty = { isTTY: true };
    expect(useColor(tty, {})).toBe(true);
    expect(useColor({ isTTY: false }, {})).toBe(false);
    expect(useColor({}, {})).toBe(false);
    expect(useColor(tty, { NO_COLOR: "1" })).toBe(false);
    expect(useColor(tty, { NO_COLOR: "false" })).toBe(false);
    expect(useColor(tty, { NO_COLOR: "" })).toBe(true);
    expect(useColor(tty, { TERM: "dumb" })).toBe(false);
    expect(useColor(tty, { TERM: "xterm-256color" })).toBe(true);
  });
});
