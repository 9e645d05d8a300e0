/**
 * PPP negotiation on one link, per direction: the option negotiation of LCP, IPCP, CCP
 * and IPV6CP (RFC 1661 §4 automaton, reduced to what a capture can show), the
 * authentication (PAP, CHAP and its Microsoft dialects, EAP), LCP echoes, and counts of
 * the data that flowed. The session model hands in every PPP frame of the link with the
 * side that sent it; summary() gives the facts the diagnosis rules read and the report
 * prints as `ppp`. Facts only: nothing here decides whether something is a problem.
 *
 * Data frames are the hot path: they only bump counters. Control packets are rare and
 * are decoded (allocation is fine there); everything kept is copied out of the frame.
 *
 * PppSummary, in short (every FrameOrigin is evidence a finding can cite):
 *
 *   lcp      NegotiationSummary + authRequested (option 3 per side and how the peer
 *            answered), mru, magic (looped link), compression (PFC/ACFC), echo per
 *            requester, protocolRejects, identification texts
 *   auth     the authentication the server asked of the client: protocol, peer name,
 *            result, detail (MS-CHAP "E=691 ..." parsed), frames
 *   authOfServer  the reverse (two-way CHAP on router links); usually "not-seen"
 *   ccp      NegotiationSummary + mppe (bits requested, suggested, acked per side)
 *   ipcp     NegotiationSummary + client/server address, who assigned which, DNS, NBNS
 *   ipv6cp   NegotiationSummary + interface identifiers
 *   malformed  control packets that did not decode cleanly
 *
 * A NegotiationSummary holds each side's Configure-Requests and the peer's answers
 * (`directions`), an event log of the control packets, and a `state`:
 *   "opened"     each side's last Configure-Request was Acked (and no Terminate of this
 *                protocol since; an NCP stays "opened" when LCP goes down after it)
 *   "closed"     it was opened, then a Terminate-Request ended it
 *   "failed"     see `failure.reason`: "protocol-rejected" (LCP Protocol-Reject from the
 *                peer), "auth-refused" (LCP only: the peer Nak'd or Rejected the
 *                authentication protocol), "terminated" (before opening), "nak-loop" /
 *                "reject-loop" (the same option refused NAK_LOOP_THRESHOLD times since
 *                the last Ack), "unanswered" (MAX_CONFIGURE requests in a row without an
 *                answer: the sender gives up, RFC 1661 §4.6), "ignored" (a request
 *                re-sent and still unanswered while the peer went on sending other
 *                frames after it)
 *   "incomplete" started, but the capture ends (or began) before any of the above
 *   "not-seen"   no packet of the protocol
 */
import { type FrameOrigin, originOf } from "../capture/frame.js";
import { CCP_SPEC, type CcpOption, CcpOptionType, MppeBit, mppeBitNames } from "../decode/ppp/ccp.js";
import { ChapCode, type MsChapFailure } from "../decode/ppp/chap.js";
import {
  CONTROL_HEADER_LENGTH,
  type ControlPacket,
  type ControlProtocolSpec,
  ControlCode,
  OPTION_HEADER_LENGTH,
  blankControlPacket,
  decodeControlPacket,
} from "../decode/ppp/control-packet.js";
import { hexOf } from "../decode/ppp/bytes.js";
import { type PppControlPacket, decodePppControl } from "../decode/ppp/decode.js";
import { EapCode, EapType } from "../decode/ppp/eap.js";
import { IPCP_SPEC, type IpcpOption, IpcpOptionType } from "../decode/ppp/ipcp.js";
import { IPV6CP_SPEC, type Ipv6cpOption } from "../decode/ppp/ipv6cp.js";
import { LCP_SPEC, type LcpOption, LcpOptionType } from "../decode/ppp/lcp.js";
import { PapCode } from "../decode/ppp/pap.js";
import { PppProtocol, pppProtocolName } from "../decode/ppp/protocols.js";
import { noItems } from "./empty-list.js";

export type PppSide = "client" | "server";
/** Where and when a PPP frame was seen (the model passes its frame origin). */
export type PppFrameOrigin = FrameOrigin;

/** Frames listed per fact (unanswered echoes, Nak'd options, malformed packets...); more are counted. */
export const MAX_FRAMES_LISTED = 8;
/** RFC 1661 §4.6 Max-Failure (default 5): Naks of one option after which the sender stops asking. */
export const NAK_LOOP_THRESHOLD = 5;
/** RFC 1661 §4.6 Max-Configure (default 10): unanswered Configure-Requests after which the sender gives up. */
export const MAX_CONFIGURE = 10;
/**
 * Configure-Request identifiers remembered per protocol and side, each with its exchange
 * (options and answer). A peer answers the request it got last, or one of the few before
 * it when answers cross re-sends; an answer to an identifier forgotten since counts as
 * unmatched. Without this bound a peer cycling through all 256 identifiers would make
 * every session keep 2048 exchanges with their options.
 */
export const MAX_EXCHANGES_REMEMBERED = 16;
/** Protocol numbers below this are network-layer data (RFC 1661 §2: 0x0***-0x7***); from it on, control. */
const FIRST_CONTROL_PROTOCOL = 0x8000;
/** Addresses that mean "none, please assign one" in IPCP and RFC 1877 options (RFC 1332 §3.3). */
const UNSPECIFIED_ADDRESS = "0.0.0.0";

const SIDES: readonly PppSide[] = ["client", "server"];
const CLIENT = 0;
const SERVER = 1;

// ---------------------------------------------------------------------------------------
// Summary types (plain JSON-serializable objects)

/**
 * How the peer answered a Configure-Request (RFC 1661 §5.2-5.4); a Terminate-Ack means
 * the peer's protocol is closed (RFC 1661 §4.1 state table, action "sta").
 */
export type AnswerKind = "ack" | "nak" | "reject" | "terminate-ack";
export type NegotiationState = "opened" | "closed" | "failed" | "incomplete" | "not-seen";
export type FailureReason =
  "protocol-rejected" | "auth-refused" | "terminated" | "nak-loop" | "reject-loop" | "unanswered" | "ignored";

/** One configuration option, its value as readable text (hex when we have no reading of it). */
export interface OptionFact {
  type: number;
  name: string;
  value: string;
  malformed?: string;
}

/** How often the peer Nak'd (or Rejected) one option type of this side. */
export interface OptionTally {
  type: number;
  name: string;
  count: number;
  /** Since this side's last Acked request: what the loop reasons count. */
  sinceAck: number;
  /** The value in the peer's last Nak (its suggestion) or Reject. */
  last: string;
  lastFrame: FrameOrigin;
  frames: FrameOrigin[];
}

/** The Configure-Requests one side sent and the peer's answers. */
export interface DirectionSummary {
  /** Configure-Request frames sent, retransmissions included. */
  requests: number;
  /** Re-sends of a still-unanswered request (same identifier or same options). */
  retransmissions: number;
  /** Requests (with their retransmissions) that the peer never answered. */
  unanswered: number;
  /** Configure-Request frames since the peer last answered (what Max-Configure counts). */
  requestsSinceAnswer: number;
  /** The last request is unanswered and the peer sent PPP frames after its first transmission. */
  peerActiveAfter: boolean;
  firstRequest: FrameOrigin | null;
  lastRequest: FrameOrigin | null;
  /** The answer to the last request. */
  lastAnswer: AnswerKind | "none" | "not-seen";
  lastAnswerFrame: FrameOrigin | null;
  /** The last Acked request: its options, the request and the Ack. */
  acked: { options: OptionFact[]; request: FrameOrigin; ack: FrameOrigin } | null;
  naks: OptionTally[];
  rejects: OptionTally[];
  /** Acks/Naks/Rejects whose identifier matches no request of this side (RFC 1661 §5.2: discarded). */
  unmatchedAnswers: number;
}

export interface TerminateFact {
  from: PppSide;
  /** The data of the Terminate-Request as text (e.g. "MPPE required but not available"). */
  text: string;
  frame: FrameOrigin;
  /** The peer's Terminate-Ack, null when none. */
  ack: FrameOrigin | null;
}

export interface NegotiationFailure {
  reason: FailureReason;
  /**
   * The side that rejected, refused or terminated; for "unanswered" and "ignored" the
   * side whose requests went unanswered.
   */
  side: PppSide;
  /** Terminate text, the option refused in a loop, the authentication protocol refused. */
  detail: string | null;
  frames: FrameOrigin[];
}

export interface NegotiationSummary {
  state: NegotiationState;
  failure: NegotiationFailure | null;
  /** The Ack that completed the (last) opening. */
  opened: FrameOrigin | null;
  /** Each side's Configure-Requests and the peer's answers to them. */
  directions: { client: DirectionSummary; server: DirectionSummary };
  /** The last Terminate-Request. */
  terminate: TerminateFact | null;
  terminations: number;
  /** The peer's LCP Protocol-Reject of this protocol: `by` is the side that rejected it. */
  protocolRejected: { by: PppSide; frame: FrameOrigin } | null;
  codeRejects: { from: PppSide; code: number; frame: FrameOrigin }[];
}

