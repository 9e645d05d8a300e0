/**
 * The small readers of the PPP decoders. hexOf keeps the texts of short values it made
 * (a slot per hash of value and length): whatever the slots hold, each call must give the
 * text of its own bytes. Expected texts are written out by hand.
 */
import { describe, expect, it } from "vitest";
import { hexOf, latin1Of } from "../../../src/decode/ppp/bytes.js";

/** The bytes at offset 3 of a larger buffer, as decoders see them (a view at an offset). */
function inBuffer(...bytes: number[]): Buffer {
  return Buffer.from([0xee, 0xee, 0xee, ...bytes, 0xee]);
}

describe("hexOf", () => {
  it("lowercase hex of the bytes at the offset, short and long, nothing for no bytes", () => {
    const buf = inBuffer(0x01, 0x00, 0x00, 0x40, 0xab, 0xcd);
    expect(hexOf(buf, 3, 4)).toBe("01000040");
    expect(hexOf(buf, 3, 6)).toBe("01000040abcd");
    expect(hexOf(buf, 7, 1)).toBe("ab");
    expect(hexOf(buf, 3, 0)).toBe("");
    expect(hexOf(buf, 3, -1)).toBe("");
  });

  it("a view into a larger ArrayBuffer reads from the view's own start", () => {
    const whole = Buffer.from([0x11, 0x22, 0x05, 0x78, 0x33]);
    const view = whole.subarray(2, 4);
    expect(hexOf(view, 0, 2)).toBe("0578");
  });

  it("the same value in different lengths reads differently: 0578, 000578, 00000578", () => {
    for (let round = 0; round < 2; round++) {
      expect(hexOf(inBuffer(0x05, 0x78), 3, 2)).toBe("0578");
      expect(hexOf(inBuffer(0x00, 0x05, 0x78), 3, 3)).toBe("000578");
      expect(hexOf(inBuffer(0x00, 0x00, 0x05, 0x78), 3, 4)).toBe("00000578");
    }
  });

  it("values that share a slot (the same bytes in another order) each get their own text, time after time", () => {
    const values: [number[], string][] = [
      [[0x0a, 0x00, 0x00, 0x01], "0a000001"],
      [[0x01, 0x00, 0x00, 0x0a], "0100000a"],
      [[0x00, 0x0a, 0x01, 0x00], "000a0100"],
    ];
    for (let round = 0; round < 3; round++) {
      for (const [bytes, text] of values) expect(hexOf(inBuffer(...bytes), 3, bytes.length)).toBe(text);
    }
  });

  it("the largest short values, whose key passes 2^32: ffffffff and fffffffe", () => {
    expect(hexOf(inBuffer(0xff, 0xff, 0xff, 0xff), 3, 4)).toBe("ffffffff");
    expect(hexOf(inBuffer(0xff, 0xff, 0xff, 0xfe), 3, 4)).toBe("fffffffe");
    expect(hexOf(inBuffer(0xff, 0xff, 0xff, 0xff), 3, 4)).toBe("ffffffff");
  });
});

describe("latin1Of", () => {
  it("one character per byte, bytes above 0x7f included", () => {
    expect(latin1Of(inBuffer(0x4f, 0x4b, 0xe9), 3, 3)).toBe("OK\u00e9");
    expect(latin1Of(inBuffer(0x4f), 3, 0)).toBe("");
  });
});
