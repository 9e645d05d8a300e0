/**
 * call-id-mismatch: the call IDs of a call do not line up. Each end picks its own call ID
 * (RFC 2637 §2.7-2.10) and the other end puts it into every GRE packet and control message
 * meant for it (§4.1: GRE carries the receiver's ID). A NAT or firewall that translates PPTP
 * has to rewrite the ID in both places; one that rewrites only one of them breaks the call.
 * What a capture can show:
 *
 * 1. GRE between the call's client and server (the dialed or an answering address) with an
 *    ID other than the control channel advertised. The model could not place it, so it is an
 *    orphan flow; one that starts after the call was set up and before it ended is this
 *    call's own GRE under a rewritten ID. It is reported here INSTEAD of unknown-call-id
 *    (rewrittenGreFlows() lets that rule leave it out): the capture does say which call it is.
 * 2. A control message naming a call by an ID that no call on the connection has:
 *    Set-Link-Info, Call-Clear-Request, Call-Disconnect-Notify, WAN-Error-Notify,
 *    Incoming-Call-Connected, or a reply whose peer call ID answers no request.
 * 3. Two calls at the same time from one client address to one server with the same call ID
 *    (two clients behind a NAT that does not map call IDs): GRE carries nothing else that
 *    tells them apart.
 *
 * A connection whose start the capture missed is not judged by 2 (the call set-up may be
 * outside the capture), and an orphan the call's own GRE runs beside lowers 1 to a warning.
 */
import { type FrameOrigin, originBefore, timeBefore } from "../capture/frame.js";
import type { Call, ControlConnection, ControlMessage, Side } from "../model/control.js";
import type { GreDirection } from "../model/gre-flow.js";
import type { OrphanFlow } from "../model/tracker.js";
import { noItems } from "../model/empty-list.js";
import { PptpMessageType as Msg } from "../decode/pptp.js";
import { pppProtocolName } from "../decode/ppp/protocols.js";
import { type Finding, endpoint } from "../report/schema.js";
import type { CaptureFacts, SessionFacts } from "./facts.js";
import { addressPairKey, fileUnder, workedOutOnce } from "./indexes.js";
import { callPlace, evidence, frameText } from "./ppp-scope.js";
import type { Rule } from "./rule.js";
import { counted } from "./tunnel-evidence.js";

const CODE = "call-id-mismatch";

const SIDES = ["client", "server"] as const;

/** Orphan GRE that is a session's own, under another call ID than its control channel advertised. */
export interface RewrittenGre {
  orphan: OrphanFlow;
  facts: SessionFacts;
  /** The end the GRE went to: its call ID is the one that should be in the packets. */
  toward: Side;
  advertised: number;
  /** The message that advertised it. */
  advertisedIn: ControlMessageRef;
}

interface ControlMessageRef {
  name: string;
  origin: FrameOrigin;
}

/** The rewritten GRE of a capture: as a list, by session, and as a set of the orphans it explains. */
interface RewrittenIndex {
  all: RewrittenGre[];
  bySession: Map<SessionFacts, RewrittenGre[]>;
  orphans: Set<OrphanFlow>;
}

const rewrittenCache = new WeakMap<CaptureFacts, RewrittenIndex>();

/** What placeOrphan compares of a call, worked out once per session instead of once per orphan. */
interface PlacementCandidate {
  facts: SessionFacts;
  /** The messages that advertised the call ID GRE towards each end must carry (null: not seen). */
  advertisedToClient: ControlMessageRef | null;
  advertisedToServer: ControlMessageRef | null;
  span: { start: FrameOrigin; end: FrameOrigin };
}

/**
 * The capture's calls by client and server address, in capture order, each under every
 * address its server dialed or answered from. Thousands of calls can come from one NAT
 * address, so an orphan is compared only with the calls between its own two addresses.
 */
