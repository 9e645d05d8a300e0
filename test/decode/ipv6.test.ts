import { describe, expect, it } from "vitest";
import { Decoder } from "../../src/decode/decoder.js";
import { destinationAddress, sourceAddress } from "../../src/decode/address.js";
import { LinkType } from "../../src/decode/linktypes.js";
import { DecodeError, PacketKind } from "../../src/decode/packet.js";
import { IPV4_TCP_SYN_TO_1723, IPV6_TCP_SYN_TO_1723, decodeOne, frameOf, hex } from "./frames.js";

const SRC = "20010db8000000000000000000000001"; // 2001:db8::1
const DST = "20010db8000000000000000000000002"; // 2001:db8::2

/** Fixed header with the given payload length and next header. */
function ipv6Header(payloadLength: string, nextHeader: string): string {
  return "60000000" + payloadLength + nextHeader + "40" /* hop limit 64 */ + SRC + DST;
}

const HOP_BY_HOP_TO_DEST_OPTS = "3c" /* next: 60 */ + "00" /* 8 bytes */ + "0104" + "00000000"; /* PadN, 4 bytes */
const DEST_OPTS_TO_FRAGMENT = "2c" /* next: 44 */ + "00" + "0104" + "00000000";
const DEST_OPTS_TO_TCP = "06" + "00" + "0104" + "00000000";

/**
 * Enhanced GRE (20 bytes) cut in two fragments: the first carries 16 bytes (GRE header
 * and 4 bytes of PPP), the second the last 4 bytes at offset 16.
 */
const GRE_PART_1 = [
  "3001", // K, S, version 1
  "880b", // PPP
  "0008", // payload length 8
  "0011", // call ID 17
  "00000007", // sequence 7
  "ff03", // PPP address, control
  "c021", // LCP
].join("");
const GRE_PART_2 = "05070004"; // LCP Terminate-Request, id 7, length 4

function fragment(offsetAndFlags: string, data: string, payloadLength: string): Buffer {
  return hex(
    ipv6Header(payloadLength, "00"), // next: hop-by-hop
    HOP_BY_HOP_TO_DEST_OPTS,
    DEST_OPTS_TO_FRAGMENT,
    "2f", // Fragment header, next: 47 GRE
    "00", // reserved
    offsetAndFlags,
    "0000abcd", // identification
    data,
  );
}
// Payload lengths: 8 + 8 + 8 + 16 = 40 (0x28) and 8 + 8 + 8 + 4 = 28 (0x1c).
const FIRST = fragment("0001" /* offset 0, M */, GRE_PART_1, "0028");
const SECOND = fragment("0010" /* offset 2 units = 16 bytes, no M */, GRE_PART_2, "001c");

