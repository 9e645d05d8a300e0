import { describe, expect, it } from "vitest";
import { Decoder } from "../../src/decode/decoder.js";
import { LinkType } from "../../src/decode/linktypes.js";
import { DecodeError, PacketKind } from "../../src/decode/packet.js";
import {
  FRAGMENT_TIMEOUT_SECONDS,
  FragmentStatus,
  IpFragmentReassembler,
  MAX_DATAGRAMS_IN_PROGRESS,
  MAX_FRAGMENTS_PER_DATAGRAM,
  MAX_HELD_BYTES,
  type FragmentInput,
} from "../../src/reassembly/ip-fragments.js";
import { frameOf, hex } from "../decode/frames.js";

/**
 * A 32-byte GRE datagram 192.168.2.2 -> 192.168.2.5 (identification 0x1234) in two
 * IPv4 fragments of 16 bytes each.
 */
function ipv4Fragment(totalLength: string, flagsAndOffset: string, data: string): Buffer {
  return hex(
    "45", // version 4, IHL 5
    "00",
    totalLength,
    "1234", // identification
    flagsAndOffset,
    "40", // TTL
    "2f", // GRE
    "0000",
    "c0a80202", // 192.168.2.2
    "c0a80205", // 192.168.2.5
    data,
  );
}
const PART_1 = [
  "3001", // GRE K, S, version 1
  "880b", // PPP
  "0014", // payload length 20
  "0b74", // call ID 2932
  "00000009", // sequence 9
  "ff03", // PPP address, control
  "c021", // LCP
].join("");
const PART_2 = [
  "01050010", // Configure-Request, id 5, length 16
  "01040578", // MRU 1400
  "050611223344", // Magic-Number
  "0702", // Protocol-Field-Compression
].join("");
// Total length 36 = 20 + 16 each.
const FIRST = ipv4Fragment("0024", "2000" /* MF, offset 0 */, PART_1);
const SECOND = ipv4Fragment("0024", "0002" /* offset 2 units = 16 bytes */, PART_2);

function decodeAll(frames: Array<[Buffer, number]>): { decoder: Decoder; kinds: number[] } {
  const decoder = new Decoder();
  const kinds = frames.map(([bytes, tsSec]) => decoder.decode(frameOf(LinkType.RAW, bytes, tsSec)));
  return { decoder, kinds };
}

function expectReassembledGre(decoder: Decoder): void {
  const p = decoder.packet;
  expect(p.kind).toBe(PacketKind.Gre);
  expect(p.reassembled).toBe(true);
  expect(p.buf.length).toBe(52);
  expect(p.buf[2] * 256 + p.buf[3]).toBe(52); // total length rewritten
  expect(p.buf[6] * 256 + p.buf[7]).toBe(0); // no fragment bits left
  expect(p.ipId).toBe(0x1234);
  expect(p.src4).toBe(0xc0a80202);
  expect(p.greCallId).toBe(2932);
  expect(p.greSeq).toBe(9);
  expect(p.pppProtocol).toBe(0xc021);
  expect(p.pppOffset).toBe(36);
  expect(p.pppLength).toBe(16);
  expect(Buffer.from(p.buf.subarray(36)).toString("hex")).toBe(PART_2);
}

