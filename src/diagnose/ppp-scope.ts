/**
 * What the PPP rules (auth-failed, lcp-failed, ipcp-failed, ccp-failed, echo-timeout)
 * judge: one PPP negotiation, wherever it ran. In a PPTP call it gives a session finding;
 * on a PPP link seen directly on the capture (PPPoE, a PPP link type) a capture-level
 * finding that names the link. The scope carries the words for the place and its two
 * ends, so that the findings read alike in both, and the helpers the rules share.
 */
import { type FrameOrigin, originBefore, sameFrame, secondsBetween } from "../capture/frame.js";
import type { GreDirection } from "../model/gre-flow.js";
import type { PppSide, PppSummary, TerminateFact } from "../model/ppp-negotiation.js";
import type { FrameRefs } from "../model/sessions.js";
import { type Finding, type FrameRef, type Session, endpoint } from "../report/schema.js";
import { formatFrameRef } from "../report/schema.js";
import type { CaptureFacts, LinkFacts, SessionFacts } from "./facts.js";
import { workedOutOnce } from "./indexes.js";
import type { Rule } from "./rule.js";

/**
 * RFC 1661 §4.6: the Restart timer (default 3 s) paces re-sent requests. A peer that
 * has more to say after a refusal (a new Configure-Request, a Terminate-Request) says it
 * within this time; a capture that ends sooner cannot show whether it would have.
 */
export const RESTART_TIMER_SECONDS = 3;

export interface PppScope {
  ppp: PppSummary;
  /** The place, e.g. "the call from 192.0.2.10:49152 to 198.51.100.1 (client call ID 7210, server call ID 32769)". */
  where: string;
  /** Each end in a sentence, e.g. "the client 192.0.2.10". */
  ends: Record<PppSide, string>;
  /** The link came up: IPCP or IPV6CP opened (at some point), or data flowed both ways. */
  established: boolean;
  /**
   * The last frame each end sent, data included (the PPP summary sees control packets
   * only); null where the capture does not tell the ends' data apart (a direct link).
   */
  lastFrom: Record<PppSide, FrameOrigin | null>;
  captureEnd: FrameOrigin | null;
  refs: FrameRefs;
}

/**
 * Each session's scope, made once: the PPP rules each ask for it. Weak, so that it goes
 * with the session's facts.
 */
const sessionScopes = new WeakMap<SessionFacts, PppScope | null>();

/** The PPTP call's negotiation; null for a session without a call. */
export function sessionScope(facts: SessionFacts, capture: CaptureFacts): PppScope | null {
  return workedOutOnce(sessionScopes, facts, (f) => callScope(f, capture));
}

function callScope({ session, call, ppp }: SessionFacts, { refs, captureEnd }: CaptureFacts): PppScope | null {
  if (call === null || ppp === null) return null;
  return {
    ppp,
    where: callPlace(session),
    ends: { client: `the client ${session.client}`, server: `the server ${session.dialed}` },
    established: networkLayerOpened(ppp) || (call.toServer.pppDataFrames > 0 && call.toClient.pppDataFrames > 0),
    lastFrom: { client: lastFrameOf(call.toServer), server: lastFrameOf(call.toClient) },
    captureEnd,
    refs,
  };
}

function lastFrameOf(flow: GreDirection): FrameOrigin | null {
  return flow.packets === 0 ? null : flow.last;
}

/** A PPP link seen directly: its ends named as well as the capture tells them apart. */
export function linkScope({ report, ppp }: LinkFacts, { refs, captureEnd }: CaptureFacts): PppScope {
  const frames = report.frames.map(formatFrameRef).join("-");
  const where =
    report.kind === "pppoe"
      ? `the PPPoE session 0x${(report.sessionId ?? 0).toString(16).padStart(4, "0")} (frames ${frames})`
      : `the PPP link (frames ${frames})`;
  const withAddress = (name: string, address: string | null) => (address === null ? name : `${name} ${address}`);
  const ends: Record<PppSide, string> =
    report.sides === "mac"
      ? { client: withAddress("the PPPoE host", report.local), server: withAddress("the access concentrator", report.peer) }
      : report.sides === "direction"
        ? { client: withAddress("the capturing end", report.local), server: withAddress("the far end", report.peer) }
        : { client: "one end (sides inferred)", server: "the other end" };
  // a link's data frames are not counted per end: the network protocols tell whether it came up
  return { ppp, where, ends, established: networkLayerOpened(ppp), lastFrom: { client: null, server: null }, captureEnd, refs };
}

