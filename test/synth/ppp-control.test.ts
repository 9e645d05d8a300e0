/** The PPP control builders against hand-written RFC layouts. */
import { describe, expect, it } from "vitest";
import {
  ccpOption,
  chapResult,
  chapValue,
  codeReject,
  configOption,
  configurePacket,
  controlPacket,
  eapIdentity,
  eapMd5Challenge,
  eapPacket,
  echoPacket,
  ipcpOption,
  ipv6cpOption,
  lcpOption,
  msChapFailureMessage,
  msChapV2ResponseValue,
  msChapV2SuccessMessage,
  papReply,
  papRequest,
  protocolReject,
  terminatePacket,
} from "../../src/synth/ppp-control.js";
import { hex } from "./helpers.js";

const ascii = (text: string) => Buffer.from(text, "latin1").toString("hex");
const bytesOf = (count: number, first: number) => Buffer.from(Array.from({ length: count }, (_, i) => first + i));

describe("LCP-family packets (RFC 1661 §5-6)", () => {
  it("Configure-Request with MRU 1400, ACCM 0, CHAP/MS-CHAPv2, magic, PFC, ACFC", () => {
    const built = configurePacket(1, 5, [
      lcpOption.mru(1400),
      lcpOption.accm(0),
      lcpOption.authChap(0x81),
      lcpOption.magicNumber(0x12345678),
      lcpOption.protocolFieldCompression(),
      lcpOption.addressControlFieldCompression(),
    ]);
    expect(built).toEqual(
      hex(
        "01 05 001d", // Configure-Request, id 5, Length 29
        "01 04 0578", // MRU 1400
        "02 06 00000000", // ACCM
        "03 05 c223 81", // CHAP, MS-CHAPv2
        "05 06 12345678", // Magic-Number
        "07 02", // PFC
        "08 02", // ACFC
      ),
    );
  });

  it("the other LCP options", () => {
    expect(lcpOption.authPap()).toEqual(hex("03 04 c023"));
    expect(lcpOption.authEap()).toEqual(hex("03 04 c227"));
    expect(lcpOption.qualityLqr(1000)).toEqual(hex("04 08 c025 000003e8"));
    expect(lcpOption.callback(6)).toEqual(hex("0d 03 06"));
    expect(lcpOption.callback(1, "5551")).toEqual(hex("0d 07 01 35353531"));
    expect(lcpOption.mrru(1500)).toEqual(hex("11 04 05dc"));
    expect(lcpOption.shortSequenceNumbers()).toEqual(hex("12 02"));
    expect(lcpOption.endpointDiscriminator(3, hex("001122334455"))).toEqual(hex("13 09 03 001122334455"));
  });

  it("IPCP options", () => {
    expect(ipcpOption.ipAddress("192.168.2.234")).toEqual(hex("03 06 c0a802ea"));
    expect(ipcpOption.primaryDns("8.8.8.8")).toEqual(hex("81 06 08080808"));
    expect(ipcpOption.primaryNbns("10.0.0.1")).toEqual(hex("82 06 0a000001"));
    expect(ipcpOption.secondaryDns("8.8.4.4")).toEqual(hex("83 06 08080404"));
    expect(ipcpOption.secondaryNbns("10.0.0.2")).toEqual(hex("84 06 0a000002"));
    expect(ipcpOption.ipAddresses("1.2.3.4", "5.6.7.8")).toEqual(hex("01 0a 01020304 05060708"));
    expect(ipcpOption.vanJacobson(15, true)).toEqual(hex("02 06 002d 0f 01"));
    expect(ipcpOption.compression(0x0061, hex("000f"))).toEqual(hex("02 06 0061 000f"));
  });

  it("IPV6CP and CCP options", () => {
    expect(ipv6cpOption.interfaceIdentifier(hex("021122fffe334455"))).toEqual(hex("01 0a 021122fffe334455"));
    expect(ccpOption.mppe(0x01000040)).toEqual(hex("12 06 01000040"));
    expect(ccpOption.deflate(15)).toEqual(hex("1a 04 78 00")); // window 2^15: (15-8)<<4 | method 8
    expect(ccpOption.bsdCompress(1, 15)).toEqual(hex("15 03 2f")); // version 1 << 5 | 15 bits
  });

  it("an option with any type and value, and a packet with any code", () => {
    expect(configOption(0x42, hex("aabb"))).toEqual(hex("42 04 aabb"));
    expect(controlPacket(14, 3)).toEqual(hex("0e 03 0004"));
  });

  it("Terminate with a reason, Echo with magic and data, Protocol-Reject, Code-Reject", () => {
    expect(terminatePacket(5, 2, "bye")).toEqual(hex("05 02 0007", ascii("bye")));
    expect(terminatePacket(6, 2)).toEqual(hex("06 02 0004"));
    expect(echoPacket(9, 7, 0x01020304, hex("aabbccdd"))).toEqual(hex("09 07 000c 01020304 aabbccdd"));
    expect(echoPacket(10, 7, 0xfedcba98)).toEqual(hex("0a 07 0008 fedcba98"));
    expect(protocolReject(4, 0x8057, hex("01 01 0004"))).toEqual(hex("08 04 000a 8057 01010004"));
    expect(codeReject(9, hex("20 01 0004"))).toEqual(hex("07 09 0008 20010004"));
  });
});

