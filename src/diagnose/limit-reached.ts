/** limit-reached: a hard limit of the model pushed state out; the report says what. */
import { CLOSE_GRACE_SECONDS, MAX_CONNECTIONS, MAX_LINKS, MAX_ORPHAN_FLOWS, MAX_SESSIONS_REPORTED } from "../model/tracker.js";
import type { Rule } from "./rule.js";

export const limitReached: Rule = {
  code: "limit-reached",
  severity: "info",
  explain: {
    meaning: "The capture holds more than the analyzer tracks at once; some state was dropped to keep memory bounded, and this finding says what.",
    onTheWire: "Very many control connections, GRE call IDs or PPP links at once: a busy concentrator, a scan, or a damaged capture.",
    remedy: 'Filter the capture to the sessions of interest (e.g. tshark -r in.pcap -w out.pcap -Y "ip.addr == CLIENT") and analyze that.',
  },
  capture({ limits }) {
    const parts: string[] = [];
    if (limits.connectionsEvicted > 0)
      parts.push(`${limits.connectionsEvicted} control connection(s) were closed early because more than ${MAX_CONNECTIONS} were open at once`);
    if (limits.sessionsDropped > 0) parts.push(`${limits.sessionsDropped} control connection(s) beyond the first ${MAX_SESSIONS_REPORTED} are not reported`);
    if (limits.orphanFlowsDropped > 0)
      parts.push(`${limits.orphanFlowsDropped} GRE packet(s) of call IDs beyond the first ${MAX_ORPHAN_FLOWS} unexplained flows were not followed`);
    if (limits.linksDropped > 0) parts.push(`${limits.linksDropped} frame(s) of PPP links beyond the first ${MAX_LINKS} were not followed`);
    if (limits.lateControlFrames > 0)
      parts.push(`${limits.lateControlFrames} PPP control frame(s) came more than ${CLOSE_GRACE_SECONDS} s after their control connection closed and were counted, not analyzed`);
    if (parts.length === 0) return [];
    return [
      {
        code: "limit-reached",
        severity: "info",
        message: `The capture holds more than the analyzer tracks at once: ${parts.join("; ")}.`,
        frames: [],
        remedy: limitReached.explain.remedy,
      },
    ];
  },
};
