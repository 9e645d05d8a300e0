import { describe, expect, it } from "vitest";
import { isoTime, sameFrame } from "../../src/capture/frame.js";

/** Date's own ISO text with our fractional digits, the oracle inside Date's range. */
function dateIso(seconds: number, fraction: string): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, `.${fraction}Z`);
}

/** The Gregorian calendar repeats every 400 years, which are 146097 days. */
const SECONDS_PER_400_YEARS = 146097 * 86400;

describe("isoTime", () => {
  it("writes what Date.prototype.toISOString writes, with micro- or nanoseconds", () => {
    expect(isoTime(1709283600, 15_000_000, 6)).toBe("2024-03-01T09:00:00.015000Z");
    expect(isoTime(1709283600, 123_456_789, 9)).toBe("2024-03-01T09:00:00.123456789Z");
    expect(isoTime(0, 0, 6)).toBe("1970-01-01T00:00:00.000000Z");
    // Leap days, the end of a 32-bit pcap timestamp, the last four-digit year and Date's last day.
    for (const seconds of [951782400, 1078012800, 4107456000, 4294967295, 253402300799, 253402300800, 8.64e12]) {
      expect(isoTime(seconds, 999_999_000, 6)).toBe(dateIso(seconds, "999999"));
    }
  });

  it("agrees with Date over its whole range (a seeded sample)", () => {
    let x = 12345;
    for (let i = 0; i < 2000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      const seconds = Math.floor((x / 2 ** 32) * 8.64e12);
      expect(isoTime(seconds, 0, 9)).toBe(dateIso(seconds, "000000000"));
    }
  });

  it("gives each second its own text when seconds take turns (the texts of recent seconds are kept)", () => {
    // 64 s apart: the same place in the kept texts; a day apart: only the date differs
    for (const seconds of [1709283600, 1709283664, 1709283600, 1709370000, 1709283600, -64, 0, -64]) {
      expect(isoTime(seconds, 5_000, 6)).toBe(dateIso(seconds, "000005"));
    }
  });

  // Found by the fuzzer: a pcapng interface with if_tsresol 0 (whole seconds) and a damaged
  // timestamp gives seconds far past Date's range, and toISOString threw a RangeError.
  it("writes years past Date's range in ISO 8601's expanded form instead of throwing", () => {
    const periods = 79_000; // 31,600,000 years later: the same day and time of day
    expect(isoTime(1709283600 + periods * SECONDS_PER_400_YEARS, 0, 6)).toBe("+31602024-03-01T09:00:00.000000Z");
    expect(isoTime(2 ** 64 - 1, 0, 9)).toMatch(/^\+\d{12}-\d\d-\d\dT\d\d:\d\d:\d\d\.000000000Z$/);
  });
});

describe("sameFrame", () => {
  it("is the same record of the same file, whatever the times say", () => {
    const frame = { fileIndex: 1, frameNo: 42, tsSec: 100, tsNsec: 5 };
    expect(sameFrame(frame, { ...frame })).toBe(true);
    expect(sameFrame(frame, { ...frame, tsSec: 101 })).toBe(true); // a position copied with another time is still that frame
    expect(sameFrame(frame, { ...frame, frameNo: 43 })).toBe(false);
    expect(sameFrame(frame, { ...frame, fileIndex: 0 })).toBe(false); // frame 42 of another file of the set
  });
});