/** LCP option 3 of one side (the authenticator) and the peer's answers. */
export interface AuthRequestFacts {
  /** Protocols asked for, in order, e.g. ["MS-CHAPv2", "MS-CHAP"]. */
  asked: string[];
  /** The protocol in the last request carrying option 3, and that request. */
  requested: string;
  request: FrameOrigin;
  /** "pending": not Acked, and the peer's answers so far concerned other options. */
  answer: "acked" | "naked" | "rejected" | "pending";
  answerFrame: FrameOrigin | null;
  /** What the peer suggested instead in Naks of option 3, in order. */
  suggested: string[];
  /** The protocol in the last Acked request: what the link authenticates with. */
  acked: string | null;
}

export interface UnansweredEcho {
  frame: FrameOrigin;
  /** The peer sent PPP frames after this Echo-Request. */
  peerActiveAfter: boolean;
  /** Seconds from the request to the last PPP frame of the link. */
  secondsToLinkEnd: number;
}

/** LCP Echo-Requests one side sent (RFC 1661 §5.8) and the peer's Echo-Replies. */
export interface EchoFacts {
  requests: number;
  replies: number;
  unanswered: number;
  unansweredFrames: UnansweredEcho[];
  /** Replies whose identifier matches no pending request. */
  unmatchedReplies: number;
}

export interface LcpSummary extends NegotiationSummary {
  authRequested: { client: AuthRequestFacts | null; server: AuthRequestFacts | null };
  /** MRU each side asked to receive, from its Acked request (null: not negotiated, 1500 by RFC 1661 §6.1). */
  mru: { client: number | null; server: number | null };
  /** Magic numbers of each side's last request; equal ones mean a looped-back link (RFC 1661 §6.4). */
  magic: { client: number | null; server: number | null; looped: boolean };
  /** Protocol-Field / Address-and-Control-Field Compression each side's Acked request asked for. */
  compression: { client: { pfc: boolean; acfc: boolean }; server: { pfc: boolean; acfc: boolean } };
  echo: { client: EchoFacts; server: EchoFacts };
  protocolRejects: { from: PppSide; protocol: number; name: string; frame: FrameOrigin }[];
  protocolRejectsOmitted: number;
  /** Identification texts (RFC 1570 §2), e.g. Windows sends its RAS version and host name. */
  identification: { from: PppSide; text: string; frame: FrameOrigin }[];
}

export type AuthResult = "success" | "failure" | "none" | "not-seen";

export interface AuthResultDetail {
  frame: FrameOrigin;
  /** The authenticator's text (PAP message, CHAP Success/Failure message); null for EAP, which has none. */
  text: string | null;
  /** An MS-CHAP Failure "E=691 R=0 C=... V=3 M=..." parsed (RFC 2433 §6, RFC 2759 §6). */
  msChapFailure: MsChapFailure | null;
}

export interface AuthSummary {
  authenticator: PppSide;
  /**
   * "PAP", "CHAP-MD5", "MS-CHAP", "MS-CHAPv2", "CHAP" (algorithm unknown), "EAP": from
   * the packets, else from the option LCP Acked; null when neither.
   */
  protocol: string | null;
  /** EAP: the method the authenticator asked for after Identity (e.g. "MD5-Challenge"). */
  eapMethod: string | null;
  /** PAP Peer-ID, CHAP Response name, EAP Identity. */
  peerName: string | null;
  /** CHAP Challenge name. */
  authenticatorName: string | null;
  /** The last result; "none" when packets were seen but no result, "not-seen" when no packet. */
  result: AuthResult;
  /** The last result's detail. */
  detail: AuthResultDetail | null;
  successes: number;
  failures: number;
  frames: { challenge: FrameOrigin[]; response: FrameOrigin[]; result: FrameOrigin[] };
  truncated: boolean;
}

/** An MPPE/MPPC supported-bits word (RFC 3078 §2.1). */
export interface MppeWord {
  bits: number;
  hex: string;
  names: string[];
}

export interface MppeSideFacts {
  /** Option 18 in this side's last request that carried it. */
  requested: MppeWord | null;
  /** The peer's last Nak of option 18: the bits it wants instead. */
  suggested: MppeWord | null;
  /** Option 18 in this side's Acked request. */
  acked: MppeWord | null;
  /** The peer's Configure-Reject of option 18. */
  rejected: FrameOrigin | null;
}

export interface CcpSummary extends NegotiationSummary {
  mppe: {
    client: MppeSideFacts;
    server: MppeSideFacts;
    /** The word both sides' Acked requests carry, when they are the same. */
    agreed: MppeWord | null;
    /** Both sides requested MPPE and their encryption bits (M, S, L) have none in common. */
    encryptionMismatch: boolean;
  };
  resetRequests: number;
}

export interface AddressAssignment {
  /** Whose address. */
  side: PppSide;
  address: string;
  /** The peer when its Nak suggested the address, else the side itself. */
  assignedBy: PppSide;
  /** The Nak that suggested it, null when the side chose it. */
  nak: FrameOrigin | null;
  request: FrameOrigin;
  ack: FrameOrigin;
  /** The address the side asked for first (0.0.0.0: "assign me one", RFC 1332 §3.3). */
  firstRequested: string | null;
}

export interface IpcpSummary extends NegotiationSummary {
  /** The address in the client's (server's) Acked request: the address it ends up with. */
  client: string | null;
  server: string | null;
  assigned: AddressAssignment[];
  /** RFC 1877 DNS (129, 131) and NBNS (130, 132) addresses: Acked, else suggested by Nak. */
  dns: string[];
  nbns: string[];
  /** The peer's Configure-Reject of the side's IP-Address option. */
  addressRejected: { client: FrameOrigin | null; server: FrameOrigin | null };
}

export interface Ipv6cpSummary extends NegotiationSummary {
  /** Interface identifiers in each side's Acked request. */
  client: string | null;
  server: string | null;
}

export interface MalformedPacket {
  frame: FrameOrigin;
  from: PppSide;
  protocol: string;
  reason: string;
}

/** What the negotiation's own bounds left out (the limit-reached finding reports it). */
export interface PppLimitsReached {
  /** Configure-Request identifiers forgotten beyond MAX_EXCHANGES_REMEMBERED, over every protocol and side. */
  exchangesForgotten: number;
  /** Answers that came for a forgotten identifier (also counted as unmatched answers). */
  answersToForgotten: number;
  /** Options beyond MAX_OPTIONS in one packet, not decoded, and the packets that had them. */
  optionsOmitted: number;
  packetsWithOptionsOmitted: number;
}

export interface PppSummary {
  lcp: LcpSummary;
  auth: AuthSummary;
  authOfServer: AuthSummary;
  ccp: CcpSummary;
  ipcp: IpcpSummary;
  ipv6cp: Ipv6cpSummary;
  malformed: { count: number; packets: MalformedPacket[]; truncated: boolean };
  limits: PppLimitsReached;
}

// ---------------------------------------------------------------------------------------
// Options

/** Every protocol's option fields in one type: each decoded option has a subset. */
type AnyOption = LcpOption & IpcpOption & CcpOption & Ipv6cpOption;
type NegotiationPacket = ControlPacket<string, AnyOption>;

/** Names of the authentication protocols; CHAP by its LCP algorithm octet (RFC 1994 §3, RFC 2433, RFC 2759). */
const CHAP_DIALECTS: Readonly<Record<number, string>> = { 5: "CHAP-MD5", 0x80: "MS-CHAP", 0x81: "MS-CHAPv2" };

function authProtocolName(protocol: number, chapAlgorithm: number | null): string {
  switch (protocol) {
    case PppProtocol.PAP:
      return "PAP";
    case PppProtocol.EAP:
      return "EAP";
    case PppProtocol.CHAP:
      if (chapAlgorithm === null || chapAlgorithm < 0) return "CHAP";
      return CHAP_DIALECTS[chapAlgorithm] ?? `CHAP (algorithm ${chapAlgorithm})`;
    default:
      return pppProtocolName(protocol);
  }
}

const interfaceIdentifierOf = (o: AnyOption): string | undefined => o.interfaceIdentifier;

const hex32 = (value: number): string => `0x${value.toString(16).padStart(8, "0")}`;

/**
 * MPPE words shared by every summary, by bits: links of one capture ask for a handful of
 * combinations, and each side's request, the peer's Nak and the Ack often carry the same.
 * Bounded, as the bits are packet data: beyond the limit a word is made per use.
 */
const MAX_SHARED_MPPE_WORDS = 64;
const sharedMppeWords = new Map<number, MppeWord>();

function mppeWord(option: AnyOption): MppeWord | null {
  const bits = option.supportedBits;
  if (bits === undefined) return null;
  const shared = sharedMppeWords.get(bits);
  if (shared !== undefined) return shared;
  const word: MppeWord = { bits, hex: hex32(bits), names: mppeBitNames(bits) };
  // frozen, as a reader changing one would change it for every link
  if (sharedMppeWords.size < MAX_SHARED_MPPE_WORDS) sharedMppeWords.set(bits, frozen(word));
  return word;
}

