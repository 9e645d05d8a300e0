/**
 * A fuzzing run: cases in batches, spread over a few lanes that each own a worker
 * (runner.ts). Most batches are mutation cases (mutate.ts on seeds.ts), the rest are
 * fast-check runs of generated sessions (generate.ts). Every case goes through analyze()
 * in the worker and a sample also through the built CLI (cli-check.ts).
 *
 * The first case that shows a new failure (a new signature) is minimized, by delta
 * debugging for mutations and by fast-check's shrinking for generated sessions, and saved
 * as a reproducer (crashes.ts); later cases with the same signature are only counted.
 * Case n of seed s is the same on every run, whatever the lanes did before it.
 */
import fc from "fast-check";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { BlockType } from "../capture/pcapng.js";
import { SeededRandom } from "../synth/random.js";
import { CLI_TIMEOUT_SIGNATURE, CLI_VARIANTS, checkCli } from "./cli-check.js";
import { pick } from "./choose.js";
import { CrashDirectory, GENERATED_ORIGIN } from "./crashes.js";
import { buildCapture, extensionOf, generatedCapture, type GeneratedCapture } from "./generate.js";
import { minimizeCapture, type TestBudget } from "./minimize.js";
import { caseSeed, maybeCompress, mutateCapture } from "./mutate.js";
import type { Failure, Verdict } from "./property.js";
import { IsolatedRunner, type CaseRequest, type WorkerSource } from "./runner.js";
import { fixtureSeeds, rewrapped, type SeedCapture } from "./seeds.js";

export interface CampaignOptions {
  seed: number;
  /** Stop after this many cases. */
  cases?: number;
  /** Start no batch after this many seconds. */
  seconds?: number;
  /** Lanes, each with its own worker thread. */
  workers: number;
  /** Every n-th mutation case, and every n-th run of a generated batch, also goes through the CLI (CLI_VARIANTS in turn); 0 = none. */
  cliEvery: number;
  /** Where reproducers are saved and known ones read; undefined = neither. */
  crashDirectory?: string;
  worker: WorkerSource;
  /** Time for one case in the worker, and for one CLI run. */
  timeoutMs: number;
  heapMb: number;
  /** Share of the batches that are generated sessions (0..1). */
  generatedShare: number;
  log?: (line: string) => void;
  /** Called after every batch with the figures so far. */
  onBatch?: (soFar: Readonly<CampaignResult>) => void;
}

export interface FoundFailure {
  failure: Failure;
  /** How the first case that showed it was made. */
  origin: string;
  /** Cases that showed it. */
  cases: number;
  /** The saved reproducer, when saving. */
  reproducer?: string;
  reproducerBytes: number;
}

export interface CampaignResult {
  seed: number;
  seconds: number;
  cases: { mutation: number; generated: number };
  verdicts: { report: number; rejected: number; failure: number };
  cliRuns: number;
  /** Cases (or CLI runs) that timed out once and passed when run again. */
  retried: number;
  /** The longest time a passing case took in the worker. */
  slowestMillis: number;
  /** Extra runs spent minimizing and shrinking. */
  minimizationRuns: number;
  /** Failures whose signature had no reproducer yet. */
  failures: FoundFailure[];
  /** Failing cases whose signature already had a reproducer in the crash directory. */
  knownFailures: number;
}

/** Cases per batch: small enough that a time limit is kept closely, large enough that fast-check's runs grow in size. */
const BATCH_CASES = 50;
/** Candidate runs for minimizing (or shrinking) one failure. */
const MINIMIZATION_TESTS = 400;
const SLOW_FAILURE_MINIMIZATION_TESTS = 8;
/** A CLI run also starts Node and loads the tool: it gets this many case time limits. */
const CLI_TIMEOUT_FACTOR = 2;

type Job = { kind: "mutation"; first: number; count: number } | { kind: "generated"; batch: number; count: number };

/** A lane runs one job at a time in its own worker. */
interface Lane {
  runner: IsolatedRunner;
  /** Where the CLI's copy of a case is written. */
  cliFile: string;
}

export async function runCampaign(options: CampaignOptions): Promise<CampaignResult> {
  return new Campaign(options).run();
}

