import { describe, expect, it } from "vitest";
import { hex, readAll, writeTemp } from "./helpers.js";
import { UNDEFINED_INTERFACE_EPB } from "./fixtures.js";

// Blocks are written out field by field: type(4) total length(4) body trailing length(4).

/** Little-endian Section Header Block, version 1.0, section length unknown, no options: 28 bytes. */
const SHB_LE = "0a0d0d0a 1c000000 4d3c2b1a 0100 0000 ffffffffffffffff 1c000000";
/** The same, big-endian. */
const SHB_BE = "0a0d0d0a 0000001c 1a2b3c4d 0001 0000 ffffffffffffffff 0000001c";
/** LE Interface Description Block: link type 1 (Ethernet), snaplen 0, no options (default µs): 20 bytes. */
const IDB_LE_ETHERNET_US = "01000000 14000000 0100 0000 00000000 14000000";
/**
 * LE IDB, link type 113 (Linux SLL), snaplen 262144, if_tsresol 9 (10^-9 s):
 * 8 + 8 fixed + option 9 (code 9, length 1, value 09, 3 padding bytes) + opt_endofopt(4) + 4 = 32 bytes.
 */
const IDB_LE_SLL_NS = "01000000 20000000 7100 0000 00000400 0900 0100 09000000 0000 0000 20000000";
/** LE IDB, link type 9 (PPP), snaplen 0, if_tsresol 0x94 (2^-20 s), no opt_endofopt: 28 bytes. */
const IDB_LE_PPP_POW2 = "01000000 1c000000 0900 0000 00000000 0900 0100 94000000 1c000000";

describe("pcapng: sections and byte orders", () => {
  it("reads a little-endian section with µs timestamps (no if_tsresol)", async () => {
    const path = writeTemp(
      "le.pcapng",
      hex(
        SHB_LE,
        IDB_LE_ETHERNET_US,
        // EPB: interface 0, ts 1700000000123456 µs = 0x00060a24_18202240, caplen 4, origLen 60, data, length 36
        "06000000 24000000 00000000 240a0600 40222018 04000000 3c000000 deadbeef 24000000",
      ),
    );
    const { frames, info, problems } = await readAll(path);
    expect(problems).toEqual([]);
    expect(frames).toEqual([
      { fileIndex: 0, frameNo: 1, tsSec: 1700000000, tsNsec: 123456000, tsDigits: 6, linkType: 1, caplen: 4, origLen: 60, data: "deadbeef" },
    ]);
    expect(info).toMatchObject({ format: "pcapng", linkTypes: [1], packets: 1, bytes: 4, tsDigits: 6 });
  });

  it("reads a big-endian section", async () => {
    const path = writeTemp(
      "be.pcapng",
      hex(
        SHB_BE,
        "00000001 00000014 0009 0000 00000000 00000014", // IDB: link type 9 (PPP), snaplen 0
        // EPB: interface 0, ts 1700000001000000 µs = 0x00060a24_182d8240, caplen 3, origLen 3, data + 1 pad byte
        "00000006 00000024 00000000 00060a24 182d8240 00000003 00000003 c02101 00 00000024",
      ),
    );
    const { frames, info, problems } = await readAll(path);
    expect(problems).toEqual([]);
    expect(frames.map((f) => [f.tsSec, f.tsNsec, f.linkType, f.caplen, f.origLen, f.data])).toEqual([
      [1700000001, 0, 9, 3, 3, "c02101"],
    ]);
    expect(info.linkTypes).toEqual([9]);
  });

  it("reads two sections of different byte orders; each new section resets the interfaces", async () => {
    const path = writeTemp(
      "two-sections.pcapng",
      hex(
        SHB_LE,
        IDB_LE_ETHERNET_US,
        IDB_LE_SLL_NS,
        // EPB on interface 1 (ns): ts 1700000000123456789 ns = 0x17979cfe_3d85cd15, caplen 1, origLen 1, length 36
        "06000000 24000000 01000000 fe9c9717 15cd853d 01000000 01000000 aa000000 24000000",
        SHB_BE,
        "00000001 00000014 0009 0000 00000000 00000014", // IDB 0 of section 2: PPP, µs
        // EPB on interface 0 of section 2: ts 1700000000500000 µs = 0x00060a24_1825e120
        "00000006 00000024 00000000 00060a24 1825e120 00000001 00000001 bb000000 00000024",
        // EPB on interface 1: defined in section 1 only, so undefined here
        "00000006 00000024 00000001 00060a24 1825e120 00000001 00000001 cc000000 00000024",
        // EPB on interface 0 again
        "00000006 00000024 00000000 00060a24 1825e120 00000001 00000001 dd000000 00000024",
      ),
    );
    const { frames, info, problems } = await readAll(path);
    expect(frames.map((f) => [f.frameNo, f.tsSec, f.tsNsec, f.tsDigits, f.linkType, f.data])).toEqual([
      [1, 1700000000, 123456789, 9, 113, "aa"],
      [2, 1700000000, 500000000, 6, 9, "bb"],
      // frame 3 is the packet on the undefined interface: skipped, but it keeps its number
      [4, 1700000000, 500000000, 6, 9, "dd"],
    ]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: "malformed", frameNo: 3, fileIndex: 0, file: path });
    expect(problems[0].message).toContain("names interface 1, but its section defines 1");
    expect(info).toMatchObject({ linkTypes: [1, 113, 9], packets: 3, tsDigits: 9 });
  });
});

