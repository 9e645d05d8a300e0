/**
 * Evidence the reachability rules (gre-blocked, ppp-peer-not-responding,
 * reply-from-other-address, dial-target-mismatch, control-no-answer, control-refused)
 * share: how an end gave a call up, and frames and addresses as a message names them.
 */
import { type FrameOrigin, originBefore, sameFrame } from "../capture/frame.js";
import type { Call, ControlConnection, Side } from "../model/control.js";
import type { PppSummary } from "../model/ppp-negotiation.js";
import type { FrameRefs } from "../model/sessions.js";
import { formatFrameRef } from "../report/schema.js";

/** Frame numbers a message lists before it only counts. */
export const FRAMES_NAMED = 8;

export interface GiveUp {
  origin: FrameOrigin;
  from: Side;
  /** What it was, e.g. "Call-Clear-Request", "TCP FIN". */
  what: string;
}

/**
 * The first sign, after `after`, that an end gave the call up: Call-Clear-Request (RFC
 * 2637 §2.12), Call-Disconnect-Notify (§2.13), Stop-Control-Connection-Request (§2.3),
 * an LCP Terminate-Request in the tunnel, or a TCP FIN or RST on the control connection.
 */
export function tearDownAfter(connection: ControlConnection, call: Call | null, ppp: PppSummary | null, after: FrameOrigin): GiveUp | null {
  const candidates: GiveUp[] = [];
  if (call?.clear) candidates.push({ origin: call.clear, from: "client", what: "Call-Clear-Request" });
  if (call?.disconnect) candidates.push({ origin: call.disconnect.origin, from: "server", what: "Call-Disconnect-Notify" });
  const stop = connection.stopRequest;
  if (stop) candidates.push({ origin: stop, from: stop.from, what: "Stop-Control-Connection-Request" });
  const terminate = ppp?.lcp.terminate;
  if (terminate) candidates.push({ origin: terminate.frame, from: terminate.from, what: "LCP Terminate-Request" });
  for (const fin of connection.fins) candidates.push({ origin: fin.origin, from: fin.from, what: "TCP FIN" });
  for (const reset of connection.resets) candidates.push({ origin: reset.origin, from: reset.from, what: "TCP reset" });
  let first: GiveUp | null = null;
  for (const candidate of candidates) {
    if (!originBefore(after, candidate.origin)) continue;
    if (first === null || originBefore(candidate.origin, first.origin)) first = candidate;
  }
  return first;
}

/** "frame 7", "frames 2, 4, 6", "frames 9-18" (a run of consecutive frames), at most FRAMES_NAMED named. */
export function framesText(refs: FrameRefs, origins: readonly FrameOrigin[]): string {
  if (origins.length === 0) return "no frame";
  if (origins.length === 1) return `frame ${formatFrameRef(refs.ref(origins[0]))}`;
  const first = origins[0];
  const last = origins[origins.length - 1];
  const consecutive = origins.every((o, i) => o.fileIndex === first.fileIndex && o.frameNo === first.frameNo + i);
  if (consecutive) return `frames ${formatFrameRef(refs.ref(first))}-${formatFrameRef(refs.ref(last))}`;
  const named = origins.slice(0, FRAMES_NAMED).map((o) => formatFrameRef(refs.ref(o)));
  return `frames ${named.join(", ")}${origins.length > FRAMES_NAMED ? ", ..." : ""}`;
}

/** "1 SYN", "3 SYNs". */
export function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** "frame 9", or "frames 9 to 18" for a flow seen from its first to its last frame. */
export function spanText(refs: FrameRefs, first: FrameOrigin, last: FrameOrigin): string {
  return sameFrame(first, last) ? `frame ${formatFrameRef(refs.ref(first))}` : `frames ${formatFrameRef(refs.ref(first))} to ${formatFrameRef(refs.ref(last))}`;
}
