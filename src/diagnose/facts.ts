/**
 * What the rules read: the finished model, with the report's session objects beside the
 * connection, call and PPP negotiation they came from. Rules only read these.
 */
import type { FrameOrigin } from "../capture/frame.js";
import type { CaptureProblem } from "../capture/problems.js";
import type { CaptureFileInfo } from "../capture/reader.js";
import type { DecoderLimitsReached } from "../decode/decoder.js";
import type { Call, ControlConnection } from "../model/control.js";
import type { PppSummary } from "../model/ppp-negotiation.js";
import type { PppLink } from "../model/ppp-links.js";
import type { FrameRefs } from "../model/sessions.js";
import type { OrphanFlow, TrackerLimitsReached } from "../model/tracker.js";
import type { FragmentDrops } from "../reassembly/ip-fragments.js";
import type { Link, Session } from "../report/schema.js";

export interface SessionFacts {
  /** The report's session; the engine appends the findings. */
  session: Session;
  connection: ControlConnection;
  /** Null for a control connection that never got to a call. */
  call: Call | null;
  /** The call's PPP negotiation, null without a call. */
  ppp: PppSummary | null;
}

export interface LinkFacts {
  link: PppLink;
  report: Link;
  ppp: PppSummary;
}

/** Frames the decoder could not take apart, per file (the first few listed). */
export interface DecodeFailures {
  fileIndex: number;
  count: number;
  listed: Array<{ frameNo: number; what: string }>;
}

/** Packets cut by the snap length, per file (the capture kept fewer bytes than were on the wire). */
export interface SnapCuts {
  fileIndex: number;
  count: number;
  first: { frameNo: number; caplen: number; origLen: number } | null;
}

export interface CaptureFacts {
  refs: FrameRefs;
  files: readonly CaptureFileInfo[];
  problems: readonly CaptureProblem[];
  /** Problems counted beyond the per-file and per-set limits, not in `problems`. */
  problemsOmitted: number;
  decodeFailures: readonly DecodeFailures[];
  snapCuts: readonly SnapCuts[];
  sessions: readonly SessionFacts[];
  links: readonly LinkFacts[];
  orphans: readonly OrphanFlow[];
  limits: TrackerLimitsReached;
  /** What the decoder's limits left undecoded. */
  decoderLimits: DecoderLimitsReached;
  /** IP datagrams the fragment reassembly dropped unfinished, by the limit that dropped them. */
  fragments: FragmentDrops;
  /** Time of the last frame of the capture set, null when it has none. */
  captureEnd: FrameOrigin | null;
}
