import type { Frame } from "./frame.js";

/**
 * pcapng timestamps: a 64-bit count of units since the Unix epoch, the unit given per
 * interface by the IDB option if_tsresol (draft-ietf-opsawg-pcapng section 4.2): high bit
 * clear = 10^-n s, high bit set = 2^-n s, absent = 10^-6 s.
 */

/** if_tsresol value that means microseconds, the default when the option is absent. */
export const DEFAULT_TSRESOL = 6;

const TSRESOL_POWER_OF_TWO = 0x80;
const TSRESOL_EXPONENT_MASK = 0x7f;
const NS_PER_SECOND = 1_000_000_000;
const NS_PER_SECOND_BIG = 1_000_000_000n;
/**
 * Largest divisor for the plain-number long division: every partial dividend stays below
 * 2^48 and each digit of the quotient below 2^16, so doubles are exact.
 */
const FAST_DIVISOR_LIMIT = 2 ** 32;

/** Converts counts of one interface's units to (seconds, nanoseconds). */
export class TimestampScale {
  /** Digits a report prints: 9 when the unit is finer than a microsecond, else 6. */
  readonly digits: number;
  /** Units per second when the fast path applies; 0 when BigInt arithmetic is needed. */
  private readonly divisor: number;
  /** Nanoseconds per unit when that is a whole number (10^-n with n <= 9, 2^-n with n <= 9), else 0. */
  private readonly nsPerUnit: number;
  private readonly bigDivisor: bigint;

  constructor(tsresol: number) {
    const exponent = tsresol & TSRESOL_EXPONENT_MASK;
    const base = tsresol & TSRESOL_POWER_OF_TWO ? 2 : 10;
    this.bigDivisor = BigInt(base) ** BigInt(exponent);
    const unitsPerSecond = base ** exponent;
    this.digits = unitsPerSecond > 1_000_000 ? 9 : 6;
    // Fast when the long division is exact and so is the remainder's conversion to ns:
    // either a whole number of ns per unit, or remainder * 10^9 below 2^53.
    const exactNs = NS_PER_SECOND % unitsPerSecond === 0 || unitsPerSecond * NS_PER_SECOND <= Number.MAX_SAFE_INTEGER;
    const fast = unitsPerSecond <= FAST_DIVISOR_LIMIT && exactNs;
    this.divisor = fast ? unitsPerSecond : 0;
    this.nsPerUnit = fast && NS_PER_SECOND % unitsPerSecond === 0 ? NS_PER_SECOND / unitsPerSecond : 0;
  }

  /** Sets frame.tsSec / tsNsec from the count hi * 2^32 + lo (both unsigned 32-bit); fractions are truncated, as Wireshark does. */
  apply(hi: number, lo: number, frame: Frame): void {
    const d = this.divisor;
    if (d === 0) {
      this.applyBig(hi, lo, frame);
      return;
    }
    // Long division: hi first, then the two 16-bit halves of lo, so that every partial
    // dividend (remainder * 2^16 + half) stays below 2^48 and doubles stay exact.
    let q = Math.floor(hi / d);
    let r = hi - q * d;
    let part = r * 65536 + (lo >>> 16);
    let digit = Math.floor(part / d);
    r = part - digit * d;
    q = q * 65536 + digit;
    part = r * 65536 + (lo & 0xffff);
    digit = Math.floor(part / d);
    r = part - digit * d;
    q = q * 65536 + digit;
    frame.tsSec = q;
    // Dividing by a power of two is exact in floating point, so floor() truncates correctly.
    frame.tsNsec = this.nsPerUnit > 0 ? r * this.nsPerUnit : Math.floor((r * NS_PER_SECOND) / d);
  }

  /** Resolutions finer than 2^-23 s or 10^-9 s, which real captures rarely use. */
  private applyBig(hi: number, lo: number, frame: Frame): void {
    const count = (BigInt(hi) << 32n) | BigInt(lo);
    const d = this.bigDivisor;
    frame.tsSec = Number(count / d);
    frame.tsNsec = Number(((count % d) * NS_PER_SECOND_BIG) / d);
  }
}
