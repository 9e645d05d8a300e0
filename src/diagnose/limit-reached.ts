/**
 * limit-reached: a hard limit (a named constant beside the code that keeps the state)
 * dropped something or stopped keeping it; the report says what and how much, never
 * silence. One finding per place the state lived: a capture-level one for the tables
 * the whole capture shares (connections, orphan GRE flows, links, IP fragments, headers
 * nested too deep), one per session for what one control connection or call keeps, and a
 * capture-level one per PPP link seen directly for what the link keeps (its negotiation,
 * the connections it carries), as the PPP rules do. A session's finding sits
 * beside the verdict it may weaken, and a flood of sessions cannot grow one message
 * without bound.
 *
 * Severity: a warning when what was dropped may change a verdict in the report (packets
 * or messages of a session not analyzed, or taken for another session or an unknown call
 * ID); info when a list was only shortened (counted, not kept) or something was left out
 * of the report as a whole, so every verdict shown stands.
 */
import { MAX_PROBLEMS_PER_FILE, MAX_PROBLEMS_PER_SET } from "../capture/problems.js";
import { MAX_IP_TUNNEL_DEPTH } from "../decode/decoder.js";
import { MAX_VLAN_TAGS } from "../decode/ethernet.js";
import { MAX_IPV6_EXTENSION_HEADERS } from "../decode/ipv6.js";
import { MAX_OPTIONS } from "../decode/ppp/control-packet.js";
import { MAX_CALLS_PER_CALL_ID } from "../model/call-index.js";
import {
  type Call,
  type ControlConnection,
  MAX_ANSWERING_ADDRESSES,
  MAX_CALLS_PER_CONNECTION,
  MAX_MESSAGES_PER_CONNECTION,
  MAX_PENDING_ECHOES,
  MAX_TCP_EVENTS,
} from "../model/control.js";
import { MAX_SOURCES_PER_FLOW } from "../model/gre-flow.js";
import { MAX_CONNECTIONS_PER_LINK, type PppLink } from "../model/ppp-links.js";
import { MAX_EXCHANGES_REMEMBERED, type PppLimitsReached } from "../model/ppp-negotiation.js";
import {
  CLOSE_GRACE_SECONDS,
  MAX_CONNECTIONS,
  MAX_LINKS,
  MAX_NESTED_DEPTH,
  MAX_ORPHAN_FLOWS,
  MAX_PROTOCOLS_PER_ORPHAN_FLOW,
  MAX_SESSIONS_REPORTED,
} from "../model/tracker.js";
import {
  FRAGMENT_TIMEOUT_SECONDS,
  MAX_DATAGRAMS_IN_PROGRESS,
  MAX_FRAGMENTS_PER_DATAGRAM,
  MAX_HELD_BYTES,
} from "../reassembly/ip-fragments.js";
import { MAX_HELD_SEGMENTS, MAX_STREAM_BUFFER_BYTES } from "../reassembly/tcp-stream.js";
import { type Finding, endpoint } from "../report/schema.js";
import type { CaptureFacts } from "./facts.js";
import { callPlace, capitalized, linkScope } from "./ppp-scope.js";
import type { Rule } from "./rule.js";

/** One limit as the finding words it. */
interface Limit<T> {
  /** How many things the limit dropped or did not keep (0: not reached). */
  count(state: T): number;
  /** What was dropped may change a verdict in the report: the finding becomes a warning. */
  weakensVerdict: boolean;
  says(count: number, state: T): string;
}

const KIB = 1024;
const MIB = 1024 * 1024;

