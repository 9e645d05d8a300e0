import { describe, expect, it } from "vitest";
import { SllPacketType } from "../../src/decode/sll.js";
import { ArphrdType, linuxSll, linuxSll2 } from "../../src/synth/linux-sll.js";
import { hex } from "./helpers.js";

describe("Linux cooked headers", () => {
  it("writes SLL (link type 113)", () => {
    const frame = linuxSll({ packetType: SllPacketType.Outgoing, address: hex("001122334455"), payload: hex("45") });
    expect(frame).toEqual(hex(
      "0004", // packet type: sent by us
      "0001", // ARPHRD_ETHER
      "0006", // address length
      "001122334455 0000", // address, padded to 8
      "0800", // protocol IPv4
      "45",
    ));
  });

  it("writes SLL2 (link type 276)", () => {
    const frame = linuxSll2({
      protocol: 0x86dd, interfaceIndex: 3, arphrdType: ArphrdType.Ppp, packetType: SllPacketType.Host,
      payload: hex("60"),
    });
    expect(frame).toEqual(hex(
      "86dd", // protocol IPv6
      "0000", // reserved
      "00000003", // interface index
      "0200", // ARPHRD_PPP
      "00", // packet type: to us
      "00", // address length
      "0000000000000000", // address
      "60",
    ));
  });

  it("refuses an address longer than the 8-byte field", () => {
    expect(() => linuxSll({ address: new Uint8Array(9), payload: hex("") })).toThrow(RangeError);
  });
});