describe("IPv4 fragments through the decoder", () => {
  it("in order: the first is held, the second completes the datagram", () => {
    const { decoder, kinds } = decodeAll([
      [FIRST, 1000],
      [SECOND, 1000],
    ]);
    expect(kinds).toEqual([PacketKind.FragmentHeld, PacketKind.Gre]);
    expectReassembledGre(decoder);
    expect(decoder.fragments.datagramsInProgress).toBe(0);
    expect(decoder.fragments.bytesHeld).toBe(0);
  });

  it("out of order", () => {
    const { decoder, kinds } = decodeAll([
      [SECOND, 1000],
      [FIRST, 1001],
    ]);
    expect(kinds).toEqual([PacketKind.FragmentHeld, PacketKind.Gre]);
    expectReassembledGre(decoder);
  });

  it("a duplicate fragment changes nothing", () => {
    const { decoder, kinds } = decodeAll([
      [FIRST, 1000],
      [FIRST, 1000],
      [SECOND, 1000],
    ]);
    expect(kinds).toEqual([PacketKind.FragmentHeld, PacketKind.FragmentHeld, PacketKind.Gre]);
    expectReassembledGre(decoder);
  });

  it("an overlapping fragment with the same bytes is accepted", () => {
    // Payload bytes 8..15 of the datagram, sent again as their own fragment (offset 1, MF).
    const again = ipv4Fragment("001c" /* 28 = 20 + 8 */, "2001", "00000009ff03c021");
    const { decoder, kinds } = decodeAll([
      [FIRST, 1000],
      [again, 1000],
      [SECOND, 1000],
    ]);
    expect(kinds).toEqual([PacketKind.FragmentHeld, PacketKind.FragmentHeld, PacketKind.Gre]);
    expectReassembledGre(decoder);
  });

  it("an overlapping fragment with other bytes drops the datagram and is reported", () => {
    const conflicting = ipv4Fragment("001c", "2001", "deadbeefdeadbeef");
    const { decoder, kinds } = decodeAll([
      [FIRST, 1000],
      [conflicting, 1000],
      [SECOND, 1000],
    ]);
    expect(kinds).toEqual([PacketKind.FragmentHeld, PacketKind.Malformed, PacketKind.FragmentHeld]);
    // The last fragment starts a new datagram that never completes.
    expect(decoder.fragments.datagramsInProgress).toBe(1);
    const { decoder: again } = decodeAll([
      [FIRST, 1000],
      [conflicting, 1000],
    ]);
    expect(again.packet.error).toBe(DecodeError.FragmentOverlap);
    expect(again.packet.errorLayer).toBe("ipv4");
  });

  it(`a datagram must complete within ${FRAGMENT_TIMEOUT_SECONDS} s of capture time`, () => {
    const inTime = decodeAll([
      [FIRST, 1000],
      [SECOND, 1000 + FRAGMENT_TIMEOUT_SECONDS],
    ]);
    expect(inTime.kinds).toEqual([PacketKind.FragmentHeld, PacketKind.Gre]);
    const late = decodeAll([
      [FIRST, 1000],
      [SECOND, 1000 + FRAGMENT_TIMEOUT_SECONDS + 1],
    ]);
    expect(late.kinds).toEqual([PacketKind.FragmentHeld, PacketKind.FragmentHeld]);
    expect(late.decoder.fragments.drops).toEqual({ tooManyDatagrams: 0, tooManyBytes: 0, tooManyFragments: 0, timedOut: 1 });
  });

  it("a fragment reaching past 65535 bytes is an impossible header", () => {
    // Offset 8191 units = 65528 bytes, plus 16 bytes of data.
    const { decoder, kinds } = decodeAll([[ipv4Fragment("0024", "1fff", PART_1), 1000]]);
    expect(kinds).toEqual([PacketKind.Malformed]);
    expect(decoder.packet.error).toBe(DecodeError.BadHeader);
  });
});

/** A fragment for the reassembler itself: a 20-byte header (protocol at byte 9) and `data`. */
function input(key: string, tsSec: number, fragmentOffset: number, more: boolean, data: Buffer): FragmentInput {
  const buf = Buffer.concat([hex("4500000000000000402f0000", "0a000001", "0a000002"), data]);
  return {
    key,
    tsSec,
    buf,
    headerOffset: 0,
    headerLength: 20,
    protocolFieldAt: 9,
    protocol: 47,
    fragmentOffset,
    more,
    payloadOffset: 20,
    payloadLength: data.length,
  };
}

