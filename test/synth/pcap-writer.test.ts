import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createPcapFileWriter, type SynthRecord, writePcap } from "../../src/synth/pcap-writer.js";
import { hex } from "./helpers.js";

// 1600000000.123456789
const RECORD: SynthRecord = { tsSec: 1600000000, tsNsec: 123456789, data: hex("0102030405") };

describe("writePcap", () => {
  it("writes the little-endian microsecond header and record", () => {
    expect(writePcap([RECORD], { linkType: 1, snaplen: 1024 })).toEqual(hex(
      "d4c3b2a1", // magic 0xa1b2c3d4, little-endian
      "0200 0400", // version 2.4
      "00000000 00000000", // thiszone, sigfigs
      "00040000", // snaplen 1024
      "01000000", // link type 1
      "00105e5f", // ts_sec 1600000000 = 0x5f5e1000
      "40e20100", // ts_usec 123456 = 0x0001e240
      "05000000 05000000", // captured and original length
      "0102030405",
    ));
  });

  it("writes the big-endian nanosecond header and record", () => {
    expect(writePcap([RECORD], { linkType: 113, nanosecond: true, bigEndian: true, snaplen: 65535 })).toEqual(hex(
      "a1b23c4d", // magic, nanosecond, big-endian
      "0002 0004 00000000 00000000",
      "0000ffff", // snaplen
      "00000071", // link type 113
      "5f5e1000", // ts_sec
      "075bcd15", // ts_nsec 123456789
      "00000005 00000005",
      "0102030405",
    ));
  });

  it("writes the other two magics and the default snaplen 262144", () => {
    expect(writePcap([], { linkType: 1, nanosecond: true }).subarray(0, 4)).toEqual(hex("4d3cb2a1"));
    const be = writePcap([], { linkType: 228, bigEndian: true });
    expect(be).toEqual(hex("a1b2c3d4 0002 0004 00000000 00000000 00040000 000000e4"));
  });

  it("cuts records at the snap length and keeps the original length", () => {
    const file = writePcap([RECORD, { ...RECORD, data: hex("aa"), origLen: 1500 }], { linkType: 1, snaplen: 4 });
    expect(file.subarray(24)).toEqual(hex(
      "00105e5f 40e20100 04000000 05000000 01020304", // 4 of 5 bytes
      "00105e5f 40e20100 01000000 dc050000 aa", // 1 byte of a 1500-byte packet
    ));
  });

  it("refuses timestamps out of range", () => {
    expect(() => writePcap([{ ...RECORD, tsNsec: 1e9 }], { linkType: 1 })).toThrow(RangeError);
    expect(() => writePcap([{ ...RECORD, tsSec: -1 }], { linkType: 1 })).toThrow(RangeError);
  });

  it("is deterministic", () => {
    const records = [RECORD, { tsSec: 1, tsNsec: 2, data: hex("ff") }];
    expect(writePcap(records, { linkType: 1 })).toEqual(writePcap(records, { linkType: 1 }));
  });
});

describe("createPcapFileWriter", () => {
  it("streams the same bytes as writePcap across buffer flushes and for a record larger than the buffer", () => {
    const path = join(tmpdir(), `synth-stream-${process.pid}.pcap`);
    const options = { linkType: 1, nanosecond: true, snaplen: 16 * 1024 * 1024 };
    const records: SynthRecord[] = [];
    for (let i = 0; i < 1200; i++) records.push({ tsSec: 1700000000 + i, tsNsec: i, data: Buffer.alloc(5000, i & 0xff) });
    records.push({ tsSec: 1700002000, tsNsec: 0, data: Buffer.alloc(5 * 1024 * 1024, 0x5a) });
    records.push({ tsSec: 1700002001, tsNsec: 0, data: hex("01") });
    try {
      const writer = createPcapFileWriter(path, options);
      for (const record of records) writer.write(record);
      const expectedLength = 24 + records.reduce((n, r) => n + 16 + r.data.length, 0);
      expect(writer.bytesWritten).toBe(expectedLength);
      writer.close();
      const written = readFileSync(path);
      expect(written.length).toBe(expectedLength);
      expect(written.equals(writePcap(records, options))).toBe(true);
    } finally {
      rmSync(path, { force: true });
    }
  });
});