/** The tables the whole capture shares. */
const CAPTURE_LIMITS: ReadonlyArray<Limit<CaptureFacts>> = [
  {
    count: (c) => c.problemsOmitted,
    weakensVerdict: false,
    says: (n) =>
      `${n} damaged record(s) or block(s) beyond the first ${MAX_PROBLEMS_PER_FILE} per file and ${MAX_PROBLEMS_PER_SET} in all were counted, not listed`,
  },
  {
    count: (c) => c.limits.connectionsEvicted,
    weakensVerdict: true,
    says: (n) =>
      `${n} control connection(s) were closed early because more than ${MAX_CONNECTIONS} were open at once ` +
      "(a later packet of one starts a session of its own, so each part has a verdict on half the evidence)",
  },
  {
    count: (c) => c.limits.sessionsDropped,
    weakensVerdict: false,
    says: (n) => `${n} control connection(s) beyond the first ${MAX_SESSIONS_REPORTED} are not reported`,
  },
  {
    count: (c) => c.limits.orphanFlowsDropped,
    weakensVerdict: false,
    says: (n) => `${n} GRE packet(s) of call IDs beyond the first ${MAX_ORPHAN_FLOWS} unexplained flows were not followed`,
  },
  {
    count: (c) => c.limits.orphanProtocolsUnlisted,
    weakensVerdict: false,
    says: (n) => `${n} GRE packet(s) of unexplained flows carried PPP protocols beyond the first ${MAX_PROTOCOLS_PER_ORPHAN_FLOW} per flow, which are not listed`,
  },
  {
    count: (c) => c.limits.linksDropped,
    weakensVerdict: false,
    says: (n) => `${n} frame(s) of PPP links beyond the first ${MAX_LINKS} were not followed`,
  },
  {
    count: (c) => c.limits.lateControlFrames,
    weakensVerdict: false,
    says: (n) => `${n} PPP control frame(s) came more than ${CLOSE_GRACE_SECONDS} s after their control connection closed and were counted, not analyzed`,
  },
  // headers nested too deep: every frame on that path is, so its sessions are left out whole and every verdict shown stands
  {
    count: (c) => c.limits.nestedTooDeep,
    weakensVerdict: false,
    says: (n) => `${n} PPTP control segment(s) or GRE packet(s) tunnelled in PPTP more than ${MAX_NESTED_DEPTH} levels deep were not followed`,
  },
  {
    count: (c) => c.decoderLimits.ipTunnelsTooDeep,
    weakensVerdict: false,
    says: (n) => `${n} frame(s) with IP nested in IP more than ${MAX_IP_TUNNEL_DEPTH} levels deep were not decoded (PPTP inside them, if any, is not analyzed)`,
  },
  {
    count: (c) => c.decoderLimits.vlanTagsTooMany,
    weakensVerdict: false,
    says: (n) => `${n} frame(s) with more than ${MAX_VLAN_TAGS} VLAN tags were not decoded (PPTP inside them, if any, is not analyzed)`,
  },
  {
    count: (c) => c.decoderLimits.ipv6ExtensionHeadersTooMany,
    weakensVerdict: false,
    says: (n) =>
      `${n} IPv6 datagram(s) with more than ${MAX_IPV6_EXTENSION_HEADERS} extension headers were not decoded (PPTP inside them, if any, is not analyzed)`,
  },
  {
    count: (c) => c.fragments.tooManyDatagrams,
    weakensVerdict: true,
    says: (n) => `${n} fragmented IP datagram(s) were dropped unassembled because more than ${MAX_DATAGRAMS_IN_PROGRESS} were in reassembly at once`,
  },
  {
    count: (c) => c.fragments.tooManyBytes,
    weakensVerdict: true,
    says: (n) => `${n} fragmented IP datagram(s) were dropped unassembled to keep the fragments held within ${MAX_HELD_BYTES / MIB} MiB`,
  },
  {
    count: (c) => c.fragments.tooManyFragments,
    weakensVerdict: true,
    says: (n) => `${n} IP datagram(s) of more than ${MAX_FRAGMENTS_PER_DATAGRAM} fragments were dropped unassembled`,
  },
  {
    count: (c) => c.fragments.timedOut,
    weakensVerdict: false,
    says: (n) => `${n} fragmented IP datagram(s) were still incomplete ${FRAGMENT_TIMEOUT_SECONDS} s after their first fragment and were dropped, as a receiver drops them`,
  },
];

