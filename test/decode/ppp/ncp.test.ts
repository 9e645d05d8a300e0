/** IPCP, IPV6CP and CCP: the NCPs that share LCP's packet format. */
import { describe, expect, it } from "vitest";
import { MppeBit, decodeCcp, mppeBitNames } from "../../../src/decode/ppp/ccp.js";
import { decodeIpcp } from "../../../src/decode/ppp/ipcp.js";
import { decodeIpv6cp } from "../../../src/decode/ppp/ipv6cp.js";
import { hex } from "../../synth/helpers.js";

describe("IPCP (RFC 1332, RFC 1877)", () => {
  it("a client's Configure-Request for an address and DNS servers", () => {
    const bytes = hex(
      "01 06 0016", // Configure-Request, id 6, Length 22
      "03 06 00000000", // IP-Address 0.0.0.0: please assign one (§3.3)
      "81 06 00000000", // Primary-DNS-Address 0.0.0.0 (RFC 1877 §1.1)
      "83 06 00000000", // Secondary-DNS-Address (§1.3)
    );
    const packet = decodeIpcp(bytes, 0, bytes.length);
    expect(packet).toMatchObject({ protocol: "IPCP", codeName: "Configure-Request", identifier: 6, malformed: null });
    expect(packet.options.map((o) => [o.type, o.name, o.address])).toEqual([
      [3, "IP-Address", "0.0.0.0"],
      [129, "Primary-DNS-Address", "0.0.0.0"],
      [131, "Secondary-DNS-Address", "0.0.0.0"],
    ]);
  });

  it("a Configure-Nak that assigns the client its address, NBNS servers, the deprecated IP-Addresses", () => {
    const bytes = hex(
      "03 07 0020", // Configure-Nak, Length 32
      "03 06 c0a802ea", // IP-Address 192.168.2.234
      "82 06 0a000001", // Primary-NBNS 10.0.0.1 (RFC 1877 §1.2)
      "84 06 0a000002", // Secondary-NBNS 10.0.0.2 (§1.4)
      "01 0a 01020304 05060708", // IP-Addresses source 1.2.3.4, destination 5.6.7.8 (RFC 1332 §3.1)
    );
    const packet = decodeIpcp(bytes, 0, bytes.length);
    expect(packet.malformed).toBeNull();
    expect(packet.codeName).toBe("Configure-Nak");
    expect(packet.options.map((o) => o.address)).toEqual(["192.168.2.234", "10.0.0.1", "10.0.0.2", undefined]);
    expect(packet.options[1].name).toBe("Primary-NBNS-Address");
    expect(packet.options[2].name).toBe("Secondary-NBNS-Address");
    expect(packet.options[3]).toMatchObject({ name: "IP-Addresses", sourceAddress: "1.2.3.4", destinationAddress: "5.6.7.8" });
  });

  it("IP-Compression-Protocol: Van Jacobson with its slot parameters, IPHC named", () => {
    const bytes = hex("01 01 0012", "02 06 002d 0f 01", "02 08 0061 000f 0010"); // Length 4 + 6 + 8 = 18
    const packet = decodeIpcp(bytes, 0, bytes.length);
    expect(packet.malformed).toBeNull();
    expect(packet.options[0]).toMatchObject({
      compressionProtocol: 0x002d,
      compressionProtocolName: "Van Jacobson",
      maxSlotId: 15,
      compSlotId: true,
    });
    expect(packet.options[1]).toMatchObject({ compressionProtocol: 0x0061, compressionProtocolName: "IPHC" });
    expect(packet.options[1].maxSlotId).toBeUndefined();
  });

  it("an address option of the wrong length, a VJ option without parameters", () => {
    const bytes = hex("04 02 000d", "03 05 0a0000", "02 04 002d");
    const packet = decodeIpcp(bytes, 0, bytes.length);
    expect(packet.codeName).toBe("Configure-Reject");
    expect(packet.options[0].malformed).toBe("IP-Address needs Length 6, got 5");
    expect(packet.options[0].address).toBeUndefined();
    expect(packet.options[1].malformed).toBe("Van Jacobson needs Max-Slot-Id and Comp-Slot-Id, got 0 bytes");
    expect(packet.malformed).toBe("option 3 at byte 0 of the options: IP-Address needs Length 6, got 5");
  });

  it("Terminate-Ack and codes IPCP does not define", () => {
    expect(decodeIpcp(hex("06 02 0004"), 0, 4)).toMatchObject({ codeName: "Terminate-Ack", text: "" });
    // Echo-Request exists only in LCP (RFC 1332 §2).
    expect(decodeIpcp(hex("09 02 0008 01020304"), 0, 8)).toMatchObject({
      codeName: "unknown (0x09)",
      magicNumber: null,
      data: "01020304",
      malformed: null,
    });
  });
});

