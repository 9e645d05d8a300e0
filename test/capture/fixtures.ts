/**
 * Two small hand-written captures used by several tests, with what a correct reader must
 * deliver and where each unit (pcap record, pcapng block) ends.
 */
import { hex, type FrameRecord } from "./helpers.js";

function frame(frameNo: number, tsSec: number, tsNsec: number, tsDigits: number, linkType: number, caplen: number, origLen: number, data: string): FrameRecord {
  return { fileIndex: 0, frameNo, tsSec, tsNsec, tsDigits, linkType, caplen, origLen, data };
}

const DATA_40 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f2021222324252627";

/** Little-endian µs pcap, Ethernet, five records of 0, 1, 7, 40 and 3 captured bytes. */
export const SAMPLE_PCAP = {
  bytes: hex(
    "d4c3b2a1 0200 0400 00000000 00000000 ffff0000 01000000", // header, bytes 0-24
    "00f15365 01000000 00000000 00000000", // 1700000000.000001, caplen 0: bytes 24-40
    "00f15365 02000000 01000000 01000000 aa", // .000002, caplen 1: 40-57
    "00f15365 03000000 07000000 dc050000 01020304050607", // .000003, caplen 7, origLen 1500: 57-80
    "01f15365 20a10700 28000000 28000000", DATA_40, // 1700000001.500000, caplen 40: 80-136
    "02f15365 00000000 03000000 03000000 ffeedd", // 1700000002.000000, caplen 3: 136-155
  ),
  frames: [
    frame(1, 1700000000, 1000, 6, 1, 0, 0, ""),
    frame(2, 1700000000, 2000, 6, 1, 1, 1, "aa"),
    frame(3, 1700000000, 3000, 6, 1, 7, 1500, "01020304050607"),
    frame(4, 1700000001, 500000000, 6, 1, 40, 40, DATA_40),
    frame(5, 1700000002, 0, 6, 1, 3, 3, "ffeedd"),
  ],
  /** Where the file header and each record end; frame i (1-based) ends at unitEnds[i]. */
  unitEnds: [24, 40, 57, 80, 136, 155],
  /** Unit index (into unitEnds) of each frame, in order. */
  frameUnits: [1, 2, 3, 4, 5],
};

/** A little-endian EPB of interface 5, which no IDB of these files defines: a `malformed` problem, and reading goes on. */
export const UNDEFINED_INTERFACE_EPB = "06000000 24000000 05000000 240a0600 40222018 01000000 01000000 ee000000 24000000";

/** A pcapng file of two sections, little-endian then big-endian, with EPB, SPB and an NRB. */
export const SAMPLE_PCAPNG = {
  bytes: hex(
    "0a0d0d0a 1c000000 4d3c2b1a 0100 0000 ffffffffffffffff 1c000000", // SHB LE: 0-28
    "01000000 14000000 0100 0000 00000000 14000000", // IDB 0: Ethernet, µs: 28-48
    "01000000 20000000 7100 0000 00000400 0900 0100 09000000 0000 0000 20000000", // IDB 1: SLL, if_tsresol 9: 48-80
    // EPB interface 1, 1700000000123456789 ns, caplen 1, origLen 1: 80-116
    "06000000 24000000 01000000 fe9c9717 15cd853d 01000000 01000000 aa000000 24000000",
    // NRB: IPv4 record 10.0.0.1 "a", end of records: 116-144
    "04000000 1c000000 0100 0800 0a000001 61000000 0000 0000 1c000000",
    // EPB interface 0, 1700000000123456 µs, caplen 4, origLen 60: 144-180
    "06000000 24000000 00000000 240a0600 40222018 04000000 3c000000 deadbeef 24000000",
    // SPB origLen 6, data + 2 padding: 180-204
    "03000000 18000000 06000000 b1b2b3b4b5b6 0000 18000000",
    "0a0d0d0a 0000001c 1a2b3c4d 0001 0000 ffffffffffffffff 0000001c", // SHB BE: 204-232
    "00000001 00000014 0009 0000 00000000 00000014", // IDB 0: PPP, µs: 232-252
    // EPB interface 0, 1700000000500000 µs, caplen 1: 252-288
    "00000006 00000024 00000000 00060a24 1825e120 00000001 00000001 bb000000 00000024",
  ),
  frames: [
    frame(1, 1700000000, 123456789, 9, 113, 1, 1, "aa"),
    frame(2, 1700000000, 123456000, 6, 1, 4, 60, "deadbeef"),
    // the SPB has no timestamp: it keeps the previous frame's
    frame(3, 1700000000, 123456000, 6, 1, 6, 6, "b1b2b3b4b5b6"),
    frame(4, 1700000000, 500000000, 6, 9, 1, 1, "bb"),
  ],
  unitEnds: [28, 48, 80, 116, 144, 180, 204, 232, 252, 288],
  frameUnits: [3, 5, 6, 9],
};
