/**
 * ccp-failed: CCP, which negotiates MPPE encryption over PPTP (RFC 1962, RFC 3078), failed
 * or was refused: Protocol-Reject of CCP, Configure-Reject of the MPPE option, MPPE
 * encryption bits with nothing in common, an option loop, a Terminate or silence. An
 * error when the link was ended for it (the Terminate text names MPPE or encryption, or
 * the link went down after it before carrying data); a warning when the link works
 * without it (its data then crosses unencrypted) or the capture cannot tell. PPTP calls
 * only: on a PPP link seen directly CCP means compression, which an end may refuse freely.
 */
import { type FrameOrigin, originBefore } from "../capture/frame.js";
import { CcpOptionType, MppeBit } from "../decode/ppp/ccp.js";
import type { MppeWord, PppSide } from "../model/ppp-negotiation.js";
import type { Finding } from "../report/schema.js";
import { evidence, frameText, linkEnded, otherSide, type PppScope, quoted, sessionScope } from "./ppp-scope.js";
import type { Rule } from "./rule.js";

/** The MPPE bits that mean encryption (RFC 3078 §2.1); C alone is compression only. */
const MPPE_ENCRYPTION_BITS = MppeBit.Encryption40 | MppeBit.Encryption56 | MppeBit.Encryption128;
/** A Terminate-Request text that gives encryption or compression as the reason. */
const ENDED_FOR_CCP = /mppe|encrypt|ccp|compress/i;

const REMEDY = {
  rejected:
    "Make both ends agree on MPPE. Windows client: VPN properties > Security > Data encryption (Require encryption, or Maximum strength for 128-bit only); Windows RRAS server: the encryption levels allowed by the network policy. Linux pppd/pptpd: load the ppp_mppe kernel module and use require-mppe-128 on the end that needs it. MPPE takes its keys from MS-CHAP or MS-CHAPv2: with PAP, CHAP-MD5 or most EAP methods there are no keys and no MPPE.",
  protocolRejected:
    "The end that Protocol-Rejected CCP runs neither compression nor encryption (pppd without the ppp_mppe module, or with noccp/nomppe). Enable MPPE there, or, if unencrypted PPTP is really acceptable, stop requiring it on the other end.",
  unencrypted:
    "The tunnel works, but its data crosses the network unencrypted (PPTP's only encryption is MPPE). Enable MPPE on both ends, and require it on the server, unless clear text is acceptable here.",
} as const;

interface Cause {
  text: string;
  frames: FrameOrigin[];
}

function mppeText(word: MppeWord | null): string {
  return word === null ? "no MPPE word" : `${word.hex} (${word.names.join(", ") || "no bits"})`;
}

/** What went wrong in CCP, each with its evidence. */
function causesOf(scope: PppScope): Cause[] {
  const { ccp } = scope.ppp;
  const { ends, refs } = scope;
  const causes: Cause[] = [];
  const failure = ccp.state === "failed" ? ccp.failure : null;
  let mppeLoopSide: PppSide | null = null;
  if (failure !== null) {
    const by = ends[failure.side];
    const at = failure.frames.length > 0 ? ` (${frameText(refs, failure.frames[failure.frames.length - 1])})` : "";
    switch (failure.reason) {
      case "protocol-rejected":
        causes.push({ text: `${by} Protocol-Rejected CCP${at}: it negotiates neither compression nor encryption`, frames: failure.frames });
        break;
      case "nak-loop":
      case "reject-loop": {
        const requester = otherSide(failure.side);
        const tallies = failure.reason === "nak-loop" ? ccp.directions[requester].naks : ccp.directions[requester].rejects;
        const tally = tallies.find((t) => t.name === failure.detail);
        if (tally?.type === CcpOptionType.Mppe && failure.reason === "reject-loop") mppeLoopSide = requester;
        const verb = failure.reason === "nak-loop" ? "Nak'd" : "Rejected";
        const times = tally === undefined ? "" : ` ${tally.sinceAck} times in a row (last: ${tally.last})`;
        causes.push({ text: `${by} ${verb} the ${failure.detail ?? "an"} option of ${ends[requester]}${times}${at}`, frames: failure.frames });
        break;
      }
      case "terminated":
        causes.push({ text: `${by} ended CCP with Terminate-Request ${quoted(failure.detail ?? "")}${at}`, frames: failure.frames });
        break;
      case "unanswered":
      case "ignored":
        causes.push({ text: `the CCP Configure-Requests of ${by} went unanswered${at}`, frames: failure.frames });
        break;
      default:
        break;
    }
  }
  const encrypted = ccp.state === "opened" && ccp.mppe.agreed !== null && (ccp.mppe.agreed.bits & MPPE_ENCRYPTION_BITS) !== 0;
  if (!encrypted) {
    for (const side of ["client", "server"] as const) {
      const facts = ccp.mppe[side];
      if (facts.rejected === null || side === mppeLoopSide) continue;
      causes.push({
        text:
          `${ends[otherSide(side)]} Configure-Rejected the MPPE option of ${ends[side]}, ` +
          `which asked for ${mppeText(facts.requested)} (${frameText(refs, facts.rejected)})`,
        frames: [ccp.directions[side].lastRequest, facts.rejected].filter((f): f is FrameOrigin => f !== null),
      });
    }
  }
  if (ccp.mppe.encryptionMismatch) {
    const requests = [ccp.directions.client.lastRequest, ccp.directions.server.lastRequest];
    causes.push({
      text:
        `the MPPE encryption strengths have nothing in common: ${ends.client} asks for ${mppeText(ccp.mppe.client.requested)}, ` +
        `${ends.server} for ${mppeText(ccp.mppe.server.requested)}`,
      frames: requests.filter((f): f is FrameOrigin => f !== null),
    });
  }
  return causes;
}

