/**
 * dial-target-mismatch (KB Q169831, router to router): PPTP runs over a PPP link seen in
 * the capture, on which IPCP gave each end an address (RFC 1332 §3.3: the peer's Nak
 * suggests it). A router that brings up PPTP over that link must dial the address its own
 * side assigned the peer, from its own pool. Dialing the peer's internal address (from
 * the peer's pool) reaches the peer, but the peer answers from its link address, which
 * the caller does not accept: the tunnel's PPP gets no answer.
 */
import type { AddressAssignment, IpcpSummary, PppSide } from "../model/ppp-negotiation.js";
import type { CaptureFacts, LinkFacts } from "./facts.js";
import { fileUnder, workedOutOnce } from "./indexes.js";
import { type Finding, endpoint } from "../report/schema.js";
import { formatFrameRef } from "../report/schema.js";
import { callPlace, capitalized, evidence, frameText, otherSide } from "./ppp-scope.js";
import type { Rule } from "./rule.js";
import { counted } from "./tunnel-evidence.js";

/** What IPCP's Configure-Request carries when the side asks to be given an address (RFC 1332 §3.3). */
const UNSPECIFIED_ADDRESS = "0.0.0.0";

const linksByConnectionCache = new WeakMap<CaptureFacts, Map<number, LinkFacts[]>>();

/**
 * The PPP links each control connection ran over, by connection index, in the capture's link
 * order (built once per capture: thousands of sessions would each scan up to 256 links). A
 * link lists each connection once.
 */
function linksCarrying(capture: CaptureFacts, connectionIndex: number): readonly LinkFacts[] {
  const byConnection = workedOutOnce(linksByConnectionCache, capture, linksByConnection);
  return byConnection.get(connectionIndex) ?? [];
}

function linksByConnection(capture: CaptureFacts): Map<number, LinkFacts[]> {
  const byConnection = new Map<number, LinkFacts[]>();
  for (const link of capture.links) for (const index of link.link.connections) fileUnder(byConnection, index, link);
  return byConnection;
}

