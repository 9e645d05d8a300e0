/** Test helpers for the capture readers: hand-written bytes in, plain records out. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { CaptureReader, type CaptureFileInfo, type CaptureProblem, type ReaderOptions } from "../../src/capture/reader.js";

const dir = mkdtempSync(join(tmpdir(), "pptp-capture-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A path in the test's temporary folder. */
export function tempPath(name: string): string {
  return join(dir, name);
}

/** Writes bytes to a fresh file in the test's temporary folder and returns its path. */
export function writeTemp(name: string, bytes: Buffer | string): string {
  const path = tempPath(name);
  writeFileSync(path, bytes);
  return path;
}

/** What a test compares: a frame's fields, with its bytes as hex. */
export interface FrameRecord {
  fileIndex: number;
  frameNo: number;
  tsSec: number;
  tsNsec: number;
  tsDigits: number;
  linkType: number;
  caplen: number;
  origLen: number;
  data: string;
}

export function recordOf(frame: CaptureReader["frame"]): FrameRecord {
  return {
    fileIndex: frame.fileIndex,
    frameNo: frame.frameNo,
    tsSec: frame.tsSec,
    tsNsec: frame.tsNsec,
    tsDigits: frame.tsDigits,
    linkType: frame.linkType,
    caplen: frame.caplen,
    origLen: frame.origLen,
    data: frame.buf.subarray(frame.offset, frame.offset + frame.caplen).toString("hex"),
  };
}

export interface ReadResult {
  frames: FrameRecord[];
  info: CaptureFileInfo;
  problems: CaptureProblem[];
  problemsOmitted: number;
  bytesRead: number;
  totalBytes: number | undefined;
}

/** Reads a whole file with one CaptureReader, the way readCaptureSet drives it. */
export async function readAll(path: string, options: ReaderOptions = {}): Promise<ReadResult> {
  const reader = await CaptureReader.open(path, 0, options);
  const frames: FrameRecord[] = [];
  try {
    do {
      while (reader.next()) frames.push(recordOf(reader.frame));
    } while (await reader.fill());
  } finally {
    await reader.close();
  }
  return {
    frames,
    info: reader.info,
    problems: reader.problems,
    problemsOmitted: reader.problemsOmitted,
    bytesRead: reader.bytesRead,
    totalBytes: reader.totalBytes,
  };
}

/** The message of the CaptureOpenError that opening `path` raises ("" when it opens). */
export async function openErrorOf(path: string, options: ReaderOptions = {}): Promise<string> {
  try {
    const reader = await CaptureReader.open(path, 0, options);
    await reader.close();
    return "";
  } catch (err) {
    if (err instanceof Error && err.name === "CaptureOpenError") return err.message;
    throw err;
  }
}

export { hasMergecap, hasTshark, hex } from "../helpers.js";
