import { describe, expect, it } from "vitest";
import { ddmin, minimizeCapture } from "../../src/fuzz/minimize.js";
import { captureLayout } from "../../src/fuzz/capture-layout.js";
import { writePcap } from "../../src/synth/pcap-writer.js";

describe("ddmin", () => {
  it("isolates the two items a failure needs (Zeller's example shape)", async () => {
    const fails = async (items: number[]) => items.includes(3) && items.includes(7);
    expect(await ddmin([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], fails, { tests: 1000 })).toEqual([3, 7]);
  });

  it("keeps the order of what is left, and finds a single failing item", async () => {
    expect(await ddmin(["a", "b", "c", "d", "e"], async (items) => items.includes("d"), { tests: 1000 })).toEqual(["d"]);
    expect(await ddmin([5, 1, 4], async (items) => items.includes(5) && items.includes(4), { tests: 1000 })).toEqual([5, 4]);
  });

  it("spends no more tests than its budget, and returns the best found", async () => {
    let calls = 0;
    const budget = { tests: 3 };
    const result = await ddmin(
      Array.from({ length: 64 }, (_, i) => i),
      async (items) => {
        calls++;
        return items.includes(10) && items.includes(50);
      },
      budget,
    );
    expect(calls).toBe(3);
    expect(budget.tests).toBe(0);
    expect(result).toContain(10);
    expect(result).toContain(50);
  });
});

describe("minimizeCapture", () => {
  const records = [0x11, 0x22, 0xbe, 0x33].map((b, i) => ({ tsSec: 100 + i, tsNsec: 0, data: Buffer.from([b, b, b, 0xef, b]) }));
  const capture = writePcap(records, { linkType: 1 });

  it("drops every record the failure does not need, keeping the file header it does need", async () => {
    const fails = async (bytes: Buffer) => bytes.length >= 24 && bytes.readUInt32LE(0) === 0xa1b2c3d4 && bytes.includes(Buffer.from([0xbe, 0xbe, 0xbe]));
    const smallest = await minimizeCapture(capture, fails, { tests: 200 }, { bytes: false });
    const layout = captureLayout(smallest)!;
    expect(layout.units.map((u) => u.kind)).toEqual(["pcap-header", "pcap-record"]);
    expect(smallest.subarray(layout.units[1].dataOffset)).toEqual(Buffer.from([0xbe, 0xbe, 0xbe, 0xef, 0xbe]));
  });

  it("then removes single bytes when asked to", async () => {
    const smallest = await minimizeCapture(capture, async (bytes) => bytes.includes(Buffer.from([0xbe, 0xef])), { tests: 500 }, { bytes: true });
    expect(smallest).toEqual(Buffer.from([0xbe, 0xef]));
  });
});
