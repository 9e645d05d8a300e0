/**
 * malformed: a record or message could not be decoded; analysis went on. What did not
 * decode is reported where it was recorded:
 * - capture records the reader could not take apart, and frames whose headers the decoder
 *   could not: capture-level findings, per file;
 * - PPTP control messages a control connection skipped (bad header, unknown type, wrong
 *   length, cut short by the end of the stream, data after a FIN): one finding in the
 *   connection's first session, where limit-reached also reports a connection's limits;
 * - PPP control packets a negotiation read only in part: one finding in the call's session,
 *   or a capture-level one that names a PPP link seen directly.
 * None overlaps another: a frame whose headers did not decode reaches neither a control
 * stream nor a PPP negotiation, and control messages and PPP packets come in different frames.
 */
import { type FrameOrigin, originBefore } from "../capture/frame.js";
import type { MalformedPacket } from "../model/ppp-negotiation.js";
import type { FrameRefs } from "../model/sessions.js";
import { type Finding, endpoint } from "../report/schema.js";
import type { SessionFacts } from "./facts.js";
import { capitalized, checkEveryPppScope, evidence, frameText, type PppScope } from "./ppp-scope.js";
import type { Rule } from "./rule.js";
import { counted } from "./tunnel-evidence.js";

/** " (frame 7: bad magic cookie ...)" for one; " (first: frame 7, ...)" for several, and how many are listed when not all are. */
function firstOf(refs: FrameRefs, count: number, listed: number, frame: FrameOrigin, what: string): string {
  const head = count > 1 ? `first: ${frameText(refs, frame)}, ${what}` : `${frameText(refs, frame)}: ${what}`;
  return ` (${head})${count > listed ? `; the first ${listed} are listed` : ""}`;
}

function finding(message: string, frames: Finding["frames"], detail: string): Finding {
  return { code: "malformed", severity: "warning", message, frames, detail, remedy: malformed.explain.remedy };
}

/** The control messages of the session's connection that were skipped: once per connection, in its first session. */
function controlMessages({ session, connection, call }: SessionFacts, refs: FrameRefs): Finding[] {
  const { malformed: listed, malformedOmitted } = connection;
  if (listed.length === 0 || (call !== null && call !== connection.calls[0])) return [];
  const count = listed.length + malformedOmitted;
  // recorded when the stream found its footing again, which may be later for one direction than the other
  const inOrder = [...listed].sort((a, b) =>
    originBefore(a.origin, b.origin) ? -1 : originBefore(b.origin, a.origin) ? 1 : a.origin.frameNo - b.origin.frameNo,
  );
  const message =
    `The control connection from ${endpoint(session.client, session.clientPort)} to ${session.dialed}: ` +
    `${counted(count, "PPTP control message")} could not be decoded and ${count === 1 ? "was" : "were"} skipped` +
    firstOf(refs, count, listed.length, inOrder[0].origin, inOrder[0].reason) +
    ".";
  const detail = inOrder.map((m) => `${frameText(refs, m.origin)}: ${m.reason}`).join("; ");
  return [finding(message, evidence(refs, inOrder.map((m) => m.origin)), detail)];
}

/** "LCP from the client 192.0.2.10: option 1 at byte 0 of the options: Length 10 overruns the 4 bytes left". */
function packetText(scope: PppScope, packet: MalformedPacket): string {
  return `${packet.protocol} from ${scope.ends[packet.from]}: ${packet.reason}`;
}

/** The PPP control packets of one negotiation (a call's or a direct link's) that did not decode cleanly. */
function pppPackets(scope: PppScope): Finding[] {
  const { count, packets } = scope.ppp.malformed;
  if (count === 0) return [];
  const message =
    `${capitalized(scope.where)}: ${counted(count, "PPP control packet")} ${count === 1 ? "was" : "were"} malformed ` +
    `and ${count === 1 ? "was" : "were"} read only as far as ${count === 1 ? "it goes" : "they go"}` +
    firstOf(scope.refs, count, packets.length, packets[0].frame, packetText(scope, packets[0])) +
    ".";
  const detail = packets.map((p) => `${frameText(scope.refs, p.frame)}: ${packetText(scope, p)}`).join("; ");
  return [finding(message, evidence(scope.refs, packets.map((p) => p.frame)), detail)];
}

const pppMalformed = checkEveryPppScope(pppPackets);

export const malformed: Rule = {
  code: "malformed",
  severity: "warning",
  explain: {
    meaning:
      "A capture record, a packet header, a PPTP control message or a PPP control packet (LCP, PAP/CHAP/EAP, CCP, IPCP, IPV6CP) could not be decoded; " +
      "the analysis skipped it (a control message: the stream is read on from the next message) or read it as far as it went (a PPP packet), and went on.",
    onTheWire:
      "Wireshark marks such frames [Malformed Packet] or reports a damaged record, a PPTP message with a bad magic cookie, length or type, " +
      "or a PPP option whose length overruns its packet; the finding lists the frames and what was wrong with each.",
    remedy:
      "Open the listed frames in Wireshark. A damaged file can sometimes be repaired (e.g. with pcapfix); damaged packets on the wire point to a faulty device or a snap length that cut headers.",
  },
  session(facts, capture) {
    const messages = controlMessages(facts, capture.refs);
    const packets = pppMalformed.session(facts, capture);
    return messages.length === 0 ? packets : [...messages, ...packets];
  },
  capture(capture) {
    const { problems, decodeFailures, files, refs } = capture;
    const findings: Finding[] = problems
      .filter((p) => p.code === "malformed")
      .map((problem) => ({
        code: "malformed",
        severity: "warning",
        message: `${problem.file}: ${problem.message}`,
        frames: [refs.ref(problem)],
        remedy: malformed.explain.remedy,
      }));
    for (const failures of decodeFailures) {
      if (failures.count === 0) continue;
      const first = failures.listed[0];
      const more = failures.count - failures.listed.length;
      findings.push({
        code: "malformed",
        severity: "warning",
        message:
          `${files[failures.fileIndex].file}: ${failures.count} frame(s) could not be decoded ` +
          `(first: frame ${first.frameNo}, ${first.what})` +
          (more > 0 ? `; the first ${failures.listed.length} are listed` : ""),
        frames: failures.listed.map((m) => refs.ref({ fileIndex: failures.fileIndex, frameNo: m.frameNo })),
        detail: failures.listed.map((m) => `frame ${m.frameNo}: ${m.what}`).join("; "),
        remedy: malformed.explain.remedy,
      });
    }
    findings.push(...pppMalformed.capture(capture));
    return findings;
  },
};