/** The option's value as readable text; hex when the value is damaged or has no reading. */
function optionValueText(o: AnyOption): string {
  if (o.malformed !== null) return o.value;
  if (o.mru !== undefined) return String(o.mru);
  if (o.mrru !== undefined) return String(o.mrru);
  if (o.accm !== undefined) return hex32(o.accm);
  if (o.authProtocol !== undefined) return authProtocolName(o.authProtocol, o.chapAlgorithm ?? null);
  if (o.magicNumber !== undefined) return hex32(o.magicNumber);
  if (o.callbackOperationName !== undefined) return o.callbackOperationName;
  if (o.address !== undefined) return o.address;
  if (o.sourceAddress !== undefined) return `${o.sourceAddress} ${o.destinationAddress}`;
  if (o.compressionProtocolName !== undefined) return o.compressionProtocolName;
  if (o.supportedBits !== undefined) return `${hex32(o.supportedBits)} (${mppeBitNames(o.supportedBits).join(", ")})`;
  if (o.interfaceIdentifier !== undefined) return o.interfaceIdentifier;
  return o.value;
}

/**
 * Well-formed option facts shared by every summary, by option name and value bytes (hex):
 * the Acked options of most links are the same few (PFC, ACFC, the MRU, MS-CHAPv2...).
 * Keyed by the bytes the decoder already holds, so a fact found costs no text. Bounded,
 * as the values are packet data: beyond the limit a fact is made per use.
 */
const MAX_SHARED_OPTION_FACTS = 256;
const sharedOptionFacts = new Map<string, Map<string, OptionFact>>();
let sharedOptionFactCount = 0;

function optionFact(o: AnyOption): OptionFact {
  // a Magic-Number is chosen at random per link: sharing it would only fill the table;
  // a cut option's value (hex of the bytes present) could match a whole one's bytes but reads differently
  const shareable =
    o.malformed === null && o.magicNumber === undefined && o.value.length === 2 * (o.length - OPTION_HEADER_LENGTH);
  const byValue = shareable ? sharedOptionFacts.get(o.name) : undefined;
  const shared = byValue?.get(o.value);
  if (shared !== undefined && shared.type === o.type) return shared;
  const value = optionValueText(o);
  if (o.malformed !== null) return { type: o.type, name: o.name, value, malformed: o.malformed };
  const fact: OptionFact = { type: o.type, name: o.name, value };
  if (shareable && shared === undefined && sharedOptionFactCount < MAX_SHARED_OPTION_FACTS) {
    // frozen, as a reader changing one would change it for every link
    if (byValue === undefined) sharedOptionFacts.set(o.name, new Map([[o.value, Object.freeze(fact)]]));
    else byValue.set(o.value, Object.freeze(fact));
    sharedOptionFactCount++;
  }
  return fact;
}

/** The first well-formed option of this type. */
function findOption(options: readonly AnyOption[], type: number): AnyOption | undefined {
  // Indexed loops here and below: for-of and find() allocate an iterator or a closure per call.
  for (let i = 0; i < options.length; i++) {
    if (options[i].type === type && options[i].malformed === null) return options[i];
  }
  return undefined;
}

/** The CHAP algorithm in the exchange's Authentication-Protocol option; -1 when none. */
function chapAlgorithmIn(exchange: Exchange | null): number {
  const option = exchange === null ? undefined : findOption(exchange.options, LcpOptionType.AuthenticationProtocol);
  return option?.authProtocol === PppProtocol.CHAP && option.chapAlgorithm !== undefined ? option.chapAlgorithm : -1;
}

/** The option of this type in the side's Acked request. */
function ackedOption(direction: Direction, type: number): AnyOption | undefined {
  return direction.acked === null ? undefined : findOption(direction.acked.options, type);
}

type CompressionFacts = LcpSummary["compression"]["client"];
/** The four answers compression() can give, shared (frozen) by every summary: index pfc + 2 * acfc. */
const COMPRESSIONS: readonly CompressionFacts[] = [
  { pfc: false, acfc: false },
  { pfc: true, acfc: false },
  { pfc: false, acfc: true },
  { pfc: true, acfc: true },
].map((facts) => Object.freeze(facts));

function compression(direction: Direction): CompressionFacts {
  const pfc = ackedOption(direction, LcpOptionType.ProtocolFieldCompression) !== undefined;
  const acfc = ackedOption(direction, LcpOptionType.AddressControlFieldCompression) !== undefined;
  return COMPRESSIONS[(pfc ? 1 : 0) + (acfc ? 2 : 0)];
}

/** LCP fails "auth-refused" when the peer Nak'd or Rejected the authentication `side` asked for. */
function authRefusal(side: number, facts: AuthRequestFacts | null): NegotiationFailure | null {
  if (facts === null || (facts.answer !== "naked" && facts.answer !== "rejected")) return null;
  return {
    reason: "auth-refused",
    side: SIDES[1 - side],
    detail: `${facts.requested} ${facts.answer === "naked" ? "Nak'd" : "Rejected"}`,
    frames: facts.answerFrame === null ? noItems() : [facts.answerFrame],
  };
}

/** Name-server addresses one IPCP summary lists: a primary and a secondary option type, from each side. */
const SERVER_ADDRESSES_LISTED = 4;

/** The list with a name-server address appended, unless it is missing, unspecified or listed already. */
function withServerAddress(list: string[], address: string | undefined): string[] {
  if (address === undefined || address === UNSPECIFIED_ADDRESS || list.includes(address)) return list;
  return appendBounded(list, address, SERVER_ADDRESSES_LISTED);
}

/**
 * The options field of a Configure-Request as hex, for telling a retransmission by its
 * bytes; null when the decoded options spell the field out exactly (each whole, none
 * omitted, no bytes after them): then equal option lists (type, length, value) mean equal
 * bytes, and the options compare without making the text. Whether they spell it out
 * depends on the bytes alone, so a request that does and one that does not never match.
 */
function spelledOutHex(packet: NegotiationPacket, buf: Uint8Array, offset: number, length: number): string | null {
  const available = Math.max(Math.min(packet.length, length) - CONTROL_HEADER_LENGTH, 0);
  let spelledOut = packet.optionsOmitted === 0;
  let covered = 0;
  for (let i = 0; i < packet.options.length && spelledOut; i++) {
    const option = packet.options[i];
    covered += option.length;
    spelledOut = option.value.length === 2 * (option.length - OPTION_HEADER_LENGTH);
  }
  return spelledOut && covered === available ? null : hexOf(buf, offset + CONTROL_HEADER_LENGTH, available);
}

/**
 * A new list of the list's items and this one, sized exactly; the list itself when it holds
 * `limit` items already. The lists of facts here (frames, names...) start as the shared
 * empty one (noItems) and are replaced, never written to, so summaries hand them out as
 * they are instead of copying them, and none keeps the room for 16 that a first push
 * makes. Control packets alone append, to lists of a few items.
 */
function appendBounded<T>(list: T[], item: T, limit: number): T[] {
  if (list.length >= limit) return list;
  const longer = new Array<T>(list.length + 1);
  for (let i = 0; i < list.length; i++) longer[i] = list[i];
  longer[list.length] = item;
  return longer;
}

const seconds = (o: FrameOrigin): number => o.tsSec + o.tsNsec / 1e9;

// ---------------------------------------------------------------------------------------
// One control protocol: the requests of each side and the answers to them

interface Exchange {
  identifier: number;
  options: readonly AnyOption[];
  /** The first transmission and the latest (re)transmission, with their sequence numbers on the link. */
  first: FrameOrigin;
  firstSeq: number;
  last: FrameOrigin;
  lastSeq: number;
  answer: AnswerKind | null;
  answerFrame: FrameOrigin | null;
  answerOptions: readonly AnyOption[];
}

interface RememberedExchange {
  identifier: number;
  exchange: Exchange;
}

/** How often the peer refused one option type of this side: its OptionTally, with the last option as decoded. */
interface Tally {
  type: number;
  name: string;
  count: number;
  sinceAck: number;
  /** The option in the peer's last Nak or Reject: the summary gets its text. */
  lastOption: AnyOption;
  lastFrame: FrameOrigin;
  frames: FrameOrigin[];
}

/** Option types are one octet: a table of tallies by type holds at most this many. */
const OPTION_TYPES = 256;

/** Stands for an option list nothing was put in yet (no first request, no answer). */
const NO_OPTIONS: readonly AnyOption[] = noItems();

/** What one direction forgot to stay within MAX_EXCHANGES_REMEMBERED (rare: kept apart from Direction). */
class Forgotten {
  /** Identifiers forgotten, until a request uses one again (one octet: at most 256). */
  readonly identifiers = new Set<number>();
  /** Identifiers forgotten, and answers that came for them afterwards (counted in unmatchedAnswers too). */
  count = 0;
  answers = 0;
}

/** The Configure-Requests of one side of one protocol. */
class Direction {
  requests = 0;
  retransmissions = 0;
  /** Exchanges superseded by a new request without having been answered. */
  supersededUnanswered = 0;
  requestsSinceAnswer = 0;
  first: FrameOrigin | null = null;
  /** Options of the first request (what the side wanted before any Nak). */
  firstOptions: readonly AnyOption[] = NO_OPTIONS;
  /** The last well-formed option of the watched type any request carried (see Negotiation.watchedType). */
  lastWatched: AnyOption | null = null;
  current: Exchange | null = null;
  /** The current request's options field as hex when its options do not spell it out (see spelledOutHex). */
  private currentOptionsHex: string | null = null;
  /**
   * The exchanges of the last MAX_EXCHANGES_REMEMBERED identifiers, in the order they were
   * last requested, each identifier once (a re-send under a new identifier files its exchange
   * under both). A short list rather than a Map: most directions hold one or two.
   */
  private remembered: readonly RememberedExchange[] = noItems();
  /** What was forgotten to stay within MAX_EXCHANGES_REMEMBERED; made at the first identifier forgotten. */
  forgotten: Forgotten | null = null;
  acked: Exchange | null = null;
  /**
   * One tally per option type (at most OPTION_TYPES), in the order the peer first refused
   * them. Lists rather than Maps: most directions never see a Nak or a Reject, the others
   * of one or two option types.
   */
  naks: Tally[] = noItems();
  rejects: Tally[] = noItems();
  unmatchedAnswers = 0;