describe("IpFragmentReassembler limits", () => {
  it("evicts the oldest datagram when too many are in progress", () => {
    const r = new IpFragmentReassembler();
    for (let i = 0; i <= MAX_DATAGRAMS_IN_PROGRESS; i++) {
      expect(r.add(input(`d${i}`, 0, 0, true, Buffer.alloc(8, 1)))).toBe(FragmentStatus.Held);
    }
    expect(r.drops.tooManyDatagrams).toBe(1);
    expect(r.datagramsInProgress).toBe(MAX_DATAGRAMS_IN_PROGRESS);
    // d0 lost its first fragment: its last one starts over (and evicts d1, now the oldest).
    expect(r.add(input("d0", 0, 8, false, Buffer.alloc(8, 2)))).toBe(FragmentStatus.Held);
    expect(r.drops).toEqual({ tooManyDatagrams: 2, tooManyBytes: 0, tooManyFragments: 0, timedOut: 0 });
    // The newest still completes: 20 header + 16 payload bytes, protocol byte set.
    expect(r.add(input(`d${MAX_DATAGRAMS_IN_PROGRESS}`, 0, 8, false, Buffer.alloc(8, 2)))).toBe(FragmentStatus.Complete);
    expect(r.datagram.length).toBe(36);
    expect(r.datagram[9]).toBe(47);
    expect([...r.datagram.subarray(20)]).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2]);
  });

  it("evicts the oldest datagrams when the bytes held would pass the limit", () => {
    const r = new IpFragmentReassembler();
    const big = Buffer.alloc(65000);
    for (let i = 0; i < 300; i++) r.add(input(`d${i}`, 0, 0, true, big));
    // Each holds 65020 bytes (header 20 + 65000): 258 of them fit in 16 MiB (258 * 65020 = 16775160).
    expect(r.bytesHeld).toBeLessThanOrEqual(MAX_HELD_BYTES);
    expect(r.datagramsInProgress).toBe(258);
    expect(r.drops).toEqual({ tooManyDatagrams: 0, tooManyBytes: 300 - 258, tooManyFragments: 0, timedOut: 0 });
    expect(r.add(input("d299", 0, 65000, false, Buffer.alloc(8)))).toBe(FragmentStatus.Complete);
  });

  it("drops a datagram with too many fragments", () => {
    const r = new IpFragmentReassembler();
    for (let i = 0; i < MAX_FRAGMENTS_PER_DATAGRAM; i++) {
      expect(r.add(input("many", 0, 8 * (i + 1), true, Buffer.alloc(8)))).toBe(FragmentStatus.Held);
    }
    expect(r.add(input("many", 0, 8 * (MAX_FRAGMENTS_PER_DATAGRAM + 1), true, Buffer.alloc(8)))).toBe(FragmentStatus.TooManyFragments);
    expect(r.drops).toEqual({ tooManyDatagrams: 0, tooManyBytes: 0, tooManyFragments: 1, timedOut: 0 });
    expect(r.datagramsInProgress).toBe(0);
    expect(r.bytesHeld).toBe(0);
  });

  it("fragments that disagree about the end are a conflict", () => {
    const r = new IpFragmentReassembler();
    expect(r.add(input("x", 0, 16, false, Buffer.alloc(8)))).toBe(FragmentStatus.Held);
    // A second last fragment with another end.
    expect(r.add(input("x", 0, 24, false, Buffer.alloc(8)))).toBe(FragmentStatus.Conflict);
    expect(r.add(input("y", 0, 16, false, Buffer.alloc(8)))).toBe(FragmentStatus.Held);
    // Data past the end the last fragment set.
    expect(r.add(input("y", 0, 24, true, Buffer.alloc(8)))).toBe(FragmentStatus.Conflict);
    expect(r.datagramsInProgress).toBe(0);
  });

  it("times out on capture time, not on arrival order alone", () => {
    const r = new IpFragmentReassembler();
    r.add(input("old", 100, 0, true, Buffer.alloc(8)));
    r.add(input("new", 125, 0, true, Buffer.alloc(8)));
    // At 131 "old" is 31 s old and goes; "new" (6 s) stays.
    r.add(input("other", 131, 0, true, Buffer.alloc(8)));
    expect(r.drops.timedOut).toBe(1);
    expect(r.datagramsInProgress).toBe(2);
    expect(r.add(input("new", 131, 8, false, Buffer.alloc(8)))).toBe(FragmentStatus.Complete);
  });
});