class Campaign {
  private readonly started = performance.now();
  private readonly deadline: number;
  private readonly seeds = fixtureSeeds();
  private readonly corpus = this.seeds.map((s) => s.bytes);
  private readonly crashes: CrashDirectory | undefined;
  /** Failures of this run by signature, in the order found. */
  private readonly found = new Map<string, FoundFailure>();
  private readonly result: CampaignResult;
  private readonly log: (line: string) => void;
  // Jobs in a fixed order, handed to whichever lane is free.
  private jobNumber = 0;
  private planned = 0;
  private mutationIndex = 0;
  private generatedBatch = 0;

  constructor(private readonly options: CampaignOptions) {
    this.deadline = options.seconds === undefined ? Infinity : this.started + options.seconds * 1000;
    this.crashes = options.crashDirectory === undefined ? undefined : new CrashDirectory(options.crashDirectory);
    this.log = options.log ?? (() => {});
    this.result = {
      seed: options.seed,
      seconds: 0,
      cases: { mutation: 0, generated: 0 },
      verdicts: { report: 0, rejected: 0, failure: 0 },
      cliRuns: 0,
      retried: 0,
      slowestMillis: 0,
      minimizationRuns: 0,
      failures: [],
      knownFailures: 0,
    };
  }

  async run(): Promise<CampaignResult> {
    const scratch = mkdtempSync(join(tmpdir(), "pptp-analyze-fuzz-cli-"));
    const lanes: Lane[] = Array.from({ length: this.options.workers }, (_, i) => ({
      runner: new IsolatedRunner(this.options.worker, { timeoutMs: this.options.timeoutMs, heapMb: this.options.heapMb }),
      cliFile: join(scratch, `cli-${i}`),
    }));
    try {
      await Promise.all(lanes.map((lane) => this.runLane(lane)));
    } finally {
      await Promise.all(lanes.map((lane) => lane.runner.close()));
      rmSync(scratch, { recursive: true, force: true });
    }
    this.result.failures = [...this.found.values()];
    this.result.seconds = (performance.now() - this.started) / 1000;
    return this.result;
  }

  private async runLane(lane: Lane): Promise<void> {
    for (let job = this.nextJob(); job !== undefined; job = this.nextJob()) {
      if (job.kind === "generated") await this.generatedBatchRun(lane, job.batch, job.count);
      else for (let i = 0; i < job.count && performance.now() < this.deadline; i++) await this.mutationCase(lane, job.first + i);
      this.result.seconds = (performance.now() - this.started) / 1000;
      this.options.onBatch?.(this.result);
    }
  }

  private nextJob(): Job | undefined {
    if (performance.now() >= this.deadline) return undefined;
    const remaining = (this.options.cases ?? Infinity) - this.planned;
    if (remaining <= 0) return undefined;
    const count = Math.min(BATCH_CASES, remaining);
    this.planned += count;
    const j = this.jobNumber++;
    const share = this.options.generatedShare;
    if (Math.floor((j + 1) * share) > Math.floor(j * share)) return { kind: "generated", batch: this.generatedBatch++, count };
    const first = this.mutationIndex;
    this.mutationIndex += count;
    return { kind: "mutation", first, count };
  }

  /**
   * The CLI sample, by case number so that a run is the same whichever lane takes which
   * batch: the output variant of the case, each in turn, or -1 when the case is not sampled.
   */
  private cliVariant(caseNumber: number): number {
    const every = this.options.cliEvery;
    return every > 0 && caseNumber % every === every - 1 ? Math.floor(caseNumber / every) % CLI_VARIANTS.length : -1;
  }

  /**
   * In-process verdict (a timeout confirmed once in a fresh worker), then for a sampled case
   * the CLI, in the output variant `cliVariant` (-1: none).
   */
  private async evaluate(lane: Lane, request: CaseRequest, cliVariant: number): Promise<Verdict> {
    let verdict = await lane.runner.run(request);
    if (verdict.kind === "failure" && verdict.failure.kind === "timeout") {
      verdict = await lane.runner.run(request);
      if (verdict.kind !== "failure" || verdict.failure.kind !== "timeout") this.result.retried++;
    }
    if (verdict.kind === "failure" || cliVariant < 0) return verdict;
    writeFileSync(lane.cliFile, request.bytes);
    this.result.cliRuns++;
    const limit = CLI_TIMEOUT_FACTOR * this.options.timeoutMs;
    let cliFailure = await checkCli(lane.cliFile, verdict, limit, cliVariant);
    if (cliFailure?.signature === CLI_TIMEOUT_SIGNATURE) {
      cliFailure = await checkCli(lane.cliFile, verdict, limit, cliVariant);
      if (cliFailure === null) this.result.retried++;
    }
    return cliFailure ? { kind: "failure", failure: cliFailure } : verdict;
  }

