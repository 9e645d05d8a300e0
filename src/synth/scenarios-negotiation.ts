/**
 * Scenarios where the peer answers but says no: the control connection or the call
 * refused, authentication failed, LCP, IPCP or CCP refused, keep-alives unanswered. Each
 * is scripted as a client-side capture with fixed times from the steps below; the frame
 * numbers the tests cite follow from the scripts, and each function's comment lists them.
 *
 * Addresses: the client 192.0.2.10 dials 198.51.100.1 (documentation ranges, RFC 5737);
 * inside the tunnel the server is 10.8.0.1 and gives the client 10.8.0.2.
 */
import { ControlCode as Code } from "../decode/ppp/control-packet.js";
import { LinkType } from "../decode/linktypes.js";
import { ChapAlgorithm, PppProtocol } from "../decode/ppp/protocols.js";
import { PptpMessageType as Msg } from "../decode/pptp.js";
import { LINK_TYPE_OF_FRAMING, PptpConversation, type ConversationOptions, type Side } from "./conversation.js";
import type { Fixture, FixtureExpectation } from "./fixtures.js";
import { type SynthRecord, writePcap } from "./pcap-writer.js";
import {
  ccpOption,
  chapResult,
  chapValue,
  configurePacket,
  echoPacket,
  ipcpOption,
  lcpOption,
  msChapFailureMessage,
  msChapV2ResponseValue,
  msChapV2SuccessMessage,
  papReply,
  papRequest,
  protocolReject,
  terminatePacket,
} from "./ppp-control.js";
import { PppDirection, ppp, pppWithDirection } from "./ppp.js";
import { internetChecksum } from "./checksum.js";
import { ipPayload } from "./ip-payload.js";
import { ipv4 } from "./ipv4.js";
import { SeededRandom } from "./random.js";
import { outgoingCall, startControlConnection } from "./sessions.js";

/** 2024-03-01T09:00:00Z, the start of every scenario. */
const START_SEC = 1709283600;

export const NEGOTIATION_ADDRESSES = {
  client: "192.0.2.10",
  /** The address the client dials, which also answers. */
  server: "198.51.100.1",
  /** Inside the tunnel (IPCP). */
  serverTunnel: "10.8.0.1",
  clientTunnel: "10.8.0.2",
} as const;

export const NEGOTIATION_CALL_IDS = { client: 0x3a10, server: 0x5001 } as const;
const CLIENT_PORT = 49300;
const CLIENT_MAGIC = 0x2b3c4d5e;
const SERVER_MAGIC = 0x6f708192;
/** MPPE 128-bit, stateless (RFC 3078 §2.1: S and H bits), what Windows asks for. */
export const MPPE_128_STATELESS = 0x01000040;
/** MPPE 40-bit only (L bit): an old client's setting. */
export const MPPE_40 = 0x00000020;
/** Seconds between the PPP phases of the echo scenario. */
const ECHO_INTERVAL_SECONDS = 30;

const CLIENT_LCP_OPTIONS = [
  lcpOption.mru(1400),
  lcpOption.magicNumber(CLIENT_MAGIC),
  lcpOption.protocolFieldCompression(),
  lcpOption.addressControlFieldCompression(),
];

function serverLcpOptions(auth: Uint8Array): Uint8Array[] {
  return [lcpOption.accm(0), auth, lcpOption.magicNumber(SERVER_MAGIC), lcpOption.protocolFieldCompression(), lcpOption.addressControlFieldCompression()];
}

function conversation(records: SynthRecord[], options: Partial<ConversationOptions> = {}): PptpConversation {
  return new PptpConversation(
    {
      client: NEGOTIATION_ADDRESSES.client,
      server: NEGOTIATION_ADDRESSES.server,
      clientPort: CLIENT_PORT,
      clientCallId: NEGOTIATION_CALL_IDS.client,
      serverCallId: NEGOTIATION_CALL_IDS.server,
      startSec: START_SEC,
      ...options,
    },
    (record) => records.push(record),
  );
}

// ---------------------------------------------------------------------------------------
// Steps (frame counts in brackets)

