// `npm run bench`: synthesizes the benchmark capture once (bench/data/, git-ignored), then measures
// each mode several times in fresh processes and prints one table with the medians.
//   BENCH_MB=1024 (capture size)  BENCH_RUNS=3 (runs per mode)
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { cpus, totalmem } from "node:os";
import { ensureBenchCapture } from "./generate.js";

const here = dirname(fileURLToPath(import.meta.url));
const sizeMb = Number(process.env.BENCH_MB ?? 1024);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const capture = join(here, "data", `sessions-${sizeMb}mb.pcap`);

ensureBenchCapture(capture, sizeMb * 1e6);

const MODES = [
  ["floor", "record-header walk (the floor)"],
  ["decode", "read + decode every layer"],
  ["analyze", "full analysis (report built)"],
  ["pcap-parser", "pcap-parser 0.2.1, count only"],
];

function measure(mode) {
  const out = execFileSync(process.execPath, [join(here, "measure.js"), mode, capture], { encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").pop());
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const results = {};
for (const [mode] of MODES) {
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(measure(mode));
  results[mode] = {
    packets: samples[0].packets,
    bytes: samples[0].bytes,
    seconds: median(samples.map((s) => s.seconds)),
    maxRssBytes: Math.max(...samples.map((s) => s.maxRssBytes)),
  };
}

const floor = results.floor;
console.log(`capture: ${capture} (${(floor.bytes / 1e6).toFixed(0)} MB of packet data, ${floor.packets} packets)`);
console.log(`machine: ${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
console.log(`median of ${runs} runs each\n`);
const rows = [["mode", "seconds", "MB/s", "packets/s", "peak RSS MB", "vs floor"]];
for (const [mode, label] of MODES) {
  const r = results[mode];
  rows.push([
    label,
    r.seconds.toFixed(3),
    (r.bytes / 1e6 / r.seconds).toFixed(0),
    Math.round(r.packets / r.seconds).toLocaleString("en-US"),
    (r.maxRssBytes / 2 ** 20).toFixed(0),
    `${((floor.seconds / r.seconds) * 100).toFixed(0)} %`,
  ]);
}
const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => String(row[c]).length)));
for (const row of rows) console.log("| " + row.map((cell, c) => String(cell).padEnd(widths[c])).join(" | ") + " |");
