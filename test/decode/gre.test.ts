import { describe, expect, it } from "vitest";
import { LinkType } from "../../src/decode/linktypes.js";
import { DecodeError, PacketKind } from "../../src/decode/packet.js";
import { IPV4_GRE_LCP, decodeOne, hex } from "./frames.js";

/** IPv4 header 10.0.0.1 -> 10.0.0.2, protocol GRE, with the given total length. */
function ipv4(totalLength: string): string {
  return "45" + "00" + totalLength + "0009" + "0000" + "40" + "2f" + "0000" + "0a000001" + "0a000002";
}

describe("enhanced GRE, version 1 (RFC 2637 §4.1)", () => {
  it("decodes key, sequence and acknowledgment, and PPP with FF 03", () => {
    const p = decodeOne(LinkType.RAW, hex(IPV4_GRE_LCP)).packet;
    expect(p.kind).toBe(PacketKind.Gre);
    expect(p.greVersion).toBe(1);
    expect(p.greFlags).toBe(0x3081);
    expect(p.greProtocol).toBe(0x880b);
    expect(p.greHasKey).toBe(true);
    expect(p.greKey).toBe(0x00080b74);
    expect(p.grePayloadLength).toBe(8);
    expect(p.greCallId).toBe(2932);
    expect(p.greSeq).toBe(5);
    expect(p.greAck).toBe(3);
    expect(p.payloadOffset).toBe(36);
    expect(p.payloadLength).toBe(8);
    expect(p.payloadMissing).toBe(0);
    expect(p.pppProtocol).toBe(0xc021);
    expect(p.pppHasAddressControl).toBe(true);
    expect(p.pppOffset).toBe(40);
    expect(p.pppLength).toBe(4);
  });

  it("without sequence or acknowledgment, PPP without FF 03", () => {
    const p = decodeOne(
      LinkType.RAW,
      hex(
        ipv4("0022"), // 34 = 20 + 8 + 6
        "2001", // K, version 1
        "880b",
        "0006", // payload length 6
        "0100", // call ID 256
        "8021", // IPCP, no address/control
        "01010004", // Configure-Request id 1 length 4
      ),
    ).packet;
    expect(p.kind).toBe(PacketKind.Gre);
    expect(p.greCallId).toBe(256);
    expect(p.greSeq).toBe(-1);
    expect(p.greAck).toBe(-1);
    expect(p.payloadOffset).toBe(28);
    expect(p.pppProtocol).toBe(0x8021);
    expect(p.pppHasAddressControl).toBe(false);
    expect(p.pppOffset).toBe(30);
    expect(p.pppLength).toBe(4);
  });

  it("with a one-byte (compressed) PPP protocol field", () => {
    const p = decodeOne(
      LinkType.RAW,
      hex(
        ipv4("0025"), // 37 = 20 + 12 + 5
        "3001", // K, S, version 1
        "880b",
        "0005", // payload length 5
        "0000", // call ID 0
        "0000002a", // sequence 42
        "fd", // protocol 0x00fd (compressed datagram), one byte
        "9001abcd", // MPPE header and data
      ),
    ).packet;
    expect(p.kind).toBe(PacketKind.Gre);
    expect(p.greCallId).toBe(0);
    expect(p.greSeq).toBe(42);
    expect(p.pppProtocol).toBe(0x00fd);
    expect(p.pppOffset).toBe(33);
    expect(p.pppLength).toBe(4);
  });

  it("an acknowledgment-only packet is still GRE, without PPP", () => {
    const p = decodeOne(LinkType.RAW, hex(ipv4("0020"), "2081" /* K, A, v1 */, "880b", "0000", "0b74", "00000007")).packet;
    expect(p.kind).toBe(PacketKind.Gre);
    expect(p.greAck).toBe(7);
    expect(p.greSeq).toBe(-1);
    expect(p.payloadLength).toBe(0);
    expect(p.pppProtocol).toBe(-1);
  });

  it("trusts the key's payload length as far as the bytes go", () => {
    // Payload length 100 and IP total length 128, but the capture stops after 6 bytes of PPP.
    const cut = decodeOne(LinkType.RAW, hex(ipv4("0080"), "3001", "880b", "0064", "0b74", "00000001", "ff03c0210101")).packet;
    expect(cut.kind).toBe(PacketKind.Gre);
    expect(cut.payloadLength).toBe(6);
    expect(cut.payloadMissing).toBe(94);
    expect(cut.pppLength).toBe(2);
    // Payload length 4 with 8 bytes after the header: the last 4 are not PPP.
    const short = decodeOne(LinkType.RAW, hex(ipv4("0024"), "2001", "880b", "0004", "0b74", "c0210901", "aaaaaaaa")).packet;
    expect(short.payloadLength).toBe(4);
    expect(short.payloadMissing).toBe(0);
    expect(short.pppLength).toBe(2);
  });

  it("requires the key bit", () => {
    const p = decodeOne(LinkType.RAW, hex(ipv4("001e"), "1001" /* S, v1, no K */, "880b", "00000001", "c021")).packet;
    expect(p.kind).toBe(PacketKind.Malformed);
    expect(p.error).toBe(DecodeError.BadHeader);
    expect(p.errorLayer).toBe("gre");
  });

  it("reports optional fields cut short, and a PPP header cut short", () => {
    // Key and sequence present, the acknowledgment cut after 2 bytes.
    const fields = decodeOne(LinkType.RAW, hex(ipv4("0022"), "3081", "880b", "0008", "0b74", "00000001", "0000")).packet;
    expect(fields.error).toBe(DecodeError.Truncated);
    expect(fields.errorLayer).toBe("gre");
    // One byte of payload, even, so it is the first half of a two-byte protocol field.
    const ppp = decodeOne(LinkType.RAW, hex(ipv4("001d"), "2001", "880b", "0001", "0b74", "c0")).packet;
    expect(ppp.kind).toBe(PacketKind.Malformed);
    expect(ppp.error).toBe(DecodeError.Truncated);
    expect(ppp.errorLayer).toBe("ppp");
    expect(ppp.greCallId).toBe(2932); // the GRE header stays readable for the malformed report
  });
});

