/**
 * Structure-aware generation: random but well-formed PPTP sessions, described as plain data
 * by fast-check arbitraries and played on the synthesizer's PptpConversation, so that a
 * failing capture shrinks to a minimal script (fewer sessions, steps, options, shorter
 * names) rather than to arbitrary bytes.
 *
 * A session is either a realistic script (TCP handshake, control connection, a call,
 * LCP, authentication, CCP, IPCP, data, teardown, each phase optional and a few steps
 * swapped) or a random list of steps. Everything a peer controls varies: addresses, call
 * IDs, every number of every control message, option lists, result codes, names and texts
 * with hostile bytes (terminal escapes, Markdown and Mermaid syntax, CR/LF, NUL), timing,
 * GRE loss before and after the capture point, split and retransmitted control segments;
 * then whole records are dropped, repeated or swapped, and the capture is written in one
 * of the containers and link framings the reader knows.
 */
import fc, { type Arbitrary } from "fast-check";
import { ControlCode } from "../decode/ppp/control-packet.js";
import { EtherType } from "../decode/ethernet.js";
import { LinkType } from "../decode/linktypes.js";
import { ChapAlgorithm, PppProtocol } from "../decode/ppp/protocols.js";
import { PPTP_MESSAGES, PptpMessageType, type PptpMessageSpec } from "../decode/pptp.js";
import { PptpConversation, type ConversationOptions, type GreFate, type Side } from "../synth/conversation.js";
import { ethernet } from "../synth/ethernet.js";
import { writePcap, type SynthRecord } from "../synth/pcap-writer.js";
import { writePcapng } from "../synth/pcapng-writer.js";
import { PppDirection, ppp, pppoeSession, pppWithDirection } from "../synth/ppp.js";
import {
  ccpOption,
  chapResult,
  chapValue,
  codeReject,
  configurePacket,
  controlPacket,
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
  papRequest,
  protocolReject,
  terminatePacket,
} from "../synth/ppp-control.js";
import type { PptpMessageInit } from "../synth/pptp.js";
import { SeededRandom } from "../synth/random.js";

/** A call ID field that names the session's own call ID, so that scripts stay coherent while they shrink. */
export type CallIdRef = "client-call-id" | "server-call-id";

export interface MessageScript {
  type: PptpMessageType;
  fields: Record<string, number | string | CallIdRef>;
}

export type Step =
  | { op: "connect" | "syn" | "synAck" }
  | { op: "reset" | "close" | "ackOnly"; from: Side }
  | { op: "control"; from: Side; message: MessageScript }
  /** Messages sent as segments; ranges in thousandths of their total length (see PptpConversation.controlSegments). */
  | { op: "controlSegments"; from: Side; messages: MessageScript[]; ranges: Array<[number, number]> }
  | { op: "ppp"; from: Side; protocol: number; information: Uint8Array; addressControl: boolean }
  /** PPP negotiation on the capture's own PPP link (router to router); nothing on other framings. */
  | { op: "linkPpp"; from: Side; protocol: number; information: Uint8Array }
  | { op: "data"; from: Side; size: number; seed: number; fate: GreFate }
  | { op: "wait"; millis: number };

export interface SessionScript {
  client: string;
  server: string;
  serverReplyAddress?: string;
  serverGreAddress?: string;
  clientPort: number;
  clientCallId: number;
  serverCallId: number;
  clientIsn: number;
  serverIsn: number;
  startMillis: number;
  stepMicros: number;
  steps: Step[];
}

export type Framing = "ethernet" | "vlan" | "linux-sll" | "raw" | "ppp-with-dir" | "pppoe";

export type Container = { format: "pcap"; bigEndian: boolean; nanosecond: boolean } | { format: "pcapng"; bigEndian: boolean; tsresol?: number };

export interface RecordEffect {
  op: "drop" | "duplicate" | "swap";
  at: number;
  to: number;
}

export interface GeneratedCapture {
  container: Container;
  framing: Framing;
  sessions: SessionScript[];
  effects: RecordEffect[];
}

// ---------------------------------------------------------------------------
// Values

