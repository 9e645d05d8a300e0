/**
 * The property every fuzz case must hold: analyze() returns a report, or refuses the input
 * with a CaptureOpenError (what the command line turns into exit code 2 and one line on
 * stderr), and never throws anything else. A report must render in every format, as it is
 * and redacted (--redact-addresses), without throwing, with no character a terminal acts on
 * left raw, with JSON that parses, with ISO 8601 times and a summary that adds up. A
 * capture the generator built well-formed must not be reported as damaged.
 *
 * The time and memory bounds are the runner's (runner.ts): a hang or an allocation storm
 * cannot be caught from inside the thread that suffers it.
 */
import { analyzeCaptures } from "../analyze.js";
import { CaptureOpenError } from "../capture/problems.js";
import { RULES } from "../diagnose/index.js";
import { renderJson } from "../report/json.js";
import { renderMarkdown } from "../report/markdown.js";
import { redact } from "../report/redact.js";
import { REPORT_SCHEMA, type Report } from "../report/schema.js";
import { renderTable } from "../report/table.js";

export type FailureKind = "exception" | "invariant" | "timeout" | "memory" | "worker-crash" | "cli";

export interface Failure {
  kind: FailureKind;
  /** One line: what went wrong. */
  message: string;
  /** The stack or other evidence, for the person who fixes it. */
  detail: string;
  /** Equal for failures that are one bug: the kind, the message without numbers and paths, and where it was thrown. */
  signature: string;
}

export type Verdict =
  | { kind: "report"; sessions: number; findings: number; millis: number }
  | { kind: "rejected"; message: string; millis: number }
  | { kind: "failure"; failure: Failure };

export interface CheckOptions {
  /**
   * The capture was generated well-formed: a capture-level malformed or capture-truncated
   * finding (records, packet headers) is a failure. A session's malformed finding is not:
   * the generator scripts conversations that break PPTP or PPP on purpose (data after a
   * FIN, a SYN again mid-stream, a CHAP value sized for another dialect than LCP agreed),
   * out of packets that are each well-formed.
   */
  wellFormed: boolean;
}

/**
 * What a terminal or a text viewer acts on instead of showing: C0 controls other than the
 * line feed, DEL, C1 controls (U+009B is CSI) and the bidirectional overrides and isolates.
 * Written independently of report/escape.ts, which it checks.
 */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;
/** What a number or object turned to text by mistake prints as (packet strings of the fuzz cases do not hold these words). */
const PROGRAMMING_SLIP = /\bNaN\b|\bundefined\b|\[object Object\]|\bInfinity\b/;
/** The report's times (schema.ts): UTC, micro- or nanoseconds, years past 9999 in ISO 8601's expanded form. */
const ISO_TIME = /^(\d{4}|[+-]\d{6,})-\d\d-\d\dT\d\d:\d\d:\d\d\.(\d{6}|\d{9})Z$/;
const KNOWN_CODES: ReadonlySet<string> = new Set(RULES.map((rule) => rule.code));
/** Codes that say the capture itself is damaged. */
const DAMAGE_CODES: ReadonlySet<string> = new Set(["malformed", "capture-truncated"]);

export async function checkCapture(path: string, options: CheckOptions): Promise<Verdict> {
  const started = performance.now();
  let analysis: Awaited<ReturnType<typeof analyzeCaptures>>;
  try {
    analysis = await analyzeCaptures([path]);
  } catch (error) {
    if (error instanceof CaptureOpenError) {
      if (error.message === "" || error.message.includes("\n")) return failed(invariant("CaptureOpenError message is not one line", JSON.stringify(error.message)));
      return { kind: "rejected", message: error.message, millis: performance.now() - started };
    }
    return failed(exceptionFailure(error, path));
  }
  try {
    // Every format, then every format of the report with names and addresses redacted.
    const redacted = redact(analysis.report, { addresses: true });
    const broken =
      reportProblem(analysis.report, options) ??
      renderingProblem(analysis.report, renderTable(analysis, { color: false }), "") ??
      renderingProblem(redacted, renderTable({ ...analysis, report: redacted }, { color: false }), "redacted ");
    if (broken) return failed(broken);
  } catch (error) {
    return failed(exceptionFailure(error, path));
  }
  const { report } = analysis;
  const findings = report.findings.length + report.sessions.reduce((sum, s) => sum + s.findings.length, 0);
  return { kind: "report", sessions: report.sessions.length, findings, millis: performance.now() - started };
}

