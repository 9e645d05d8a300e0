// The memory figures of issue 6: the hostile captures (hostile.js) through the CLI, seconds and
// peak RSS against the 200 MB bound, with what each report says it dropped.
import { statSync } from "node:fs";
import { ensureHostileCaptures } from "./hostile.js";
import { CLI, cliArgs, HAS_GNU_TIME, measureProcess, readReport, warmPageCache } from "./processes.js";
import { commandLine, count, describeMachine, markdownTable, median, megabytes, shown, verdict } from "./report.js";

/** Issue 6: memory stays under this on a 1 GB capture of a million distinct SYNs or GRE call IDs. */
const MAX_RSS_BYTES = 200e6;

export async function runHostileBench({ count: keys, sizeMb, runs }) {
  const captures = await ensureHostileCaptures(keys, sizeMb);
  const table = [["capture", "size MB", "packets", "runs", "median s", "MB/s", `peak RSS MB`, `≤ ${megabytes(MAX_RSS_BYTES)} MB`, "report"]];
  const limits = [];
  for (const capture of captures) {
    warmPageCache(capture.path);
    const samples = [];
    for (let run = 0; run < runs; run++) {
      console.error(`run ${run + 1}/${runs}: ${capture.name}`);
      samples.push(measureProcess(CLI, cliArgs(capture.path)));
    }
    const seconds = median(samples.map((s) => s.seconds));
    const maxRssBytes = HAS_GNU_TIME ? Math.max(...samples.map((s) => s.maxRssBytes)) : undefined;
    const report = readReport(capture.path);
    const findings = Object.entries(report.summary.findings).sort(([x], [y]) => x.localeCompare(y));
    const size = statSync(capture.path).size;
    table.push([
      capture.name,
      megabytes(size),
      count(report.captures[0].packets),
      runs,
      seconds.toFixed(2),
      (size / 1e6 / seconds).toFixed(0),
      megabytes(maxRssBytes),
      verdict(maxRssBytes === undefined ? undefined : maxRssBytes <= MAX_RSS_BYTES),
      `${count(report.summary.sessions)} sessions; ${findings.map(([code, n]) => `${code} ${count(n)}`).join(", ") || "no findings"}`,
    ]);
    for (const finding of report.findings.filter((f) => f.code === "limit-reached")) limits.push(`  ${capture.name}: ${finding.message}`);
  }
  console.log([
    ...describeMachine(),
    ...captures.map((c) => `${c.name}: ${shown(c.path)}: ${c.description}`),
    `seconds = wall time of the whole process; peak RSS ${HAS_GNU_TIME ? "from /usr/bin/time -v" : "not measured: install GNU time (/usr/bin/time)"}; MB = 10^6 bytes`,
    "",
    markdownTable(table),
    "",
    ...(limits.length > 0 ? ["limits reached, as the reports say:", ...limits, ""] : []),
    "commands:",
    ...captures.map((c) => `  ${commandLine(CLI, cliArgs(c.path))}`),
  ].join("\n"));
}