  /**
   * A Configure-Request: a new exchange, or a re-send of the current unanswered one.
   * `watchedType`: the option type lastWatched keeps (Negotiation.watchedType).
   */
  request(
    packet: NegotiationPacket,
    optionsHex: string | null,
    origin: FrameOrigin,
    seq: number,
    watchedType: number,
  ): void {
    this.requests++;
    this.requestsSinceAnswer++;
    const frame = originOf(origin);
    if (this.first === null) {
      this.first = frame;
      this.firstOptions = packet.options;
    }
    const options = packet.options;
    for (let i = 0; i < options.length; i++) {
      if (options[i].type === watchedType && options[i].malformed === null) this.lastWatched = options[i];
    }
    const current = this.current;
    if (
      current !== null &&
      current.answer === null &&
      (current.identifier === packet.identifier || this.sameOptionsAsCurrent(packet.options, optionsHex))
    ) {
      this.retransmissions++;
      current.identifier = packet.identifier;
      this.currentOptionsHex = optionsHex;
      current.options = packet.options;
      current.last = frame;
      current.lastSeq = seq;
      this.remember(current);
      return;
    }
    if (current !== null && current.answer === null) this.supersededUnanswered++;
    const exchange: Exchange = {
      identifier: packet.identifier,
      options: packet.options,
      first: frame,
      firstSeq: seq,
      last: frame,
      lastSeq: seq,
      answer: null,
      answerFrame: null,
      answerOptions: NO_OPTIONS,
    };
    this.current = exchange;
    this.currentOptionsHex = optionsHex;
    this.remember(exchange);
  }

  /** A request with these options (and options field hex, see spelledOutHex) repeats the current one's bytes. */
  private sameOptionsAsCurrent(options: readonly AnyOption[], optionsHex: string | null): boolean {
    if (optionsHex !== null || this.currentOptionsHex !== null) return optionsHex === this.currentOptionsHex;
    const currentOptions = this.current!.options;
    if (options.length !== currentOptions.length) return false;
    for (let i = 0; i < options.length; i++) {
      const a = options[i];
      const b = currentOptions[i];
      if (a.type !== b.type || a.length !== b.length || a.value !== b.value) return false;
    }
    return true;
  }

  /** Files the exchange under its identifier, last; forgets the identifier requested longest ago beyond the bound. */
  private remember(exchange: Exchange): void {
    const entry = { identifier: exchange.identifier, exchange };
    this.forgotten?.identifiers.delete(entry.identifier);
    if (this.remembered.length === 0) {
      this.remembered = [entry];
      return;
    }
    const remembered = this.remembered as RememberedExchange[];
    const previous = this.rememberedIndex(entry.identifier);
    if (previous >= 0) remembered.splice(previous, 1);
    remembered.push(entry);
    if (remembered.length <= MAX_EXCHANGES_REMEMBERED) return;
    const forgotten = (this.forgotten ??= new Forgotten());
    forgotten.count++;
    forgotten.identifiers.add(remembered.shift()!.identifier);
  }

  /** Where the identifier is in `remembered`, -1 when it is not. */
  private rememberedIndex(identifier: number): number {
    const remembered = this.remembered;
    for (let i = 0; i < remembered.length; i++) if (remembered[i].identifier === identifier) return i;
    return -1;
  }

  /** The peer's Ack/Nak/Reject/Terminate-Ack of the request with this identifier; null when none matches. */
  answer(kind: AnswerKind, identifier: number, options: readonly AnyOption[], origin: FrameOrigin): Exchange | null {
    const index = this.rememberedIndex(identifier);
    if (index < 0) {
      this.unmatchedAnswers++;
      if (this.forgotten?.identifiers.has(identifier)) this.forgotten.answers++;
      return null;
    }
    this.requestsSinceAnswer = 0;
    const exchange = this.remembered[index].exchange;
    if (exchange.answer !== null) return null; // a duplicate answer changes nothing
    const frame = originOf(origin);
    exchange.answer = kind;
    exchange.answerFrame = frame;
    exchange.answerOptions = options;
    if (kind === "ack") {
      this.acked = exchange;
      for (let i = 0; i < this.naks.length; i++) this.naks[i].sinceAck = 0;
      for (let i = 0; i < this.rejects.length; i++) this.rejects[i].sinceAck = 0;
    } else if (kind === "nak") {
      for (let i = 0; i < options.length; i++) this.naks = tallyOption(this.naks, options[i], frame);
    } else if (kind === "reject") {
      for (let i = 0; i < options.length; i++) this.rejects = tallyOption(this.rejects, options[i], frame);
    }
    return exchange;
  }

  summary(peerLastSeq: number): DirectionSummary {
    const current = this.current;
    const pending = current !== null && current.answer === null;
    return {
      requests: this.requests,
      retransmissions: this.retransmissions,
      unanswered: this.supersededUnanswered + (pending ? 1 : 0),
      requestsSinceAnswer: this.requestsSinceAnswer,
      peerActiveAfter: pending && peerLastSeq > current.firstSeq,
      firstRequest: this.first,
      lastRequest: current?.last ?? null,
      lastAnswer: current === null ? "not-seen" : (current.answer ?? "none"),
      lastAnswerFrame: current?.answerFrame ?? null,
      acked:
        this.acked === null || this.acked.answerFrame === null
          ? null
          : { options: this.acked.options.map(optionFact), request: this.acked.last, ack: this.acked.answerFrame },
      naks: tallySummaries(this.naks),
      rejects: tallySummaries(this.rejects),
      unmatchedAnswers: this.unmatchedAnswers,
    };
  }
}

/** The tally of this option type, undefined when there is none. */
function tallyOf(tallies: readonly Tally[], type: number): Tally | undefined {
  for (let i = 0; i < tallies.length; i++) if (tallies[i].type === type) return tallies[i];
  return undefined;
}

/** The tallies with one more refusal of the option: its type's tally counts it, or a new one is appended. */
function tallyOption(tallies: Tally[], option: AnyOption, frame: FrameOrigin): Tally[] {
  const tally = tallyOf(tallies, option.type);
  if (tally === undefined) {
    const first: Tally = {
      type: option.type,
      name: option.name,
      count: 1,
      sinceAck: 1,
      lastOption: option,
      lastFrame: frame,
      frames: [frame],
    };
    return appendBounded(tallies, first, OPTION_TYPES);
  }
  tally.count++;
  tally.sinceAck++;
  tally.lastOption = option;
  tally.lastFrame = frame;
  tally.frames = appendBounded(tally.frames, frame, MAX_FRAMES_LISTED);
  return tallies;
}

/** Sized exactly, as the other lists of summaries: reports keep them. */
function tallySummaries(tallies: readonly Tally[]): OptionTally[] {
  return tallies.length === 0 ? noItems() : tallies.map(tallySummary);
}

function tallySummary(t: Tally): OptionTally {
  return {
    type: t.type,
    name: t.name,
    count: t.count,
    sinceAck: t.sinceAck,
    last: optionValueText(t.lastOption),
    lastFrame: t.lastFrame,
    frames: t.frames,
  };
}

/** A tally that reached NAK_LOOP_THRESHOLD since the last Ack, in the table's order. */
function loopingTally(tallies: readonly Tally[]): Tally | undefined {
  for (let i = 0; i < tallies.length; i++) if (tallies[i].sinceAck >= NAK_LOOP_THRESHOLD) return tallies[i];
  return undefined;
}

interface StateAndFailure {
  state: NegotiationState;
  failure: NegotiationFailure | null;
}
/** The states without a failure, shared: Negotiation.summary copies the fields out. */
const STATE_NOT_SEEN: StateAndFailure = { state: "not-seen", failure: null };
const STATE_OPENED: StateAndFailure = { state: "opened", failure: null };
const STATE_CLOSED: StateAndFailure = { state: "closed", failure: null };
const STATE_INCOMPLETE: StateAndFailure = { state: "incomplete", failure: null };
const failed = (failure: NegotiationFailure): StateAndFailure => ({ state: "failed", failure });

/** One option-negotiating protocol (LCP, IPCP, CCP, IPV6CP) in both directions. */
class Negotiation {
  readonly directions: readonly [Direction, Direction];
  packets = 0;
  /** The last Terminate-Request; never written to (its Ack replaces it), so summaries hand it out as it is. */
  terminate: TerminateFact | null = null;
  terminateSeq = 0;
  terminations = 0;
  opened: FrameOrigin | null = null;
  openedSeq = 0;
  protocolRejected: { by: PppSide; frame: FrameOrigin } | null = null;
  codeRejects: { from: PppSide; code: number; frame: FrameOrigin }[] = noItems();
  resetRequests = 0;

  /**
   * `watchedType`: the option type whose last requested value the summary reports for
   * each side whether or not the peer Acked it (LCP Magic-Number, CCP MPPE), -1 for none.
   */
  constructor(private readonly watchedType: number) {
    this.directions = [new Direction(), new Direction()];
  }

