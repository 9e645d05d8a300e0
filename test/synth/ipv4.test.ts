import { describe, expect, it } from "vitest";
import { IpProtocol } from "../../src/decode/ipv4.js";
import { ipPayload } from "../../src/synth/ip-payload.js";
import { ipv4, ipv4Fragments } from "../../src/synth/ipv4.js";
import { foldedSum, hex } from "./helpers.js";

const UDP = 17; // IANA protocol number

describe("ipv4", () => {
  it("builds the well-known example header with checksum b861", () => {
    const datagram = ipv4({
      src: "192.168.0.1",
      dst: "192.168.0.199",
      dontFragment: true,
      payload: ipPayload(UDP, Buffer.alloc(0x73 - 20)),
    });
    expect(datagram.subarray(0, 20)).toEqual(hex(
      "45", // version 4, IHL 5 words
      "00", // TOS
      "0073", // total length 115
      "0000", // identification
      "4000", // DF, offset 0
      "40", // TTL 64
      "11", // protocol UDP
      "b861", // header checksum
      "c0a80001", // 192.168.0.1
      "c0a800c7", // 192.168.0.199
    ));
    expect(datagram).toHaveLength(0x73);
  });

  it("writes options padded to 32 bits and counts them in IHL and the checksum", () => {
    const datagram = ipv4({
      src: "10.0.0.1",
      dst: "10.0.0.2",
      id: 1,
      options: hex("94 04 00 00"), // Router Alert (RFC 2113), copied flag set
      payload: ipPayload(IpProtocol.TCP, Buffer.alloc(8)),
    });
    expect(datagram.subarray(0, 24)).toEqual(hex(
      "46 00 0020", // version 4, IHL 6, TOS, total length 32
      "0001 0000", // id 1, no flags
      "40 06 d1d0", // TTL 64, TCP, checksum (computed by hand over these 24 bytes)
      "0a000001 0a000002",
      "94040000", // the option
    ));
    const odd = ipv4({ src: "10.0.0.1", dst: "10.0.0.2", options: hex("01 01 01"), payload: ipPayload(1, hex("")) });
    expect(odd[0]).toBe(0x46);
    expect(odd.subarray(20, 24)).toEqual(hex("01 01 01 00")); // NOP NOP NOP, End of Option List
    expect(foldedSum(odd.subarray(0, 24))).toBe(0xffff);
  });

  it("sets TOS, TTL, MF and the fragment offset, and stores an overriding checksum as given", () => {
    const datagram = ipv4({
      src: "10.0.0.1", dst: "10.0.0.2", tos: 0xb8, ttl: 1, moreFragments: true, fragmentOffset: 0x1abc,
      checksum: 0xbeef, payload: ipPayload(IpProtocol.GRE, hex("")),
    });
    expect(datagram).toEqual(hex("45 b8 0014 0000", "3abc", "01 2f beef", "0a000001 0a000002"));
  });

  it("refuses values that do not fit their fields", () => {
    const payload = ipPayload(6, hex(""));
    expect(() => ipv4({ src: "10.0.0.1", dst: "10.0.0.2", ttl: 256, payload })).toThrow(RangeError);
    expect(() => ipv4({ src: "::1", dst: "10.0.0.2", payload })).toThrow(RangeError);
    expect(() => ipv4({ src: "10.0.0.1", dst: "10.0.0.2", options: new Uint8Array(41), payload })).toThrow(RangeError);
  });
});

describe("ipv4Fragments", () => {
  const payload = Buffer.from(Array.from({ length: 100 }, (_, i) => i));
  const fields = {
    src: "10.0.0.1",
    dst: "10.0.0.2",
    id: 0x1234,
    options: hex(
      "94 04 0000", // Router Alert: copied into every fragment
      "07 07 04 00000000", // Record Route: first fragment only
    ),
    payload: ipPayload(UDP, payload),
  };

  it("cuts the payload at multiples of 8 bytes with offsets in 8-byte units (RFC 791 §3.2)", () => {
    const fragments = ipv4Fragments(fields, 45); // 45 rounds down to 40
    expect(fragments.map((f) => f.length)).toEqual([32 + 40, 24 + 40, 24 + 20]);
    // flags + offset: MF with offset 0, MF with offset 5 (40 bytes), last with offset 10
    expect(fragments.map((f) => f.readUInt16BE(6))).toEqual([0x2000, 0x2005, 0x000a]);
    expect(fragments.map((f) => f.readUInt16BE(2))).toEqual([72, 64, 44]);
    expect(fragments.map((f) => f.readUInt16BE(4))).toEqual([0x1234, 0x1234, 0x1234]);
    expect(fragments[0].subarray(20, 32)).toEqual(hex("94040000 07070400 00000000"));
    expect(fragments[1].subarray(20, 24)).toEqual(hex("94040000"));
    for (const fragment of fragments) {
      const headerLength = (fragment[0] & 0x0f) * 4;
      expect(foldedSum(fragment.subarray(0, headerLength))).toBe(0xffff);
    }
    const joined = Buffer.concat(fragments.map((f) => f.subarray((f[0] & 0x0f) * 4)));
    expect(joined).toEqual(payload);
  });

  it("keeps MF on the last piece and adds the base offset when the input is itself a fragment", () => {
    const fragments = ipv4Fragments({ ...fields, options: undefined, moreFragments: true, fragmentOffset: 100 }, 64);
    expect(fragments.map((f) => f.readUInt16BE(6))).toEqual([0x2000 | 100, 0x2000 | 108]);
  });

  it("refuses a fragment size below 8", () => {
    expect(() => ipv4Fragments(fields, 7)).toThrow(RangeError);
  });
});
