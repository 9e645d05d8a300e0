import { describe, expect, it } from "vitest";
import { DecodeError, Packet } from "../../src/decode/packet.js";
import { decodePppHeader } from "../../src/decode/ppp-header.js";
import { hex } from "./frames.js";

/** Decodes the PPP header of the whole buffer into a fresh Packet. */
function header(bytes: Buffer): { error: DecodeError; p: Packet } {
  const p = new Packet();
  const error = decodePppHeader(bytes, 0, bytes.length, p);
  return { error, p };
}

describe("PPP header (RFC 1661 §2, RFC 1662 §3)", () => {
  it("address and control FF 03, two-byte protocol", () => {
    const { error, p } = header(hex("ff", "03", "c021", "0101000a"));
    expect(error).toBe(DecodeError.None);
    expect(p.pppHasAddressControl).toBe(true);
    expect(p.pppProtocol).toBe(0xc021);
    expect(p.pppOffset).toBe(4);
    expect(p.pppLength).toBe(4);
  });

  it("address and control compressed away (ACFC)", () => {
    const { p } = header(hex("c223", "01880015"));
    expect(p.pppHasAddressControl).toBe(false);
    expect(p.pppProtocol).toBe(0xc223);
    expect(p.pppOffset).toBe(2);
  });

  it("protocol field compressed to one byte (PFC): an odd first byte", () => {
    const { p } = header(hex("21", "45000014"));
    expect(p.pppProtocol).toBe(0x0021);
    expect(p.pppOffset).toBe(1);
    expect(p.pppLength).toBe(4);
    const withAddress = header(hex("ff03", "fd", "9001")).p;
    expect(withAddress.pppHasAddressControl).toBe(true);
    expect(withAddress.pppProtocol).toBe(0x00fd);
    expect(withAddress.pppOffset).toBe(3);
  });

  it("an empty information field is fine", () => {
    const { error, p } = header(hex("ff03", "c021"));
    expect(error).toBe(DecodeError.None);
    expect(p.pppLength).toBe(0);
  });

  it("reports a protocol field that is not all there", () => {
    expect(header(hex("")).error).toBe(DecodeError.Truncated);
    expect(header(hex("ff03")).error).toBe(DecodeError.Truncated);
    expect(header(hex("c0")).error).toBe(DecodeError.Truncated);
    expect(header(hex("ff03", "80")).error).toBe(DecodeError.Truncated);
  });
});