/** [8] Handshake (1-3), SCCRQ 4, SCCRP 5, OCRQ 6, OCRP 7, Set-Link-Info 8. */
function callUp(conv: PptpConversation): void {
  conv.connect();
  startControlConnection(conv);
  outgoingCall(conv, NEGOTIATION_CALL_IDS.client, NEGOTIATION_CALL_IDS.server);
  conv.control("client", { type: Msg.SetLinkInfo, peerCallId: NEGOTIATION_CALL_IDS.server, sendAccm: 0xffffffff, receiveAccm: 0xffffffff });
}

/** LCP packets keep the address and control fields (RFC 1661 §6.6). */
function lcp(conv: PptpConversation, from: Side, packet: Uint8Array): void {
  conv.ppp(from, PppProtocol.LCP, packet);
}

/** [4] Client request, server request (asking for `auth`), server Ack, client Ack. */
function lcpUp(conv: PptpConversation, auth: Uint8Array): void {
  lcp(conv, "client", configurePacket(Code.ConfigureRequest, 1, CLIENT_LCP_OPTIONS));
  lcp(conv, "server", configurePacket(Code.ConfigureRequest, 1, serverLcpOptions(auth)));
  lcp(conv, "server", configurePacket(Code.ConfigureAck, 1, CLIENT_LCP_OPTIONS));
  lcp(conv, "client", configurePacket(Code.ConfigureAck, 1, serverLcpOptions(auth)));
}

/** [3] MS-CHAPv2 (RFC 2759): Challenge, Response (user `user`), then Success or the Failure message given. */
function msChapV2(conv: PptpConversation, random: SeededRandom, user: string, failure?: string): void {
  const id = 1;
  conv.ppp("server", PppProtocol.CHAP, chapValue(1, id, random.bytes(16), "vpn-gw"), false);
  const response = msChapV2ResponseValue({ peerChallenge: random.bytes(16), ntResponse: random.bytes(24) });
  conv.ppp("client", PppProtocol.CHAP, chapValue(2, id, response, user), false);
  const result = failure === undefined ? chapResult(3, id, msChapV2SuccessMessage(random.bytes(20), "Welcome")) : chapResult(4, id, failure);
  conv.ppp("server", PppProtocol.CHAP, result, false);
}

/** [4] CCP with 128-bit stateless MPPE both ways. */
function ccpUp(conv: PptpConversation): void {
  const ccp = (from: Side, code: number) => conv.ppp(from, PppProtocol.CCP, configurePacket(code, 1, [ccpOption.mppe(MPPE_128_STATELESS)]), false);
  ccp("client", Code.ConfigureRequest);
  ccp("server", Code.ConfigureRequest);
  ccp("server", Code.ConfigureAck);
  ccp("client", Code.ConfigureAck);
}

function ipcp(conv: PptpConversation, from: Side, code: number, id: number, address: string): void {
  conv.ppp(from, PppProtocol.IPCP, configurePacket(code, id, [ipcpOption.ipAddress(address)]), false);
}

/** [6] IPCP: the server's address Acked, the client's assigned by the server's Nak. */
function ipcpUp(conv: PptpConversation): void {
  ipcp(conv, "server", Code.ConfigureRequest, 1, NEGOTIATION_ADDRESSES.serverTunnel);
  ipcp(conv, "client", Code.ConfigureRequest, 1, "0.0.0.0");
  ipcp(conv, "client", Code.ConfigureAck, 1, NEGOTIATION_ADDRESSES.serverTunnel);
  ipcp(conv, "server", Code.ConfigureNak, 1, NEGOTIATION_ADDRESSES.clientTunnel);
  ipcp(conv, "client", Code.ConfigureRequest, 2, NEGOTIATION_ADDRESSES.clientTunnel);
  ipcp(conv, "server", Code.ConfigureAck, 2, NEGOTIATION_ADDRESSES.clientTunnel);
}

/** [2] An LCP Terminate-Request with `text` and the peer's Terminate-Ack. */
function terminate(conv: PptpConversation, from: Side, text: string): void {
  lcp(conv, from, terminatePacket(Code.TerminateRequest, 2, text));
  lcp(conv, from === "client" ? "server" : "client", terminatePacket(Code.TerminateAck, 2));
}

