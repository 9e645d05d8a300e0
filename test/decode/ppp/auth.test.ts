/** PAP, CHAP (with MS-CHAP / MS-CHAPv2) and EAP, from hand-written RFC layouts. */
import { describe, expect, it } from "vitest";
import { MSCHAP_ERRORS, decodeChap, parseMsChapFailure, parseMsChapV2Success } from "../../../src/decode/ppp/chap.js";
import { decodeEap } from "../../../src/decode/ppp/eap.js";
import { decodePap } from "../../../src/decode/ppp/pap.js";
import { hex } from "../../synth/helpers.js";

const ascii = (text: string) => Buffer.from(text, "latin1").toString("hex");

describe("PAP (RFC 1334 §2.2)", () => {
  it("Authenticate-Request: Peer-ID and Password behind their length octets", () => {
    const bytes = hex("01 01 000e", "04", ascii("ixia"), "04", ascii("ixia")); // Length 4 + 5 + 5
    expect(decodePap(bytes, 0, bytes.length)).toEqual({
      protocol: "PAP",
      code: 1,
      codeName: "Authenticate-Request",
      identifier: 1,
      length: 14,
      peerId: "ixia",
      password: "ixia",
      message: null,
      malformed: null,
    });
  });

  it("empty Peer-ID and Password", () => {
    expect(decodePap(hex("01 02 0006 00 00"), 0, 6)).toMatchObject({ peerId: "", password: "", malformed: null });
  });

  it("Authenticate-Ack and -Nak carry a message", () => {
    const ack = hex("02 01 000d 08", ascii("Login ok"));
    expect(decodePap(ack, 0, ack.length)).toMatchObject({ codeName: "Authenticate-Ack", message: "Login ok", malformed: null });
    const nak = hex("03 01 0005 00");
    expect(decodePap(nak, 0, nak.length)).toMatchObject({ codeName: "Authenticate-Nak", message: "", malformed: null });
  });

  it("an Ack whose Length leaves no room for Msg-Length is malformed (tshark: Malformed Packet)", () => {
    // The bytes of tcpdump's truncated-aack test: Length 4, then two bytes outside the packet.
    const packet = decodePap(hex("02 01 0004 9486"), 0, 6);
    expect(packet).toMatchObject({ codeName: "Authenticate-Ack", message: null });
    expect(packet.malformed).toBe("Authenticate-Ack ends before the Message length octet");
  });

  it("a Peer-ID longer than the packet, a request without a Password", () => {
    expect(decodePap(hex("01 01 0007 09 6162"), 0, 7).malformed).toBe("Peer-ID length 9 overruns the 2 bytes left");
    const noPassword = decodePap(hex("01 01 0006 01 61"), 0, 6);
    expect(noPassword).toMatchObject({ peerId: "a", password: null });
    expect(noPassword.malformed).toBe("Authenticate-Request ends before the Password length octet");
  });
});

// MS-CHAPv2 values used below, written out once.
const CHALLENGE16 = "000102030405060708090a0b0c0d0e0f";
const PEER_CHALLENGE = "101112131415161718191a1b1c1d1e1f";
const NT24 = "202122232425262728292a2b2c2d2e2f3031323334353637"; // 24 bytes

