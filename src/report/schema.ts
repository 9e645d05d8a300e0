/**
 * The JSON report, schema "pptp-analyze/1" (../shared/DESIGN.md: a contract that tests
 * outside this repository rely on). analyze() returns this object; `--format json` prints it.
 */

export const REPORT_SCHEMA = "pptp-analyze/1";

export type Severity = "error" | "warning" | "info";

/** A frame number; with several capture files, the file and the frame in it. */
export type FrameRef = number | { file: string; frame: number };

export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  frames: FrameRef[];
  recommended?: string;
  detail?: string;
  remedy?: string;
}

export interface CaptureSummary {
  file: string;
  format: "pcap" | "pcapng";
  /** LINKTYPE_* numbers, in order of appearance. */
  linkTypes: number[];
  packets: number;
  /** Captured bytes of all packets (the records' data, not the file size). */
  bytes: number;
  /** ISO 8601 time of the first and last packet, null for a capture without packets. */
  first: string | null;
  last: string | null;
}

/** What the decoder saw, per file: the table format prints it. */
export interface TrafficCounts {
  /** TCP segments to or from the PPTP control port. */
  pptpControlSegments: number;
  grePackets: number;
  /** PPP frames, inside GRE or directly on the link. */
  pppFrames: number;
  /** Frames whose headers could not be decoded. */
  malformedFrames: number;
}

export interface Report {
  schema: typeof REPORT_SCHEMA;
  tool: { name: string; version: string };
  captures: CaptureSummary[];
  findings: Finding[];
}
