import { describe, expect, it } from "vitest";
import { addWords, finishChecksum, internetChecksum, pseudoHeaderSum } from "../../src/synth/checksum.js";
import { foldedSum, hex, pseudoHeaderV4 } from "./helpers.js";

describe("internetChecksum (RFC 1071)", () => {
  it("matches the numerical example of RFC 1071 §3: the words sum to ddf2", () => {
    const data = hex("00 01 f2 03 f4 f5 f6 f7");
    expect(internetChecksum(data)).toBe(~0xddf2 & 0xffff); // 0x220d
  });

  it("pads an odd last byte with zero", () => {
    expect(internetChecksum(hex("01"))).toBe(0xfeff); // sum 0x0100
    expect(internetChecksum(hex("00 01 f2"))).toBe(~(0x0001 + 0xf200) & 0xffff);
  });

  it("folds carries back in (end-around carry)", () => {
    // ffff + ffff = 1fffe -> fffe + 1 = ffff -> complement 0000
    expect(internetChecksum(hex("ff ff ff ff"))).toBe(0x0000);
    // 8000 + 8000 + 0001 = 10001 -> 0001 + 1 = 0002 -> fffd
    expect(internetChecksum(hex("80 00 80 00 00 01"))).toBe(0xfffd);
  });

  it("checksums a sub-range", () => {
    const data = hex("ff ff", "00 01 f2 03 f4 f5 f6 f7", "ff");
    expect(internetChecksum(data, 2, 10)).toBe(0x220d);
  });
});

describe("pseudoHeaderSum", () => {
  it("sums like the IPv4 pseudo-header laid out byte by byte (RFC 9293 §3.1)", () => {
    const src = hex("c0 00 02 01"); // 192.0.2.1
    const dst = hex("c6 33 64 02"); // 198.51.100.2
    const explicit = pseudoHeaderV4("192.0.2.1", "198.51.100.2", 6, 1480);
    expect(finishChecksum(pseudoHeaderSum(src, dst, 6, 1480))).toBe(~foldedSum(explicit) & 0xffff);
  });

  it("sums like the IPv6 pseudo-header (RFC 8200 §8.1), including a length above 16 bits", () => {
    const src = hex("20010db8 00000000 00000000 00000001");
    const dst = hex("20010db8 00000000 00000000 00000002");
    const explicit = hex(
      "20010db8 00000000 00000000 00000001", // source
      "20010db8 00000000 00000000 00000002", // destination
      "00012345", // upper-layer packet length (32 bits)
      "000000 06", // zero, next header TCP
    );
    expect(finishChecksum(pseudoHeaderSum(src, dst, 6, 0x12345))).toBe(~foldedSum(explicit) & 0xffff);
  });

  it("continues a running sum with addWords", () => {
    expect(finishChecksum(addWords(addWords(0, hex("00 01 f2 03")), hex("f4 f5 f6 f7")))).toBe(0x220d);
  });
});