describe("GRE version 0 (RFC 2784, RFC 2890, RFC 1701)", () => {
  const innerIpv4 = "450000140000000040010000c0000201c0000202"; // 20-byte IPv4 header 192.0.2.1 -> 192.0.2.2, ICMP

  it("with checksum, key and sequence, carrying IPv4", () => {
    const p = decodeOne(
      LinkType.RAW,
      hex(
        ipv4("0038"), // 56 = 20 + 16 + 20
        "b000", // C, K, S, version 0
        "0800", // IPv4
        "0000", // checksum
        "0000", // reserved1
        "00000457", // key 1111
        "0000002a", // sequence 42
        innerIpv4,
      ),
    ).packet;
    expect(p.kind).toBe(PacketKind.Gre);
    expect(p.greVersion).toBe(0);
    expect(p.greProtocol).toBe(0x0800);
    expect(p.greHasKey).toBe(true);
    expect(p.greKey).toBe(1111);
    expect(p.greSeq).toBe(42);
    expect(p.greCallId).toBe(-1);
    expect(p.payloadOffset).toBe(36);
    expect(p.payloadLength).toBe(20);
    expect(p.pppProtocol).toBe(-1);
  });

  it("without options", () => {
    const p = decodeOne(LinkType.RAW, hex(ipv4("002c"), "0000", "0800", innerIpv4)).packet;
    expect(p.kind).toBe(PacketKind.Gre);
    expect(p.greFlags).toBe(0);
    expect(p.greHasKey).toBe(false);
    expect(p.payloadOffset).toBe(24);
    expect(p.payloadLength).toBe(20);
  });

  it("with RFC 1701 routing: source route entries up to the empty one", () => {
    const p = decodeOne(
      LinkType.RAW,
      hex(
        ipv4("002c"), // 44 = 20 + 4 + 4 + 8 + 4 + 4
        "4000", // R, version 0
        "0800",
        "0000", // checksum (present because R is set)
        "0000", // offset
        "0800", // SRE address family IPv4
        "00", // SRE offset
        "04", // SRE length 4
        "0a000001", // routing information
        "0000", // terminating SRE: address family 0
        "00", // offset
        "00", // length 0
        "aabbccdd", // payload
      ),
    ).packet;
    expect(p.kind).toBe(PacketKind.Gre);
    expect(p.payloadOffset).toBe(40);
    expect(p.payloadLength).toBe(4);
  });

  it("version 2 is malformed", () => {
    const p = decodeOne(LinkType.RAW, hex(ipv4("001e"), "2002", "880b", "00000000", "c021")).packet;
    expect(p.kind).toBe(PacketKind.Malformed);
    expect(p.error).toBe(DecodeError.BadHeader);
    expect(p.errorLayer).toBe("gre");
    expect(p.greVersion).toBe(2);
  });

  it("fewer than 4 bytes is malformed", () => {
    const p = decodeOne(LinkType.RAW, hex(ipv4("0017"), "2001", "88")).packet;
    expect(p.error).toBe(DecodeError.Truncated);
    expect(p.errorLayer).toBe("gre");
  });
});