/** [7] Call-Clear-Request, Call-Disconnect-Notify (result 4 request), Stop-Control-Connection-Request/Reply, TCP close. */
function clientHangsUp(conv: PptpConversation): void {
  conv.control("client", { type: Msg.CallClearRequest, callId: NEGOTIATION_CALL_IDS.client });
  conv.control("server", { type: Msg.CallDisconnectNotify, callId: NEGOTIATION_CALL_IDS.server, resultCode: 4 });
  conv.control("client", { type: Msg.StopControlConnectionRequest, reason: 1 });
  conv.control("server", { type: Msg.StopControlConnectionReply, resultCode: 1 });
  conv.close("client");
}

/** [6] The server drops the call: Call-Disconnect-Notify (result 3 admin shutdown), then Stop-Control-Connection and TCP close from the client. */
function serverHangsUp(conv: PptpConversation): void {
  conv.control("server", { type: Msg.CallDisconnectNotify, callId: NEGOTIATION_CALL_IDS.server, resultCode: 3 });
  conv.control("client", { type: Msg.StopControlConnectionRequest, reason: 1 });
  conv.control("server", { type: Msg.StopControlConnectionReply, resultCode: 1 });
  conv.close("client");
}

/** An MPPE-encrypted data frame (protocol 0x00FD compressed to one byte after PFC) of `size` bytes that look random. */
function mppeFrame(conv: PptpConversation, from: Side, random: SeededRandom, size: number): void {
  conv.greFrame(from, ppp({ protocol: PppProtocol.Compressed, payload: random.bytes(size), addressControl: false, compressProtocol: true }));
}

/** ICMP (RFC 792) type 8 Echo Request / 0 Echo Reply. */
const ICMP_PROTOCOL = 1;

/** An unencrypted ping between the tunnel addresses (PPP protocol 0x0021, compressed to one byte after PFC): request from the client, reply from the server. */
function pingFrame(conv: PptpConversation, from: Side, sequence: number): void {
  const icmp = Buffer.alloc(8 + 32, 0x61);
  icmp[0] = from === "client" ? 8 : 0;
  icmp[1] = 0;
  icmp.writeUInt16BE(0, 2);
  icmp.writeUInt16BE(0x0001, 4); // identifier
  icmp.writeUInt16BE(sequence, 6);
  icmp.writeUInt16BE(internetChecksum(icmp), 2);
  const [src, dst] =
    from === "client"
      ? [NEGOTIATION_ADDRESSES.clientTunnel, NEGOTIATION_ADDRESSES.serverTunnel]
      : [NEGOTIATION_ADDRESSES.serverTunnel, NEGOTIATION_ADDRESSES.clientTunnel];
  const datagram = ipv4({ src, dst, id: sequence, ttl: 128, payload: ipPayload(ICMP_PROTOCOL, icmp) });
  conv.greFrame(from, ppp({ protocol: PppProtocol.IPv4, payload: datagram, addressControl: false, compressProtocol: true }));
}

// ---------------------------------------------------------------------------------------
// Scenarios

export interface StartReplyCodes {
  /** Start-Control-Connection-Reply result (RFC 2637 §2.2): 2 general error, 3 channel exists, 4 not authorized, 5 bad version. */
  result: number;
  error: number;
}

/** The server refuses the control connection. Frames: 1-3 handshake, 4 SCCRQ, 5 SCCRP (refusal), 6-8 the server closes TCP. */
export function controlRejectedRecords(codes: StartReplyCodes = { result: 2, error: 4 }): SynthRecord[] {
  const records: SynthRecord[] = [];
  const conv = conversation(records);
  conv.connect();
  startControlConnection(conv, codes.result, codes.error);
  conv.close("server");
  return records;
}

export interface CallReplyCodes {
  /** Outgoing-Call-Reply result (RFC 2637 §2.8): 2 general error, 3 no carrier, 4 busy, 5 no dial tone, 6 time-out, 7 do not accept. */
  result: number;
  error?: number;
  cause?: number;
}

/**
 * The server refuses the outgoing call. Frames: 1-3 handshake, 4 SCCRQ, 5 SCCRP, 6 OCRQ,
 * 7 OCRP (refusal), 8 Stop-Control-Connection-Request, 9 Reply, 10-12 TCP close.
 */
