/**
 * control-no-answer: the client's SYNs to the control port were never answered, neither
 * by a SYN-ACK nor by a reset (RFC 9293 §3.5): the server is down or unreachable, the
 * address is wrong, or a firewall on the way drops TCP to port 1723.
 */
import { type Finding, endpoint } from "../report/schema.js";
import { secondsBetween } from "../capture/frame.js";
import { evidence } from "./ppp-scope.js";
import type { Rule } from "./rule.js";
import { counted, framesText } from "./tunnel-evidence.js";

/**
 * A client re-sends an unanswered SYN after its initial retransmission timeout: 1 s by
 * RFC 6298 §2, 3 s in Windows and older stacks (RFC 1122 §4.2.3.1). A single SYN with a
 * capture that ends sooner than this cannot show that no answer was coming.
 */
const SYN_ANSWER_SECONDS = 3;

export const controlNoAnswer: Rule = {
  code: "control-no-answer",
  severity: "error",
  explain: {
    meaning:
      "The client tried to open the PPTP control connection (TCP port 1723) and nothing came back: no SYN-ACK, no reset. The client gives up after a few retransmissions (Windows: error 800, unable to establish the VPN connection).",
    onTheWire:
      "Only SYNs from the client to the server's port 1723 (tcp.flags.syn == 1 && tcp.flags.ack == 0 && tcp.dstport == 1723), repeated after about 1, 3 and 6 more seconds, and no packet from the server.",
    remedy:
      "Check that the address is the server's and reachable from the client (ping, traceroute), that the server is up, and that every firewall on the way (including the server's own) lets TCP port 1723 through to it; a firewall that drops silently gives exactly this picture. Capture on the server too: if the SYNs arrive there, the SYN-ACKs are lost on the way back.",
  },
  session({ session, connection, call }, { refs, captureEnd }): Finding[] {
    if (call !== null || connection.syns.length === 0) return [];
    if (connection.synAcks.length > 0 || connection.answeringAddresses.length > 0) return [];
    if (connection.resets.some((r) => r.from === "server")) return [];
    const syns = connection.syns;
    const first = syns[0];
    const waited = captureEnd === null ? 0 : secondsBetween(first, captureEnd);
    const sure = syns.length >= 2 || waited >= SYN_ANSWER_SECONDS;
    const target = endpoint(connection.dialed, connection.serverPort);
    const over = syns.length >= 2 ? ` over ${secondsBetween(first, syns[syns.length - 1]).toFixed(1)} s` : "";
    const message = sure
      ? `The client ${endpoint(session.client, session.clientPort)} sent ${counted(syns.length, "SYN")} to ${target}${over} (${framesText(refs, syns)}) ` +
        `and nothing came back: no SYN-ACK, no reset. The server is down or unreachable, the address is wrong, or a firewall on the way drops TCP to port ${connection.serverPort}.`
      : `The client ${endpoint(session.client, session.clientPort)} sent a SYN to ${target} (${framesText(refs, syns)}) and no answer is in the capture, ` +
        `but the capture ends ${waited.toFixed(1)} s later, before a retransmission was due: not certain that no answer was coming.`;
    return [
      {
        code: "control-no-answer",
        severity: sure ? "error" : "warning",
        message,
        frames: evidence(refs, syns),
        remedy: controlNoAnswer.explain.remedy,
      },
    ];
  },
};
