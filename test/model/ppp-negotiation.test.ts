/**
 * PPP negotiation state per direction. Packets are built with src/synth/ppp-control.ts
 * (itself checked against RFC layouts and tshark) or written out in hex; the expected
 * states and facts are worked out by hand from RFC 1661 and the scenario in each test.
 * The last tests replay two real PPTP captures and check the facts of
 * ../shared/captures/public/MANIFEST.md, which come from tshark.
 */
import { describe, expect, it } from "vitest";
import type { FrameOrigin } from "../../src/capture/frame.js";
import { readCaptureSet } from "../../src/capture/capture-set.js";
import { sourceAddress } from "../../src/decode/address.js";
import { Decoder } from "../../src/decode/decoder.js";
import { PacketKind } from "../../src/decode/packet.js";
import { ChapAlgorithm, PppProtocol } from "../../src/decode/ppp/protocols.js";
import { MAX_OPTIONS } from "../../src/decode/ppp/control-packet.js";
import {
  MAX_CONFIGURE,
  MAX_EXCHANGES_REMEMBERED,
  MAX_FRAMES_LISTED,
  NAK_LOOP_THRESHOLD,
  PppNegotiation,
  type PppSide,
} from "../../src/model/ppp-negotiation.js";
import {
  ccpOption,
  chapResult,
  chapValue,
  configurePacket,
  eapIdentity,
  eapMd5Challenge,
  eapPacket,
  echoPacket,
  ipcpOption,
  lcpOption,
  msChapFailureMessage,
  msChapV2ResponseValue,
  msChapV2SuccessMessage,
  papReply,
  protocolReject,
  terminatePacket,
} from "../../src/synth/ppp-control.js";
import { PUBLIC_CAPTURES, hasPublicCaptures, hex } from "../helpers.js";

const { LCP, IPCP, CCP, IPV6CP, PAP, CHAP, EAP } = PppProtocol;
/** Configure codes (RFC 1661 §5.1-5.4). */
const REQ = 1;
const ACK = 2;
const NAK = 3;
const REJ = 4;

/** Frame n of file 0, one second apart. */
const at = (frameNo: number): FrameOrigin => ({ fileIndex: 0, frameNo, tsSec: 1_000 + frameNo, tsNsec: 0 });
const nos = (frames: readonly FrameOrigin[]): number[] => frames.map((f) => f.frameNo);

/** Feeds packets in order, numbering frames from 1; null leaves a frame number out (a frame of another flow). */
function link(packets: ([PppSide, number, Uint8Array] | null)[], ppp = new PppNegotiation()): PppNegotiation {
  packets.forEach((packet, i) => {
    if (packet === null) return;
    const [from, protocol, bytes] = packet;
    // Place the packet at an offset in a larger buffer, as the decoder's views are.
    const buf = Buffer.concat([Buffer.alloc(3, 0xee), bytes, Buffer.alloc(2, 0xee)]);
    ppp.frame(from, protocol, buf, 3, bytes.length, at(i + 1));
  });
  return ppp;
}

const PEER_CHALLENGE = Buffer.alloc(16, 0x22);
const NT_RESPONSE = Buffer.alloc(24, 0x33);
const CHALLENGE = Buffer.alloc(16, 0x44);

