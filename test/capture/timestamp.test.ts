import { describe, expect, it } from "vitest";
import { Frame } from "../../src/capture/frame.js";
import { TimestampScale } from "../../src/capture/timestamp.js";

/** Converts the 64-bit count hi:lo with an if_tsresol value; returns [seconds, nanoseconds, digits]. */
function convert(tsresol: number, hi: number, lo: number): [number, number, number] {
  const frame = new Frame();
  const scale = new TimestampScale(tsresol);
  scale.apply(hi, lo, frame);
  return [frame.tsSec, frame.tsNsec, scale.digits];
}

describe("pcapng timestamp resolutions (if_tsresol)", () => {
  it("10^-6 (the default): 1700000000123456 µs = 0x00060a24_18202240", () => {
    expect(convert(6, 0x00060a24, 0x18202240)).toEqual([1700000000, 123456000, 6]);
  });

  it("10^-9: 1700000000123456789 ns = 0x17979cfe_3d85cd15", () => {
    expect(convert(9, 0x17979cfe, 0x3d85cd15)).toEqual([1700000000, 123456789, 9]);
  });

  it("10^-3: 1700000000123 ms = 0x0000018b_cfe5687b", () => {
    expect(convert(3, 0x0000018b, 0xcfe5687b)).toEqual([1700000000, 123000000, 6]);
  });

  it("2^0 (0x80): whole seconds", () => {
    expect(convert(0x80, 0, 1700000000)).toEqual([1700000000, 0, 6]);
  });

  it("2^-20 (0x94): 0x0006553f_100c0001 = 1700000000 s + 0xc0001/2^20 s, fraction truncated to 750000953 ns", () => {
    expect(convert(0x94, 0x0006553f, 0x100c0001)).toEqual([1700000000, 750000953, 9]);
  });

  it("2^-30 (0x9e, beyond the plain-number path): 0x1954fc40_20000003 = 1700000000 s + (2^29 + 3)/2^30 s", () => {
    // (2^29 + 3) / 2^30 s = 0.5 s + 2.79 ns
    expect(convert(0x9e, 0x1954fc40, 0x20000003)).toEqual([1700000000, 500000002, 9]);
  });

  it("10^-12 (beyond the plain-number path): 2^64 - 1 ps = 18446744 s + 73709551615 ps", () => {
    expect(convert(12, 0xffffffff, 0xffffffff)).toEqual([18446744, 73709551, 9]);
  });

  it("keeps every digit of the largest count: 2^64 - 1 µs and 2^64 - 1 ns", () => {
    expect(convert(6, 0xffffffff, 0xffffffff)).toEqual([18446744073709, 551615000, 6]);
    expect(convert(9, 0xffffffff, 0xffffffff)).toEqual([18446744073, 709551615, 9]);
  });

  it("agrees with BigInt division over many counts for 10^-6, 10^-9 and 2^-20", () => {
    let seed = 12345;
    const random32 = (): number => {
      // xorshift32: deterministic counts spread over the whole 32-bit range
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return seed >>> 0;
    };
    for (const [tsresol, units] of [
      [6, 1_000_000n],
      [9, 1_000_000_000n],
      [0x94, 1n << 20n],
    ] as const) {
      for (let i = 0; i < 2000; i++) {
        const hi = i < 1000 ? random32() >>> 8 : random32();
        const lo = random32();
        const count = (BigInt(hi) << 32n) | BigInt(lo);
        const expected = [Number(count / units), Number(((count % units) * 1_000_000_000n) / units)];
        expect(convert(tsresol, hi, lo).slice(0, 2)).toEqual(expected);
      }
    }
  });
});
