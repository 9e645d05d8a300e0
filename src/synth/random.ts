/**
 * A seeded pseudo-random generator, so that synthesized captures are the same byte for
 * byte on every run: Marsaglia's xorshift32 (shifts 13, 17, 5; "Xorshift RNGs", 2003).
 */
export class SeededRandom {
  private state: number;

  /** Any integer seed; 0 (a fixed point of xorshift) is replaced by a non-zero constant. */
  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  /** The next 32-bit unsigned value. */
  nextUint32(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }

  /** An integer in 0..bound-1 (bound at most 2^32; the slight modulo bias does not matter for test data). */
  below(bound: number): number {
    return this.nextUint32() % bound;
  }

  /** n pseudo-random bytes. */
  bytes(n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = this.nextUint32() & 0xff;
    return out;
  }
}
