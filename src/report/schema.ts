/**
 * The JSON report, schema "pptp-analyze/1" (../shared/DESIGN.md: a contract that tests
 * outside this repository rely on). analyze() returns this object; `--format json` prints it.
 */

export const REPORT_SCHEMA = "pptp-analyze/1";

export type Severity = "error" | "warning" | "info";

/** A frame number; with several capture files, the file and the frame in it. */
export type FrameRef = number | { file: string; frame: number };

/** An address and port as people write them: 192.0.2.1:1723, [2001:db8::1]:1723. */
export function endpoint(address: string, port: number): string {
  return address.includes(":") ? `[${address}]:${port}` : `${address}:${port}`;
}

/** A frame reference as people write it: "17", or "ring_00002.pcapng#17" with several files. */
export function formatFrameRef(ref: FrameRef): string {
  return typeof ref === "number" ? String(ref) : `${ref.file}#${ref.frame}`;
}

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

export interface ControlMessageSummary {
  frame: FrameRef;
  time: string;
  from: "client" | "server";
  /** RFC 2637 message name, e.g. "Outgoing-Call-Reply". */
  type: string;
  /** Result and error codes (RFC 2637 numbers) of the replies that carry them. */
  result?: number;
  error?: number;
}

export interface GreDirectionSummary {
  packets: number;
  bytes: number;
}

export interface Session {
  id: string;
  client: string;
  clientPort: number;
  /** Server address of the TCP connection the client opened. */
  dialed: string;
  /** Every address seen answering for this session (TCP from the server side, SYN-ACK, GRE to the client). */
  serverAddresses: string[];
  clientCallId: number | null;
  serverCallId: number | null;
  start: string;
  end: string;
  firstFrame: FrameRef;
  lastFrame: FrameRef;
  outcome: "established" | "failed" | "incomplete";
  control: { messages: ControlMessageSummary[] };
  gre: { toServer: GreDirectionSummary; toClient: GreDirectionSummary & { from: string[] } };
  ppp: PppReport;
  findings: Finding[];
}

/** The `ppp` part of a session or link: what the negotiation reached. */
export interface PppReport {
  lcp: ProtocolReport;
  auth: { protocol: string | null; peerName: string | null; result: string; detail: string | null };
  ccp: ProtocolReport;
  ipcp: { state: string; client: string | null; server: string | null; dns: string[] };
}

export interface ProtocolReport {
  /** opened, failed, incomplete or not-seen. */
  state: string;
  /** One line on what happened, e.g. "client request unanswered (3 retransmissions)". */
  detail: string | null;
}

export interface Link {
  kind: "ppp" | "pppoe";
  linkType: number;
  /** PPPoE session ID, null for plain PPP. */
  sessionId: number | null;
  /** Addresses IPCP assigned to this end of the link (the capturing side) and to the far end; null when not told apart. */
  local: string | null;
  peer: string | null;
  /** Every address IPCP acknowledged on the link. */
  addresses: string[];
  /** How the two ends were told apart: capture direction, Ethernet address, or inferred from request/answer pairs. */
  sides: "direction" | "mac" | "inferred";
  ppp: PppReport;
  /** First and last frame of the link. */
  frames: FrameRef[];
}

export interface Report {
  schema: typeof REPORT_SCHEMA;
  tool: { name: string; version: string };
  captures: CaptureSummary[];
  sessions: Session[];
  links: Link[];
  findings: Finding[];
  summary: { sessions: number; established: number; failed: number; incomplete: number; findings: Record<string, number> };
}

/** Every address that answered for a session: the server side of TCP and the sources of GRE to the client. */
export function answeringAddresses(s: Session): string[] {
  return [...new Set([...s.serverAddresses, ...s.gre.toClient.from])];
}

/** Capture-level findings, then each session's, with the session they belong to. */
export function findingsWithSession(report: Report): Array<{ finding: Finding; session: string | null }> {
  return [
    ...report.findings.map((finding) => ({ finding, session: null })),
    ...report.sessions.flatMap((s) => s.findings.map((finding) => ({ finding, session: s.id }))),
  ];
}