export function callRejectedRecords(codes: CallReplyCodes = { result: 4 }): SynthRecord[] {
  const records: SynthRecord[] = [];
  const conv = conversation(records);
  conv.connect();
  startControlConnection(conv);
  outgoingCall(conv, NEGOTIATION_CALL_IDS.client, NEGOTIATION_CALL_IDS.server, { resultCode: codes.result, errorCode: codes.error, causeCode: codes.cause });
  conv.control("client", { type: Msg.StopControlConnectionRequest, reason: 1 });
  conv.control("server", { type: Msg.StopControlConnectionReply, resultCode: 1 });
  conv.close("client");
  return records;
}

/**
 * The server offers an incoming call and the client declines it (Incoming-Call-Reply
 * result 3 do not accept). Frames: 1-3 handshake, 4 SCCRQ, 5 SCCRP, 6 ICRQ, 7 ICRP
 * (refusal), 8-10 TCP close.
 */
export function incomingCallDeclinedRecords(): SynthRecord[] {
  const records: SynthRecord[] = [];
  const conv = conversation(records);
  conv.connect();
  startControlConnection(conv);
  conv.control("server", { type: Msg.IncomingCallRequest, callId: NEGOTIATION_CALL_IDS.server, callSerialNumber: 7, callBearerType: 1, dialingNumber: "" });
  conv.control("client", {
    type: Msg.IncomingCallReply,
    callId: NEGOTIATION_CALL_IDS.client,
    peerCallId: NEGOTIATION_CALL_IDS.server,
    resultCode: 3,
    packetReceiveWindowSize: 64,
  });
  conv.close("client");
  return records;
}

export interface MsChapFailureScenario {
  /** MS-CHAP error code (RFC 2759 §6), default 691. */
  error?: number;
  /** R=1: the server lets the client try again; the client does, with success. */
  retrySucceeds?: boolean;
}

/**
 * MS-CHAPv2 fails. Frames: 1-8 call up, 9-12 LCP (the server asks for MS-CHAPv2), 13
 * Challenge, 14 Response (user "alice"), 15 Failure "E=691 R=0 C=... V=3 M=...", 16 the
 * server's LCP Terminate-Request "Authentication failed", 17 Terminate-Ack, 18-24 the
 * client hangs up. With `retrySucceeds`, 15 says R=1 and the client tries again: 16-18
 * Challenge, Response and Success, 19-22 CCP, 23-28 IPCP, 29-32 data, 33-34 the client's
 * LCP Terminate "User request", 35-41 the client hangs up.
 */
export function msChapV2FailureRecords(scenario: MsChapFailureScenario = {}): SynthRecord[] {
  const records: SynthRecord[] = [];
  const random = new SeededRandom(691);
  const conv = conversation(records);
  callUp(conv);
  lcpUp(conv, lcpOption.authChap(ChapAlgorithm.MsChapV2));
  const retry = scenario.retrySucceeds ?? false;
  const failure = msChapFailureMessage({
    error: scenario.error ?? 691,
    retry,
    challenge: random.bytes(16),
    version: 3,
    message: "Authentication failure",
  });
  msChapV2(conv, random, "alice", failure);
  if (!retry) {
    terminate(conv, "server", "Authentication failed");
    clientHangsUp(conv);
    return records;
  }
  // RFC 2759 §6: after R=1 the client answers the challenge of the Failure message; scripted as a new round.
  msChapV2(conv, random, "alice");
  ccpUp(conv);
  ipcpUp(conv);
  for (let i = 0; i < 2; i++) {
    mppeFrame(conv, "client", random, 120);
    mppeFrame(conv, "server", random, 120);
  }
  terminate(conv, "client", "User request");
  clientHangsUp(conv);
  return records;
}

/**
 * PAP fails. Frames: 1-8 call up, 9-12 LCP (the server asks for PAP), 13 PAP
 * Authenticate-Request (Peer-ID "bob"), 14 Authenticate-Nak "Login incorrect", 15 the
 * server's LCP Terminate-Request "Authentication failed", 16 Terminate-Ack, 17-23 the
 * client hangs up.
 */
export function papFailureRecords(): SynthRecord[] {
  const records: SynthRecord[] = [];
  const conv = conversation(records);
  callUp(conv);
  lcpUp(conv, lcpOption.authPap());
  conv.ppp("client", PppProtocol.PAP, papRequest(1, "bob", "not-the-password"), false);
  conv.ppp("server", PppProtocol.PAP, papReply(3, 1, "Login incorrect"), false);
  terminate(conv, "server", "Authentication failed");
  clientHangsUp(conv);
  return records;
}