describe("IPV6CP (RFC 5072)", () => {
  it("Interface-Identifier as 16 hex digits", () => {
    const bytes = hex("01 01 000e", "01 0a 0211 22ff fe33 4455");
    const packet = decodeIpv6cp(bytes, 0, bytes.length);
    expect(packet).toMatchObject({ protocol: "IPV6CP", codeName: "Configure-Request", malformed: null });
    expect(packet.options[0]).toMatchObject({ name: "Interface-Identifier", interfaceIdentifier: "021122fffe334455" });
  });

  it("an identifier of the wrong length", () => {
    const packet = decodeIpv6cp(hex("02 01 000a 01 06 01020304"), 0, 10);
    expect(packet.options[0].malformed).toBe("Interface-Identifier needs Length 10, got 6");
  });
});

describe("CCP (RFC 1962) and MPPE (RFC 3078 §2.1)", () => {
  it("MPPE 128-bit stateless, the offer of a Windows PPTP client", () => {
    const bytes = hex("01 04 000a", "12 06 01000040"); // H (0x01000000) + S (0x40)
    const packet = decodeCcp(bytes, 0, bytes.length);
    expect(packet).toMatchObject({ protocol: "CCP", codeName: "Configure-Request", identifier: 4, malformed: null });
    expect(packet.options[0]).toMatchObject({
      type: 18,
      name: "MPPE/MPPC",
      supportedBits: 0x01000040,
    });
    expect(mppeBitNames(packet.options[0].supportedBits!)).toEqual(["H stateless", "S 128-bit"]);
    expect(packet.options[0].supportedBits! & MppeBit.Encryption128).not.toBe(0);
    expect(packet.options[0].supportedBits! & MppeBit.Encryption40).toBe(0);
  });

  it("every defined bit, and an undefined one, named high to low", () => {
    const bytes = hex("01 01 000a", "12 06 010001f1"); // H, bit 8 (undefined), M S L D C
    const packet = decodeCcp(bytes, 0, bytes.length);
    expect(mppeBitNames(packet.options[0].supportedBits!)).toEqual([
      "H stateless",
      "unknown 0x00000100",
      "M 56-bit",
      "S 128-bit",
      "L 40-bit",
      "D obsolete",
      "C MPPC compression",
    ]);
  });

  it("names the other compression options", () => {
    const bytes = hex("01 02 0014", "1a 04 7800", "15 03 2f", "01 02", "02 02", "11 05 0001 04"); // 4+4+3+2+2+5 = 20
    const packet = decodeCcp(bytes, 0, 20);
    expect(packet.options.map((o) => o.name)).toEqual(["Deflate", "BSD-Compress", "Predictor-Type-1", "Predictor-Type-2", "Stac-LZS"]);
    expect(packet.options[0].supportedBits).toBeUndefined();
  });

  it("Reset-Request and Reset-Ack keep their data as hex", () => {
    expect(decodeCcp(hex("0e 05 0006 0102"), 0, 6)).toMatchObject({ codeName: "Reset-Request", data: "0102", malformed: null });
    expect(decodeCcp(hex("0f 05 0004"), 0, 4)).toMatchObject({ codeName: "Reset-Ack", data: "" });
  });

  it("an MPPE option of the wrong length", () => {
    const packet = decodeCcp(hex("04 01 0009 12 05 010000"), 0, 9);
    expect(packet.codeName).toBe("Configure-Reject");
    expect(packet.options[0].malformed).toBe("MPPE/MPPC needs Length 6, got 5");
  });
});