  private tally(verdict: Verdict): void {
    this.result.verdicts[verdict.kind]++;
    if (verdict.kind !== "failure") this.result.slowestMillis = Math.max(this.result.slowestMillis, verdict.millis);
  }

  /** Counts a failure; true when its signature is new to this run and to the crash directory (it is registered then). */
  private register(failure: Failure, origin: string): boolean {
    const entry = this.found.get(failure.signature);
    if (entry) {
      entry.cases++;
      return false;
    }
    if (this.crashes?.has(failure.signature)) {
      this.result.knownFailures++;
      return false;
    }
    this.found.set(failure.signature, { failure, origin, cases: 1, reproducerBytes: 0 });
    this.log(`new failure: ${failure.message}\n  from ${origin}`);
    return true;
  }

  /** Records the minimized reproducer, and saves it when there is a crash directory. */
  private keep(failure: Failure, bytes: Buffer, extension: string): void {
    const entry = this.found.get(failure.signature)!;
    entry.reproducerBytes = bytes.length;
    if (!this.crashes) return;
    entry.reproducer = this.crashes.save(failure, bytes, extension, entry.origin);
    this.log(`  saved ${entry.reproducer} (${bytes.length} bytes)`);
  }

  /** Delta debugging of a failing capture: candidates must fail with the same signature. */
  private minimize(lane: Lane, failure: Failure, cliVariant: number, bytes: Buffer, extension: string, wellFormed: boolean, byteLevel: boolean): Promise<Buffer> {
    const fails = async (candidate: Buffer) => {
      this.result.minimizationRuns++;
      const verdict = await this.evaluate(lane, { bytes: candidate, extension, wellFormed }, failure.kind === "cli" ? cliVariant : -1);
      return verdict.kind === "failure" && verdict.failure.signature === failure.signature;
    };
    return minimizeCapture(bytes, fails, budgetFor(failure), { bytes: byteLevel });
  }

  private async mutationCase(lane: Lane, index: number): Promise<void> {
    const random = new SeededRandom(caseSeed(this.options.seed, index));
    const seed: SeedCapture = rewrapped(pick(random, this.seeds), random);
    const mutated = mutateCapture(seed.bytes, random, this.corpus);
    const packed = maybeCompress(mutated.bytes, random);
    const format = seed.bytes.readUInt32BE(0) === BlockType.SectionHeader ? "pcapng" : "pcap";
    const extension = packed.gzip ? `${format}.gz` : format;
    const cliVariant = this.cliVariant(index);
    const verdict = await this.evaluate(lane, { bytes: packed.bytes, extension, wellFormed: false }, cliVariant);
    this.result.cases.mutation++;
    this.tally(verdict);
    if (verdict.kind !== "failure") return;
    const origin = `mutation case ${index} of seed ${this.options.seed}: ${seed.name}; ${[...mutated.applied, ...packed.applied].join("; ")}`;
    if (!this.register(verdict.failure, origin)) return;
    this.keep(verdict.failure, await this.minimize(lane, verdict.failure, cliVariant, packed.bytes, extension, false, true), extension);
  }

