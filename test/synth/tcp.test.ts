import { describe, expect, it } from "vitest";
import { ipAddress } from "../../src/synth/addresses.js";
import { ipv4 } from "../../src/synth/ipv4.js";
import { ipv6 } from "../../src/synth/ipv6.js";
import { tcp, TcpFlag, tcpSegment } from "../../src/synth/tcp.js";
import { foldedSum, hex, pseudoHeaderV4 } from "./helpers.js";

describe("tcp", () => {
  it("builds a SYN with MSS, window scale and SACK-permitted, checksummed over the IPv4 pseudo-header", () => {
    const segment = tcpSegment({
      srcPort: 49152, dstPort: 1723, seq: 0x01020304, flags: TcpFlag.SYN, window: 64240,
      options: [{ kind: "mss", value: 1460 }, { kind: "nop" }, { kind: "window-scale", shift: 7 },
        { kind: "sack-permitted" }],
    }, ipAddress("192.0.2.1"), ipAddress("198.51.100.2"));
    expect(segment).toEqual(hex(
      "c000 06bb", // ports 49152 -> 1723
      "01020304 00000000", // seq, ack
      "80 02", // data offset 8 words, SYN
      "faf0", // window 64240
      "be28", // checksum, computed by hand
      "0000", // urgent pointer
      "020405b4", // MSS 1460
      "01 030307", // NOP, window scale 7
      "0402 0000", // SACK permitted, End of Option List padding
    ));
    expect(foldedSum(pseudoHeaderV4("192.0.2.1", "198.51.100.2", 6, segment.length), segment)).toBe(0xffff);
  });

  it("checksums over the IPv6 pseudo-header", () => {
    const segment = tcpSegment({
      srcPort: 49153, dstPort: 1723, seq: 100, ack: 200, flags: TcpFlag.PSH | TcpFlag.ACK, window: 0x2000,
      payload: Buffer.from("hello"),
    }, ipAddress("2001:db8::1"), ipAddress("2001:db8::2"));
    expect(segment).toEqual(hex("c001 06bb 00000064 000000c8 50 18 2000", "2898", "0000", "68656c6c6f"));
  });

  it("writes timestamps and raw options", () => {
    const segment = tcpSegment({
      srcPort: 1, dstPort: 2,
      options: [{ kind: "nop" }, { kind: "nop" }, { kind: "timestamps", value: 1, echo: 0xfffffffe },
        { kind: "raw", type: 30, data: hex("abcd") }],
    }, ipAddress("10.0.0.1"), ipAddress("10.0.0.2"));
    expect(segment[12]).toBe(9 << 4); // 20 + 12 + 4 bytes
    expect(segment.subarray(20)).toEqual(hex("0101 080a 00000001 fffffffe", "1e04abcd"));
  });

  it("is finished by ipv4()/ipv6() with their addresses", () => {
    const fields = { srcPort: 1723, dstPort: 49152, flags: TcpFlag.SYN | TcpFlag.ACK, payload: Buffer.from("x") };
    const v4 = ipv4({ src: "198.51.100.2", dst: "192.0.2.1", payload: tcp(fields) });
    expect(v4[9]).toBe(6);
    const segment4 = v4.subarray(20);
    expect(foldedSum(pseudoHeaderV4("198.51.100.2", "192.0.2.1", 6, segment4.length), segment4)).toBe(0xffff);
    const v6 = ipv6({ src: "2001:db8::2", dst: "2001:db8::1", payload: tcp(fields) });
    expect(v6[6]).toBe(6);
    const pseudo6 = hex("20010db8 00000000 00000000 00000002", "20010db8 00000000 00000000 00000001",
      "00000015 00000006");
    expect(foldedSum(pseudo6, v6.subarray(40))).toBe(0xffff);
  });

  it("stores an overriding checksum as given and refuses oversized options", () => {
    const a = ipAddress("10.0.0.1");
    expect(tcpSegment({ srcPort: 1, dstPort: 2, checksum: 0 }, a, a).readUInt16BE(16)).toBe(0);
    const tooMany = Array.from({ length: 41 }, () => ({ kind: "nop" as const }));
    expect(() => tcpSegment({ srcPort: 1, dstPort: 2, options: tooMany }, a, a)).toThrow(RangeError);
  });
});
