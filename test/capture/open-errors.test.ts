import { mkdirSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { SAMPLE_PCAP, SAMPLE_PCAPNG } from "./fixtures.js";
import { hex, openErrorOf, readAll, tempPath, writeTemp } from "./helpers.js";

// Anything that is not a capture is refused at open with one line naming the file.

describe("files that are not captures", () => {
  it("an empty file", async () => {
    const path = writeTemp("empty.pcap", Buffer.alloc(0));
    expect(await openErrorOf(path)).toBe(`${path}: empty file, not a pcap or pcapng capture`);
  });

  it("a text file", async () => {
    const path = writeTemp("notes.txt", "frame 1: 10.0.0.1 -> 10.0.0.2 GRE\nframe 2: ...\n");
    expect(await openErrorOf(path)).toBe(`${path}: not a pcap or pcapng capture`);
  });

  it("the first bytes of a JPEG", async () => {
    // SOI ff d8, APP0 marker ff e0, length 16, "JFIF\0", version 1.1, density...
    const path = writeTemp("photo.jpg", hex("ffd8ffe0 0010 4a464946 00 0101 00 0048 0048 0000"));
    expect(await openErrorOf(path)).toBe(`${path}: not a pcap or pcapng capture`);
  });

  it("a pcap file header cut short", async () => {
    const path = writeTemp("short-header.pcap", SAMPLE_PCAP.bytes.subarray(0, 20));
    expect(await openErrorOf(path)).toBe(`${path}: pcap file header cut short (20 of 24 bytes)`);
  });

  it("a pcapng section header cut short", async () => {
    const path = writeTemp("short-header.pcapng", SAMPLE_PCAPNG.bytes.subarray(0, 27));
    expect(await openErrorOf(path)).toBe(`${path}: pcapng section header cut short (27 of 28 bytes)`);
  });

  it("a pcapng section header without a byte-order magic", async () => {
    const path = writeTemp("bad-bom.pcapng", hex("0a0d0d0a 1c000000 4d3c2b1b 0100 0000 ffffffffffffffff 1c000000"));
    expect(await openErrorOf(path)).toBe(`${path}: pcapng section header has no valid byte-order magic`);
  });

  it("a pcapng major version other than 1", async () => {
    const path = writeTemp("version-2.pcapng", hex("0a0d0d0a 1c000000 4d3c2b1a 0200 0000 ffffffffffffffff 1c000000"));
    expect(await openErrorOf(path)).toBe(`${path}: pcapng version 2.0 is not supported`);
  });

  it("three bytes", async () => {
    const path = writeTemp("three.pcap", hex("d4c3b2"));
    expect(await openErrorOf(path)).toBe(`${path}: only 3 byte(s), not a pcap or pcapng capture`);
  });

  it("a file that does not exist", async () => {
    const path = tempPath("nosuch.pcap");
    expect(await openErrorOf(path)).toBe(`${path}: cannot read: no such file`);
  });

  it("a directory", async () => {
    const path = tempPath("a-directory");
    mkdirSync(path);
    expect(await openErrorOf(path)).toBe(`${path}: cannot read: is a directory`);
  });

  it("gzip of nothing, and gzip of text", async () => {
    const empty = writeTemp("empty.pcap.gz", gzipSync(Buffer.alloc(0)));
    expect(await openErrorOf(empty)).toBe(`${empty}: empty after gunzip, not a pcap or pcapng capture`);
    const text = writeTemp("text.gz", gzipSync("hello, this is text\n"));
    expect(await openErrorOf(text)).toBe(`${text}: not a pcap or pcapng capture`);
  });

  it("gzip whose header is damaged before any capture byte comes out", async () => {
    // ID1 ID2, then compression method 7 (only 8, deflate, is defined)
    const path = writeTemp("bad.gz", hex("1f8b 07 00 00000000 00 03 0000"));
    expect(await openErrorOf(path)).toMatch(new RegExp(`^${path}: gzip data damaged \\(.+\\)$`));
  });

  it("gzip cut before the capture header is complete", async () => {
    const gz = gzipSync(SAMPLE_PCAP.bytes, { level: 0 });
    // 10-byte gzip header + 5-byte stored block header + 12 bytes of the pcap file header
    const path = writeTemp("short.pcap.gz", gz.subarray(0, 27));
    expect(await openErrorOf(path)).toBe(`${path}: pcap file header cut short (12 of 24 bytes; gzip data ends early)`);
  });

  it("every message is one line", async () => {
    const path = writeTemp("photo2.jpg", hex("ffd8ffe0 0010 4a464946 00"));
    expect(await openErrorOf(path)).not.toContain("\n");
  });
});

describe("files that open", () => {
  it("a pcap with only its header opens with no packets and no problems", async () => {
    const path = writeTemp("header-only.pcap", SAMPLE_PCAP.bytes.subarray(0, 24));
    const { frames, problems } = await readAll(path);
    expect(frames).toEqual([]);
    expect(problems).toEqual([]);
  });
});
