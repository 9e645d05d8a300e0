/**
 * Capture sets read with only the files the merge is inside open: ring buffers written by
 * the synthesizer, files that touch or overlap in time, stdin beside files, and the order
 * checked against mergecap.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/analyze.js";
import { readCaptureSet, type CaptureSetOptions } from "../../src/capture/capture-set.js";
import { PptpConversation } from "../../src/synth/conversation.js";
import { writePcap, type SynthRecord } from "../../src/synth/pcap-writer.js";
import { writePcapng } from "../../src/synth/pcapng-writer.js";
import { SeededRandom } from "../../src/synth/random.js";
import { healthySession } from "../../src/synth/sessions.js";
import { hasMergecap, hasTshark, recordOf, tempPath } from "./helpers.js";

const ETHERNET = 1;
/** 2024-03-01T09:00:00Z */
const START_SEC = 1709283600;

const CLIENT_CALL_ID = 0x1c2a;
const SERVER_CALL_ID = 0x8001;

/** The frames of `sessions` healthy PPTP sessions one after the other, 200 µs apart (strictly increasing times). */
function sessionRecords(sessions: number, dataFrames: number): SynthRecord[] {
  const records: SynthRecord[] = [];
  for (let s = 0; s < sessions; s++) {
    const conv = new PptpConversation(
      {
        client: "192.0.2.10",
        server: "198.51.100.1",
        clientPort: 49152 + s,
        clientCallId: CLIENT_CALL_ID + s,
        serverCallId: SERVER_CALL_ID + s,
        startSec: START_SEC + 60 * s,
      },
      (record) => records.push(record),
    );
    healthySession(conv, CLIENT_CALL_ID + s, SERVER_CALL_ID + s, {
      userName: "alice",
      clientTunnelAddress: "10.8.0.2",
      serverTunnelAddress: "10.8.0.1",
      dataFrames,
      minDataBytes: 60,
      maxDataBytes: 400,
      random: new SeededRandom(s + 1),
    });
  }
  return records;
}

type Format = "pcap" | "pcapng" | "pcap.gz";
const FORMATS: readonly Format[] = ["pcap", "pcapng", "pcap.gz"];

function captureBytes(records: SynthRecord[], format: Format): Buffer {
  if (format === "pcapng") return writePcapng([{ interfaces: [{ linkType: ETHERNET }], records }]);
  const pcap = writePcap(records, { linkType: ETHERNET });
  return format === "pcap.gz" ? gzipSync(pcap) : pcap;
}

/**
 * A ring buffer as dumpcap -b packets:N writes it: the records cut into files of
 * `perFile`, named ring_NNNNN in time order, the formats taking turns.
 */
function writeRing(dir: string, records: SynthRecord[], perFile: number): string[] {
  mkdirSync(dir, { recursive: true });
  const paths: string[] = [];
  for (let start = 0; start < records.length; start += perFile) {
    const format = FORMATS[paths.length % FORMATS.length];
    const path = join(dir, `ring_${String(paths.length + 1).padStart(5, "0")}.${format}`);
    writeFileSync(path, captureBytes(records.slice(start, start + perFile), format));
    paths.push(path);
  }
  return paths;
}

/** One-byte frames at given times (seconds, nanoseconds), labelled by their byte. */
function tinyFile(name: string, frames: Array<[number, number, number]>): string {
  const path = tempPath(name);
  writeFileSync(path, writePcap(frames.map(([tsSec, tsNsec, label]) => ({ tsSec, tsNsec, data: Uint8Array.of(label) })), { linkType: ETHERNET }));
  return path;
}

async function readSet(paths: string[], options: CaptureSetOptions = {}) {
  const frames: string[] = [];
  const result = await readCaptureSet(paths, (frame) => {
    const r = recordOf(frame);
    frames.push(`${r.fileIndex}#${r.frameNo} ${r.tsSec}.${String(r.tsNsec).padStart(9, "0")} ${r.data}`);
  }, options);
  return { frames, result };
}

/** What reading `records`, cut into files of perFile and given in `order` (file numbers), must deliver. */
function expectedRing(records: SynthRecord[], perFile: number, order: number[]): string[] {
  return records.map((r, i) => {
    const file = Math.floor(i / perFile);
    const data = Buffer.from(r.data).toString("hex");
    return `${order.indexOf(file)}#${(i % perFile) + 1} ${r.tsSec}.${String(r.tsNsec).padStart(9, "0")} ${data}`;
  });
}

