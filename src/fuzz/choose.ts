/**
 * Choices the mutation fuzzer makes, all from one SeededRandom so that a case is the same
 * on every run of the same seed and case number.
 */
import type { SeededRandom } from "../synth/random.js";

export function pick<T>(random: SeededRandom, items: readonly T[]): T {
  return items[random.below(items.length)];
}

/** True with probability `p` (0..1). */
export function chance(random: SeededRandom, p: number): boolean {
  return random.nextUint32() < p * 0x1_0000_0000;
}

/** 1, 2, 3 ... with probability 1/2, 1/4, 1/8 ..., at most `max`. */
export function geometric(random: SeededRandom, max: number): number {
  let n = 1;
  while (n < max && chance(random, 0.5)) n++;
  return n;
}

/**
 * Values that break length and count fields: zero and the smallest lengths, header sizes,
 * the edges of each field width and of signed arithmetic, and the record size limit of
 * the readers (16 MiB) with its neighbours.
 */
const BOUNDARY_VALUES: readonly number[] = [
  0, 1, 2, 3, 4, 5, 7, 8, 11, 12, 15, 16, 19, 20, 24, 28, 31, 32, 40, 60, 63, 64, 127, 128, 255, 256, 1500, 4096,
  0x7fff, 0x8000, 0xfffe, 0xffff, 0x10000, 0xffffff, 0x1000000, 0x1000001, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
];

/** A value for a field of `size` bytes that now holds `current`: a boundary, a neighbour of the current value, or anything. */
export function interestingValue(random: SeededRandom, size: 1 | 2 | 4, current: number): number {
  const max = size === 4 ? 0xffffffff : (1 << (8 * size)) - 1;
  const choice = random.below(8);
  let value: number;
  if (choice < 4) value = pick(random, BOUNDARY_VALUES);
  else if (choice === 4) value = current + 1;
  else if (choice === 5) value = current - 1;
  else if (choice === 6) value = random.below(2) === 0 ? current * 2 : Math.floor(current / 2);
  else value = random.nextUint32();
  // Wrap into the field, as a damaged byte would.
  return size === 4 ? value >>> 0 : ((value % (max + 1)) + max + 1) % (max + 1);
}
