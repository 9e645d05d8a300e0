import { describe, expect, it } from "vitest";
import { PppProtocol } from "../../src/decode/ppp/protocols.js";
import { PppoeCode } from "../../src/decode/pppoe.js";
import { ppp, PppDirection, pppoeDiscovery, pppoeSession, PppoeTag, pppWithDirection } from "../../src/synth/ppp.js";
import { hex } from "./helpers.js";

describe("ppp", () => {
  it("writes FF 03 and a 2-byte protocol by default (RFC 1662 §3.1)", () => {
    expect(ppp({ protocol: PppProtocol.LCP, payload: hex("01") })).toEqual(hex("ff 03 c021 01"));
  });

  it("leaves out address/control and compresses the protocol field when asked", () => {
    expect(ppp({ protocol: PppProtocol.IPCP, payload: hex("01"), addressControl: false })).toEqual(hex("8021 01"));
    expect(ppp({ protocol: PppProtocol.IPv4, payload: hex("45"), addressControl: false, compressProtocol: true }))
      .toEqual(hex("21 45"));
    expect(() => ppp({ protocol: PppProtocol.LCP, payload: hex(""), compressProtocol: true })).toThrow(RangeError);
  });

  it("puts the PPP_WITH_DIR direction byte in front", () => {
    const frame = ppp({ protocol: PppProtocol.CHAP, payload: hex("") });
    expect(pppWithDirection(PppDirection.Sent, frame)).toEqual(hex("01 ff03 c223"));
    expect(pppWithDirection(PppDirection.Received, frame)).toEqual(hex("00 ff03 c223"));
  });
});

describe("PPPoE (RFC 2516)", () => {
  it("writes the session header", () => {
    const frame = pppoeSession({
      sessionId: 0x1234,
      payload: ppp({ protocol: PppProtocol.LCP, payload: hex("01020304"), addressControl: false }),
    });
    expect(frame).toEqual(hex(
      "11", // version 1, type 1
      "00", // code: session data
      "1234", // session ID
      "0006", // length of the payload
      "c021 01020304",
    ));
    expect(pppoeSession({ sessionId: 1, payload: hex("c021"), length: 99 }).readUInt16BE(4)).toBe(99);
  });

  it("writes discovery packets with tags", () => {
    const padi = pppoeDiscovery({
      code: PppoeCode.PADI,
      tags: [{ type: PppoeTag.ServiceName }, { type: PppoeTag.HostUniq, value: hex("deadbeef") }],
    });
    expect(padi).toEqual(hex(
      "11 09 0000 000c", // PADI, session 0, 12 bytes of tags
      "0101 0000", // Service-Name, empty: any service
      "0103 0004 deadbeef", // Host-Uniq
    ));
    const pads = pppoeDiscovery({ code: PppoeCode.PADS, sessionId: 7, tags: [{ type: PppoeTag.AcName, value: "ac" }] });
    expect(pads).toEqual(hex("11 65 0007 0006", "0102 0002 6163"));
  });
});