describe("a ring buffer is read one file at a time", () => {
  const records = sessionRecords(3, 82); // 200 frames each
  const perFile = 3; // 200 files; each session begins and ends in the middle of a file
  const paths = writeRing(tempPath("ring"), records, perFile);

  it("delivers the frames of 200 pcap, pcapng and gzip files in time order with one file open", async () => {
    expect(records).toHaveLength(600);
    expect(paths).toHaveLength(200);
    const { frames, result } = await readSet(paths);
    expect(frames).toEqual(expectedRing(records, perFile, paths.map((_, i) => i)));
    // each file ends before the next begins: it is exhausted and closed before the next is opened
    expect(result.peakOpenFiles).toBe(1);
    expect(result.files.map((f) => f.packets)).toEqual(paths.map(() => perFile));
    expect(result.files.map((f) => `${f.format}${f.compressed ? ".gz" : ""}`)).toEqual(paths.map((p) => p.slice(p.indexOf(".") + 1)));
    expect(result.problems).toEqual([]);
  });

  it("orders by time, not by the order the files are given in", async () => {
    // reversed, then every other one swapped: file numbers as given
    const order = paths.map((_, i) => paths.length - 1 - i);
    for (let i = 0; i + 1 < order.length; i += 2) [order[i], order[i + 1]] = [order[i + 1], order[i]];
    const { frames, result } = await readSet(order.map((file) => paths[file]), { chunkSize: 7 });
    expect(frames).toEqual(expectedRing(records, perFile, order));
    expect(result.peakOpenFiles).toBe(1);
    expect(result.files.map((f) => f.file)).toEqual(order.map((file) => paths[file]));
  });

  it("reports progress over every file against their total size, without counting the first-frame reads", async () => {
    const calls: Array<[number, number | undefined]> = [];
    await readCaptureSet(paths, () => {}, { onProgress: (read, total) => calls.push([read, total]) });
    const total = paths.reduce((sum, path) => sum + statSync(path).size, 0);
    expect(calls.at(-1)).toEqual([total, total]);
    expect(calls.every(([read, size], i) => size === total && (i === 0 || read >= calls[i - 1][0]))).toBe(true);
  });

  it("rebuilds sessions cut across ring files whole: the same sessions as from one file", async () => {
    const whole = tempPath("whole.pcap");
    writeFileSync(whole, writePcap(records, { linkType: ETHERNET }));
    const single = await analyze([whole]);
    const ring = await analyze([tempPath("ring")]);
    // the script: three healthy sessions one after the other
    expect(single.summary).toMatchObject({ sessions: 3, established: 3, failed: 0, incomplete: 0 });
    expect(ring.summary).toEqual(single.summary);
    const first = ring.sessions[0];
    expect(first.firstFrame).toEqual({ file: paths[0], frame: 1 });
    expect(typeof first.lastFrame === "object" && first.lastFrame.file).not.toBe(paths[0]);
    // a frame of the ring as its number in the whole file
    const asWholeFrame = (_key: string, value: unknown): unknown => {
      if (value === null || typeof value !== "object" || !("file" in value) || !("frame" in value)) return value;
      return paths.indexOf(value.file as string) * perFile + (value.frame as number);
    };
    expect(JSON.parse(JSON.stringify(ring.sessions, asWholeFrame))).toEqual(single.sessions);
  });
});

