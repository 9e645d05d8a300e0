/**
 * The finished model as the report's sessions and links (schema pptp-analyze/1): one
 * session per call, or per control connection that never got to a call; outcome from
 * what the capture shows.
 */
import { type FrameOrigin, isoTime, originBefore as before } from "../capture/frame.js";
import type { ControlMessageSummary, FrameRef, Link, PppReport, ProtocolReport, Session } from "../report/schema.js";
import { type Call, type ControlConnection, type ControlMessage } from "./control.js";
import type { NegotiationSummary, PppSummary } from "./ppp-negotiation.js";
import type { PppLink } from "./ppp-links.js";

/** Turns positions into the report's frame references: plain numbers for one file, file and frame for several. */
export class FrameRefs {
  constructor(
    private readonly files: readonly string[],
    private readonly tsDigits: readonly number[],
  ) {}

  ref(origin: { fileIndex: number; frameNo: number }): FrameRef {
    return this.files.length > 1 ? { file: this.files[origin.fileIndex], frame: origin.frameNo } : origin.frameNo;
  }

  time(origin: FrameOrigin): string {
    return isoTime(origin.tsSec, origin.tsNsec, this.tsDigits[origin.fileIndex] ?? 6);
  }
}

/** A SYN repeated this often, or left unanswered this long while the capture went on, was not answered. */
const SYN_RETRIES_GIVING_UP = 2;
const SYN_ANSWER_SECONDS = 3;

export type Outcome = Session["outcome"];

/** A report session with the model objects it came from, for the rules. */
export interface BuiltSession {
  session: Session;
  connection: ControlConnection;
  call: Call | null;
  ppp: PppSummary | null;
}

export function buildSessions(connections: readonly ControlConnection[], refs: FrameRefs, captureEnd: FrameOrigin | null): BuiltSession[] {
  const sessions: BuiltSession[] = [];
  for (const connection of connections) {
    if (!connection.isPptp) continue;
    const calls: Array<Call | null> = connection.calls.length > 0 ? connection.calls : [null];
    // every call of a connection lists all its messages (up to 64 calls of 200 messages): one list, shared
    const messages = messageSummaries(connection, refs);
    for (const call of calls) {
      const ppp = call?.pppSummary() ?? null;
      sessions.push({ session: buildSession(connection, call, ppp, messages, sessions.length + 1, refs, captureEnd), connection, call, ppp });
    }
  }
  return sessions;
}

/** The connection's control messages as the report lists them, in capture order. */
function messageSummaries(connection: ControlConnection, refs: FrameRefs): ControlMessageSummary[] {
  // messages held behind a lost segment are delivered late (sorted only then)
  const inOrder = isSorted(connection.messages, byCaptureOrder) ? connection.messages : [...connection.messages].sort(byCaptureOrder);
  return inOrder.map((m) => messageSummary(m, refs));
}

function buildSession(
  connection: ControlConnection,
  call: Call | null,
  ppp: PppSummary | null,
  messages: ControlMessageSummary[],
  n: number,
  refs: FrameRefs,
  captureEnd: FrameOrigin | null,
): Session {
  let first = connection.first;
  let last = connection.last;
  if (call !== null) {
    // GRE can start before the control connection's first frame seen and go on after its last
    for (const flow of [call.toServer, call.toClient]) {
      const flowFirst = flow.first; // a new object per read: read once
      if (flowFirst === null) continue;
      if (before(flowFirst, first)) first = flowFirst;
      const flowLast = flow.last;
      if (before(last, flowLast)) last = flowLast;
    }
  }
  return {
    id: `s${n}`,
    client: connection.client,
    clientPort: connection.clientPort,
    dialed: connection.dialed,
    serverAddresses: [...connection.answeringAddresses],
    clientCallId: call?.clientCallId ?? null,
    serverCallId: call?.serverCallId ?? null,
    start: refs.time(first),
    end: refs.time(last),
    firstFrame: refs.ref(first),
    lastFrame: refs.ref(last),
    outcome: outcomeOf(connection, call, ppp, captureEnd),
    control: { messages },
    gre: {
      toServer: { packets: call?.toServer.packets ?? 0, bytes: call?.toServer.bytes ?? 0 },
      toClient: { packets: call?.toClient.packets ?? 0, bytes: call?.toClient.bytes ?? 0, from: call ? call.toClient.sources.map((s) => s.address) : [] },
    },
    ppp: pppReport(ppp),
    findings: [],
  };
}

function messageSummary(m: ControlMessage, refs: FrameRefs): ControlMessageSummary {
  const frame = refs.ref(m.origin);
  const time = refs.time(m.origin);
  // replies carry both codes: built in their final shape, as a property added later would take a backing store of its own
  if (m.result !== undefined && m.error !== undefined) return { frame, time, from: m.from, type: m.name, result: m.result, error: m.error };
  const summary: ControlMessageSummary = { frame, time, from: m.from, type: m.name };
  if (m.result !== undefined) summary.result = m.result;
  if (m.error !== undefined) summary.error = m.error;
  return summary;
}

