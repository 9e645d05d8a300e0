import { describe, expect, it } from "vitest";
import { decodeLcp } from "../../../src/decode/ppp/lcp.js";
import { hex } from "../../synth/helpers.js";

/** Decodes a whole buffer, as the model will with a PPP information field. */
function lcp(bytes: Buffer) {
  return decodeLcp(bytes, 0, bytes.length);
}

describe("LCP Configure-Request (RFC 1661 §5.1, §6)", () => {
  // The request a Windows PPTP client sends: MRU 1400, ACCM 0, CHAP/MS-CHAPv2, magic, PFC, ACFC.
  const request = hex(
    "01", // Code: Configure-Request
    "05", // Identifier
    "001d", // Length 29 = 4 + 4 + 6 + 5 + 6 + 2 + 2
    "01 04 0578", // MRU 1400 (§6.1)
    "02 06 00000000", // ACCM 0 (RFC 1662 §7.1)
    "03 05 c223 81", // Authentication-Protocol CHAP, algorithm 0x81 MS-CHAPv2 (RFC 2759 §2)
    "05 06 12345678", // Magic-Number (§6.4)
    "07 02", // Protocol-Field-Compression (§6.5)
    "08 02", // Address-and-Control-Field-Compression (§6.6)
  );

  it("decodes header and every option with its value", () => {
    const packet = lcp(request);
    expect(packet).toMatchObject({ protocol: "LCP", code: 1, codeName: "Configure-Request", identifier: 5, length: 29 });
    expect(packet.malformed).toBeNull();
    expect(packet.options.map((o) => [o.type, o.name, o.length, o.value])).toEqual([
      [1, "Maximum-Receive-Unit", 4, "0578"],
      [2, "Async-Control-Character-Map", 6, "00000000"],
      [3, "Authentication-Protocol", 5, "c22381"],
      [5, "Magic-Number", 6, "12345678"],
      [7, "Protocol-Field-Compression", 2, ""],
      [8, "Address-and-Control-Field-Compression", 2, ""],
    ]);
    const [mru, accm, auth, magic] = packet.options;
    expect(mru.mru).toBe(1400);
    expect(accm.accm).toBe(0);
    expect(auth).toMatchObject({ authProtocol: 0xc223, authProtocolName: "CHAP", chapAlgorithm: 0x81, chapAlgorithmName: "MS-CHAPv2" });
    expect(magic.magicNumber).toBe(0x12345678);
    expect(packet.options.every((o) => o.malformed === null)).toBe(true);
  });

  it("reads the packet at an offset inside a larger buffer and ignores padding after Length", () => {
    // RFC 1661 §5: octets outside the range of the Length field are padding.
    const framed = Buffer.concat([hex("ff03 c021"), request, hex("0000 00")]);
    const packet = decodeLcp(framed, 4, framed.length - 4);
    expect(packet.malformed).toBeNull();
    expect(packet.options).toHaveLength(6);
    expect(packet.data).toBe("");
  });

  it("names PAP, EAP and an ACCM of 0xffffffff; a magic number with the top bit set stays unsigned", () => {
    const packet = lcp(hex("01 01 0018", "03 04 c023", "02 06 ffffffff", "05 06 deadbeef", "03 04 c227"));
    expect(packet.malformed).toBeNull();
    expect(packet.options[0]).toMatchObject({ authProtocol: 0xc023, authProtocolName: "PAP" });
    expect(packet.options[0].chapAlgorithm).toBeUndefined();
    expect(packet.options[1].accm).toBe(0xffffffff);
    expect(packet.options[2].magicNumber).toBe(0xdeadbeef);
    expect(packet.options[3].authProtocolName).toBe("EAP");
  });

  it("decodes Callback, Quality-Protocol (LQR), MRRU, short sequence numbers and the endpoint discriminator", () => {
    const packet = lcp(
      hex(
        "01 02 0025", // Length 37
        "0d 07 01 35353531", // Callback: operation 1 dialing string "5551" (RFC 1570 §2.3)
        "04 08 c025 000003e8", // Quality-Protocol LQR, Reporting-Period 1000 (RFC 1989 §2.5)
        "11 04 05dc", // Multilink-MRRU 1500 (RFC 1990 §5.1.1)
        "12 02", // short sequence number header format (§5.1.2)
        "13 09 03 0011 2233 4455", // endpoint discriminator class 3 (MAC 00:11:22:33:44:55) (§5.1.3)
        "06 03 00", // type 6 is reserved: kept, named unknown, not malformed
      ),
    );
    expect(packet.malformed).toBeNull();
    const [callback, quality, mrru, ssn, endpoint, unknown] = packet.options;
    expect(callback).toMatchObject({ callbackOperation: 1, callbackOperationName: "dialing string", callbackMessage: "5551" });
    expect(quality).toMatchObject({ qualityProtocol: 0xc025, qualityProtocolName: "Link Quality Report", reportingPeriod: 1000 });
    expect(mrru.mrru).toBe(1500);
    expect(ssn.name).toBe("Multilink-Short-Sequence-Number-Header-Format");
    expect(endpoint).toMatchObject({ endpointClass: 3, endpointClassName: "IEEE 802.1 MAC address", endpointAddress: "001122334455" });
    expect(unknown).toMatchObject({ type: 6, name: "unknown (0x06)", length: 3, value: "00", malformed: null });
  });

  it("decodes a Configure-Reject of the MRU (what a PPTP server answers to a client's MRU 1400)", () => {
    const packet = lcp(hex("04 03 0008", "01 04 0578"));
    expect(packet).toMatchObject({ code: 4, codeName: "Configure-Reject", identifier: 3, malformed: null });
    expect(packet.options.map((o) => o.mru)).toEqual([1400]);
  });
});