describe("files that touch or overlap in time", () => {
  it("opens the next ring file while the last frame of one has its timestamp, and takes the later file's frame first", async () => {
    const a = tinyFile("touch-a.pcap", [[10, 0, 0xa1], [11, 0, 0xa2], [12, 0, 0xa3]]);
    const b = tinyFile("touch-b.pcap", [[12, 0, 0xb1], [13, 0, 0xb2]]);
    const c = tinyFile("touch-c.pcap", [[14, 0, 0xc1]]);
    const { frames, result } = await readSet([a, b, c]);
    expect(frames.map((f) => f.split(" ")[2])).toEqual(["a1", "a2", "b1", "a3", "b2", "c1"]);
    expect(result.peakOpenFiles).toBe(2);
  });

  it("merges twenty files that overlap throughout, all open, the crowd reading in small chunks", async () => {
    // file k has frames at k µs + j ms, j = 0..9: every file overlaps every other
    const paths = Array.from({ length: 20 }, (_, k) =>
      tinyFile(`crowd-${k}.pcap`, Array.from({ length: 10 }, (_, j): [number, number, number] => [100, j * 1_000_000 + k * 1000, k * 10 + j])),
    );
    const { frames, result } = await readSet(paths);
    const expected: string[] = [];
    for (let j = 0; j < 10; j++) {
      for (let k = 0; k < 20; k++) {
        const label = (k * 10 + j).toString(16).padStart(2, "0");
        expected.push(`${k}#${j + 1} 100.${String(j * 1_000_000 + k * 1000).padStart(9, "0")} ${label}`);
      }
    }
    expect(frames).toEqual(expected);
    expect(result.peakOpenFiles).toBe(20);
  });

  it("keeps stdin open from the start beside a ring of files", async () => {
    const ring = [
      tinyFile("beside-1.pcap", [[10, 0, 0x11], [20, 0, 0x12]]),
      tinyFile("beside-2.pcap", [[30, 0, 0x21], [40, 0, 0x22]]),
      tinyFile("beside-3.pcap", [[50, 0, 0x31]]),
    ];
    const piped = writePcap([15, 35, 55].map((tsSec, i) => ({ tsSec, tsNsec: 0, data: Uint8Array.of(0xf1 + i) })), { linkType: ETHERNET });
    const stdin = Readable.from([piped], { objectMode: false });
    const { frames, result } = await readSet([ring[0], "-", ring[1], ring[2]], { stdin });
    expect(frames.map((f) => f.split(" ").filter((_, i) => i !== 1).join(" "))).toEqual([
      "0#1 11", "1#1 f1", "0#2 12", "2#1 21", "1#2 f2", "2#2 22", "3#1 31", "1#3 f3",
    ]);
    // stdin and one ring file
    expect(result.peakOpenFiles).toBe(2);
    expect(result.files.map((f) => [f.file, f.packets])).toEqual([[ring[0], 2], ["-", 3], [ring[1], 2], [ring[2], 1]]);
  });

  it("keeps the summary and problems of files without frames, read whole in the first pass", async () => {
    const headerOnly = tempPath("header-only.pcap");
    writeFileSync(headerOnly, writePcap([], { linkType: 113 }));
    const cut = tempPath("cut-in-first-record.pcap");
    writeFileSync(cut, writePcap([{ tsSec: 5, tsNsec: 0, data: new Uint8Array(30) }], { linkType: ETHERNET }).subarray(0, 24 + 16 + 10));
    const a = tinyFile("with-frames.pcap", [[10, 0, 0xa1]]);
    const { frames, result } = await readSet([headerOnly, a, cut]);
    expect(frames.map((f) => f.split(" ")[0])).toEqual(["1#1"]);
    expect(result.files.map((f) => [f.fileIndex, f.packets, f.linkTypes])).toEqual([[0, 0, [113]], [1, 1, [1]], [2, 0, [1]]]);
    expect(result.problems).toEqual([
      {
        code: "capture-truncated",
        fileIndex: 2,
        file: cut,
        frameNo: 1,
        message: "byte 24: the capture ends inside a record (26 of its 46 bytes)",
      },
    ]);
  });
});

describe.skipIf(!hasTshark || !hasMergecap)("capture sets against mergecap", () => {
  if (!hasTshark || !hasMergecap) console.log("tshark or mergecap not on PATH: skipping the mergecap comparisons");

  /** mergecap's order as "fileIndex seconds.nanoseconds": with -I none every input file keeps its own interface. */
  function mergecapOrder(paths: string[], name: string): string[] {
    const merged = tempPath(name);
    const run = spawnSync("mergecap", ["-I", "none", "-w", merged, ...paths], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const tshark = spawnSync("tshark", ["-r", merged, "-T", "fields", "-e", "frame.interface_id", "-e", "frame.time_epoch"], {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(tshark.status, tshark.stderr).toBe(0);
    return tshark.stdout.trim().split("\n").map((line) => line.replace("\t", " "));
  }

  it("a ring buffer of pcap, pcapng and gzip files given out of order", async () => {
    const records = sessionRecords(2, 10);
    const paths = writeRing(tempPath("ring-vs-mergecap"), records, 3);
    const given = [...paths].reverse();
    const expected = mergecapOrder(given, "ring-merged.pcapng");
    const { frames } = await readSet(given);
    expect(frames.map((f) => f.split(" ").slice(0, 2).join(" ").replace(/#\d+/, ""))).toEqual(expected);
    expect(expected).toHaveLength(records.length);
  });

  it("two interfaces' ring buffers that overlap, with equal timestamps within and across them", async () => {
    // interface 1: ring of three files touching at 12 s; interface 2: two files across the same time,
    // with frames at 11 s and 12 s (ties with interface 1) and one before everything
    const paths = [
      tinyFile("if1-1.pcap", [[10, 0, 0x11], [11, 0, 0x12], [12, 0, 0x13]]),
      tinyFile("if1-2.pcap", [[12, 0, 0x21], [12, 0, 0x22], [13, 500, 0x23]]),
      tinyFile("if1-3.pcap", [[15, 0, 0x31], [16, 0, 0x32]]),
      tinyFile("if2-1.pcap", [[9, 0, 0x41], [11, 0, 0x42], [12, 0, 0x43]]),
      tinyFile("if2-2.pcap", [[13, 500, 0x51], [15, 0, 0x52], [17, 0, 0x53]]),
    ];
    const expected = mergecapOrder(paths, "overlap-merged.pcapng");
    for (const chunkSize of [undefined, 5]) {
      const { frames } = await readSet(paths, { chunkSize });
      expect(frames.map((f) => f.split(" ").slice(0, 2).join(" ").replace(/#\d+/, ""))).toEqual(expected);
    }
    expect(expected).toHaveLength(14);
  });
});
