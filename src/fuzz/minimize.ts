/**
 * Shrinks a failing capture to a small reproducer with delta debugging (Zeller and
 * Hildebrandt, "Simplifying and Isolating Failure-Inducing Input", 2002): first over its
 * records and blocks, which keeps the framing whole, then over its bytes. Every candidate
 * is judged by the caller's `fails`, which must say whether the candidate still fails the
 * same way (the same signature), not merely whether it fails.
 */
import { captureLayout } from "./capture-layout.js";

/** Candidate tests left; shared by the passes of one minimization. */
export interface TestBudget {
  tests: number;
}

/**
 * ddmin: a subset of `items` (order kept) for which `fails` holds and from which no single
 * chunk at the final granularity can be removed, or the best found when the budget runs out.
 * `fails(items)` is assumed to hold.
 */
export async function ddmin<T>(items: readonly T[], fails: (candidate: T[]) => Promise<boolean>, budget: TestBudget): Promise<T[]> {
  let current = [...items];
  let granularity = 2;
  const test = async (candidate: T[]) => {
    if (budget.tests <= 0) return false;
    budget.tests--;
    return fails(candidate);
  };
  while (current.length >= 2 && budget.tests > 0) {
    const chunks = split(current, granularity);
    let reduced = false;
    for (const chunk of chunks) {
      if (await test(chunk)) {
        current = chunk;
        granularity = 2;
        reduced = true;
        break;
      }
    }
    if (!reduced && granularity > 2) {
      for (let i = 0; i < chunks.length; i++) {
        const complement = chunks.filter((_, j) => j !== i).flat();
        if (await test(complement)) {
          current = complement;
          granularity = Math.max(granularity - 1, 2);
          reduced = true;
          break;
        }
      }
    }
    if (!reduced) {
      if (granularity >= current.length) break;
      granularity = Math.min(current.length, granularity * 2);
    }
  }
  return current;
}

function split<T>(items: T[], parts: number): T[][] {
  const chunks: T[][] = [];
  let start = 0;
  for (let i = 0; i < parts; i++) {
    const end = start + Math.floor((items.length - start) / (parts - i));
    if (end > start) chunks.push(items.slice(start, end));
    start = end;
  }
  return chunks;
}

/**
 * The smallest capture found that still fails: records/blocks first (the file header and
 * the section header are units too, kept only when the failure needs them), then, when
 * `options.bytes`, single bytes (a generated capture keeps its records whole instead).
 */
export async function minimizeCapture(
  bytes: Buffer,
  fails: (candidate: Buffer) => Promise<boolean>,
  budget: TestBudget,
  options: { bytes: boolean },
): Promise<Buffer> {
  let best = bytes;
  const layout = captureLayout(bytes);
  if (layout && layout.units.length > 0) {
    const prefix = bytes.subarray(0, layout.units[0].offset);
    const pieces = layout.units.map((u) => bytes.subarray(u.offset, u.offset + u.length));
    if (layout.tailOffset < bytes.length) pieces.push(bytes.subarray(layout.tailOffset));
    const join = (chosen: Buffer[]) => Buffer.concat([prefix, ...chosen]);
    best = join(await ddmin(pieces, (chosen) => fails(join(chosen)), budget));
  }
  if (!options.bytes) return best;
  const positions = Array.from(best, (_, i) => i);
  const source = best;
  const kept = await ddmin(positions, (chosen) => fails(Buffer.from(chosen.map((i) => source[i]))), budget);
  return Buffer.from(kept.map((i) => source[i]));
}
