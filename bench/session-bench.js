// The benchmark of issue 5: the session captures (generate.js) through the record-header walk
// (the floor for Node), reading and decoding alone, reading into the session model, the whole
// CLI, zlib alone and tshark, each in a fresh process, several times round-robin; one table of
// medians, the warm-up a cold process pays, the targets met or not, and each report checked
// against the verdicts its sessions were built to show.
import { statSync } from "node:fs";
import { ensureSessionCaptures, LARGE_FACTOR } from "./generate.js";
import { BIN_RUNTIME, CLI, cliArgs, HAS_GNU_TIME, MEASURE, measureProcess, readReport, warmPageCache } from "./processes.js";
import { change, commandLine, count, describeMachine, hasTshark, markdownTable, median, megabytes, percent, shown, verdict } from "./report.js";
import { expectedVerdicts } from "./session-mix.js";

/** Targets of issue 5, and issue 3's (issue 2's decoding target with the session model in the loop). */
const TARGET = {
  /** Reading, decoding and the session model of (a) against the floor's throughput (issue 3). */
  modelFloorShare: 0.5,
  /** Full analysis of (a) against the floor's throughput. */
  floorShare: 0.6,
  /** Full analysis of (a) against tshark's. */
  tsharkFactor: 20,
  /** Peak RSS on (a) and on (b). */
  maxRssBytes: 150e6,
  /** How much more (b) may take than (a): memory is flat. */
  largeRssGrowth: 0.1,
  /** How much longer pcapng, or gzip over its slower part, may take than the pcap. */
  formatSlowdown: 0.1,
};

/**
 * One row of the table: what runs, on which capture, and which pcap holds the same frames
 * (the floor and the packet count of a pcapng or gzip row come from that pcap).
 */
function row(file, capture, sameFramesAs, role, mode, command, args, runs) {
  return { file, capture, same: sameFramesAs, role, mode, command, args, runs, samples: [] };
}

function plannedRows(captures, runs, tsharkRuns) {
  const { a, b, pcapng, gzip } = captures;
  const node = process.execPath;
  return [
    row("(a) pcap", a, a, "floor", "floor: record-header walk", node, [...BIN_RUNTIME.nodeOptions, MEASURE, "floor", a], runs),
    row("(a) pcap", a, a, "decode", "read + decode every layer", node, [...BIN_RUNTIME.nodeOptions, MEASURE, "decode", a], runs),
    row("(a) pcap", a, a, "model", "read + decode + session model", node, [...BIN_RUNTIME.nodeOptions, MEASURE, "model", a], runs),
    row("(a) pcap", a, a, "warm-up", "session model, twice in one process", node, [...BIN_RUNTIME.nodeOptions, MEASURE, "model-twice", a], runs),
    row("(a) pcap", a, a, "analyze", "pptp-analyze", CLI, cliArgs(a), runs),
    row("(a) pcap", a, a, "tshark", "tshark, filter pptp or gre", "tshark", ["-r", a, "-Y", "pptp || gre", "-T", "fields", "-e", "frame.number"], tsharkRuns),
    row("(b) pcap", b, b, "floor", "floor: record-header walk", node, [...BIN_RUNTIME.nodeOptions, MEASURE, "floor", b], runs),
    row("(b) pcap", b, b, "analyze", "pptp-analyze", CLI, cliArgs(b), runs),
    row("(c) pcapng", pcapng, a, "analyze", "pptp-analyze", CLI, cliArgs(pcapng), runs),
    row("(c) gzip", gzip, a, "zlib", "zlib inflate only", node, [...BIN_RUNTIME.nodeOptions, MEASURE, "gunzip", gzip], runs),
    row("(c) gzip", gzip, a, "analyze", "pptp-analyze", CLI, cliArgs(gzip), runs),
  ].filter((r) => r.runs > 0);
}

/** Node's own rows run as the bin's #! line runs the CLI; tshark runs as installed. */
const envOf = (r) => (r.command === process.execPath ? BIN_RUNTIME.env : {});

