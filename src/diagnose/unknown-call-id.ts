/** unknown-call-id: GRE with a call ID that no control connection in the capture set up. */
import { isRewrittenGre } from "./call-id-mismatch.js";
import type { Rule } from "./rule.js";

export const unknownCallId: Rule = {
  code: "unknown-call-id",
  severity: "warning",
  explain: {
    meaning: "Enhanced GRE (PPTP data) carries a call ID that no PPTP control connection in the capture set up.",
    onTheWire:
      "GRE version 1 packets (protocol 0x880B) whose key's call ID appears in no Outgoing-Call-Reply/Request or Incoming-Call message on TCP port 1723.",
    remedy:
      "If the capture started after the call was set up, capture again from before the client connects (include TCP port 1723). Otherwise a NAT or firewall may be rewriting call IDs, or the GRE belongs to another tunnel.",
  },
  // GRE whose call ID a NAT rewrote belongs to a session: call-id-mismatch reports it there
  capture: (capture) =>
    capture.orphans.filter((orphan) => !isRewrittenGre(orphan, capture)).map(({ from, to, callId, flow }) => ({
      code: "unknown-call-id",
      severity: "warning",
      message: `${flow.packets} GRE packet(s) from ${from} to ${to} carry call ID ${callId}, which no control connection in the capture set up`,
      frames: flow.first ? [capture.refs.ref(flow.first), capture.refs.ref(flow.last)] : [],
      remedy: unknownCallId.explain.remedy,
    })),
};