/** Pieces of text that attack a terminal, Markdown, Mermaid or a line-based reader. */
const HOSTILE_PIECES: readonly string[] = [
  "\u001b[31m",
  "\u001b]0;owned\u0007",
  "\u009b2J",
  "\r\n",
  "\u0000",
  "\u007f",
  "|",
  "`",
  "```",
  "*_~",
  "<script>alert(1)</script>",
  "&amp;",
  "%%{init: {'theme':'dark'}}%%",
  "; D->>C: injected",
  "#35;",
  "[x](http://evil.example)",
  "www.evil.example",
  "@here",
  "$x$",
  "\\",
  '"',
  "\u00e2\u0080\u00ae", // the UTF-8 bytes of U+202E (right-to-left override), read as Latin-1
  "E=691 R=0",
  "S=",
];

const latin1Char = fc.integer({ min: 0, max: 0xff }).map((code) => String.fromCharCode(code));

/** Latin-1 text of at most `maxLength` characters, often with hostile pieces. */
function hostileText(maxLength: number): Arbitrary<string> {
  return fc
    .array(fc.oneof(fc.constantFrom(...HOSTILE_PIECES), latin1Char, fc.constantFrom("alice", "vpn-gw", "DOMAIN\\user")), { maxLength: 8 })
    .map((parts) => parts.join("").slice(0, maxLength));
}

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const side = fc.constantFrom<Side>("client", "server");
const bytes = (maxLength: number) => fc.uint8Array({ maxLength });

/** Documentation addresses most of the time, so that sessions meet; any address sometimes. */
const address = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("192.0.2.10", "192.0.2.20", "198.51.100.1", "203.0.113.5", "10.8.0.1") },
  { weight: 1, arbitrary: fc.ipV4() },
);

// ---------------------------------------------------------------------------
// PPTP control messages, from the decoder's table

const CALL_ID_FIELDS: ReadonlySet<string> = new Set(["callId", "peerCallId"]);

/** A value for one uint field: common values most of the time, any value of the width sometimes. */
function uintField(name: string, size: number): Arbitrary<number | CallIdRef> {
  const max = 2 ** (8 * size) - 1;
  const any = fc.integer({ min: 0, max });
  if (CALL_ID_FIELDS.has(name)) {
    return fc.oneof({ weight: 4, arbitrary: fc.constantFrom<CallIdRef>("client-call-id", "server-call-id") }, { weight: 1, arbitrary: any });
  }
  if (name === "resultCode") {
    return fc.oneof({ weight: 3, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 8 }) }, { weight: 1, arbitrary: any });
  }
  return fc.oneof(fc.constantFrom(0, 1), any);
}

/** Any control message of `type`, every field optional (the builder's default when left out). */
function message(type: PptpMessageType, fixed: Record<string, number | CallIdRef> = {}): Arbitrary<MessageScript> {
  const spec = PPTP_MESSAGES[type] as PptpMessageSpec;
  const model: Record<string, Arbitrary<number | string | CallIdRef>> = {};
  for (const field of spec.fields) {
    model[field.name] = field.kind === "text" ? hostileText(field.size) : uintField(field.name, field.size);
  }
  return fc.record(model, { requiredKeys: [] }).map((fields) => ({ type, fields: { ...fields, ...fixed } as MessageScript["fields"] }));
}

const MESSAGE_TYPES = Object.values(PptpMessageType);
const anyMessage = fc.constantFrom(...MESSAGE_TYPES).chain((type) => message(type));

const control = (from: Side, m: Arbitrary<MessageScript>): Arbitrary<Step> => m.map((msg) => ({ op: "control", from, message: msg }));

// ---------------------------------------------------------------------------
// PPP packets, through the synthesizer's builders

type PppPacket = { protocol: number; information: Uint8Array };

