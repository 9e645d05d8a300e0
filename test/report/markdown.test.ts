import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { marked } from "marked";
import { beforeAll, describe, expect, it } from "vitest";
import { analyze } from "../../src/analyze.js";
import { escapeTerminal } from "../../src/report/escape.js";
import { MAX_CONTROL_ARROWS, MAX_DIAGRAMS, MAX_OTHER_PARTICIPANTS, renderMarkdown } from "../../src/report/markdown.js";
import type { ControlMessageSummary, Report, Session } from "../../src/report/schema.js";
import { HOSTILE, HOSTILE_SESSIONS, writeHostileCapture } from "./hostile-capture.js";
import { mermaidBlocks, parseSequence, type SequenceMessage } from "./mermaid-check.js";

const FIXTURES = fileURLToPath(new URL("../../fixtures/", import.meta.url));
const HEALTHY = `${FIXTURES}healthy.pcap`;

let healthy: Report;
let hostile: Report;
let hostilePath: string;

beforeAll(async () => {
  healthy = await analyze([HEALTHY]);
  hostilePath = writeHostileCapture();
  hostile = await analyze([hostilePath]);
});

/**
 * Parses a diagram with Mermaid and checks that it holds exactly the statements written:
 * one participant per "participant" line and one message or note per other line (an
 * injected ";" or newline would add one).
 */
async function checkedDiagram(block: string) {
  const lines = block.trimEnd().split("\n");
  expect(lines[0]).toBe("sequenceDiagram");
  const parsed = await parseSequence(block);
  const participantLines = lines.filter((l) => l.startsWith("  participant "));
  expect(parsed.participants).toHaveLength(participantLines.length);
  expect(parsed.messages).toHaveLength(lines.length - 1 - participantLines.length);
  return parsed;
}

