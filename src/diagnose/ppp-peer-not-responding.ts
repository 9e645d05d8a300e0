/**
 * ppp-peer-not-responding: GRE comes back from the dialed server, but none of the
 * client's LCP Configure-Requests in the tunnel is ever answered (RFC 1661 §4.6: the
 * client re-sends each Restart period, then gives up). Not the same as no GRE at all
 * (gre-blocked) or GRE from another address (reply-from-other-address).
 */
import type { Finding } from "../report/schema.js";
import { callPlace, captureWentOn, evidence, frameText, RESTART_TIMER_SECONDS } from "./ppp-scope.js";
import type { Rule } from "./rule.js";
import { counted, spanText, tearDownAfter } from "./tunnel-evidence.js";

export const pppPeerNotResponding: Rule = {
  code: "ppp-peer-not-responding",
  severity: "error",
  explain: {
    meaning:
      "The tunnel is there (GRE comes back from the server that was dialed), but the server's PPP never answers the client's LCP Configure-Requests, so the link never starts; the client reports that the remote PPP peer is not responding.",
    onTheWire:
      "LCP Configure-Requests (ppp.protocol == 0xc021, code 1) from the client in GRE every few seconds, with GRE from the server in between that holds no Configure-Ack, Nak or Reject for them: acknowledgment-only GRE packets (no payload), or only the server's own LCP requests.",
    remedy:
      "If the server's GRE acknowledges the client's GRE sequence numbers, the client's frames reach the server's PPTP but its PPP does not take the call: look at the server's PPP / remote-access log (PPP daemon not started, out of ports or licences, a plugin failing). If the server sends its own LCP requests but never answers the client's, the client's GRE does not reach it: allow GRE (IP protocol 47) towards the server and check PPTP passthrough on NAT routers.",
  },
  session({ session, connection, call, ppp }, capture): Finding[] {
    if (call === null || ppp === null) return [];
    const gre = call.toClient;
    const fromDialed = gre.sources.find((s) => s.address === connection.dialed);
    // no GRE back at all is gre-blocked; GRE from other addresses only, reply-from-other-address
    if (fromDialed === undefined) return [];
    const requests = ppp.lcp.directions.client;
    const neverAnswered =
      requests.requests > 0 && requests.lastAnswer === "none" && requests.acked === null && requests.naks.length === 0 && requests.rejects.length === 0;
    if (!neverAnswered || requests.firstRequest === null || requests.lastRequest === null) return [];
    const gaveUp = tearDownAfter(connection, call, ppp, requests.firstRequest);
    // one request and the capture ends before a re-send was due: too soon to say
    if (requests.requests < 2 && gaveUp === null && !captureWentOn(capture, requests.lastRequest, RESTART_TIMER_SECONDS)) return [];

    const { refs } = capture;
    const serverRequests = ppp.lcp.directions.server.requests;
    const span = spanText(refs, requests.firstRequest, requests.lastRequest);
    const returned = `${counted(fromDialed.packets, "GRE packet")} came back from ${connection.dialed} (the first in ${frameText(refs, fromDialed.first)})`;
    const why =
      serverRequests > 0
        ? `The server sent ${counted(serverRequests, "LCP Configure-Request")} of its own, so its GRE gets through, but it never answered the client's: ` +
          `the client's GRE does not reach the server's PPP (lost or blocked on the way in).`
        : gre.highestAck >= 0
          ? `The server's GRE acknowledges the client's GRE (up to sequence ${gre.highestAck}), so the client's frames reach the server's PPTP, ` +
            `but its PPP never answers: the PPP process behind the server's PPTP does not take the call.`
          : `None of it carries an answer to the client's LCP.`;
    const ending = gaveUp === null ? "" : ` The ${gaveUp.from} ended the call with ${gaveUp.what} (${frameText(refs, gaveUp.origin)}).`;
    return [
      {
        code: "ppp-peer-not-responding",
        severity: "error",
        message:
          `The PPP peer does not answer on ${callPlace(session)}: the client's ${counted(requests.requests, "LCP Configure-Request")} (${span}) got no Ack, Nak or Reject, ` +
          `though ${returned}. ${why}${ending}`,
        frames: evidence(refs, [requests.firstRequest, fromDialed.first, requests.lastRequest, gaveUp?.origin]),
        remedy: pppPeerNotResponding.explain.remedy,
      },
    ];
  },
};
