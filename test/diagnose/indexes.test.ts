/** The helpers rules build their per-capture indexes with. */
import { describe, expect, it } from "vitest";
import { addressPairKey, fileUnder, workedOutOnce } from "../../src/diagnose/indexes.js";

describe("workedOutOnce", () => {
  it("computes a key's value the first time only, a null answer included", () => {
    const cache = new WeakMap<object, string | null>();
    const asked: object[] = [];
    const compute = (key: object) => {
      asked.push(key);
      return asked.length === 1 ? "first" : null;
    };
    const a = {};
    const b = {};
    expect(workedOutOnce(cache, a, compute)).toBe("first");
    expect(workedOutOnce(cache, b, compute)).toBeNull();
    expect(workedOutOnce(cache, a, compute)).toBe("first");
    expect(workedOutOnce(cache, b, compute)).toBeNull();
    expect(asked).toEqual([a, b]);
  });
});

describe("fileUnder", () => {
  it("starts a key's list with its first item and keeps the order items came in", () => {
    const map = new Map<string, number[]>();
    fileUnder(map, "x", 3);
    fileUnder(map, "y", 1);
    fileUnder(map, "x", 2);
    expect([...map]).toEqual([
      ["x", [3, 2]],
      ["y", [1]],
    ]);
  });
});

describe("addressPairKey", () => {
  it("tells the two directions between two addresses apart", () => {
    expect(addressPairKey("192.0.2.1", "198.51.100.1")).not.toBe(addressPairKey("198.51.100.1", "192.0.2.1"));
    expect(addressPairKey("192.0.2.1", "198.51.100.1")).toBe(addressPairKey("192.0.2.1", "198.51.100.1"));
  });
});