const lcpOptionArb: Arbitrary<Buffer> = fc.oneof(
  u16.map(lcpOption.mru),
  u32.map(lcpOption.accm),
  fc.constant(lcpOption.authPap()),
  fc.constantFrom<number>(ChapAlgorithm.MD5, ChapAlgorithm.MsChap, ChapAlgorithm.MsChapV2, 0x42).map(lcpOption.authChap),
  fc.constant(lcpOption.authEap()),
  u32.map(lcpOption.qualityLqr),
  u32.map(lcpOption.magicNumber),
  fc.constant(lcpOption.protocolFieldCompression()),
  fc.constant(lcpOption.addressControlFieldCompression()),
  fc.tuple(fc.integer({ min: 0, max: 6 }), hostileText(20)).map(([op, text]) => lcpOption.callback(op, text)),
  u16.map(lcpOption.mrru),
  fc.constant(lcpOption.shortSequenceNumbers()),
  fc.tuple(fc.integer({ min: 0, max: 5 }), bytes(20)).map(([cls, addr]) => lcpOption.endpointDiscriminator(cls, addr)),
);

const ipv4Text = address;
const ipcpOptionArb: Arbitrary<Buffer> = fc.oneof(
  ipv4Text.map(ipcpOption.ipAddress),
  ipv4Text.map(ipcpOption.primaryDns),
  ipv4Text.map(ipcpOption.secondaryDns),
  ipv4Text.map(ipcpOption.primaryNbns),
  ipv4Text.map(ipcpOption.secondaryNbns),
  fc.tuple(ipv4Text, ipv4Text).map(([a, b]) => ipcpOption.ipAddresses(a, b)),
  fc.tuple(u8, fc.boolean()).map(([slots, comp]) => ipcpOption.vanJacobson(slots, comp)),
  fc.tuple(u16, bytes(4)).map(([protocol, parameters]) => ipcpOption.compression(protocol, parameters)),
);

/** MPPE words Windows and pppd send, and anything. */
const ccpOptionArb: Arbitrary<Buffer> = fc.oneof(
  fc.oneof(fc.constantFrom(0x01000040, 0x01000020, 0x00000040, 0x01000001, 0), u32).map(ccpOption.mppe),
  fc.tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 31 })).map(([v, bits]) => ccpOption.bsdCompress(v, bits)),
  fc.integer({ min: 8, max: 15 }).map(ccpOption.deflate),
);

const configureCode = fc.constantFrom(ControlCode.ConfigureRequest, ControlCode.ConfigureAck, ControlCode.ConfigureNak, ControlCode.ConfigureReject);

function configure(protocol: number, option: Arbitrary<Buffer>): Arbitrary<PppPacket> {
  return fc
    .tuple(configureCode, u8, fc.array(option, { maxLength: 6 }))
    .map(([code, id, options]) => ({ protocol, information: configurePacket(code, id, options) }));
}

function terminate(protocol: number): Arbitrary<PppPacket> {
  return fc
    .tuple(fc.constantFrom<5 | 6>(5, 6), u8, hostileText(60))
    .map(([code, id, reason]) => ({ protocol, information: terminatePacket(code, id, reason) }));
}

const lcpPacket: Arbitrary<PppPacket> = fc.oneof(
  { weight: 4, arbitrary: configure(PppProtocol.LCP, lcpOptionArb) },
  { weight: 1, arbitrary: terminate(PppProtocol.LCP) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom<9 | 10 | 11>(9, 10, 11), u8, u32, bytes(8))
      .map(([code, id, magic, data]) => ({ protocol: PppProtocol.LCP, information: echoPacket(code, id, magic, data) })),
  },
  { weight: 1, arbitrary: fc.tuple(u8, u16, bytes(16)).map(([id, rejected, info]) => ({ protocol: PppProtocol.LCP, information: protocolReject(id, rejected, info) })) },
  { weight: 1, arbitrary: fc.tuple(u8, bytes(16)).map(([id, packet]) => ({ protocol: PppProtocol.LCP, information: codeReject(id, packet) })) },
);

const ipcpPacket = fc.oneof({ weight: 4, arbitrary: configure(PppProtocol.IPCP, ipcpOptionArb) }, { weight: 1, arbitrary: terminate(PppProtocol.IPCP) });

/** CCP adds Reset-Request (14) and Reset-Ack (15) to the usual codes (RFC 1962 §1.2). */
const ccpPacket = fc.oneof(
  { weight: 4, arbitrary: configure(PppProtocol.CCP, ccpOptionArb) },
  { weight: 1, arbitrary: terminate(PppProtocol.CCP) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(14, 15), u8).map(([code, id]) => ({ protocol: PppProtocol.CCP, information: controlPacket(code, id) })) },
);

