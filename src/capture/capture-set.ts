import { frameBefore, type Frame } from "./frame.js";
import { CaptureOpenError, type CaptureProblem } from "./problems.js";
import { CaptureReader, type CaptureFileInfo } from "./reader.js";
import type { SourceOptions } from "./source.js";


export interface CaptureSetResult {
  files: CaptureFileInfo[];
  problems: CaptureProblem[];
  /** Problems counted beyond the per-file limit and not listed in `problems`. */
  problemsOmitted: number;
}

export interface CaptureSetOptions extends SourceOptions {
  /** Called after every chunk read: bytes read so far over all files, and their total size when every size is known. */
  onProgress?: (bytesRead: number, totalBytes: number | undefined) => void;
}

/**
 * Reads every capture and hands each frame to onFrame, merged by timestamp as mergecap
 * does: earliest first, equal timestamps from the later file first (see frameBefore), each
 * file's frames in file order.
 * The frame's bytes are valid only during the call. All files are opened before any is
 * read; the first that cannot be opened is thrown as CaptureOpenError.
 */
export async function readCaptureSet(
  paths: string[],
  onFrame: (frame: Frame) => void,
  options: CaptureSetOptions = {},
): Promise<CaptureSetResult> {
  if (paths.filter((path) => path === "-").length > 1) {
    throw new CaptureOpenError('stdin: "-" may be given only once');
  }
  const readers: CaptureReader[] = [];
  let openError: unknown;
  for (let i = 0; i < paths.length && openError === undefined; i++) {
    try {
      readers.push(await CaptureReader.open(paths[i], i, options));
    } catch (err) {
      openError = err;
    }
  }
  try {
    if (openError !== undefined) throw openError;
    const progress = options.onProgress ? () => reportProgress(readers, options.onProgress!) : undefined;
    if (readers.length === 1) await readOne(readers[0], onFrame, progress);
    else await readMerged(readers, onFrame, progress);
  } finally {
    await Promise.all(readers.map((reader) => reader.close()));
  }
  return {
    files: readers.map((reader) => reader.info),
    problems: readers.flatMap((reader) => reader.problems),
    problemsOmitted: readers.reduce((sum, reader) => sum + reader.problemsOmitted, 0),
  };
}

/** One file: no merge, a tight loop. */
async function readOne(reader: CaptureReader, onFrame: (frame: Frame) => void, progress?: () => void): Promise<void> {
  const frame = reader.frame;
  do {
    while (reader.next()) onFrame(frame);
    progress?.();
  } while (await reader.fill());
}

function reportProgress(readers: readonly CaptureReader[], onProgress: (bytesRead: number, totalBytes: number | undefined) => void): void {
  let read = 0;
  let total: number | undefined = 0;
  for (const reader of readers) {
    read += reader.bytesRead;
    total = total === undefined || reader.totalBytes === undefined ? undefined : total + reader.totalBytes;
  }
  onProgress(read, total);
}

/** Several files: a binary min-heap of the readers, ordered by the frame each one holds. */
async function readMerged(readers: CaptureReader[], onFrame: (frame: Frame) => void, progress?: () => void): Promise<void> {
  const heap: CaptureReader[] = [];
  for (const reader of readers) {
    if (reader.next() || (await refill(reader, progress))) {
      heap.push(reader);
      siftUp(heap, heap.length - 1);
    }
  }
  while (heap.length > 0) {
    const top = heap[0];
    onFrame(top.frame);
    if (top.next() || (await refill(top, progress))) {
      siftDown(heap, 0);
    } else {
      const last = heap.pop() as CaptureReader;
      if (heap.length > 0) {
        heap[0] = last;
        siftDown(heap, 0);
      }
    }
  }
}

/** Reads chunks until the reader holds a frame; false at the end of its file. */
async function refill(reader: CaptureReader, progress?: () => void): Promise<boolean> {
  progress?.();
  while (await reader.fill()) {
    if (reader.next()) return true;
  }
  return false;
}

function siftUp(heap: CaptureReader[], index: number): void {
  const item = heap[index];
  while (index > 0) {
    const parent = (index - 1) >> 1;
    if (!frameBefore(item.frame, heap[parent].frame)) break;
    heap[index] = heap[parent];
    index = parent;
  }
  heap[index] = item;
}

function siftDown(heap: CaptureReader[], index: number): void {
  const item = heap[index];
  const size = heap.length;
  for (;;) {
    let child = 2 * index + 1;
    if (child >= size) break;
    if (child + 1 < size && frameBefore(heap[child + 1].frame, heap[child].frame)) child++;
    if (!frameBefore(heap[child].frame, item.frame)) break;
    heap[index] = heap[child];
    index = child;
  }
  heap[index] = item;
}