function candidatesByPair(capture: CaptureFacts): Map<string, PlacementCandidate[]> {
  const byPair = new Map<string, PlacementCandidate[]>();
  for (const facts of capture.sessions) {
    const { connection, call } = facts;
    if (call === null) continue;
    const candidate: PlacementCandidate = {
      facts,
      advertisedToClient: advertisingMessage(call, "client"),
      advertisedToServer: advertisingMessage(call, "server"),
      span: callSpan(connection, call),
    };
    fileUnder(byPair, addressPairKey(connection.client, connection.dialed), candidate);
    // the list holds each address once, the dialed one maybe among them
    for (const server of connection.answeringAddresses) if (server !== connection.dialed) fileUnder(byPair, addressPairKey(connection.client, server), candidate);
  }
  return byPair;
}

function rewrittenIndex(capture: CaptureFacts): RewrittenIndex {
  return workedOutOnce(rewrittenCache, capture, placeOrphans);
}

function placeOrphans(capture: CaptureFacts): RewrittenIndex {
  const index: RewrittenIndex = { all: [], bySession: new Map(), orphans: new Set() };
  // most captures have no orphan GRE: then the calls need no index either
  if (capture.orphans.length === 0) return index;
  // GRE towards the client comes from its server (the calls from the orphan's receiver), towards the server from the client
  const byPair = candidatesByPair(capture);
  for (const orphan of capture.orphans) {
    const placed = placeOrphan(orphan, byPair.get(addressPairKey(orphan.to, orphan.from)), byPair.get(addressPairKey(orphan.from, orphan.to)));
    if (placed === null) continue;
    index.all.push(placed);
    index.orphans.add(orphan);
    fileUnder(index.bySession, placed.facts, placed);
  }
  return index;
}

/**
 * Every orphan GRE flow that is a session's own GRE with a rewritten call ID, each placed in
 * the session that set up the call most recently before the flow began (one whose own GRE in
 * that direction is missing first). Computed once per capture.
 */
export function rewrittenGreFlows(capture: CaptureFacts): readonly RewrittenGre[] {
  return rewrittenIndex(capture).all;
}

/** Whether `orphan` is explained as a session's GRE with a rewritten call ID (unknown-call-id leaves these out). */
export function isRewrittenGre(orphan: OrphanFlow, capture: CaptureFacts): boolean {
  return rewrittenIndex(capture).orphans.has(orphan);
}

/** The orphan's best session among the calls from its receiver (GRE towards their client) and from its sender (towards their server). */
function placeOrphan(
  orphan: OrphanFlow,
  towardClient: readonly PlacementCandidate[] | undefined,
  towardServer: readonly PlacementCandidate[] | undefined,
): RewrittenGre | null {
  const start = orphan.flow.first;
  if (start === null) return null;
  // the best call so far; its RewrittenGre is built once, at the end
  let best: PlacementCandidate | null = null;
  let bestToward: Side = "client";
  let bestOwnFlowEmpty = false;
  for (const toward of SIDES) {
    const candidates = toward === "client" ? towardClient : towardServer;
    if (candidates === undefined) continue;
    for (const candidate of candidates) {
      const call = candidate.facts.call!;
      const advertised = toward === "client" ? call.clientCallId : call.serverCallId;
      const advertisedIn = toward === "client" ? candidate.advertisedToClient : candidate.advertisedToServer;
      if (advertised === null || advertised === orphan.callId || advertisedIn === null) continue;
      // GRE that began before the call was set up, or after it ended, belongs to another tunnel
      if (originBefore(start, advertisedIn.origin) || originBefore(candidate.span.end, start)) continue;
      const ownFlowEmpty = (toward === "client" ? call.toClient : call.toServer).packets === 0;
      const better =
        best === null ||
        (ownFlowEmpty && !bestOwnFlowEmpty) ||
        (ownFlowEmpty === bestOwnFlowEmpty && originBefore(best.span.start, candidate.span.start));
      if (!better) continue;
      best = candidate;
      bestToward = toward;
      bestOwnFlowEmpty = ownFlowEmpty;
    }
  }
  if (best === null) return null;
  const call = best.facts.call!;
  return {
    orphan,
    facts: best.facts,
    toward: bestToward,
    advertised: (bestToward === "client" ? call.clientCallId : call.serverCallId)!,
    advertisedIn: (bestToward === "client" ? best.advertisedToClient : best.advertisedToServer)!,
  };
}