/**
 * The client refuses the server's authentication protocol. Frames: 1-8 call up, 9 the
 * client's LCP Configure-Request, 10 the server's (MS-CHAPv2), 11 the server's Ack of the
 * client's, 12 the client's Configure-Nak suggesting PAP (or, with "reject", its
 * Configure-Reject of the option), 13 the server's LCP Terminate-Request "Authentication
 * protocol refused", 14 Terminate-Ack, 15-20 the server hangs up (15 CDN).
 */
export function lcpAuthRefusedRecords(refusal: "nak" | "reject" = "nak"): SynthRecord[] {
  const records: SynthRecord[] = [];
  const conv = conversation(records);
  callUp(conv);
  const msChapV2Option = lcpOption.authChap(ChapAlgorithm.MsChapV2);
  lcp(conv, "client", configurePacket(Code.ConfigureRequest, 1, CLIENT_LCP_OPTIONS));
  lcp(conv, "server", configurePacket(Code.ConfigureRequest, 1, serverLcpOptions(msChapV2Option)));
  lcp(conv, "server", configurePacket(Code.ConfigureAck, 1, CLIENT_LCP_OPTIONS));
  const answer =
    refusal === "nak"
      ? configurePacket(Code.ConfigureNak, 1, [lcpOption.authPap()])
      : configurePacket(Code.ConfigureReject, 1, [msChapV2Option]);
  lcp(conv, "client", answer);
  terminate(conv, "server", "Authentication protocol refused");
  serverHangsUp(conv);
  return records;
}

/**
 * An LCP option loop: the server Naks the client's MRU of 1400 five times, suggesting 1500
 * (RFC 1661 §4.6 Max-Failure), and the client hangs up. Frames: 1-8 call up, then for
 * r = 0..4 the client's Configure-Request at 9+2r and the server's Nak at 10+2r (9-18),
 * 19-25 the client hangs up.
 */
export function lcpNakLoopRecords(): SynthRecord[] {
  const records: SynthRecord[] = [];
  const conv = conversation(records);
  callUp(conv);
  for (let round = 1; round <= 5; round++) {
    lcp(conv, "client", configurePacket(Code.ConfigureRequest, round, CLIENT_LCP_OPTIONS));
    lcp(conv, "server", configurePacket(Code.ConfigureNak, round, [lcpOption.mru(1500)]));
  }
  clientHangsUp(conv);
  return records;
}

/**
 * The server requires MPPE and the client refuses it. Frames: 1-8 call up, 9-12 LCP,
 * 13-15 MS-CHAPv2 success, 16 the server's CCP Configure-Request (MPPE 128-bit
 * stateless), 17 the client's CCP Configure-Reject of it, 18 the server's LCP
 * Terminate-Request "MPPE required but not available", 19 Terminate-Ack, 20-25 the server
 * hangs up.
 */
export function lcpTerminateMppeRecords(): SynthRecord[] {
  const records: SynthRecord[] = [];
  const random = new SeededRandom(3078);
  const conv = conversation(records);
  callUp(conv);
  lcpUp(conv, lcpOption.authChap(ChapAlgorithm.MsChapV2));
  msChapV2(conv, random, "alice");
  const mppe = [ccpOption.mppe(MPPE_128_STATELESS)];
  conv.ppp("server", PppProtocol.CCP, configurePacket(Code.ConfigureRequest, 1, mppe), false);
  conv.ppp("client", PppProtocol.CCP, configurePacket(Code.ConfigureReject, 1, mppe), false);
  terminate(conv, "server", "MPPE required but not available");
  serverHangsUp(conv);
  return records;
}

/**
 * IPCP refused. Frames: 1-8 call up, 9-12 LCP, 13-15 MS-CHAPv2 success, 16-19 CCP; then
 * with "address": 20 the server's IPCP Configure-Request (10.8.0.1), 21 the client's
 * (0.0.0.0), 22 the client's Ack, 23 the server's Configure-Reject of the client's
 * IP-Address, 24 the client's LCP Terminate-Request "No network protocols running", 25
 * Terminate-Ack, 26-32 the client hangs up; with "protocol-reject": 20 the client's IPCP
 * Configure-Request, 21 the server's LCP Protocol-Reject of IPCP, 22-23 the Terminate and
 * its Ack, 24-30 the client hangs up.
 */