/** The visible text of an HTML fragment: tags dropped, the five entities marked writes decoded. */
function htmlText(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

function toHtml(markdown: string): string {
  return marked.parse(markdown, { gfm: true, async: false }) as string;
}

/** A failed session shaped like the healthy one, with the given changes. */
function failedSession(base: Session, changes: Partial<Session>): Session {
  return { ...structuredClone(base), outcome: "failed", findings: [], ...changes };
}

function message(frame: number, from: "client" | "server", type: string, result?: number): ControlMessageSummary {
  return { frame, time: "2024-03-01T09:00:00.000000Z", from, type, ...(result !== undefined ? { result, error: 0 } : {}) };
}

describe("renderMarkdown on the healthy fixture", () => {
  it("lists the capture and the session as the fixture script built them, with no diagram", () => {
    const out = renderMarkdown(healthy);
    const lines = out.split("\n");
    expect(lines[0]).toBe("# PPTP session analysis");
    // 76 frames by the script: 3 handshake, 5 control, LCP 6, MS-CHAPv2 3, CCP 4, IPCP 6,
    // 40 data, LCP Terminate 2, 4 control, 3 close.
    expect(lines).toContain(
      `| ${HEALTHY} | pcap | ETHERNET | 76 | 35456 | 2024-03-01T09:00:00.000000Z | 2024-03-01T09:00:00.015000Z | 0.015 s |`,
    );
    expect(lines).toContain(
      "| s1 | 192.0.2.10:49152 | 198.51.100.1 | 198.51.100.1 | 7210 / 32769 | 1 to 76 | closed: User request | MS-CHAPv2 success (alice) | opened: client 10.8.0.2, server 10.8.0.1 | established |",
    );
    expect(lines).toContain("No findings.");
    expect(out).not.toContain("```mermaid");
  });
});

describe("renderMarkdown with hostile packet strings", () => {
  it("renders (marked, GFM) to nothing but the report's own structure", () => {
    const html = toHtml(renderMarkdown(hostile));
    const tags = new Set([...html.matchAll(/<\/?([a-z0-9]+)/g)].map((m) => m[1]));
    expect([...tags].filter((t) => !["h1", "h2", "h3", "p", "table", "thead", "tbody", "tr", "th", "td", "strong", "ul", "li", "pre", "code"].includes(t))).toEqual([]);
    // Code only as the two diagrams (both sessions failed).
    expect(html.match(/<code/g)).toHaveLength(2);
    expect(html.match(/<pre><code class="language-mermaid">/g)).toHaveLength(2);
    const strong = new Set([...html.matchAll(/<strong>([\s\S]*?)<\/strong>/g)].map((m) => m[1]));
    const ours = ["Sessions:", "Findings:", "failed", "incomplete", HOSTILE_SESSIONS.s2.greFrom, "Evidence frames:", "Detail:", "Recommended address:", "Remedy:"];
    expect([...strong].filter((s) => !ours.includes(s))).toEqual([]);
  });

  it("keeps every session row at ten cells", () => {
    const html = toHtml(renderMarkdown(hostile));
    const sessions = html.slice(html.indexOf("<h2>Sessions</h2>"), html.indexOf("</table>", html.indexOf("<h2>Sessions</h2>")));
    const rows = [...sessions.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => [...m[1].matchAll(/<t[hd]>/g)].length);
    expect(rows).toEqual([10, 10, 10]);
  });

  it("shows each packet text as sent, controls made visible", () => {
    const text = htmlText(toHtml(renderMarkdown(hostile)));
    for (const s of [HOSTILE.chapName, HOSTILE.papName, HOSTILE.papMessage, HOSTILE.terminate, HOSTILE.fileName]) {
      expect(text, JSON.stringify(s)).toContain(escapeTerminal(s));
    }
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });

  it("draws each failed session as Mermaid reads it: participants, arrows and notes with the texts as sent", async () => {
    const blocks = mermaidBlocks(renderMarkdown(hostile));
    expect(blocks).toHaveLength(2);
    const [s1, s2] = await Promise.all(blocks.map(checkedDiagram));
    const gre = (m: SequenceMessage) => ({ ...m, text: m.text.replace(/, \d+ bytes/, ", N bytes") });

    // Frames by the script: s1 handshake 1-3, control 4-7, GRE 8-16, Call-Clear 17, Disconnect 18.
    const a = HOSTILE_SESSIONS.s1;
    expect(s1.participants).toEqual([
      { id: "C", description: `Client ${a.client}:${a.clientPort}` },
      { id: "D", description: `Dialed ${a.server}` },
    ]);
    expect(s1.messages.slice(0, 6).map(gre)).toEqual([
      { from: "C", to: "D", kind: "solid", text: "Start-Control-Connection-Request, frame 4" },
      { from: "D", to: "C", kind: "solid", text: "Start-Control-Connection-Reply, result 1 (successful channel establishment), frame 5" },
      { from: "C", to: "D", kind: "solid", text: "Outgoing-Call-Request, frame 6" },
      { from: "D", to: "C", kind: "solid", text: "Outgoing-Call-Reply, result 1 (connected), frame 7" },
      // Client: LCP Configure-Request and -Ack, CHAP Response, Terminate-Ack; server: one more.
      { from: "C", to: "D", kind: "dotted", text: "GRE: 4 packets, N bytes" },
      { from: "D", to: "C", kind: "dotted", text: "GRE: 5 packets, N bytes" },
    ]);
    expect(s1.messages[6]).toEqual({ from: "C", to: "D", kind: "note", text: escapeTerminal(`LCP closed: ${HOSTILE.terminate}`) });
    expect(s1.messages[7].text.startsWith(escapeTerminal(`authentication MS-CHAPv2 failure (${HOSTILE.chapName}): E=691`))).toBe(true);
    expect(s1.messages.slice(8, 10)).toEqual([
      { from: "C", to: "D", kind: "solid", text: "Call-Clear-Request, frame 17" },
      { from: "D", to: "C", kind: "solid", text: "Call-Disconnect-Notify, result 3 (admin shutdown), frame 18" },
    ]);
    expect(s1.messages[10].text.startsWith("outcome failed")).toBe(true);
    expect(s1.messages).toHaveLength(11);

    // s2: handshake 19-21, control 22-26; its server's GRE comes from another address.
    const b = HOSTILE_SESSIONS.s2;
    expect(s2.participants).toEqual([
      { id: "C", description: `Client ${b.client}:${b.clientPort}` },
      { id: "D", description: `Dialed ${b.server}` },
      { id: "A1", description: `Also answering ${b.greFrom}` },
    ]);
    expect(s2.messages.slice(0, 9).map(gre)).toEqual([
      { from: "C", to: "D", kind: "solid", text: "Start-Control-Connection-Request, frame 22" },
      { from: "D", to: "C", kind: "solid", text: "Start-Control-Connection-Reply, result 1 (successful channel establishment), frame 23" },
      { from: "C", to: "D", kind: "solid", text: "Outgoing-Call-Request, frame 24" },
      { from: "D", to: "C", kind: "solid", text: "Outgoing-Call-Reply, result 1 (connected), frame 25" },
      { from: "C", to: "D", kind: "solid", text: "Set-Link-Info, frame 26" },
      { from: "C", to: "D", kind: "dotted", text: "GRE: 3 packets, N bytes" },
      { from: "A1", to: "C", kind: "dotted", text: "GRE: 3 packets, N bytes, not from the dialed address" },
      { from: "C", to: "A1", kind: "note", text: "LCP opened" },
      { from: "C", to: "A1", kind: "note", text: escapeTerminal(`authentication PAP failure (${HOSTILE.papName}): ${HOSTILE.papMessage}`) },
    ]);
    expect(s2.messages[9].text.startsWith("outcome failed")).toBe(true);
    expect(s2.messages).toHaveLength(10);
  });
});

describe("renderMarkdown findings", () => {
  it("gives each finding its severity, session, message, evidence frames (file#frame), detail, address and remedy", () => {
    const report = structuredClone(healthy);
    report.findings.push({ code: "capture-truncated", severity: "warning", message: "1. cut short", frames: [{ file: "ring_1.pcapng", frame: 12 }, { file: "ring_2.pcapng", frame: 3 }] });
    report.sessions[0].findings.push({
      code: "reply-from-other-address",
      severity: "error",
      message: "GRE came from 203.0.113.5 <not> the dialed address",
      frames: [5, 7],
      detail: "E=691 *x*",
      recommended: "203.0.113.5",
      remedy: "dial 203.0.113.5",
    });
    const lines = renderMarkdown(report).split("\n");
    const at = lines.indexOf("## Findings");
    expect(lines.slice(at)).toEqual([
      "## Findings",
      "",
      "Frames are Wireshark frame numbers (file#frame when there are several files).",
      "",
      "### 1. Warning: capture-truncated (capture)",
      "",
      "1\\. cut short", // at the start of a line, "1." would begin a list
      "",
      "- **Evidence frames:** ring\\_1.pcapng\\#12, ring\\_2.pcapng\\#3",
      "",
      "### 2. Error: reply-from-other-address (session s1)",
      "",
      "GRE came from 203.0.113.5 \\<not\\> the dialed address",
      "",
      "- **Evidence frames:** 5, 7",
      "- **Detail:** E=691 \\*x\\*",
      "- **Recommended address:** 203.0.113.5",
      "- **Remedy:** dial 203.0.113.5",
      "",
    ]);
    expect(lines).toContain("**Sessions:** 1 (1 established, 0 failed, 0 incomplete). **Findings:** 1 error, 1 warning, 0 info.");
  });
});

describe("renderMarkdown sequence diagrams", () => {
  it("draws a control connection that got no answer, one refused, and one answered from elsewhere", async () => {
    const base = healthy.sessions[0];
    const noCall = { clientCallId: null, serverCallId: null, control: { messages: [] }, gre: { toServer: { packets: 0, bytes: 0 }, toClient: { packets: 0, bytes: 0, from: [] } } };
    const report = structuredClone(healthy);
    report.sessions = [
      failedSession(base, { id: "s1", ...noCall, serverAddresses: [] }),
      failedSession(base, { id: "s2", ...noCall, serverAddresses: [base.dialed] }),
      failedSession(base, { id: "s3", ...noCall, serverAddresses: ["203.0.113.9"] }),
    ];
    const [unanswered, refused, elsewhere] = await Promise.all(mermaidBlocks(renderMarkdown(report)).map(checkedDiagram));
    const connect = { from: "C", to: "D", kind: "solid", text: "TCP connection to the PPTP control port" };
    expect(unanswered.messages).toEqual([connect, { from: "C", to: "D", kind: "note", text: "no reply in the capture" }, { from: "C", to: "D", kind: "note", text: "outcome failed" }]);
    expect(refused.messages).toEqual([connect, { from: "D", to: "C", kind: "solid", text: "TCP reply, no PPTP message" }, { from: "C", to: "D", kind: "note", text: "outcome failed" }]);
    expect(elsewhere.participants.map((p) => p.description)).toEqual([`Client ${base.client}:${base.clientPort}`, `Dialed ${base.dialed}`, "Also answering 203.0.113.9"]);
    expect(elsewhere.messages.slice(0, 2)).toEqual([connect, { from: "A1", to: "C", kind: "solid", text: "TCP reply for the control connection, not from the dialed address" }]);
  });

  it("merges repeated messages into one arrow and stops at its limits", async () => {
    const base = healthy.sessions[0];
    const echoes = [10, 11, 12, 13, 14].map((frame) => message(frame, "client", "Echo-Request"));
    const alternating = Array.from({ length: 100 }, (_, i) => message(100 + i, i % 2 === 0 ? "client" : "server", i % 2 === 0 ? "Echo-Request" : "Echo-Reply", i % 2 === 0 ? undefined : 1));
    const others = Array.from({ length: MAX_OTHER_PARTICIPANTS + 2 }, (_, i) => `203.0.113.${i + 1}`);
    const report = structuredClone(healthy);
    report.sessions = [failedSession(base, { control: { messages: [...echoes, ...alternating] }, serverAddresses: [base.dialed, ...others] })];
    const [diagram] = await Promise.all(mermaidBlocks(renderMarkdown(report)).map(checkedDiagram));
    expect(diagram.participants.map((p) => p.id)).toEqual(["C", "D", ...Array.from({ length: MAX_OTHER_PARTICIPANTS }, (_, i) => `A${i + 1}`)]);
    const last = `A${MAX_OTHER_PARTICIPANTS}`;
    expect(diagram.messages[0]).toEqual({ from: "C", to: last, kind: "note", text: "2 more answering addresses not drawn" });
    // The other addresses are TCP-only answerers here (not GRE sources): one reply arrow each.
    const replies = diagram.messages.filter((m) => m.text === "TCP reply for the control connection, not from the dialed address");
    expect(replies).toHaveLength(MAX_OTHER_PARTICIPANTS);
    const control = diagram.messages.filter((m) => m.kind === "solid" && m.text.startsWith("Echo-"));
    expect(control[0]).toEqual({ from: "C", to: "D", kind: "solid", text: "Echo-Request, 6 times, frames 10 to 100" });
    expect(control[1]).toEqual({ from: "D", to: "C", kind: "solid", text: "Echo-Reply, result 1 (OK), frame 101" });
    expect(control).toHaveLength(MAX_CONTROL_ARROWS);
    // 1 merged run of six, then 99 alternating: 100 runs, of which MAX_CONTROL_ARROWS are drawn.
    expect(diagram.messages).toContainEqual({ from: "C", to: last, kind: "note", text: `${100 - MAX_CONTROL_ARROWS} more control messages not drawn` });
  });

  it(`draws at most ${MAX_DIAGRAMS} diagrams and says how many more sessions failed`, () => {
    const report = structuredClone(healthy);
    report.sessions = Array.from({ length: MAX_DIAGRAMS + 3 }, (_, i) => failedSession(healthy.sessions[0], { id: `s${i + 1}` }));
    const out = renderMarkdown(report);
    expect(mermaidBlocks(out)).toHaveLength(MAX_DIAGRAMS);
    expect(out).toContain("3 more sessions that were not established are not drawn; see the sessions table.");
  });

  it("writes only diagrams that Mermaid parses, for every fixture", async () => {
    const captures = readdirSync(FIXTURES).filter((f) => /\.pcap(ng)?(\.gz)?$/.test(f));
    expect(captures.length).toBeGreaterThan(0);
    for (const file of captures) {
      for (const block of mermaidBlocks(renderMarkdown(await analyze([`${FIXTURES}${file}`])))) await checkedDiagram(block);
    }
  });
});