describe("LCP codes with data (RFC 1661 §5.5-5.9, RFC 1570)", () => {
  it("Terminate-Request carries the peer's reason as text", () => {
    const reason = "MPPE required but not available";
    const packet = lcp(Buffer.concat([hex("05 02", (4 + reason.length).toString(16).padStart(4, "0")), Buffer.from(reason, "latin1")]));
    expect(packet).toMatchObject({ code: 5, codeName: "Terminate-Request", text: reason, data: "", malformed: null });
  });

  it("Terminate-Ack without data has empty text", () => {
    expect(lcp(hex("06 02 0004"))).toMatchObject({ codeName: "Terminate-Ack", text: "", malformed: null });
  });

  it("keeps non-ASCII bytes as latin1 characters", () => {
    const packet = lcp(hex("05 01 0007", "e9 00 ff"));
    expect(packet.text).toBe("\u00e9\u0000\u00ff");
  });

  it("Echo-Request and Echo-Reply: magic number, then the rest as data", () => {
    expect(lcp(hex("09 07 000c", "01020304", "aabbccdd"))).toMatchObject({
      codeName: "Echo-Request",
      identifier: 7,
      magicNumber: 0x01020304,
      data: "aabbccdd",
      malformed: null,
    });
    expect(lcp(hex("0a 07 0008", "fedcba98"))).toMatchObject({ codeName: "Echo-Reply", magicNumber: 0xfedcba98, data: "" });
    expect(lcp(hex("0b 01 0008", "00000000"))).toMatchObject({ codeName: "Discard-Request", magicNumber: 0 });
  });

  it("Protocol-Reject names the rejected protocol and keeps its bytes", () => {
    // A PPTP server without IPv6 rejects the client's IPV6CP Configure-Request.
    const packet = lcp(hex("08 04 0014", "8057", "01 01 000e 01 0a 1122334455667788"));
    expect(packet).toMatchObject({
      codeName: "Protocol-Reject",
      rejectedProtocol: 0x8057,
      rejectedProtocolName: "IPV6CP",
      data: "0101000e010a1122334455667788",
      malformed: null,
    });
  });

  it("Code-Reject gives the rejected code and the rejected packet", () => {
    const packet = lcp(hex("07 09 0008", "20 01 0004"));
    expect(packet).toMatchObject({ codeName: "Code-Reject", rejectedCode: 0x20, data: "20010004", malformed: null });
  });

  it("Identification (RFC 1570 §2) and Time-Remaining (§3)", () => {
    expect(lcp(hex("0c 01 000d", "0a0b0c0d", "68656c6c6f"))).toMatchObject({
      codeName: "Identification",
      magicNumber: 0x0a0b0c0d,
      text: "hello",
      malformed: null,
    });
    expect(lcp(hex("0d 02 000f", "00000001", "00000e10", "6279 65"))).toMatchObject({
      codeName: "Time-Remaining",
      magicNumber: 1,
      secondsRemaining: 3600,
      text: "bye",
      malformed: null,
    });
  });

  it("an unknown code keeps its data as hex and is not malformed", () => {
    expect(lcp(hex("20 01 0006 abcd"))).toMatchObject({ code: 0x20, codeName: "unknown (0x20)", data: "abcd", malformed: null });
  });

  it("CCP's Reset-Request code is not an LCP code", () => {
    expect(lcp(hex("0e 01 0004")).codeName).toBe("unknown (0x0e)");
  });
});

describe("damaged LCP packets are decoded as far as they go", () => {
  it("an Echo-Request without its Magic-Number", () => {
    const packet = lcp(hex("09 01 0006 0102"));
    expect(packet.magicNumber).toBeNull();
    expect(packet.data).toBe("0102");
    expect(packet.malformed).toBe("Echo-Request without its 4-byte Magic-Number");
  });

  it("a Protocol-Reject without a protocol, a Time-Remaining without seconds", () => {
    expect(lcp(hex("08 01 0005 80")).malformed).toBe("Protocol-Reject without its 2-byte Rejected-Protocol");
    expect(lcp(hex("0d 01 000a 00000001 0000")).malformed).toMatch(/^Time-Remaining without/);
  });

  it("option values that break their length rules are flagged on the option and the packet", () => {
    const packet = lcp(hex("01 01 0016", "01 03 05", "03 04 c223", "05 06 00000001", "02 05 000000"));
    expect(packet.options.map((o) => o.malformed)).toEqual([
      "Maximum-Receive-Unit needs Length 4, got 3",
      "CHAP needs one algorithm octet, got 0",
      null,
      "Async-Control-Character-Map needs Length 6, got 5",
    ]);
    expect(packet.options[0].mru).toBeUndefined();
    expect(packet.options[2].magicNumber).toBe(1);
    // The first problem is the one reported for the packet.
    expect(packet.malformed).toBe("option 1 at byte 0 of the options: Maximum-Receive-Unit needs Length 4, got 3");
  });

  it("an LQR Quality-Protocol without its Reporting-Period", () => {
    expect(lcp(hex("01 01 0008 04 04 c025")).options[0].malformed).toBe("LQR needs a 4-byte Reporting-Period, got 0");
  });
});
