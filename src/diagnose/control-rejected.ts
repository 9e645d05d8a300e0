/**
 * control-rejected: the server answered Start-Control-Connection-Request with a result
 * other than 1 (RFC 2637 §2.2), so no call could be made on the connection.
 */
import { GENERAL_ERROR_NAMES, PptpMessageType, SCCRP_RESULT_NAMES } from "../decode/pptp.js";
import { nameOf } from "../decode/ppp/protocols.js";
import { type Finding, endpoint } from "../report/schema.js";
import { evidence, frameText } from "./ppp-scope.js";
import type { Rule } from "./rule.js";

/** Result codes of Start-Control-Connection-Reply (RFC 2637 §2.2). */
const SCCRP_SUCCESS = 1;
const SCCRP_GENERAL_ERROR = 2;

/** What to do about each refusal (RFC 2637 §2.2 result codes). */
const REMEDY_BY_RESULT: Readonly<Record<number, string>> = {
  2: "The server hit an error setting up the control connection (the error code says which). Check the server's PPTP service and its log at this time; error 4 (no-resource) means it is out of memory or PPTP ports, 6 (pac-error) an internal error.",
  3: "The server already holds a control connection from this client (RFC 2637 allows one per pair of peers). A stale connection is still open on the server: wait for it to time out, or restart the client's VPN service; a NAT that maps several clients to one address also causes this.",
  4: "The server does not accept PPTP control connections from this client address. Allow the client's address (as the server sees it, after NAT) in the server's PPTP access list or remote-access policy.",
  5: "The server does not speak the protocol version the client asked for. Use a PPTP client that sends version 1.0 (RFC 2637), or update the server.",
};
const DEFAULT_REMEDY =
  "The server refused the PPTP control connection. The result and error codes say why; check the server's PPTP configuration and its log at the time of the reply.";

export const controlRejected: Rule = {
  code: "control-rejected",
  severity: "error",
  explain: {
    meaning:
      "The PPTP server refused the control connection: its Start-Control-Connection-Reply carries a result code other than 1 (successful channel establishment), so the client cannot place a call.",
    onTheWire:
      'On TCP port 1723, the server\'s Start-Control-Connection-Reply has Result Code 2 (general error, with an Error Code), 3 (command channel already exists), 4 (requester not authorized) or 5 (unsupported protocol version); Wireshark filter "pptp.control_message_type == 2 && pptp.control_result != 1". The server usually closes the connection right after.',
    remedy:
      "Act on the result code: 2 general error, see the error code and the server's log; 3 a stale control connection from this client is still open on the server; 4 allow the client's address in the server's PPTP policy; 5 use protocol version 1.0.",
  },
  session({ session, connection, call }, { refs }): Finding[] {
    const reply = connection.startReply;
    // One finding per connection: on its first session.
    if (reply === null || reply.result === SCCRP_SUCCESS || (call !== null && call !== connection.calls[0])) return [];
    const request = connection.messages.find((m) => m.type === PptpMessageType.StartControlConnectionRequest);
    const result = `${reply.result} (${nameOf(SCCRP_RESULT_NAMES, reply.result)})`;
    // RFC 2637 §2.16: the error code means something with a general error; otherwise it should be 0.
    const error =
      reply.result === SCCRP_GENERAL_ERROR || reply.error !== 0
        ? `, error code ${reply.error} (${nameOf(GENERAL_ERROR_NAMES, reply.error)})`
        : "";
    return [
      {
        code: "control-rejected",
        severity: "error",
        message:
          `The server ${session.dialed} refused the PPTP control connection from ${endpoint(session.client, session.clientPort)}: ` +
          `Start-Control-Connection-Reply result ${result}${error} (${frameText(refs, reply.origin)}).`,
        frames: evidence(refs, [request?.origin, reply.origin]),
        detail: `result ${result}${error}`,
        remedy: REMEDY_BY_RESULT[reply.result] ?? DEFAULT_REMEDY,
      },
    ];
  },
};
