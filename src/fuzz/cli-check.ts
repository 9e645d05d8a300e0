/**
 * The command line's side of the property, for a sample of the cases: the built
 * `pptp-analyze FILE` in one of a few output variants (JSON as the brief of the fuzzer asks,
 * redacted JSON, redacted Markdown, the table) exits 0, 1 or 2, never by a signal or past
 * its time; on 2 it writes exactly one line to stderr, no "internal error", nothing to
 * stdout, and only when analyze() refused the file too; on 0 or 1 stderr is empty (no
 * progress line: stderr is not a terminal) and stdout is the report, JSON that parses, with
 * nothing a terminal acts on. Two variants give the case another way in: through standard
 * input ("-"), and as a capture set of the file twice, whose frames the reader merges.
 */
import { spawn } from "node:child_process";
import { createReadStream } from "node:fs";
import { fileURLToPath } from "node:url";
import { REPORT_SCHEMA } from "../report/schema.js";
import { outputProblem, type Failure, type Verdict } from "./property.js";

/** How the case's file reaches the CLI: its path, standard input, or its path twice (a capture set). */
type CliInput = "path" | "stdin" | "set";

/** The command lines the sampled cases go through in turn; checkCli runs the first, JSON, unless told otherwise. */
export const CLI_VARIANTS: ReadonlyArray<{ args: readonly string[]; format: "json" | "markdown" | "table"; input: CliInput }> = [
  { args: ["--format", "json"], format: "json", input: "path" },
  { args: ["--format", "json", "--redact-addresses"], format: "json", input: "path" },
  { args: ["--format", "markdown", "--redact"], format: "markdown", input: "path" },
  { args: [], format: "table", input: "path" },
  { args: ["--format", "json"], format: "json", input: "stdin" },
  { args: ["--format", "json"], format: "json", input: "set" },
];

const INPUT_ARGUMENTS: Readonly<Record<CliInput, (path: string) => string[]>> = {
  path: (path) => [path],
  stdin: () => ["-"],
  set: (path) => [path, path],
};

const CLI_SCRIPT = new URL("../../bin/pptp-analyze.js", import.meta.url);

/** What the CLI prints when something other than bad input went wrong (cli.ts describeError). */
const INTERNAL_ERROR = "internal error";
/** stdout kept at most: a report of a fuzz case is far smaller. */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

function cliFailure(what: string, evidence: string): Failure {
  return { kind: "cli", message: `${what}: ${evidence.split("\n", 1)[0].slice(0, 200)}`, detail: evidence, signature: `cli: ${what}` };
}

/**
 * Runs the CLI on `path` with CLI_VARIANTS[variant]; null when it kept its promises, else
 * what it broke. `inProcess` is analyze()'s verdict on the same bytes.
 */
export function checkCli(path: string, inProcess: Verdict, timeoutMs: number, variant = 0): Promise<Failure | null> {
  const { args, format, input } = CLI_VARIANTS[variant % CLI_VARIANTS.length];
  return new Promise((resolve) => {
    const argv = [fileURLToPath(CLI_SCRIPT), ...args, ...INPUT_ARGUMENTS[input](path)];
    const child = spawn(process.execPath, argv, { stdio: ["pipe", "pipe", "pipe"], timeout: timeoutMs });
    // the CLI may stop reading early (not a capture): the broken pipe is its choice, not a failure
    child.stdin.on("error", () => {});
    if (input === "stdin") createReadStream(path).pipe(child.stdin);
    else child.stdin.end();
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    child.stdout.on("data", (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes <= MAX_OUTPUT_BYTES) out.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error) => resolve(cliFailure("could not run the CLI", error.message)));
    child.on("close", (code, signal) => {
      const stdout = Buffer.concat(out).toString("utf8");
      const stderr = Buffer.concat(err).toString("utf8");
      resolve(judge(code, signal, stdout, stderr, inProcess, format));
    });
  });
}

const STOPPED = "the CLI was stopped by a signal (time limit?)";
/** What a CLI run that passed its time limit fails with (the caller may give it a second chance, as a loaded machine can stall). */
export const CLI_TIMEOUT_SIGNATURE = `cli: ${STOPPED}`;

function judge(code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string, inProcess: Verdict, format: string): Failure | null {
  if (signal !== null) return cliFailure(STOPPED, signal);
  if (code === 2) {
    if (!/^[^\n]+\n$/.test(stderr)) return cliFailure("exit 2 without exactly one line on stderr", stderr);
    if (stderr.includes(INTERNAL_ERROR)) return cliFailure("the CLI reported an internal error", stderr);
    if (stdout !== "") return cliFailure("exit 2 with output on stdout", stdout);
    if (inProcess.kind === "report") return cliFailure("exit 2 although analyze() returned a report", stderr);
    return null;
  }
  if (code !== 0 && code !== 1) return cliFailure("exit code other than 0, 1 or 2", `${code}: ${stderr}`);
  if (stderr !== "") return cliFailure(`exit ${code} with output on stderr`, stderr);
  if (inProcess.kind === "rejected") return cliFailure(`exit ${code} although analyze() refused the file`, inProcess.message);
  if (format === "json") {
    try {
      const report = JSON.parse(stdout) as { schema?: unknown };
      if (report.schema !== REPORT_SCHEMA) return cliFailure("stdout is JSON of another schema", String(report.schema));
    } catch (error) {
      return cliFailure("stdout is not JSON", error instanceof Error ? error.message : String(error));
    }
  }
  const shown = outputProblem(format, stdout);
  return shown ? cliFailure(`stdout: ${shown.signature}`, shown.message) : null;
}
