import { describe, expect, it } from "vitest";
import { captureLayout, packetUnits, readField, writeField } from "../../src/fuzz/capture-layout.js";
import { hex } from "../helpers.js";

/** pcap-savefile(5), little-endian, µs: file header, two records, then 5 bytes of a cut record header. */
const PCAP = hex(
  "d4c3b2a1 0200 0400 00000000 00000000 ffff0000 01000000", // magic, 2.4, zone, sigfigs, snaplen 65535, LINKTYPE_ETHERNET
  "01000000 00000000 04000000 3c000000 aabbccdd", // ts 1 s, caplen 4, origlen 60, data
  "02000000 00000000 02000000 02000000 eeff",
  "0300000000",
);

/** The pcapng draft's blocks, little-endian: SHB (28), IDB with if_tsresol 9 (32), EPB with 3 bytes (36), SPB with 2 bytes (20). */
const PCAPNG = hex(
  "0a0d0d0a 1c000000 4d3c2b1a 0100 0000 ffffffff ffffffff 1c000000",
  "01000000 20000000 0100 0000 00000400 0900 0100 09000000 0000 0000 20000000", // link 1, snaplen 262144, if_tsresol 9, end of options
  "06000000 24000000 00000000 00000000 01000000 03000000 03000000 01020300 24000000", // interface 0, ts 1, caplen 3, origlen 3
  "03000000 14000000 02000000 0a0b0000 14000000", // original length 2
);

describe("captureLayout", () => {
  it("finds the pcap file header, each record with its packet bytes, and the cut tail", () => {
    const layout = captureLayout(PCAP)!;
    expect(layout.format).toBe("pcap");
    expect(layout.units.map((u) => [u.kind, u.offset, u.length, u.dataOffset, u.dataLength, u.linkType])).toEqual([
      ["pcap-header", 0, 24, -1, 0, -1],
      ["pcap-record", 24, 20, 40, 4, 1],
      ["pcap-record", 44, 18, 60, 2, 1],
    ]);
    expect(layout.tailOffset).toBe(62);
    const caplen = layout.units[1].fields.find((f) => f.name === "captured length")!;
    expect(caplen).toEqual({ name: "captured length", offset: 32, size: 4, littleEndian: true });
    expect(readField(PCAP, caplen)).toBe(4);
    expect(readField(PCAP, layout.units[0].fields.find((f) => f.name === "link type")!)).toBe(1);
  });

  it("reads a big-endian pcap in its own byte order", () => {
    const be = hex("a1b2c3d4 0002 0004 00000000 00000000 0000ffff 00000065", "00000001 00000000 00000001 00000001 45");
    const layout = captureLayout(be)!;
    expect(layout.units.map((u) => [u.offset, u.length, u.linkType])).toEqual([[0, 24, -1], [24, 17, 101]]);
    expect(layout.units[1].littleEndian).toBe(false);
  });

  it("finds pcapng blocks, the IDB's options and if_tsresol, and the packets of EPB and SPB", () => {
    const layout = captureLayout(PCAPNG)!;
    expect(layout.format).toBe("pcapng");
    expect(layout.units.map((u) => [u.blockType, u.offset, u.length, u.dataOffset, u.dataLength, u.linkType])).toEqual([
      [0x0a0d0d0a, 0, 28, -1, 0, -1],
      [1, 28, 32, -1, 0, -1],
      [6, 60, 36, 88, 3, 1],
      [3, 96, 20, 108, 2, 1],
    ]);
    expect(layout.tailOffset).toBe(PCAPNG.length);
    const idb = layout.units[1].fields;
    expect(idb.find((f) => f.name === "if_tsresol")).toEqual({ name: "if_tsresol", offset: 48, size: 1, littleEndian: true });
    expect(idb.filter((f) => f.name === "option length").map((f) => f.offset)).toEqual([46, 54]);
    expect(layout.units[2].fields.find((f) => f.name === "trailing block length")!.offset).toBe(92);
    expect(packetUnits(layout).map((u) => u.offset)).toEqual([60, 96]);
  });

  it("stops at a block whose length cannot be right, leaving the rest as the tail", () => {
    const damaged = Buffer.from(PCAPNG);
    damaged.writeUInt32LE(0x1d, 64); // EPB length 29: not a multiple of 4
    const layout = captureLayout(damaged)!;
    expect(layout.units.map((u) => u.offset)).toEqual([0, 28]);
    expect(layout.tailOffset).toBe(60);
  });

  it("is undefined for bytes that start neither format", () => {
    expect(captureLayout(Buffer.from("hello world"))).toBeUndefined();
    expect(captureLayout(Buffer.alloc(2))).toBeUndefined();
  });

  it("writes fields in their byte order", () => {
    const copy = Buffer.from(PCAP);
    writeField(copy, { name: "x", offset: 32, size: 4, littleEndian: true }, 0x01020304);
    expect(copy.subarray(32, 36)).toEqual(hex("04030201"));
    writeField(copy, { name: "y", offset: 40, size: 2, littleEndian: false }, 0x0a0b);
    expect(copy.subarray(40, 42)).toEqual(hex("0a0b"));
  });
});
