/**
 * The CI-sized fuzzing run of `npm test`: a few thousand cases with a fixed seed, mutated
 * fixtures and generated sessions, each through analyze() in a worker (dist/, which
 * `npm test` builds first) and a sample through the built CLI. Any failure fails the test
 * with its message and how to reproduce it; `npm run fuzz -- --seed <seed> --cases <n>`
 * saves the minimized reproducer in test/crashes/.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { formatSummary, runCampaign } from "../../src/fuzz/campaign.js";

const WORKER = new URL("../../dist/fuzz/worker.js", import.meta.url);
const SEED = 20240301;
const CASES = 2400;
/** Every fourth batch of 50 cases is generated sessions (48 batches here). */
const GENERATED_SHARE = 0.25;

describe("fuzzing (CI-sized run)", () => {
  it(`${CASES} cases of seed ${SEED}: every one a report or a clean refusal, in time and in memory`, { timeout: 300_000 }, async () => {
    expect(existsSync(fileURLToPath(WORKER)), "dist/fuzz/worker.js is missing: run `npm run build` (npm test does)").toBe(true);
    const result = await runCampaign({
      seed: SEED,
      cases: CASES,
      workers: 2,
      cliEvery: 50,
      worker: { script: WORKER },
      timeoutMs: 10_000,
      heapMb: 256,
      generatedShare: GENERATED_SHARE,
    });
    const summary = formatSummary(result);
    console.log(summary);
    expect(result.verdicts.failure, summary).toBe(0);
    expect(result.cases).toEqual({ mutation: CASES * (1 - GENERATED_SHARE), generated: CASES * GENERATED_SHARE });
    // The run reached both outcomes of the property and the command line.
    expect(result.verdicts.report).toBeGreaterThan(CASES / 2);
    expect(result.verdicts.rejected).toBeGreaterThan(0);
    expect(result.cliRuns).toBe(CASES / 50);
  });
});