export const dialTargetMismatch: Rule = {
  code: "dial-target-mismatch",
  severity: "error",
  explain: {
    meaning:
      "PPTP runs over a PPP link (e.g. a demand-dial link between two routers) and the client dialed an address other than the one IPCP on that link gave the peer: typically the peer's internal address, from the peer's own address pool. The peer answers from its link address, the client drops those replies, and the tunnel fails with \"Remote PPP peer is not responding\" (Microsoft KB Q169831).",
    onTheWire:
      "On the PPP link, IPCP Configure-Nak/Ack (ppp.protocol == 0x8021) give each end its IP-Address (option 3); the PPTP SYN over the link goes to another address, in the same subnet as the address the peer handed to the client, and the tunnel's LCP is never completed.",
    remedy:
      "Dial the address your router assigned the peer on the PPP link (the finding's recommended address, from your own pool), not the peer's internal address. With Windows RRAS routers: in the demand-dial interface for the PPTP connection, use that address instead of the peer's name or internal address.",
  },
  session({ session, connection, call }, capture): Finding[] {
    if (session.outcome === "established" || (call !== null && call.index > 0)) return [];
    const dialed = connection.dialed;
    const findings: Finding[] = [];
    for (const link of linksCarrying(capture, connection.index)) {
      const ipcp = link.ppp.ipcp;
      const client = clientSide(ipcp, connection.client);
      if (client === null) continue;
      const peer = otherSide(client);
      const peerAddress = ipcp[peer];
      if (peerAddress === null || peerAddress === dialed) continue;
      const ours = assignmentOf(ipcp, client);
      const theirs = assignmentOf(ipcp, peer);
      // the peer's own address: what it asked for before it was given another
      const peersOwn = theirs?.firstRequested && theirs.firstRequested !== UNSPECIFIED_ADDRESS && theirs.firstRequested !== peerAddress ? theirs.firstRequested : null;
      const peersPool = ours !== null && ours.assignedBy === peer ? slash24(ours.address) : null;
      const fromPeersPool = peersPool !== null && peersPool === slash24(dialed);
      if (dialed !== peersOwn && !fromPeersPool) continue;

      const { refs } = capture;
      const asked = ipcp.directions[peer].firstRequest;
      const who = (side: PppSide) => (side === client ? "the client" : "the peer");
      const gave = (a: AddressAssignment | null, address: string, side: PppSide) =>
        a === null
          ? `${who(side)} ${address}`
          : `${who(side)} ${address} (${a.assignedBy === side ? "its own choice" : `assigned by ${who(a.assignedBy)}`}, ${frameText(refs, a.nak ?? a.ack)})`;
      const why =
        dialed === peersOwn
          ? `${dialed} is the peer's own address (the peer asked for it${asked === null ? "" : `, ${frameText(refs, asked)}`}, and was given ${peerAddress} instead)`
          : `${dialed} lies in ${peersPool}, like ${ours!.address}, the address the peer handed out from its own pool: it is the peer's internal address, not its end of the link`;
      const greFromPeer = call?.toClient.sources.find((s) => s.address === peerAddress);
      const answered = greFromPeer
        ? ` The peer's GRE came from ${peerAddress} (${counted(greFromPeer.packets, "packet")}, the first in ${frameText(refs, greFromPeer.first)}), which the client does not take for its tunnel peer.`
        : ` The peer answers the tunnel from its link address ${peerAddress}, which the client does not take for its tunnel peer.`;
      const linkFrames = link.report.frames.map(formatFrameRef).join("-");
      const where = call === null ? `the connection from ${endpoint(session.client, session.clientPort)} to ${dialed}` : callPlace(session);
      const sure = session.outcome === "failed";
      findings.push({
        code: "dial-target-mismatch",
        severity: sure ? "error" : "warning",
        message:
          `${capitalized(where)} runs over the PPP link (frames ${linkFrames}), on which IPCP gave ${gave(ours, connection.client, client)} and ${gave(theirs, peerAddress, peer)}. ` +
          `The client dialed ${dialed}, but ${why}.${answered} Dial ${peerAddress}, the address ${theirs?.assignedBy === client ? `the client assigned the peer from its own pool ${slash24(peerAddress) ?? ""}`.trimEnd() : "the peer has on the link"} (KB Q169831).` +
          (sure ? "" : " The capture ends before the tunnel failed or came up, so this is not certain."),
        frames: evidence(refs, [ours?.nak ?? ours?.ack, theirs?.nak ?? theirs?.ack, connection.syns[0] ?? connection.first, greFromPeer?.first]),
        recommended: peerAddress,
        detail: `link IPCP: client ${connection.client}${ours ? ` (assigned by ${ours.assignedBy === client ? "itself" : "the peer"})` : ""}, peer ${peerAddress}${theirs ? ` (assigned by ${theirs.assignedBy === peer ? "itself" : "the client"})` : ""}; dialed ${dialed}`,
        remedy: dialTargetMismatch.explain.remedy,
      });
    }
    return findings;
  },
};

/**
 * Which end of the link the PPTP client is: the end whose IPCP address it dials from.
 * A host behind a router is not judged: what its router assigned is not for it to dial.
 */
function clientSide(ipcp: IpcpSummary, client: string): PppSide | null {
  return ipcp.client === client ? "client" : ipcp.server === client ? "server" : null;
}

function assignmentOf(ipcp: IpcpSummary, side: PppSide): AddressAssignment | null {
  return ipcp.assigned.find((a) => a.side === side && a.address === ipcp[side]) ?? null;
}

/**
 * The /24 of an IPv4 address, e.g. "172.16.0.0/24": the pools of the KB's example. The
 * pool's real mask is not on the wire; a /24 is the narrowest guess that still holds a pool.
 */
function slash24(address: string): string | null {
  return /^\d+\.\d+\.\d+\.\d+$/.test(address) ? `${address.slice(0, address.lastIndexOf("."))}.0/24` : null;
}
