/**
 * echo-timeout: keep-alives went unanswered. PPTP Echo-Requests on the control connection
 * (RFC 2637 §2.5) and LCP Echo-Requests inside the tunnel or on a PPP link (RFC 1661
 * §5.8). A request counts once the peer sent something else after it, or once the capture
 * went on for ECHO_REPLY_SECONDS without the reply; one the capture cuts off is not
 * counted.
 */
import { type FrameOrigin, originBefore, sameFrame } from "../capture/frame.js";
import { PptpMessageType } from "../decode/pptp.js";
import type { ControlConnection, Side } from "../model/control.js";
import type { PppSide } from "../model/ppp-negotiation.js";
import { type Finding, endpoint } from "../report/schema.js";
import type { CaptureFacts, SessionFacts } from "./facts.js";
import { capitalized, captureWentOn, checkEveryPppScope, evidence, frameText, otherSide, type PppScope } from "./ppp-scope.js";
import type { Rule } from "./rule.js";

/**
 * A live peer answers an echo within a round trip, well under a second. After this long
 * without the reply while the capture goes on, the reply is not late but missing. (The
 * give-up timers are longer: 60 s for PPTP, MS-PTPT §3.1.2; pppd's lcp-echo-failure
 * counts several intervals of typically 30 s.)
 */
export const ECHO_REPLY_SECONDS = 10;

const LCP_REMEDY =
  "LCP Echo-Requests are the PPP keep-alive. Unanswered while the peer still sends other frames: its PPP ignores echoes (then turn the echoes off on this end, e.g. pppd lcp-echo-interval 0) or its replies are lost on the way (look for gre-loss). Unanswered with the peer silent: the path dropped the tunnel: a NAT or firewall forgot the GRE state (raise its GRE/PPTP idle timeout), or a link on the way went down.";
const PPTP_REMEDY =
  "PPTP Echo-Requests keep the control connection (TCP port 1723) alive; without a reply within 60 s the sender closes it (RFC 2637). Check that the peer's PPTP service is still running and that nothing between the two ends (a NAT or firewall idle timeout) dropped the TCP connection.";

function lcpEchoes(scope: PppScope): Finding[] {
  const findings: Finding[] = [];
  for (const side of ["client", "server"] as const satisfies readonly PppSide[]) {
    const echo = scope.ppp.lcp.echo[side];
    if (echo.unanswered === 0) continue;
    const peerLast = scope.lastFrom[otherSide(side)];
    const unanswered = echo.unansweredFrames.map((u) => ({
      frame: u.frame,
      peerActiveAfter: u.peerActiveAfter || (peerLast !== null && originBefore(u.frame, peerLast)),
    }));
    const sure = unanswered.filter((u) => u.peerActiveAfter || captureWentOn(scope, u.frame, ECHO_REPLY_SECONDS));
    if (sure.length === 0) continue;
    const count = echo.unanswered - (echo.unansweredFrames.length - sure.length);
    const peer = scope.ends[otherSide(side)];
    const listed = sure.map((u) => frameText(scope.refs, u.frame)).join(", ");
    const ignored = sure.some((u) => u.peerActiveAfter);
    const why = ignored
      ? ` ${capitalized(peer)} went on sending other PPP frames after them: it ignores the echoes, or its replies are lost on the way.`
      : ` ${capitalized(peer)} sent nothing after them: the tunnel stopped carrying its frames.`;
    findings.push({
      code: "echo-timeout",
      severity: "warning",
      message:
        `${count} of ${echo.requests} LCP Echo-Requests from ${scope.ends[side]} on ${scope.where} went unanswered ` +
        `(${listed}${count > sure.length ? ", ..." : ""}).${why}`,
      frames: evidence(scope.refs, sure.map((u) => u.frame)),
      detail: `LCP echo: ${echo.requests} requested, ${echo.replies} answered, ${count} unanswered`,
      remedy: LCP_REMEDY,
    });
  }
  return findings;
}

/** Who sent the Echo-Request at this frame (the connection's message list names the side). */
function senderOf(connection: ControlConnection, origin: FrameOrigin): Side | null {
  const message = connection.messages.find(
    (m) => m.type === PptpMessageType.EchoRequest && sameFrame(m.origin, origin),
  );
  return message?.from ?? null;
}

function pptpEchoes({ session, connection, call }: SessionFacts, capture: CaptureFacts): Finding[] {
  // One finding per control connection: on its first session.
  if (connection.unansweredEchoes === 0 || (call !== null && call !== connection.calls[0])) return [];
  const sure = connection.unansweredEchoFrames
    .map((origin) => ({ origin, from: senderOf(connection, origin) }))
    .map((echo) => ({
      ...echo,
      peerSpoke: connection.messages.some((m) => echo.from !== null && m.from !== echo.from && originBefore(echo.origin, m.origin)),
    }))
    .filter((echo) => echo.peerSpoke || captureWentOn(capture, echo.origin, ECHO_REPLY_SECONDS));
  if (sure.length === 0) return [];
  const { refs } = capture;
  const senders = [...new Set(sure.map((e) => e.from ?? "client or server"))].join(" and ");
  const spoke = sure.some((e) => e.peerSpoke) ? " The peer sent other control messages after them, but no Echo-Reply." : "";
  const count = connection.unansweredEchoes - (connection.unansweredEchoFrames.length - sure.length);
  return [
    {
      code: "echo-timeout",
      severity: "warning",
      message:
        `${count} PPTP Echo-Request${count > 1 ? "s" : ""} from the ${senders} on the control connection ` +
        `${endpoint(session.client, session.clientPort)} -> ${session.dialed} went unanswered (${sure.map((e) => frameText(refs, e.origin)).join(", ")}).${spoke}`,
      frames: evidence(refs, sure.map((e) => e.origin)),
      detail: `PPTP echo: ${connection.answeredEchoes} answered, ${count} unanswered`,
      remedy: PPTP_REMEDY,
    },
  ];
}

const lcp = checkEveryPppScope(lcpEchoes);

export const echoTimeout: Rule = {
  code: "echo-timeout",
  severity: "warning",
  explain: {
    meaning:
      "Keep-alives went unanswered: PPTP Echo-Requests on the control connection, or LCP Echo-Requests inside the tunnel (or on a PPP link), got no Echo-Reply although the capture went on. Clients and servers drop the connection after a few of these (Windows and pppd report the peer as not responding).",
    onTheWire:
      'A PPTP Echo-Request on TCP port 1723 without an Echo-Reply of the same Identifier; or an LCP Echo-Request (code 9) without an Echo-Reply (code 10) of the same Identifier. Wireshark filter "pptp.control_message_type == 5 || pptp.control_message_type == 6 || (lcp && (ppp.code == 9 || ppp.code == 10))".',
    remedy:
      "If the peer goes on sending other frames, its echo replies are ignored or lost (look for gre-loss); if it goes silent, the path dropped the tunnel: raise the GRE/PPTP idle timeout of NATs and firewalls on the way, or find the link that went down.",
  },
  session: (facts, capture) => [...pptpEchoes(facts, capture), ...lcp.session(facts, capture)],
  capture: lcp.capture,
};