/** The message that told the other end the call ID GRE towards `toward` must carry (RFC 2637 §2.7-2.10). */
function advertisingMessage(call: Call, toward: Side): ControlMessageRef | null {
  // outgoing: the client's ID in Outgoing-Call-Request, the server's in the Reply; incoming the reverse
  const inRequest = (call.direction === "outgoing") === (toward === "client");
  if (inRequest) {
    if (call.request === null) return null;
    return { name: call.direction === "outgoing" ? "Outgoing-Call-Request" : "Incoming-Call-Request", origin: call.request };
  }
  if (call.reply === null) return null;
  return { name: call.direction === "outgoing" ? "Outgoing-Call-Reply" : "Incoming-Call-Reply", origin: call.reply.origin };
}

/** From the call's set-up to its clearing (or the end of its connection and GRE). */
function callSpan(connection: ControlConnection, call: Call): { start: FrameOrigin; end: FrameOrigin } {
  const start = call.request ?? call.reply?.origin ?? connection.first;
  const clear = call.clear;
  const disconnect = call.disconnect?.origin ?? null;
  if (clear !== null && disconnect !== null) return { start, end: originBefore(disconnect, clear) ? disconnect : clear };
  if (clear !== null || disconnect !== null) return { start, end: (clear ?? disconnect)! };
  return { start, end: laterEnd(laterEnd(connection.last, call.toServer), call.toClient) };
}

/** `end`, or the flow's last packet when that came later. */
function laterEnd(end: FrameOrigin, flow: GreDirection): FrameOrigin {
  if (flow.packets === 0) return end;
  const last = flow.last; // a new object per read: read once
  return originBefore(end, last) ? last : end;
}

// ------------------------------------------------------------------ control messages

/**
 * Messages that name a call: the field, and whose call ID RFC 2637 puts there (§2.8-2.15).
 * Implementations mix them up (a PAC's Call-Disconnect-Notify with the PNS's ID, Set-Link-Info
 * sent both ways), and either ID still names the call; only an ID that no call has is wrong.
 */
const NAMING_MESSAGES: Readonly<Record<number, { field: "callId" | "peerCallId"; expects: Side }>> = {
  [Msg.OutgoingCallReply]: { field: "peerCallId", expects: "client" },
  [Msg.IncomingCallReply]: { field: "peerCallId", expects: "server" },
  [Msg.IncomingCallConnected]: { field: "peerCallId", expects: "client" },
  [Msg.CallClearRequest]: { field: "callId", expects: "client" },
  [Msg.CallDisconnectNotify]: { field: "callId", expects: "server" },
  [Msg.WanErrorNotify]: { field: "peerCallId", expects: "client" },
  [Msg.SetLinkInfo]: { field: "peerCallId", expects: "server" },
};

interface StrayMessage {
  message: ControlMessage;
  named: number;
  /** Whose ID it should have been, and the call it most likely meant. */
  expects: Side;
  call: Call;
}

const strayCache = new WeakMap<ControlConnection, readonly StrayMessage[]>();

/**
 * Control messages of the connection that name an ID no call on it has, each with the call it
 * most likely meant. Worked out once per connection: each of its (up to 64) calls asks.
 */
function strayMessages(connection: ControlConnection): readonly StrayMessage[] {
  return workedOutOnce(strayCache, connection, findStrayMessages);
}