  /**
   * One packet of this protocol from `side`; returns the exchange a Configure-Ack/Nak/
   * Reject answered (null for other packets and unmatched answers).
   */
  receive(
    side: number,
    packet: NegotiationPacket,
    optionsHex: string | null,
    origin: FrameOrigin,
    seq: number,
  ): Exchange | null {
    this.packets++;
    const from = SIDES[side];
    const peer = this.directions[1 - side];
    switch (packet.code) {
      case ControlCode.ConfigureRequest:
        this.directions[side].request(packet, optionsHex, origin, seq, this.watchedType);
        return null;
      case ControlCode.ConfigureAck:
      case ControlCode.ConfigureNak:
      case ControlCode.ConfigureReject: {
        const kind =
          packet.code === ControlCode.ConfigureAck
            ? "ack"
            : packet.code === ControlCode.ConfigureNak
              ? "nak"
              : "reject";
        const answered = peer.answer(kind, packet.identifier, packet.options, origin);
        if (
          kind === "ack" &&
          answered !== null &&
          answered === peer.current &&
          this.directions[side].current?.answer === "ack"
        ) {
          this.opened = answered.answerFrame;
          this.openedSeq = seq;
        }
        return answered;
      }
      case ControlCode.TerminateRequest:
        this.terminations++;
        this.terminate = { from, text: packet.text ?? "", frame: originOf(origin), ack: null };
        this.terminateSeq = seq;
        return null;
      case ControlCode.TerminateAck: {
        const terminate = this.terminate;
        if (terminate !== null && terminate.from !== from && terminate.ack === null) {
          this.terminate = { from: terminate.from, text: terminate.text, frame: terminate.frame, ack: originOf(origin) };
        } else if (peer.current !== null && peer.current.answer === null) {
          peer.answer("terminate-ack", peer.current.identifier, NO_OPTIONS, origin);
        }
        return null;
      }
      case ControlCode.CodeReject: {
        if (this.codeRejects.length >= MAX_FRAMES_LISTED) return null;
        const entry = { from, code: packet.rejectedCode ?? -1, frame: originOf(origin) };
        this.codeRejects = appendBounded(this.codeRejects, entry, MAX_FRAMES_LISTED);
        return null;
      }
      case ControlCode.ResetRequest:
        this.resetRequests++;
        return null;
      default:
        return null;
    }
  }

  /** Acked both ways and not terminated since. */
  isOpen(): boolean {
    const client = this.directions[CLIENT];
    const server = this.directions[SERVER];
    if (client.current?.answer !== "ack" || server.current?.answer !== "ack") return false;
    return this.terminate === null || this.terminateSeq < this.openedSeq;
  }

  stateOf(
    linkLastSeq: readonly number[],
    refusal: NegotiationFailure | null,
  ): StateAndFailure {
    if (this.packets === 0 && this.protocolRejected === null) return STATE_NOT_SEEN;
    if (this.isOpen()) return STATE_OPENED;
    if (this.protocolRejected !== null) {
      const { by, frame } = this.protocolRejected;
      return failed({ reason: "protocol-rejected", side: by, detail: null, frames: [frame] });
    }
    if (refusal !== null) return failed(refusal);
    const lastRequestSeq = Math.max(this.directions[0].current?.lastSeq ?? 0, this.directions[1].current?.lastSeq ?? 0);
    const terminate = this.terminate;
    if (terminate !== null && this.terminateSeq > lastRequestSeq) {
      if (this.opened !== null) return STATE_CLOSED;
      return failed({ reason: "terminated", side: terminate.from, detail: terminate.text, frames: [terminate.frame] });
    }
    for (let side = 0; side < 2; side++) {
      const direction = this.directions[side];
      const nakLoop = loopingTally(direction.naks);
      const looping = nakLoop ?? loopingTally(direction.rejects);
      if (looping !== undefined) {
        const reason = looping === nakLoop ? "nak-loop" : "reject-loop";
        return failed({ reason, side: SIDES[1 - side], detail: looping.name, frames: looping.frames });
      }
    }
    for (let side = 0; side < 2; side++) {
      const direction = this.directions[side];
      const current = direction.current;
      if (current === null || current.answer !== null) continue;
      // Re-sent, so the sender waited for an answer, while the peer kept sending: ignored.
      const ignored = current.lastSeq > current.firstSeq && linkLastSeq[1 - side] > current.firstSeq;
      if (direction.requestsSinceAnswer < MAX_CONFIGURE && !ignored) continue;
      return failed({
        reason: direction.requestsSinceAnswer >= MAX_CONFIGURE ? "unanswered" : "ignored",
        side: SIDES[side],
        detail: null,
        frames: current.first === current.last ? [current.first] : [current.first, current.last],
      });
    }
    return STATE_INCOMPLETE;
  }
}

/**
 * The facts every negotiating protocol reports, first in its summary; the classes below
 * add each protocol's own after them (the report's order). Classes rather than a literal
 * extended with Object.assign: V8 sizes a class's instances for the fields its subclass
 * sets, while fields assigned onto a literal go to a separate store, regrown as it fills.
 */
class NegotiationFacts implements NegotiationSummary {
  readonly state: NegotiationState;
  readonly failure: NegotiationFailure | null;
  readonly opened: FrameOrigin | null;
  readonly directions: { client: DirectionSummary; server: DirectionSummary };
  readonly terminate: TerminateFact | null;
  readonly terminations: number;
  readonly protocolRejected: { by: PppSide; frame: FrameOrigin } | null;
  readonly codeRejects: { from: PppSide; code: number; frame: FrameOrigin }[];

  constructor(negotiation: Negotiation, linkLastSeq: readonly number[], refusal: NegotiationFailure | null = null) {
    const { state, failure } = negotiation.stateOf(linkLastSeq, refusal);
    this.state = state;
    this.failure = failure;
    this.opened = negotiation.opened;
    this.directions = {
      client: negotiation.directions[CLIENT].summary(linkLastSeq[SERVER]),
      server: negotiation.directions[SERVER].summary(linkLastSeq[CLIENT]),
    };
    this.terminate = negotiation.terminate;
    this.terminations = negotiation.terminations;
    this.protocolRejected = negotiation.protocolRejected;
    this.codeRejects = negotiation.codeRejects;
  }
}

// The protocol summaries: PppNegotiation sets their own fields right after making them.
class LcpFacts extends NegotiationFacts implements LcpSummary {
  authRequested!: LcpSummary["authRequested"];
  mru!: LcpSummary["mru"];
  magic!: LcpSummary["magic"];
  compression!: LcpSummary["compression"];
  echo!: LcpSummary["echo"];
  protocolRejects!: LcpSummary["protocolRejects"];
  protocolRejectsOmitted!: number;
  identification!: LcpSummary["identification"];
}

class CcpFacts extends NegotiationFacts implements CcpSummary {
  mppe!: CcpSummary["mppe"];
  resetRequests!: number;
}

class IpcpFacts extends NegotiationFacts implements IpcpSummary {
  client!: string | null;
  server!: string | null;
  assigned!: AddressAssignment[];
  dns!: string[];
  nbns!: string[];
  addressRejected!: IpcpSummary["addressRejected"];
}

class Ipv6cpFacts extends NegotiationFacts implements Ipv6cpSummary {
  client!: string | null;
  server!: string | null;
}

// ---------------------------------------------------------------------------------------
// Authentication

/** The code the authenticated peer sends (every other code comes from the authenticator). */
const PEER_CODE: Readonly<Record<number, number>> = {
  [PppProtocol.PAP]: PapCode.AuthenticateRequest,
  [PppProtocol.CHAP]: ChapCode.Response,
  [PppProtocol.EAP]: EapCode.Response,
};

/** EAP types that are not an authentication method (RFC 3748 §5.1-5.3). */
const EAP_NON_METHODS: ReadonlySet<number> = new Set([EapType.Identity, EapType.Notification, EapType.Nak]);

type FrameListName = "challenge" | "response" | "result";

/** One authenticator's authentication of its peer. */
class Authentication {
  /** PPP protocol of the packets seen, -1 before the first. */
  protocol = -1;
  /** The CHAP algorithm the packets were decoded with. */
  chapAlgorithm = -1;
  eapMethod: string | null = null;
  peerName: string | null = null;
  authenticatorName: string | null = null;
  result: "success" | "failure" | null = null;
  detail: AuthResultDetail | null = null;
  successes = 0;
  failures = 0;
  readonly frames: Record<FrameListName, FrameOrigin[]> = {
    challenge: noItems(),
    response: noItems(),
    result: noItems(),
  };
  truncated = false;

  constructor(readonly authenticator: PppSide) {}

  note(list: FrameListName, origin: FrameOrigin): void {
    this.listFrame(list, originOf(origin));
  }

  private listFrame(list: FrameListName, frame: FrameOrigin): void {
    const frames = this.frames[list];
    if (frames.length >= MAX_FRAMES_LISTED) this.truncated = true;
    else this.frames[list] = appendBounded(frames, frame, MAX_FRAMES_LISTED);
  }

  finish(
    outcome: "success" | "failure",
    origin: FrameOrigin,
    text: string | null,
    msChapFailure: MsChapFailure | null,
  ): void {
    this.result = outcome;
    if (outcome === "success") this.successes++;
    else this.failures++;
    const frame = originOf(origin);
    this.detail = { frame, text, msChapFailure };
    this.listFrame("result", frame);
  }

