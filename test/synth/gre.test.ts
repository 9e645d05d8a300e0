import { describe, expect, it } from "vitest";
import { encodeEnhancedGre, encodeGre, enhancedGre, gre } from "../../src/synth/gre.js";
import { ipv4 } from "../../src/synth/ipv4.js";
import { foldedSum, hex } from "./helpers.js";

describe("enhanced GRE (RFC 2637 §4.1)", () => {
  it("writes K always, S and A when given, key = payload length + call ID", () => {
    expect(encodeEnhancedGre({ callId: 0x1234, sequence: 1, ack: 0, payload: hex("ff03c021") })).toEqual(hex(
      "30", // C0 R0 K1 S1 s0 recur 0
      "81", // A1, flags 0, version 1
      "880b", // protocol PPP
      "0004 1234", // payload length 4, call ID 0x1234
      "00000001", // sequence
      "00000000", // acknowledgment
      "ff03c021", // payload
    ));
  });

  it("writes an acknowledgment-only packet and a sequence-only packet", () => {
    expect(encodeEnhancedGre({ callId: 0x4000, ack: 7 })).toEqual(hex("20 81 880b 0000 4000 00000007"));
    expect(encodeEnhancedGre({ callId: 1, sequence: 0xffffffff, payload: hex("21") }))
      .toEqual(hex("30 01 880b 0001 0001 ffffffff 21"));
  });

  it("lets a test write an inconsistent payload length or protocol", () => {
    expect(encodeEnhancedGre({ callId: 2, payloadLength: 99, protocol: 0x0800 }))
      .toEqual(hex("20 01 0800 0063 0002"));
  });

  it("is carried by ipv4() as protocol 47", () => {
    const datagram = ipv4({ src: "10.0.0.1", dst: "10.0.0.2", payload: enhancedGre({ callId: 5 }) });
    expect(datagram[9]).toBe(47);
    expect(datagram.subarray(20)).toEqual(hex("20 01 880b 0000 0005"));
  });
});

describe("GRE version 0 (RFC 2784, RFC 2890)", () => {
  it("writes the checksum, key and sequence number fields in order", () => {
    const packet = encodeGre({ protocol: 0x0800, checksum: true, key: 1, sequence: 2, payload: hex("deadbeef") });
    expect(packet).toEqual(hex(
      "b0 00", // C1 K1 S1, version 0
      "0800", // protocol IPv4
      "aa5e 0000", // checksum (computed by hand over the whole packet), reserved1
      "00000001", // key
      "00000002", // sequence number
      "deadbeef",
    ));
    expect(foldedSum(packet)).toBe(0xffff);
  });

  it("writes the 4-byte header alone", () => {
    expect(encodeGre({ protocol: 0x86dd, payload: hex("60") })).toEqual(hex("0000 86dd 60"));
    expect(encodeGre({ protocol: 0x0800, key: 0xcafe, payload: hex("") })).toEqual(hex("2000 0800 0000cafe"));
    expect(gre({ protocol: 0x0800, payload: hex("") }).protocol).toBe(47);
  });
});
