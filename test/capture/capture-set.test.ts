import { spawnSync } from "node:child_process";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { readCaptureSet } from "../../src/capture/capture-set.js";
import { walkPcapRecordHeaders } from "../../src/capture/floor.js";
import { MAX_PROBLEMS_PER_FILE, MAX_PROBLEMS_PER_SET } from "../../src/capture/problems.js";
import { SAMPLE_PCAP, SAMPLE_PCAPNG, UNDEFINED_INTERFACE_EPB } from "./fixtures.js";
import { hasMergecap, hasTshark, hex, recordOf, tempPath, writeTemp, type FrameRecord } from "./helpers.js";

/** pcap A (LE, µs, Ethernet): a1 at 10.000001, a2 at 10.000003, a3 at 10.000005, a4 at 20.0 */
const FILE_A = hex(
  "d4c3b2a1 0200 0400 00000000 00000000 ffff0000 01000000",
  "0a000000 01000000 01000000 01000000 a1",
  "0a000000 03000000 01000000 01000000 a2",
  "0a000000 05000000 01000000 01000000 a3",
  "14000000 00000000 01000000 01000000 a4",
);
/** pcap B (BE, ns, raw IP): b1 at 10.000002, b2 at 10.000003 (= a2), b3 at 10.000004, b4 at 15.0 */
const FILE_B = hex(
  "a1b23c4d 0002 0004 00000000 00000000 0000ffff 00000065",
  "0000000a 000007d0 00000001 00000001 b1", // 2000 ns
  "0000000a 00000bb8 00000001 00000001 b2", // 3000 ns
  "0000000a 00000fa0 00000001 00000001 b3", // 4000 ns
  "0000000f 00000000 00000001 00000001 b4",
);

async function readSet(paths: string[], chunkSize?: number): Promise<{ frames: FrameRecord[]; result: Awaited<ReturnType<typeof readCaptureSet>> }> {
  const frames: FrameRecord[] = [];
  const result = await readCaptureSet(paths, (frame) => frames.push(recordOf(frame)), { chunkSize });
  return { frames, result };
}

