/**
 * gre-loss: GRE packets of a call lost in one direction, and whether the lost ones are the
 * large packets (an MTU black hole). Where the capture was taken decides what it can show:
 *
 * - Behind the loss (at the receiver): sequence numbers that never arrive (RFC 2637 §4.3:
 *   each data packet has the next one). The size of a packet that never arrived is not in
 *   the capture, only the sizes of those that did. When none above some size arrived
 *   although the receiver's MRU allows larger frames and the other direction carried larger
 *   ones, the lost packets are *likely* the large ones; said so, never as a fact.
 * - Before the loss (at the sender): every packet with its size, and the peer's
 *   acknowledgments (RFC 2637 §4.4: the highest sequence number received). An acknowledgment
 *   names one packet that arrived; a packet the acknowledgments skip may still have arrived
 *   (they are cumulative and may be delayed). But when the peer acknowledged a share p of
 *   the smaller packets and not one of K packets above some size, the chance of that if
 *   size did not matter is (1-p)^K; below MAX_CHANCE it is reported as a black hole. Only
 *   packets after which the peer sent GRE of its own before the sender's next one count: a
 *   peer that acknowledges a burst at once names its last packet, often a small one. And
 *   packets never covered by an acknowledgment, while the peer still sent acknowledgments
 *   ACK_WAIT_SECONDS later, were lost. The model judges the acknowledgments when a call is
 *   put away (GreDirection.releaseHistories); GRE that still comes is judged at the end.
 *
 * Packets that arrive late fill their gap and are not lost; repeats are not counted. A
 * capture that also misses bytes of the TCP control stream (which TCP retransmits, so the
 * network cannot lose them for good) dropped packets itself: its GRE gaps are then info.
 * Calls that share a call ID with another call (call-id-mismatch) mix two sequence spaces
 * in one flow and are not judged.
 */
import type { FrameOrigin } from "../capture/frame.js";
import type { Side } from "../model/control.js";
import { ACK_WAIT_SECONDS, type AckJudgement, type GreDirection, MIN_LARGE_UNACKNOWLEDGED, type SentPacket, seqAfter } from "../model/gre-flow.js";
import type { Finding, Severity } from "../report/schema.js";
import { formatFrameRef } from "../report/schema.js";
import { sharedCallIds } from "./call-id-mismatch.js";
import type { CaptureFacts, SessionFacts } from "./facts.js";
import { callPlace, evidence, frameText, sessionScope } from "./ppp-scope.js";
import type { Rule } from "./rule.js";
import { FRAMES_NAMED, counted, framesText } from "./tunnel-evidence.js";

const CODE = "gre-loss";

/** Lost packets, and their share of those sent, from which loss is a warning rather than info. */
export const MIN_LOST_FOR_WARNING = 3;
export const MIN_LOSS_SHARE_FOR_WARNING = 0.01;
/** The chance below which size is blamed for unacknowledged packets (MIN_LARGE_UNACKNOWLEDGED of them at least). */
export const MAX_CHANCE = 0.01;
/** Smaller packets needed to tell how often the peer acknowledges one. */
const MIN_SMALLER_SAMPLE = 4;
/**
 * Every IPv4 host accepts 576-byte datagrams (RFC 791), so no path MTU is smaller; with the
 * outer IP (20) and GRE (16) headers, GRE payloads up to 540 bytes fit any path.
 */
export const MIN_BLACK_HOLE_PAYLOAD = 540;
/** Size difference (bytes) that counts as "larger" when comparing what arrived with what could have. */
const SIZE_MARGIN = 100;
/** RFC 1661 §6.1: the MRU when none was negotiated. */
const DEFAULT_MRU = 1500;

interface BlackHole {
  /** Largest packet the peer acknowledged. */
  boundary: number;
  above: SentPacket[];
  acknowledgedBelow: number;
  below: number;
  chance: number;
}

/**
 * The largest acknowledged size, and the packets above it that went unacknowledged, if chance
 * cannot explain them. `lostAcks`: packets of the acknowledging direction lost before the
 * capture point; each may have carried the one acknowledgment that named a packet, so that
 * many unacknowledged packets do not count as evidence.
 */
