// `npm run bench`: the benchmark of issue 5 (session-bench.js). Synthesizes its captures once
// into bench/data/ (git-ignored), then times each measurement in a fresh process and prints one
// table of medians with the targets met or not.
//   BENCH_MB=1024         size of capture (a) in MB (10^6 bytes); (b) is four times larger
//   BENCH_RUNS=3          runs of each measurement; the median is reported
//   BENCH_TSHARK_RUNS=1   runs of tshark, which is slow (0 leaves it out)
// `npm run bench -- --hostile`: the hostile captures of issue 6 (hostile-bench.js), seconds and
// peak RSS against the 200 MB bound.
//   BENCH_HOSTILE_COUNT=1000000   distinct SYNs / GRE call IDs in each capture
//   BENCH_HOSTILE_MB=1024         size of each capture in MB
//   BENCH_HOSTILE_RUNS=1          runs of each
import { runHostileBench } from "./hostile-bench.js";
import { runSessionBench } from "./session-bench.js";

function countFromEnv(name, fallback, least = 1) {
  const text = process.env[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < least) {
    console.error(`${name} must be an integer of at least ${least}, not "${text}"`);
    process.exit(2);
  }
  return value;
}

if (process.argv.includes("--hostile")) {
  await runHostileBench({
    count: countFromEnv("BENCH_HOSTILE_COUNT", 1_000_000),
    sizeMb: countFromEnv("BENCH_HOSTILE_MB", 1024),
    runs: countFromEnv("BENCH_HOSTILE_RUNS", 1),
  });
} else {
  await runSessionBench({
    sizeMb: countFromEnv("BENCH_MB", 1024),
    runs: countFromEnv("BENCH_RUNS", 3),
    tsharkRuns: countFromEnv("BENCH_TSHARK_RUNS", 1, 0),
  });
}