  summary(lcpProtocol: string | null): AuthSummary {
    const seen = this.protocol >= 0;
    return {
      authenticator: this.authenticator,
      protocol: seen ? authProtocolName(this.protocol, this.chapAlgorithm) : lcpProtocol,
      eapMethod: this.eapMethod,
      peerName: this.peerName,
      authenticatorName: this.authenticatorName,
      result: !seen ? "not-seen" : (this.result ?? "none"),
      detail: this.detail,
      successes: this.successes,
      failures: this.failures,
      frames: {
        challenge: this.frames.challenge,
        response: this.frames.response,
        result: this.frames.result,
      },
      truncated: this.truncated,
    };
  }
}

// ---------------------------------------------------------------------------------------
// LCP extras: echoes and the authentication option

interface PendingEcho {
  identifier: number;
  frame: FrameOrigin;
  seq: number;
}

class Echoes {
  requests = 0;
  replies = 0;
  unmatchedReplies = 0;
  /**
   * Requests awaiting their reply, each identifier once (one octet: at most 256), in the
   * order their identifiers were first used. A list rather than a Map: a link has an echo
   * or two out at a time.
   */
  private pending: PendingEcho[] = noItems();
  /** Requests whose identifier was reused before a reply came. */
  private lapsed: PendingEcho[] = noItems();
  private lapsedCount = 0;

  request(identifier: number, origin: FrameOrigin, seq: number): void {
    this.requests++;
    const echo = { identifier, frame: originOf(origin), seq };
    const index = this.pendingIndex(identifier);
    if (index < 0) {
      if (this.pending.length === 0) this.pending = [echo]; // a first push would make room for 16
      else this.pending.push(echo);
      return;
    }
    this.lapsedCount++;
    this.lapsed = appendBounded(this.lapsed, this.pending[index], MAX_FRAMES_LISTED);
    this.pending[index] = echo;
  }

  reply(identifier: number): void {
    const index = this.pendingIndex(identifier);
    if (index < 0) {
      this.unmatchedReplies++;
      return;
    }
    this.replies++;
    // Removed in place, keeping the order (splice would make a list of what it removed).
    this.pending.copyWithin(index, index + 1);
    this.pending.pop();
  }

  private pendingIndex(identifier: number): number {
    for (let i = 0; i < this.pending.length; i++) if (this.pending[i].identifier === identifier) return i;
    return -1;
  }

  summary(peerLastSeq: number, linkEnd: number): EchoFacts {
    const listed = Math.min(this.lapsed.length + this.pending.length, MAX_FRAMES_LISTED);
    const unansweredFrames: UnansweredEcho[] = listed === 0 ? noItems() : new Array<UnansweredEcho>(listed);
    for (let next = 0; next < listed; next++) {
      const echo = next < this.lapsed.length ? this.lapsed[next] : this.pending[next - this.lapsed.length];
      const secondsToLinkEnd = linkEnd - seconds(echo.frame);
      unansweredFrames[next] = { frame: echo.frame, peerActiveAfter: peerLastSeq > echo.seq, secondsToLinkEnd };
    }
    return {
      requests: this.requests,
      replies: this.replies,
      unanswered: this.lapsedCount + this.pending.length,
      unansweredFrames,
      unmatchedReplies: this.unmatchedReplies,
    };
  }
}

/** LCP option 3 as one side asked for it. */
class AuthOption {
  asked: string[] = noItems();
  suggested: string[] = noItems();
  /** The last request carrying option 3, and the protocol it asked for. */
  latest: Exchange | null = null;
  latestName = "";
}

// ---------------------------------------------------------------------------------------
// The link

/** The protocols PppNegotiation follows option by option, in the order of its `negotiations`. */
const NEGOTIATED_PROTOCOLS: readonly number[] = [
  PppProtocol.LCP,
  PppProtocol.IPCP,
  PppProtocol.CCP,
  PppProtocol.IPV6CP,
];
/** Their decoders, in the same order. */
const NEGOTIATED_SPECS: readonly ControlProtocolSpec<string, AnyOption>[] = [LCP_SPEC, IPCP_SPEC, CCP_SPEC, IPV6CP_SPEC];
/**
 * The packet every link decodes negotiation frames into: a link reads each packet while it
 * takes it and keeps only the options list and text, never the packet.
 */
const decodedPacket = blankControlPacket<string, AnyOption>("");
/** Negotiation.watchedType of each, in the same order. */
const WATCHED_TYPES: readonly number[] = [LcpOptionType.MagicNumber, -1, CcpOptionType.Mppe, -1];
const [LCP_INDEX, IPCP_INDEX, CCP_INDEX, IPV6CP_INDEX] = [0, 1, 2, 3];

/**
 * Read in place of the parts of a link made at first use (a protocol, an authentication)
 * while they were not: their summaries say "nothing seen". Never written to.
 */
const NOT_SEEN = new Negotiation(-1);
const NO_AUTHENTICATION = [new Authentication("client"), new Authentication("server")] as const;

/**
 * The summaries of what a link never ran (most links run no IPV6CP, and the client rarely
 * authenticates the server): the same on every link, so each is made once, at first need,
 * and shared. Frozen, as a reader changing one would change it for every link.
 */
const notSeen: {
  auth: (AuthSummary | undefined)[];
  ccp?: CcpSummary;
  ipcp?: IpcpSummary;
  ipv6cp?: Ipv6cpSummary;
} = { auth: [undefined, undefined] };

/** Freezes the value and everything reachable from it. */
function frozen<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  for (const field of Object.values(value)) frozen(field);
  return Object.freeze(value);
}

/**
 * Parts of a summary that say "nothing of this kind", the same on most links (no malformed
 * packet, no limit reached, no address rejected, a side that sent no echo): shared, and
 * frozen as a reader changing one would change it for every link.
 */
const NO_MALFORMED: PppSummary["malformed"] = frozen({ count: 0, packets: noItems(), truncated: false });
const NO_LIMITS_REACHED: PppLimitsReached = frozen({
  exchangesForgotten: 0,
  answersToForgotten: 0,
  optionsOmitted: 0,
  packetsWithOptionsOmitted: 0,
});
const NO_ADDRESS_REJECTED: IpcpSummary["addressRejected"] = frozen({ client: null, server: null });
const NO_ECHO_FACTS: EchoFacts = frozen(new Echoes().summary(0, 0));

export class PppNegotiation {
  /**
   * By index in NEGOTIATED_PROTOCOLS, each made at its protocol's first packet (or
   * Protocol-Reject): most links never run some of them, e.g. IPV6CP.
   */
  private readonly negotiations: (Negotiation | null)[] = [null, null, null, null];
  /** Index CLIENT/SERVER: the authentication that side performs as authenticator, made at its first packet. */
  private readonly auth: (Authentication | null)[] = [null, null];
  /** Index CLIENT/SERVER: LCP option 3 as that side asked for it, made at its first request carrying it. */
  private readonly authOption: (AuthOption | null)[] = [null, null];
  /** Index CLIENT/SERVER: the Echo-Requests that side sent, made at the first echo packet. */
  private readonly echoes: (Echoes | null)[] = [null, null];
  private protocolRejects: LcpSummary["protocolRejects"] = noItems();
  private protocolRejectsOmitted = 0;
  private identification: LcpSummary["identification"] = noItems();
  private malformedPackets: MalformedPacket[] = noItems();
  private malformedCount = 0;
  private optionsOmitted = 0;
  private packetsWithOptionsOmitted = 0;
  /** Frames of the link so far: orders events across protocols. */
  private seq = 0;
  /** Sequence number of each side's latest frame (0: none). */
  private readonly lastSeq = [0, 0];
  private lastSeconds = 0;

  private get lcp(): Negotiation {
    return this.negotiations[LCP_INDEX] ?? NOT_SEEN;
  }

  private get ipcp(): Negotiation {
    return this.negotiations[IPCP_INDEX] ?? NOT_SEEN;
  }

  private get ccp(): Negotiation {
    return this.negotiations[CCP_INDEX] ?? NOT_SEEN;
  }

  private get ipv6cp(): Negotiation {
    return this.negotiations[IPV6CP_INDEX] ?? NOT_SEEN;
  }

  /** The negotiation of this protocol, made now if need be; undefined for a protocol not negotiated here. */
  private negotiationOf(protocol: number): Negotiation | undefined {
    const index = NEGOTIATED_PROTOCOLS.indexOf(protocol);
    if (index < 0) return undefined;
    return (this.negotiations[index] ??= new Negotiation(WATCHED_TYPES[index]));
  }

  private echoesOf(side: number): Echoes {
    return (this.echoes[side] ??= new Echoes());
  }

  /** One PPP frame: protocol number and its information field (a view: what is kept is copied). */
  frame(
    from: PppSide,
    protocol: number,
    buf: Uint8Array,
    offset: number,
    length: number,
    origin: PppFrameOrigin,
  ): void {
    const side = from === "client" ? CLIENT : SERVER;
    const seq = ++this.seq;
    this.lastSeq[side] = seq;
    this.lastSeconds = seconds(origin);
    // data frames count only as activity (above); control protocols not followed are left alone
    if (protocol < FIRST_CONTROL_PROTOCOL) return;
    const negotiated = NEGOTIATED_PROTOCOLS.indexOf(protocol);
    if (negotiated >= 0) this.negotiationFrame(negotiated, side, buf, offset, length, origin, seq);
    else if (PEER_CODE[protocol] !== undefined) this.authFrame(side, protocol, buf, offset, length, origin);
  }