/** IPCP or IPV6CP opened at some point (a Terminate since does not undo that the link was up). */
function networkLayerOpened(ppp: PppSummary): boolean {
  return ppp.ipcp.opened !== null || ppp.ipv6cp.opened !== null;
}

/** A rule's session() and capture() from one check of a PPP negotiation: calls and direct links alike. */
export function checkEveryPppScope(check: (scope: PppScope) => Finding[]): Required<Pick<Rule, "session" | "capture">> {
  return {
    session: (facts, capture) => {
      const scope = sessionScope(facts, capture);
      return scope === null ? [] : check(scope);
    },
    capture: (capture) => capture.links.flatMap((link) => check(linkScope(link, capture))),
  };
}

/** "the call from 192.0.2.10:49152 to 198.51.100.1 (client call ID 7210, server call ID 32769)". */
export function callPlace(session: Session): string {
  const clientId = session.clientCallId === null ? null : `client call ID ${session.clientCallId}`;
  const serverId = session.serverCallId === null ? null : `server call ID ${session.serverCallId}`;
  const ids = clientId !== null && serverId !== null ? `${clientId}, ${serverId}` : (clientId ?? serverId);
  return `the call from ${endpoint(session.client, session.clientPort)} to ${session.dialed}${ids === null ? "" : ` (${ids})`}`;
}

export function otherSide(side: PppSide): PppSide {
  return side === "client" ? "server" : "client";
}

/** First letter up, for an end's name at the start of a sentence. */
export function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The capture went on at least `seconds` after `from` (false when its end is unknown). */
export function captureWentOn(scope: { captureEnd: FrameOrigin | null }, from: FrameOrigin, seconds: number): boolean {
  return scope.captureEnd !== null && secondsBetween(from, scope.captureEnd) >= seconds;
}

/** Evidence frames in capture order, each once. */
export function evidence(refs: FrameRefs, origins: ReadonlyArray<FrameOrigin | null | undefined>): FrameRef[] {
  // most findings (thousands in a capture) name one or two frames: no closures per call
  const unique: FrameOrigin[] = [];
  for (let i = 0; i < origins.length; i++) {
    const origin = origins[i];
    if (origin != null && !namesFrame(unique, origin)) unique.push(origin);
  }
  if (unique.length > 1) unique.sort(byCaptureOrder);
  const frames: FrameRef[] = new Array(unique.length);
  for (let i = 0; i < unique.length; i++) frames[i] = refs.ref(unique[i]);
  return frames;
}

/** Whether `origins` already holds the frame of `origin`. */
function namesFrame(origins: readonly FrameOrigin[], origin: FrameOrigin): boolean {
  for (let i = 0; i < origins.length; i++) if (sameFrame(origins[i], origin)) return true;
  return false;
}

/** Sort order of frames: by time, then by frame number (files of a set interleave by time). */
function byCaptureOrder(a: FrameOrigin, b: FrameOrigin): number {
  return originBefore(a, b) ? -1 : originBefore(b, a) ? 1 : a.frameNo - b.frameNo;
}

/** "frame 12", as the report cites frames (file#frame with several files). */
export function frameText(refs: FrameRefs, origin: FrameOrigin): string {
  return `frame ${formatFrameRef(refs.ref(origin))}`;
}

/** " The server 198.51.100.1 then ended the link with LCP Terminate-Request "..." (frame 16)."; "" without one. */
export function linkEnded(scope: PppScope, terminate: TerminateFact | null): string {
  if (terminate === null) return "";
  const request = `LCP Terminate-Request ${quoted(terminate.text)} (${frameText(scope.refs, terminate.frame)})`;
  return ` ${capitalized(scope.ends[terminate.from])} then ended the link with ${request}.`;
}

/** A peer's text quoted as sent; "(no text)" for an empty one. */
export function quoted(text: string): string {
  // the text as sent: each report format escapes it for where it goes, and redaction finds it verbatim
  return text === "" ? "(no text)" : `"${text}"`;
}
