/**
 * `npm run fuzz -- [--seconds N | --cases N] [--seed S] ...`: a fuzzing run of analyze() and
 * the CLI (campaign.ts). Prints a short summary; new failures are saved, minimized, in
 * test/crashes/. Exits 1 when any case failed, 2 on a bad argument.
 */
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { formatSummary, runCampaign } from "./campaign.js";

const USAGE = `usage: npm run fuzz -- [options]
  --seconds <n>         run for about n seconds (default 60 unless --cases is given)
  --cases <n>           run n cases
  --seed <n>            seed of the run (default: from the clock; printed)
  --workers <n>         worker threads (default: CPUs, at most 2)
  --cli-every <n>       every n-th case also through the built CLI, in JSON, redacted JSON,
                        redacted Markdown, table, JSON from stdin and JSON of the file
                        given twice, in turn (default 50; 0 = none)
  --generated <share>   share of generated-session batches, 0..1 (default 0.25)
  --timeout-ms <n>      time for one case (default 5000)
  --heap-mb <n>         heap of a worker thread (default 256)
  --crashes <dir>       where reproducers go (default test/crashes)
  --no-save             do not save reproducers`;

const DEFAULT_SECONDS = 60;
/** A progress line on stderr at most this often. */
const PROGRESS_SECONDS = 30;
const MAX_DEFAULT_WORKERS = 2;
const CRASHES = fileURLToPath(new URL("../../test/crashes/", import.meta.url));

function number(value: string | undefined, name: string, fallback: number, min = 0, max = Infinity): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) {
    const range = max === Infinity ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new RangeError(`--${name} must be a number ${range}, got "${value}"`);
  }
  return n;
}

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        seconds: { type: "string" },
        cases: { type: "string" },
        seed: { type: "string" },
        workers: { type: "string" },
        "cli-every": { type: "string" },
        generated: { type: "string" },
        "timeout-ms": { type: "string" },
        "heap-mb": { type: "string" },
        crashes: { type: "string" },
        "no-save": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const cases = values.cases === undefined ? undefined : number(values.cases, "cases", 0, 1);
    args = {
      seed: number(values.seed, "seed", Date.now() % 0x7fffffff, 0, 0x7fffffff),
      cases,
      seconds: values.seconds !== undefined ? number(values.seconds, "seconds", 0, 1) : cases === undefined ? DEFAULT_SECONDS : undefined,
      workers: number(values.workers, "workers", Math.min(MAX_DEFAULT_WORKERS, availableParallelism()), 1, 64),
      cliEvery: number(values["cli-every"], "cli-every", 50),
      generatedShare: number(values.generated, "generated", 0.25, 0, 1),
      timeoutMs: number(values["timeout-ms"], "timeout-ms", 5000, 100),
      heapMb: number(values["heap-mb"], "heap-mb", 256, 16),
      crashDirectory: values["no-save"] ? undefined : (values.crashes ?? CRASHES),
    };
  } catch (error) {
    process.stderr.write(`fuzz: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  process.stderr.write(`fuzz: seed ${args.seed}, ${args.cases !== undefined ? `${args.cases} cases` : `${args.seconds} s`}, ${args.workers} worker(s)\n`);
  let lastProgress = 0;
  const result = await runCampaign({
    ...args,
    worker: { script: new URL("./worker.js", import.meta.url) },
    log: (line) => process.stderr.write(`${line}\n`),
    onBatch: (soFar) => {
      if (soFar.seconds - lastProgress < PROGRESS_SECONDS) return;
      lastProgress = soFar.seconds;
      const cases = soFar.cases.mutation + soFar.cases.generated;
      process.stderr.write(`fuzz: ${cases} cases in ${soFar.seconds.toFixed(0)} s, ${soFar.verdicts.failure} failed\n`);
    },
  });
  process.stdout.write(`${formatSummary(result)}\n`);
  return result.verdicts.failure > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
