import { describe, expect, it } from "vitest";
import { packetFields } from "../../src/fuzz/packet-fields.js";
import { hex } from "../helpers.js";

/** Offsets of the fields with this name. */
function offsets(fields: ReturnType<typeof packetFields>, name: string): number[] {
  return fields.filter((f) => f.name === name).map((f) => f.offset);
}

describe("packetFields", () => {
  // Ethernet (14) | IPv4 (20, RFC 791) | TCP to port 1723 (20, RFC 9293) | PPTP Stop-Control-Connection-Request (16, RFC 2637 §2.3)
  const stopRequest = hex(
    "020000000002 020000000001 0800",
    "45 00 0038 0001 4000 40 06 0000 c000020a c6336401",
    "c000 06bb 000003e8 00000000 50 18 faf0 0000 0000",
    "0010 0001 1a2b3c4d 0003 0000 01 00 0000",
  );

  it("finds IPv4, TCP and every number of a PPTP control message at their RFC offsets", () => {
    const fields = packetFields(stopRequest, 0, stopRequest.length, 1);
    expect(offsets(fields, "ethertype")).toEqual([12]);
    expect(offsets(fields, "ipv4 version/IHL")).toEqual([14]);
    expect(offsets(fields, "ipv4 total length")).toEqual([16]);
    expect(offsets(fields, "ipv4 protocol")).toEqual([23]);
    expect(offsets(fields, "tcp data offset")).toEqual([46]);
    expect(offsets(fields, "pptp length")).toEqual([54]);
    expect(offsets(fields, "pptp magic cookie")).toEqual([58]);
    expect(offsets(fields, "pptp control type")).toEqual([62]);
    expect(fields.find((f) => f.name === "pptp reason")).toEqual({ name: "pptp reason", offset: 66, size: 1, littleEndian: false });
    expect(fields.every((f) => !f.littleEndian && f.offset + f.size <= stopRequest.length)).toBe(true);
  });

  it("finds the fields relative to the packet's offset in a larger buffer", () => {
    const inFile = Buffer.concat([Buffer.alloc(40), stopRequest]);
    expect(offsets(packetFields(inFile, 40, stopRequest.length, 1), "pptp length")).toEqual([94]);
  });

  // Raw IPv4 | enhanced GRE with key, sequence and acknowledgment (RFC 2637 §4.1) | PPP FF 03 C021 |
  // LCP Configure-Request (RFC 1661 §5.1) with MRU 1400 and a Magic-Number
  const lcpInGre = hex(
    "45 00 0038 0002 4000 40 2f 0000 c000020a c6336401",
    "3081 880b 0012 1c2a 00000001 00000000",
    "ff03 c021",
    "01 01 000e 01 04 0578 05 06 11223344",
  );

  it("finds enhanced GRE's key halves, the PPP protocol, and each LCP option's length", () => {
    const fields = packetFields(lcpInGre, 0, lcpInGre.length, 101);
    expect(offsets(fields, "gre flags")).toEqual([20]);
    expect(offsets(fields, "gre payload length")).toEqual([24]);
    expect(offsets(fields, "gre call id")).toEqual([26]);
    expect(offsets(fields, "gre sequence")).toEqual([28]);
    expect(offsets(fields, "gre acknowledgment")).toEqual([32]);
    expect(offsets(fields, "ppp protocol")).toEqual([38]);
    expect(offsets(fields, "control length")).toEqual([42]);
    expect(offsets(fields, "option length")).toEqual([45, 49]);
  });

  it("follows PPP_WITH_DIR's direction byte and a one-byte PPP protocol field", () => {
    // direction 1 (sent), PPP protocol 0x21 compressed to one byte (IPv4), then an IPv4 header
    const frame = hex("01 21", "45 00 0014 0003 0000 40 11 0000 0a000001 0a000002");
    const fields = packetFields(frame, 0, frame.length, 204);
    expect(offsets(fields, "direction")).toEqual([0]);
    expect(fields.find((f) => f.name === "ppp protocol")).toMatchObject({ offset: 1, size: 1 });
    expect(offsets(fields, "ipv4 total length")).toEqual([4]);
  });

  it("stops at what it does not know or what does not fit", () => {
    expect(packetFields(stopRequest, 0, stopRequest.length, 147)).toEqual([]); // a DLT_USER link type
    const cut = packetFields(stopRequest, 0, 40, 1); // cut inside the TCP header
    expect(offsets(cut, "tcp data offset")).toEqual([]);
    expect(offsets(cut, "ipv4 total length")).toEqual([16]);
  });
});
