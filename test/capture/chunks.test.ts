import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { SAMPLE_PCAP, SAMPLE_PCAPNG } from "./fixtures.js";
import { readAll, writeTemp } from "./helpers.js";

// Records are handed out as views into the chunk; only a record that straddles two chunks is
// copied. Tiny chunk sizes put a boundary inside every header and every record.

describe.each([
  ["pcap", SAMPLE_PCAP],
  ["pcapng", SAMPLE_PCAPNG],
])("%s across chunk boundaries", (name, sample) => {
  it("delivers the same frames with 1 MiB chunks and with every chunk size from 1 to 64 bytes", async () => {
    const path = writeTemp(`sample.${name}`, sample.bytes);
    const whole = await readAll(path);
    expect(whole.frames).toEqual(sample.frames);
    expect(whole.problems).toEqual([]);
    for (let chunkSize = 1; chunkSize <= 64; chunkSize++) {
      const pieces = await readAll(path, { chunkSize });
      expect(pieces.frames, `chunk size ${chunkSize}`).toEqual(sample.frames);
      expect(pieces.problems, `chunk size ${chunkSize}`).toEqual([]);
      expect(pieces.info).toEqual(whole.info);
      expect(pieces.bytesRead).toBe(sample.bytes.length);
    }
  });

  it("delivers the same frames from gzip with the smallest gunzip chunks", async () => {
    const path = writeTemp(`sample.${name}.gz`, gzipSync(sample.bytes));
    const { frames, info, problems } = await readAll(path, { chunkSize: 1 });
    expect(frames).toEqual(sample.frames);
    expect(problems).toEqual([]);
    expect(info.compressed).toBe(true);
  });

  it("delivers every complete frame of a file cut at any length, and reports the cut", async () => {
    const headerEnd = sample.unitEnds[0];
    for (let length = headerEnd; length < sample.bytes.length; length++) {
      const path = writeTemp(`cut-${length}.${name}`, sample.bytes.subarray(0, length));
      for (const chunkSize of [7, 1024 * 1024]) {
        const { frames, problems } = await readAll(path, { chunkSize });
        const complete = sample.frames.filter((_, i) => sample.unitEnds[sample.frameUnits[i]] <= length);
        const what = `cut at ${length}, chunk size ${chunkSize}`;
        expect(frames, what).toEqual(complete);
        if (sample.unitEnds.includes(length)) {
          expect(problems, what).toEqual([]);
        } else {
          const unitStart = Math.max(...sample.unitEnds.filter((end) => end < length));
          expect(problems, what).toHaveLength(1);
          expect(problems[0], what).toMatchObject({ code: "capture-truncated", frameNo: complete.length + 1 });
          expect(problems[0].message, what).toMatch(new RegExp(`^byte ${unitStart}: the capture ends inside a (record|block)`));
        }
      }
    }
  });
});
