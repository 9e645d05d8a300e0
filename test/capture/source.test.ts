import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { SAMPLE_PCAP, SAMPLE_PCAPNG } from "./fixtures.js";
import { openErrorOf, readAll, writeTemp } from "./helpers.js";

/** A stand-in for standard input that delivers the bytes in pieces of `size`. */
function stdinOf(bytes: Buffer, size: number): Readable {
  const pieces: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) pieces.push(bytes.subarray(i, i + size));
  return Readable.from(pieces, { objectMode: false });
}

describe("gzip-compressed captures, recognised by their magic", () => {
  it("reads a gzip-compressed pcap whatever its name", async () => {
    const gz = gzipSync(SAMPLE_PCAP.bytes);
    const path = writeTemp("compressed-without-suffix.pcap", gz);
    const { frames, info, problems, bytesRead, totalBytes } = await readAll(path);
    expect(frames).toEqual(SAMPLE_PCAP.frames);
    expect(problems).toEqual([]);
    expect(info).toMatchObject({ format: "pcap", compressed: true, packets: 5 });
    // progress counts compressed bytes against the compressed file size
    expect(totalBytes).toBe(gz.length);
    expect(bytesRead).toBe(gz.length);
  });

  it("reads a gzip-compressed pcapng", async () => {
    const path = writeTemp("sample.pcapng.gz", gzipSync(SAMPLE_PCAPNG.bytes));
    const { frames, info, problems } = await readAll(path);
    expect(frames).toEqual(SAMPLE_PCAPNG.frames);
    expect(problems).toEqual([]);
    expect(info).toMatchObject({ format: "pcapng", compressed: true, linkTypes: [1, 113, 9] });
  });

  it("reads two gzip members in a row as one stream", async () => {
    const cut = 80; // after record 3
    const path = writeTemp(
      "two-members.pcap.gz",
      Buffer.concat([gzipSync(SAMPLE_PCAP.bytes.subarray(0, cut)), gzipSync(SAMPLE_PCAP.bytes.subarray(cut))]),
    );
    const { frames, problems } = await readAll(path);
    expect(frames).toEqual(SAMPLE_PCAP.frames);
    expect(problems).toEqual([]);
  });

  it("treats gzip that stops early as a truncated capture, after the complete records", async () => {
    // Stored (level 0) deflate: the gzip header is 10 bytes, the stored block header 5, then
    // the pcap bytes as they are; cutting 90 bytes in leaves the pcap's first 75 bytes,
    // which end inside record 3 (bytes 57-80).
    const gz = gzipSync(SAMPLE_PCAP.bytes, { level: 0 });
    const path = writeTemp("cut.pcap.gz", gz.subarray(0, 90));
    const { frames, problems } = await readAll(path);
    expect(frames).toEqual(SAMPLE_PCAP.frames.slice(0, 2));
    expect(problems).toEqual([
      {
        code: "capture-truncated",
        fileIndex: 0,
        file: path,
        frameNo: 3,
        message: "byte 57: gzip data ends early; the capture ends inside a record (18 of its 23 bytes)",
      },
    ]);
  });

  it("reports gzip cut at a record boundary as truncated too", async () => {
    // all of the pcap but without the 8-byte CRC32 and ISIZE trailer
    const gz = gzipSync(SAMPLE_PCAP.bytes, { level: 0 });
    const path = writeTemp("no-trailer.pcap.gz", gz.subarray(0, gz.length - 8));
    const { frames, problems } = await readAll(path);
    expect(frames).toEqual(SAMPLE_PCAP.frames);
    expect(problems).toEqual([
      { code: "capture-truncated", fileIndex: 0, file: path, frameNo: 6, message: "byte 155: gzip data ends early" },
    ]);
  });

  it("reports a damaged gzip checksum after delivering what was decompressed", async () => {
    const gz = Buffer.from(gzipSync(SAMPLE_PCAP.bytes));
    gz[gz.length - 8] ^= 0xff; // first byte of the CRC32
    const path = writeTemp("bad-crc.pcap.gz", gz);
    // zlib drops the output of the write that meets damage: the reader writes the trailer on
    // its own, so every pcap byte comes out, whether the file is read in 64-byte pieces or in
    // one piece (the default chunk size) with all of its output in one zlib chunk
    for (const options of [{ chunkSize: 64 }, {}]) {
      const { frames, problems } = await readAll(path, options);
      expect(frames).toEqual(SAMPLE_PCAP.frames);
      expect(problems).toEqual([
        {
          code: "capture-truncated",
          fileIndex: 0,
          file: path,
          frameNo: 6,
          message: "byte 155: gzip data damaged (incorrect data check)",
        },
      ]);
    }
  });
});

describe("standard input (path -)", () => {
  it("reads a pcap from stdin, even one byte at a time", async () => {
    for (const size of [1, 5, 1000]) {
      const { frames, info, problems, totalBytes, bytesRead } = await readAll("-", { stdin: stdinOf(SAMPLE_PCAP.bytes, size) });
      expect(frames).toEqual(SAMPLE_PCAP.frames);
      expect(problems).toEqual([]);
      expect(info).toMatchObject({ file: "-", format: "pcap", compressed: false });
      expect(totalBytes).toBeUndefined();
      expect(bytesRead).toBe(SAMPLE_PCAP.bytes.length);
    }
  });

  it("reads gzip-compressed pcapng from stdin", async () => {
    const gz = gzipSync(SAMPLE_PCAPNG.bytes);
    for (const size of [1, 64, 4096]) {
      const { frames, info, problems } = await readAll("-", { stdin: stdinOf(gz, size) });
      expect(frames).toEqual(SAMPLE_PCAPNG.frames);
      expect(problems).toEqual([]);
      expect(info).toMatchObject({ format: "pcapng", compressed: true });
    }
  });

  it("names stdin in messages", async () => {
    expect(await openErrorOf("-", { stdin: stdinOf(Buffer.alloc(0), 1) })).toBe("stdin: empty file, not a pcap or pcapng capture");
    expect(await openErrorOf("-", { stdin: stdinOf(Buffer.from("GET / HTTP/1.1\r\n"), 4) })).toBe("stdin: not a pcap or pcapng capture");
  });

  it("reports a stream that fails midway as a truncated capture", async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield SAMPLE_PCAP.bytes.subarray(0, 60);
      throw Object.assign(new Error("EIO: i/o error, read"), { code: "EIO" });
    }
    const { frames, problems } = await readAll("-", { stdin: Readable.from(failing(), { objectMode: false }) });
    expect(frames).toEqual(SAMPLE_PCAP.frames.slice(0, 2));
    expect(problems).toEqual([
      {
        code: "capture-truncated",
        fileIndex: 0,
        file: "-",
        frameNo: 3,
        message: "byte 57: read error: input/output error; the capture ends inside a record header (3 of 16 bytes)",
      },
    ]);
  });
});
