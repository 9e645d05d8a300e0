/**
 * reply-from-other-address (KB Q169831): the server answers from the address of the
 * interface with the best route back to the client, which is not always the address the
 * client dialed. The client takes only its peer's address for its peer, drops the rest,
 * and reports "Remote PPP peer is not responding".
 */
import { type Finding, endpoint } from "../report/schema.js";
import { evidence, frameText } from "./ppp-scope.js";
import type { Rule } from "./rule.js";
import { counted, framesText } from "./tunnel-evidence.js";

export const replyFromOtherAddress: Rule = {
  code: "reply-from-other-address",
  severity: "error",
  explain: {
    meaning:
      "Replies for the session (the TCP SYN-ACK, or GRE carrying the client's call ID) come from another address than the one the client dialed. A PPTP server answers from the interface with the best route back to the client (Microsoft KB Q169831); the client does not take those packets for its peer's, drops them, and reports that the remote PPP peer is not responding.",
    onTheWire:
      "The client's SYN goes to address A (tcp.dstport == 1723), but the SYN-ACK or the GRE towards the client (gre && ip.dst == CLIENT, with the client's call ID in the key) has source address B.",
    remedy:
      "Dial the address the server answers from (the finding's recommended address), or make the server answer from the address it is dialed on: give it a route back to the client through that interface, or bind its PPTP service to it. Between routers over a PPP link, dial the address your own router assigned the peer (see dial-target-mismatch).",
  },
  session({ session, connection, call }, { refs }): Finding[] {
    const dialed = connection.dialed;
    // TCP evidence belongs to the connection: report it once, with its first call (or none)
    const synAcks = call === null || call.index === 0 ? connection.synAcks.filter((a) => a.address !== dialed) : [];
    const greOthers = call === null ? [] : call.toClient.sources.filter((s) => s.address !== dialed).sort((a, b) => b.packets - a.packets);
    if (synAcks.length === 0 && greOthers.length === 0) return [];

    const parts: string[] = [];
    if (synAcks.length > 0) {
      const from = [...new Set(synAcks.map((a) => a.address))].join(" and ");
      const fromDialed = connection.synAcks.length - synAcks.length;
      parts.push(
        `the ${synAcks.length === 1 ? "SYN-ACK" : `${synAcks.length} SYN-ACKs`} answering its SYN to ${endpoint(dialed, connection.serverPort)} came from ${from} ` +
          `(${framesText(refs, synAcks.map((a) => a.origin))})${fromDialed === 0 ? ", none from " + dialed : ""}`,
      );
    }
    if (call !== null && greOthers.length > 0) {
      const fromDialed = call.toClient.sources.find((s) => s.address === dialed)?.packets ?? 0;
      const others = greOthers.map((s) => `${s.address} (${counted(s.packets, "packet")}, the first in ${frameText(refs, s.first)})`).join(" and ");
      parts.push(`the GRE carrying its call ID ${call.clientCallId} came from ${others}, ${fromDialed === 0 ? "none" : `${fromDialed}`} from ${dialed}`);
    }
    const recommended = greOthers[0]?.address ?? synAcks[0].address;
    const established = session.outcome === "established";
    const consequence = established
      ? "The session still came up, so this client accepted them; a client or firewall that checks where replies come from would drop them."
      : "The client does not take them for its peer's and drops them (KB Q169831), hence no answer from its point of view.";
    return [
      {
        code: "reply-from-other-address",
        severity: established ? "warning" : "error",
        message: `The client ${endpoint(session.client, session.clientPort)} dialed ${dialed}, but ${parts.join("; and ")}: the server answers from another of its addresses. ${consequence} Dial ${recommended} instead, or fix the server's route back.`,
        frames: evidence(refs, [connection.syns[0], ...synAcks.map((a) => a.origin), ...greOthers.map((s) => s.first)]),
        recommended,
        remedy: replyFromOtherAddress.explain.remedy,
      },
    ];
  },
};
