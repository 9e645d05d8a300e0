/** The command line (contract in ../shared/DESIGN.md): arguments -> analyze() -> report -> exit code. */
import { writeFileSync } from "node:fs";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { allFindings, analyzeCaptures } from "./analyze.js";
import { CaptureOpenError } from "./capture/reader.js";
import type { Severity } from "./report/schema.js";
import { renderTable } from "./report/table.js";
import { TOOL_NAME, TOOL_VERSION } from "./version.js";

export const ExitCode = { Ok: 0, FindingsAtThreshold: 1, UsageOrInput: 2 } as const;

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 1, warning: 2, error: 3 };
const FAIL_ON_RANK: Readonly<Record<string, number>> = { info: 1, warning: 2, error: 3, never: Infinity };

interface CliOptions {
  format: "table" | "json";
  output?: string;
  failOn: keyof typeof FAIL_ON_RANK;
  pptpPort: number;
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
    .argument("<capture...>", "capture files (pcap, pcapng, optionally gzip-compressed), or - for standard input")
    .addOption(new Option("--format <format>", "report format").choices(["table", "json"]).default("table"))
    .option("-o, --output <file>", "write the report to a file instead of standard output")
    .addOption(
      new Option("--fail-on <severity>", "exit 1 if a finding at or above this severity").choices(Object.keys(FAIL_ON_RANK)).default("error"),
    )
    .option("--pptp-port <n>", "TCP port of the PPTP control channel", parsePort, 1723)
    .addHelpText(
      "after",
      `
Examples:
  $ pptp-analyze capture.pcapng
  $ pptp-analyze --format json -o report.json ring_00001.pcapng ring_00002.pcapng
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
  try {
    const analysis = await analyzeCaptures(inputs, { pptpPort: options.pptpPort });
    const text = options.format === "json" ? JSON.stringify(analysis.report, null, 2) + "\n" : renderTable(analysis);
    if (options.output) writeFileSync(options.output, text);
    else process.stdout.write(text);
    const threshold = FAIL_ON_RANK[options.failOn];
    const failing = allFindings(analysis.report).some((f) => SEVERITY_RANK[f.severity] >= threshold);
    return failing ? ExitCode.FindingsAtThreshold : ExitCode.Ok;
  } catch (error) {
    process.stderr.write(`${TOOL_NAME}: ${describeError(error)}\n`);
    return ExitCode.UsageOrInput;
  }
}

/** One line for the user; the stack only when PPTP_ANALYZE_DEBUG is set. */
function describeError(error: unknown): string {
  if (error instanceof CaptureOpenError) return error.message;
  if (process.env.PPTP_ANALYZE_DEBUG && error instanceof Error && error.stack) return error.stack;
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code && (error as NodeJS.ErrnoException).path) return `${(error as NodeJS.ErrnoException).path}: cannot write: ${code}`;
  return `internal error: ${error instanceof Error ? error.message : String(error)} (set PPTP_ANALYZE_DEBUG=1 for details)`;
}
