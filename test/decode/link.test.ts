import { describe, expect, it } from "vitest";
import { LinkType } from "../../src/decode/linktypes.js";
import { DecodeError, Direction, PacketKind } from "../../src/decode/packet.js";
import { CLIENT_V4, IPV4_GRE_LCP, IPV4_TCP_SYN_TO_1723, IPV6_TCP_SYN_TO_1723, MACS, SERVER_V4, decodeOne, hex } from "./frames.js";

describe("Ethernet and VLAN tags", () => {
  it("decodes untagged Ethernet carrying IPv4 TCP to port 1723", () => {
    const p = decodeOne(LinkType.ETHERNET, hex(MACS, "0800", IPV4_TCP_SYN_TO_1723)).packet;
    expect(p.kind).toBe(PacketKind.PptpTcp);
    expect(p.vlanId).toBe(-1);
    expect(p.vlanCount).toBe(0);
    expect(p.src4).toBe(CLIENT_V4);
    expect(p.dstPort).toBe(1723);
    expect(p.payloadOffset).toBe(14 + 44);
    expect(p.linkPpp).toBe(false);
  });

  it("walks a QinQ double tag (802.1ad outer, 802.1Q inner) and records the outer VLAN", () => {
    const p = decodeOne(
      LinkType.ETHERNET,
      hex(
        MACS,
        "88a8", // 802.1ad service tag
        "a064", // PCP 5, DEI 0, VLAN 100
        "8100", // 802.1Q customer tag
        "00c8", // VLAN 200
        "0800", // IPv4
        IPV4_GRE_LCP,
      ),
    ).packet;
    expect(p.kind).toBe(PacketKind.Gre);
    expect(p.vlanId).toBe(100);
    expect(p.vlanCount).toBe(2);
    expect(p.greCallId).toBe(2932);
    expect(p.pppOffset).toBe(14 + 8 + 40);
  });

  it("accepts the legacy 0x9100 outer tag", () => {
    const p = decodeOne(
      LinkType.ETHERNET,
      hex(MACS, "9100", "0005", "8100", "0006", "8100", "0007", "0800", IPV4_TCP_SYN_TO_1723),
    ).packet;
    expect(p.kind).toBe(PacketKind.PptpTcp);
    expect(p.vlanId).toBe(5);
    expect(p.vlanCount).toBe(3);
  });

  it("follows eight tags and gives up (Other) on the ninth", () => {
    // MACS, EtherType 8100, then (TCI 0001, next EtherType 8100) repeated: the tag count is
    // the number of 8100 values read.
    const eight = hex(MACS, "8100", "00018100".repeat(7), "0001", "0800", IPV4_TCP_SYN_TO_1723);
    const p8 = decodeOne(LinkType.ETHERNET, eight).packet;
    expect(p8.kind).toBe(PacketKind.PptpTcp);
    expect(p8.vlanCount).toBe(8);
    const nine = hex(MACS, "8100", "00018100".repeat(8), "0001", "0800", IPV4_TCP_SYN_TO_1723);
    expect(decodeOne(LinkType.ETHERNET, nine).packet.kind).toBe(PacketKind.Other);
  });

  it("reports a frame shorter than the Ethernet header, and one cut inside a VLAN tag", () => {
    const short = decodeOne(LinkType.ETHERNET, hex("00112233445566778899")).packet;
    expect(short.kind).toBe(PacketKind.Malformed);
    expect(short.error).toBe(DecodeError.Truncated);
    expect(short.errorLayer).toBe("ethernet");
    const cutTag = decodeOne(LinkType.ETHERNET, hex(MACS, "8100", "00")).packet;
    expect(cutTag.kind).toBe(PacketKind.Malformed);
    expect(cutTag.errorLayer).toBe("vlan");
  });

  it("leaves an unknown EtherType (ARP) as Other", () => {
    const arp = hex(MACS, "0806", "0001080006040001", "66778899aabb", "c0a80201", "000000000000", "c0a80202");
    const p = decodeOne(LinkType.ETHERNET, arp).packet;
    expect(p.kind).toBe(PacketKind.Other);
    expect(p.error).toBe(DecodeError.None);
  });
});