describe("IPv6 (RFC 8200)", () => {
  it("reads the fixed header", () => {
    const p = decodeOne(LinkType.RAW, hex(IPV6_TCP_SYN_TO_1723)).packet;
    expect(p.kind).toBe(PacketKind.PptpTcp);
    expect(p.ipVersion).toBe(6);
    expect(p.ipTtl).toBe(64);
    expect(p.ipProtocol).toBe(6);
    expect(p.src6Offset).toBe(8);
    expect(p.dst6Offset).toBe(24);
    expect(sourceAddress(p)).toBe("2001:db8::1");
    expect(destinationAddress(p)).toBe("2001:db8::2");
  });

  it("walks hop-by-hop and destination options to TCP", () => {
    const p = decodeOne(
      LinkType.RAW,
      hex(ipv6Header("0024" /* 8 + 8 + 20 */, "00"), HOP_BY_HOP_TO_DEST_OPTS, DEST_OPTS_TO_TCP, IPV6_TCP_SYN_TO_1723.slice(80)),
    ).packet;
    expect(p.kind).toBe(PacketKind.PptpTcp);
    expect(p.ipProtocol).toBe(6);
    expect(p.dstPort).toBe(1723);
    expect(p.payloadOffset).toBe(40 + 16 + 20);
  });

  it("reassembles fragments behind hop-by-hop and destination options, in order", () => {
    const decoder = new Decoder();
    expect(decoder.decode(frameOf(LinkType.RAW, FIRST, 100))).toBe(PacketKind.FragmentHeld);
    expect(decoder.decode(frameOf(LinkType.RAW, SECOND, 100))).toBe(PacketKind.Gre);
    const p = decoder.packet;
    expect(p.reassembled).toBe(true);
    // 40 header + 16 options (the Fragment header is gone) + 20 GRE.
    expect(p.buf.length).toBe(76);
    expect(p.buf[4] * 256 + p.buf[5]).toBe(36); // payload length rewritten
    expect(p.buf[40 + 8]).toBe(47); // the destination options now name GRE
    expect(p.ipProtocol).toBe(47);
    expect(sourceAddress(p)).toBe("2001:db8::1");
    expect(p.greCallId).toBe(17);
    expect(p.greSeq).toBe(7);
    expect(p.pppProtocol).toBe(0xc021);
    expect(p.pppOffset).toBe(72);
    expect(p.pppLength).toBe(4);
    expect([...p.buf.subarray(72, 76)]).toEqual([0x05, 0x07, 0x00, 0x04]);
    expect(decoder.fragments.datagramsInProgress).toBe(0);
  });

  it("reassembles fragments that arrive out of order", () => {
    const decoder = new Decoder();
    expect(decoder.decode(frameOf(LinkType.RAW, SECOND, 100))).toBe(PacketKind.FragmentHeld);
    expect(decoder.decode(frameOf(LinkType.RAW, FIRST, 101))).toBe(PacketKind.Gre);
    expect(decoder.packet.greCallId).toBe(17);
  });

  it("leaves fragments of UDP alone", () => {
    const udp = hex(ipv6Header("0010", "2c"), "11" /* UDP */, "00", "0001", "00000001", "0035003500080000");
    const d = decodeOne(LinkType.RAW, udp);
    expect(d.packet.kind).toBe(PacketKind.Other);
    expect(d.fragments.datagramsInProgress).toBe(0);
  });

  it("walks past an atomic fragment (offset 0, M 0; RFC 6946)", () => {
    const p = decodeOne(LinkType.RAW, hex(ipv6Header("001c" /* 8 + 20 */, "2c"), "06", "00", "0000", "00000001", IPV6_TCP_SYN_TO_1723.slice(80))).packet;
    expect(p.kind).toBe(PacketKind.PptpTcp);
  });

  it("decodes 4in6: IPv6 carrying IPv4 carrying GRE", () => {
    const inner = [
      "45", "00", "0024", // total length 36 = 20 + 16
      "0000", "0000", "3f", "2f", "0000",
      "100000c8", // 16.0.0.200
      "c034a69a", // 192.52.166.154
      "3081", // K S A, version 1
      "880b", // PPP
      "0000", // payload length 0
      "1780", // call ID 6016
      "00000001", // sequence 1
      "00000002", // ack 2
    ].join("");
    const p = decodeOne(LinkType.RAW, hex(ipv6Header("0024", "04"), inner)).packet;
    expect(p.kind).toBe(PacketKind.Gre);
    expect(p.ipVersion).toBe(4);
    expect(p.ipTunnelDepth).toBe(1);
    expect(sourceAddress(p)).toBe("16.0.0.200");
    expect(destinationAddress(p)).toBe("192.52.166.154");
    expect(p.greCallId).toBe(6016);
    expect(p.greAck).toBe(2);
    expect(p.pppProtocol).toBe(-1);
  });

  it("decodes 6in6 (next header 41)", () => {
    const p = decodeOne(LinkType.RAW, hex(ipv6Header("003c" /* 60 */, "29"), IPV6_TCP_SYN_TO_1723)).packet;
    expect(p.kind).toBe(PacketKind.PptpTcp);
    expect(p.ipTunnelDepth).toBe(1);
    expect(p.src6Offset).toBe(48);
  });

  it("stops at No Next Header, and after eight extension headers", () => {
    expect(decodeOne(LinkType.RAW, hex(ipv6Header("0000", "3b"))).packet.kind).toBe(PacketKind.Other);
    // Nine destination options headers, each naming the next, then TCP: more than we walk.
    const nine = hex(ipv6Header("005c" /* 9 * 8 + 20 */, "3c"), ("3c000104" + "00000000").repeat(8), DEST_OPTS_TO_TCP, IPV6_TCP_SYN_TO_1723.slice(80));
    expect(decodeOne(LinkType.RAW, nine).packet.kind).toBe(PacketKind.Other);
    const eight = hex(ipv6Header("0054" /* 8 * 8 + 20 */, "3c"), ("3c000104" + "00000000").repeat(7), DEST_OPTS_TO_TCP, IPV6_TCP_SYN_TO_1723.slice(80));
    expect(decodeOne(LinkType.RAW, eight).packet.kind).toBe(PacketKind.PptpTcp);
  });

  it("reports a short header, a bad version, and an extension header cut short", () => {
    const short = decodeOne(LinkType.RAW, hex(IPV6_TCP_SYN_TO_1723.slice(0, 60))).packet;
    expect(short.error).toBe(DecodeError.Truncated);
    expect(short.errorLayer).toBe("ipv6");
    const badVersion = decodeOne(LinkType.IPV6, hex(IPV4_TCP_SYN_TO_1723)).packet;
    expect(badVersion.error).toBe(DecodeError.BadHeader);
    expect(badVersion.errorLayer).toBe("ipv6");
    // Hop-by-hop claims 16 bytes (Hdr Ext Len 1), 8 are there.
    const cut = decodeOne(LinkType.RAW, hex(ipv6Header("0008", "00"), "06", "01", "0104", "00000000")).packet;
    expect(cut.kind).toBe(PacketKind.Malformed);
    expect(cut.error).toBe(DecodeError.Truncated);
  });

  it("sizes an Authentication Header in 4-byte units plus 2 (RFC 4302)", () => {
    const ah = [
      "06", // next header TCP
      "04", // payload len 4: (4 + 2) * 4 = 24 bytes
      "0000", // reserved
      "00000100", // SPI
      "00000001", // sequence
      "0000000000000000" + "00000000", // ICV, 12 bytes
    ].join("");
    const p = decodeOne(LinkType.RAW, hex(ipv6Header("002c" /* 24 + 20 */, "33"), ah, IPV6_TCP_SYN_TO_1723.slice(80))).packet;
    expect(p.kind).toBe(PacketKind.PptpTcp);
    expect(p.payloadOffset).toBe(40 + 24 + 20);
  });
});