const networkPacket = fc.oneof(lcpPacket, ipcpPacket, ccpPacket);

/** MS-CHAP error codes (RFC 2759 §6) and anything. */
const msChapError = fc.oneof(fc.constantFrom(646, 647, 648, 649, 691, 709), fc.nat(99999));

/** One authentication exchange: who sends what, in order. */
const authentication: Arbitrary<Array<PppPacket & { from: Side }>> = fc.oneof(
  fc.tuple(u8, hostileText(40), hostileText(20), fc.constantFrom<2 | 3>(2, 3), hostileText(60)).map(([id, peer, password, code, text]) => [
    { from: "client" as Side, protocol: PppProtocol.PAP, information: papRequest(id, peer, password) },
    { from: "server" as Side, protocol: PppProtocol.PAP, information: papReply(code, id, text) },
  ]),
  fc.tuple(u8, bytes(16), hostileText(40), bytes(49), hostileText(40), fc.constantFrom<3 | 4>(3, 4), hostileText(60)).map(
    ([id, challenge, serverName, response, user, code, text]) => [
      { from: "server" as Side, protocol: PppProtocol.CHAP, information: chapValue(1, id, challenge, serverName) },
      { from: "client" as Side, protocol: PppProtocol.CHAP, information: chapValue(2, id, response, user) },
      { from: "server" as Side, protocol: PppProtocol.CHAP, information: chapResult(code, id, text) },
    ],
  ),
  fc
    .tuple(
      u8,
      fc.uint8Array({ minLength: 16, maxLength: 16 }),
      fc.uint8Array({ minLength: 24, maxLength: 24 }),
      hostileText(40),
      fc.boolean(),
      msChapError,
      fc.boolean(),
      hostileText(60),
    )
    .map(([id, peerChallenge, ntResponse, user, success, error, retry, text]) => [
      { from: "server" as Side, protocol: PppProtocol.CHAP, information: chapValue(1, id, peerChallenge, "vpn-gw") },
      { from: "client" as Side, protocol: PppProtocol.CHAP, information: chapValue(2, id, msChapV2ResponseValue({ peerChallenge, ntResponse }), user) },
      {
        from: "server" as Side,
        protocol: PppProtocol.CHAP,
        information: success
          ? chapResult(3, id, msChapV2SuccessMessage(new Uint8Array(20), text))
          : chapResult(4, id, msChapFailureMessage({ error, retry, challenge: peerChallenge, version: 3, message: text })),
      },
    ]),
  fc.tuple(u8, hostileText(40), bytes(16), fc.constantFrom(3, 4)).map(([id, identity, value, result]) => [
    { from: "server" as Side, protocol: PppProtocol.EAP, information: eapIdentity(1, id, "") },
    { from: "client" as Side, protocol: PppProtocol.EAP, information: eapIdentity(2, id, identity) },
    { from: "server" as Side, protocol: PppProtocol.EAP, information: eapMd5Challenge(1, (id + 1) & 0xff, value, "vpn-gw") },
    { from: "client" as Side, protocol: PppProtocol.EAP, information: eapMd5Challenge(2, (id + 1) & 0xff, value, identity) },
    { from: "server" as Side, protocol: PppProtocol.EAP, information: eapPacket(result, (id + 1) & 0xff) },
  ]),
);

const pppStep = (from: Arbitrary<Side>, packet: Arbitrary<PppPacket>): Arbitrary<Step> =>
  fc.tuple(from, packet, fc.boolean()).map(([f, p, addressControl]) => ({ op: "ppp", from: f, ...p, addressControl }));

// ---------------------------------------------------------------------------
// Steps and sessions

const fate = fc.oneof(
  { weight: 8, arbitrary: fc.constant<GreFate>("delivered") },
  { weight: 1, arbitrary: fc.constantFrom<GreFate>("lost-before-capture", "lost-after-capture") },
);
const dataStep: Arbitrary<Step> = fc.record({ from: side, size: fc.integer({ min: 1, max: 1500 }), seed: u32, fate }).map((d) => ({ op: "data", ...d }));