describe("readCaptureSet", () => {
  it("delivers a single file's frames in file order", async () => {
    const path = writeTemp("single.pcap", SAMPLE_PCAP.bytes);
    const { frames, result } = await readSet([path]);
    expect(frames).toEqual(SAMPLE_PCAP.frames);
    expect(result.files).toHaveLength(1);
    expect(result.files[0]).toMatchObject({ file: path, fileIndex: 0, packets: 5, bytes: 51 });
    expect(result.problems).toEqual([]);
    expect(result.peakOpenFiles).toBe(1);
  });

  it("merges two files by timestamp; equal timestamps put the later file first, as mergecap", async () => {
    const a = writeTemp("a.pcap", FILE_A);
    const b = writeTemp("b.pcap", FILE_B);
    for (const chunkSize of [undefined, 5]) {
      const { frames, result } = await readSet([a, b], chunkSize);
      expect(result.peakOpenFiles).toBe(2); // they overlap from 10.000001 to 15.0
      expect(frames.map((f) => `${f.data}:${f.fileIndex}#${f.frameNo}`)).toEqual([
        "a1:0#1", "b1:1#1", "b2:1#2", "a2:0#2", "b3:1#3", "a3:0#3", "b4:1#4", "a4:0#4",
      ]);
      // given the other way round, the tie goes to a, now the later file
      const swapped = await readSet([b, a], chunkSize);
      expect(swapped.frames.map((f) => f.data)).toEqual(["a1", "b1", "a2", "b2", "b3", "a3", "b4", "a4"]);
    }
  });

  it("merges gzip-compressed files as the same files uncompressed", async () => {
    // Each file's head is read, the file closed mid-stream and opened again to be merged.
    const a = writeTemp("a.pcap.gz", gzipSync(FILE_A));
    const b = writeTemp("b.pcap.gz", gzipSync(FILE_B));
    const plain = await readSet([writeTemp("a5.pcap", FILE_A), writeTemp("b5.pcap", FILE_B)]);
    for (const chunkSize of [undefined, 5]) {
      const { frames, result } = await readSet([a, b], chunkSize);
      expect(frames).toEqual(plain.frames);
      expect(result.problems).toEqual([]);
      expect(result.files.map((f) => f.compressed)).toEqual([true, true]);
    }
  });

  it("keeps each frame's own link type, digits and bytes while merging", async () => {
    const a = writeTemp("a2.pcap", FILE_A);
    const b = writeTemp("b2.pcap", FILE_B);
    const { frames, result } = await readSet([a, b]);
    expect(frames[1]).toEqual({ fileIndex: 1, frameNo: 1, tsSec: 10, tsNsec: 2000, tsDigits: 9, linkType: 101, caplen: 1, origLen: 1, data: "b1" });
    expect(frames[3]).toEqual({ fileIndex: 0, frameNo: 2, tsSec: 10, tsNsec: 3000, tsDigits: 6, linkType: 1, caplen: 1, origLen: 1, data: "a2" });
    expect(result.files.map((f) => [f.fileIndex, f.packets, f.linkTypes, f.tsDigits])).toEqual([
      [0, 4, [1], 6],
      [1, 4, [101], 9],
    ]);
  });

  it("merges three files, one of them empty, and gathers every file's problems", async () => {
    const empty = writeTemp("empty-capture.pcap", SAMPLE_PCAP.bytes.subarray(0, 24));
    const cut = writeTemp("cut.pcapng", SAMPLE_PCAPNG.bytes.subarray(0, 170)); // ends inside the EPB at 144-180
    const a = writeTemp("a3.pcap", FILE_A);
    const { frames, result } = await readSet([empty, cut, a]);
    // the pcapng's frame is from 1700000000, long after FILE_A's (10-20 s)
    expect(frames.map((f) => `${f.fileIndex}#${f.frameNo}`)).toEqual(["2#1", "2#2", "2#3", "2#4", "1#1"]);
    expect(result.problems).toEqual([
      {
        code: "capture-truncated",
        fileIndex: 1,
        file: cut,
        frameNo: 2,
        message: "byte 144: the capture ends inside a block (26 of its 36 bytes)",
      },
    ]);
    expect(result.files.map((f) => f.packets)).toEqual([0, 1, 4]);
  });

  it("keeps at most 1,000 problems for the whole set and counts the rest", async () => {
    // 12 files of 101 problems each: each keeps 100 and counts 1; the set keeps the first 10 files' 1,000
    expect([MAX_PROBLEMS_PER_FILE, MAX_PROBLEMS_PER_SET]).toEqual([100, 1000]);
    const leSection = SAMPLE_PCAPNG.bytes.subarray(0, 204);
    const paths = Array.from({ length: 12 }, (_, i) =>
      writeTemp(`damaged-${i}.pcapng`, Buffer.concat([leSection, hex(UNDEFINED_INTERFACE_EPB.repeat(101))])),
    );
    const { result } = await readSet(paths);
    expect(result.problems).toHaveLength(1000);
    expect(result.problemsOmitted).toBe(12 + 2 * 100);
    expect(new Set(result.problems.map((p) => p.fileIndex)).size).toBe(10);
    expect(result.problems.every((p) => p.code === "malformed")).toBe(true);
  });

  it("reads the first frame of every file before handing out any, and throws the first open error", async () => {
    const good = writeTemp("good.pcap", FILE_A);
    const text = writeTemp("readme.txt", "not a capture");
    let called = 0;
    await expect(readCaptureSet([good, text, tempPath("missing.pcap")], () => called++)).rejects.toThrow(
      `${text}: not a pcap or pcapng capture`,
    );
    expect(called).toBe(0);
  });

  it("accepts - at most once", async () => {
    await expect(readCaptureSet(["-", "-"], () => {})).rejects.toThrow('stdin: "-" may be given only once');
  });
});

describe.skipIf(!hasTshark || !hasMergecap)("readCaptureSet against mergecap", () => {
  if (!hasTshark || !hasMergecap) console.log("tshark or mergecap not on PATH: skipping the mergecap comparison");

  it("merges in the same order as mergecap, also on equal timestamps and when a file is out of time order", async () => {
    // file C is not in time order: 30.0 then 5.0; mergecap, like us, only compares the heads
    const c = writeTemp(
      "c.pcap",
      hex(
        "d4c3b2a1 0200 0400 00000000 00000000 ffff0000 01000000",
        "1e000000 00000000 01000000 01000000 c1",
        "05000000 00000000 01000000 01000000 c2",
      ),
    );
    // FILE_B's b2 has the timestamp of FILE_A's a2
    const b = writeTemp("b4.pcap", FILE_B);
    const paths = [writeTemp("a4.pcap", FILE_A), b, c];
    const merged = tempPath("merged.pcapng");
    const run = spawnSync("mergecap", ["-w", merged, ...paths], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const tshark = spawnSync("tshark", ["-r", merged, "-T", "fields", "-e", "frame.interface_id", "-e", "frame.time_epoch"], { encoding: "utf8" });
    const expected = tshark.stdout.trim().split("\n").map((line) => line.replace("\t", " "));
    const { frames } = await readSet(paths);
    expect(frames.map((f) => `${f.fileIndex} ${f.tsSec}.${String(f.tsNsec).padStart(9, "0")}`)).toEqual(expected);
    expect(expected).toHaveLength(10);
  });
});

describe("walkPcapRecordHeaders (the benchmark floor)", () => {
  it("counts records and captured bytes", () => {
    const path = writeTemp("floor.pcap", SAMPLE_PCAP.bytes);
    // caplens 0 + 1 + 7 + 40 + 3
    expect(walkPcapRecordHeaders(path)).toEqual({ packets: 5, bytes: 51 });
  });
});