function failed(failure: Failure): Verdict {
  return { kind: "failure", failure };
}

function reportProblem(report: Report, options: CheckOptions): Failure | undefined {
  const { summary, sessions } = report;
  if (summary.sessions !== sessions.length) return invariant("summary counts other sessions than the report lists", `${summary.sessions} / ${sessions.length}`);
  if (summary.established + summary.failed + summary.incomplete !== sessions.length) return invariant("summary outcomes do not add up to the sessions");
  const times = [
    ...report.captures.flatMap((c) => [c.first, c.last]),
    ...sessions.flatMap((s) => [s.start, s.end, ...s.control.messages.map((m) => m.time)]),
  ];
  const badTime = times.find((time) => time !== null && !ISO_TIME.test(time));
  if (badTime !== undefined) return invariant("a time is not ISO 8601", String(badTime));
  for (const finding of [...report.findings, ...sessions.flatMap((s) => s.findings)]) {
    if (!KNOWN_CODES.has(finding.code)) return invariant("finding code of no registered rule", finding.code);
  }
  const damage = options.wellFormed ? report.findings.find((finding) => DAMAGE_CODES.has(finding.code)) : undefined;
  if (damage !== undefined) return invariant(`well-formed capture reported ${damage.code}`, damage.message);
  return undefined;
}

/** The JSON (parsed back), the Markdown and the given table of a report, checked as outputProblem does. */
function renderingProblem(report: Report, table: string, what: string): Failure | undefined {
  const text = renderJson(report);
  const json = JSON.parse(text) as { schema?: unknown };
  if (json.schema !== REPORT_SCHEMA) return invariant(`${what}JSON report has another schema`, String(json.schema));
  return outputProblem(`${what}json`, text) ?? outputProblem(`${what}markdown`, renderMarkdown(report)) ?? outputProblem(`${what}table`, table);
}

/** What a rendered report must not show: a programming slip, or a raw control character. */
export function outputProblem(format: string, text: string): Failure | undefined {
  const slip = PROGRAMMING_SLIP.exec(text);
  if (slip !== null) return invariant(`${format} output shows a ${slip[0]}`, JSON.stringify(text.slice(Math.max(0, slip.index - 40), slip.index + 20)));
  const raw = RAW_CONTROL.exec(text);
  if (raw === null) return undefined;
  const context = text.slice(Math.max(0, raw.index - 30), raw.index + 10);
  return invariant(`${format} output has a raw control character`, `U+${raw[0].codePointAt(0)!.toString(16).padStart(4, "0")} in ${JSON.stringify(context)}`);
}

/** A broken promise of the report; `what` names it (and makes the signature), `evidence` shows this case's instance. */
function invariant(what: string, evidence = ""): Failure {
  return { kind: "invariant", message: evidence === "" ? what : `${what}: ${evidence}`, detail: "", signature: `invariant: ${what}` };
}

/** Project frames in a stack: "    at fn (file:///.../dist/capture/frame.js:43:41)". */
const PROJECT_FRAME = /at (?:(.+?) \()?(?:file:\/\/)?[^\s()]*\/(?:dist|src)\/([^\s()]+?)\.[jt]s:\d+:\d+\)?/;

export function exceptionFailure(error: unknown, path: string): Failure {
  const name = error instanceof Error ? error.name : typeof error;
  const message = (error instanceof Error ? error.message : String(error)).split(path).join("FILE");
  const stack = error instanceof Error ? (error.stack ?? "") : "";
  const frame = PROJECT_FRAME.exec(stack);
  const where = frame ? ` at ${frame[1] ?? "<anonymous>"} (${frame[2]})` : "";
  const firstLine = message.split("\n", 1)[0];
  return { kind: "exception", message: `${name}: ${firstLine}${where}`, detail: stack, signature: `exception: ${name}: ${normalize(firstLine)}${where}` };
}

/** Numbers vary between cases of one bug; they do not make another bug. */
export function normalize(text: string): string {
  return text.replace(/\d+/g, "N");
}