/** The ways a report differs from the verdicts the sessions were built to show. */
function reportProblems(capture, expectedPackets) {
  const report = readReport(capture);
  const expected = expectedVerdicts();
  const problems = [];
  const packets = report.captures[0]?.packets;
  if (packets !== expectedPackets) problems.push(`${packets} packets, where the record walk counted ${expectedPackets}`);
  const { findings: expectedCodes, ...expectedCounts } = expected.summary;
  for (const [key, n] of Object.entries(expectedCounts)) {
    if (report.summary[key] !== n) problems.push(`summary.${key} ${report.summary[key]}, expected ${n}`);
  }
  const codes = (counts) => JSON.stringify(Object.entries(counts).sort(([x], [y]) => x.localeCompare(y)));
  if (codes(report.summary.findings) !== codes(expectedCodes)) {
    problems.push(`finding counts ${JSON.stringify(report.summary.findings)}, expected ${JSON.stringify(expectedCodes)}`);
  }
  const byClient = new Map(report.sessions.map((s) => [`${s.client}:${s.clientPort}`, s]));
  const wrong = expected.sessions.find((want) => {
    const got = byClient.get(`${want.client}:${want.clientPort}`);
    return got === undefined || got.outcome !== want.outcome || got.clientCallId !== want.clientCallId ||
      got.findings.map((f) => f.code).sort().join() !== [...want.findings].sort().join();
  });
  if (wrong) problems.push(`session ${wrong.client}:${wrong.clientPort} (the first wrong one) is not ${wrong.outcome} [${wrong.findings}]`);
  return problems;
}

/**
 * What a cold process pays: the model of (a) built twice in one process, each pass's median
 * time, CPU time (all threads: V8 compiles and collects on threads of its own) and page faults.
 */
function warmUpLine(r) {
  const pass = (i, key) => median(r.samples.map((s) => JSON.parse(s.output).passes[i][key]));
  const passText = (i) => `${pass(i, "seconds").toFixed(2)} s (CPU ${pass(i, "cpuSeconds").toFixed(2)} s, ${count(pass(i, "pageFaults"))} page faults)`;
  return `warm-up: the session model of (a) built twice in one process (medians of ${r.samples.length}): first pass ${passText(0)}, ` +
    `second pass ${passText(1)}; the second runs on code V8 has already optimized, in a heap already grown`;
}

function resultOf(r) {
  const rss = r.samples.map((s) => s.maxRssBytes);
  return { seconds: median(r.samples.map((s) => s.seconds)), maxRssBytes: rss.includes(undefined) ? undefined : Math.max(...rss) };
}