const controlSegmentsStep: Arbitrary<Step> = fc
  .tuple(
    side,
    fc.array(anyMessage, { minLength: 1, maxLength: 3 }),
    fc.array(fc.tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 1, max: 1000 })), { minLength: 1, maxLength: 5 }),
  )
  .map(([from, messages, ranges]) => ({ op: "controlSegments", from, messages, ranges }));

const anyStep: Arbitrary<Step> = fc.oneof(
  fc.constantFrom<Step>({ op: "connect" }, { op: "syn" }, { op: "synAck" }),
  side.map((from): Step => ({ op: "reset", from })),
  side.map((from): Step => ({ op: "close", from })),
  side.map((from): Step => ({ op: "ackOnly", from })),
  fc.tuple(side, anyMessage).map(([from, m]): Step => ({ op: "control", from, message: m })),
  controlSegmentsStep,
  pppStep(side, networkPacket),
  authentication.map((packets) => packets[0]).map(({ from, ...p }): Step => ({ op: "ppp", from, ...p, addressControl: true })),
  dataStep,
  fc.integer({ min: 0, max: 120_000 }).map((millis): Step => ({ op: "wait", millis })),
  fc.tuple(side, fc.oneof(lcpPacket, ipcpPacket)).map(([from, p]): Step => ({ op: "linkPpp", from, ...p })),
);

const handshake: Arbitrary<Step[]> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Step[]>([{ op: "connect" }]) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Step[]>(
      [{ op: "syn" }],
      [{ op: "syn" }, { op: "syn" }],
      [{ op: "syn" }, { op: "reset", from: "server" }],
      [{ op: "syn" }, { op: "synAck" }],
    ),
  },
);

const incomingOrOutgoingCall: Arbitrary<Step[]> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.tuple(
      control("client", message(PptpMessageType.OutgoingCallRequest, { callId: "client-call-id" })),
      control("server", message(PptpMessageType.OutgoingCallReply, { callId: "server-call-id", peerCallId: "client-call-id" })),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(
      control("server", message(PptpMessageType.IncomingCallRequest, { callId: "server-call-id" })),
      control("client", message(PptpMessageType.IncomingCallReply, { callId: "client-call-id", peerCallId: "server-call-id" })),
      control("server", message(PptpMessageType.IncomingCallConnected, { peerCallId: "client-call-id" })),
    ),
  },
);

const optional = (steps: Arbitrary<Step[]>) => fc.oneof({ weight: 4, arbitrary: steps }, { weight: 1, arbitrary: fc.constant<Step[]>([]) });
const pppPhase = (packet: Arbitrary<PppPacket>) => fc.array(pppStep(side, packet), { maxLength: 6 });

/** A session in the order RFC 2637 and the PPP RFCs prescribe, every phase optional, then a few steps swapped. */
const scriptedSteps: Arbitrary<Step[]> = fc
  .tuple(
    handshake,
    optional(
      fc.tuple(
        control("client", message(PptpMessageType.StartControlConnectionRequest)),
        control("server", message(PptpMessageType.StartControlConnectionReply)),
      ),
    ),
    optional(incomingOrOutgoingCall),
    optional(control("client", message(PptpMessageType.SetLinkInfo, { peerCallId: "server-call-id" })).map((s) => [s])),
    optional(pppPhase(lcpPacket)),
    optional(authentication.map((packets) => packets.map(({ from, ...p }): Step => ({ op: "ppp", from, ...p, addressControl: false })))),
    optional(pppPhase(ccpPacket)),
    optional(pppPhase(ipcpPacket)),
    fc.array(dataStep, { maxLength: 30 }),
    optional(
      fc.tuple(
        control("client", message(PptpMessageType.CallClearRequest, { callId: "client-call-id" })),
        control("server", message(PptpMessageType.CallDisconnectNotify, { callId: "server-call-id" })),
        control("client", message(PptpMessageType.StopControlConnectionRequest)),
        control("server", message(PptpMessageType.StopControlConnectionReply)),
        side.map((from): Step => ({ op: "close", from })),
      ),
    ),
    fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 3 }),
  )
  .map(([...parts]) => {
    const swaps = parts.pop() as Array<[number, number]>;
    const steps = (parts as Step[][]).flat();
    for (const [a, b] of swaps) {
      if (steps.length < 2) break;
      const i = a % steps.length;
      const j = b % steps.length;
      [steps[i], steps[j]] = [steps[j], steps[i]];
    }
    return steps;
  });