function findStrayMessages(connection: ControlConnection): StrayMessage[] {
  // a call set up before the capture started, or not kept (too many calls), is unknown, not wrong
  if (connection.startedMidway || connection.calls.length === 0 || connection.callsOmitted > 0) return [];
  const stray: StrayMessage[] = [];
  for (const message of connection.messages) {
    const rule = NAMING_MESSAGES[message.type];
    const named = rule === undefined ? undefined : message[rule.field];
    if (rule === undefined || named === undefined) continue;
    const { expects } = rule;
    if (message.type === Msg.OutgoingCallReply || message.type === Msg.IncomingCallReply) {
      const request = unansweredRequestBefore(connection, message);
      if (request !== null) stray.push({ message, named, expects, call: request });
      continue;
    }
    const known = connection.calls.some((c) => c.clientCallId === named || c.serverCallId === named);
    if (!known) stray.push({ message, named, expects, call: callBefore(connection, message.origin) });
  }
  return stray;
}

/**
 * A reply whose peer call ID names no request: the model then holds the request as one call
 * and the reply as another. Returns the request's call (the one the reply should have answered).
 */
function unansweredRequestBefore(connection: ControlConnection, reply: ControlMessage): Call | null {
  const direction = reply.type === Msg.OutgoingCallReply ? "outgoing" : "incoming";
  const answered = connection.calls.some(
    (c) => c.direction === direction && c.request !== null && c.reply?.origin === reply.origin,
  );
  if (answered) return null;
  let request: Call | null = null;
  for (const c of connection.calls) {
    if (c.direction === direction && c.request !== null && c.reply === null && originBefore(c.request, reply.origin)) request = c;
  }
  return request;
}

/** The call most recently set up before `origin` (the first call when none was). */
function callBefore(connection: ControlConnection, origin: FrameOrigin): Call {
  let found = connection.calls[0];
  for (const call of connection.calls) {
    const setUp = call.request ?? call.reply?.origin;
    if (setUp && originBefore(setUp, origin)) found = call;
  }
  return found;
}

// ------------------------------------------------------------------ two calls, one call ID

/** Calls named in one finding about a shared call ID; the others are only counted. */
const MAX_SHARING_CALLS_LISTED = 8;

/** The calls that use one of a session's call IDs at the same time as it. */
export interface SharedCallId {
  side: Side;
  callId: number;
  /** The first MAX_SHARING_CALLS_LISTED of them, in capture order. */
  listed: SessionFacts[];
  count: number;
}

/**
 * Calls on other control connections from the same client address to the same server, at the
 * same time, with the same client (or server) call ID: GRE between the two addresses cannot
 * tell them apart. One entry per shared ID, the one whose first sharing call came first
 * first; a call that shares both IDs counts in both. Worked out once per session (gre-loss
 * asks too).
 */
export function sharedCallIds(facts: SessionFacts, capture: CaptureFacts): readonly SharedCallId[] {
  const index = callIdIndex(capture);
  return workedOutOnce(index.shared, facts, (f) => findSharedCallIds(f, index));
}

/**
 * Thousands of calls can share an ID behind one NAT address, so the calls are looked up by
 * ID, a pair costs a few comparisons of numbers in a typed array, and nothing is kept per
 * pair beyond the listed few.
 */
function findSharedCallIds(facts: SessionFacts, index: CallIdIndex): readonly SharedCallId[] {
  const own = index.place.get(facts);
  if (own === undefined) return noItems(); // not a comparable call
  const call = facts.call!;
  const { spans, connections, sessions } = index;
  const ownConnection = connections[own];
  const at = own * SPAN_WORDS;
  const startSec = spans[at], startNsec = spans[at + 1], endSec = spans[at + 2], endNsec = spans[at + 3];
  let shared: SharedCallId[] | null = null;
  for (const side of SIDES) {
    const callId = side === "client" ? call.clientCallId : call.serverCallId;
    const group = callId === null ? undefined : index.groups.get(callIdKey(index.pairs[own], side, callId));
    if (callId === null || group === undefined || group.length < 2) continue;
    let sharing: SharedCallId | null = null;
    for (let i = 0; i < group.length; i++) {
      const other = group[i];
      // numbers side by side, not the sessions' objects: a group can hold thousands of calls
      if (connections[other] === ownConnection) continue;
      const otherAt = other * SPAN_WORDS;
      // overlapping: this call starts before the other ends, and the other starts before this one ends
      if (!timeBefore(startSec, startNsec, spans[otherAt + 2], spans[otherAt + 3]) || !timeBefore(spans[otherAt], spans[otherAt + 1], endSec, endNsec)) continue;
      if (sharing === null) (shared ??= []).push((sharing = { side, callId, listed: [], count: 0 }));
      if (sharing.count++ < MAX_SHARING_CALLS_LISTED) sharing.listed.push(sessions[other]);
    }
  }
  if (shared === null) return noItems();
  if (shared.length === 2 && index.place.get(shared[1].listed[0])! < index.place.get(shared[0].listed[0])!) shared.reverse();
  return shared;
}

