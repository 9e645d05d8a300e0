/**
 * lcp-failed: the peer answered, but the link never got going: LCP failed (the
 * authentication protocol refused, an option Nak'd or Rejected in a loop, a
 * Terminate-Request before LCP opened), or an end closed LCP with a Terminate-Request
 * before the link carried any data. Silence (requests never answered) is
 * ppp-peer-not-responding's, an authentication failure followed by a Terminate
 * auth-failed's.
 */
import { originBefore } from "../capture/frame.js";
import type { NegotiationFailure, PppSide, TerminateFact } from "../model/ppp-negotiation.js";
import type { Finding } from "../report/schema.js";
import {
  capitalized,
  captureWentOn,
  checkEveryPppScope,
  evidence,
  frameText,
  linkEnded,
  otherSide,
  type PppScope,
  quoted,
  RESTART_TIMER_SECONDS,
} from "./ppp-scope.js";
import type { Rule } from "./rule.js";

/** Remedies for the reasons peers give in Terminate-Request texts (pppd, Windows RRAS, routers). */
const REMEDY_BY_TERMINATE_TEXT: ReadonlyArray<readonly [RegExp, string]> = [
  [/mppe|encrypt/i, "The end that terminated requires MPPE encryption and the other did not agree to it (see the ccp-failed finding). Enable encryption on the client (Windows: VPN properties > Security > Data encryption: Require encryption), or on Linux load the ppp_mppe module and use require-mppe-128; MPPE gets its keys from MS-CHAP or MS-CHAPv2, not from PAP or CHAP-MD5."],
  [/auth/i, "The two ends did not agree on authentication. Allow the same protocol on both (MS-CHAPv2 for PPTP), and check the credentials."],
  [/network protocol|ipcp|address/i, "No network protocol could be agreed (see the ipcp-failed finding): check the server's address pool and IPCP settings."],
  [/not responding|echo/i, "The end that terminated stopped hearing its peer (see the echo-timeout finding): look for GRE being dropped on the way."],
  [/user request/i, "The user or the client software hung up before the link was up; ask the user what the client showed, or read the client's log."],
];
const DEFAULT_TERMINATE_REMEDY = "The Terminate-Request text is the reason the end gave: read that end's log at this time.";
const AUTH_REFUSED_REMEDY =
  "Make both ends allow a common authentication protocol. For PPTP that is MS-CHAPv2 (Windows client: VPN properties > Security > Allow these protocols > MS-CHAP v2; pppd: do not refuse-mschap-v2). Allow a weaker protocol on the server only knowingly: PAP sends the password in clear text, and neither PAP nor CHAP-MD5 gives MPPE its keys.";
const LOOP_REMEDY =
  "The two ends want incompatible values for this option. Configure one end to accept the other's value (MRU/MTU, ACCM, callback, multilink or the authentication protocol), or turn the option off on the end that asks for it.";

/** Failure reasons this rule reports; "unanswered" and "ignored" are silence (ppp-peer-not-responding). */
const REPORTED: ReadonlySet<NegotiationFailure["reason"]> = new Set(["auth-refused", "nak-loop", "reject-loop", "terminated"]);

function terminateRemedy(text: string): string {
  return REMEDY_BY_TERMINATE_TEXT.find(([pattern]) => pattern.test(text))?.[1] ?? DEFAULT_TERMINATE_REMEDY;
}

function finding(severity: "error" | "warning", message: string, frames: Finding["frames"], detail: string, remedy: string): Finding {
  return { code: "lcp-failed", severity, message, frames, detail, remedy };
}

function authRefused(scope: PppScope, failure: NegotiationFailure): Finding[] {
  const { lcp } = scope.ppp;
  const refuser = failure.side;
  const authenticator = otherSide(refuser);
  const asked = lcp.authRequested[authenticator];
  if (asked === null) return [];
  const verb = asked.answer === "naked" ? "Nak'd" : "Rejected";
  const suggested = asked.suggested.length > 0 ? ` and suggested ${asked.suggested.join(", ")}` : "";
  const offered = asked.asked.length > 1 ? ` (${scope.ends[authenticator]} had asked for ${asked.asked.join(", then ")})` : "";
  const terminate = lcp.terminate;
  const answerFrame = asked.answerFrame ?? failure.frames[0] ?? null;
  const answered = answerFrame === null ? "" : ` (${frameText(scope.refs, answerFrame)})`;
  // Without a Terminate, the authenticator might still offer another protocol after the capture ends.
  const unsure = terminate === null && answerFrame !== null && !captureWentOn(scope, answerFrame, RESTART_TIMER_SECONDS);
  const message =
    `${capitalized(scope.ends[refuser])} refused the authentication protocol ${scope.ends[authenticator]} requires on ${scope.where}: ` +
    `it ${verb} ${asked.requested}${suggested}${answered}${offered}.` +
    linkEnded(scope, terminate) +
    (unsure ? ` The capture ends less than ${RESTART_TIMER_SECONDS} s later, so ${scope.ends[authenticator]} may still have offered another protocol.` : "");
  return [
    finding(
      unsure ? "warning" : "error",
      message,
      evidence(scope.refs, [asked.request, answerFrame, terminate?.frame]),
      terminate !== null && terminate.text !== "" ? terminate.text : `${asked.requested} ${verb}${suggested}`,
      AUTH_REFUSED_REMEDY,
    ),
  ];
}