describe("a PPTP-like negotiation that succeeds: LCP, MS-CHAPv2, CCP/MPPE, IPCP with a Nak'd address", () => {
  const ppp = link([
    // 1: code 1, id 1, length 15; option 3 length 5 CHAP (c223) algorithm 0x81; option 5 length 6 magic 0x11111111
    ["server", LCP, hex("01 01 000f", "03 05 c223 81", "05 06 11111111")],
    [
      "client",
      LCP,
      configurePacket(REQ, 1, [
        lcpOption.mru(1400),
        lcpOption.magicNumber(0x22222222),
        lcpOption.protocolFieldCompression(),
        lcpOption.addressControlFieldCompression(),
      ]),
    ],
    [
      "client",
      LCP,
      configurePacket(ACK, 1, [lcpOption.authChap(ChapAlgorithm.MsChapV2), lcpOption.magicNumber(0x11111111)]),
    ],
    [
      "server",
      LCP,
      configurePacket(ACK, 1, [
        lcpOption.mru(1400),
        lcpOption.magicNumber(0x22222222),
        lcpOption.protocolFieldCompression(),
        lcpOption.addressControlFieldCompression(),
      ]),
    ],
    ["server", CHAP, chapValue(1, 7, CHALLENGE, "pptpd")],
    [
      "client",
      CHAP,
      chapValue(2, 7, msChapV2ResponseValue({ peerChallenge: PEER_CHALLENGE, ntResponse: NT_RESPONSE }), "alice"),
    ],
    ["server", CHAP, chapResult(3, 7, msChapV2SuccessMessage(Buffer.alloc(20, 0xab), "Access granted"))],
    ["server", CCP, configurePacket(REQ, 1, [ccpOption.mppe(0x01000040)])],
    ["client", CCP, configurePacket(REQ, 1, [ccpOption.mppe(0x01000040)])],
    ["client", CCP, configurePacket(ACK, 1, [ccpOption.mppe(0x01000040)])],
    ["server", CCP, configurePacket(ACK, 1, [ccpOption.mppe(0x01000040)])],
    ["server", IPCP, configurePacket(REQ, 1, [ipcpOption.ipAddress("10.0.0.1")])],
    ["client", IPCP, configurePacket(REQ, 1, [ipcpOption.ipAddress("0.0.0.0"), ipcpOption.primaryDns("0.0.0.0")])],
    ["client", IPCP, configurePacket(ACK, 1, [ipcpOption.ipAddress("10.0.0.1")])],
    ["server", IPCP, configurePacket(NAK, 1, [ipcpOption.ipAddress("10.0.0.5"), ipcpOption.primaryDns("10.0.0.53")])],
    ["client", IPCP, configurePacket(REQ, 2, [ipcpOption.ipAddress("10.0.0.5"), ipcpOption.primaryDns("10.0.0.53")])],
    ["server", IPCP, configurePacket(ACK, 2, [ipcpOption.ipAddress("10.0.0.5"), ipcpOption.primaryDns("10.0.0.53")])],
    ["client", 0x00fd, hex("0001 deadbeef")],
    ["server", 0x00fd, hex("0001 cafe")],
    ["client", 0x0021, hex("4500")],
  ]);
  const s = ppp.summary();

  it("LCP opens at the second Ack (frame 4); the server asked for MS-CHAPv2 and it was Acked", () => {
    expect(s.lcp.state).toBe("opened");
    expect(s.lcp.failure).toBeNull();
    expect(s.lcp.opened?.frameNo).toBe(4);
    expect(s.lcp.authRequested.server).toEqual({
      asked: ["MS-CHAPv2"],
      requested: "MS-CHAPv2",
      request: at(1),
      answer: "acked",
      answerFrame: at(3),
      suggested: [],
      acked: "MS-CHAPv2",
    });
    expect(s.lcp.authRequested.client).toBeNull();
    expect(s.lcp.mru).toEqual({ client: 1400, server: null });
    expect(s.lcp.magic).toEqual({ client: 0x22222222, server: 0x11111111, looped: false });
    expect(s.lcp.compression).toEqual({ client: { pfc: true, acfc: true }, server: { pfc: false, acfc: false } });
    expect(s.lcp.directions.server).toMatchObject({
      requests: 1,
      retransmissions: 0,
      unanswered: 0,
      lastAnswer: "ack",
    });
    expect(s.lcp.directions.server.acked?.options).toEqual([
      { type: 3, name: "Authentication-Protocol", value: "MS-CHAPv2" },
      { type: 5, name: "Magic-Number", value: "0x11111111" },
    ]);
  });

  it("authentication: MS-CHAPv2, peer alice, success with the server's message", () => {
    expect(s.auth).toMatchObject({
      authenticator: "server",
      protocol: "MS-CHAPv2",
      peerName: "alice",
      authenticatorName: "pptpd",
      result: "success",
      successes: 1,
      failures: 0,
    });
    expect(s.auth.detail).toEqual({
      frame: at(7),
      text: `S=${"AB".repeat(20)} M=Access granted`,
      msChapFailure: null,
    });
    expect(s.auth.frames).toEqual({ challenge: [at(5)], response: [at(6)], result: [at(7)] });
    expect(s.authOfServer).toMatchObject({ authenticator: "client", protocol: null, result: "not-seen" });
  });

  it("CCP opens at frame 11 with MPPE 0x01000040 (H stateless + S 128-bit) both ways", () => {
    expect(s.ccp.state).toBe("opened");
    expect(s.ccp.opened?.frameNo).toBe(11);
    const word = { bits: 0x01000040, hex: "0x01000040", names: ["H stateless", "S 128-bit"] };
    expect(s.ccp.mppe).toEqual({
      client: { requested: word, suggested: null, acked: word, rejected: null },
      server: { requested: word, suggested: null, acked: word, rejected: null },
      agreed: word,
      encryptionMismatch: false,
    });
  });

  it("IPCP: the client asked for 0.0.0.0 and got 10.0.0.5 from the server's Nak (frame 15), Acked in 17", () => {
    expect(s.ipcp.state).toBe("opened");
    expect(s.ipcp.opened?.frameNo).toBe(17);
    expect(s.ipcp.client).toBe("10.0.0.5");
    expect(s.ipcp.server).toBe("10.0.0.1");
    expect(s.ipcp.assigned).toEqual([
      {
        side: "client",
        address: "10.0.0.5",
        assignedBy: "server",
        nak: at(15),
        request: at(16),
        ack: at(17),
        firstRequested: "0.0.0.0",
      },
      {
        side: "server",
        address: "10.0.0.1",
        assignedBy: "server",
        nak: null,
        request: at(12),
        ack: at(14),
        firstRequested: "10.0.0.1",
      },
    ]);
    expect(s.ipcp.dns).toEqual(["10.0.0.53"]);
    expect(s.ipcp.nbns).toEqual([]);
    expect(s.ipcp.directions.client).toMatchObject({
      requests: 2,
      retransmissions: 0,
      unanswered: 0,
      lastAnswer: "ack",
    });
    expect(s.ipcp.directions.client.naks).toEqual([
      { type: 3, name: "IP-Address", count: 1, sinceAck: 0, last: "10.0.0.5", lastFrame: at(15), frames: [at(15)] },
      {
        type: 129,
        name: "Primary-DNS-Address",
        count: 1,
        sinceAck: 0,
        last: "10.0.0.53",
        lastFrame: at(15),
        frames: [at(15)],
      },
    ]);
  });

  it("IPV6CP not seen; nothing malformed", () => {
    expect(s.ipv6cp).toMatchObject({ state: "not-seen", client: null, server: null, directions: { client: { requests: 0 }, server: { requests: 0 } } });
    expect(s.malformed).toEqual({ count: 0, packets: [], truncated: false });
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
});

describe("LCP requests without an answer", () => {
  const request = (id: number) => configurePacket(REQ, id, [lcpOption.mru(1400), lcpOption.magicNumber(0x0c6f3548)]);

  it("three sends of one request (same id) and silence: 2 retransmissions, 1 unanswered, incomplete", () => {
    const s = link([
      ["client", LCP, request(1)],
      ["client", LCP, request(1)],
      ["client", LCP, request(1)],
    ]).summary();
    expect(s.lcp.state).toBe("incomplete");
    expect(s.lcp.directions.client).toMatchObject({
      requests: 3,
      retransmissions: 2,
      unanswered: 1,
      requestsSinceAnswer: 3,
      peerActiveAfter: false,
      firstRequest: at(1),
      lastRequest: at(3),
      lastAnswer: "none",
    });
  });

  it("new identifiers with the same options are retransmissions too; MAX_CONFIGURE of them mean the sender gave up", () => {
    const sends = Array.from(
      { length: MAX_CONFIGURE },
      (_, i) => ["client", LCP, request(i + 1)] as [PppSide, number, Buffer],
    );
    const s = link(sends).summary();
    expect(s.lcp.directions.client).toMatchObject({
      requests: 10,
      retransmissions: 9,
      unanswered: 1,
      requestsSinceAnswer: 10,
    });
    expect(s.lcp.state).toBe("failed");
    expect(s.lcp.failure).toEqual({ reason: "unanswered", side: "client", detail: null, frames: [at(1), at(10)] });
  });

  describe("a re-send under a new identifier is a retransmission only when its options field has the same bytes", () => {
    /** Requests 1 and 2 of the client, unanswered: a retransmission, or two requests (the first superseded). */
    const resent = (first: Buffer, second: Buffer) =>
      link([
        ["client", LCP, first],
        ["client", LCP, second],
      ]).summary().lcp.directions.client;

    it("one option value differs (MRU 1400 / 1500): two requests", () => {
      const other = configurePacket(REQ, 2, [lcpOption.mru(1500), lcpOption.magicNumber(0x0c6f3548)]);
      expect(resent(request(1), other)).toMatchObject({ requests: 2, retransmissions: 0, unanswered: 2 });
    });

    it("the same options in another order: two requests", () => {
      const swapped = configurePacket(REQ, 2, [lcpOption.magicNumber(0x0c6f3548), lcpOption.mru(1400)]);
      expect(resent(request(1), swapped)).toMatchObject({ requests: 2, retransmissions: 0, unanswered: 2 });
    });

    it("the same options and a stray byte after them (a malformed list): two requests", () => {
      // Length 15 = header 4 + MRU option 4 + Magic-Number option 6 + 1 byte that is no option
      const stray = hex("01 02 000f", "01 04 0578", "05 06 0c6f3548", "00");
      expect(resent(request(1), stray)).toMatchObject({ requests: 2, retransmissions: 0, unanswered: 2 });
    });

    it("the same cut request twice (Length 20, 14 bytes present; the Magic-Number cut): a retransmission", () => {
      // option 5 says Length 6 but 2 of its value bytes are missing: the same bytes under identifiers 1 and 2
      const cut = (id: number) => hex(`01 ${id.toString(16).padStart(2, "0")} 0014`, "01 04 0578", "05 06 0c6f");
      expect(resent(cut(1), cut(2))).toMatchObject({ requests: 2, retransmissions: 1, unanswered: 1 });
    });

    it("a cut request and a whole one with its bytes as far as the cut: two requests", () => {
      const cut = hex("01 01 0014", "01 04 0578", "05 06 0c6f");
      expect(resent(cut, request(2))).toMatchObject({ requests: 2, retransmissions: 0, unanswered: 2 });
    });
  });

  it("requests ignored while the peer sends its own: failed 'ignored'", () => {
    const s = link([
      ["client", LCP, request(1)],
      ["server", LCP, configurePacket(REQ, 9, [lcpOption.authPap()])],
      ["client", LCP, request(1)],
      ["server", LCP, configurePacket(REQ, 9, [lcpOption.authPap()])],
    ]).summary();
    expect(s.lcp.state).toBe("failed");
    expect(s.lcp.failure).toEqual({ reason: "ignored", side: "client", detail: null, frames: [at(1), at(3)] });
    expect(s.lcp.directions.client.peerActiveAfter).toBe(true);
    // The server re-sent its own request too, after the client's first one: both are "ignored" facts.
    expect(s.lcp.directions.server).toMatchObject({ requests: 2, retransmissions: 1, peerActiveAfter: true });
  });

  it("requests that cross (each side's first request, no answer yet) are incomplete, not ignored", () => {
    const s = link([
      ["client", LCP, request(1)],
      ["server", LCP, configurePacket(REQ, 9, [lcpOption.authPap()])],
    ]).summary();
    expect(s.lcp.state).toBe("incomplete");
    expect(s.lcp.directions.client.peerActiveAfter).toBe(true);
  });

  it("an answer with an identifier nobody asked with is counted as unmatched, not as an Ack", () => {
    const s = link([
      ["client", LCP, request(1)],
      ["server", LCP, configurePacket(ACK, 2, [lcpOption.mru(1400), lcpOption.magicNumber(0x0c6f3548)])],
    ]).summary();
    expect(s.lcp.directions.client).toMatchObject({ unmatchedAnswers: 1, lastAnswer: "none", acked: null });
  });
});

describe("the authentication protocol refused in LCP", () => {
  const serverAsks = configurePacket(REQ, 1, [
    lcpOption.authChap(ChapAlgorithm.MsChapV2),
    lcpOption.magicNumber(0x01020304),
  ]);

  it("Rejected: LCP failed 'auth-refused' by the client", () => {
    const s = link([
      ["server", LCP, serverAsks],
      ["client", LCP, configurePacket(REJ, 1, [lcpOption.authChap(ChapAlgorithm.MsChapV2)])],
    ]).summary();
    expect(s.lcp.authRequested.server).toEqual({
      asked: ["MS-CHAPv2"],
      requested: "MS-CHAPv2",
      request: at(1),
      answer: "rejected",
      answerFrame: at(2),
      suggested: [],
      acked: null,
    });
    expect(s.lcp.state).toBe("failed");
    expect(s.lcp.failure).toEqual({
      reason: "auth-refused",
      side: "client",
      detail: "MS-CHAPv2 Rejected",
      frames: [at(2)],
    });
    expect(s.auth).toMatchObject({ protocol: null, result: "not-seen" });
  });

  it("Nak'd with PAP suggested, then CHAP-MD5 offered and Nak'd again: the suggestions and both protocols asked are listed", () => {
    const s = link([
      ["server", LCP, serverAsks],
      ["client", LCP, configurePacket(NAK, 1, [lcpOption.authPap()])],
      [
        "server",
        LCP,
        configurePacket(REQ, 2, [lcpOption.authChap(ChapAlgorithm.MD5), lcpOption.magicNumber(0x01020304)]),
      ],
      ["client", LCP, configurePacket(NAK, 2, [lcpOption.authPap()])],
    ]).summary();
    expect(s.lcp.authRequested.server).toEqual({
      asked: ["MS-CHAPv2", "CHAP-MD5"],
      requested: "CHAP-MD5",
      request: at(3),
      answer: "naked",
      answerFrame: at(4),
      suggested: ["PAP"],
      acked: null,
    });
    expect(s.lcp.failure).toMatchObject({ reason: "auth-refused", side: "client", detail: "CHAP-MD5 Nak'd" });
  });

  it("a Nak of another option leaves the authentication option pending, not refused", () => {
    const s = link([
      ["server", LCP, configurePacket(REQ, 1, [lcpOption.mru(1600), lcpOption.authPap()])],
      ["client", LCP, configurePacket(NAK, 1, [lcpOption.mru(1400)])],
    ]).summary();
    expect(s.lcp.authRequested.server?.answer).toBe("pending");
    expect(s.lcp.state).toBe("incomplete");
  });
});

describe("Nak and Reject loops", () => {
  it(`the same option Nak'd ${NAK_LOOP_THRESHOLD} times: failed 'nak-loop' with the option named`, () => {
    const packets: [PppSide, number, Buffer][] = [];
    for (let id = 1; id <= NAK_LOOP_THRESHOLD; id++) {
      packets.push(["client", LCP, configurePacket(REQ, id, [lcpOption.mru(1400)])]);
      packets.push(["server", LCP, configurePacket(NAK, id, [lcpOption.mru(1500)])]);
    }
    const s = link(packets).summary();
    expect(s.lcp.state).toBe("failed");
    expect(s.lcp.failure).toEqual({
      reason: "nak-loop",
      side: "server",
      detail: "Maximum-Receive-Unit",
      frames: [2, 4, 6, 8, 10].map(at),
    });
    expect(s.lcp.directions.client.naks).toEqual([
      {
        type: 1,
        name: "Maximum-Receive-Unit",
        count: 5,
        sinceAck: 5,
        last: "1500",
        lastFrame: at(10),
        frames: [2, 4, 6, 8, 10].map(at),
      },
    ]);
    expect(s.lcp.directions.client).toMatchObject({
      requests: 5,
      retransmissions: 0,
      unanswered: 0,
      lastAnswer: "nak",
    });
  });

  it("one Nak short of the threshold is still incomplete", () => {
    const packets: [PppSide, number, Buffer][] = [];
    for (let id = 1; id < NAK_LOOP_THRESHOLD; id++) {
      packets.push(["client", LCP, configurePacket(REQ, id, [lcpOption.mru(1400)])]);
      packets.push(["server", LCP, configurePacket(NAK, id, [lcpOption.mru(1500)])]);
    }
    expect(link(packets).summary().lcp.state).toBe("incomplete");
  });
});

describe("Terminate-Request", () => {
  it("before LCP opened: failed 'terminated' with the peer's text", () => {
    const s = link([
      ["client", LCP, configurePacket(REQ, 1, [lcpOption.magicNumber(5)])],
      ["server", LCP, terminatePacket(5, 2, "MPPE required but not available")],
      ["client", LCP, terminatePacket(6, 2)],
    ]).summary();
    expect(s.lcp.state).toBe("failed");
    expect(s.lcp.failure).toEqual({
      reason: "terminated",
      side: "server",
      detail: "MPPE required but not available",
      frames: [at(2)],
    });
    expect(s.lcp.terminate).toEqual({
      from: "server",
      text: "MPPE required but not available",
      frame: at(2),
      ack: at(3),
    });
    expect(s.lcp.terminations).toBe(1);
  });

  it("after LCP opened and CCP's MPPE option was rejected: LCP 'closed', the terminate text and CCP's Configure-Reject kept", () => {
    const s = link([
      ["server", LCP, configurePacket(REQ, 1, [lcpOption.magicNumber(1)])],
      ["client", LCP, configurePacket(REQ, 1, [lcpOption.magicNumber(2)])],
      ["client", LCP, configurePacket(ACK, 1, [lcpOption.magicNumber(1)])],
      ["server", LCP, configurePacket(ACK, 1, [lcpOption.magicNumber(2)])],
      ["server", CCP, configurePacket(REQ, 1, [ccpOption.mppe(0x01000040)])],
      ["client", CCP, configurePacket(REJ, 1, [ccpOption.mppe(0x01000040)])],
      ["server", LCP, terminatePacket(5, 3, "MPPE required but not available")],
      ["client", LCP, terminatePacket(6, 3)],
    ]).summary();
    expect(s.lcp.state).toBe("closed");
    expect(s.lcp.failure).toBeNull();
    expect(s.lcp.opened?.frameNo).toBe(4);
    expect(s.lcp.terminate).toEqual({
      from: "server",
      text: "MPPE required but not available",
      frame: at(7),
      ack: at(8),
    });
    expect(s.ccp.state).toBe("incomplete");
    expect(s.ccp.mppe.server.rejected).toEqual(at(6));
    expect(s.ccp.directions.server.rejects).toMatchObject([
      { type: 18, name: "MPPE/MPPC", count: 1, last: "0x01000040 (H stateless, S 128-bit)" },
    ]);
  });

  it("a Terminate-Ack to a Configure-Request (the peer's protocol is closed) answers it", () => {
    const s = link([
      ["client", IPCP, configurePacket(REQ, 7, [ipcpOption.ipAddress("0.0.0.0")])],
      ["server", IPCP, terminatePacket(6, 7)],
    ]).summary();
    expect(s.ipcp.directions.client).toMatchObject({
      lastAnswer: "terminate-ack",
      lastAnswerFrame: at(2),
      unanswered: 0,
    });
    expect(s.ipcp.terminate).toBeNull();
    expect(s.ipcp.state).toBe("incomplete");
  });
});

describe("authentication results", () => {
  it("MS-CHAPv2 failure E=691: the Failure message parsed", () => {
    const failure = msChapFailureMessage({
      error: 691,
      retry: false,
      challenge: Buffer.alloc(16, 0x5a),
      version: 3,
      message: "wrong password",
    });
    expect(failure).toBe(`E=691 R=0 C=${"5A".repeat(16)} V=3 M=wrong password`);
    const s = link([
      ["server", LCP, configurePacket(REQ, 1, [lcpOption.authChap(ChapAlgorithm.MsChapV2)])],
      ["client", LCP, configurePacket(ACK, 1, [lcpOption.authChap(ChapAlgorithm.MsChapV2)])],
      ["server", CHAP, chapValue(1, 9, CHALLENGE, "pptpd")],
      [
        "client",
        CHAP,
        chapValue(2, 9, msChapV2ResponseValue({ peerChallenge: PEER_CHALLENGE, ntResponse: NT_RESPONSE }), "bob"),
      ],
      ["server", CHAP, chapResult(4, 9, failure)],
    ]).summary();
    expect(s.auth).toMatchObject({
      protocol: "MS-CHAPv2",
      peerName: "bob",
      result: "failure",
      successes: 0,
      failures: 1,
    });
    expect(s.auth.detail).toEqual({
      frame: at(5),
      text: failure,
      msChapFailure: {
        error: 691,
        errorName: "ERROR_AUTHENTICATION_FAILURE",
        errorMeaning: "authentication failure (bad user name or password)",
        retry: false,
        challenge: "5A".repeat(16),
        version: 3,
        message: "wrong password",
      },
    });
  });

  it("a retry after an MS-CHAP failure (R=1) that then succeeds: result success, one failure counted", () => {
    const response = chapValue(
      2,
      1,
      msChapV2ResponseValue({ peerChallenge: PEER_CHALLENGE, ntResponse: NT_RESPONSE }),
      "bob",
    );
    const s = link([
      ["server", LCP, configurePacket(REQ, 1, [lcpOption.authChap(ChapAlgorithm.MsChapV2)])],
      ["client", LCP, configurePacket(ACK, 1, [lcpOption.authChap(ChapAlgorithm.MsChapV2)])],
      ["server", CHAP, chapValue(1, 1, CHALLENGE, "pptpd")],
      ["client", CHAP, response],
      ["server", CHAP, chapResult(4, 1, "E=691 R=1 C=00112233445566778899AABBCCDDEEFF V=3 M=try again")],
      ["client", CHAP, response],
      ["server", CHAP, chapResult(3, 1, msChapV2SuccessMessage(Buffer.alloc(20, 1), "ok"))],
    ]).summary();
    expect(s.auth).toMatchObject({ result: "success", successes: 1, failures: 1 });
    expect(s.auth.frames).toEqual({ challenge: [at(3)], response: [at(4), at(6)], result: [at(5), at(7)] });
  });

  it("PAP Authenticate-Nak: failure with the message; the password is not kept", () => {
    const s = link([
      ["server", LCP, configurePacket(REQ, 1, [lcpOption.authPap()])],
      ["client", LCP, configurePacket(ACK, 1, [lcpOption.authPap()])],
      // code 1, id 3, length 4+1+4+1+6 = 16: Peer-ID "ixia", Password "secret"
      [
        "client",
        PAP,
        hex("01 03 0010", "04", Buffer.from("ixia").toString("hex"), "06", Buffer.from("secret").toString("hex")),
      ],
      ["server", PAP, papReply(3, 3, "Login incorrect")],
    ]).summary();
    expect(s.auth).toMatchObject({
      authenticator: "server",
      protocol: "PAP",
      peerName: "ixia",
      result: "failure",
      failures: 1,
    });
    expect(s.auth.detail).toEqual({ frame: at(4), text: "Login incorrect", msChapFailure: null });
    expect(JSON.stringify(s)).not.toContain("secret");
  });

  it("EAP: Identity names the peer, MD5-Challenge is the method, Failure ends it", () => {
    const s = link([
      ["server", LCP, configurePacket(REQ, 1, [lcpOption.authEap()])],
      ["client", LCP, configurePacket(ACK, 1, [lcpOption.authEap()])],
      ["server", EAP, eapPacket(1, 1, 1)],
      ["client", EAP, eapIdentity(2, 1, "carol@example")],
      ["server", EAP, eapMd5Challenge(1, 2, CHALLENGE, "")],
      ["client", EAP, eapMd5Challenge(2, 2, Buffer.alloc(16, 9), "")],
      ["server", EAP, eapPacket(4, 2)],
    ]).summary();
    expect(s.auth).toMatchObject({
      authenticator: "server",
      protocol: "EAP",
      eapMethod: "MD5-Challenge",
      peerName: "carol@example",
      result: "failure",
      detail: { frame: at(7), text: null, msChapFailure: null },
    });
    expect(s.auth.frames).toEqual({ challenge: [at(3), at(5)], response: [at(4), at(6)], result: [at(7)] });
  });

  it("a challenge without a result: 'none'; two-way CHAP fills authOfServer", () => {
    const s = link([
      ["server", CHAP, chapValue(1, 1, CHALLENGE, "R1")],
      ["client", CHAP, chapValue(1, 2, CHALLENGE, "R0")],
      ["server", CHAP, chapValue(2, 2, Buffer.alloc(16, 7), "R1")],
      ["client", CHAP, chapResult(3, 2)],
    ]).summary();
    expect(s.auth).toMatchObject({
      authenticator: "server",
      protocol: "CHAP",
      authenticatorName: "R1",
      peerName: null,
      result: "none",
    });
    expect(s.authOfServer).toMatchObject({
      authenticator: "client",
      protocol: "CHAP",
      authenticatorName: "R0",
      peerName: "R1",
      result: "success",
    });
  });
});

describe("CCP and MPPE", () => {
  it("CCP Protocol-Rejected by the server: failed 'protocol-rejected'", () => {
    const request = configurePacket(REQ, 4, [ccpOption.mppe(0x01000040)]);
    const s = link([
      ["client", CCP, request],
      ["server", LCP, protocolReject(9, CCP, request)],
    ]).summary();
    expect(s.ccp.state).toBe("failed");
    expect(s.ccp.failure).toEqual({ reason: "protocol-rejected", side: "server", detail: null, frames: [at(2)] });
    expect(s.ccp.protocolRejected).toEqual({ by: "server", frame: at(2) });
    expect(s.lcp.protocolRejects).toEqual([{ from: "server", protocol: 0x80fd, name: "CCP", frame: at(2) }]);
  });

  it("no encryption strength in common: S (128-bit) against L (40-bit), the server's Nak suggests L", () => {
    const s = link([
      ["client", CCP, configurePacket(REQ, 1, [ccpOption.mppe(0x01000040)])],
      ["server", CCP, configurePacket(REQ, 1, [ccpOption.mppe(0x01000020)])],
      ["server", CCP, configurePacket(NAK, 1, [ccpOption.mppe(0x01000020)])],
    ]).summary();
    expect(s.ccp.mppe.encryptionMismatch).toBe(true);
    expect(s.ccp.mppe.client).toEqual({
      requested: { bits: 0x01000040, hex: "0x01000040", names: ["H stateless", "S 128-bit"] },
      suggested: { bits: 0x01000020, hex: "0x01000020", names: ["H stateless", "L 40-bit"] },
      acked: null,
      rejected: null,
    });
    expect(s.ccp.mppe.agreed).toBeNull();
    expect(s.ccp.state).toBe("incomplete");
  });

  it("a common bit is no mismatch: S+L against L", () => {
    const s = link([
      ["client", CCP, configurePacket(REQ, 1, [ccpOption.mppe(0x01000060)])],
      ["server", CCP, configurePacket(REQ, 1, [ccpOption.mppe(0x01000020)])],
    ]).summary();
    expect(s.ccp.mppe.encryptionMismatch).toBe(false);
  });
});

describe("IPCP and IPV6CP", () => {
  it("Configure-Reject of the client's IP-Address", () => {
    const s = link([
      ["client", IPCP, configurePacket(REQ, 1, [ipcpOption.ipAddress("0.0.0.0")])],
      ["server", IPCP, configurePacket(REJ, 1, [ipcpOption.ipAddress("0.0.0.0")])],
    ]).summary();
    expect(s.ipcp.addressRejected).toEqual({ client: at(2), server: null });
    expect(s.ipcp.directions.client).toMatchObject({ lastAnswer: "reject", lastAnswerFrame: at(2) });
    expect(s.ipcp.client).toBeNull();
    expect(s.ipcp.assigned).toEqual([]);
  });

  it("an address the side chose itself and got Acked is assigned by itself; NBNS Acked", () => {
    const s = link([
      [
        "client",
        IPCP,
        configurePacket(REQ, 1, [ipcpOption.ipAddress("192.0.2.7"), ipcpOption.primaryNbns("192.0.2.9")]),
      ],
      [
        "server",
        IPCP,
        configurePacket(ACK, 1, [ipcpOption.ipAddress("192.0.2.7"), ipcpOption.primaryNbns("192.0.2.9")]),
      ],
    ]).summary();
    expect(s.ipcp.assigned).toEqual([
      {
        side: "client",
        address: "192.0.2.7",
        assignedBy: "client",
        nak: null,
        request: at(1),
        ack: at(2),
        firstRequested: "192.0.2.7",
      },
    ]);
    expect(s.ipcp.nbns).toEqual(["192.0.2.9"]);
    expect(s.ipcp.state).toBe("incomplete");
  });

  it("IPV6CP Protocol-Rejected; its interface identifiers when Acked", () => {
    const request = hex("01 05 000e", "01 0a 0011223344556677"); // Configure-Request id 5, Interface-Identifier
    const rejected = link([
      ["client", IPV6CP, request],
      ["server", LCP, protocolReject(1, IPV6CP, request)],
    ]).summary();
    expect(rejected.ipv6cp).toMatchObject({
      state: "failed",
      failure: { reason: "protocol-rejected", side: "server" },
    });
    const acked = link([
      ["client", IPV6CP, request],
      ["server", IPV6CP, hex("02 05 000e", "01 0a 0011223344556677")],
    ]).summary();
    expect(acked.ipv6cp).toMatchObject({ client: "0011223344556677", server: null, state: "incomplete" });
  });
});

describe("LCP echoes, magic numbers, other protocols", () => {
  it("Echo-Requests paired by identifier; one unanswered though the client went on sending", () => {
    const s = link([
      ["server", LCP, echoPacket(9, 1, 0x11111111)],
      ["client", LCP, echoPacket(10, 1, 0x22222222)],
      ["server", LCP, echoPacket(9, 2, 0x11111111)],
      ["client", 0x0021, hex("4500")],
      ["client", 0x0021, hex("4500")],
      ["client", LCP, echoPacket(10, 77, 0x22222222)],
    ]).summary();
    expect(s.lcp.echo.server).toEqual({
      requests: 2,
      replies: 1,
      unanswered: 1,
      unansweredFrames: [{ frame: at(3), peerActiveAfter: true, secondsToLinkEnd: 3 }],
      unmatchedReplies: 1,
    });
    expect(s.lcp.echo.client).toMatchObject({ requests: 0, replies: 0, unanswered: 0 });
    expect(s.lcp.directions.client.requests).toBe(0); // echoes are not negotiation
    expect(s.lcp.state).toBe("incomplete");
  });

  it("an Echo-Request identifier reused before a reply counts the first as unanswered", () => {
    const s = link([
      ["client", LCP, echoPacket(9, 4, 1)],
      ["client", LCP, echoPacket(9, 4, 1)],
      ["server", LCP, echoPacket(10, 4, 2)],
    ]).summary();
    expect(s.lcp.echo.client).toMatchObject({ requests: 2, replies: 1, unanswered: 1 });
    expect(s.lcp.echo.client.unansweredFrames).toEqual([{ frame: at(1), peerActiveAfter: true, secondsToLinkEnd: 2 }]);
  });

  it("equal magic numbers on both sides: a looped-back link", () => {
    const request = configurePacket(REQ, 1, [lcpOption.magicNumber(0x5f5f5f5f)]);
    const s = link([
      ["client", LCP, request],
      ["server", LCP, request],
    ]).summary();
    expect(s.lcp.magic).toEqual({ client: 0x5f5f5f5f, server: 0x5f5f5f5f, looped: true });
  });

  it("control protocols not followed (CDPCP, CBCP) leave every followed one not seen", () => {
    const s = link([
      ["client", 0x8207, hex("01 01 0004")],
      ["server", 0x8207, hex("01 01 0004")],
      ["server", 0xc029, hex("01 01 0004")],
    ]).summary();
    for (const protocol of [s.lcp, s.ipcp, s.ccp, s.ipv6cp]) expect(protocol.state).toBe("not-seen");
    expect(s.malformed.count).toBe(0);
  });
});

describe("malformed packets and limits", () => {
  it("a cut LCP packet and a wrong-size MS-CHAPv2 challenge are counted with their reasons", () => {
    const s = link([
      ["server", LCP, configurePacket(REQ, 1, [lcpOption.authChap(ChapAlgorithm.MsChapV2)])],
      ["client", LCP, configurePacket(ACK, 1, [lcpOption.authChap(ChapAlgorithm.MsChapV2)])],
      // code 1, id 2, Length 20 but only 8 bytes present
      ["client", LCP, hex("01 02 0014", "01 04 05dc")],
      // MS-CHAPv2 wants a 16-byte challenge (RFC 2759 §3); this one has 8: only known from LCP's algorithm
      ["server", CHAP, chapValue(1, 1, Buffer.alloc(8, 1), "pptpd")],
      ["client", LCP, hex("09")],
    ]).summary();
    expect(s.malformed).toEqual({
      count: 3,
      packets: [
        { frame: at(3), from: "client", protocol: "LCP", reason: "Length 20 but only 8 bytes present" },
        { frame: at(4), from: "server", protocol: "CHAP", reason: "the MS-CHAPv2 challenge must be 16 bytes, got 8" },
        { frame: at(5), from: "client", protocol: "LCP", reason: "only 1 bytes, the header needs 4" },
      ],
      truncated: false,
    });
    // The cut request still counts as the client's request, decoded as far as it goes.
    expect(s.lcp.directions.client).toMatchObject({ requests: 1, lastRequest: at(3) });
  });

  it(`malformed packets beyond ${MAX_FRAMES_LISTED} are counted, not listed`, () => {
    const ppp = new PppNegotiation();
    const packets: [PppSide, number, Buffer][] = [];
    for (let id = 0; id < 10; id++)
      packets.push(["client", IPCP, configurePacket(REQ, id, [ipcpOption.ipAddress(`10.0.0.${id}`)])]);
    for (let i = 0; i < MAX_FRAMES_LISTED + 2; i++) packets.push(["server", CCP, hex("01 01 00ff")]);
    const s = link(packets, ppp).summary();
    expect(s.ipcp.directions.client).toMatchObject({ requests: 10, retransmissions: 0, unanswered: 10 });
    expect(s.malformed.count).toBe(MAX_FRAMES_LISTED + 2);
    expect(s.malformed.packets).toHaveLength(MAX_FRAMES_LISTED);
    expect(s.malformed.truncated).toBe(true);
  });
});

describe("bounded tables and copied views", () => {
  /** `count` IPCP Configure-Requests from the client, identifiers 1..count, each asking for another address. */
  const ipcpRequests = (count: number): [PppSide, number, Buffer][] =>
    Array.from({ length: count }, (_, i) => ["client", IPCP, configurePacket(REQ, i + 1, [ipcpOption.ipAddress(`10.0.0.${i + 1}`)])]);

  it(`remembers the exchanges of the last ${MAX_EXCHANGES_REMEMBERED} identifiers per side: an answer to an older one is unmatched`, () => {
    expect(MAX_EXCHANGES_REMEMBERED).toBe(16);
    // 18 requests: identifiers 1 and 2 are forgotten, 3..18 remembered
    const packets = ipcpRequests(18);
    packets.push(["server", IPCP, configurePacket(NAK, 3, [ipcpOption.ipAddress("10.9.9.9")])]);
    packets.push(["server", IPCP, configurePacket(ACK, 2, [ipcpOption.ipAddress("10.0.0.2")])]);
    const s = link(packets).summary();
    // the Nak of 3 found its request; the Ack of 2 did not, so nothing was Acked
    expect(s.ipcp.directions.client).toMatchObject({ requests: 18, unmatchedAnswers: 1, acked: null });
    expect(s.ipcp.directions.client.naks).toMatchObject([{ name: "IP-Address", count: 1, last: "10.9.9.9", lastFrame: at(19) }]);
    expect(s.ipcp.state).not.toBe("opened");
    expect(s.limits).toEqual({ exchangesForgotten: 2, answersToForgotten: 1, optionsOmitted: 0, packetsWithOptionsOmitted: 0 });
  });

  it("a forgotten identifier used again by a new request is remembered again", () => {
    // 17 requests forget identifier 1; a new request under identifier 1 is Acked
    const packets = ipcpRequests(17);
    packets.push(["client", IPCP, configurePacket(REQ, 1, [ipcpOption.ipAddress("10.0.1.1")])]);
    packets.push(["server", IPCP, configurePacket(ACK, 1, [ipcpOption.ipAddress("10.0.1.1")])]);
    const s = link(packets).summary();
    expect(s.ipcp.directions.client).toMatchObject({ unmatchedAnswers: 0, acked: { request: at(18), ack: at(19) } });
    // the re-used identifier pushed out identifier 2
    expect(s.limits).toMatchObject({ exchangesForgotten: 2, answersToForgotten: 0 });
  });

  it("a remembered identifier used again moves to the newest place: nothing is forgotten for it, the next-oldest goes next", () => {
    // 16 requests fill the table; a new request under identifier 1 (frame 17) forgets nothing,
    // identifier 17 (frame 18) then forgets identifier 2, the oldest left
    const packets = ipcpRequests(MAX_EXCHANGES_REMEMBERED);
    packets.push(["client", IPCP, configurePacket(REQ, 1, [ipcpOption.ipAddress("10.0.1.1")])]);
    packets.push(["client", IPCP, configurePacket(REQ, 17, [ipcpOption.ipAddress("10.0.0.17")])]);
    packets.push(["server", IPCP, configurePacket(ACK, 2, [ipcpOption.ipAddress("10.0.0.2")])]); // 19: forgotten
    packets.push(["server", IPCP, configurePacket(NAK, 1, [ipcpOption.ipAddress("10.9.9.9")])]); // 20: frame 17's
    const s = link(packets).summary();
    expect(s.limits).toMatchObject({ exchangesForgotten: 1, answersToForgotten: 1 });
    expect(s.ipcp.directions.client).toMatchObject({ requests: 18, unmatchedAnswers: 1, acked: null });
    expect(s.ipcp.directions.client.naks).toMatchObject([{ count: 1, last: "10.9.9.9", lastFrame: at(20) }]);
  });

  it("a re-send under a new identifier takes a place of its own, as each identifier can be answered", () => {
    // the same options three times (a retransmission, RFC 1661 §4.6) under 3 identifiers, then 14 new requests
    const same = configurePacket(REQ, 1, [ipcpOption.ipAddress("10.0.0.1")]);
    const packets: [PppSide, number, Buffer][] = [1, 2, 3].map((id) => ["client", IPCP, Buffer.from([...same.subarray(0, 1), id, ...same.subarray(2)])]);
    for (let id = 4; id <= 17; id++) packets.push(["client", IPCP, configurePacket(REQ, id, [ipcpOption.ipAddress(`10.0.0.${id}`)])]);
    const s = link(packets).summary();
    expect(s.ipcp.directions.client).toMatchObject({ requests: 17, retransmissions: 2 });
    expect(s.limits.exchangesForgotten).toBe(1);
  });

  it(`options beyond MAX_OPTIONS (${MAX_OPTIONS}) in a packet are counted in limits, not decoded`, () => {
    const options = Array.from({ length: MAX_OPTIONS + 5 }, (_, i) => lcpOption.magicNumber(i + 1));
    const s = link([
      ["client", LCP, configurePacket(REQ, 1, options)],
      ["client", LCP, configurePacket(REQ, 2, options.slice(0, 3))],
    ]).summary();
    expect(s.limits).toEqual({ exchangesForgotten: 0, answersToForgotten: 0, optionsOmitted: 5, packetsWithOptionsOmitted: 1 });
    expect(s.malformed.packets).toEqual([{ frame: at(1), from: "client", protocol: "LCP", reason: `more than ${MAX_OPTIONS} options` }]);
  });

  it("the 'nothing of this kind' parts are shared by links and frozen, so no reader can change them for another", () => {
    const ipcpRequest = (address: string): [PppSide, number, Buffer] => [
      "client",
      IPCP,
      configurePacket(REQ, 1, [ipcpOption.ipAddress(address)]),
    ];
    const a = link([ipcpRequest("10.0.0.1")]).summary();
    const b = link([ipcpRequest("10.0.0.2")]).summary();
    expect(a.malformed).toEqual({ count: 0, packets: [], truncated: false });
    expect(a.limits).toEqual({ exchangesForgotten: 0, answersToForgotten: 0, optionsOmitted: 0, packetsWithOptionsOmitted: 0 });
    expect(a.ipcp.addressRejected).toEqual({ client: null, server: null });
    expect(a.lcp.echo.server).toEqual({ requests: 0, replies: 0, unanswered: 0, unansweredFrames: [], unmatchedReplies: 0 });
    for (const part of ["malformed", "limits"] as const) expect(a[part]).toBe(b[part]);
    expect(a.ipcp.addressRejected).toBe(b.ipcp.addressRejected);
    expect(a.lcp.echo.server).toBe(b.lcp.echo.server);
    expect(() => {
      (a.malformed as { count: number }).count = 1;
    }).toThrow(TypeError);
    expect(b.malformed.count).toBe(0);
  });

  it("a summary is a snapshot: frames after it change nothing in it, though the link's lists grow", () => {
    const ppp = link([
      ["client", IPCP, configurePacket(REQ, 1, [ipcpOption.ipAddress("0.0.0.0")])],
      ["server", IPCP, configurePacket(NAK, 1, [ipcpOption.ipAddress("10.0.0.5")])],
      ["server", CHAP, chapValue(1, 7, CHALLENGE, "pptpd")],
      ["server", LCP, terminatePacket(5, 2, "bye")],
    ]);
    const before = ppp.summary();
    const asTaken = structuredClone(before);
    link(
      [
        null,
        null,
        null,
        null,
        ["client", LCP, terminatePacket(6, 2)], // 5: the Terminate-Ack
        ["client", IPCP, configurePacket(REQ, 2, [ipcpOption.ipAddress("0.0.0.0")])],
        ["server", IPCP, configurePacket(NAK, 2, [ipcpOption.ipAddress("10.0.0.6")])], // 7: a second Nak
        ["server", CHAP, chapValue(1, 8, CHALLENGE, "pptpd")], // 8: a second challenge
      ],
      ppp,
    );
    expect(before).toEqual(asTaken);
    const after = ppp.summary();
    expect(after.lcp.terminate?.ack).toEqual(at(5));
    expect(after.ipcp.directions.client.naks[0]).toMatchObject({ count: 2, last: "10.0.0.6", frames: [at(2), at(7)] });
    expect(nos(after.auth.frames.challenge)).toEqual([3, 8]);
    expect(before.lcp.terminate?.ack).toBeNull();
    expect(before.ipcp.directions.client.naks[0]).toMatchObject({ count: 1, last: "10.0.0.5", frames: [at(2)] });
    expect(nos(before.auth.frames.challenge)).toEqual([3]);
  });

  it("what is kept is copied: overwriting the frame buffer afterwards changes nothing", () => {
    const ppp = new PppNegotiation();
    const buf = configurePacket(REQ, 1, [ipcpOption.ipAddress("10.1.2.3")]);
    ppp.frame("client", IPCP, buf, 0, buf.length, at(1));
    const ack = configurePacket(ACK, 1, [ipcpOption.ipAddress("10.1.2.3")]);
    ppp.frame("server", IPCP, ack, 0, ack.length, at(2));
    const chap = chapValue(1, 1, CHALLENGE, "pptpd");
    ppp.frame("server", CHAP, chap, 0, chap.length, at(3));
    const before = JSON.stringify(ppp.summary());
    buf.fill(0xff);
    ack.fill(0xff);
    chap.fill(0x41);
    expect(JSON.stringify(ppp.summary())).toBe(before);
    expect(before).toContain("10.1.2.3");
    expect(before).toContain("pptpd");
  });
});

const DIR = PUBLIC_CAPTURES;
if (!hasPublicCaptures) console.log(`${DIR} is absent: skipping the PPP negotiation tests on public captures`);

/** Every GRE PPP frame of the capture, client side = packets from `client`. */
async function negotiationOf(file: string, client: string): Promise<PppNegotiation> {
  const decoder = new Decoder();
  const ppp = new PppNegotiation();
  await readCaptureSet([DIR + file], (frame) => {
    if (decoder.decode(frame) !== PacketKind.Gre) return;
    const p = decoder.packet;
    if (p.pppProtocol < 0) return;
    const origin = { fileIndex: frame.fileIndex, frameNo: frame.frameNo, tsSec: frame.tsSec, tsNsec: frame.tsNsec };
    ppp.frame(
      sourceAddress(p) === client ? "client" : "server",
      p.pppProtocol,
      p.buf,
      p.pppOffset,
      p.pppLength,
      origin,
    );
  });
  return ppp;
}

describe.skipIf(!hasPublicCaptures)("public captures (facts from MANIFEST.md)", () => {
  it("john-pptp-mschapv2-lulu.pcap: LCP, MS-CHAPv2 'lulu', CCP MPPE 0x01000040, IPV6CP rejected, IPCP 192.168.2.234", async () => {
    const s = (await negotiationOf("john-pptp-mschapv2-lulu.pcap", "192.168.2.5")).summary();
    // LCP: server f15 unanswered, re-sent f25 (same identifier) and Acked f26; client f17 Rejected f18, f19 Acked f20.
    expect(s.lcp.state).toBe("opened");
    expect(s.lcp.opened?.frameNo).toBe(26);
    expect(s.lcp.directions.server).toMatchObject({ requests: 2, retransmissions: 1, unanswered: 0 });
    expect(nos([s.lcp.directions.server.firstRequest!, s.lcp.directions.server.acked!.ack])).toEqual([15, 26]);
    expect(s.lcp.directions.client.rejects.map((r) => [r.name, r.lastFrame.frameNo])).toEqual([["Callback", 18]]);
    expect(s.lcp.directions.client.acked?.ack.frameNo).toBe(20);
    expect(s.lcp.authRequested.server).toMatchObject({ asked: ["MS-CHAPv2"], answer: "acked", acked: "MS-CHAPv2" });
    expect(s.lcp.echo.server).toMatchObject({ requests: 1, replies: 1, unanswered: 0 });

    expect(s.auth).toMatchObject({
      protocol: "MS-CHAPv2",
      peerName: "lulu",
      authenticatorName: "pptpd",
      result: "success",
    });
    expect(s.auth.detail?.text).toBe("S=460874E1CADF35FBD9F6E80C01A1ADC5746F0B6A M=Access granted");
    expect([s.auth.frames.challenge, s.auth.frames.response, s.auth.frames.result].map(nos)).toEqual([
      [28],
      [35],
      [36],
    ]);

    expect(s.ccp.state).toBe("opened");
    expect(s.ccp.mppe.agreed?.hex).toBe("0x01000040");
    expect(nos([s.ccp.directions.server.firstRequest!, s.ccp.directions.client.firstRequest!])).toEqual([37, 40]);

    expect(s.ipv6cp.state).toBe("failed");
    expect(s.ipv6cp.protocolRejected).toMatchObject({ by: "server", frame: { frameNo: 39 } });

    // IPCP: f42 answered by Terminate-Ack f43; server f45/f46; client f48 Rejected f49, f50 Nak'd f51, f52 Acked f53.
    expect(s.ipcp.state).toBe("opened");
    expect(s.ipcp.client).toBe("192.168.2.234");
    expect(s.ipcp.server).toBe("192.168.2.2");
    const client = s.ipcp.assigned.find((a) => a.side === "client");
    expect(client).toMatchObject({ address: "192.168.2.234", assignedBy: "server", firstRequested: "0.0.0.0" });
    expect(nos([client!.nak!, client!.request, client!.ack])).toEqual([51, 52, 53]);
    expect(s.ipcp.directions.client).toMatchObject({ requests: 4, retransmissions: 0, unanswered: 0 });
    expect(s.ipcp.directions.client.rejects.map((r) => r.type)).toEqual([129, 130, 131, 132]);

    expect(s.malformed.count).toBe(0);
  });

  it("netwiz-pptp-negotiation-pap.pcap: PAP 'ixia' Acked, IPCP client 17.1.1.122 (Nak f22, Ack f24), server 17.1.1.118", async () => {
    const s = (await negotiationOf("netwiz-pptp-negotiation-pap.pcap", "20.0.0.2")).summary();
    expect(s.lcp.state).toBe("opened");
    expect(s.lcp.authRequested.server).toMatchObject({ asked: ["PAP"], answer: "acked", answerFrame: { frameNo: 14 } });
    expect(s.auth).toMatchObject({ protocol: "PAP", peerName: "ixia", result: "success" });
    expect(nos(s.auth.frames.response)).toEqual([17]);
    expect(nos(s.auth.frames.result)).toEqual([18]);
    expect(s.ipcp.state).toBe("opened");
    expect(s.ipcp.client).toBe("17.1.1.122");
    expect(s.ipcp.server).toBe("17.1.1.118");
    const client = s.ipcp.assigned.find((a) => a.side === "client");
    expect(client).toMatchObject({ assignedBy: "server", nak: { frameNo: 22 }, ack: { frameNo: 24 } });
  });
});
