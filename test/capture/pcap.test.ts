import { describe, expect, it } from "vitest";
import { hex, readAll, writeTemp } from "./helpers.js";

// Two records every variant below carries, written in the variant's byte order:
//   record 1: ts 1700000000 s (0x6553f100) + 123456 µs (0x0001e240) or 123456789 ns (0x075bcd15),
//             caplen 4, origLen 60 (0x3c, cut by the snap length), data de ad be ef
//   record 2: ts 1700000001 s (0x6553f101) + 999999 µs (0x000f423f) or 999999999 ns (0x3b9ac9ff),
//             caplen 2, origLen 2, data ca fe

describe("classic pcap: the four magics", () => {
  it("little-endian microseconds (d4 c3 b2 a1)", async () => {
    const path = writeTemp(
      "le-us.pcap",
      hex(
        "d4c3b2a1", // magic a1b2c3d4 written little-endian: µs
        "0200 0400", // version 2.4
        "00000000 00000000", // reserved
        "ffff0000", // snaplen 65535
        "01000000", // link type 1 (Ethernet)
        "00f15365 40e20100 04000000 3c000000", "deadbeef", // record 1
        "01f15365 3f420f00 02000000 02000000", "cafe", // record 2
      ),
    );
    const { frames, info, problems } = await readAll(path);
    expect(problems).toEqual([]);
    expect(frames).toEqual([
      { fileIndex: 0, frameNo: 1, tsSec: 1700000000, tsNsec: 123456000, tsDigits: 6, linkType: 1, caplen: 4, origLen: 60, data: "deadbeef" },
      { fileIndex: 0, frameNo: 2, tsSec: 1700000001, tsNsec: 999999000, tsDigits: 6, linkType: 1, caplen: 2, origLen: 2, data: "cafe" },
    ]);
    expect(info).toMatchObject({
      format: "pcap",
      compressed: false,
      linkTypes: [1],
      packets: 2,
      bytes: 6,
      firstSec: 1700000000,
      firstNsec: 123456000,
      lastSec: 1700000001,
      lastNsec: 999999000,
      tsDigits: 6,
    });
  });

  it("big-endian microseconds (a1 b2 c3 d4)", async () => {
    const path = writeTemp(
      "be-us.pcap",
      hex(
        "a1b2c3d4", // magic, big-endian: µs
        "0002 0004", // version 2.4
        "00000000 00000000",
        "0000ffff", // snaplen 65535
        "00000009", // link type 9 (PPP)
        "6553f100 0001e240 00000004 0000003c", "deadbeef",
        "6553f101 000f423f 00000002 00000002", "cafe",
      ),
    );
    const { frames, info } = await readAll(path);
    expect(frames.map((f) => [f.tsSec, f.tsNsec, f.tsDigits, f.linkType, f.caplen, f.origLen, f.data])).toEqual([
      [1700000000, 123456000, 6, 9, 4, 60, "deadbeef"],
      [1700000001, 999999000, 6, 9, 2, 2, "cafe"],
    ]);
    expect(info.linkTypes).toEqual([9]);
  });

  it("little-endian nanoseconds (4d 3c b2 a1)", async () => {
    const path = writeTemp(
      "le-ns.pcap",
      hex(
        "4d3cb2a1", // magic a1b23c4d written little-endian: ns
        "0200 0400",
        "00000000 00000000",
        "00000400", // snaplen 262144
        "71000000", // link type 113 (Linux SLL)
        "00f15365 15cd5b07 04000000 3c000000", "deadbeef",
        "01f15365 ffc99a3b 02000000 02000000", "cafe",
      ),
    );
    const { frames, info } = await readAll(path);
    expect(frames.map((f) => [f.tsSec, f.tsNsec, f.tsDigits, f.linkType, f.caplen, f.origLen])).toEqual([
      [1700000000, 123456789, 9, 113, 4, 60],
      [1700000001, 999999999, 9, 113, 2, 2],
    ]);
    expect(info.tsDigits).toBe(9);
  });

  it("big-endian nanoseconds (a1 b2 3c 4d)", async () => {
    const path = writeTemp(
      "be-ns.pcap",
      hex(
        "a1b23c4d", // magic, big-endian: ns
        "0002 0004",
        "00000000 00000000",
        "0000ffff",
        "00000065", // link type 101 (raw IP)
        "6553f100 075bcd15 00000004 0000003c", "deadbeef",
        "6553f101 3b9ac9ff 00000002 00000002", "cafe",
      ),
    );
    const { frames, info } = await readAll(path);
    expect(frames.map((f) => [f.frameNo, f.tsSec, f.tsNsec, f.tsDigits, f.linkType, f.data])).toEqual([
      [1, 1700000000, 123456789, 9, 101, "deadbeef"],
      [2, 1700000001, 999999999, 9, 101, "cafe"],
    ]);
    expect(info).toMatchObject({ format: "pcap", tsDigits: 9, packets: 2, bytes: 6 });
  });
});