function blackHoleOf(judged: AckJudgement, lostAcks: number): BlackHole | null {
  if (judged.acknowledged.length === 0) return null;
  const boundary = Math.max(...judged.acknowledged.map((p) => p.size));
  if (boundary < MIN_BLACK_HOLE_PAYLOAD) return null;
  const candidates = [...judged.passed, ...judged.unacknowledged].filter((p) => p.size > boundary).length;
  if (candidates - lostAcks < MIN_LARGE_UNACKNOWLEDGED) return null;
  // a peer that acknowledges a burst at once names its last packet only: count a packet only when the peer sent between it and the next
  const notAcknowledged = [...judged.passed, ...judged.unacknowledged].filter((p) => p.answered).sort((a, b) => (seqAfter(a.seq, b.seq) ? 1 : -1));
  const above = notAcknowledged.filter((p) => p.size > boundary);
  const acknowledgedBelow = judged.acknowledged.filter((p) => p.answered).length;
  const below = acknowledgedBelow + notAcknowledged.length - above.length;
  const unexplained = above.length - lostAcks;
  if (below < MIN_SMALLER_SAMPLE || unexplained < MIN_LARGE_UNACKNOWLEDGED) return null;
  const chance = (1 - acknowledgedBelow / below) ** unexplained;
  if (chance > MAX_CHANCE) return null;
  return { boundary, above, acknowledgedBelow, below, chance };
}

function sizeRange(packets: readonly SentPacket[]): string {
  const sizes = packets.map((p) => p.size);
  const low = Math.min(...sizes);
  const high = Math.max(...sizes);
  return low === high ? `${low} bytes` : `${low}-${high} bytes`;
}

function chanceText(chance: number): string {
  return chance < 0.0001 ? "below 0.01%" : `${(chance * 100).toFixed(2)}%`;
}

function percent(part: number, whole: number): string {
  return `${((part / whole) * 100).toFixed(1)}%`;
}

/** Sequence numbers that never reached the capture point (late packets filled their gap). */
function lostBeforeCapture(flow: GreDirection): number {
  return Math.max(0, flow.missing - flow.lateArrivals);
}

/** One direction of the call: `flow` sent by `senderSide`, `peer` the other direction (carrying its acknowledgments). */
function directionFinding(facts: SessionFacts, capture: CaptureFacts, senderSide: Side): Finding | null {
  const { connection, call, ppp, session } = facts;
  if (call === null) return null;
  const flow = senderSide === "client" ? call.toServer : call.toClient;
  const peer = senderSide === "client" ? call.toClient : call.toServer;
  const receiverSide: Side = senderSide === "client" ? "server" : "client";
  const sender = senderSide === "client" ? connection.client : (flow.sources[0]?.address ?? connection.dialed);
  const receiver = senderSide === "client" ? connection.dialed : connection.client;
  const { refs } = capture;

  // behind the loss: sequence numbers that never arrived
  const gapLost = lostBeforeCapture(flow);
  // before the loss: what the peer's acknowledgments say
  const judged = flow.acknowledgments(peer);
  const blackHole = judged === null ? null : blackHoleOf(judged, lostBeforeCapture(peer));
  const unacknowledged = blackHole?.above ?? judged?.unacknowledged ?? [];
  const lost = gapLost + unacknowledged.length;
  if (lost === 0) return null;

  const sent = flow.dataPackets + gapLost;
  const parts: string[] = [];
  const frames: Array<FrameOrigin | null> = [];
  let detail: string;
  if (gapLost > 0) {
    const late = flow.lateArrivals > 0 ? ` (${counted(flow.lateArrivals, "more packet")} arrived late and filled their gap)` : "";
    const after = flow.gaps === 1 ? frameText(refs, flow.firstGap!) : `frames ${formatFrameRef(refs.ref(flow.firstGap!))} and ${formatFrameRef(refs.ref(flow.lastGap))}`;
    parts.push(`${counted(gapLost, "sequence number")} never arrived, in ${counted(flow.gaps, "gap")}${late} (the first and last packet after a gap: ${after}).`);
    frames.push(flow.firstGap, flow.lastGap);
    const mru = ppp?.lcp.mru[receiverSide] ?? DEFAULT_MRU;
    const arrived = flow.largestPayload;
    if (arrived >= mru - SIZE_MARGIN) {
      parts.push(`Packets of up to ${arrived} bytes did arrive, about the most ${receiver} accepts (MRU ${mru}), so the losses are not a size limit.`);
      detail = `not the large packets (up to ${arrived} bytes arrived)`;
    } else if (peer.largestPayload >= arrived + SIZE_MARGIN) {
      parts.push(
        `No packet above ${arrived} bytes arrived in this direction, although ${receiver} accepts frames of ${mru} bytes (MRU) and itself sent up to ${peer.largestPayload}: ` +
          `the lost packets are likely the large ones, an MTU black hole between ${sender} and the capture point. The capture, taken behind the loss, cannot show the size of what never arrived; one taken at ${sender} would.`,
      );
      detail = `likely the large packets (none above ${arrived} bytes arrived)`;
    } else {
      parts.push(`The capture, taken behind the loss, cannot tell the size of the lost packets; the largest that arrived had ${arrived} bytes.`);
      detail = "sizes of the lost packets unknown";
    }
  } else detail = "";
  if (blackHole !== null) {
    const named = blackHole.above.slice(0, FRAMES_NAMED).map((p) => p.origin);
    parts.push(
      `${receiver} never acknowledged any of the ${counted(blackHole.above.length, "packet")} above ${blackHole.boundary} bytes (${sizeRange(blackHole.above)}; ${framesText(refs, blackHole.above.map((p) => p.origin))}) ` +
        `that ${sender} sent, though it sent GRE of its own after each of them, while it acknowledged ${blackHole.acknowledgedBelow} of the ${blackHole.below} smaller packets it sent GRE after ` +
        `(if size did not matter, the chance of that is ${chanceText(blackHole.chance)}): packets above about ${blackHole.boundary} bytes are lost on the way, an MTU black hole between the capture point and ${receiver}.`,
    );
    frames.push(...named);
    detail = `the large packets (none above ${blackHole.boundary} bytes acknowledged)`;
  } else if (unacknowledged.length > 0) {
    const named = unacknowledged.slice(0, FRAMES_NAMED).map((p) => p.origin);
    parts.push(
      `${receiver} never acknowledged ${counted(unacknowledged.length, "packet")} (${framesText(refs, unacknowledged.map((p) => p.origin))}), although it went on acknowledging up to ${frameText(refs, peer.lastAck)}, ${ACK_WAIT_SECONDS} s or more after they were sent: they were lost after the capture point.`,
    );
    frames.push(...named, peer.lastAck);
    if (detail === "") detail = unacknowledged.some((p) => p.size > MIN_BLACK_HOLE_PAYLOAD) ? `unacknowledged packets of ${sizeRange(unacknowledged)}` : "not the large packets";
  }

  // the PPP rules' scope already holds the call's place in words: one text per session, not per finding
  const where = sessionScope(facts, capture)?.where ?? callPlace(session);
  let severity: Severity = blackHole !== null || (lost >= MIN_LOST_FOR_WARNING && lost / sent >= MIN_LOSS_SHARE_FOR_WARNING) ? "warning" : "info";
  if (severity === "warning" && blackHole === null && gapLost > 0 && connection.gapBytes > 0) {
    severity = "info";
    parts.push(`The capture also misses ${counted(connection.gapBytes, "byte")} of the TCP control stream, which TCP would have retransmitted: the capture itself dropped packets, so the gaps may be capture loss, not network loss.`);
  }
  const share = ` (${percent(lost, sent)} of ${sent} sent)`;
  parts.unshift(`GRE from ${sender} to ${receiver} on ${where} lost ${counted(lost, "packet")}${share}.`);
  return {
    code: CODE,
    severity,
    // joined, the message is one string; a template would keep it as a tree of its pieces (most sessions have this finding)
    message: parts.join(" "),
    frames: evidence(refs, frames),
    detail,
    remedy: greLoss.explain.remedy,
  };
}