describe("PPPoE (RFC 2516)", () => {
  it("decodes a session frame with LCP and ignores the Ethernet padding", () => {
    const p = decodeOne(
      LinkType.ETHERNET,
      hex(
        MACS,
        "8864", // PPPoE session
        "11", // version 1, type 1
        "00", // code 0 (session data)
        "0011", // session ID 0x0011
        "000a", // length 10
        "c021", // PPP protocol LCP (no FF 03 in PPPoE)
        "09", // LCP Echo-Request
        "01", // identifier 1
        "0008", // length 8
        "12345678", // magic number
        "00".repeat(30), // padding to the 60-byte Ethernet minimum
      ),
    ).packet;
    expect(p.kind).toBe(PacketKind.PppLink);
    expect(p.pppoeSession).toBe(0x11);
    expect(p.pppoeCode).toBe(0);
    expect(p.pppProtocol).toBe(0xc021);
    expect(p.pppHasAddressControl).toBe(false);
    expect(p.pppOffset).toBe(22);
    expect(p.pppLength).toBe(8);
    expect(p.linkPpp).toBe(false);
  });

  it("follows IPv4 inside a PPPoE session to GRE and marks the PPP link", () => {
    const p = decodeOne(
      LinkType.ETHERNET,
      hex(MACS, "8864", "11", "00", "0011", "002e" /* length 46 = 2 + 44 */, "0021" /* IPv4 */, IPV4_GRE_LCP),
    ).packet;
    expect(p.kind).toBe(PacketKind.Gre);
    expect(p.linkPpp).toBe(true);
    expect(p.pppoeSession).toBe(0x11);
    // The PPP fields are the ones inside GRE, not the link's IPv4 protocol.
    expect(p.pppProtocol).toBe(0xc021);
    expect(p.pppOffset).toBe(14 + 6 + 2 + 40);
    expect(p.src4).toBe(SERVER_V4);
  });

  it("counts the bytes a session frame lacks when its length runs past the capture", () => {
    const p = decodeOne(LinkType.ETHERNET, hex(MACS, "8864", "11", "00", "0011", "0064" /* 100 */, "c021", "09010008")).packet;
    expect(p.kind).toBe(PacketKind.PppLink);
    expect(p.pppLength).toBe(4);
    expect(p.payloadMissing).toBe(14 + 6 + 100 - 26);
  });

  it("rejects a version/type other than 0x11", () => {
    const p = decodeOne(LinkType.ETHERNET, hex(MACS, "8864", "12", "00", "0011", "0006", "c021", "09010004")).packet;
    expect(p.kind).toBe(PacketKind.Malformed);
    expect(p.error).toBe(DecodeError.BadHeader);
    expect(p.errorLayer).toBe("pppoe");
  });

  it("records a Discovery PADI with its tags as payload", () => {
    const p = decodeOne(
      LinkType.ETHERNET,
      hex(
        "ffffffffffff", // broadcast
        "66778899aabb",
        "8863", // PPPoE discovery
        "11", // version 1, type 1
        "09", // code PADI
        "0000", // session ID 0
        "0004", // length 4
        "0101", // tag Service-Name
        "0000", // tag length 0
      ),
    ).packet;
    expect(p.kind).toBe(PacketKind.PppoeDiscovery);
    expect(p.pppoeCode).toBe(0x09);
    expect(p.pppoeSession).toBe(0);
    expect(p.payloadOffset).toBe(20);
    expect(p.payloadLength).toBe(4);
  });

  it("decodes LINKTYPE_PPP_ETHER: a PPPoE session header, then PPP", () => {
    const p = decodeOne(LinkType.PPP_ETHER, hex("11", "00", "0011", "0006", "c021", "01010004")).packet;
    expect(p.kind).toBe(PacketKind.PppLink);
    expect(p.pppoeSession).toBe(0x11);
    expect(p.pppProtocol).toBe(0xc021);
    expect(p.pppOffset).toBe(8);
    expect(p.pppLength).toBe(4);
  });
});

describe("Linux cooked captures", () => {
  const sllHeader = (packetType: string, hardwareType: string): string =>
    packetType + hardwareType + "0006" /* address length */ + "66778899aabb0000" /* address */ + "0800"; /* IPv4 */

  it("SLL: packet type 0 (to us) is inbound", () => {
    const p = decodeOne(LinkType.LINUX_SLL, hex(sllHeader("0000", "0001"), IPV4_TCP_SYN_TO_1723)).packet;
    expect(p.kind).toBe(PacketKind.PptpTcp);
    expect(p.direction).toBe(Direction.Inbound);
    expect(p.payloadOffset).toBe(16 + 44);
    expect(p.linkPpp).toBe(false);
  });

  it("SLL: packet type 4 (outgoing) is outbound", () => {
    const p = decodeOne(LinkType.LINUX_SLL, hex(sllHeader("0004", "0001"), IPV4_TCP_SYN_TO_1723)).packet;
    expect(p.direction).toBe(Direction.Outbound);
  });

  it("SLL on a ppp interface (ARPHRD_PPP 512): EtherType in the protocol field, no PPP header", () => {
    const p = decodeOne(
      LinkType.LINUX_SLL,
      hex(
        "0004", // outgoing
        "0200", // ARPHRD_PPP
        "0000", // no link-layer address
        "0000000000000000",
        "0800", // IPv4
        IPV4_GRE_LCP,
      ),
    ).packet;
    expect(p.kind).toBe(PacketKind.Gre);
    expect(p.linkPpp).toBe(true);
    expect(p.direction).toBe(Direction.Outbound);
    expect(p.greCallId).toBe(2932);
  });

  it("SLL2: protocol first, packet type at offset 10", () => {
    const bytes = (hardwareType: string, packetType: string): Buffer =>
      hex(
        "0800", // protocol IPv4
        "0000", // reserved
        "00000003", // interface index 3
        hardwareType,
        packetType,
        "06", // address length
        "66778899aabb0000",
        IPV4_TCP_SYN_TO_1723,
      );
    const out = decodeOne(LinkType.LINUX_SLL2, bytes("0001", "04")).packet;
    expect(out.kind).toBe(PacketKind.PptpTcp);
    expect(out.direction).toBe(Direction.Outbound);
    expect(out.payloadOffset).toBe(20 + 44);
    const inPpp = decodeOne(LinkType.LINUX_SLL2, bytes("0200", "00")).packet;
    expect(inPpp.direction).toBe(Direction.Inbound);
    expect(inPpp.linkPpp).toBe(true);
  });

  it("reports a cooked header cut short", () => {
    const p = decodeOne(LinkType.LINUX_SLL, hex("00000001000600")).packet;
    expect(p.kind).toBe(PacketKind.Malformed);
    expect(p.errorLayer).toBe("sll");
  });
});