export function ipcpRejectedRecords(kind: "address" | "protocol-reject" = "address"): SynthRecord[] {
  const records: SynthRecord[] = [];
  const random = new SeededRandom(1332);
  const conv = conversation(records);
  callUp(conv);
  lcpUp(conv, lcpOption.authChap(ChapAlgorithm.MsChapV2));
  msChapV2(conv, random, "alice");
  ccpUp(conv);
  if (kind === "address") {
    ipcp(conv, "server", Code.ConfigureRequest, 1, NEGOTIATION_ADDRESSES.serverTunnel);
    ipcp(conv, "client", Code.ConfigureRequest, 1, "0.0.0.0");
    ipcp(conv, "client", Code.ConfigureAck, 1, NEGOTIATION_ADDRESSES.serverTunnel);
    ipcp(conv, "server", Code.ConfigureReject, 1, "0.0.0.0");
  } else {
    const request = configurePacket(Code.ConfigureRequest, 1, [ipcpOption.ipAddress("0.0.0.0")]);
    conv.ppp("client", PppProtocol.IPCP, request, false);
    lcp(conv, "server", protocolReject(3, PppProtocol.IPCP, request));
  }
  terminate(conv, "client", "No network protocols running");
  clientHangsUp(conv);
  return records;
}

/**
 * The client does not run CCP; the link works unencrypted. Frames: 1-8 call up, 9-12
 * LCP, 13-15 MS-CHAPv2 success, 16 the server's CCP Configure-Request (MPPE), 17 the
 * client's LCP Protocol-Reject of CCP, 18-23 IPCP, 24-31 unencrypted pings (ICMP echo
 * request and reply in turn), 32 the client's LCP Terminate-Request "User request", 33 Terminate-Ack, 34-40
 * the client hangs up.
 */
export function ccpRefusedRecords(): SynthRecord[] {
  const records: SynthRecord[] = [];
  const random = new SeededRandom(1962);
  const conv = conversation(records);
  callUp(conv);
  lcpUp(conv, lcpOption.authChap(ChapAlgorithm.MsChapV2));
  msChapV2(conv, random, "alice");
  const request = configurePacket(Code.ConfigureRequest, 1, [ccpOption.mppe(MPPE_128_STATELESS)]);
  conv.ppp("server", PppProtocol.CCP, request, false);
  lcp(conv, "client", protocolReject(2, PppProtocol.CCP, request));
  ipcpUp(conv);
  for (let i = 0; i < 4; i++) {
    pingFrame(conv, "client", i + 1);
    pingFrame(conv, "server", i + 1);
  }
  terminate(conv, "client", "User request");
  clientHangsUp(conv);
  return records;
}

/**
 * MPPE strengths with nothing in common, then the server ends the link. Frames: 1-8 call
 * up, 9-12 LCP, 13-15 MS-CHAPv2 success, 16 the client's CCP Configure-Request (40-bit
 * only), 17 the server's (128-bit stateless), 18 the server's LCP Terminate-Request with
 * `text`, 19 Terminate-Ack, 20-25 the server hangs up.
 */
export function mppeMismatchRecords(text = "No common encryption strength"): SynthRecord[] {
  const records: SynthRecord[] = [];
  const random = new SeededRandom(2118);
  const conv = conversation(records);
  callUp(conv);
  lcpUp(conv, lcpOption.authChap(ChapAlgorithm.MsChapV2));
  msChapV2(conv, random, "alice");
  conv.ppp("client", PppProtocol.CCP, configurePacket(Code.ConfigureRequest, 1, [ccpOption.mppe(MPPE_40)]), false);
  conv.ppp("server", PppProtocol.CCP, configurePacket(Code.ConfigureRequest, 1, [ccpOption.mppe(MPPE_128_STATELESS)]), false);
  terminate(conv, "server", text);
  serverHangsUp(conv);
  return records;
}