describe("CHAP (RFC 1994 §4)", () => {
  it("Challenge: Value-Size, Value, Name; the Name ends where Length says", () => {
    // Length 25 = 4 + 1 + 16 + 4: the name is "pptp", the final "d" lies outside the packet (padding).
    const bytes = hex("01 88 0019", "10", CHALLENGE16, ascii("pptpd"));
    const packet = decodeChap(bytes, 0, bytes.length);
    expect(packet).toMatchObject({ codeName: "Challenge", identifier: 0x88, valueSize: 16, value: CHALLENGE16, name: "pptp" });
    expect(packet.malformed).toBeNull(); // bytes past Length are padding
  });

  it("Challenge with the right Length", () => {
    const bytes = hex("01 88 001a", "10", CHALLENGE16, ascii("pptpd")); // Length 26 = 4 + 1 + 16 + 5
    expect(decodeChap(bytes, 0, bytes.length, 0x81)).toMatchObject({ name: "pptpd", malformed: null });
  });

  it("MS-CHAPv2 Response: the 49-byte value split into its fields (RFC 2759 §4)", () => {
    const value = PEER_CHALLENGE + "0000000000000000" + NT24 + "00"; // 16 + 8 + 24 + 1
    const bytes = hex("02 88 003a", "31", value, ascii("lulu")); // Length 4 + 1 + 49 + 4 = 58
    const packet = decodeChap(bytes, 0, bytes.length, 0x81);
    expect(packet).toMatchObject({ codeName: "Response", valueSize: 49, value, name: "lulu", malformed: null });
    expect(packet.msChapV2Response).toEqual({
      peerChallenge: PEER_CHALLENGE,
      reserved: "0000000000000000",
      ntResponse: NT24,
      flags: 0,
    });
    expect(packet.msChapResponse).toBeNull();
  });

  it("MS-CHAP (v1) Response: LM response, NT response, use-NT flag (RFC 2433 §5)", () => {
    const lm = "00".repeat(24);
    const bytes = hex("02 01 0036", "31", lm, NT24, "01"); // Length 4 + 1 + 49 = 54, empty name
    const packet = decodeChap(bytes, 0, bytes.length, 0x80);
    expect(packet.msChapResponse).toEqual({ lmResponse: lm, ntResponse: NT24, useNtResponse: true });
    expect(packet.msChapV2Response).toBeNull();
    expect(packet.name).toBe("");
  });

  it("without the negotiated algorithm a Response is not split", () => {
    const bytes = hex("02 88 003a", "31", PEER_CHALLENGE + "00".repeat(8) + NT24 + "00", ascii("lulu"));
    const packet = decodeChap(bytes, 0, bytes.length);
    expect(packet.msChapV2Response).toBeNull();
    expect(packet.msChapResponse).toBeNull();
    expect(packet.valueSize).toBe(49);
  });

  it("MS-CHAP values of the wrong size are malformed", () => {
    const response = hex("02 01 0015", "10", CHALLENGE16); // 16-byte response for MS-CHAPv2
    expect(decodeChap(response, 0, response.length, 0x81).malformed).toBe("an MS-CHAP response value must be 49 bytes, got 16");
    const challenge = hex("01 01 0015", "10", CHALLENGE16); // MS-CHAP v1 challenges are 8 bytes
    expect(decodeChap(challenge, 0, challenge.length, 0x80).malformed).toBe("the MS-CHAP challenge must be 8 bytes, got 16");
    // For MD5 any size is fine.
    expect(decodeChap(challenge, 0, challenge.length, 5).malformed).toBeNull();
  });

  it("a Value-Size beyond the packet keeps the value bytes present", () => {
    const packet = decodeChap(hex("01 01 0007 10 aabb"), 0, 7);
    expect(packet).toMatchObject({ valueSize: 16, value: "aabb", name: null });
    expect(packet.malformed).toBe("Challenge: Value-Size 16 overruns the 2 bytes left");
    expect(decodeChap(hex("02 01 0004"), 0, 4).malformed).toBe("Response: no Value-Size octet");
  });

  it("MS-CHAPv2 Success: S=<40 hex> M=<message> (RFC 2759 §5)", () => {
    const text = "S=460874E1B0E8C1C3F1D1B0C6A0B9B8A7F6E5D4C3 M=Access granted";
    const bytes = Buffer.concat([hex("03 88", (4 + text.length).toString(16).padStart(4, "0")), Buffer.from(text, "latin1")]);
    const packet = decodeChap(bytes, 0, bytes.length, 0x81);
    expect(packet).toMatchObject({ codeName: "Success", message: text, malformed: null });
    expect(packet.msChapV2Success).toEqual({
      authenticatorResponse: "460874E1B0E8C1C3F1D1B0C6A0B9B8A7F6E5D4C3",
      message: "Access granted",
    });
  });

  it("MS-CHAPv2 Failure: E=691 R=0 C=<32 hex> V=3 M=<message> (RFC 2759 §6)", () => {
    const text = "E=691 R=0 C=00112233445566778899AABBCCDDEEFF V=3 M=bad user name or password";
    const bytes = hex("04 89", (4 + text.length).toString(16).padStart(4, "0"), ascii(text));
    const packet = decodeChap(bytes, 0, bytes.length, 0x81);
    expect(packet).toMatchObject({ codeName: "Failure", identifier: 0x89, message: text, malformed: null });
    expect(packet.msChapFailure).toEqual({
      error: 691,
      errorName: "ERROR_AUTHENTICATION_FAILURE",
      errorMeaning: "authentication failure (bad user name or password)",
      retry: false,
      challenge: "00112233445566778899AABBCCDDEEFF",
      version: 3,
      message: "bad user name or password",
    });
  });

  describe('detail "names": names, messages and results as with "all", the Value and its layouts left null', () => {
    const v2Response = hex("02 88 003a", "31", PEER_CHALLENGE + "00".repeat(8) + NT24 + "00", ascii("lulu"));
    const success = "S=460874E1B0E8C1C3F1D1B0C6A0B9B8A7F6E5D4C3 M=Access granted";
    const failure = "E=691 R=0 C=00112233445566778899AABBCCDDEEFF V=3 M=bad user name or password";
    const textPacket = (code: string, text: string) =>
      hex(code, "01", (4 + text.length).toString(16).padStart(4, "0"), ascii(text));

    it("MS-CHAPv2 Challenge and Response: the names, no value", () => {
      const challenge = hex("01 88 001a", "10", CHALLENGE16, ascii("pptpd"));
      expect(decodeChap(challenge, 0, challenge.length, 0x81, "names")).toMatchObject({
        codeName: "Challenge",
        valueSize: 16,
        value: null,
        name: "pptpd",
        malformed: null,
      });
      expect(decodeChap(v2Response, 0, v2Response.length, 0x81, "names")).toMatchObject({
        codeName: "Response",
        valueSize: 49,
        value: null,
        name: "lulu",
        msChapV2Response: null,
        malformed: null,
      });
    });

    it("Success keeps its message, without the S= fields; Failure keeps its parsed E=691", () => {
      const ok = textPacket("03", success);
      expect(decodeChap(ok, 0, ok.length, 0x81, "names")).toMatchObject({ message: success, msChapV2Success: null });
      const refused = textPacket("04", failure);
      expect(decodeChap(refused, 0, refused.length, 0x81, "names")).toMatchObject({
        message: failure,
        msChapFailure: { error: 691, retry: false, version: 3, message: "bad user name or password" },
      });
    });

    it("the sizes are still checked: the same malformed reasons", () => {
      const shortResponse = hex("02 01 0015", "10", CHALLENGE16);
      expect(decodeChap(shortResponse, 0, shortResponse.length, 0x81, "names").malformed).toBe(
        "an MS-CHAP response value must be 49 bytes, got 16",
      );
      const v1Challenge = hex("01 01 0015", "10", CHALLENGE16);
      expect(decodeChap(v1Challenge, 0, v1Challenge.length, 0x80, "names").malformed).toBe(
        "the MS-CHAP challenge must be 8 bytes, got 16",
      );
      expect(decodeChap(hex("01 01 0007 10 aabb"), 0, 7, -1, "names")).toMatchObject({
        valueSize: 16,
        value: null,
        name: null,
        malformed: "Challenge: Value-Size 16 overruns the 2 bytes left",
      });
    });
  });

  it("MD5 CHAP: Success and Failure texts are only messages", () => {
    const success = hex("03 01 0008", ascii("Welc"));
    expect(decodeChap(success, 0, 8, 5)).toMatchObject({ message: "Welc", msChapV2Success: null });
    const failure = hex("04 01 000a", ascii("E=691 "));
    expect(decodeChap(failure, 0, 10, 5)).toMatchObject({ message: "E=691 ", msChapFailure: null });
    // With the algorithm unknown, the self-describing MS-CHAP text is parsed.
    expect(decodeChap(failure, 0, 10).msChapFailure?.error).toBe(691);
    expect(decodeChap(hex("03 01 0004"), 0, 4)).toMatchObject({ message: "", msChapV2Success: null, malformed: null });
  });
});

