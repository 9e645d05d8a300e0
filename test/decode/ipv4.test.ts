import { describe, expect, it } from "vitest";
import { LinkType } from "../../src/decode/linktypes.js";
import { DecodeError, PacketKind } from "../../src/decode/packet.js";
import { CLIENT_V4, IPV4_TCP_SYN_TO_1723, IPV6_TCP_SYN_TO_1723, SERVER_V4, decodeOne, hex } from "./frames.js";

/** An IPv4 header (no options) from 1.1.1.1 to 2.2.2.2 with the given total length and protocol. */
function outerIpv4(totalLength: string, protocol: string): string {
  return "45" + "00" + totalLength + "0004" /* id */ + "0000" + "40" /* TTL */ + protocol + "0000" + "01010101" + "02020202";
}

describe("IPv4 (RFC 791)", () => {
  it("reads the header fields of a TCP segment", () => {
    const p = decodeOne(LinkType.RAW, hex(IPV4_TCP_SYN_TO_1723)).packet;
    expect(p.ipVersion).toBe(4);
    expect(p.src4).toBe(CLIENT_V4);
    expect(p.dst4).toBe(SERVER_V4);
    expect(p.ipTtl).toBe(128);
    expect(p.ipProtocol).toBe(6);
    expect(p.ipId).toBe(1);
    expect(p.ipTunnelDepth).toBe(0);
    expect(p.payloadMissing).toBe(0);
  });

  it("skips options (IHL 6, Router Alert) to reach GRE", () => {
    const p = decodeOne(
      LinkType.RAW,
      hex(
        "46", // version 4, IHL 6 (24 bytes)
        "00",
        "0028", // total length 40 = 24 + 8 + 8
        "0003", // identification 3
        "0000",
        "40", // TTL 64
        "2f", // GRE
        "0000",
        "0a000001", // 10.0.0.1
        "0a000002", // 10.0.0.2
        "94040000", // option Router Alert (RFC 2113), length 4
        "2001", // GRE K, version 1
        "880b", // PPP
        "0008", // payload length 8
        "0100", // call ID 256
        "ff03", // address, control
        "c021", // LCP
        "01020004", // Configure-Request id 2 length 4
        "000000000000", // link padding after the datagram
      ),
    ).packet;
    expect(p.kind).toBe(PacketKind.Gre);
    expect(p.src4).toBe(0x0a000001);
    expect(p.greCallId).toBe(256);
    expect(p.payloadOffset).toBe(32);
    expect(p.payloadLength).toBe(8);
    expect(p.pppOffset).toBe(36);
    expect(p.pppLength).toBe(4);
  });

  it("reports a header cut short, a bad version, IHL < 5 and a total length below the header", () => {
    const cases: Array<[string, Buffer, number]> = [
      ["10 bytes", hex("4500002c000140008006"), DecodeError.Truncated],
      ["version 5", hex("55", IPV4_TCP_SYN_TO_1723.slice(2)), DecodeError.BadHeader],
      ["IHL 4", hex("44", IPV4_TCP_SYN_TO_1723.slice(2)), DecodeError.BadHeader],
      ["total length 16", hex("4500", "0010", IPV4_TCP_SYN_TO_1723.slice(8)), DecodeError.BadHeader],
      ["IHL 15 with 44 bytes", hex("4f", IPV4_TCP_SYN_TO_1723.slice(2)), DecodeError.Truncated],
    ];
    for (const [name, bytes, error] of cases) {
      const p = decodeOne(LinkType.IPV4, bytes).packet;
      expect(p.kind, name).toBe(PacketKind.Malformed);
      expect(p.error, name).toBe(error);
      expect(p.errorLayer, name).toBe("ipv4");
    }
  });

  it("is malformed whatever a broken header carries (UDP here)", () => {
    const p = decodeOne(LinkType.RAW, hex("44", "00", "001c", "0000", "0000", "40", "11", "0000", "01010101", "02020202")).packet;
    expect(p.kind).toBe(PacketKind.Malformed);
  });

  it("counts the bytes the snap length cut off", () => {
    // Total length 256 (0x0100), 44 bytes present: 212 missing, the TCP header itself complete.
    const p = decodeOne(LinkType.RAW, hex("4500", "0100", IPV4_TCP_SYN_TO_1723.slice(8))).packet;
    expect(p.kind).toBe(PacketKind.PptpTcp);
    expect(p.payloadMissing).toBe(212);
    expect(p.payloadLength).toBe(0);
  });

  it("takes total length 0 (segmentation offload) as what is present", () => {
    const p = decodeOne(LinkType.RAW, hex("4500", "0000", IPV4_TCP_SYN_TO_1723.slice(8), "c0ffee")).packet;
    expect(p.kind).toBe(PacketKind.PptpTcp);
    expect(p.payloadLength).toBe(3);
  });

  it("leaves UDP, and fragments of UDP, as Other without holding them", () => {
    const udp = hex("45", "00", "001c", "0005", "0000", "40", "11", "0000", "01010101", "02020202", "0035003500080000");
    expect(decodeOne(LinkType.RAW, udp).packet.kind).toBe(PacketKind.Other);
    const udpFragment = hex("45", "00", "001c", "0005", "2000" /* MF */, "40", "11", "0000", "01010101", "02020202", "0035003500080000");
    const d = decodeOne(LinkType.RAW, udpFragment);
    expect(d.packet.kind).toBe(PacketKind.Other);
    expect(d.fragments.datagramsInProgress).toBe(0);
  });

  it("reports a GRE fragment cut by the snap length (it cannot be reassembled)", () => {
    const p = decodeOne(LinkType.RAW, hex("45", "00", "0040", "0006", "2000", "40", "2f", "0000", "01010101", "02020202", "3001880b")).packet;
    expect(p.kind).toBe(PacketKind.Malformed);
    expect(p.error).toBe(DecodeError.Truncated);
    expect(p.errorLayer).toBe("ipv4");
  });

  it("decodes IPv4 in IPv4 (protocol 4) and IPv6 in IPv4 (protocol 41), counting the depth", () => {
    const ipip = decodeOne(LinkType.RAW, hex(outerIpv4("0040" /* 20 + 44 */, "04"), IPV4_TCP_SYN_TO_1723)).packet;
    expect(ipip.kind).toBe(PacketKind.PptpTcp);
    expect(ipip.ipTunnelDepth).toBe(1);
    expect(ipip.src4).toBe(CLIENT_V4); // the inner header
    const sixInFour = decodeOne(LinkType.RAW, hex(outerIpv4("0050" /* 20 + 60 */, "29"), IPV6_TCP_SYN_TO_1723)).packet;
    expect(sixInFour.kind).toBe(PacketKind.PptpTcp);
    expect(sixInFour.ipVersion).toBe(6);
    expect(sixInFour.ipTunnelDepth).toBe(1);
  });

  it("follows four IP-in-IP headers and no more", () => {
    // Innermost datagram 44 bytes; each wrapper adds 20: 64, 84, 104, 124, 144.
    const four = hex(outerIpv4("007c", "04"), outerIpv4("0068", "04"), outerIpv4("0054", "04"), outerIpv4("0040", "04"), IPV4_TCP_SYN_TO_1723);
    const p4 = decodeOne(LinkType.RAW, four).packet;
    expect(p4.kind).toBe(PacketKind.PptpTcp);
    expect(p4.ipTunnelDepth).toBe(4);
    const five = hex(outerIpv4("0090", "04"), four.toString("hex"));
    expect(decodeOne(LinkType.RAW, five).packet.kind).toBe(PacketKind.Other);
  });
});
