import { describe, expect, it } from "vitest";
import { writePcapng } from "../../src/synth/pcapng-writer.js";
import { hex } from "./helpers.js";

const DATA = hex("0102030405");

describe("writePcapng", () => {
  it("writes SHB, IDB with if_name and if_tsresol, and an EPB (little-endian)", () => {
    const file = writePcapng([{
      interfaces: [{ linkType: 1, snaplen: 65535, name: "eth0", tsresol: 9 }],
      records: [{ tsSec: 1600000000, tsNsec: 123456789, data: DATA }],
    }]);
    expect(file).toEqual(hex(
      // Section Header Block
      "0a0d0d0a 1c000000", // type, total length 28
      "4d3c2b1a", // byte-order magic
      "0100 0000", // version 1.0
      "ffffffff ffffffff", // section length -1
      "1c000000",
      // Interface Description Block
      "01000000 28000000", // type 1, total length 40
      "0100 0000", // link type 1, reserved
      "ffff0000", // snaplen 65535
      "0200 0400 65746830", // if_name "eth0"
      "0900 0100 09 000000", // if_tsresol 9 (nanoseconds), padded
      "0000 0000", // opt_endofopt
      "28000000",
      // Enhanced Packet Block
      "06000000 28000000", // type 6, total length 40
      "00000000", // interface 0
      "85573416 15cdfbdf", // 1600000000123456789 ns = 0x16345785_dffbcd15: high, low
      "05000000 05000000", // captured, original length
      "0102030405 000000", // data padded to 32 bits
      "28000000",
    ));
  });

  it("writes a big-endian section, microseconds when if_tsresol is absent", () => {
    const file = writePcapng([{
      bigEndian: true,
      interfaces: [{ linkType: 9 }],
      records: [{ tsSec: 1600000000, tsNsec: 123456789, data: DATA, origLen: 9 }],
    }]);
    expect(file).toEqual(hex(
      "0a0d0d0a 0000001c 1a2b3c4d 0001 0000 ffffffff ffffffff 0000001c",
      "00000001 00000014", // IDB without options: 20 bytes
      "0009 0000 00040000", // link type 9, snaplen 262144
      "00000014",
      "00000006 00000028 00000000",
      "0005af31 07a5e240", // 1600000000123456 us = 0x0005af31_07a5e240
      "00000005 00000009", // captured 5, original 9
      "0102030405 000000",
      "00000028",
    ));
  });

  it("counts timestamps in 2^-20 s for if_tsresol 0x94", () => {
    const file = writePcapng([{
      interfaces: [{ linkType: 1, tsresol: 0x94 }],
      records: [{ tsSec: 1600000000, tsNsec: 500_000_000, data: DATA }],
    }]);
    const epb = file.subarray(28 + 32); // after SHB and IDB (20 + 8 option bytes + 4 end)
    expect(epb.readUInt32LE(0)).toBe(6);
    // 1600000000 * 2^20 + 0.5 * 2^20 = 0x5f5e1_00000000 + 0x80000
    expect(epb.subarray(12, 20)).toEqual(hex("e1f50500 00000800"));
  });

  it("writes SPB, PB and raw blocks", () => {
    const file = writePcapng([{
      interfaces: [{ linkType: 1, snaplen: 4 }, { linkType: 101 }],
      records: [
        { tsSec: 0, tsNsec: 0, data: DATA, block: "spb" },
        { tsSec: 1, tsNsec: 2000, data: DATA, block: "pb", interfaceId: 1 },
        { rawBlock: { type: 4, body: hex("0000 0000") } }, // Name Resolution Block with only nrb_record_end
      ],
    }]);
    const blocks = file.subarray(28 + 20 + 20);
    expect(blocks).toEqual(hex(
      "03000000 14000000", // SPB, 20 bytes
      "05000000", // original length 5
      "01020304", // cut to interface 0's snaplen 4
      "14000000",
      "02000000 28000000", // PB, 40 bytes
      "0100 0000", // interface 1, drops 0
      "00000000 42420f00", // 1000002 us = 0x000f4242
      "05000000 05000000 0102030405 000000",
      "28000000",
      "04000000 10000000 00000000 10000000", // the raw block
    ));
  });

  it("writes several sections, each with its own byte order and interfaces", () => {
    const file = writePcapng([
      { interfaces: [{ linkType: 1 }], records: [{ tsSec: 0, tsNsec: 0, data: DATA }] },
      { bigEndian: true, interfaces: [{ linkType: 113 }], records: [{ tsSec: 0, tsNsec: 0, data: DATA }] },
    ]);
    const second = 28 + 20 + 40;
    expect(file.subarray(second, second + 12)).toEqual(hex("0a0d0d0a 0000001c 1a2b3c4d"));
    expect(file.subarray(second + 28, second + 32)).toEqual(hex("00000001"));
    expect(file.readUInt16BE(second + 36)).toBe(113);
    expect(file).toHaveLength(2 * (28 + 20 + 40));
  });

  it("keeps every byte when the interface snaplen is 0 (no limit)", () => {
    const file = writePcapng([{ interfaces: [{ linkType: 1, snaplen: 0 }], records: [{ tsSec: 0, tsNsec: 0, data: DATA }] }]);
    expect(file.subarray(28 + 12, 28 + 16)).toEqual(hex("00000000")); // IDB snaplen field
    expect(file.subarray(28 + 20 + 20, 28 + 20 + 28)).toEqual(hex("05000000 05000000")); // EPB lengths
  });

  it("refuses a record for an interface the section does not have, or a timestamp beyond 64 bits of units", () => {
    expect(() => writePcapng([{ interfaces: [], records: [{ tsSec: 0, tsNsec: 0, data: DATA }] }])).toThrow(RangeError);
    // 10^-19 s units: 2^64 units is about 1.8 s
    expect(() => writePcapng([{ interfaces: [{ linkType: 1, tsresol: 19 }],
      records: [{ tsSec: 2, tsNsec: 0, data: DATA }] }])).toThrow(RangeError);
  });
});