describe("PAP (RFC 1334 §2.2)", () => {
  it("Authenticate-Request, -Ack, -Nak", () => {
    expect(papRequest(1, "ixia", "secret")).toEqual(hex("01 01 0010 04", ascii("ixia"), "06", ascii("secret")));
    expect(papReply(2, 1, "Login ok")).toEqual(hex("02 01 000d 08", ascii("Login ok")));
    expect(papReply(3, 1)).toEqual(hex("03 01 0005 00"));
  });
});

describe("CHAP and MS-CHAPv2 (RFC 1994 §4, RFC 2759 §4-6)", () => {
  it("Challenge and Response: Value-Size, Value, Name", () => {
    const challenge = bytesOf(16, 0);
    expect(chapValue(1, 0x88, challenge, "pptpd")).toEqual(hex("01 88 001a 10", challenge.toString("hex"), ascii("pptpd")));
  });

  it("the 49-byte MS-CHAPv2 Response value", () => {
    const value = msChapV2ResponseValue({ peerChallenge: bytesOf(16, 0x10), ntResponse: bytesOf(24, 0x20) });
    expect(value).toEqual(
      hex(
        "101112131415161718191a1b1c1d1e1f", // Peer-Challenge
        "0000000000000000", // Reserved
        "202122232425262728292a2b2c2d2e2f3031323334353637", // NT-Response
        "00", // Flags
      ),
    );
    expect(chapValue(2, 0x88, value, "lulu").subarray(0, 5)).toEqual(hex("02 88 003a 31"));
  });

  it("Success and Failure texts", () => {
    expect(msChapV2SuccessMessage(bytesOf(20, 0xa0), "Access granted")).toBe(
      "S=A0A1A2A3A4A5A6A7A8A9AAABACADAEAFB0B1B2B3 M=Access granted",
    );
    expect(
      msChapFailureMessage({ error: 691, retry: false, challenge: bytesOf(16, 0), version: 3, message: "bad password" }),
    ).toBe("E=691 R=0 C=000102030405060708090A0B0C0D0E0F V=3 M=bad password");
    expect(chapResult(3, 1, "ok")).toEqual(hex("03 01 0006", ascii("ok")));
    expect(chapResult(4, 1)).toEqual(hex("04 01 0004"));
  });
});

describe("EAP (RFC 3748 §4-5)", () => {
  it("Identity, MD5-Challenge, Success, other types", () => {
    expect(eapIdentity(2, 1, "user")).toEqual(hex("02 01 0009 01", ascii("user")));
    expect(eapIdentity(1, 1, "")).toEqual(hex("01 01 0005 01"));
    expect(eapMd5Challenge(1, 2, hex("aabb"), "R1")).toEqual(hex("01 02 000a 04 02 aabb", ascii("R1")));
    expect(eapPacket(3, 5)).toEqual(hex("03 05 0004"));
    expect(eapPacket(1, 6, 25, hex("20"))).toEqual(hex("01 06 0006 19 20"));
  });
});

describe("out-of-range input throws RangeError", () => {
  it("rejects values that do not fit their fields", () => {
    expect(() => lcpOption.mru(70000)).toThrow(RangeError);
    expect(() => controlPacket(256, 0)).toThrow(RangeError);
    expect(() => configOption(1, Buffer.alloc(254))).toThrow(RangeError);
    expect(() => papRequest(1, "x".repeat(256), "")).toThrow(RangeError);
    expect(() => ccpOption.deflate(16)).toThrow(RangeError);
    expect(() => ipv6cpOption.interfaceIdentifier(hex("0102"))).toThrow(RangeError);
    expect(() => msChapV2ResponseValue({ peerChallenge: bytesOf(8, 0), ntResponse: bytesOf(24, 0) })).toThrow(RangeError);
    expect(() => msChapV2SuccessMessage(bytesOf(16, 0), "")).toThrow(RangeError);
  });
});
