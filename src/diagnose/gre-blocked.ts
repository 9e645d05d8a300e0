/**
 * gre-blocked: the control channel set up a call, but no GRE came back from the peer at
 * all. PPTP carries the PPP of a call in enhanced GRE, IP protocol 47 (RFC 2637 §4): a
 * firewall that only opens TCP 1723, or a NAT without PPTP passthrough, lets the call be
 * set up and then drops the tunnel.
 */
import { type FrameOrigin, originBefore } from "../capture/frame.js";
import type { ControlConnection } from "../model/control.js";
import type { Finding } from "../report/schema.js";
import type { CaptureFacts } from "./facts.js";
import { addressPairKey, workedOutOnce } from "./indexes.js";
import { callPlace, captureWentOn, evidence, frameText, RESTART_TIMER_SECONDS } from "./ppp-scope.js";
import type { Rule } from "./rule.js";
import { counted, spanText, tearDownAfter } from "./tunnel-evidence.js";

const latestOrphanCache = new WeakMap<CaptureFacts, Map<string, FrameOrigin>>();

/**
 * When the last orphan GRE flow between two addresses began, by direction (built once per
 * capture): a call asks only whether one began after it was accepted, and a capture can hold
 * thousands of calls and a thousand orphans between the same two addresses.
 */
function latestOrphanStarts(capture: CaptureFacts): Map<string, FrameOrigin> {
  const latest = new Map<string, FrameOrigin>();
  for (const orphan of capture.orphans) {
    const first = orphan.flow.first;
    if (first === null) continue;
    const key = addressPairKey(orphan.from, orphan.to);
    const known = latest.get(key);
    if (known === undefined || originBefore(known, first)) latest.set(key, first);
  }
  return latest;
}

/** GRE came to the client from its server (dialed or answering) after `accepted`, under a call ID no call has. */
function orphanGreAfter(capture: CaptureFacts, connection: ControlConnection, accepted: FrameOrigin): boolean {
  const latest = workedOutOnce(latestOrphanCache, capture, latestOrphanStarts);
  const startedAfter = (server: string) => {
    const first = latest.get(addressPairKey(server, connection.client));
    return first !== undefined && originBefore(accepted, first);
  };
  return startedAfter(connection.dialed) || connection.answeringAddresses.some(startedAfter);
}

export const greBlocked: Rule = {
  code: "gre-blocked",
  severity: "error",
  explain: {
    meaning:
      "The PPTP control connection (TCP 1723) set up a call, but not one GRE packet came back from the server: the tunnel that carries PPP (IP protocol 47) does not get through. The client typically reports that the remote PPP peer is not responding (Windows error 619 or 806) and clears the call.",
    onTheWire:
      "Outgoing-Call-Reply with result 1 (connected) on TCP 1723, then GRE (ip.proto == 47) only from the client, carrying its LCP Configure-Requests every few seconds, and none towards it (filter gre && ip.dst == CLIENT); the client ends with Call-Clear-Request. When the capture holds no GRE in either direction, it may also have been filtered to TCP 1723.",
    remedy:
      "Let GRE (IP protocol 47, not a TCP or UDP port) through between client and server in both directions: allow protocol 47 on every firewall on the path, and on NAT routers enable PPTP passthrough or the PPTP helper (ALG), without which the NAT cannot map the server's GRE back to the client. Some NATs pass GRE for only one client at a time to the same server.",
  },
  session({ session, connection, call, ppp }, capture): Finding[] {
    if (call === null || !call.accepted || call.reply === null || call.toClient.packets > 0) return [];
    const accepted = call.connected ?? call.reply.origin;
    // GRE did come back from the server, under a call ID no control message named: call-id-mismatch, not a block
    if (orphanGreAfter(capture, connection, accepted)) return [];
    const sent = call.toServer;
    const gaveUp = tearDownAfter(connection, call, ppp, accepted);
    const lcpRequests = ppp?.lcp.directions.client.requests ?? 0;
    // the peer's LCP comes right after the call is connected; a capture that ends sooner cannot tell
    if (gaveUp === null && lcpRequests < 2 && !captureWentOn(capture, accepted, RESTART_TIMER_SECONDS)) return [];
    const { refs } = capture;
    const answer = `${call.direction === "outgoing" ? "Outgoing-Call-Reply" : "Incoming-Call-Reply"} connected, ${frameText(refs, call.reply.origin)}`;
    const ending = gaveUp === null ? "" : `; the ${gaveUp.from} ended it with ${gaveUp.what} (${frameText(refs, gaveUp.origin)})`;
    const callId = call.clientCallId === null ? "" : ` with the client's call ID ${call.clientCallId}`;
    let severity: Finding["severity"] = "error";
    let message: string;
    if (sent.first !== null) {
      const lcp =
        lcpRequests === 0
          ? ""
          : lcpRequests === sent.packets
            ? ` (its LCP Configure-Request${lcpRequests === 1 ? "" : "s"})`
            : ` (${counted(lcpRequests, "LCP Configure-Request")} among them)`;
      const span = spanText(refs, sent.first, sent.last);
      message =
        `No GRE came back on ${callPlace(session)}: the call was set up (${answer}) and the client sent ${counted(sent.packets, "GRE packet")}${lcp}, ` +
        `${span}, but no GRE packet${callId} came from ${session.dialed} or any other address${ending}. ` +
        `GRE (IP protocol 47) from the server is blocked on the way, or the server never sends it.`;
    } else {
      severity = "warning";
      message =
        `No GRE in either direction on ${callPlace(session)}: the call was set up (${answer}), yet the capture holds no GRE packet of it at all${ending}. ` +
        `Either GRE is blocked before the capture point, or the capture was filtered to the control connection (e.g. "tcp port 1723"), ` +
        `so this is not certain: capture again with "tcp port 1723 or proto gre" to tell.`;
    }
    return [
      {
        code: "gre-blocked",
        severity,
        message,
        frames: evidence(refs, [call.reply.origin, call.connected, sent.first, sent.first === null ? null : sent.last, gaveUp?.origin]),
        remedy: greBlocked.explain.remedy,
      },
    ];
  },
};