/**
 * Keep-alives unanswered while the tunnel otherwise works. Frames: 1-8 call up, 9-12 LCP,
 * 13-15 MS-CHAPv2, 16-19 CCP, 20-25 IPCP, 26-29 data (client, server, client, server),
 * 30 the client's LCP Echo-Request 1, 31 server data, 32 client data; 30 s later 33 LCP
 * Echo-Request 2, 34 server data, 35 client data; 30 s later 36 the client's PPTP
 * Echo-Request (never answered); 30 s later 37 LCP Echo-Request 3, 38 server data; 15 s
 * later 39 client data, the end of the capture.
 */
export function echoTimeoutRecords(): SynthRecord[] {
  const records: SynthRecord[] = [];
  const random = new SeededRandom(1661);
  const conv = conversation(records);
  callUp(conv);
  lcpUp(conv, lcpOption.authChap(ChapAlgorithm.MsChapV2));
  msChapV2(conv, random, "alice");
  ccpUp(conv);
  ipcpUp(conv);
  for (let i = 0; i < 2; i++) {
    mppeFrame(conv, "client", random, 200);
    mppeFrame(conv, "server", random, 200);
  }
  const echo = (id: number) => lcp(conv, "client", echoPacket(Code.EchoRequest, id, CLIENT_MAGIC));
  echo(1);
  mppeFrame(conv, "server", random, 300);
  mppeFrame(conv, "client", random, 300);
  conv.wait(ECHO_INTERVAL_SECONDS);
  echo(2);
  mppeFrame(conv, "server", random, 300);
  mppeFrame(conv, "client", random, 300);
  conv.wait(ECHO_INTERVAL_SECONDS);
  conv.control("client", { type: Msg.EchoRequest, identifier: 1 });
  conv.wait(ECHO_INTERVAL_SECONDS);
  echo(3);
  mppeFrame(conv, "server", random, 300);
  conv.wait(ECHO_INTERVAL_SECONDS / 2);
  mppeFrame(conv, "client", random, 300);
  return records;
}

/**
 * CHAP-MD5 failing on a PPP link seen directly (LINKTYPE_PPP_WITH_DIR, the capturing
 * router dials its peer). Frames: 1 our LCP Configure-Request, 2 the peer's (CHAP-MD5),
 * 3 the peer's Ack, 4 our Ack, 5 the peer's Challenge, 6 our Response ("router1"), 7 the
 * peer's Failure "Authentication failed", 8 the peer's LCP Terminate-Request, 9 our
 * Terminate-Ack. 10 ms apart.
 */
export function linkChapFailureRecords(): SynthRecord[] {
  const records: SynthRecord[] = [];
  const random = new SeededRandom(1994);
  let frame = 0;
  const send = (from: Side, protocol: number, information: Uint8Array) => {
    const nanos = frame++ * 10_000_000;
    const direction = from === "client" ? PppDirection.Sent : PppDirection.Received;
    records.push({ tsSec: START_SEC, tsNsec: nanos, data: pppWithDirection(direction, ppp({ protocol, payload: information })) });
  };
  const peerOptions = [lcpOption.authChap(ChapAlgorithm.MD5), lcpOption.magicNumber(SERVER_MAGIC)];
  const ourOptions = [lcpOption.magicNumber(CLIENT_MAGIC)];
  send("client", PppProtocol.LCP, configurePacket(Code.ConfigureRequest, 1, ourOptions));
  send("server", PppProtocol.LCP, configurePacket(Code.ConfigureRequest, 1, peerOptions));
  send("server", PppProtocol.LCP, configurePacket(Code.ConfigureAck, 1, ourOptions));
  send("client", PppProtocol.LCP, configurePacket(Code.ConfigureAck, 1, peerOptions));
  send("server", PppProtocol.CHAP, chapValue(1, 9, random.bytes(16), "router2"));
  send("client", PppProtocol.CHAP, chapValue(2, 9, random.bytes(16), "router1"));
  send("server", PppProtocol.CHAP, chapResult(4, 9, "Authentication failed"));
  send("server", PppProtocol.LCP, terminatePacket(Code.TerminateRequest, 2, "Authentication failed"));
  send("client", PppProtocol.LCP, terminatePacket(Code.TerminateAck, 2));
  return records;
}

// ---------------------------------------------------------------------------------------
// Fixtures

const ethernetPcap = (records: SynthRecord[]): Buffer => writePcap(records, { linkType: LINK_TYPE_OF_FRAMING.ethernet });