/** A call is compared once something set it up (a request or a reply gives its start). */
function comparable(call: Call): boolean {
  return call.request !== null || call.reply !== null;
}

/** Numbers per call in CallIdIndex.spans: start second and nanosecond, end second and nanosecond. */
const SPAN_WORDS = 4;

/** Call IDs are 16 bits (RFC 2637 §2.7): a group key holds the ID, the side and the address pair's number above them. */
const CALL_ID_VALUES = 0x10000;
const GROUP_KEYS_PER_PAIR = 2 * CALL_ID_VALUES;

interface CallIdIndex {
  /** The comparable calls' sessions in capture order; a session's place in this list is its number. */
  sessions: SessionFacts[];
  /** Each session's number. */
  place: Map<SessionFacts, number>;
  /** By number: the call's span (callSpan), SPAN_WORDS each. */
  spans: Float64Array;
  /** By number: the number of the call's client and dialed server address pair. */
  pairs: Int32Array;
  /** By number: the index of the call's control connection (ControlConnection.index). */
  connections: Int32Array;
  /**
   * The numbers of one client's calls to one server with one call ID on one side, in capture
   * order, by callIdKey; each comparable call is in the group of its client's and of its
   * server's call ID.
   */
  groups: Map<number, number[]>;
  /** sharedCallIds per session, once worked out. */
  shared: Map<SessionFacts, readonly SharedCallId[]>;
}

const byCallIdCache = new WeakMap<CaptureFacts, CallIdIndex>();

/** The group of the calls between one address pair that have `callId` as the `side`'s call ID. */
function callIdKey(pair: number, side: Side, callId: number): number {
  return pair * GROUP_KEYS_PER_PAIR + (side === "server" ? CALL_ID_VALUES : 0) + callId;
}

/** The capture's comparable calls, grouped by client, server dialed and call ID (built once per capture). */
function callIdIndex(capture: CaptureFacts): CallIdIndex {
  return workedOutOnce(byCallIdCache, capture, indexCallIds);
}

function indexCallIds(capture: CaptureFacts): CallIdIndex {
  const most = capture.sessions.length;
  const index: CallIdIndex = {
    sessions: [],
    place: new Map(),
    spans: new Float64Array(most * SPAN_WORDS),
    pairs: new Int32Array(most),
    connections: new Int32Array(most),
    groups: new Map(),
    shared: new Map(),
  };
  const pairNumbers = new Map<string, number>();
  const nextPairNumber = (): number => pairNumbers.size;
  let pairOf: ControlConnection | null = null;
  let pair = 0;
  for (const session of capture.sessions) {
    const { connection, call } = session;
    if (call === null || !comparable(call)) continue;
    const n = index.sessions.length;
    index.sessions.push(session);
    index.place.set(session, n);
    // a connection's calls come one after another: its address pair is looked up once
    if (connection !== pairOf) {
      pair = workedOutOnce(pairNumbers, addressPairKey(connection.client, connection.dialed), nextPairNumber);
      pairOf = connection;
    }
    index.pairs[n] = pair;
    index.connections[n] = connection.index;
    const { start, end } = callSpan(connection, call);
    const at = n * SPAN_WORDS;
    index.spans[at] = start.tsSec;
    index.spans[at + 1] = start.tsNsec;
    index.spans[at + 2] = end.tsSec;
    index.spans[at + 3] = end.tsNsec;
    if (call.clientCallId !== null) fileUnder(index.groups, callIdKey(pair, "client", call.clientCallId), n);
    if (call.serverCallId !== null) fileUnder(index.groups, callIdKey(pair, "server", call.serverCallId), n);
  }
  return index;
}