export const greLoss: Rule = {
  code: CODE,
  severity: "warning",
  explain: {
    meaning:
      "GRE packets of a PPTP call were lost in one direction: the tunnel works, but slowly or with stalls (PPTP does not retransmit, the applications inside the tunnel do). When the lost packets are the large ones, the path has an MTU black hole: packets bigger than some link on the way can carry are dropped, and the ICMP \"fragmentation needed\" that should say so never arrives, so small packets (logins, DNS, keystrokes) pass while downloads, file copies and web pages hang.",
    onTheWire:
      "Enhanced GRE carries a sequence number per data packet and the highest one received as acknowledgment (RFC 2637 §4.3-4.4). Behind the loss (at the receiver), sequence numbers never arrive: in Wireshark, gre.sequence_number jumps. Before the loss (at the sender), every packet is there, but the peer's gre.ack_number never names the lost ones; when those are exactly the packets above some frame length, it is an MTU black hole. The finding says which side the capture shows and how sure the size verdict is.",
    remedy:
      "For an MTU black hole: lower the MTU of the VPN interface below the path MTU to the server by the tunnel's overhead, about 40 bytes for the outer IP, GRE and PPP/MPPE headers (find the path MTU with `ping -M do -s <size> <server>` or `ping -f -l <size> <server>`: the largest size that passes plus 28), or clamp the TCP MSS inside the tunnel (on the server or router), and let ICMP type 3 code 4 (fragmentation needed) through the firewalls on the path. For other loss: look for congestion, a rate-limiting firewall or a flaky link between the two ends; capturing on both ends shows where the packets vanish.",
  },
  session(facts, capture) {
    // two calls with one call ID mix two sequence spaces in one flow: call-id-mismatch says so
    if (facts.call === null || sharedCallIds(facts, capture).length > 0) return [];
    const findings: Finding[] = [];
    for (const side of ["client", "server"] as const) {
      const finding = directionFinding(facts, capture, side);
      if (finding !== null) findings.push(finding);
    }
    return findings;
  },
};