function byCaptureOrder(a: { origin: FrameOrigin }, b: { origin: FrameOrigin }): number {
  return before(a.origin, b.origin) ? -1 : before(b.origin, a.origin) ? 1 : a.origin.frameNo - b.origin.frameNo;
}

function isSorted<T>(items: readonly T[], compare: (a: T, b: T) => number): boolean {
  for (let i = 1; i < items.length; i++) if (compare(items[i - 1], items[i]) > 0) return false;
  return true;
}

/**
 * established: IPCP opened both ways, or PPP data flowed both ways; failed: a refusal,
 * a teardown or silence the capture shows; incomplete: the capture ends (or starts)
 * before either.
 */
export function outcomeOf(connection: ControlConnection, call: Call | null, ppp: PppSummary | null, captureEnd: FrameOrigin | null): Outcome {
  if (ppp && (ppp.ipcp.state === "opened" || (call!.toServer.pppDataFrames > 0 && call!.toClient.pppDataFrames > 0))) return "established";
  if (connection.startReply && connection.startReply.result !== 1) return "failed";
  if (call?.reply && !call.accepted) return "failed";
  if (ppp && (ppp.auth.result === "failure" || ppp.authOfServer.result === "failure")) return "failed";
  if (ppp && [ppp.lcp.state, ppp.ipcp.state].includes("failed")) return "failed";
  if (connection.resets.some((r) => r.from === "server")) return "failed";
  // a SYN-ACK from another address than the one dialed does not open the client's connection
  const answered = connection.synAcks.some((a) => a.address === connection.dialed) || connection.messages.some((m) => m.from === "server");
  if (!answered && connection.syns.length > 0) {
    const waited = captureEnd ? seconds(captureEnd) - seconds(connection.syns[0]) : 0;
    return connection.syns.length > SYN_RETRIES_GIVING_UP || waited >= SYN_ANSWER_SECONDS ? "failed" : "incomplete";
  }
  const tornDown = connection.fins.length > 0 || connection.resets.length > 0 || connection.stopRequest !== null || call?.clear || call?.disconnect;
  return tornDown ? "failed" : "incomplete";
}

const NOT_SEEN: ProtocolReport = { state: "not-seen", detail: null };

export function pppReport(ppp: PppSummary | null): PppReport {
  if (ppp === null) {
    return { lcp: NOT_SEEN, auth: { protocol: null, peerName: null, result: "not-seen", detail: null }, ccp: NOT_SEEN, ipcp: { state: "not-seen", client: null, server: null, dns: [] } };
  }
  const auth = ppp.auth.result !== "not-seen" || ppp.authOfServer.result === "not-seen" ? ppp.auth : ppp.authOfServer;
  const failure = auth.detail?.msChapFailure;
  return {
    lcp: protocolReport(ppp.lcp),
    auth: {
      protocol: auth.protocol,
      peerName: auth.peerName,
      result: auth.result,
      detail: failure ? `E=${failure.error}${failure.errorMeaning ? ` (${failure.errorMeaning})` : ""}` : (auth.detail?.text ?? null),
    },
    ccp: protocolReport(ppp.ccp),
    ipcp: { state: ppp.ipcp.state, client: ppp.ipcp.client, server: ppp.ipcp.server, dns: ppp.ipcp.dns },
  };
}

function protocolReport(summary: NegotiationSummary): ProtocolReport {
  return { state: summary.state, detail: summary.failure?.detail ?? summary.terminate?.text ?? null };
}

export function buildLinks(links: readonly PppLink[], refs: FrameRefs): Array<{ link: PppLink; report: Link; ppp: PppSummary }> {
  return links.map((link) => {
    const ppp = link.negotiation.summary();
    return { link, ppp, report: linkReport(link, ppp, refs) };
  });
}

function linkReport(link: PppLink, ppp: PppSummary, refs: FrameRefs): Link {
  const addresses = ppp.ipcp.assigned.map((a) => a.address).filter((a, i, all) => all.indexOf(a) === i);
  const knownSides = link.sideSource !== "inferred";
  return {
    kind: link.kind,
    linkType: link.linkType,
    sessionId: link.sessionId >= 0 ? link.sessionId : null,
    local: knownSides ? ppp.ipcp.client : null,
    peer: knownSides ? ppp.ipcp.server : null,
    addresses,
    sides: link.sideSource,
    ppp: pppReport(ppp),
    frames: [refs.ref(link.first), refs.ref(link.last)],
  };
}

function seconds(origin: FrameOrigin): number {
  return origin.tsSec + origin.tsNsec / 1e9;
}
