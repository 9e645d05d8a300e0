import { describe, expect, it } from "vitest";
import { EtherType } from "../../src/decode/ethernet.js";
import { ethernet } from "../../src/synth/ethernet.js";
import { hex } from "./helpers.js";

describe("ethernet", () => {
  it("writes destination, source and EtherType (IPv4 by default)", () => {
    expect(ethernet({ dst: "00:11:22:33:44:55", src: "66:77:88:99:aa:bb", payload: hex("45") }))
      .toEqual(hex("001122334455", "66778899aabb", "0800", "45"));
    expect(ethernet({ etherType: EtherType.IPv6, payload: hex("") }))
      .toEqual(hex("00005e005302", "00005e005301", "86dd")); // RFC 7042 documentation MACs
  });

  it("stacks 802.1ad and 802.1Q tags, outermost first", () => {
    const frame = ethernet({
      dst: "00:11:22:33:44:55", src: "66:77:88:99:aa:bb",
      vlans: [{ tpid: EtherType.ServiceVlan, vid: 100, pcp: 5 }, { vid: 200, dei: true }],
      etherType: EtherType.PppoeSession, payload: hex("11"),
    });
    expect(frame).toEqual(hex(
      "001122334455 66778899aabb",
      "88a8 a064", // S-tag: PCP 5 (101), DEI 0, VID 100
      "8100 10c8", // C-tag: PCP 0, DEI 1, VID 200
      "8864", // PPPoE session
      "11",
    ));
  });

  it("pads a short frame to 60 bytes when asked", () => {
    const frame = ethernet({ payload: hex("aabb"), pad: true });
    expect(frame).toHaveLength(60);
    expect(frame.subarray(14)).toEqual(Buffer.concat([hex("aabb"), Buffer.alloc(44)]));
    expect(ethernet({ payload: Buffer.alloc(100), pad: true })).toHaveLength(114);
  });

  it("refuses a VLAN ID above 4095", () => {
    expect(() => ethernet({ vlans: [{ vid: 4096 }], payload: hex("") })).toThrow(RangeError);
  });
});