describe("BSD loopback (NULL and LOOP)", () => {
  it("NULL written little-endian (AF_INET 2 = 02 00 00 00)", () => {
    expect(decodeOne(LinkType.NULL, hex("02000000", IPV4_TCP_SYN_TO_1723)).packet.kind).toBe(PacketKind.PptpTcp);
  });

  it("NULL written big-endian (00 00 00 02) is recognised by its zero low half", () => {
    const p = decodeOne(LinkType.NULL, hex("00000002", IPV4_TCP_SYN_TO_1723)).packet;
    expect(p.kind).toBe(PacketKind.PptpTcp);
    expect(p.payloadOffset).toBe(4 + 44);
  });

  it("NULL with each operating system's AF_INET6", () => {
    for (const family of ["0a000000" /* Linux 10 LE */, "18000000" /* BSD 24 LE */, "0000001c" /* FreeBSD 28 BE */, "1e000000" /* Darwin 30 LE */]) {
      const p = decodeOne(LinkType.NULL, hex(family, IPV6_TCP_SYN_TO_1723)).packet;
      expect(p.kind, family).toBe(PacketKind.PptpTcp);
      expect(p.ipVersion, family).toBe(6);
    }
  });

  it("LOOP is always network byte order", () => {
    expect(decodeOne(LinkType.LOOP, hex("00000002", IPV4_TCP_SYN_TO_1723)).packet.kind).toBe(PacketKind.PptpTcp);
    expect(decodeOne(LinkType.LOOP, hex("00000018", IPV6_TCP_SYN_TO_1723)).packet.kind).toBe(PacketKind.PptpTcp);
    // 02 00 00 00 read in network order is 0x02000000, no address family.
    expect(decodeOne(LinkType.LOOP, hex("02000000", IPV4_TCP_SYN_TO_1723)).packet.kind).toBe(PacketKind.Other);
  });

  it("reports a family field cut short", () => {
    const p = decodeOne(LinkType.NULL, hex("0200")).packet;
    expect(p.kind).toBe(PacketKind.Malformed);
    expect(p.errorLayer).toBe("null");
  });
});

describe("raw IP link types", () => {
  it("RAW (101, 12, 14) picks IPv4 or IPv6 by the version nibble", () => {
    for (const linkType of [LinkType.RAW, LinkType.RAW_12, LinkType.RAW_14]) {
      const v4 = decodeOne(linkType, hex(IPV4_TCP_SYN_TO_1723)).packet;
      expect(v4.kind).toBe(PacketKind.PptpTcp);
      expect(v4.ipVersion).toBe(4);
      const v6 = decodeOne(linkType, hex(IPV6_TCP_SYN_TO_1723)).packet;
      expect(v6.kind).toBe(PacketKind.PptpTcp);
      expect(v6.ipVersion).toBe(6);
    }
  });

  it("IPV4 (228) and IPV6 (229) are one version each", () => {
    expect(decodeOne(LinkType.IPV4, hex(IPV4_TCP_SYN_TO_1723)).packet.ipVersion).toBe(4);
    expect(decodeOne(LinkType.IPV6, hex(IPV6_TCP_SYN_TO_1723)).packet.ipVersion).toBe(6);
    const wrong = decodeOne(LinkType.IPV4, hex(IPV6_TCP_SYN_TO_1723)).packet;
    expect(wrong.kind).toBe(PacketKind.Malformed);
    expect(wrong.errorLayer).toBe("ipv4");
  });

  it("RAW with version 5, or no bytes, is malformed", () => {
    const v5 = decodeOne(LinkType.RAW, hex("5500")).packet;
    expect(v5.error).toBe(DecodeError.BadHeader);
    expect(v5.errorLayer).toBe("ip");
    expect(decodeOne(LinkType.RAW, hex("")).packet.error).toBe(DecodeError.Truncated);
  });

  it("an unknown link type is Other", () => {
    expect(decodeOne(147, hex(IPV4_TCP_SYN_TO_1723)).packet.kind).toBe(PacketKind.Other);
  });
});