describe("pcapng: interfaces and timestamp resolutions", () => {
  it("applies each interface's link type and if_tsresol (10^-6 default, 10^-9, 2^-20)", async () => {
    const path = writeTemp(
      "three-interfaces.pcapng",
      hex(
        SHB_LE,
        IDB_LE_ETHERNET_US, // interface 0
        IDB_LE_SLL_NS, // interface 1
        IDB_LE_PPP_POW2, // interface 2
        // interface 2: 1700000000 s * 2^20 + 0xc0001 = 0x0006553f_100c0001 units of 2^-20 s;
        // 0xc0001 / 2^20 s = 0.75 s + 953.674... ns, truncated to 750000953 ns
        "06000000 24000000 02000000 3f550600 01000c10 01000000 01000000 01000000 24000000",
        // interface 0: 1700000000123456 µs
        "06000000 24000000 00000000 240a0600 40222018 01000000 01000000 02000000 24000000",
        // interface 1: 1700000002000000007 ns = 0x17979cfe_ad5f9407
        "06000000 24000000 01000000 fe9c9717 07945fad 01000000 01000000 03000000 24000000",
      ),
    );
    const { frames, info, problems } = await readAll(path);
    expect(problems).toEqual([]);
    expect(frames.map((f) => [f.frameNo, f.linkType, f.tsSec, f.tsNsec, f.tsDigits])).toEqual([
      [1, 9, 1700000000, 750000953, 9],
      [2, 1, 1700000000, 123456000, 6],
      [3, 113, 1700000002, 7, 9],
    ]);
    expect(info.linkTypes).toEqual([1, 113, 9]);
    expect(info.tsDigits).toBe(9);
  });

  it("reads a Simple Packet Block: interface 0, the previous frame's timestamp, caplen cut to the snaplen", async () => {
    const path = writeTemp(
      "spb.pcapng",
      hex(
        SHB_LE,
        "01000000 14000000 0100 0000 04000000 14000000", // IDB: Ethernet, snaplen 4
        // EPB: 1700000000123456 µs, caplen 2
        "06000000 24000000 00000000 240a0600 40222018 02000000 02000000 a1a20000 24000000",
        // SPB: origLen 6, 6 data bytes + 2 padding, length 24; caplen = min(6, snaplen 4) = 4
        "03000000 18000000 06000000 b1b2b3b4b5b6 0000 18000000",
        // SPB: origLen 2, 2 bytes + 2 padding, length 20: caplen 2
        "03000000 14000000 02000000 c1c2 0000 14000000",
      ),
    );
    const { frames, problems } = await readAll(path);
    expect(problems).toEqual([]);
    expect(frames.map((f) => [f.frameNo, f.tsSec, f.tsNsec, f.linkType, f.caplen, f.origLen, f.data])).toEqual([
      [1, 1700000000, 123456000, 1, 2, 2, "a1a2"],
      [2, 1700000000, 123456000, 1, 4, 6, "b1b2b3b4"],
      [3, 1700000000, 123456000, 1, 2, 2, "c1c2"],
    ]);
  });

  it("reads the obsolete Packet Block (16-bit interface ID and drops count)", async () => {
    const path = writeTemp(
      "pb.pcapng",
      hex(
        SHB_LE,
        IDB_LE_ETHERNET_US,
        IDB_LE_SLL_NS,
        // PB: interface 1 (2 bytes), drops 7 (2 bytes), ts 1700000000123456789 ns, caplen 4, len 80, data, length 36
        "02000000 24000000 0100 0700 fe9c9717 15cd853d 04000000 50000000 01020304 24000000",
      ),
    );
    const { frames, problems } = await readAll(path);
    expect(problems).toEqual([]);
    expect(frames.map((f) => [f.frameNo, f.linkType, f.tsSec, f.tsNsec, f.caplen, f.origLen, f.data])).toEqual([
      [1, 113, 1700000000, 123456789, 4, 80, "01020304"],
    ]);
  });

  it("skips blocks it does not read: name resolution, interface statistics, custom, unknown types", async () => {
    const path = writeTemp(
      "other-blocks.pcapng",
      hex(
        SHB_LE,
        IDB_LE_ETHERNET_US,
        // NRB: one IPv4 record (type 1, length 8: 10.0.0.1 "a\0\0\0"), nrb_record_end, length 28
        "04000000 1c000000 0100 0800 0a000001 61000000 0000 0000 1c000000",
        // ISB: interface 0, timestamp 0, no options, length 24
        "05000000 18000000 00000000 00000000 00000000 18000000",
        // custom block 0x00000bad: PEN 32473 + 4 bytes, length 20
        "ad0b0000 14000000 d97e0000 01020304 14000000",
        // unknown type 0x12345678 with 8 bytes of body, length 20
        "78563412 14000000 0000000000000000 14000000",
        "06000000 24000000 00000000 240a0600 40222018 01000000 01000000 ee000000 24000000",
      ),
    );
    const { frames, problems } = await readAll(path);
    expect(problems).toEqual([]);
    expect(frames.map((f) => [f.frameNo, f.data])).toEqual([[1, "ee"]]);
  });

  it("keeps an interface whose options run past its block, and notes it", async () => {
    const path = writeTemp(
      "bad-option.pcapng",
      hex(
        SHB_LE,
        // IDB: option code 2 (if_name) claims 40 bytes in a 4-byte space; length 28
        "01000000 1c000000 0100 0000 00000000 0200 2800 65746830 1c000000",
        "06000000 24000000 00000000 240a0600 40222018 01000000 01000000 ee000000 24000000",
      ),
    );
    const { frames, problems } = await readAll(path);
    expect(frames.map((f) => [f.frameNo, f.linkType, f.tsNsec, f.data])).toEqual([[1, 1, 123456000, "ee"]]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: "malformed", frameNo: 1 });
    expect(problems[0].message).toContain("option runs past the end");
  });
});