/** What one control connection keeps: reported in its first session only. */
const CONNECTION_LIMITS: ReadonlyArray<Limit<ControlConnection>> = [
  {
    count: (c) => c.messagesOmitted,
    weakensVerdict: false,
    says: (n) => `${n} control message(s) beyond ${MAX_MESSAGES_PER_CONNECTION} per connection were counted, not kept`,
  },
  {
    count: (c) => c.malformedOmitted,
    weakensVerdict: false,
    says: (n) => `${n} undecodable control message(s) beyond ${MAX_MESSAGES_PER_CONNECTION} per connection were counted, not kept`,
  },
  {
    count: (c) => c.callsOmitted,
    weakensVerdict: true,
    says: (n) =>
      `${n} call request(s) or reply(ies) beyond the first ${MAX_CALLS_PER_CONNECTION} calls per connection were not followed ` +
      "(the GRE of those calls is reported as unknown call IDs)",
  },
  {
    count: (c) => c.holesGivenUpEarly,
    weakensVerdict: true,
    says: (n) =>
      `${n} hole(s) in the control stream were given up before they could fill, because a direction held more than ` +
      `${MAX_STREAM_BUFFER_BYTES / KIB} KiB or ${MAX_HELD_SEGMENTS} segments out of order (messages in them are missing)`,
  },
  {
    count: (c) => c.tcpEventsOmitted,
    weakensVerdict: false,
    says: (n) => `${n} SYN, SYN-ACK, FIN or RST segment(s) beyond ${MAX_TCP_EVENTS} of each kind were counted, not kept`,
  },
  {
    count: (c) => c.answersFromUnlistedAddresses,
    weakensVerdict: false,
    says: (n) => `${n} answer(s) came from addresses beyond the first ${MAX_ANSWERING_ADDRESSES}, which are not listed`,
  },
  {
    count: (c) => c.echoesPushedOut,
    weakensVerdict: false,
    says: (n) => `${n} PPTP Echo-Request(s) were counted as unanswered when more than ${MAX_PENDING_ECHOES} were outstanding`,
  },
];

/** What one call keeps. */
const CALL_LIMITS: ReadonlyArray<Limit<Call>> = [
  {
    count: (c) => c.indexEvictions,
    weakensVerdict: true,
    says: (n) =>
      `more than ${MAX_CALLS_PER_CALL_ID} calls used its call ID at once, so the call was pushed out of the call index ${n} time(s) ` +
      "(some of its GRE may be reported as unknown call IDs)",
  },
  {
    count: (c) => c.setLinkInfoOmitted,
    weakensVerdict: false,
    says: (n) => `${n} Set-Link-Info message(s) beyond ${MAX_TCP_EVENTS} per call were counted, not kept`,
  },
  {
    count: (c) => c.toServer.sourcesOmitted + c.toClient.sourcesOmitted,
    weakensVerdict: false,
    says: (n) => `${n} GRE packet(s) from addresses beyond the first ${MAX_SOURCES_PER_FLOW} per direction were counted, not named`,
  },
];

/** What one PPP negotiation keeps (a call's or a direct link's). */
const PPP_LIMITS: ReadonlyArray<Limit<PppLimitsReached>> = [
  {
    count: (p) => p.exchangesForgotten,
    weakensVerdict: false,
    says: (n) => `${n} PPP Configure-Request identifier(s) beyond the last ${MAX_EXCHANGES_REMEMBERED} per protocol and side were forgotten`,
  },
  {
    count: (p) => p.answersToForgotten,
    weakensVerdict: true,
    says: (n) => `${n} PPP Configure-Ack/Nak/Reject(s) answered a forgotten identifier and were counted as unmatched`,
  },
  {
    count: (p) => p.optionsOmitted,
    weakensVerdict: true,
    says: (n, p) => `${n} PPP configuration option(s) beyond ${MAX_OPTIONS} per packet, in ${p.packetsWithOptionsOmitted} packet(s), were not decoded`,
  },
];

