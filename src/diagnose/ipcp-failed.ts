/**
 * ipcp-failed: IPCP (RFC 1332) never opened, or an end refused IPv4 addressing: the peer
 * Protocol-Rejected IPCP, Nak'd or Rejected an option in a loop, terminated IPCP, left its
 * requests unanswered, or Configure-Rejected an end's IP-Address option so that end got
 * no address and the link carried no data.
 */
import { IpcpOptionType } from "../decode/ppp/ipcp.js";
import type { NegotiationFailure, PppSide } from "../model/ppp-negotiation.js";
import type { Finding } from "../report/schema.js";
import {
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

const REMEDY = {
  protocolRejected:
    "The end that Protocol-Rejected IPCP does not run IPv4 on this link. Enable IP for remote access on the server (Windows RRAS: server properties > IPv4 > Enable IPv4 forwarding and IPv4-based remote access; pppd: do not use noip), or check that the client has IPv4 enabled on the VPN connection.",
  address:
    "The server will not give or accept this IPv4 address. Check the server's address pool (exhausted, or not configured: Windows RRAS server properties > IPv4 > IPv4 address assignment; pppd: the remote IP range in pptpd.conf), and let the client obtain its address automatically instead of asking for a fixed one the server does not allow.",
  loop: "The ends disagree on an IPCP option. Usually it is the address: the client insists on a fixed address the server keeps replacing, or the server's pool is exhausted; let the client obtain its address automatically, or allow the requested address on the server.",
  terminated: "The end that terminated IPCP gives its reason in the text; read that end's log at this time (address pool, IP filters, policy).",
  unanswered:
    "One end's IPCP requests went unanswered while the link was otherwise up: the other end has not started IPCP (its policy, or a missing address pool). Check the server's remote-access log.",
} as const;

const LOOP_VERB: Readonly<Record<string, string>> = { "nak-loop": "Nak'd", "reject-loop": "Rejected" };

function finding(severity: "error" | "warning", message: string, frames: Finding["frames"], detail: string, remedy: string): Finding {
  return { code: "ipcp-failed", severity, message, frames, detail, remedy };
}

function failed(scope: PppScope, failure: NegotiationFailure): Finding[] {
  const { ipcp } = scope.ppp;
  const { ends, refs, where } = scope;
  const by = ends[failure.side];
  const at = failure.frames.length > 0 ? ` (${frameText(refs, failure.frames[failure.frames.length - 1])})` : "";
  const frames = evidence(refs, failure.frames);
  switch (failure.reason) {
    case "protocol-rejected": {
      const message = `IPCP failed on ${where}: ${by} Protocol-Rejected IPCP${at}: it does not run IPv4 on this link.`;
      return [finding("error", message, frames, "IPCP Protocol-Rejected", REMEDY.protocolRejected)];
    }
    case "nak-loop":
    case "reject-loop": {
      const requester: PppSide = otherSide(failure.side);
      const direction = ipcp.directions[requester];
      const tally = (failure.reason === "nak-loop" ? direction.naks : direction.rejects).find((t) => t.name === failure.detail);
      const option = failure.detail ?? "an option";
      const times = tally === undefined ? "" : ` ${tally.sinceAck} times in a row (last: ${tally.last})`;
      const verb = LOOP_VERB[failure.reason];
      const message = `IPCP never opened on ${where}: ${by} ${verb} the ${option} option of ${ends[requester]}${times}${at}.`;
      return [finding("error", message, frames, `${option} ${verb}${times}`, REMEDY.loop)];
    }
    case "terminated": {
      const text = failure.detail ?? "";
      const message = `IPCP never opened on ${where}: ${by} ended it with IPCP Terminate-Request ${quoted(text)}${at}.`;
      return [finding("error", message, frames, text, REMEDY.terminated)];
    }
    case "unanswered":
    case "ignored": {
      const answered = failure.reason === "ignored" ? ", while the peer went on sending other frames" : "";
      const message = `IPCP never opened on ${where}: the IPCP Configure-Requests of ${by} went unanswered${answered}${at}.`;
      return [finding("error", message, frames, `IPCP requests of the ${failure.side} unanswered`, REMEDY.unanswered)];
    }
    default: // "auth-refused" is LCP's only
      return [];
  }
}

/** An end's IP-Address option Configure-Rejected, and the end has no address: it cannot send IPv4. */
function addressRejected(scope: PppScope): Finding[] {
  const { ipcp, lcp } = scope.ppp;
  const findings: Finding[] = [];
  for (const side of ["client", "server"] as const) {
    const rejected = ipcp.addressRejected[side];
    if (rejected === null || ipcp[side] !== null) continue;
    const peer = otherSide(side);
    const tally = ipcp.directions[side].rejects.find((t) => t.type === IpcpOptionType.IpAddress);
    const value = tally === undefined ? "" : ` (it asked for ${tally.last})`;
    // Without a Terminate, the end might still go on without the option after the capture ends.
    const unsure = lcp.terminate === null && !captureWentOn(scope, rejected, RESTART_TIMER_SECONDS);
    const terminate = lcp.terminate;
    const ended = linkEnded(scope, terminate);
    findings.push(
      finding(
        unsure ? "warning" : "error",
        `IPCP never opened on ${scope.where}: ${scope.ends[peer]} Configure-Rejected the IP-Address option of ${scope.ends[side]}${value} ` +
          `(${frameText(scope.refs, rejected)}), so it got no IPv4 address.${ended}` +
          (unsure ? ` The capture ends less than ${RESTART_TIMER_SECONDS} s later, so the negotiation may have gone on.` : ""),
        evidence(scope.refs, [ipcp.directions[side].lastRequest, rejected, terminate?.frame]),
        `IP-Address of the ${side} Configure-Rejected by the ${peer}`,
        REMEDY.address,
      ),
    );
  }
  return findings;
}

function check(scope: PppScope): Finding[] {
  const { ipcp } = scope.ppp;
  if (ipcp.state === "failed" && ipcp.failure !== null) {
    const findings = failed(scope, ipcp.failure);
    if (!scope.established) return findings;
    // Data went both ways all the same (IPv6 only, or a peer that sends IP without IPCP): a doubt, not a failure.
    return findings.map((f) => ({
      ...f,
      severity: "warning",
      message: `${f.message} Data frames went both ways all the same (IPv6, or IP without IPCP), so the link may work without IPv4.`,
    }));
  }
  if (ipcp.state !== "opened" && ipcp.state !== "closed" && !scope.established) return addressRejected(scope);
  return [];
}

export const ipcpFailed: Rule = {
  code: "ipcp-failed",
  severity: "error",
  explain: {
    meaning:
      "IPCP, the PPP protocol that sets up IPv4 over the link and assigns the addresses, never opened or was refused: an end Protocol-Rejected it, refused an end's IP-Address option, kept Nak'ing an option, terminated it, or never answered it. Without IPCP the tunnel carries no IPv4.",
    onTheWire:
      'IPCP (ppp protocol 0x8021) after authentication: an LCP Protocol-Reject (code 8) naming 0x8021, a Configure-Reject (code 4) of option 3 IP-Address, the same option Nak\'d five times or more, an IPCP Terminate-Request (code 5), or Configure-Requests without an answer. Wireshark filter "ipcp || (lcp && ppp.code == 8)".',
    remedy:
      "Check the server's IPv4 remote-access settings: IPv4 enabled for remote access, an address pool that is configured and not exhausted (or DHCP reachable), and clients that obtain their address automatically rather than ask for one the server does not allow.",
  },
  ...checkEveryPppScope(check),
};
