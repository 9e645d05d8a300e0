/**
 * The library API: analyze(inputs, options) reads a capture set and returns the report
 * object that `--format json` prints.
 */
import { readCaptureSet } from "./capture/capture-set.js";
import type { CaptureFileInfo } from "./capture/reader.js";
import type { CaptureProblem } from "./capture/problems.js";
import { type Frame, type FrameOrigin, isoTime } from "./capture/frame.js";
import { Decoder } from "./decode/decoder.js";
import { DECODE_ERROR_NAMES, PacketKind } from "./decode/packet.js";
import {
  MAX_CONNECTIONS,
  MAX_LINKS,
  MAX_ORPHAN_FLOWS,
  MAX_SESSIONS_REPORTED,
  SessionTracker,
  type OrphanFlow,
  type TrackerLimitsReached,
} from "./model/tracker.js";
import { buildLinks, buildSessions, FrameRefs } from "./model/sessions.js";
import { REPORT_SCHEMA, type CaptureSummary, type Finding, type FrameRef, type Report, type Session, type TrafficCounts } from "./report/schema.js";
import { TOOL_NAME, TOOL_VERSION } from "./version.js";

export interface AnalyzeOptions {
  /** TCP port of the PPTP control channel (default 1723). */
  pptpPort?: number;
}

/** The report plus what only the table format shows. */
export interface Analysis {
  report: Report;
  traffic: TrafficCounts[];
}

/** How many frame numbers a `malformed` finding lists before it only counts. */
const MALFORMED_FRAMES_LISTED = 20;

export async function analyze(inputs: string[], options: AnalyzeOptions = {}): Promise<Report> {
  return (await analyzeCaptures(inputs, options)).report;
}

export async function analyzeCaptures(inputs: string[], options: AnalyzeOptions = {}): Promise<Analysis> {
  const pptpPort = options.pptpPort ?? 1723;
  const decoder = new Decoder({ pptpPort });
  const tracker = new SessionTracker(decoder, pptpPort);
  const captureEnd: FrameOrigin = { fileIndex: 0, frameNo: 0, tsSec: 0, tsNsec: 0 };
  const traffic: TrafficCounts[] = inputs.map(() => ({ pptpControlSegments: 0, grePackets: 0, pppFrames: 0, malformedFrames: 0 }));
  const malformed: Array<Array<{ frameNo: number; what: string }>> = inputs.map(() => []);

  const onFrame = (frame: Frame): void => {
    captureEnd.tsSec = frame.tsSec;
    captureEnd.tsNsec = frame.tsNsec;
    const kind = decoder.decode(frame);
    if (kind === PacketKind.Other || kind === PacketKind.FragmentHeld) return;
    tracker.frame(decoder.packet, frame);
    const counts = traffic[frame.fileIndex];
    if (kind === PacketKind.PptpTcp) counts.pptpControlSegments++;
    else if (kind === PacketKind.PppLink) counts.pppFrames++;
    else if (kind === PacketKind.Gre) {
      counts.grePackets++;
      if (decoder.packet.pppProtocol >= 0) counts.pppFrames++;
    } else if (kind === PacketKind.Malformed) {
      counts.malformedFrames++;
      const listed = malformed[frame.fileIndex];
      if (listed.length < MALFORMED_FRAMES_LISTED) {
        const p = decoder.packet;
        listed.push({ frameNo: frame.frameNo, what: `${p.errorLayer}: ${DECODE_ERROR_NAMES[p.error]}` });
      }
    }
  };

  const { files, problems } = await readCaptureSet(inputs, onFrame);
  const refs = new FrameRefs(
    files.map((f) => f.file),
    files.map((f) => f.tsDigits),
  );
  const ref = (fileIndex: number, frameNo: number) => refs.ref({ fileIndex, frameNo });
  const model = tracker.finish();
  const sessions = buildSessions(model.connections, refs, files.some((f) => f.packets > 0) ? captureEnd : null);

  const findings: Finding[] = problems.map((problem) => captureProblemFinding(problem, ref));
  files.forEach((info, i) => {
    if (traffic[i].malformedFrames === 0) return;
    const listed = malformed[i];
    const more = traffic[i].malformedFrames - listed.length;
    findings.push({
      code: "malformed",
      severity: "warning",
      message:
        `${info.file}: ${traffic[i].malformedFrames} frame(s) could not be decoded ` +
        `(first: frame ${listed[0].frameNo}, ${listed[0].what})` +
        (more > 0 ? `; the first ${listed.length} are listed` : ""),
      frames: listed.map((m) => ref(i, m.frameNo)),
      detail: listed.map((m) => `frame ${m.frameNo}: ${m.what}`).join("; "),
    });
  });

  for (const orphan of model.orphans) findings.push(unknownCallIdFinding(orphan, refs));
  const limits = limitFinding(tracker.limits);
  if (limits) findings.push(limits);

  const report: Report = {
    schema: REPORT_SCHEMA,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    captures: files.map(captureSummary),
    sessions,
    links: buildLinks(model.links, refs),
    findings,
    summary: summarize(sessions, findings),
  };
  return { report, traffic };
}