const session: Arbitrary<SessionScript> = fc.record(
  {
    client: address,
    server: address,
    serverReplyAddress: address,
    serverGreAddress: address,
    clientPort: fc.integer({ min: 1024, max: 65535 }),
    clientCallId: u16,
    serverCallId: u16,
    clientIsn: u32,
    serverIsn: u32,
    startMillis: fc.integer({ min: 0, max: 5000 }),
    stepMicros: fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 2_000_000 })),
    steps: fc.oneof({ weight: 3, arbitrary: scriptedSteps }, { weight: 1, arbitrary: fc.array(anyStep, { maxLength: 25 }) }),
  },
  { requiredKeys: ["client", "server", "clientPort", "clientCallId", "serverCallId", "clientIsn", "serverIsn", "startMillis", "stepMicros", "steps"] },
);

const container: Arbitrary<Container> = fc.oneof(
  fc.record({ format: fc.constant("pcap" as const), bigEndian: fc.boolean(), nanosecond: fc.boolean() }),
  fc.record(
    { format: fc.constant("pcapng" as const), bigEndian: fc.boolean(), tsresol: fc.constantFrom(6, 9, 3, 0x80 | 20) },
    { requiredKeys: ["format", "bigEndian"] },
  ),
);

export const generatedCapture: Arbitrary<GeneratedCapture> = fc.record({
  container,
  framing: fc.constantFrom<Framing>("ethernet", "vlan", "linux-sll", "raw", "ppp-with-dir", "pppoe"),
  sessions: fc.array(session, { minLength: 1, maxLength: 3 }),
  effects: fc.array(fc.record({ op: fc.constantFrom<RecordEffect["op"]>("drop", "duplicate", "swap"), at: fc.nat(), to: fc.nat() }), { maxLength: 4 }),
});

// ---------------------------------------------------------------------------
// Playing a script

/** 2024-03-01T09:00:00Z, as the fixtures. */
const START_SEC = 1709283600;
const LINK_TYPE_OF: Readonly<Record<Framing, number>> = {
  ethernet: LinkType.ETHERNET,
  vlan: LinkType.ETHERNET,
  pppoe: LinkType.ETHERNET,
  "linux-sll": LinkType.LINUX_SLL,
  raw: LinkType.RAW,
  "ppp-with-dir": LinkType.PPP_WITH_DIR,
};
const PPPOE_SESSION_ID = 0x1234;
const VLAN_ID = 10;
const NS_PER_MS = 1_000_000;

/** The link-layer frame of a PPP frame on the capture's own PPP link, or undefined when the link is not PPP. */
function linkPppFrame(framing: Framing, from: Side, protocol: number, information: Uint8Array): Buffer | undefined {
  if (framing === "ppp-with-dir") return pppWithDirection(from === "client" ? PppDirection.Sent : PppDirection.Received, ppp({ protocol, payload: information }));
  if (framing === "pppoe") {
    const session = pppoeSession({ sessionId: PPPOE_SESSION_ID, payload: ppp({ protocol, payload: information, addressControl: false }) });
    return ethernet({ etherType: EtherType.PppoeSession, payload: session });
  }
  return undefined;
}

/** An IPv4 datagram framed for a link the conversation does not frame itself. */
function frameDatagram(framing: Framing, from: Side, datagram: Uint8Array): Uint8Array {
  switch (framing) {
    case "vlan":
      return ethernet({ vlans: [{ vid: VLAN_ID }], payload: datagram });
    case "ppp-with-dir":
    case "pppoe":
      return linkPppFrame(framing, from, PppProtocol.IPv4, datagram)!;
    default:
      return datagram;
  }
}

function resolveMessage(m: MessageScript, s: SessionScript): PptpMessageInit {
  const fields: Record<string, number | string> = {};
  for (const [name, value] of Object.entries(m.fields)) {
    fields[name] = value === "client-call-id" ? s.clientCallId : value === "server-call-id" ? s.serverCallId : value;
  }
  return { ...fields, type: m.type } as PptpMessageInit;
}

