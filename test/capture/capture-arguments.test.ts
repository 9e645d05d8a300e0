/** Directory arguments: every capture file directly in the directory, in name order. */
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { MAX_CAPTURE_SET_FILES, expandCaptureArguments, readCaptureSet } from "../../src/capture/capture-set.js";
import { CaptureOpenError } from "../../src/capture/problems.js";
import { SAMPLE_PCAP, SAMPLE_PCAPNG } from "./fixtures.js";
import { hex, tempPath } from "./helpers.js";

/** A fresh directory in the test's temporary folder with the given files (name -> bytes). */
function directory(name: string, files: Record<string, Buffer | string>): string {
  const dir = tempPath(name);
  mkdirSync(dir);
  for (const [file, bytes] of Object.entries(files)) writeFileSync(join(dir, file), bytes);
  return dir;
}

/** A pcap file header with the given magic bytes as they lie in the file, then one record. */
function pcapWithMagic(magic: string, littleEndian: boolean): Buffer {
  const header = littleEndian ? "0200 0400 00000000 00000000 ffff0000 01000000" : "0002 0004 00000000 00000000 0000ffff 00000001";
  const record = littleEndian ? "0a000000 00000000 01000000 01000000 aa" : "0000000a 00000000 00000001 00000001 aa";
  return hex(magic, header, record);
}

describe("expandCaptureArguments", () => {
  it("takes every capture file directly in a directory, in name order, and skips the rest", async () => {
    const dir = directory("mixed", {
      "ring_00010.pcap": pcapWithMagic("d4c3b2a1", true), // little-endian µs
      "ring_00009.pcap": pcapWithMagic("a1b2c3d4", false), // big-endian µs
      "Z-nano-le.cap": pcapWithMagic("4d3cb2a1", true), // little-endian ns
      "a-nano-be": pcapWithMagic("a1b23c4d", false), // big-endian ns, no suffix
      ".hidden.pcapng": SAMPLE_PCAPNG.bytes,
      "compressed.gz": gzipSync(SAMPLE_PCAP.bytes),
      "notes.txt": "frame 1: GRE\n",
      "empty.pcap": Buffer.alloc(0),
      "photo.jpg": hex("ffd8ffe0 0010 4a464946 00"),
      "one-byte.pcap": hex("d4"),
    });
    mkdirSync(join(dir, "nested"));
    writeFileSync(join(dir, "nested", "inner.pcap"), SAMPLE_PCAP.bytes);
    symlinkSync(join(dir, "nested"), join(dir, "link-to-nested"));
    symlinkSync(join(dir, "ring_00009.pcap"), join(dir, "link.pcap"));
    symlinkSync(join(dir, "gone.pcap"), join(dir, "dangling.pcap"));
    // by character codes: "." < "Z" < "a" < "c" < "l" < "r", and "ring_00009" < "ring_00010"
    expect(await expandCaptureArguments([dir])).toEqual(
      [".hidden.pcapng", "Z-nano-le.cap", "a-nano-be", "compressed.gz", "link.pcap", "ring_00009.pcap", "ring_00010.pcap"].map((f) => join(dir, f)),
    );
  });

  it("keeps files and - where they are given, a directory's files in its place", async () => {
    const dir = directory("in-place", { "b.pcap": SAMPLE_PCAP.bytes, "a.pcap": SAMPLE_PCAP.bytes });
    const file = tempPath("given.pcap");
    writeFileSync(file, SAMPLE_PCAP.bytes);
    expect(await expandCaptureArguments([file, dir, "-"])).toEqual([file, join(dir, "a.pcap"), join(dir, "b.pcap"), "-"]);
  });

  it("keeps a path given by name as it is, capture or not, so that opening it says what is wrong", async () => {
    const text = tempPath("given.txt");
    writeFileSync(text, "not a capture");
    const missing = tempPath("missing.pcap");
    expect(await expandCaptureArguments([text, missing])).toEqual([text, missing]);
    await expect(readCaptureSet([missing], () => {})).rejects.toThrow(`${missing}: cannot read: no such file`);
  });

  it("refuses a directory without capture files, in one line", async () => {
    const empty = directory("empty-dir", {});
    await expect(expandCaptureArguments([empty])).rejects.toThrow(new CaptureOpenError(`${empty}: no capture files in this directory`));
    const others = directory("no-captures", { "notes.txt": "hello", "empty.pcap": "" });
    mkdirSync(join(others, "nested"));
    writeFileSync(join(others, "nested", "inner.pcap"), SAMPLE_PCAP.bytes);
    await expect(readCaptureSet([others], () => {})).rejects.toMatchObject({
      name: "CaptureOpenError",
      message: `${others}: no capture files in this directory`,
    });
  });

  it(`refuses more than ${MAX_CAPTURE_SET_FILES} files in one set`, async () => {
    const tooMany = new Array<string>(MAX_CAPTURE_SET_FILES + 1).fill(tempPath("missing.pcap"));
    const message = `more than 100000 capture files in one capture set`;
    // already expanded: refused before any file is looked at
    await expect(readCaptureSet(tooMany, () => {}, { expandDirectories: false })).rejects.toThrow(message);
    // "-" needs no look-up in the file system, so it makes the expansion's check quick to reach
    await expect(expandCaptureArguments(new Array<string>(MAX_CAPTURE_SET_FILES + 1).fill("-"))).rejects.toThrow(message);
    expect((await expandCaptureArguments(new Array<string>(MAX_CAPTURE_SET_FILES).fill("-"))).length).toBe(MAX_CAPTURE_SET_FILES);
  });
});

describe("readCaptureSet with a directory", () => {
  it("reads the directory's captures as one set, numbered in name order", async () => {
    // b has a frame at 10.000002, a (read first by name) at 10.000001 and 10.000003
    const dir = directory("as-set", {
      "b.pcap": hex("d4c3b2a1 0200 0400 00000000 00000000 ffff0000 01000000", "0a000000 02000000 01000000 01000000 b1"),
      "a.pcap.gz": gzipSync(
        hex(
          "d4c3b2a1 0200 0400 00000000 00000000 ffff0000 01000000",
          "0a000000 01000000 01000000 01000000 a1",
          "0a000000 03000000 01000000 01000000 a2",
        ),
      ),
      "README": "ring buffer of the concentrator",
    });
    const frames: string[] = [];
    const result = await readCaptureSet([dir], (frame) => {
      frames.push(`${frame.fileIndex}#${frame.frameNo} ${frame.buf.subarray(frame.offset, frame.offset + frame.caplen).toString("hex")}`);
    });
    expect(frames).toEqual(["0#1 a1", "1#1 b1", "0#2 a2"]);
    expect(result.files.map((f) => [f.file, f.compressed, f.packets])).toEqual([
      [join(dir, "a.pcap.gz"), true, 2],
      [join(dir, "b.pcap"), false, 1],
    ]);
  });

  it("does not look for directories again when told the paths are expanded", async () => {
    const dir = directory("not-again", { "a.pcap": SAMPLE_PCAP.bytes });
    await expect(readCaptureSet([dir], () => {}, { expandDirectories: false })).rejects.toThrow(`${dir}: cannot read: is a directory`);
  });
});