  /** A frame of the protocol at `index` in NEGOTIATED_PROTOCOLS. */
  private negotiationFrame(
    index: number,
    side: number,
    buf: Uint8Array,
    offset: number,
    length: number,
    origin: FrameOrigin,
    seq: number,
  ): void {
    const negotiation = (this.negotiations[index] ??= new Negotiation(WATCHED_TYPES[index]));
    // Nothing reads the options of a Configure-Ack (they repeat the request's): only check them.
    const optionsMode = length >= 1 && buf[offset] === ControlCode.ConfigureAck ? "check" : "decode";
    const packet = decodeControlPacket(NEGOTIATED_SPECS[index], buf, offset, length, optionsMode, decodedPacket);
    this.noteMalformed(side, packet, origin);
    if (packet.code < 0 || packet.identifier < 0) return; // not even a header: nothing to follow
    if (packet.optionsOmitted > 0) {
      this.optionsOmitted += packet.optionsOmitted;
      this.packetsWithOptionsOmitted++;
    }
    const optionsHex =
      packet.code === ControlCode.ConfigureRequest ? spelledOutHex(packet, buf, offset, length) : null;
    const answered = negotiation.receive(side, packet, optionsHex, origin, seq);
    if (index === LCP_INDEX) this.lcpPacket(side, packet, answered, origin, seq);
  }

  /** A PAP, CHAP or EAP frame. */
  private authFrame(side: number, protocol: number, buf: Uint8Array, offset: number, length: number, origin: FrameOrigin): void {
    // The peer's code comes from the authenticated side, every other from the authenticator.
    const authenticator = length >= 1 && buf[offset] === PEER_CODE[protocol] ? 1 - side : side;
    const chapAlgorithm = protocol === PppProtocol.CHAP ? this.chapAlgorithmOf(authenticator) : -1;
    // names and results are all an authentication keeps: not the hex of the CHAP values
    const packet = decodePppControl(protocol, buf, offset, length, chapAlgorithm, "names");
    if (packet === null) return;
    this.noteMalformed(side, packet, origin);
    if (packet.code < 0 || packet.identifier < 0) return; // not even a header: nothing to follow
    this.authPacket(authenticator, packet, origin);
  }

  private noteMalformed(side: number, packet: { protocol: string; malformed: string | null }, origin: FrameOrigin): void {
    if (packet.malformed === null) return;
    this.malformedCount++;
    const entry = { frame: originOf(origin), from: SIDES[side], protocol: packet.protocol, reason: packet.malformed };
    this.malformedPackets = appendBounded(this.malformedPackets, entry, MAX_FRAMES_LISTED);
  }

  summary(): PppSummary {
    const lcp = this.lcpSummary();
    return {
      lcp,
      auth: this.authSummary(SERVER, lcp.authRequested.server?.acked ?? null),
      authOfServer: this.authSummary(CLIENT, lcp.authRequested.client?.acked ?? null),
      // A protocol never run summarizes the same on every link (nothing of the link goes into it).
      ccp: this.negotiations[CCP_INDEX] === null ? (notSeen.ccp ??= frozen(this.ccpSummary())) : this.ccpSummary(),
      ipcp: this.negotiations[IPCP_INDEX] === null ? (notSeen.ipcp ??= frozen(this.ipcpSummary())) : this.ipcpSummary(),
      ipv6cp:
        this.negotiations[IPV6CP_INDEX] === null
          ? (notSeen.ipv6cp ??= frozen(this.ipv6cpSummary()))
          : this.ipv6cpSummary(),
      malformed:
        this.malformedCount === 0
          ? NO_MALFORMED
          : {
              count: this.malformedCount,
              packets: this.malformedPackets,
              truncated: this.malformedCount > this.malformedPackets.length,
            },
      limits: this.limitsReached(),
    };
  }

  /** The authentication `authenticator` performs; `lcpProtocol` the protocol LCP Acked for it. */
  private authSummary(authenticator: number, lcpProtocol: string | null): AuthSummary {
    const auth = this.auth[authenticator];
    if (auth === null && lcpProtocol === null) {
      return (notSeen.auth[authenticator] ??= frozen(NO_AUTHENTICATION[authenticator].summary(null)));
    }
    return (auth ?? NO_AUTHENTICATION[authenticator]).summary(lcpProtocol);
  }

  private ipv6cpSummary(): Ipv6cpSummary {
    const summary = new Ipv6cpFacts(this.ipv6cp, this.lastSeq);
    summary.client = this.ackedValue(this.ipv6cp, CLIENT, interfaceIdentifierOf);
    summary.server = this.ackedValue(this.ipv6cp, SERVER, interfaceIdentifierOf);
    return summary;
  }

  private limitsReached(): PppLimitsReached {
    const limits: PppLimitsReached = {
      exchangesForgotten: 0,
      answersToForgotten: 0,
      optionsOmitted: this.optionsOmitted,
      packetsWithOptionsOmitted: this.packetsWithOptionsOmitted,
    };
    for (let i = 0; i < this.negotiations.length; i++) {
      const negotiation = this.negotiations[i];
      if (negotiation === null) continue;
      for (let side = CLIENT; side <= SERVER; side++) {
        const direction = negotiation.directions[side];
        limits.exchangesForgotten += direction.forgotten?.count ?? 0;
        limits.answersToForgotten += direction.forgotten?.answers ?? 0;
      }
    }
    const reached =
      limits.exchangesForgotten + limits.answersToForgotten + limits.optionsOmitted + limits.packetsWithOptionsOmitted;
    return reached > 0 ? limits : NO_LIMITS_REACHED;
  }

  // -- LCP -------------------------------------------------------------------------------

  /**
   * After the negotiation took an LCP packet from `side`: the authentication option of
   * requests and answers (`answered`: the request an Ack/Nak/Reject answered), and the
   * codes that are not negotiation (RFC 1661 §5.7-5.8, RFC 1570 §2).
   */
  private lcpPacket(
    side: number,
    packet: NegotiationPacket,
    answered: Exchange | null,
    origin: FrameOrigin,
    seq: number,
  ): void {
    const from = SIDES[side];
    switch (packet.code) {
      case ControlCode.ConfigureRequest: {
        const current = this.lcp.directions[side].current;
        const auth = findOption(packet.options, LcpOptionType.AuthenticationProtocol);
        if (current === null || auth?.authProtocol === undefined) break;
        const option = (this.authOption[side] ??= new AuthOption());
        const name = authProtocolName(auth.authProtocol, auth.chapAlgorithm ?? null);
        option.latest = current;
        option.latestName = name;
        if (!option.asked.includes(name)) option.asked = appendBounded(option.asked, name, MAX_FRAMES_LISTED);
        break;
      }
      case ControlCode.ConfigureNak: {
        const suggestion = findOption(packet.options, LcpOptionType.AuthenticationProtocol);
        const requester = this.authOption[1 - side];
        if (answered === null || answered !== requester?.latest || suggestion?.authProtocol === undefined) break;
        const name = authProtocolName(suggestion.authProtocol, suggestion.chapAlgorithm ?? null);
        if (!requester.suggested.includes(name)) {
          requester.suggested = appendBounded(requester.suggested, name, MAX_FRAMES_LISTED);
        }
        break;
      }
      case ControlCode.ProtocolReject: {
        if (packet.rejectedProtocol === null) break;
        const frame = originOf(origin);
        const entry = { from, protocol: packet.rejectedProtocol, name: packet.rejectedProtocolName ?? "", frame };
        if (this.protocolRejects.length >= MAX_FRAMES_LISTED) this.protocolRejectsOmitted++;
        else this.protocolRejects = appendBounded(this.protocolRejects, entry, MAX_FRAMES_LISTED);
        const rejected = this.negotiationOf(packet.rejectedProtocol);
        if (rejected !== undefined && rejected !== this.lcp) rejected.protocolRejected = { by: from, frame };
        break;
      }
      case ControlCode.EchoRequest:
        this.echoesOf(side).request(packet.identifier, origin, seq);
        break;
      case ControlCode.EchoReply:
        this.echoesOf(1 - side).reply(packet.identifier);
        break;
      case ControlCode.Identification:
        this.identification = appendBounded(
          this.identification,
          { from, text: packet.text ?? "", frame: originOf(origin) },
          MAX_FRAMES_LISTED,
        );
        break;
      default:
        break;
    }
  }

  private authRequestFacts(side: number): AuthRequestFacts | null {
    const option = this.authOption[side];
    const latest = option?.latest ?? null;
    if (option === null || latest === null) return null;
    // A Nak or Reject refuses the authentication only when it carries option 3.
    const refused = findOption(latest.answerOptions, LcpOptionType.AuthenticationProtocol) !== undefined;
    const answer =
      latest.answer === "ack"
        ? "acked"
        : refused && latest.answer === "nak"
          ? "naked"
          : refused && latest.answer === "reject"
            ? "rejected"
            : "pending";
    const acked = this.lcp.directions[side].acked;
    const ackedAuth = acked === null ? undefined : findOption(acked.options, LcpOptionType.AuthenticationProtocol);
    return {
      asked: option.asked,
      requested: option.latestName,
      request: latest.last,
      answer,
      answerFrame: answer === "pending" ? null : latest.answerFrame,
      suggested: option.suggested,
      acked:
        ackedAuth?.authProtocol === undefined
          ? null
          : authProtocolName(ackedAuth.authProtocol, ackedAuth.chapAlgorithm ?? null),
    };
  }