/** The one session of every PPTP scenario here, failed unless said otherwise, with these finding codes. */
function verdict(findings: string[], outcome: "established" | "failed" = "failed", callIds = true): FixtureExpectation {
  return {
    sessions: [
      {
        client: NEGOTIATION_ADDRESSES.client,
        dialed: NEGOTIATION_ADDRESSES.server,
        clientCallId: callIds ? NEGOTIATION_CALL_IDS.client : null,
        serverCallId: callIds ? NEGOTIATION_CALL_IDS.server : null,
        outcome,
        findings,
      },
    ],
    findings: [],
  };
}

export const NEGOTIATION_FIXTURES: readonly Fixture[] = [
  {
    name: "mschapv2-691.pcap",
    description: 'MS-CHAPv2 Failure "E=691 R=0 C=... V=3 M=Authentication failure" (bad user name or password), then the server terminates LCP',
    bytes: () => ethernetPcap(msChapV2FailureRecords()),
    expected: verdict(["auth-failed"]),
  },
  {
    name: "pap-failure.pcap",
    description: 'PAP Authenticate-Nak "Login incorrect" for user "bob", then the server terminates LCP',
    bytes: () => ethernetPcap(papFailureRecords()),
    expected: verdict(["auth-failed"]),
  },
  {
    name: "call-rejected-busy.pcap",
    description: "the control connection comes up, the Outgoing-Call-Reply says result 4 (busy)",
    bytes: () => ethernetPcap(callRejectedRecords({ result: 4 })),
    expected: verdict(["call-rejected"]),
  },
  {
    name: "control-rejected.pcap",
    description: "Start-Control-Connection-Reply result 2 (general error) with error code 4 (no-resource); the server closes TCP",
    bytes: () => ethernetPcap(controlRejectedRecords({ result: 2, error: 4 })),
    expected: verdict(["control-rejected"], "failed", false),
  },
  {
    name: "control-rejected-not-authorized.pcap",
    description: "Start-Control-Connection-Reply result 4 (requester not authorized); the server closes TCP",
    bytes: () => ethernetPcap(controlRejectedRecords({ result: 4, error: 0 })),
    expected: verdict(["control-rejected"], "failed", false),
  },
  {
    name: "lcp-auth-refused.pcap",
    description: 'the client Naks the server\'s MS-CHAPv2 (suggesting PAP); the server ends LCP with "Authentication protocol refused"',
    bytes: () => ethernetPcap(lcpAuthRefusedRecords("nak")),
    expected: verdict(["lcp-failed"]),
  },
  {
    name: "lcp-terminate-mppe.pcap",
    description: 'MS-CHAPv2 succeeds, the client Configure-Rejects MPPE, the server ends LCP with "MPPE required but not available"',
    bytes: () => ethernetPcap(lcpTerminateMppeRecords()),
    expected: verdict(["lcp-failed", "ccp-failed"]),
  },
  {
    name: "ipcp-rejected.pcap",
    description: 'the server Configure-Rejects the client\'s IPCP IP-Address option; the client ends LCP with "No network protocols running"',
    bytes: () => ethernetPcap(ipcpRejectedRecords("address")),
    expected: verdict(["ipcp-failed", "lcp-failed"]),
  },
  {
    name: "ccp-refused.pcap",
    description: "the client Protocol-Rejects CCP; IPCP opens and IPv4 flows unencrypted both ways",
    bytes: () => ethernetPcap(ccpRefusedRecords()),
    expected: verdict(["ccp-failed"], "established"),
  },
  {
    name: "echo-timeout.pcap",
    description: "a working tunnel whose server leaves three LCP Echo-Requests and one PPTP Echo-Request of the client unanswered while sending data",
    bytes: () => ethernetPcap(echoTimeoutRecords()),
    expected: verdict(["echo-timeout"], "established"),
  },
  {
    name: "link-chap-failure.pcap",
    description: "a router's own PPP link (PPP_WITH_DIR): the peer's CHAP-MD5 Failure, then its LCP Terminate-Request",
    bytes: () => writePcap(linkChapFailureRecords(), { linkType: LinkType.PPP_WITH_DIR }),
    expected: { sessions: [], findings: ["auth-failed"] },
  },
];
