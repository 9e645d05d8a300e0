import { describe, expect, it } from "vitest";
import { LinkType } from "../../src/decode/linktypes.js";
import { DecodeError, PacketKind } from "../../src/decode/packet.js";
import { IPV4_TCP_SYN_TO_1723, decodeOne, hex } from "./frames.js";

/** IPv4 header 192.168.2.2 -> 192.168.2.5 with the given total length, protocol TCP. */
function ipv4(totalLength: string): string {
  return "45" + "00" + totalLength + "0007" + "4000" + "40" + "06" + "0000" + "c0a80202" + "c0a80205";
}

describe("TCP (RFC 9293)", () => {
  it("decodes a SYN to port 1723 with its MSS option", () => {
    const p = decodeOne(LinkType.RAW, hex(IPV4_TCP_SYN_TO_1723)).packet;
    expect(p.kind).toBe(PacketKind.PptpTcp);
    expect(p.srcPort).toBe(1055);
    expect(p.dstPort).toBe(1723);
    expect(p.tcpSeq).toBe(100);
    expect(p.tcpAck).toBe(0);
    expect(p.tcpFlags).toBe(0x02);
    expect(p.tcpWindow).toBe(64240);
    expect(p.tcpMss).toBe(1460);
    expect(p.payloadOffset).toBe(44);
    expect(p.payloadLength).toBe(0);
  });

  it("decodes a SYN-ACK from port 1723 with NOP, NOP, MSS, EOL and four bytes of data", () => {
    const p = decodeOne(
      LinkType.RAW,
      hex(
        ipv4("0034"), // total length 52 = 20 + 28 + 4
        "06bb", // source port 1723
        "041f", // destination port 1055
        "000003e8", // sequence 1000
        "00000065", // acknowledgment 101
        "70", // data offset 7 (28 bytes)
        "12", // SYN, ACK
        "7210", // window 29200
        "0000", // checksum
        "0000", // urgent pointer
        "01", // NOP
        "01", // NOP
        "02040578", // MSS 1400
        "00", // end of option list
        "00", // padding
        "deadbeef", // data
        "0000", // link padding
      ),
    ).packet;
    expect(p.kind).toBe(PacketKind.PptpTcp);
    expect(p.srcPort).toBe(1723);
    expect(p.dstPort).toBe(1055);
    expect(p.tcpSeq).toBe(1000);
    expect(p.tcpAck).toBe(101);
    expect(p.tcpFlags).toBe(0x12);
    expect(p.tcpWindow).toBe(29200);
    expect(p.tcpMss).toBe(1400);
    expect(p.payloadOffset).toBe(48);
    expect(p.payloadLength).toBe(4);
  });

  it("does nothing more for TCP that is not on the control port", () => {
    const https = hex(ipv4("0028"), "c350" /* 50000 */, "01bb" /* 443 */, "00000001", "00000000", "50", "10", "ffff", "0000", "0000");
    const p = decodeOne(LinkType.RAW, https).packet;
    expect(p.kind).toBe(PacketKind.Other);
    expect(p.tcpSeq).toBe(0);
    expect(p.tcpFlags).toBe(0);
    // The same segment is control traffic when the control port is configured to 443.
    const custom = decodeOne(LinkType.RAW, https, { pptpPort: 443 }).packet;
    expect(custom.kind).toBe(PacketKind.PptpTcp);
    expect(custom.tcpSeq).toBe(1);
    expect(custom.tcpFlags).toBe(0x10);
  });

  it("reports a control-port header cut short, but not one on another port", () => {
    const cut = decodeOne(LinkType.RAW, hex(ipv4("0020"), "041f06bb", "00000064", "00000000")).packet;
    expect(cut.kind).toBe(PacketKind.Malformed);
    expect(cut.error).toBe(DecodeError.Truncated);
    expect(cut.errorLayer).toBe("tcp");
    const other = decodeOne(LinkType.RAW, hex(ipv4("0020"), "c35001bb", "00000064", "00000000")).packet;
    expect(other.kind).toBe(PacketKind.Other);
  });

  it("reports a data offset below 5, and options running past the segment", () => {
    const low = decodeOne(LinkType.RAW, hex(ipv4("0028"), "041f06bb", "00000064", "00000000", "40", "02", "ffff", "0000", "0000")).packet;
    expect(low.error).toBe(DecodeError.BadHeader);
    expect(low.errorLayer).toBe("tcp");
    // Data offset 8 (32 bytes) in a 24-byte segment.
    const long = decodeOne(LinkType.RAW, hex(ipv4("002c"), "041f06bb", "00000064", "00000000", "80", "02", "ffff", "0000", "0000", "020405b4")).packet;
    expect(long.error).toBe(DecodeError.Truncated);
  });

  it("stops at a damaged option list but keeps the segment", () => {
    // Option kind 8 (timestamps) with length 0 cannot be walked past; the MSS after it is not read.
    const p = decodeOne(LinkType.RAW, hex(ipv4("0030"), "041f06bb", "00000064", "00000000", "70", "02", "ffff", "0000", "0000", "0800", "0000", "020405b4")).packet;
    expect(p.kind).toBe(PacketKind.PptpTcp);
    expect(p.tcpMss).toBe(-1);
  });
});