/** What a PPP link seen directly keeps besides its negotiation. */
const LINK_LIMITS: ReadonlyArray<Limit<PppLink>> = [
  {
    count: (l) => l.connectionsOmitted,
    // dial-target-mismatch checks only the connections a link lists
    weakensVerdict: true,
    says: (n) =>
      `${n} PPTP control connection(s) beyond the first ${MAX_CONNECTIONS_PER_LINK} it carried were not listed ` +
      "(their sessions are not checked against the addresses IPCP gave on the link)",
  },
];

/** The limits reached, each as its part of the message, and whether any weakens a verdict. */
interface Reached {
  parts: string[];
  weakensVerdict: boolean;
}

function addReached<T>(limits: ReadonlyArray<Limit<T>>, state: T, reached: Reached): void {
  for (const limit of limits) {
    const count = limit.count(state);
    if (count === 0) continue;
    reached.parts.push(limit.says(count, state));
    if (limit.weakensVerdict) reached.weakensVerdict = true;
  }
}

function finding(where: string, reached: Reached): Finding[] {
  if (reached.parts.length === 0) return [];
  return [
    {
      code: "limit-reached",
      severity: reached.weakensVerdict ? "warning" : "info",
      message: `${where}: ${reached.parts.join("; ")}.`,
      frames: [],
      remedy: limitReached.explain.remedy,
    },
  ];
}

export const limitReached: Rule = {
  code: "limit-reached",
  severity: "info",
  explain: {
    meaning:
      "A hard limit that keeps the analyzer's memory and work bounded was reached: it dropped some state or stopped keeping it, " +
      "or left frames whose headers nest too deep undecoded, and this finding says what and how much. It is a warning when what was dropped may change a verdict in the report " +
      "(packets or messages of a session not analyzed, or taken for another session or an unknown call ID); " +
      "info when a list was only shortened (counted, not kept) or something was left out of the report.",
    onTheWire:
      "Very many control connections, calls, GRE call IDs, PPP links or fragmented datagrams at once (a busy concentrator, a scan, a flood), " +
      "or one session with hundreds of control messages, TCP far out of order, or a PPP negotiation that goes round for long, " +
      "or headers stacked deeper than real networks stack them (tunnels in tunnels, VLAN tags, IPv6 extension headers): " +
      "a misbehaving peer or a damaged capture.",
    remedy:
      'Filter the capture to the sessions of interest (e.g. tshark -r in.pcap -w out.pcap -Y "ip.addr == CLIENT") and analyze that; ' +
      "for a limit inside one session, open its frames in Wireshark. Each limit is a named constant beside its code, to raise where memory allows.",
  },
  session({ session, connection, call, ppp }) {
    const reached: Reached = { parts: [], weakensVerdict: false };
    // a connection's limits once, in the session of its first call (or its only session)
    if (call === null || call === connection.calls[0]) addReached(CONNECTION_LIMITS, connection, reached);
    if (call !== null) addReached(CALL_LIMITS, call, reached);
    if (ppp !== null) addReached(PPP_LIMITS, ppp.limits, reached);
    if (reached.parts.length === 0) return []; // the usual case: no need to name the place
    const where =
      call === null ? `The control connection from ${endpoint(session.client, session.clientPort)} to ${session.dialed}` : capitalized(callPlace(session));
    return finding(where, reached);
  },
  capture(capture) {
    const reached: Reached = { parts: [], weakensVerdict: false };
    addReached(CAPTURE_LIMITS, capture, reached);
    const findings = finding("The analyzer's limits were reached in this capture", reached);
    for (const link of capture.links) {
      const onLink: Reached = { parts: [], weakensVerdict: false };
      addReached(PPP_LIMITS, link.ppp.limits, onLink);
      addReached(LINK_LIMITS, link.link, onLink);
      findings.push(...finding(capitalized(linkScope(link, capture).where), onLink));
    }
    return findings;
  },
};
