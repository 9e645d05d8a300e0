/**
 * control-refused: the control port answered with a TCP reset. A reset in answer to the
 * SYN means nothing accepts connections on the port (RFC 9293 §3.10.7.1) or a firewall
 * rejects them; a reset right after the handshake, before any PPTP reply, means the
 * service took the connection and threw it out.
 */
import { originBefore } from "../capture/frame.js";
import { type Finding, endpoint } from "../report/schema.js";
import { evidence, frameText } from "./ppp-scope.js";
import type { Rule } from "./rule.js";
import { counted, framesText } from "./tunnel-evidence.js";

export const controlRefused: Rule = {
  code: "control-refused",
  severity: "error",
  explain: {
    meaning:
      "The PPTP control connection was refused with a TCP reset: nothing listens on TCP port 1723 at the address dialed (the PPTP service is stopped or not installed), a firewall rejects the connection, or the service accepted it and dropped it at once (an access rule, no free connections).",
    onTheWire:
      "The client's SYN to port 1723 answered by a segment with RST (tcp.flags.reset == 1) from the server side, usually RST+ACK acknowledging the SYN; or a SYN-ACK, then a reset from the server before any Start-Control-Connection-Reply.",
    remedy:
      "Check that the PPTP service runs on the server and listens on TCP 1723 (Windows: netstat -an | find \"1723\", the Routing and Remote Access service and its PPTP ports; Linux: ss -ltn | grep 1723, pptpd), that the address dialed is the server's, and that no firewall on the server or on the way rejects TCP 1723. A reset from another address than the one dialed comes from a firewall in between.",
  },
  session({ session, connection, call }, { refs }): Finding[] {
    if (call !== null) return [];
    const resets = connection.resets.filter((r) => r.from === "server");
    if (resets.length === 0) return [];
    const first = resets[0];
    const dialed = connection.dialed;
    const client = endpoint(session.client, session.clientPort);
    const target = endpoint(dialed, connection.serverPort);
    const strangers = [...new Set(resets.map((r) => r.address).filter((a) => a !== dialed))];
    const fromWhom =
      strangers.length === 0 ? dialed : `${strangers.join(" and ")}, not the dialed ${dialed} (a firewall on the way rejecting the connection)`;
    const synAck = connection.synAcks.find((a) => originBefore(a.origin, first.origin));
    let message: string;
    if (synAck === undefined) {
      const attempts = connection.syns.length;
      message =
        `The control connection from ${client} to ${target} was refused: ` +
        (attempts > 1 ? `each of the client's ${counted(attempts, "SYN")} was answered` : "the client's SYN was answered") +
        ` by a TCP reset from ${fromWhom} (${framesText(refs, resets.map((r) => r.origin))}). ` +
        `Nothing accepts connections on TCP port ${connection.serverPort} there: the PPTP service is not running, or a firewall rejects the connection.`;
    } else {
      if (connection.messages.some((m) => m.from === "server" && originBefore(m.origin, first.origin))) return [];
      message =
        `${target} accepted the TCP connection from ${client} (SYN-ACK, ${frameText(refs, synAck.origin)}) but reset it ` +
        `(reset from ${fromWhom}, ${frameText(refs, first.origin)}) before sending any PPTP reply: ` +
        `the PPTP service refuses this client (an access rule, or no free connections).`;
    }
    return [
      {
        code: "control-refused",
        severity: "error",
        message,
        frames: evidence(refs, [...connection.syns, synAck?.origin, ...resets.map((r) => r.origin)]),
        remedy: controlRefused.explain.remedy,
      },
    ];
  },
};