function captureSummary(info: CaptureFileInfo): CaptureSummary {
  const any = info.packets > 0;
  return {
    file: info.file,
    format: info.format,
    linkTypes: info.linkTypes,
    packets: info.packets,
    bytes: info.bytes,
    first: any ? isoTime(info.firstSec, info.firstNsec, info.tsDigits) : null,
    last: any ? isoTime(info.lastSec, info.lastNsec, info.tsDigits) : null,
  };
}

function captureProblemFinding(problem: CaptureProblem, ref: (fileIndex: number, frameNo: number) => FrameRef): Finding {
  const truncated = problem.code === "capture-truncated";
  return {
    code: problem.code,
    severity: "warning",
    message: `${problem.file}: ${problem.message}`,
    frames: [ref(problem.fileIndex, problem.frameNo)],
    remedy: truncated
      ? "The capture was cut off (capture stopped abruptly, disk full, or copied while still being written). Every complete packet before the cut was analyzed; recapture if the missing part matters."
      : "The capture file is damaged at this point; the packets before it were analyzed. Recapture, or repair the file (e.g. with pcapfix) to see the rest.",
  };
}

function unknownCallIdFinding(orphan: OrphanFlow, refs: FrameRefs): Finding {
  const flow = orphan.flow;
  return {
    code: "unknown-call-id",
    severity: "warning",
    message:
      `${flow.packets} GRE packet(s) from ${orphan.from} to ${orphan.to} carry call ID ${orphan.callId}, ` +
      `which no control connection in the capture set up`,
    frames: flow.first ? [refs.ref(flow.first), refs.ref(flow.last)] : [],
    remedy:
      "If the capture started after the call was set up, capture again from before the client connects (TCP port 1723). " +
      "Otherwise a NAT or firewall may be rewriting call IDs, or the GRE belongs to another tunnel.",
  };
}

function summarize(sessions: Session[], findings: Finding[]): Report["summary"] {
  const counts: Record<string, number> = {};
  for (const f of [...findings, ...sessions.flatMap((s) => s.findings)]) counts[f.code] = (counts[f.code] ?? 0) + 1;
  return {
    sessions: sessions.length,
    established: sessions.filter((s) => s.outcome === "established").length,
    failed: sessions.filter((s) => s.outcome === "failed").length,
    incomplete: sessions.filter((s) => s.outcome === "incomplete").length,
    findings: counts,
  };
}

/** What the model's hard limits pushed out, so that a report never drops anything silently. */
function limitFinding(limits: TrackerLimitsReached): Finding | null {
  const parts: string[] = [];
  if (limits.connectionsEvicted > 0)
    parts.push(`${limits.connectionsEvicted} control connection(s) were closed early because more than ${MAX_CONNECTIONS} were open at once`);
  if (limits.sessionsDropped > 0) parts.push(`${limits.sessionsDropped} control connection(s) beyond the first ${MAX_SESSIONS_REPORTED} are not reported`);
  if (limits.orphanFlowsDropped > 0)
    parts.push(`${limits.orphanFlowsDropped} GRE packet(s) of call IDs beyond the first ${MAX_ORPHAN_FLOWS} unexplained flows were not followed`);
  if (limits.linksDropped > 0) parts.push(`${limits.linksDropped} frame(s) of PPP links beyond the first ${MAX_LINKS} were not followed`);
  if (parts.length === 0) return null;
  return {
    code: "limit-reached",
    severity: "info",
    message: `The capture holds more than the analyzer tracks at once: ${parts.join("; ")}.`,
    frames: [],
    remedy: "Filter the capture to the sessions of interest (e.g. tshark -Y \"ip.addr == CLIENT\") and analyze that.",
  };
}
