// Runs the commands the benchmark times, each in a child process measured from outside: the wall
// time from start to exit (Node's start-up included, as a user waits for it) and the peak RSS
// that GNU time reports ("Maximum resident set size" of `/usr/bin/time -v`).
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, readSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DATA_FOLDER } from "./data-files.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const CLI = join(ROOT, "bin", "pptp-analyze.js");
export const MEASURE = join(ROOT, "bench", "measure.js");

const GNU_TIME = "/usr/bin/time";
export const HAS_GNU_TIME = existsSync(GNU_TIME);
const MAX_RSS_LINE = /Maximum resident set size \(kbytes\): (\d+)/;
/** Standard output kept for commands that print a result (measure.js prints one line). */
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;
/** Bytes per read when warming the page cache. */
const WARM_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * The environment and Node options of the bin's #! line (`#!/usr/bin/env -S NAME=value node
 * --option`): the floor and zlib processes run Node with them too, so that a ratio compares
 * the work done, not the allocator or heap settings.
 */
function binRuntime() {
  const words = readFileSync(CLI, "utf8").split("\n", 1)[0].replace(/^#!\S+\s+-S\s+/, "").split(/\s+/);
  const node = words.findIndex((word) => !word.includes("="));
  const env = Object.fromEntries(words.slice(0, node).map((word) => [word.slice(0, word.indexOf("=")), word.slice(word.indexOf("=") + 1)]));
  return { env, nodeOptions: words.slice(node + 1) };
}
export const BIN_RUNTIME = binRuntime();

/**
 * Runs `command args` with `env` added to the environment, standard output dropped (or
 * returned with `keepOutput`) and standard error kept for the message when it fails. Returns {seconds, maxRssBytes, output};
 * maxRssBytes is undefined without GNU time. Throws when the command does not exit with 0.
 */
export function measureProcess(command, args, { keepOutput = false, env = {} } = {}) {
  const timeReport = join(tmpdir(), `pptp-analyze-bench-${process.pid}.time`);
  const [file, argv] = HAS_GNU_TIME ? [GNU_TIME, ["-v", "-o", timeReport, command, ...args]] : [command, args];
  const t0 = performance.now();
  const result = spawnSync(file, argv, {
    stdio: ["ignore", keepOutput ? "pipe" : "ignore", "pipe"],
    env: { ...process.env, ...env },
    encoding: "utf8",
    maxBuffer: MAX_OUTPUT_BYTES,
  });
  const seconds = (performance.now() - t0) / 1000;
  if (result.error) throw new Error(`${command}: ${result.error.message}`);
  if (result.status !== 0) {
    const reason = result.stderr.trim().split("\n").pop() ?? "";
    throw new Error(`${[command, ...args].join(" ")} exited with ${result.status ?? result.signal}: ${reason}`);
  }
  let maxRssBytes;
  if (HAS_GNU_TIME) {
    const match = MAX_RSS_LINE.exec(readFileSync(timeReport, "utf8"));
    rmSync(timeReport, { force: true });
    if (match) maxRssBytes = Number(match[1]) * 1024;
  }
  return { seconds, maxRssBytes, output: result.stdout ?? "" };
}

/**
 * The arguments of the timed CLI: the JSON report into bench/data/, where the benchmark reads
 * it back. The CLI runs as a user runs it, the bin file itself, so that its #! line (the
 * Node options it runs with) counts.
 */
export function cliArgs(capture) {
  return ["--format", "json", "-o", reportPathFor(capture), capture, "--no-progress", "--fail-on", "never"];
}

export function reportPathFor(capture) {
  return join(DATA_FOLDER, `${basename(capture)}.report.json`);
}

export function readReport(capture) {
  return JSON.parse(readFileSync(reportPathFor(capture), "utf8"));
}

/** Reads a file once so that every timed run finds it in the page cache, not only the later ones. */
export function warmPageCache(path) {
  const fd = openSync(path, "r");
  const buffer = Buffer.allocUnsafe(WARM_CHUNK_BYTES);
  while (readSync(fd, buffer, 0, buffer.length, null) > 0);
  closeSync(fd);
}
