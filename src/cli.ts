/** The command line (contract in ../shared/DESIGN.md): arguments -> analyze() -> report -> exit code. */
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { isIP } from "node:net";
import { allFindings, analyzeCaptures, summarize } from "./analyze.js";
import { RULES, ruleFor } from "./diagnose/index.js";
import { DEFAULT_PPTP_PORT } from "./decode/decoder.js";
import { ProgressLine } from "./report/progress.js";
import { CaptureOpenError } from "./capture/reader.js";
import type { Report, Severity } from "./report/schema.js";
import { renderTable } from "./report/table.js";
import { jsonPieces } from "./report/json.js";
import { renderMarkdown } from "./report/markdown.js";
import { writeReport } from "./report/write.js";
import { redact } from "./report/redact.js";
import { useColor } from "./report/color.js";
import { TOOL_NAME, TOOL_VERSION } from "./version.js";

export const ExitCode = { Ok: 0, FindingsAtThreshold: 1, UsageOrInput: 2 } as const;

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 1, warning: 2, error: 3 };
const FAIL_ON_RANK: Readonly<Record<string, number>> = { info: 1, warning: 2, error: 3, never: Infinity };

interface CliOptions {
  format: "table" | "json" | "markdown";
  output?: string;
  failOn: keyof typeof FAIL_ON_RANK;
  pptpPort: number;
  server?: string;
  client?: string;
  explain?: string;
  progress: boolean;
  redact?: boolean;
  redactAddresses?: boolean;
}

/** An address as the report writes it: IPv6 compressed and in lower case (RFC 5952), as a URL host gives it. */
function parseAddress(value: string): string {
  const version = isIP(value);
  if (version === 0) throw new InvalidArgumentError("must be an IPv4 or IPv6 address.");
  return version === 6 ? new URL(`http://[${value}]/`).hostname.slice(1, -1) : value;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) throw new InvalidArgumentError("must be a port number 1-65535.");
  return port;
}

function buildProgram(): Command {
  return new Command()
    .name(TOOL_NAME)
    .description("Analyze packet captures of PPTP VPN sessions and explain why they failed.")
    .version(TOOL_VERSION, "-V, --version")
    .argument("[capture...]", "capture files (pcap, pcapng, optionally gzip-compressed), directories (every capture file in them), or - for standard input; several are merged by time")
    .addOption(new Option("--format <format>", "report format").choices(["table", "json", "markdown"]).default("table"))
    .option("-o, --output <file>", "write the report to a file instead of standard output")
    .addOption(
      new Option("--fail-on <severity>", "exit 1 if a finding at or above this severity").choices(Object.keys(FAIL_ON_RANK)).default("error"),
    )
    .option("--server <ip>", "only sessions with this server address (dialed or answering); links and capture-level findings stay", parseAddress)
    .option("--client <ip>", "only sessions from this client address; links and capture-level findings stay", parseAddress)
    .option("--pptp-port <n>", "TCP port of the PPTP control channel", parsePort, DEFAULT_PPTP_PORT)
    .option("--redact", "replace user, peer and host names and phone numbers by stable placeholders, in every format")
    .option("--redact-addresses", "also map IP addresses to stable placeholders (documentation addresses); implies --redact")
    .option("--explain <code>", "print what a finding code means, how it shows on the wire and how to fix it")
    .option("--no-progress", "no progress line on standard error (it is shown only on a terminal)")
    .addHelpText(
      "after",
      `
Examples:
  $ pptp-analyze capture.pcapng
  $ pptp-analyze --format json -o report.json ring_00001.pcapng ring_00002.pcapng
  $ pptp-analyze --client 192.0.2.10 --fail-on warning capture.pcap
  $ pptp-analyze --format markdown --redact -o ticket.md capture.pcapng
  $ pptp-analyze --explain reply-from-other-address
  $ tcpdump -i eth0 -w - 'tcp port 1723 or proto 47' | pptp-analyze -

Exit codes: 0 analyzed, nothing at or above --fail-on; 1 analyzed, something was;
2 usage error, unreadable file, or not a capture.`,
    )
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text.trimEnd() + "\n") });
}

/** Runs the command line; returns the exit code instead of exiting, so tests can call it. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    program.parse(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      const done = error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help";
      return done ? ExitCode.Ok : ExitCode.UsageOrInput;
    }
    throw error;
  }
  const options = program.opts<CliOptions>();
  const inputs = program.args;
  if (options.explain !== undefined) return explain(options.explain);
  if (inputs.length === 0) {
    process.stderr.write(`${TOOL_NAME}: no capture given (see ${TOOL_NAME} --help)\n`);
    return ExitCode.UsageOrInput;
  }
  const progress = options.progress && process.stderr.isTTY ? new ProgressLine((text) => process.stderr.write(text)) : undefined;
  try {
    const analysis = await analyzeCaptures(inputs, {
      pptpPort: options.pptpPort,
      onProgress: progress ? (read, total) => progress.update(read, total) : undefined,
    });
    progress?.clear();
    analysis.report = filterSessions(analysis.report, options);
    if (options.redact || options.redactAddresses) analysis.report = redact(analysis.report, { addresses: options.redactAddresses === true });
    const pieces =
      options.format === "json"
        ? jsonPieces(analysis.report)
        : options.format === "markdown"
          ? [renderMarkdown(analysis.report)]
          : [renderTable(analysis, { color: options.output === undefined && useColor(process.stdout) })];
    writeReport(pieces, options.output);
    const threshold = FAIL_ON_RANK[options.failOn];
    const failing = allFindings(analysis.report).some((f) => SEVERITY_RANK[f.severity] >= threshold);
    return failing ? ExitCode.FindingsAtThreshold : ExitCode.Ok;
  } catch (error) {
    progress?.clear();
    process.stderr.write(`${TOOL_NAME}: ${describeError(error)}\n`);
    return ExitCode.UsageOrInput;
  }
}

/** --explain: the rule's own explanation. */
function explain(code: string): number {
  const rule = ruleFor(code);
  if (rule === undefined) {
    process.stderr.write(`${TOOL_NAME}: unknown finding code "${code}"; known codes: ${RULES.map((r) => r.code).join(", ")}\n`);
    return ExitCode.UsageOrInput;
  }
  const { meaning, onTheWire, remedy } = rule.explain;
  process.stdout.write(`${rule.code} (${rule.severity})\n\nWhat it means:\n  ${meaning}\n\nOn the wire:\n  ${onTheWire}\n\nHow to fix it:\n  ${remedy}\n`);
  return ExitCode.Ok;
}

/** --server / --client: only the sessions with those addresses; the summary counts what is left. */
function filterSessions(report: Report, options: CliOptions): Report {
  if (options.server === undefined && options.client === undefined) return report;
  const sessions = report.sessions.filter(
    (s) =>
      (options.client === undefined || s.client === options.client) &&
      (options.server === undefined || s.dialed === options.server || s.serverAddresses.includes(options.server) || s.gre.toClient.from.includes(options.server)),
  );
  return { ...report, sessions, summary: summarize(sessions, report.findings) };
}

/** One line for the user; the stack only when PPTP_ANALYZE_DEBUG is set. */
function describeError(error: unknown): string {
  if (error instanceof CaptureOpenError) return error.message;
  if (process.env.PPTP_ANALYZE_DEBUG && error instanceof Error && error.stack) return error.stack;
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code && (error as NodeJS.ErrnoException).path) return `${(error as NodeJS.ErrnoException).path}: cannot write: ${code}`;
  return `internal error: ${error instanceof Error ? error.message : String(error)} (set PPTP_ANALYZE_DEBUG=1 for details)`;
}
