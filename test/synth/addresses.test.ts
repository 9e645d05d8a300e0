import { describe, expect, it } from "vitest";
import { ipAddress, ipv4Address, ipv6Address, macAddress } from "../../src/synth/addresses.js";
import { hex } from "./helpers.js";

describe("addresses", () => {
  it("parses dotted IPv4", () => {
    expect(ipv4Address("192.168.0.199")).toEqual(hex("c0 a8 00 c7"));
    expect(ipv4Address("0.0.0.0")).toEqual(hex("00 00 00 00"));
    for (const bad of ["1.2.3", "1.2.3.256", "1.2.3.4.5", "a.b.c.d", "1..2.3", ""]) {
      expect(() => ipv4Address(bad)).toThrow(SyntaxError);
    }
  });

  it("parses IPv6 text forms of RFC 4291 §2.2", () => {
    expect(ipv6Address("2001:db8::1")).toEqual(hex("20010db8 00000000 00000000 00000001"));
    expect(ipv6Address("::")).toEqual(Buffer.alloc(16));
    expect(ipv6Address("::1")).toEqual(hex("00000000 00000000 00000000 00000001"));
    expect(ipv6Address("fe80::")).toEqual(hex("fe800000 00000000 00000000 00000000"));
    expect(ipv6Address("2001:DB8:0:0:8:800:200C:417A")).toEqual(hex("20010db8 00000000 00080800 200c417a"));
    expect(ipv6Address("::ffff:192.0.2.1")).toEqual(hex("00000000 00000000 0000ffff c0000201"));
    expect(ipv6Address("1:2:3:4:5:6:1.2.3.4")).toEqual(hex("00010002 00030004 00050006 01020304"));
    for (const bad of ["1::2::3", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "12345::", "1.2.3.4::", "::g", "1:2:3:4:5:6:7::8"]) {
      expect(() => ipv6Address(bad), bad).toThrow(SyntaxError);
    }
  });

  it("tells IPv4 from IPv6 and passes bytes through", () => {
    expect(ipAddress("10.0.0.1")).toHaveLength(4);
    expect(ipAddress("::1")).toHaveLength(16);
    const bytes = new Uint8Array([1, 2, 3, 4]);
    expect(ipAddress(bytes)).toBe(bytes);
    expect(() => ipAddress(new Uint8Array(5))).toThrow(RangeError);
  });

  it("parses MAC addresses with colons or dashes", () => {
    expect(macAddress("00:1A:2b:3c:4d:5e")).toEqual(hex("00 1a 2b 3c 4d 5e"));
    expect(macAddress("00-1a-2b-3c-4d-5e")).toEqual(hex("00 1a 2b 3c 4d 5e"));
    expect(() => macAddress("00:1a:2b:3c:4d")).toThrow(SyntaxError);
    expect(() => macAddress(new Uint8Array(4))).toThrow(RangeError);
  });
});