export async function runSessionBench({ sizeMb, runs, tsharkRuns }) {
  const captures = await ensureSessionCaptures(sizeMb);
  const rows = plannedRows(captures, runs, hasTshark() ? tsharkRuns : 0);
  for (const path of Object.values(captures)) warmPageCache(path);

  const packetsOf = new Map();
  const problemsOf = new Map();
  const maxRuns = Math.max(...rows.map((r) => r.runs));
  for (let run = 0; run < maxRuns; run++) {
    for (const r of rows.filter((r) => run < r.runs)) {
      console.error(`run ${run + 1}/${r.runs}: ${r.file}, ${r.mode}`);
      const sample = measureProcess(r.command, r.args, { keepOutput: r.role === "floor" || r.role === "warm-up", env: envOf(r) });
      r.samples.push(sample);
      if (r.role === "floor") packetsOf.set(r.capture, JSON.parse(sample.output).packets);
      if (r.role === "analyze" && !problemsOf.has(r.capture)) problemsOf.set(r.capture, reportProblems(r.capture, packetsOf.get(r.same)));
    }
  }

  const find = (file, role) => rows.find((r) => r.file === file && r.role === role);
  const floorOf = (pcap) => rows.find((r) => r.role === "floor" && r.capture === pcap);
  const tshark = find("(a) pcap", "tshark");
  const table = [["file", "mode", "size MB", "runs", "median s", "MB/s", "packets/s", "peak RSS MB", "vs floor", "vs tshark"]];
  // the warm-up row is not a throughput: it is shown below the table, pass by pass
  for (const r of rows.filter((r) => r.role !== "warm-up")) {
    const { seconds, maxRssBytes } = resultOf(r);
    // MB/s of the capture as the reader sees it: the uncompressed pcap for gzip input
    const bytesRead = statSync(r.capture === captures.gzip ? captures.a : r.capture).size;
    const versusTshark = tshark && r.role === "analyze" && r.capture === captures.a ? `${(resultOf(tshark).seconds / seconds).toFixed(1)}×` : "";
    table.push([
      r.file,
      r.mode,
      megabytes(statSync(r.capture).size),
      r.samples.length,
      seconds.toFixed(2),
      (bytesRead / 1e6 / seconds).toFixed(0),
      count(Math.round(packetsOf.get(r.same) / seconds)),
      megabytes(maxRssBytes),
      percent(resultOf(floorOf(r.same)).seconds / seconds),
      versusTshark,
    ]);
  }

  const analyzeA = resultOf(find("(a) pcap", "analyze"));
  const analyzeB = resultOf(find("(b) pcap", "analyze"));
  const pcapng = resultOf(find("(c) pcapng", "analyze"));
  const gzip = resultOf(find("(c) gzip", "analyze"));
  const zlib = resultOf(find("(c) gzip", "zlib"));
  const floorShare = resultOf(floorOf(captures.a)).seconds / analyzeA.seconds;
  const modelFloorShare = resultOf(floorOf(captures.a)).seconds / resultOf(find("(a) pcap", "model")).seconds;
  const tsharkFactor = tshark ? resultOf(tshark).seconds / analyzeA.seconds : undefined;
  const rss = (r) => (r.maxRssBytes === undefined ? undefined : r.maxRssBytes <= TARGET.maxRssBytes);
  const rssGrowth = analyzeA.maxRssBytes && analyzeB.maxRssBytes ? analyzeB.maxRssBytes / analyzeA.maxRssBytes - 1 : undefined;
  const pcapngSlowdown = pcapng.seconds / analyzeA.seconds - 1;
  // gzip input is limited only by zlib when it takes no longer than the slower of inflating and analyzing the pcap
  const gzipSlowdown = gzip.seconds / Math.max(zlib.seconds, analyzeA.seconds) - 1;
  const targets = [
    [`issue 3: read + decode + session model of (a) at ≥ ${percent(TARGET.modelFloorShare)} of the floor's throughput`, percent(modelFloorShare),
      modelFloorShare >= TARGET.modelFloorShare],
    [`full analysis of (a) at ≥ ${percent(TARGET.floorShare)} of the floor's throughput`, percent(floorShare), floorShare >= TARGET.floorShare],
    [`full analysis of (a) ≥ ${TARGET.tsharkFactor}× tshark's throughput`, tsharkFactor ? `${tsharkFactor.toFixed(1)}×` : "no tshark",
      tsharkFactor === undefined ? undefined : tsharkFactor >= TARGET.tsharkFactor],
    [`peak RSS on (a) ≤ ${megabytes(TARGET.maxRssBytes)} MB`, `${megabytes(analyzeA.maxRssBytes)} MB`, rss(analyzeA)],
    [`peak RSS on (b) ≤ ${megabytes(TARGET.maxRssBytes)} MB`, `${megabytes(analyzeB.maxRssBytes)} MB`, rss(analyzeB)],
    [`flat memory: peak RSS on (b) ≤ (a) + ${percent(TARGET.largeRssGrowth)}`, rssGrowth === undefined ? "n/a" : change(rssGrowth),
      rssGrowth === undefined ? undefined : rssGrowth <= TARGET.largeRssGrowth],
    [`pcapng within ${percent(TARGET.formatSlowdown)} of pcap (time on the same frames)`, change(pcapngSlowdown), pcapngSlowdown <= TARGET.formatSlowdown],
    [`gzip limited only by zlib: ≤ ${percent(TARGET.formatSlowdown)} over the slower of zlib inflate and the pcap's analysis`,
      change(gzipSlowdown), gzipSlowdown <= TARGET.formatSlowdown],
  ];

  console.log([
    ...describeMachine(),
    `(a) ${shown(captures.a)}: ${count(packetsOf.get(captures.a))} packets, 2,000 interleaved PPTP sessions (one in ten failing as a fixture does), ` +
      "20 % of the bytes unrelated TCP/UDP",
    `(b) ${shown(captures.b)}: ${count(packetsOf.get(captures.b))} packets, the same sessions, each with ${LARGE_FACTOR}× the data over ${LARGE_FACTOR}× the time`,
    `(c) ${shown(captures.pcapng)} and ${shown(captures.gzip)}: the frames of (a)`,
    "each row: the median of its runs, round-robin in fresh processes; seconds = wall time of the whole process, Node's start-up included; " +
      `peak RSS ${HAS_GNU_TIME ? "from /usr/bin/time -v, the largest of the runs" : "not measured: install GNU time (/usr/bin/time)"}; ` +
      "MB = 10^6 bytes; MB/s of the capture as read (uncompressed for gzip); vs floor = packets/s against the record walk over the same frames",
    "",
    markdownTable(table),
    "",
    warmUpLine(find("(a) pcap", "warm-up")),
    "",
    "targets of issues 3 and 5:",
    ...targets.map(([what, value, met]) => `  ${what}: ${value}: ${verdict(met)}`),
    "",
    "reports against the verdicts the sessions were built to show (bench/session-mix.js):",
    ...[...problemsOf].map(([capture, problems]) => `  ${shown(capture)}: ${problems.length === 0 ? "as built" : `WRONG: ${problems.join("; ")}`}`),
    "",
    "commands:",
    ...rows.map((r) => `  ${commandLine(r.command, r.args, envOf(r))}`),
  ].join("\n"));
}