describe("classic pcap: header and record details", () => {
  it("takes the link type from the low 16 bits, ignoring the FCS information above", async () => {
    const path = writeTemp(
      "fcs-bits.pcap",
      hex(
        "d4c3b2a1 0200 0400 00000000 00000000 ffff0000",
        "01000024", // 0x24000001: F bit (0x04000000) + FCS length 2 x 16 bits (0x20000000), link type 1
        "00f15365 00000000 01000000 01000000 aa",
      ),
    );
    const { frames, info } = await readAll(path);
    expect(frames.map((f) => f.linkType)).toEqual([1]);
    expect(info.linkTypes).toEqual([1]);
  });

  it("carries a fraction of a second or more into the seconds", async () => {
    const path = writeTemp(
      "big-fraction.pcap",
      hex(
        "d4c3b2a1 0200 0400 00000000 00000000 ffff0000 71000000",
        "5a2e8754 40420f00 01000000 01000000 aa", // 1418145370 s + 1000000 µs
        "5a2e8754 00000080 01000000 01000000 bb", // 1418145370 s + 2147483648 µs = +2147 s 483648 µs
      ),
    );
    const { frames, problems } = await readAll(path);
    expect(problems).toEqual([]);
    expect(frames.map((f) => [f.tsSec, f.tsNsec])).toEqual([
      [1418145371, 0],
      [1418147517, 483648000],
    ]);
  });

  it("carries nanoseconds the same way", async () => {
    const path = writeTemp(
      "big-fraction-ns.pcap",
      hex(
        "4d3cb2a1 0200 0400 00000000 00000000 ffff0000 00000000",
        "72aa733a 80232f70 01000000 01000000 aa", // 980658802 s + 1882137472 ns (0x702f2380)
      ),
    );
    const { frames } = await readAll(path);
    expect(frames.map((f) => [f.tsSec, f.tsNsec])).toEqual([[980658803, 882137472]]);
  });

  it("accepts a captured length larger than the original length (version 2.4)", async () => {
    const path = writeTemp(
      "caplen-larger.pcap",
      hex(
        "d4c3b2a1 0200 0400 00000000 00000000 ffff0000 01000000",
        "00f15365 00000000 06000000 04000000 010203040506", // caplen 6, origLen 4
      ),
    );
    const { frames, problems } = await readAll(path);
    expect(problems).toEqual([]);
    expect(frames.map((f) => [f.caplen, f.origLen, f.data])).toEqual([[6, 4, "010203040506"]]);
  });

  it("swaps the two lengths for versions before 2.3, as libpcap and Wireshark do", async () => {
    const path = writeTemp(
      "version-2.2.pcap",
      hex(
        "d4c3b2a1 0200 0200 00000000 00000000 ffff0000 01000000", // version 2.2
        "00f15365 00000000 3c000000 04000000 deadbeef", // first length 60, second 4: really caplen 4, origLen 60
        "01f15365 00000000 02000000 02000000 cafe",
      ),
    );
    const { frames, problems } = await readAll(path);
    expect(problems).toEqual([]);
    expect(frames.map((f) => [f.frameNo, f.caplen, f.origLen, f.data])).toEqual([
      [1, 4, 60, "deadbeef"],
      [2, 2, 2, "cafe"],
    ]);
  });

  it("swaps them in version 2.3 only when the captured length is the larger", async () => {
    const path = writeTemp(
      "version-2.3.pcap",
      hex(
        "d4c3b2a1 0200 0300 00000000 00000000 ffff0000 01000000", // version 2.3
        "00f15365 00000000 3c000000 04000000 deadbeef", // 60 > 4: swapped, caplen 4
        "01f15365 00000000 02000000 3c000000 cafe", // 2 < 60: as written, caplen 2 origLen 60
      ),
    );
    const { frames } = await readAll(path);
    expect(frames.map((f) => [f.caplen, f.origLen, f.data])).toEqual([
      [4, 60, "deadbeef"],
      [2, 60, "cafe"],
    ]);
  });

  it("reads an empty capture (header only) as zero packets", async () => {
    const path = writeTemp("header-only.pcap", hex("d4c3b2a1 0200 0400 00000000 00000000 ffff0000 01000000"));
    const { frames, info, problems, totalBytes, bytesRead } = await readAll(path);
    expect(frames).toEqual([]);
    expect(problems).toEqual([]);
    expect(info).toMatchObject({ packets: 0, bytes: 0, linkTypes: [1] });
    expect(totalBytes).toBe(24);
    expect(bytesRead).toBe(24);
  });

  it("reports first and last as the earliest and latest timestamps", async () => {
    const path = writeTemp(
      "out-of-order.pcap",
      hex(
        "d4c3b2a1 0200 0400 00000000 00000000 ffff0000 01000000",
        "0af15365 00000000 01000000 01000000 aa", // 1700000010.0
        "00f15365 01000000 01000000 01000000 bb", // 1700000000.000001
        "14f15365 00000000 01000000 01000000 cc", // 1700000020.0
        "05f15365 00000000 01000000 01000000 dd", // 1700000005.0
      ),
    );
    const { info } = await readAll(path);
    expect([info.firstSec, info.firstNsec, info.lastSec, info.lastNsec]).toEqual([1700000000, 1000, 1700000020, 0]);
  });
});