function play(s: SessionScript, framing: Framing, out: SynthRecord[]): void {
  const framed = framing === "ethernet" || framing === "linux-sll";
  const options: ConversationOptions = {
    client: s.client,
    server: s.server,
    clientPort: s.clientPort,
    clientCallId: s.clientCallId,
    serverCallId: s.serverCallId,
    clientIsn: s.clientIsn,
    serverIsn: s.serverIsn,
    framing: framed ? framing : "raw",
    startSec: START_SEC + Math.floor(s.startMillis / 1000),
    startNsec: (s.startMillis % 1000) * NS_PER_MS,
    stepMicros: s.stepMicros,
  };
  if (s.serverReplyAddress !== undefined) options.serverReplyAddress = s.serverReplyAddress;
  if (s.serverGreAddress !== undefined) options.serverGreAddress = s.serverGreAddress;
  let last = { tsSec: options.startSec, tsNsec: options.startNsec ?? 0 };
  const conv = new PptpConversation(options, (record, from) => {
    last = record;
    out.push(framed ? record : { ...record, data: frameDatagram(framing, from, record.data) });
  });
  for (const step of s.steps) {
    switch (step.op) {
      case "connect":
      case "syn":
      case "synAck":
        conv[step.op]();
        break;
      case "reset":
      case "close":
        conv[step.op](step.from);
        break;
      case "ackOnly":
        conv.greFrame(step.from, undefined);
        break;
      case "control":
        conv.control(step.from, resolveMessage(step.message, s));
        break;
      case "controlSegments": {
        const messages = step.messages.map((m) => resolveMessage(m, s));
        const total = step.messages.reduce((sum, m) => sum + PPTP_MESSAGES[m.type].length, 0);
        const ranges = step.ranges.map(([a, b]): [number, number] => {
          const start = Math.min(total - 1, Math.floor((a * total) / 1000));
          return [start, Math.max(start + 1, Math.min(total, Math.ceil((b * total) / 1000)))];
        });
        conv.controlSegments(step.from, messages, ranges);
        break;
      }
      case "ppp":
        conv.ppp(step.from, step.protocol, step.information, step.addressControl);
        break;
      case "linkPpp": {
        const data = linkPppFrame(framing, step.from, step.protocol, step.information);
        if (data) out.push({ tsSec: last.tsSec, tsNsec: last.tsNsec, data });
        break;
      }
      case "data": {
        const frame = new SeededRandom(step.seed).bytes(step.size);
        frame[0] = PppProtocol.Compressed; // an MPPE frame, protocol field compressed to one byte
        conv.greFrame(step.from, frame, step.fate);
        break;
      }
      case "wait":
        conv.wait(step.millis / 1000);
        break;
    }
  }
}

function applyEffects(records: SynthRecord[], effects: readonly RecordEffect[]): void {
  for (const { op, at, to } of effects) {
    if (records.length === 0) return;
    const i = at % records.length;
    if (op === "drop") records.splice(i, 1);
    else if (op === "duplicate") records.splice(i + 1, 0, records[i]);
    else {
      const j = to % records.length;
      [records[i], records[j]] = [records[j], records[i]];
    }
  }
}

/** The capture a script describes: sessions played, merged by time, record effects applied, written in its container. */
export function buildCapture(g: GeneratedCapture): Buffer {
  const records: SynthRecord[] = [];
  for (const s of g.sessions) play(s, g.framing, records);
  records.sort((a, b) => a.tsSec - b.tsSec || a.tsNsec - b.tsNsec);
  applyEffects(records, g.effects);
  const linkType = LINK_TYPE_OF[g.framing];
  const c = g.container;
  if (c.format === "pcap") return writePcap(records, { linkType, bigEndian: c.bigEndian, nanosecond: c.nanosecond });
  return writePcapng([{ bigEndian: c.bigEndian, interfaces: [{ linkType, tsresol: c.tsresol }], records }]);
}

/** File name extension of a generated capture. */
export function extensionOf(g: GeneratedCapture): string {
  return g.container.format;
}
