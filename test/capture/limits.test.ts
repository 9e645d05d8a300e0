import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { MAX_RECORD_BYTES } from "../../src/capture/record-format.js";
import { hex, readAll, writeTemp } from "./helpers.js";

const HEADER = "d4c3b2a1 0200 0400 00000000 00000000 ffff0000 01000000"; // LE µs, Ethernet
const SMALL_RECORD = "00f15365 00000000 02000000 02000000 cafe"; // 1700000000.0, caplen 2

describe("record size limit (16 MiB)", () => {
  it("stops with a malformed problem at a record claiming more than 16 MiB, after the records before it", async () => {
    const path = writeTemp(
      "huge-claim.pcap",
      hex(
        HEADER,
        SMALL_RECORD,
        SMALL_RECORD,
        "00f15365 00000000 01000001 01000001", // caplen 0x01000001 = 16 MiB + 1
        "00".repeat(64),
      ),
    );
    const { frames, problems } = await readAll(path);
    expect(frames.map((f) => f.frameNo)).toEqual([1, 2]);
    expect(problems).toEqual([
      {
        code: "malformed",
        fileIndex: 0,
        file: path,
        frameNo: 3,
        // 24 + 2 * 18
        message: "byte 60: record header claims 16777217 captured bytes, more than the 16777216 byte limit; reading stopped",
      },
    ]);
  });

  it("delivers a record of exactly 16 MiB, assembled across 1 MiB chunks, and the record after it", async () => {
    expect(MAX_RECORD_BYTES).toBe(16 * 1024 * 1024);
    const data = Buffer.alloc(MAX_RECORD_BYTES);
    for (let i = 0; i < data.length; i += 4096) data[i] = (i >>> 12) & 0xff;
    data[data.length - 1] = 0x5a;
    const bytes = Buffer.concat([
      hex(HEADER, SMALL_RECORD, "01f15365 00000000 00000001 00000001"), // caplen 0x01000000
      data,
      hex("02f15365 00000000 01000000 01000000 77"),
    ]);
    const path = writeTemp("sixteen-mib.pcap", bytes);
    for (const file of [path, writeTemp("sixteen-mib.pcap.gz", gzipSync(bytes, { level: 1 }))]) {
      const { frames, problems } = await readAll(file);
      expect(problems).toEqual([]);
      expect(frames.map((f) => [f.frameNo, f.tsSec, f.caplen])).toEqual([
        [1, 1700000000, 2],
        [2, 1700000001, MAX_RECORD_BYTES],
        [3, 1700000002, 1],
      ]);
      expect(Buffer.from(frames[1].data, "hex").equals(data)).toBe(true);
      expect(frames[2].data).toBe("77");
    }
  });
});