describe("pcapng: damaged blocks", () => {
  const goodEpb = "06000000 24000000 00000000 240a0600 40222018 01000000 01000000 ee000000 24000000";

  it("stops at a block length that is not a multiple of 4", async () => {
    const path = writeTemp(
      "len-not-4.pcapng",
      hex(SHB_LE, IDB_LE_ETHERNET_US, goodEpb, "06000000 21000000 00000000 240a0600 40222018 01000000 01000000 ee000000 00 21000000", goodEpb),
    );
    const { frames, problems } = await readAll(path);
    expect(frames.map((f) => f.frameNo)).toEqual([1]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: "malformed", frameNo: 2 });
    // SHB 28 + IDB 20 + EPB 36: the bad block starts at byte 84
    expect(problems[0].message).toBe("byte 84: enhanced packet block length 33 is not a multiple of 4; reading stopped");
  });

  it("stops at a block shorter than its type's minimum", async () => {
    const path = writeTemp(
      "len-short.pcapng",
      // an EPB of 28 bytes cannot hold its fixed fields (32)
      hex(SHB_LE, IDB_LE_ETHERNET_US, "06000000 1c000000 00000000 240a0600 40222018 00000000 1c000000", goodEpb),
    );
    const { frames, problems } = await readAll(path);
    expect(frames).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: "malformed", frameNo: 1 });
    expect(problems[0].message).toContain("enhanced packet block length 28 is less than the 32-byte minimum");
  });

  it("stops at a block whose trailing length differs from the leading one", async () => {
    const path = writeTemp(
      "len-trailing.pcapng",
      hex(SHB_LE, IDB_LE_ETHERNET_US, goodEpb, goodEpb.replace(/24000000$/, "28000000"), goodEpb),
    );
    const { frames, problems } = await readAll(path);
    expect(frames.map((f) => f.frameNo)).toEqual([1]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: "malformed", frameNo: 2 });
    expect(problems[0].message).toContain("length 36 differs from its trailing copy 40");
  });

  it("stops at a later section header without a valid byte-order magic", async () => {
    const path = writeTemp(
      "bad-second-section.pcapng",
      hex(SHB_LE, IDB_LE_ETHERNET_US, goodEpb, "0a0d0d0a 1c000000 4d3c2b00 0100 0000 ffffffffffffffff 1c000000", goodEpb),
    );
    const { frames, problems } = await readAll(path);
    expect(frames.map((f) => f.frameNo)).toEqual([1]);
    expect(problems).toEqual([
      {
        code: "malformed",
        fileIndex: 0,
        file: path,
        frameNo: 2,
        message: "byte 84: section header block has no valid byte-order magic; reading stopped",
      },
    ]);
  });

  it("skips a packet whose captured length exceeds its block, and goes on", async () => {
    const path = writeTemp(
      "caplen-beyond-block.pcapng",
      hex(
        SHB_LE,
        IDB_LE_ETHERNET_US,
        // EPB of 32 + 4 bytes claiming caplen 5
        "06000000 24000000 00000000 240a0600 40222018 05000000 05000000 01020304 24000000",
        goodEpb,
      ),
    );
    const { frames, problems } = await readAll(path);
    expect(frames.map((f) => [f.frameNo, f.data])).toEqual([[2, "ee"]]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: "malformed", frameNo: 1 });
    expect(problems[0].message).toContain("captured length 5 exceeds the 4 bytes the block holds");
  });

  it("reports a file that ends inside a block as truncated, after the complete packets", async () => {
    const path = writeTemp("cut.pcapng", hex(
        SHB_LE,
        IDB_LE_ETHERNET_US,
        goodEpb,
        "06000000 24000000 00000000 240a0600 40222018", // the first 20 of the next EPB's 36 bytes
      ),);
    const { frames, problems } = await readAll(path);
    expect(frames.map((f) => f.frameNo)).toEqual([1]);
    expect(problems).toEqual([
      {
        code: "capture-truncated",
        fileIndex: 0,
        file: path,
        frameNo: 2,
        message: "byte 84: the capture ends inside a block (20 of its 36 bytes)",
      },
    ]);
  });

  it("keeps at most 100 problems per file and counts the rest", async () => {
    const path = writeTemp(
      "many-problems.pcapng",
      hex(SHB_LE, IDB_LE_ETHERNET_US, UNDEFINED_INTERFACE_EPB.repeat(130), goodEpb),
    );
    const { frames, problems, problemsOmitted } = await readAll(path);
    expect(frames.map((f) => f.frameNo)).toEqual([131]);
    expect(problems).toHaveLength(100);
    expect(problems[99].frameNo).toBe(100);
    expect(problemsOmitted).toBe(30);
  });
});