// ------------------------------------------------------------------ the rule

function idText(id: number): string {
  return `${id} (0x${id.toString(16).padStart(4, "0")})`;
}

function rewrittenFinding(r: RewrittenGre, capture: CaptureFacts): Finding {
  const { refs } = capture;
  const { orphan, facts, toward, advertised, advertisedIn } = r;
  const flow = orphan.flow;
  const ownFlow = toward === "client" ? facts.call!.toClient : facts.call!.toServer;
  const protocols = orphan.pppProtocols.length > 0 ? ` (${orphan.pppProtocols.map(pppProtocolName).join(", ")})` : "";
  const span = flow.packets === 1 ? frameText(refs, flow.first!) : `${frameText(refs, flow.first!)} to ${flow.last.frameNo}`;
  let message =
    `GRE from ${orphan.from} to ${orphan.to} carries call ID ${idText(orphan.callId)}, but the ${toward} announced call ID ${idText(advertised)} ` +
    `for ${callPlace(facts.session)} in the ${advertisedIn.name} (${frameText(refs, advertisedIn.origin)}): ` +
    `${counted(flow.packets, "GRE packet")}${protocols}, ${span}, that the ${toward} cannot match to its call. ` +
    `A NAT or PPTP filter between the ends translated the call ID in the control channel but not in the GRE packets (or the reverse).`;
  let severity: Finding["severity"] = "error";
  if (ownFlow.packets > 0) {
    severity = "warning";
    message += ` Not certain: ${counted(ownFlow.packets, "GRE packet")} towards the ${toward} do carry call ID ${advertised}, so this may instead be another tunnel between the same addresses whose control connection the capture does not hold.`;
  }
  return {
    code: CODE,
    severity,
    message,
    frames: evidence(refs, [advertisedIn.origin, flow.first, flow.last]),
    detail: `advertised ${advertised}, GRE carries ${orphan.callId}`,
    remedy: callIdMismatch.explain.remedy,
  };
}

function strayFinding(stray: StrayMessage, facts: SessionFacts, capture: CaptureFacts): Finding {
  const { refs } = capture;
  const { message, named, expects, call } = stray;
  const from = `${message.name} from the ${message.from} (${frameText(refs, message.origin)})`;
  let text: string;
  const frames: Array<FrameOrigin | null> = [message.origin];
  if (message.type === Msg.OutgoingCallReply || message.type === Msg.IncomingCallReply) {
    const request = call.request!;
    const requestName = message.type === Msg.OutgoingCallReply ? "Outgoing-Call-Request" : "Incoming-Call-Request";
    const asked = message.type === Msg.OutgoingCallReply ? call.clientCallId : call.serverCallId;
    text = `The ${from} answers call ID ${idText(named)}, but the ${requestName} it replies to (${frameText(refs, request)}) carried call ID ${asked === null ? "?" : idText(asked)}.`;
    frames.push(request);
  } else {
    const expected = expects === "client" ? call.clientCallId : call.serverCallId;
    const wanted = expected === null ? "" : ` (RFC 2637 puts the ${expects}'s call ID here, ${idText(expected)})`;
    text = `The ${from} names call ID ${idText(named)}, which no call on this control connection has: ${callPlace(facts.session)} is the one it most likely meant${wanted}.`;
    frames.push(call.request, call.reply?.origin ?? null);
  }
  return {
    code: CODE,
    severity: "error",
    message: `${text} A NAT or PPTP filter rewrote the call ID in some control messages and not in others, so the ${message.from === "client" ? "server" : "client"} cannot tell which call the message is for.`,
    frames: evidence(refs, frames),
    detail: `${message.name} names ${named}`,
    remedy: callIdMismatch.explain.remedy,
  };
}