function check(scope: PppScope): Finding[] {
  const { ccp, lcp, ipcp } = scope.ppp;
  if (ccp.state === "not-seen") return [];
  const causes = causesOf(scope);
  if (causes.length === 0) return [];
  const first = causes.flatMap((c) => c.frames).reduce<FrameOrigin | null>((a, b) => (a === null || originBefore(b, a) ? b : a), null);
  const terminate = lcp.terminate;
  const ipcpFailedAlone = ipcp.state === "failed" || ipcp.addressRejected.client !== null || ipcp.addressRejected.server !== null;
  const endedForIt =
    terminate !== null &&
    (ENDED_FOR_CCP.test(terminate.text) ||
      (!scope.established && !ipcpFailedAlone && first !== null && !originBefore(terminate.frame, first)));
  const ended = endedForIt ? linkEnded(scope, terminate) : "";
  const consequence = endedForIt
    ? ""
    : scope.established
      ? " The link came up all the same, without MPPE: its data crosses the network unencrypted."
      : " The capture does not show the link being ended for it.";
  const requested = (["client", "server"] as const)
    .filter((side) => ccp.mppe[side].requested !== null)
    .map((side) => `${side} asked for MPPE ${mppeText(ccp.mppe[side].requested)}`);
  const protocolRejected = ccp.state === "failed" && ccp.failure?.reason === "protocol-rejected";
  return [
    {
      code: "ccp-failed",
      severity: endedForIt ? "error" : "warning",
      message: `CCP (MPPE encryption) failed on ${scope.where}: ${causes.map((c) => c.text).join("; ")}.${ended}${consequence}`,
      frames: evidence(scope.refs, [...causes.flatMap((c) => c.frames), endedForIt ? terminate?.frame : null]),
      detail: [...requested, ...(endedForIt && terminate.text !== "" ? [`terminated: ${terminate.text}`] : [])].join("; ") || causes[0].text,
      remedy: protocolRejected ? REMEDY.protocolRejected : scope.established && !endedForIt ? REMEDY.unencrypted : REMEDY.rejected,
    },
  ];
}

export const ccpFailed: Rule = {
  code: "ccp-failed",
  severity: "warning",
  explain: {
    meaning:
      "CCP, which negotiates MPPE encryption for PPTP, failed or was refused. An error when an end ended the link for it (typically \"MPPE required but not available\"); a warning when the link works without it, which means the tunnel's data crosses the network unencrypted.",
    onTheWire:
      'CCP (ppp protocol 0x80fd) after authentication: an LCP Protocol-Reject (code 8) naming 0x80fd, a Configure-Reject (code 4) of option 18 (MPPE/MPPC), MPPE supported bits whose encryption bits (L 40-bit, M 56-bit, S 128-bit) have nothing in common, or an LCP Terminate-Request with a text about MPPE. Wireshark filter "ccp || (lcp && (ppp.code == 8 || ppp.code == 5))".',
    remedy:
      "Make both ends agree on MPPE (the same strength, and encryption allowed or required on both); MPPE needs MS-CHAP or MS-CHAPv2 authentication for its keys. On Linux load the ppp_mppe module. If the link runs without encryption, enable MPPE unless clear text is acceptable.",
  },
  // PPTP calls only: on a PPP link seen directly CCP is about compression, which a peer may refuse freely
  session(facts, capture) {
    const scope = sessionScope(facts, capture);
    return scope === null ? [] : check(scope);
  },
};
