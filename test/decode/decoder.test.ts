import { describe, expect, it } from "vitest";
import { Decoder } from "../../src/decode/decoder.js";
import { LinkType } from "../../src/decode/linktypes.js";
import { Packet, PacketKind } from "../../src/decode/packet.js";
import { IPV4_GRE_LCP, IPV4_TCP_SYN_TO_1723, MACS, frameOf, hex } from "./frames.js";

describe("Decoder", () => {
  it("refills one Packet and resets what the previous frame set", () => {
    const decoder = new Decoder();
    const packet = decoder.packet;
    decoder.decode(frameOf(LinkType.PPP, hex("0021", IPV4_GRE_LCP)));
    expect(packet.linkPpp).toBe(true);
    expect(packet.greCallId).toBe(2932);
    decoder.decode(frameOf(LinkType.ETHERNET, hex(MACS, "0800", IPV4_TCP_SYN_TO_1723)));
    expect(decoder.packet).toBe(packet);
    expect(packet.kind).toBe(PacketKind.PptpTcp);
    expect(packet.linkPpp).toBe(false);
    expect(packet.greCallId).toBe(-1);
    expect(packet.pppProtocol).toBe(-1);
  });

  it("reads a frame that starts inside a larger buffer, and no further than its caplen", () => {
    const bytes = hex("eeeeee", MACS, "0800", IPV4_TCP_SYN_TO_1723, "ffffffff");
    const frame = frameOf(LinkType.ETHERNET, bytes);
    frame.offset = 3;
    frame.caplen = 14 + 44;
    const decoder = new Decoder();
    expect(decoder.decode(frame)).toBe(PacketKind.PptpTcp);
    expect(decoder.packet.payloadOffset).toBe(3 + 58);
    expect(decoder.packet.payloadLength).toBe(0);
  });

  it("decodeIp: the IP datagram inside PPP inside GRE (a tunnel in the tunnel)", () => {
    const bytes = hex(
      "45", "00", "004a", // total length 74 = 20 + 8 + 2 + 44
      "0001", "0000", "40", "2f", "0000",
      "0a000001", "0a000002", // 10.0.0.1 -> 10.0.0.2
      "2001", "880b", // GRE K, version 1, PPP
      "002e", "0100", // payload length 46, call ID 256
      "0021", // PPP protocol IPv4, no FF 03
      IPV4_TCP_SYN_TO_1723, // 44 bytes
    );
    const decoder = new Decoder();
    expect(decoder.decode(frameOf(LinkType.RAW, bytes, 50))).toBe(PacketKind.Gre);
    const p = decoder.packet;
    expect(p.pppProtocol).toBe(0x0021);
    const tunnelled = new Packet();
    expect(decoder.decodeIp(p.buf, p.pppOffset, p.pppLength, tunnelled, 50)).toBe(PacketKind.PptpTcp);
    expect(tunnelled.src4).toBe(0xc0a80205);
    expect(tunnelled.dstPort).toBe(1723);
    expect(tunnelled.payloadOffset).toBe(30 + 44);
    // The outer packet is untouched.
    expect(p.greCallId).toBe(256);
  });

  it("never throws, whatever the bytes and link type", () => {
    // A fixed-seed generator (xorshift32) so a failure can be replayed.
    let state = 0x9e3779b9;
    const random = (): number => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) / 0x100000000;
    };
    const valid = [hex(MACS, "0800", IPV4_GRE_LCP), hex(MACS, "0800", IPV4_TCP_SYN_TO_1723), hex(MACS, "8864", "11000011002e0021", IPV4_GRE_LCP)];
    const linkTypes = Object.values(LinkType);
    const kinds = new Set<number>(Object.values(PacketKind));
    const decoder = new Decoder();
    for (let i = 0; i < 20000; i++) {
      let bytes: Buffer;
      if (i % 2 === 0) {
        bytes = Buffer.alloc(Math.floor(random() * 120));
        for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(random() * 256);
      } else {
        // A valid frame with a few bytes changed and maybe cut short.
        const base = valid[i % valid.length];
        bytes = Buffer.from(base.subarray(0, Math.floor(random() * (base.length + 1))));
        for (let k = 0; k < 3; k++) if (bytes.length > 0) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      }
      const linkType = i % 2 === 0 ? linkTypes[i % linkTypes.length] : LinkType.ETHERNET;
      const kind = decoder.decode(frameOf(linkType, bytes, i));
      expect(kinds.has(kind)).toBe(true);
    }
  });
});