/** The calls that share this session's `side` call ID with it, in one finding. */
function sharedFinding(facts: SessionFacts, sharing: SharedCallId, capture: CaptureFacts): Finding {
  const { refs } = capture;
  const { connection, call } = facts;
  const { side, callId, listed, count } = sharing;
  const setUp = (c: Call) => c.request ?? c.reply!.origin;
  const towards = side === "client" ? `GRE from ${connection.dialed} to ${connection.client}` : `GRE from ${connection.client} to ${connection.dialed}`;
  const others = listed.map((other) => `${endpoint(other.connection.client, other.connection.clientPort)} (${frameText(refs, setUp(other.call!))})`).join(", ");
  const moreText = count > listed.length ? `, and ${count - listed.length} more` : "";
  const ports = listed.map((other) => other.connection.clientPort).join(", ");
  const thisOne = `this one from ${endpoint(connection.client, connection.clientPort)} (${frameText(refs, setUp(call!))})`;
  // the words that differ between two calls and more
  const [calls, theOthers, otherCall, clients] = count === 1 ? ["Two", "the one", "the other's", "two PPTP clients"] : [`${count + 1}`, "the ones", "another's", "PPTP clients"];
  const message =
    `${calls} calls from ${connection.client} to ${connection.dialed} use the same ${side} call ID ${idText(callId)} at the same time: ${thisOne} and ${theOthers} from ${others}${moreText}. ` +
    `${towards} is told apart by nothing but that call ID, so one call's packets reach ${otherCall} ${side} or are dropped: ` +
    `${clients} behind one NAT address, and the NAT does not map their call IDs.`;
  return {
    code: CODE,
    severity: "error",
    message,
    frames: evidence(refs, [setUp(call!), ...listed.map((other) => setUp(other.call!))]),
    detail: `${side} call ID ${callId} also used from ${count === 1 ? "port" : "ports"} ${ports}${moreText}`,
    remedy: callIdMismatch.explain.remedy,
  };
}

export const callIdMismatch: Rule = {
  code: CODE,
  severity: "error",
  explain: {
    meaning:
      "The call IDs of a PPTP call do not line up. Each end picks a call ID, and the other end must put it into every GRE packet and control message meant for it. A NAT or firewall that translates PPTP rewrote the ID in one place but not in the other (e.g. in the Outgoing-Call-Request but not in the returning GRE), or two clients behind one NAT address use the same call ID to the same server. The end that receives the wrong ID drops the packets, and the call fails like a blocked tunnel (\"Remote PPP peer is not responding\", error 619/806) or carries one client's traffic to the other.",
    onTheWire:
      "Compare the Call ID and Peer Call ID fields of Outgoing-Call-Request/Reply (pptp.call_id, pptp.peer_call_id) with the key's call ID in the GRE packets (gre.key.call_id): GRE towards the client must carry the client's call ID, GRE towards the server the server's. Here GRE between the same two addresses carries another ID, or Set-Link-Info, Call-Clear-Request or Call-Disconnect-Notify name an ID no call has, or two TCP connections from one address (different source ports) announce the same call ID.",
    remedy:
      "Find the device between client and server that translates PPTP (a NAT router's PPTP passthrough or ALG, a firewall's PPTP inspection, Linux nf_conntrack_pptp/nf_nat_pptp) and make it rewrite call IDs consistently in the control messages and the GRE key, or turn its PPTP handling off when the addresses need no translation. Capture on both sides of it to see which field it leaves alone. For several clients behind one NAT address, the NAT must map their call IDs (PPTP helper on); otherwise give them separate public addresses or connect one at a time.",
  },
  session(facts, capture) {
    if (facts.call === null) return [];
    const findings: Finding[] = [];
    for (const r of rewrittenIndex(capture).bySession.get(facts) ?? []) findings.push(rewrittenFinding(r, capture));
    for (const stray of strayMessages(facts.connection)) if (stray.call === facts.call) findings.push(strayFinding(stray, facts, capture));
    for (const shared of sharedCallIds(facts, capture)) findings.push(sharedFinding(facts, shared, capture));
    return findings;
  },
};
