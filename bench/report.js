// What the benchmark prints: the machine it ran on, figures, and tables in Markdown so that the
// README can take them as they are.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { relative } from "node:path";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";

export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Sizes, rates and RSS are in MB of 10^6 bytes, as the targets of issues 5 and 6 are. */
export const megabytes = (bytes) => (bytes === undefined ? "n/a" : (bytes / 1e6).toFixed(0));

export const count = (n) => n.toLocaleString("en-US");

export const percent = (x) => `${Math.round(x * 100)} %`;

/** A change as a percentage with its sign: "+4 %", "-3 %", "0 %". */
export function change(x) {
  const rounded = Math.round(x * 100);
  return `${rounded > 0 ? "+" : ""}${rounded === 0 ? 0 : rounded} %`;
}

/** A target's verdict: met, not met, or not measured (undefined). */
export const verdict = (met) => (met === undefined ? "not measured" : met ? "met" : "NOT MET");

/** A path as the user would type it from the current folder. */
export const shown = (path) => relative(process.cwd(), path) || path;

/** A command line as one would type it in a shell, with the environment variables it sets. */
export function commandLine(command, args, env = {}) {
  const word = (arg) => (/^[\w./=:-]+$/.test(arg) ? arg : `'${arg}'`);
  const settings = Object.entries(env).map(([name, value]) => `${name}=${value}`);
  return [...settings, command === process.execPath ? "node" : command, ...args.map(shown)].map(word).join(" ");
}

function cpuModel() {
  const cpuinfo = existsSync("/proc/cpuinfo") ? readFileSync("/proc/cpuinfo", "utf8") : "";
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? "unknown CPU";
  const mhz = /^cpu MHz\s*:\s*([\d.]+)$/m.exec(cpuinfo)?.[1];
  return mhz ? `${model} at ${Math.round(Number(mhz))} MHz` : model;
}

function tsharkVersion() {
  const result = spawnSync("tshark", ["--version"], { encoding: "utf8" });
  return result.status === 0 ? result.stdout.split("\n")[0] : undefined;
}

export const hasTshark = () => tsharkVersion() !== undefined;

export function describeMachine() {
  const tshark = tsharkVersion();
  return [
    `machine: ${cpuModel()}, ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
      `${process.platform} ${process.arch}, Node ${process.version}, ${tshark ?? "no tshark"}`,
    `load average at start: ${loadavg().map((l) => l.toFixed(2)).join(" ")} (other work on the machine slows every figure)`,
  ];
}

/** A Markdown table; `rows[0]` is the header. */
export function markdownTable(rows) {
  const widths = rows[0].map((_, c) => Math.max(3, ...rows.map((row) => String(row[c]).length)));
  const line = (row) => "| " + row.map((cell, c) => String(cell).padEnd(widths[c])).join(" | ") + " |";
  return [line(rows[0]), "|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|", ...rows.slice(1).map(line)].join("\n");
}