function optionLoop(scope: PppScope, failure: NegotiationFailure): Finding[] {
  const { lcp } = scope.ppp;
  const refuser = failure.side;
  const requester: PppSide = otherSide(refuser);
  const nak = failure.reason === "nak-loop";
  const tallies = nak ? lcp.directions[requester].naks : lcp.directions[requester].rejects;
  const tally = tallies.find((t) => t.name === failure.detail);
  const option = failure.detail ?? "an option";
  const times = tally === undefined ? "" : ` ${tally.sinceAck} times in a row`;
  const last = tally === undefined ? "" : nak ? ` (last suggestion: ${tally.last})` : ` (value ${tally.last})`;
  const message =
    `LCP never opened on ${scope.where}: ${scope.ends[refuser]} ${nak ? "Nak'd" : "Rejected"} the ${option} option of ` +
    `${scope.ends[requester]}${times}${last}.` +
    linkEnded(scope, lcp.terminate);
  const detail =
    lcp.terminate !== null && lcp.terminate.text !== ""
      ? lcp.terminate.text
      : `${option} ${nak ? "Nak'd" : "Rejected"}${times}${last}`;
  return [finding("error", message, evidence(scope.refs, [...failure.frames, lcp.terminate?.frame]), detail, LOOP_REMEDY)];
}

function terminatedBeforeOpen(scope: PppScope, failure: NegotiationFailure): Finding[] {
  const terminate = scope.ppp.lcp.terminate;
  const text = terminate?.text ?? failure.detail ?? "";
  const frame = terminate?.frame ?? failure.frames[0];
  const message =
    `LCP never opened on ${scope.where}: ${scope.ends[failure.side]} ended the link with LCP Terminate-Request ${quoted(text)}` +
    `${frame === undefined ? "" : ` (${frameText(scope.refs, frame)})`} during the option negotiation.`;
  return [finding("error", message, evidence(scope.refs, failure.frames), text, terminateRemedy(text))];
}

/** LCP opened, then an end terminated it before the link carried anything (and not after a failed authentication). */
function closedBeforeTraffic(scope: PppScope, terminate: TerminateFact): Finding[] {
  const { auth, authOfServer } = scope.ppp;
  const authFailedFirst = [auth, authOfServer].some(
    (a) => a.result === "failure" && a.detail !== null && !originBefore(terminate.frame, a.detail.frame),
  );
  if (authFailedFirst) return [];
  const authenticated = auth.result === "success" ? ` and ${auth.protocol ?? "the"} authentication had succeeded` : "";
  const message =
    `${capitalized(scope.ends[terminate.from])} ended the PPP link on ${scope.where} with LCP Terminate-Request ` +
    `${quoted(terminate.text)} (${frameText(scope.refs, terminate.frame)}) before it carried any data ` +
    `(LCP had opened${authenticated}; IPCP never did).`;
  return [
    finding(
      "error",
      message,
      evidence(scope.refs, [terminate.frame, terminate.ack]),
      terminate.text === "" ? "Terminate-Request without text" : terminate.text,
      terminateRemedy(terminate.text),
    ),
  ];
}

function check(scope: PppScope): Finding[] {
  const { lcp } = scope.ppp;
  const failure = lcp.failure;
  if (lcp.state === "failed" && failure !== null && REPORTED.has(failure.reason)) {
    if (failure.reason === "auth-refused") return authRefused(scope, failure);
    if (failure.reason === "terminated") return terminatedBeforeOpen(scope, failure);
    return optionLoop(scope, failure);
  }
  if (lcp.state === "closed" && lcp.terminate !== null && !scope.established) return closedBeforeTraffic(scope, lcp.terminate);
  return [];
}

export const lcpFailed: Rule = {
  code: "lcp-failed",
  severity: "error",
  explain: {
    meaning:
      "The PPP link never got going although the peer answered: LCP did not open (the authentication protocol one end requires was refused by the other, an option was Nak'd or Rejected over and over, or an end sent Terminate-Request), or an end closed LCP with a Terminate-Request before the link carried any data. The Terminate-Request text, quoted in the finding, is the reason that end gives.",
    onTheWire:
      'LCP (ppp protocol 0xc021): a Configure-Nak or Configure-Reject of option 3 (Authentication-Protocol), or the same option Nak\'d/Rejected five times or more (RFC 1661 Max-Failure), or a Terminate-Request (code 5) whose data is a text such as "Authentication protocol refused" or "MPPE required but not available". Wireshark filter "lcp && (ppp.code == 3 || ppp.code == 4 || ppp.code == 5)"; "lcp.opt.type == 3" shows the authentication option asked for and refused.',
    remedy:
      "For a refused authentication protocol, allow a common one on both ends (MS-CHAPv2 for PPTP). For an option loop, make the option's values compatible or turn it off on the end that asks. For a Terminate-Request, act on its text (for MPPE see ccp-failed, for addresses ipcp-failed).",
  },
  ...checkEveryPppScope(check),
};
