/**
 * What can go wrong with a capture file.
 *
 * A file that cannot be opened or is not a capture at all raises CaptureOpenError (the CLI
 * exits 2). Damage found while reading is recorded as a CaptureProblem instead, and every
 * complete record before it is still delivered (the analysis goes on, with a finding).
 */

/** Thrown only when a file cannot be read or is not a capture; the message is one line naming the file. */
export class CaptureOpenError extends Error {
  override name = "CaptureOpenError";
}

export type CaptureProblemCode = "capture-truncated" | "malformed";

export interface CaptureProblem {
  code: CaptureProblemCode;
  /** Index of the file in the capture set. */
  fileIndex: number;
  file: string;
  /** The frame number the damaged (or next) packet record has or would have had. */
  frameNo: number;
  message: string;
}

/** Problem entries kept per file; a damaged pcapng file can repeat one problem per block. */
export const MAX_PROBLEMS_PER_FILE = 100;
/** Problem entries kept for a whole capture set, so that a ring buffer of many damaged files keeps a bounded list. */
export const MAX_PROBLEMS_PER_SET = 1000;

/** The problems of one file: the first MAX_PROBLEMS_PER_FILE entries, and a count of the rest. */
export class ProblemList {
  readonly entries: CaptureProblem[] = [];
  /** Problems found beyond MAX_PROBLEMS_PER_FILE, counted but not kept. */
  omitted = 0;

  constructor(
    private readonly fileIndex: number,
    private readonly file: string,
  ) {}

  add(code: CaptureProblemCode, frameNo: number, message: string): void {
    if (this.entries.length >= MAX_PROBLEMS_PER_FILE) {
      this.omitted++;
      return;
    }
    this.entries.push({ code, fileIndex: this.fileIndex, file: this.file, frameNo, message });
  }
}
