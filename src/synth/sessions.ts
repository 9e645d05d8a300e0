/**
 * Whole PPTP sessions scripted on a PptpConversation: what a Windows client and a
 * PPTP server exchange, in the order RFC 2637 and the PPP RFCs prescribe.
 */
import { PptpMessageType as Msg } from "../decode/pptp.js";
import { ChapAlgorithm, PppProtocol } from "../decode/ppp/protocols.js";
import { ControlCode as Code } from "../decode/ppp/control-packet.js";
import type { PptpConversation } from "./conversation.js";
import {
  ccpOption,
  chapResult,
  chapValue,
  configurePacket,
  echoPacket,
  ipcpOption,
  lcpOption,
  msChapV2ResponseValue,
  msChapV2SuccessMessage,
  terminatePacket,
} from "./ppp-control.js";
import type { SeededRandom } from "./random.js";

/** MPPE 128-bit, stateless (RFC 3078 §2.1: S and H bits), what Windows asks for. */
const MPPE_128_STATELESS = 0x01000040;

export interface SessionParameters {
  /** PPP peer name the client authenticates with (MS-CHAPv2). */
  userName: string;
  /** Addresses IPCP gives the client and the server inside the tunnel. */
  clientTunnelAddress: string;
  serverTunnelAddress: string;
  /** MPPE data frames each way after the negotiation. */
  dataFrames: number;
  /** Size range of the data frames' PPP payload. */
  minDataBytes: number;
  maxDataBytes: number;
  /** Seeded source of challenge values and data sizes. */
  random: SeededRandom;
}

/** Control connection and outgoing call up to the first GRE frame. */
export function establishCall(conv: PptpConversation, clientCallId: number, serverCallId: number): void {
  conv.connect();
  startControlConnection(conv);
  outgoingCall(conv, clientCallId, serverCallId);
  conv.control("client", { type: Msg.SetLinkInfo, peerCallId: serverCallId, sendAccm: 0xffffffff, receiveAccm: 0xffffffff });
}

/**
 * Start-Control-Connection-Request from the client and the server's reply with
 * `resultCode` (RFC 2637 §2.2: 1 success; 2 general error with `errorCode`).
 */
export function startControlConnection(conv: PptpConversation, resultCode = 1, errorCode = 0): void {
  conv.control("client", {
    type: Msg.StartControlConnectionRequest,
    framingCapabilities: 1,
    bearerCapabilities: 1,
    maximumChannels: 0,
    firmwareRevision: 0,
    hostName: "",
    vendor: "Microsoft Windows NT",
  });
  conv.control("server", {
    type: Msg.StartControlConnectionReply,
    resultCode,
    errorCode,
    framingCapabilities: 1,
    bearerCapabilities: 1,
    maximumChannels: 1,
    firmwareRevision: 1,
    hostName: "vpn-gw",
    vendor: "pptp-analyze synth",
  });
}

export interface CallReplyOptions {
  /** Outgoing-Call-Reply result (RFC 2637 §2.8): 1 connected (default), 4 busy, 7 do not accept... */
  resultCode?: number;
  errorCode?: number;
  causeCode?: number;
  /** The number the client asks the server to dial; empty for a VPN. */
  phoneNumber?: string;
}

/** Outgoing-Call-Request with the client's call ID and the server's reply with its own (RFC 2637 §2.7, §2.8). */
export function outgoingCall(conv: PptpConversation, clientCallId: number, serverCallId: number, options: CallReplyOptions = {}): void {
  conv.control("client", {
    type: Msg.OutgoingCallRequest,
    callId: clientCallId,
    callSerialNumber: 1,
    minimumBps: 300,
    maximumBps: 100000000,
    bearerType: 3,
    framingType: 3,
    packetReceiveWindowSize: 64,
    phoneNumber: options.phoneNumber ?? "",
  });
  conv.control("server", {
    type: Msg.OutgoingCallReply,
    callId: serverCallId,
    peerCallId: clientCallId,
    resultCode: options.resultCode ?? 1,
    errorCode: options.errorCode ?? 0,
    causeCode: options.causeCode ?? 0,
    connectSpeed: 100000000,
    packetReceiveWindowSize: 64,
  });
}

/**
 * An incoming call (RFC 2637 §2.9-2.11): the server (PAC) announces it with its own call
 * ID, the client (PNS) answers with its own and the peer's, the server confirms with the
 * client's.
 */
export function incomingCall(conv: PptpConversation, serverCallId: number, clientCallId: number, dialingNumber = ""): void {
  conv.control("server", { type: Msg.IncomingCallRequest, callId: serverCallId, callSerialNumber: 1, callBearerType: 1, dialingNumber });
  conv.control("client", { type: Msg.IncomingCallReply, callId: clientCallId, peerCallId: serverCallId, resultCode: 1, packetReceiveWindowSize: 64 });
  conv.control("server", { type: Msg.IncomingCallConnected, peerCallId: clientCallId, connectSpeed: 100000000, packetReceiveWindowSize: 64, framingType: 1 });
}