  /**
   * One fast-check run of generated sessions. The first new failure is the one fast-check
   * shrinks (`target`); during the shrinking a candidate fails only with the same signature.
   */
  private async generatedBatchRun(lane: Lane, batch: number, count: number): Promise<void> {
    const origin = `${GENERATED_ORIGIN} batch ${batch} of seed ${this.options.seed}`;
    let target: Failure | undefined;
    let firstFailing: GeneratedCapture | undefined;
    let shrinkBudget = { tests: 0 };
    let targetCliVariant = -1;
    let run = 0;
    const property = fc.asyncProperty(generatedCapture, async (g) => {
      const shrinking = target !== undefined;
      // Past the budget every candidate "passes" untried, which ends the shrinking with the smallest failure so far.
      if (shrinking && shrinkBudget.tests-- <= 0) return true;
      let bytes: Buffer;
      try {
        bytes = buildCapture(g);
      } catch (error) {
        // A script the builders refuse is a bug of the generator, not of the analyzer: reported, not shrunk.
        if (!shrinking) {
          const failure = generatorFailure(error);
          this.result.cases.generated++;
          this.tally({ kind: "failure", failure });
          this.register(failure, origin);
        }
        return true;
      }
      const cliVariant = shrinking ? (target!.kind === "cli" ? targetCliVariant : -1) : this.cliVariant(batch * BATCH_CASES + run++);
      const verdict = await this.evaluate(lane, { bytes, extension: extensionOf(g), wellFormed: true }, cliVariant);
      if (shrinking) {
        this.result.minimizationRuns++;
        return !(verdict.kind === "failure" && verdict.failure.signature === target!.signature);
      }
      this.result.cases.generated++;
      this.tally(verdict);
      if (verdict.kind !== "failure" || !this.register(verdict.failure, origin)) return true;
      target = verdict.failure;
      targetCliVariant = cliVariant;
      firstFailing = g;
      shrinkBudget = budgetFor(target);
      return false;
    });
    const remaining = this.deadline - performance.now();
    const details = await fc.check(property, {
      seed: caseSeed(this.options.seed, -1 - batch) | 0,
      numRuns: count,
      plugins: Number.isFinite(remaining) ? [fc.interruptAfterTimeLimit(Math.max(1, remaining))] : [],
    });
    if (!target || !firstFailing) return;
    const counterexample = details.counterexample as [GeneratedCapture] | null;
    const shrunk = details.failed && counterexample ? counterexample[0] : firstFailing;
    this.found.get(target.signature)!.origin += ` (fast-check seed ${details.seed}, path ${details.counterexamplePath ?? "-"}, ${details.numShrinks} shrinks)`;
    const extension = extensionOf(shrunk);
    // Generated reproducers keep whole records: they stay well-formed captures.
    this.keep(target, await this.minimize(lane, target, targetCliVariant, buildCapture(shrunk), extension, true, false), extension);
  }
}

/** Hangs and memory failures cost a time limit per candidate, so they get few. */
function budgetFor(failure: Failure): TestBudget {
  return { tests: failure.kind === "timeout" || failure.kind === "memory" ? SLOW_FAILURE_MINIMIZATION_TESTS : MINIMIZATION_TESTS };
}

function generatorFailure(error: unknown): Failure {
  const message = `generator: ${error instanceof Error ? error.message : String(error)}`;
  return { kind: "exception", message, detail: error instanceof Error ? (error.stack ?? "") : "", signature: message };
}

/** The short summary `npm run fuzz` prints. */
export function formatSummary(r: CampaignResult): string {
  const total = r.cases.mutation + r.cases.generated;
  const lines = [
    `fuzz: seed ${r.seed}, ${total} cases in ${r.seconds.toFixed(1)} s (${Math.round(total / Math.max(r.seconds, 0.001))}/s)`,
    `  mutation ${r.cases.mutation}, generated ${r.cases.generated}, through the CLI ${r.cliRuns}`,
    `  verdicts: report ${r.verdicts.report}, refused as not a capture ${r.verdicts.rejected}, failed ${r.verdicts.failure}`,
    `  slowest passing case ${r.slowestMillis.toFixed(0)} ms; timeouts passed on retry ${r.retried}; minimization runs ${r.minimizationRuns}`,
  ];
  if (r.knownFailures > 0) lines.push(`  ${r.knownFailures} failing case(s) of bugs already in the crash directory`);
  if (r.failures.length === 0 && r.knownFailures === 0) lines.push("  no failures");
  for (const f of r.failures) {
    lines.push(`  FAILURE (${f.cases} case(s)): ${f.failure.message}`);
    lines.push(`    first from ${f.origin}`);
    lines.push(f.reproducer ? `    reproducer ${f.reproducer} (${f.reproducerBytes} bytes)` : `    minimized to ${f.reproducerBytes} bytes, not saved`);
  }
  return lines.join("\n");
}