describe("MS-CHAP message texts", () => {
  it("every error code of RFC 2759 §6 has a name and a meaning", () => {
    expect(Object.keys(MSCHAP_ERRORS).map(Number)).toEqual([646, 647, 648, 649, 691, 709]);
    expect(parseMsChapFailure("E=646 R=0 V=3")?.errorName).toBe("ERROR_RESTRICTED_LOGON_HOURS");
    expect(parseMsChapFailure("E=647 R=0 V=3")?.errorMeaning).toBe("account disabled");
    expect(parseMsChapFailure("E=648 R=0 V=3")?.errorMeaning).toBe("password expired");
    expect(parseMsChapFailure("E=649 R=0 V=3")?.errorMeaning).toBe("no dial-in permission");
    expect(parseMsChapFailure("E=709 R=0 V=3")?.errorName).toBe("ERROR_CHANGING_PASSWORD");
  });

  it("MS-CHAP v1 failure: 16-digit challenge, no M= (RFC 2433 §6)", () => {
    expect(parseMsChapFailure("E=691 R=1 C=0011223344556677 V=2")).toEqual({
      error: 691,
      errorName: "ERROR_AUTHENTICATION_FAILURE",
      errorMeaning: "authentication failure (bad user name or password)",
      retry: true,
      challenge: "0011223344556677",
      version: 2,
      message: null,
    });
  });

  it("codes not in the table, missing fields, extra spaces, M= with spaces and '='", () => {
    expect(parseMsChapFailure("E=1234")).toMatchObject({ error: 1234, errorName: "unknown error 1234", retry: null, version: null });
    expect(parseMsChapFailure("E=691  R=0  M=a = b  c")).toMatchObject({ retry: false, challenge: null, message: "a = b  c" });
    expect(parseMsChapFailure("E=691 R=x V=y")).toMatchObject({ retry: null, version: null });
  });

  it("texts that are not in the format give null", () => {
    expect(parseMsChapFailure("Authentication failed")).toBeNull();
    expect(parseMsChapFailure("E=abc")).toBeNull();
    expect(parseMsChapV2Success("Welcome")).toBeNull();
    expect(parseMsChapV2Success("S=1234 M=short")).toBeNull();
    expect(parseMsChapV2Success(`S=${"A".repeat(40)}`)).toEqual({ authenticatorResponse: "A".repeat(40), message: null });
  });
});

