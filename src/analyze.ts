/**
 * The library API: analyze(inputs, options) reads a capture set and returns the report
 * object that `--format json` prints.
 */
import { expandCaptureArguments, readCaptureSet } from "./capture/capture-set.js";
import type { CaptureFileInfo } from "./capture/reader.js";
import { type Frame, type FrameOrigin, isoTime } from "./capture/frame.js";
import { DEFAULT_PPTP_PORT, Decoder } from "./decode/decoder.js";
import { DECODE_ERROR_NAMES, PacketKind } from "./decode/packet.js";
import { SessionTracker } from "./model/tracker.js";
import { diagnose, RULES } from "./diagnose/index.js";
import type { Rule } from "./diagnose/rule.js";
import type { SnapCuts } from "./diagnose/facts.js";
import { buildLinks, buildSessions, FrameRefs } from "./model/sessions.js";
import { REPORT_SCHEMA, type CaptureSummary, type Finding, type Report, type Session, type TrafficCounts } from "./report/schema.js";
import { TOOL_NAME, TOOL_VERSION } from "./version.js";

export interface AnalyzeOptions {
  /** TCP port of the PPTP control channel (default 1723). */
  pptpPort?: number;
  /** Called as the capture set is read: bytes so far and the total when known. */
  onProgress?: (bytesRead: number, totalBytes: number | undefined) => void;
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

/** The analysis with a chosen list of rules instead of every registered one (tests of single rules). */
export async function analyzeWithRules(inputs: string[], rules: readonly Rule[], options: AnalyzeOptions = {}): Promise<Report> {
  return (await analyzeCaptures(inputs, options, rules)).report;
}

export async function analyzeCaptures(inputs: string[], options: AnalyzeOptions = {}, rules: readonly Rule[] = RULES): Promise<Analysis> {
  const pptpPort = options.pptpPort ?? DEFAULT_PPTP_PORT;
  const decoder = new Decoder({ pptpPort });
  const tracker = new SessionTracker(decoder, pptpPort);
  const captureEnd: FrameOrigin = { fileIndex: 0, frameNo: 0, tsSec: 0, tsNsec: 0 };
  // a directory stands for the capture files in it: one entry per file from here on
  const paths = await expandCaptureArguments(inputs);
  const traffic: TrafficCounts[] = paths.map(() => ({ pptpControlSegments: 0, grePackets: 0, pppFrames: 0, malformedFrames: 0 }));
  const malformed: Array<Array<{ frameNo: number; what: string }>> = paths.map(() => []);
  const snapCuts: SnapCuts[] = paths.map((_, fileIndex) => ({ fileIndex, count: 0, first: null }));

  const onFrame = (frame: Frame): void => {
    captureEnd.tsSec = frame.tsSec;
    captureEnd.tsNsec = frame.tsNsec;
    if (frame.origLen > frame.caplen) {
      const cuts = snapCuts[frame.fileIndex];
      if (cuts.count++ === 0) cuts.first = { frameNo: frame.frameNo, caplen: frame.caplen, origLen: frame.origLen };
    }
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

  const { files, problems, problemsOmitted } = await readCaptureSet(paths, onFrame, { onProgress: options.onProgress, expandDirectories: false });
  const refs = new FrameRefs(
    files.map((f) => f.file),
    files.map((f) => f.tsDigits),
  );
  const model = tracker.finish();
  const end = files.some((f) => f.packets > 0) ? captureEnd : null;
  const sessions = buildSessions(model.connections, refs, end);
  const links = buildLinks(model.links, refs);
  const facts = {
    refs,
    files,
    problems,
    problemsOmitted,
    decodeFailures: files.map((_, i) => ({ fileIndex: i, count: traffic[i].malformedFrames, listed: malformed[i] })),
    snapCuts,
    sessions,
    links,
    orphans: model.orphans,
    limits: tracker.limits,
    decoderLimits: decoder.limits,
    fragments: decoder.fragments.drops,
    captureEnd: end,
  };
  const findings = diagnose(facts, rules);
  const reportSessions = sessions.map((s) => s.session);
  const report: Report = {
    schema: REPORT_SCHEMA,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    captures: files.map(captureSummary),
    sessions: reportSessions,
    links: links.map((l) => l.report),
    findings,
    summary: summarize(reportSessions, findings),
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

export function summarize(sessions: Session[], findings: Finding[]): Report["summary"] {
  // counted in allFindings' order (capture-level, then each session's): the codes are listed in the order first met
  const counts: Record<string, number> = {};
  const count = (f: Finding): void => {
    counts[f.code] = (counts[f.code] ?? 0) + 1;
  };
  findings.forEach(count);
  const outcomes: Record<Session["outcome"], number> = { established: 0, failed: 0, incomplete: 0 };
  for (const s of sessions) {
    outcomes[s.outcome]++;
    s.findings.forEach(count);
  }
  return { sessions: sessions.length, established: outcomes.established, failed: outcomes.failed, incomplete: outcomes.incomplete, findings: counts };
}


/** Capture-level findings, then each session's. */
export function allFindings(report: Pick<Report, "findings" | "sessions">): Finding[] {
  return [...report.findings, ...report.sessions.flatMap((s) => s.findings)];
}
