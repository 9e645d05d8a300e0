/**
 * call-rejected: the control connection is up, but the call was refused: an
 * Outgoing-Call-Reply from the server (RFC 2637 §2.8) or an Incoming-Call-Reply from the
 * client (§2.10) with a result other than 1.
 */
import { GENERAL_ERROR_NAMES, ICRP_RESULT_NAMES, OCRP_RESULT_NAMES } from "../decode/pptp.js";
import { nameOf } from "../decode/ppp/protocols.js";
import { type Finding, endpoint } from "../report/schema.js";
import { callPlace, evidence, frameText } from "./ppp-scope.js";
import type { Rule } from "./rule.js";

/** Result code 2 of both replies: the error code says more (RFC 2637 §2.8, §2.10, §2.16). */
const GENERAL_ERROR = 2;

/** What to do about an Outgoing-Call-Reply result (RFC 2637 §2.8). */
const OUTGOING_REMEDY: Readonly<Record<number, string>> = {
  2: "The server could not set up the call (the error code says why: 4 no-resource is a server out of PPTP ports or memory, 5 bad-call-id a call ID already in use). Check the server's log at this time; free or add VPN ports (Windows RRAS: Ports > Properties > WAN Miniport (PPTP) > Configure, Maximum ports).",
  3: "The server's line reported no carrier: on a VPN server this means it could not bring up the call's link; check the server's log.",
  4: "The server is busy: every PPTP port is in use, or a per-user or per-server connection limit was reached. Disconnect stale sessions or raise the number of PPTP ports (Windows RRAS: Ports > Properties > WAN Miniport (PPTP) > Configure, Maximum ports).",
  5: "The server's line reported no dial tone (a dial-out PAC); check its telephone line or modem.",
  6: "The server gave up setting up the call in time; check its load and its log.",
  7: "The server does not accept this call: remote access is disabled for this client or call, or the server only accepts calls from some peers. Check the server's remote-access policy.",
};
const INCOMING_REMEDY =
  "The client (PNS) declined the call the server offered; check the client's configuration and log: it may not expect incoming calls from this server or have no free call slot.";
const DEFAULT_REMEDY = "The result and error codes say why the call was refused; check the log of the end that refused it at this time.";

export const callRejected: Rule = {
  code: "call-rejected",
  severity: "error",
  explain: {
    meaning:
      "The PPTP control connection came up, but the call was refused: the server's Outgoing-Call-Reply (or the client's Incoming-Call-Reply) carries a result other than 1 (connected), so no GRE tunnel was set up.",
    onTheWire:
      'On TCP port 1723, Outgoing-Call-Reply with Result Code 2 general error (and an Error Code), 3 no carrier, 4 busy, 5 no dial tone, 6 time-out or 7 do not accept, its Peer\'s Call ID the Call ID of the request; or Incoming-Call-Reply with 2 general error or 3 do not accept. Wireshark filter "(pptp.control_message_type == 8 && pptp.out_result != 1) || (pptp.control_message_type == 10 && pptp.in_result != 1)".',
    remedy:
      "Act on the result code: 4 busy means every PPTP port of the server is in use (free or add ports); 7 do not accept, a remote-access policy refuses the call; 2 general error, see the error code (4 no-resource, 5 bad-call-id) and the server's log.",
  },
  session({ session, call }, { refs }): Finding[] {
    if (call === null || call.reply === null || call.accepted) return [];
    const { reply } = call;
    const outgoing = call.direction === "outgoing";
    const resultName = nameOf(outgoing ? OCRP_RESULT_NAMES : ICRP_RESULT_NAMES, reply.result);
    const parts = [`result ${reply.result} (${resultName})`];
    if (reply.result === GENERAL_ERROR || reply.error !== 0) parts.push(`error code ${reply.error} (${nameOf(GENERAL_ERROR_NAMES, reply.error)})`);
    if (reply.cause !== 0) parts.push(`cause code ${reply.cause}`);
    const codes = parts.join(", ");
    const message = outgoing
      ? `The server ${session.dialed} refused the outgoing call of ${endpoint(session.client, session.clientPort)}` +
        `${call.clientCallId === null ? "" : ` (client call ID ${call.clientCallId})`}: Outgoing-Call-Reply ${codes} (${frameText(refs, reply.origin)}).`
      : `The client ${session.client} declined the incoming call the server ${session.dialed} offered on ${callPlace(session)}: ` +
        `Incoming-Call-Reply ${codes} (${frameText(refs, reply.origin)}).`;
    return [
      {
        code: "call-rejected",
        severity: "error",
        message,
        frames: evidence(refs, [call.request, reply.origin]),
        detail: codes,
        remedy: outgoing ? (OUTGOING_REMEDY[reply.result] ?? DEFAULT_REMEDY) : INCOMING_REMEDY,
      },
    ];
  },
};
