import { describe, expect, it } from "vitest";
import { SeededRandom } from "../../src/synth/random.js";

describe("SeededRandom (xorshift32)", () => {
  it("follows Marsaglia's xorshift32 from seed 1", () => {
    // x = 1; x ^= x << 13 -> 0x2001; x ^= x >>> 17 -> 0x2001; x ^= x << 5 -> 0x2001 ^ 0x40020 = 0x42021
    const random = new SeededRandom(1);
    expect(random.nextUint32()).toBe(0x42021); // 270369
    // 0x42021 ^ (0x42021 << 13 = 0x84042000) = 0x84000021; ^ (>>> 17 = 0x4200) = 0x84004221;
    // ^ (<< 5 = 0x80084420 within 32 bits) = 0x04080601
    expect(random.nextUint32()).toBe(0x04080601);
  });

  it("gives the same sequence for the same seed and a different one for another seed", () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const c = new SeededRandom(43);
    const seqA = Array.from({ length: 20 }, () => a.nextUint32());
    expect(Array.from({ length: 20 }, () => b.nextUint32())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.nextUint32())).not.toEqual(seqA);
  });

  it("does not get stuck on seed 0 and keeps below() in range", () => {
    const random = new SeededRandom(0);
    expect(random.nextUint32()).not.toBe(0);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const v = random.below(6);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(6);
      seen.add(v);
    }
    expect(seen.size).toBe(6);
    expect(new SeededRandom(9).bytes(16)).toEqual(new SeededRandom(9).bytes(16));
  });
});
