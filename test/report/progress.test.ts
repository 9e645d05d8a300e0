import { describe, expect, it, vi } from "vitest";
import { ProgressLine } from "../../src/report/progress.js";

describe("ProgressLine", () => {
  it("shows bytes of total, percent, rate and time left, at most every 250 ms, and clears itself", () => {
    const written: string[] = [];
    const now = vi.spyOn(performance, "now");
    now.mockReturnValue(0);
    const line = new ProgressLine((text) => written.push(text));
    now.mockReturnValue(1000); // 1 s after start: 50 MB read of 200 MB -> 50 MB/s, 150 MB left -> 3 s
    line.update(50e6, 200e6);
    now.mockReturnValue(1100); // within 250 ms of the last update: nothing written
    line.update(60e6, 200e6);
    now.mockReturnValue(2000); // standard input: no total
    line.update(100e6, undefined);
    line.clear();
    now.mockRestore();
    expect(written).toEqual([
      "\rreading 50.0 MB of 200 MB (25 %), 50.0 MB/s, 3 s left\u001b[K",
      "\rreading 100 MB, 50.0 MB/s\u001b[K",
      "\r\u001b[K",
    ]);
  });

  it("writes nothing at all when nothing was shown", () => {
    const written: string[] = [];
    new ProgressLine((text) => written.push(text)).clear();
    expect(written).toEqual([]);
  });
});
