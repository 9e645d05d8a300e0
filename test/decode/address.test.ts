import { describe, expect, it } from "vitest";
import { destinationAddress, ipv4ToString, ipv6ToString, sourceAddress } from "../../src/decode/address.js";
import { Packet } from "../../src/decode/packet.js";
import { hex } from "./frames.js";

describe("address text", () => {
  it("IPv4 from an unsigned 32-bit number", () => {
    expect(ipv4ToString(0xc0a80205)).toBe("192.168.2.5");
    expect(ipv4ToString(0)).toBe("0.0.0.0");
    expect(ipv4ToString(0xffffffff)).toBe("255.255.255.255");
  });

  it("IPv4 text stays right when addresses share a slot of the text cache, read again or not", () => {
    const addresses = Array.from({ length: 5000 }, (_, i) => (0x0a000000 + i * 7919) >>> 0);
    for (let round = 0; round < 2; round++) {
      for (const n of addresses) expect(ipv4ToString(n)).toBe(`${n >>> 24}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`);
    }
  });

  // The examples of RFC 5952 §4 and §5.
  const cases: Array<[string, string]> = [
    ["20010db8000000000000000000000001", "2001:db8::1"], // §4.1 leading zeros, §4.2.1 "::"
    ["20010db8000000010001000100010001", "2001:db8:0:1:1:1:1:1"], // §4.2.2 one 0 field stays
    ["20010db8000000000001000000000001", "2001:db8::1:0:0:1"], // §4.2.3 first of equal runs
    ["20010db8000000000000000100000001", "2001:db8::1:0:1"], // longest run wins
    ["20010db8000000010000000000000001", "2001:db8:0:1::1"], // the longer later run wins
    ["20010DB8AAAABBBBCCCCDDDDEEEEFFFF".toLowerCase(), "2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff"], // §4.3
    ["00000000000000000000000000000000", "::"],
    ["00000000000000000000000000000001", "::1"],
    ["fe800000000000000000000000000000", "fe80::"],
    ["00000000000000000000ffffc0000201", "::ffff:192.0.2.1"], // §5 IPv4-mapped
  ];
  for (const [bytes, text] of cases) {
    it(`IPv6 ${text}`, () => {
      expect(ipv6ToString(hex("aaaa", bytes), 2)).toBe(text);
    });
  }

  it("IPv6 text stays right when addresses share a slot of the text cache, read again or not", () => {
    // 2001:db8::<i>:<i*7919>, and the same with the two last words swapped (same XOR of the words)
    const bytes = (a: number, b: number): Uint8Array => {
      const buf = new Uint8Array(16);
      new DataView(buf.buffer).setUint32(0, 0x20010db8);
      new DataView(buf.buffer).setUint32(8, a);
      new DataView(buf.buffer).setUint32(12, b);
      return buf;
    };
    const word = (n: number): string => `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
    const addresses = Array.from({ length: 2000 }, (_, i) => [(i + 1) * 65537, ((i + 1) * 0x10003) >>> 0]);
    for (let round = 0; round < 2; round++) {
      for (const [a, b] of addresses) {
        // groups 2 and 3 are the only run of zero groups: "::" (§4.2); a and b have no zero half
        expect(ipv6ToString(bytes(a, b), 0)).toBe(`2001:db8::${word(a)}:${word(b)}`);
        expect(ipv6ToString(bytes(b, a), 0)).toBe(`2001:db8::${word(b)}:${word(a)}`);
      }
    }
  });

  it("source and destination follow the packet's IP version", () => {
    const p = new Packet();
    expect(sourceAddress(p)).toBe("");
    p.ipVersion = 4;
    p.src4 = 0x0a000001;
    p.dst4 = 0x0a000002;
    expect(sourceAddress(p)).toBe("10.0.0.1");
    expect(destinationAddress(p)).toBe("10.0.0.2");
    p.ipVersion = 6;
    p.buf = hex("20010db8000000000000000000000001", "20010db8000000000000000000000002");
    p.src6Offset = 0;
    p.dst6Offset = 16;
    expect(sourceAddress(p)).toBe("2001:db8::1");
    expect(destinationAddress(p)).toBe("2001:db8::2");
  });
});