  /** The CHAP algorithm the authenticator asked for: from its Acked request, else its last one; -1 when unknown. */
  private chapAlgorithmOf(authenticator: number): number {
    const direction = this.lcp.directions[authenticator];
    const fromAcked = chapAlgorithmIn(direction.acked);
    return fromAcked >= 0 ? fromAcked : chapAlgorithmIn(this.authOption[authenticator]?.latest ?? null);
  }

  private lcpSummary(): LcpSummary {
    const authRequested = { client: this.authRequestFacts(CLIENT), server: this.authRequestFacts(SERVER) };
    const refusal = authRefusal(SERVER, authRequested.server) ?? authRefusal(CLIENT, authRequested.client);
    const client = this.lcp.directions[CLIENT];
    const server = this.lcp.directions[SERVER];
    const clientMagic = client.lastWatched?.magicNumber ?? null;
    const serverMagic = server.lastWatched?.magicNumber ?? null;
    const summary = new LcpFacts(this.lcp, this.lastSeq, refusal);
    summary.authRequested = authRequested;
    summary.mru = {
      client: ackedOption(client, LcpOptionType.MaximumReceiveUnit)?.mru ?? null,
      server: ackedOption(server, LcpOptionType.MaximumReceiveUnit)?.mru ?? null,
    };
    summary.magic = {
      client: clientMagic,
      server: serverMagic,
      looped: clientMagic !== null && clientMagic !== 0 && clientMagic === serverMagic,
    };
    summary.compression = { client: compression(client), server: compression(server) };
    summary.echo = {
      client: this.echoes[CLIENT]?.summary(this.lastSeq[SERVER], this.lastSeconds) ?? NO_ECHO_FACTS,
      server: this.echoes[SERVER]?.summary(this.lastSeq[CLIENT], this.lastSeconds) ?? NO_ECHO_FACTS,
    };
    summary.protocolRejects = this.protocolRejects;
    summary.protocolRejectsOmitted = this.protocolRejectsOmitted;
    summary.identification = this.identification;
    return summary;
  }

  // -- Authentication ----------------------------------------------------------------------

  /** A PAP, CHAP or EAP packet of the authentication `authenticator` performs. */
  private authPacket(authenticator: number, packet: PppControlPacket, origin: FrameOrigin): void {
    const auth = (this.auth[authenticator] ??= new Authentication(SIDES[authenticator]));
    switch (packet.protocol) {
      case "PAP":
        auth.protocol = PppProtocol.PAP;
        if (packet.code === PapCode.AuthenticateRequest) {
          auth.peerName = packet.peerId ?? auth.peerName;
          auth.note("response", origin);
        } else if (packet.code === PapCode.AuthenticateAck || packet.code === PapCode.AuthenticateNak) {
          auth.finish(packet.code === PapCode.AuthenticateAck ? "success" : "failure", origin, packet.message, null);
        }
        break;
      case "CHAP":
        auth.protocol = PppProtocol.CHAP;
        auth.chapAlgorithm = this.chapAlgorithmOf(authenticator);
        if (packet.code === ChapCode.Challenge) {
          auth.authenticatorName = packet.name ?? auth.authenticatorName;
          auth.note("challenge", origin);
        } else if (packet.code === ChapCode.Response) {
          auth.peerName = packet.name ?? auth.peerName;
          auth.note("response", origin);
        } else if (packet.code === ChapCode.Success || packet.code === ChapCode.Failure) {
          const outcome = packet.code === ChapCode.Success ? "success" : "failure";
          auth.finish(outcome, origin, packet.message, packet.msChapFailure);
        }
        break;
      case "EAP":
        auth.protocol = PppProtocol.EAP;
        if (packet.code === EapCode.Request) {
          if (packet.type !== null && !EAP_NON_METHODS.has(packet.type)) auth.eapMethod = packet.typeName;
          auth.note("challenge", origin);
        } else if (packet.code === EapCode.Response) {
          if (packet.identity !== null) auth.peerName = packet.identity;
          auth.note("response", origin);
        } else if (packet.code === EapCode.Success || packet.code === EapCode.Failure) {
          auth.finish(packet.code === EapCode.Success ? "success" : "failure", origin, null, null);
        }
        break;
      default:
        break;
    }
  }

  // -- NCPs ------------------------------------------------------------------------------

  /** A value from the option of the side's Acked request, null when absent. */
  private ackedValue(
    negotiation: Negotiation,
    side: number,
    read: (o: AnyOption) => string | undefined,
  ): string | null {
    const acked = negotiation.directions[side].acked;
    if (acked === null) return null;
    for (let i = 0; i < acked.options.length; i++) {
      if (acked.options[i].malformed !== null) continue;
      const value = read(acked.options[i]);
      if (value !== undefined) return value;
    }
    return null;
  }

  private ipcpSummary(): IpcpSummary {
    let assigned = noItems<AddressAssignment>();
    const addresses: [string | null, string | null] = [null, null];
    const addressRejected: [FrameOrigin | null, FrameOrigin | null] = [null, null];
    for (let side = CLIENT; side <= SERVER; side++) {
      const direction = this.ipcp.directions[side];
      addressRejected[side] = tallyOf(direction.rejects, IpcpOptionType.IpAddress)?.lastFrame ?? null;
      const acked = direction.acked;
      const option = acked === null ? undefined : findOption(acked.options, IpcpOptionType.IpAddress);
      if (acked === null || acked.answerFrame === null || option?.address === undefined) continue;
      addresses[side] = option.address;
      const nak = tallyOf(direction.naks, IpcpOptionType.IpAddress);
      const byPeer = nak !== undefined && nak.lastOption.address === option.address;
      const assignment: AddressAssignment = {
        side: SIDES[side],
        address: option.address,
        assignedBy: SIDES[byPeer ? 1 - side : side],
        nak: byPeer ? nak.lastFrame : null,
        request: acked.last,
        ack: acked.answerFrame,
        firstRequested: findOption(direction.firstOptions, IpcpOptionType.IpAddress)?.address ?? null,
      };
      assigned = appendBounded(assigned, assignment, SIDES.length);
    }
    const summary = new IpcpFacts(this.ipcp, this.lastSeq);
    summary.client = addresses[CLIENT];
    summary.server = addresses[SERVER];
    summary.assigned = assigned;
    summary.dns = this.serverAddresses(IpcpOptionType.PrimaryDns, IpcpOptionType.SecondaryDns);
    summary.nbns = this.serverAddresses(IpcpOptionType.PrimaryNbns, IpcpOptionType.SecondaryNbns);
    summary.addressRejected =
      addressRejected[CLIENT] === null && addressRejected[SERVER] === null
        ? NO_ADDRESS_REJECTED
        : { client: addressRejected[CLIENT], server: addressRejected[SERVER] };
    return summary;
  }

  /** RFC 1877 name-server addresses of these option types: from Acked requests, else from Nak suggestions. */
  private serverAddresses(primaryType: number, secondaryType: number): string[] {
    let acked = noItems<string>();
    let suggested = noItems<string>();
    for (let side = CLIENT; side <= SERVER; side++) {
      const direction = this.ipcp.directions[side];
      acked = withServerAddress(acked, ackedOption(direction, primaryType)?.address);
      acked = withServerAddress(acked, ackedOption(direction, secondaryType)?.address);
      suggested = withServerAddress(suggested, tallyOf(direction.naks, primaryType)?.lastOption.address);
      suggested = withServerAddress(suggested, tallyOf(direction.naks, secondaryType)?.lastOption.address);
    }
    return acked.length > 0 ? acked : suggested;
  }

  private ccpSummary(): CcpSummary {
    const mppeOf = (side: number): MppeSideFacts => {
      const direction = this.ccp.directions[side];
      const requested = direction.lastWatched ?? undefined;
      const suggested = tallyOf(direction.naks, CcpOptionType.Mppe)?.lastOption;
      const acked = direction.acked === null ? undefined : findOption(direction.acked.options, CcpOptionType.Mppe);
      return {
        requested: requested === undefined ? null : mppeWord(requested),
        suggested: suggested === undefined ? null : mppeWord(suggested),
        acked: acked === undefined ? null : mppeWord(acked),
        rejected: tallyOf(direction.rejects, CcpOptionType.Mppe)?.lastFrame ?? null,
      };
    };
    const client = mppeOf(CLIENT);
    const server = mppeOf(SERVER);
    const encryption = MppeBit.Encryption40 | MppeBit.Encryption56 | MppeBit.Encryption128;
    const summary = new CcpFacts(this.ccp, this.lastSeq);
    summary.mppe = {
      client,
      server,
      agreed:
        client.acked !== null && server.acked !== null && client.acked.bits === server.acked.bits ? client.acked : null,
      encryptionMismatch:
        client.requested !== null &&
        server.requested !== null &&
        (client.requested.bits & server.requested.bits & encryption) === 0,
    };
    summary.resetRequests = this.ccp.resetRequests;
    return summary;
  }
}