describe("PPP link types", () => {
  it("PPP (9) with FF 03 carrying IPv4: goes on into IP and marks the link", () => {
    const p = decodeOne(LinkType.PPP, hex("ff03", "0021", IPV4_GRE_LCP)).packet;
    expect(p.kind).toBe(PacketKind.Gre);
    expect(p.linkPpp).toBe(true);
    expect(p.pppProtocol).toBe(0xc021); // from the PPP inside GRE
    expect(p.pppOffset).toBe(4 + 40);
  });

  it("PPP (9) without FF 03: LCP is a PppLink frame", () => {
    const p = decodeOne(LinkType.PPP, hex("c021", "01010004")).packet;
    expect(p.kind).toBe(PacketKind.PppLink);
    expect(p.pppProtocol).toBe(0xc021);
    expect(p.pppHasAddressControl).toBe(false);
    expect(p.pppOffset).toBe(2);
    expect(p.pppLength).toBe(4);
  });

  it("PPP (9) with a compressed one-byte protocol field 0x21 (IPv4)", () => {
    const p = decodeOne(LinkType.PPP, hex("21", IPV4_TCP_SYN_TO_1723)).packet;
    expect(p.kind).toBe(PacketKind.PptpTcp);
    expect(p.linkPpp).toBe(true);
    expect(p.pppProtocol).toBe(-1); // TCP carries no PPP
    expect(p.payloadOffset).toBe(1 + 44);
  });

  it("PPP (9) carrying IPv6 (0x0057)", () => {
    const p = decodeOne(LinkType.PPP, hex("0057", IPV6_TCP_SYN_TO_1723)).packet;
    expect(p.kind).toBe(PacketKind.PptpTcp);
    expect(p.ipVersion).toBe(6);
    expect(p.linkPpp).toBe(true);
  });

  it("PPP (9) cut after FF 03 is malformed", () => {
    const p = decodeOne(LinkType.PPP, hex("ff03")).packet;
    expect(p.kind).toBe(PacketKind.Malformed);
    expect(p.error).toBe(DecodeError.Truncated);
    expect(p.errorLayer).toBe("ppp");
  });

  it("PPP_HDLC (50): FF 03 + IPCP", () => {
    const p = decodeOne(LinkType.PPP_HDLC, hex("ff03", "8021", "01010004")).packet;
    expect(p.kind).toBe(PacketKind.PppLink);
    expect(p.pppProtocol).toBe(0x8021);
    expect(p.pppHasAddressControl).toBe(true);
    expect(p.pppOffset).toBe(4);
  });

  it("PPP_HDLC (50) holding Cisco HDLC: address 0x0F, control 0, EtherType", () => {
    const p = decodeOne(LinkType.PPP_HDLC, hex("0f", "00", "0800", IPV4_GRE_LCP)).packet;
    expect(p.kind).toBe(PacketKind.Gre);
    expect(p.linkPpp).toBe(false);
    expect(p.greCallId).toBe(2932);
    // Cisco HDLC broadcast carrying CDP (0x2000): not IP.
    expect(decodeOne(LinkType.PPP_HDLC, hex("8f", "00", "2000", "02b4")).packet.kind).toBe(PacketKind.Other);
  });

  it("PPP_WITH_DIR (204): 0 = received (inbound), non-zero = sent (outbound)", () => {
    const received = decodeOne(LinkType.PPP_WITH_DIR, hex("00", "ff03", "c021", "01010004")).packet;
    expect(received.kind).toBe(PacketKind.PppLink);
    expect(received.direction).toBe(Direction.Inbound);
    expect(received.pppOffset).toBe(5);
    const sent = decodeOne(LinkType.PPP_WITH_DIR, hex("01", "ff03", "c021", "01010004")).packet;
    expect(sent.direction).toBe(Direction.Outbound);
    const sentIp = decodeOne(LinkType.PPP_WITH_DIR, hex("01", "ff03", "0021", IPV4_TCP_SYN_TO_1723)).packet;
    expect(sentIp.kind).toBe(PacketKind.PptpTcp);
    expect(sentIp.direction).toBe(Direction.Outbound);
    expect(sentIp.linkPpp).toBe(true);
  });
});