describe("EAP (RFC 3748 §4-5)", () => {
  it("Request/Identity without data, Response/Identity with the user's identity", () => {
    expect(decodeEap(hex("01 01 0005 01"), 0, 5)).toMatchObject({
      protocol: "EAP",
      codeName: "Request",
      type: 1,
      typeName: "Identity",
      identity: "",
      malformed: null,
    });
    const response = hex("02 01 0009 01", ascii("user"));
    expect(decodeEap(response, 0, response.length)).toMatchObject({ codeName: "Response", identity: "user", data: "" });
  });

  it("MD5-Challenge: the CHAP value layout (§5.4)", () => {
    const bytes = hex("01 02 0018 04 10", CHALLENGE16, ascii("R1")); // Length 4 + 1 + 1 + 16 + 2 = 24
    expect(decodeEap(bytes, 0, bytes.length)).toMatchObject({
      typeName: "MD5-Challenge",
      valueSize: 16,
      value: CHALLENGE16,
      name: "R1",
      malformed: null,
    });
    expect(decodeEap(hex("01 02 0008 04 10 aabb"), 0, 8).malformed).toBe("MD5-Challenge: Value-Size 16 overruns the 2 bytes left");
  });

  it("Legacy Nak lists the types the peer wants; Notification is text", () => {
    expect(decodeEap(hex("02 03 0007 03 1a 19"), 0, 7)).toMatchObject({ typeName: "Legacy-Nak", desiredTypes: [26, 25] });
    const notification = hex("01 04 0008 02", ascii("hey"));
    expect(decodeEap(notification, 0, 8)).toMatchObject({ typeName: "Notification", notification: "hey" });
  });

  it("other types keep their data as hex", () => {
    expect(decodeEap(hex("01 05 0007 19 20 00"), 0, 7)).toMatchObject({ type: 25, typeName: "PEAP", data: "2000" });
    expect(decodeEap(hex("01 05 0006 1a 01"), 0, 6).typeName).toBe("EAP-MSCHAPv2");
    expect(decodeEap(hex("01 05 0006 0d 20"), 0, 6).typeName).toBe("EAP-TLS");
    expect(decodeEap(hex("01 05 0006 15 20"), 0, 6).typeName).toBe("EAP-TTLS");
    expect(decodeEap(hex("01 05 0005 63"), 0, 5).typeName).toBe("unknown (0x63)");
  });

  it("Success and Failure have no type", () => {
    expect(decodeEap(hex("03 05 0004"), 0, 4)).toMatchObject({ codeName: "Success", type: null, typeName: null, malformed: null });
    expect(decodeEap(hex("04 05 0004"), 0, 4)).toMatchObject({ codeName: "Failure", type: null });
  });

  it("a Request without its Type octet", () => {
    expect(decodeEap(hex("01 05 0004"), 0, 4).malformed).toBe("Request without its Type octet");
  });
});