/**
 * A session that works: LCP both ways with MS-CHAPv2 required by the server, MS-CHAPv2
 * success, CCP with 128-bit MPPE, IPCP where the server assigns the client's address by
 * Nak, MPPE data both ways, then an orderly teardown.
 */
export function healthySession(conv: PptpConversation, clientCallId: number, serverCallId: number, p: SessionParameters): void {
  establishCall(conv, clientCallId, serverCallId);
  negotiatePpp(conv, p);
  for (let i = 0; i < p.dataFrames; i++) {
    conv.greFrame("client", mppeFrame(p));
    conv.greFrame("server", mppeFrame(p));
  }
  endSession(conv, clientCallId, serverCallId);
}

/** The user hangs up: LCP Terminate, the call cleared, the control connection stopped and closed. */
export function endSession(conv: PptpConversation, clientCallId: number, serverCallId: number): void {
  conv.ppp("client", PppProtocol.LCP, terminatePacket(Code.TerminateRequest, 3, "User request"), false);
  conv.ppp("server", PppProtocol.LCP, terminatePacket(Code.TerminateAck, 3), false);
  conv.control("client", { type: Msg.CallClearRequest, callId: clientCallId });
  conv.control("server", { type: Msg.CallDisconnectNotify, callId: serverCallId, resultCode: 3 });
  conv.control("client", { type: Msg.StopControlConnectionRequest, reason: 1 });
  conv.control("server", { type: Msg.StopControlConnectionReply, resultCode: 1 });
  conv.close("client");
}

/** LCP, MS-CHAPv2, CCP and IPCP, all succeeding. */
export function negotiatePpp(conv: PptpConversation, p: SessionParameters): void {
  const lcp = (from: "client" | "server", packet: Uint8Array) => conv.ppp(from, PppProtocol.LCP, packet);
  const clientMagic = p.random.nextUint32();
  const serverMagic = p.random.nextUint32();
  const clientOptions = [
    lcpOption.mru(1400),
    lcpOption.magicNumber(clientMagic),
    lcpOption.protocolFieldCompression(),
    lcpOption.addressControlFieldCompression(),
  ];
  const serverOptions = [
    lcpOption.accm(0),
    lcpOption.authChap(ChapAlgorithm.MsChapV2),
    lcpOption.magicNumber(serverMagic),
    lcpOption.protocolFieldCompression(),
    lcpOption.addressControlFieldCompression(),
  ];
  lcp("client", configurePacket(Code.ConfigureRequest, 1, clientOptions));
  lcp("server", configurePacket(Code.ConfigureRequest, 1, serverOptions));
  lcp("server", configurePacket(Code.ConfigureAck, 1, clientOptions));
  lcp("client", configurePacket(Code.ConfigureAck, 1, serverOptions));
  lcp("client", echoPacket(Code.EchoRequest, 0, clientMagic));
  lcp("server", echoPacket(Code.EchoReply, 0, serverMagic));

  // MS-CHAPv2 (RFC 2759): 16-byte challenge, 49-byte response value, S=/M= success.
  const chapId = p.random.below(256);
  conv.ppp("server", PppProtocol.CHAP, chapValue(1, chapId, p.random.bytes(16), "vpn-gw"), false);
  const response = msChapV2ResponseValue({ peerChallenge: p.random.bytes(16), ntResponse: p.random.bytes(24) });
  conv.ppp("client", PppProtocol.CHAP, chapValue(2, chapId, response, p.userName), false);
  conv.ppp("server", PppProtocol.CHAP, chapResult(3, chapId, msChapV2SuccessMessage(p.random.bytes(20), "Welcome")), false);

  const ccp = (from: "client" | "server", code: number) =>
    conv.ppp(from, PppProtocol.CCP, configurePacket(code, 1, [ccpOption.mppe(MPPE_128_STATELESS)]), false);
  ccp("client", Code.ConfigureRequest);
  ccp("server", Code.ConfigureRequest);
  ccp("server", Code.ConfigureAck);
  ccp("client", Code.ConfigureAck);

  const ipcp = (from: "client" | "server", code: number, id: number, address: string) =>
    conv.ppp(from, PppProtocol.IPCP, configurePacket(code, id, [ipcpOption.ipAddress(address)]), false);
  ipcp("server", Code.ConfigureRequest, 1, p.serverTunnelAddress);
  ipcp("client", Code.ConfigureRequest, 1, "0.0.0.0");
  ipcp("client", Code.ConfigureAck, 1, p.serverTunnelAddress);
  ipcp("server", Code.ConfigureNak, 1, p.clientTunnelAddress);
  ipcp("client", Code.ConfigureRequest, 2, p.clientTunnelAddress);
  ipcp("server", Code.ConfigureAck, 2, p.clientTunnelAddress);
}

/**
 * An MPPE-encrypted frame (PPP protocol 0x00FD, compressed to one byte after PFC): a
 * coherency count and then bytes that look random, as encrypted data does.
 */
export function mppeFrame(p: SessionParameters): Uint8Array {
  const size = p.minDataBytes + p.random.below(p.maxDataBytes - p.minDataBytes + 1);
  const frame = p.random.bytes(size);
  frame[0] = PppProtocol.Compressed; // protocol field compressed to one byte
  return frame;
}
