import { open, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { Frame, frameBefore } from "./frame.js";
import { CaptureOpenError, MAX_PROBLEMS_PER_SET, type CaptureProblem } from "./problems.js";
import { CAPTURE_START_BYTES, CaptureReader, startsLikeCapture, type CaptureFileInfo } from "./reader.js";
import { ChunkPool, DEFAULT_CHUNK_BYTES, errorText, type SourceOptions } from "./source.js";

/**
 * Several capture files read as one, in time order, as mergecap merges them. Only the files
 * the merge is inside are open: a first pass reads each file's first frame and closes it
 * again, and a file is reopened when the merge reaches that frame and closed when it is
 * exhausted. A ring buffer (files that follow each other in time) so has one file open, two
 * where they touch; files that overlap in time are open together.
 */

/** Files one capture set may hold: a ring buffer of one file a minute for ten weeks. */
export const MAX_CAPTURE_SET_FILES = 100_000;
/** Bytes per read while looking for a file's first frame, which is nearly always in the first few hundred bytes. */
const HEAD_CHUNK_BYTES = 16 * 1024;
/**
 * Files looked at together while listing a directory and while reading first frames: the
 * file system answers several requests at once two to three times faster than one after
 * another, which counts with thousands of files.
 */
const FIRST_PASS_CONCURRENCY = 8;
/**
 * A reader holds two chunks. The first FULL_CHUNK_OPEN_FILES files open at one time read in
 * full chunks (DEFAULT_CHUNK_BYTES); any file opened beside them reads in CROWDED_CHUNK_BYTES,
 * so that many files overlapping in time cost a few hundred kilobytes each, not megabytes.
 */
const FULL_CHUNK_OPEN_FILES = 8;
const CROWDED_CHUNK_BYTES = 64 * 1024;

export interface CaptureSetResult {
  /** One per file, in the order of the (expanded) paths. */
  files: CaptureFileInfo[];
  problems: CaptureProblem[];
  /** Problems counted beyond the per-file or the per-set limit and not listed in `problems`. */
  problemsOmitted: number;
  /**
   * Most capture files open at one time while frames were handed out: 1 for one file or a
   * ring buffer, 2 where ring files touch, as many as overlap in time otherwise. Memory and
   * file handles grow with it. (The first pass has FIRST_PASS_CONCURRENCY files open at a
   * time, briefly and with small buffers.)
   */
  peakOpenFiles: number;
}

export interface CaptureSetOptions extends SourceOptions {
  /** Called after every chunk read: bytes read so far over all files, and their total size when every size is known. */
  onProgress?: (bytesRead: number, totalBytes: number | undefined) => void;
  /**
   * False when the paths are already files, e.g. from expandCaptureArguments: no directory
   * is looked for again. Default true.
   */
  expandDirectories?: boolean;
}

/**
 * Reads every capture and hands each frame to onFrame, merged by timestamp as mergecap
 * does: earliest first, equal timestamps from the later file first (see frameBefore), each
 * file's frames in file order. A directory among the paths stands for the capture files in
 * it (see expandCaptureArguments).
 * The frame's bytes are valid only during the call. Every file is opened (and its first
 * frame read) before any frame is handed out; the first that cannot be opened is thrown as
 * CaptureOpenError. A file that can no longer be opened when the merge reaches it (deleted
 * meanwhile) is thrown the same way.
 */
export async function readCaptureSet(
  paths: readonly string[],
  onFrame: (frame: Frame) => void,
  options: CaptureSetOptions = {},
): Promise<CaptureSetResult> {
  const files = options.expandDirectories === false ? checkSetSize([...paths]) : await expandCaptureArguments(paths);
  if (files.filter((path) => path === "-").length > 1) {
    throw new CaptureOpenError('stdin: "-" may be given only once');
  }
  const set = new OpenCaptures(files.length, options);
  try {
    if (files.length === 1) {
      const reader = await set.open(files[0], 0, options.chunkSize ?? DEFAULT_CHUNK_BYTES);
      set.notePeak();
      set.totalBytes = reader.totalBytes;
      await readOne(reader, onFrame, set.progress);
      await set.finish(reader);
    } else if (files.length > 1) {
      const { started, pending } = await readHeads(files, set, options);
      await readMerged(set, started, pending, onFrame, options.chunkSize ?? DEFAULT_CHUNK_BYTES);
    }
  } finally {
    await set.closeAll();
  }
  return set.result();
}

/**
 * The capture files that command-line arguments stand for: "-" and a file path as given; a
 * directory, every capture file directly in it (not in directories below it) in name order
 * (by character codes, as `LC_ALL=C ls`), recognised by its first bytes (startsLikeCapture);
 * other files are skipped. A file in it that cannot be read is kept, so that opening it
 * says why. Throws CaptureOpenError for a directory that cannot be read or has no capture
 * file, and for a set of more than MAX_CAPTURE_SET_FILES files.
 */
export async function expandCaptureArguments(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    if (path === "-" || !(await isDirectory(path))) {
      files.push(path);
      checkSetSize(files);
      continue;
    }
    let names: string[];
    try {
      names = await readdir(path);
    } catch (err) {
      throw new CaptureOpenError(`${path}: cannot read: ${errorText(err)}`);
    }
    names.sort();
    const before = files.length;
    const entries = names.map((name) => join(path, name));
    await inBatches(entries, isCaptureFile, (isCapture, index) => {
      if (!isCapture) return;
      files.push(entries[index]);
      checkSetSize(files);
    });
    if (files.length === before) throw new CaptureOpenError(`${path}: no capture files in this directory`);
  }
  return files;
}

function checkSetSize(files: string[]): string[] {
  if (files.length > MAX_CAPTURE_SET_FILES) {
    throw new CaptureOpenError(`more than ${MAX_CAPTURE_SET_FILES} capture files in one capture set`);
  }
  return files;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false; // opening it as a file says why it cannot be read
  }
}

/**
 * Runs `work` on every item, FIRST_PASS_CONCURRENCY at a time, and hands the results to
 * `take` in item order. The first failure in item order is thrown once its whole batch has
 * settled, so that no work is left running (holding a file open) behind it.
 */
async function inBatches<T, R>(
  items: readonly T[],
  work: (item: T, index: number) => Promise<R>,
  take: (result: R, index: number) => Promise<void> | void,
): Promise<void> {
  for (let start = 0; start < items.length; start += FIRST_PASS_CONCURRENCY) {
    const batch = items.slice(start, start + FIRST_PASS_CONCURRENCY);
    const outcomes = await Promise.allSettled(batch.map((item, i) => work(item, start + i)));
    for (let i = 0; i < outcomes.length; i++) {
      const outcome = outcomes[i];
      if (outcome.status === "rejected") throw outcome.reason;
      await take(outcome.value, start + i);
    }
  }
}

/** A directory entry to read: a regular file (or a link to one) that starts like a capture, or that cannot be read. */
async function isCaptureFile(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false; // directories are not entered; pipes and devices would block
  } catch {
    return false; // a dangling link, or a file deleted since the listing
  }
  let handle;
  try {
    handle = await open(path, "r");
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== "ENOENT";
  }
  const prefix = Buffer.alloc(CAPTURE_START_BYTES);
  try {
    const { bytesRead } = await handle.read(prefix, 0, CAPTURE_START_BYTES, 0);
    return startsLikeCapture(prefix.subarray(0, bytesRead));
  } catch {
    return true;
  } finally {
    await handle.close().catch(() => {}); // only read from: nothing to lose
  }
}

/** A file whose first frame has been read, waiting to be reopened when the merge gets there. */
interface PendingFile {
  path: string;
  /** Its first frame's fileIndex and timestamp (no bytes). */
  head: Frame;
}

/**
 * The first pass over several files: each is opened, read up to its first frame and closed
 * again. A file without frames is finished then and there. Stdin cannot be reopened, so
 * its reader stays open, holding its first frame (`started`). `pending` is in merge order.
 */
async function readHeads(
  files: readonly string[],
  set: OpenCaptures,
  options: SourceOptions,
): Promise<{ started: CaptureReader[]; pending: PendingFile[] }> {
  const started: CaptureReader[] = [];
  const pending: PendingFile[] = [];
  let totalBytes: number | undefined = 0;
  const headChunkSize = Math.min(HEAD_CHUNK_BYTES, options.chunkSize ?? HEAD_CHUNK_BYTES);
  const stdinChunkSize = options.chunkSize ?? DEFAULT_CHUNK_BYTES; // stdin's reader goes on to read it all
  const readHead = async (path: string, fileIndex: number): Promise<[CaptureReader, boolean]> => {
    const reader = await set.open(path, fileIndex, path === "-" ? stdinChunkSize : headChunkSize);
    return [reader, await firstFrame(reader)];
  };
  await inBatches(files, readHead, async ([reader, hasFrame]) => {
    const size = reader.totalBytes;
    totalBytes = totalBytes === undefined || size === undefined ? undefined : totalBytes + size;
    if (!hasFrame) {
      await set.finish(reader);
    } else if (reader.info.file === "-") {
      started.push(reader);
    } else {
      pending.push({ path: reader.info.file, head: headOf(reader.frame) });
      await set.release(reader);
    }
  });
  set.totalBytes = totalBytes;
  pending.sort((a, b) => (frameBefore(a.head, b.head) ? -1 : 1));
  return { started, pending };
}

function headOf(frame: Frame): Frame {
  const head = new Frame();
  head.fileIndex = frame.fileIndex;
  head.tsSec = frame.tsSec;
  head.tsNsec = frame.tsNsec;
  return head;
}

/** One file: no merge, a tight loop. */
async function readOne(reader: CaptureReader, onFrame: (frame: Frame) => void, progress?: () => void): Promise<void> {
  const frame = reader.frame;
  do {
    while (reader.next()) onFrame(frame);
    progress?.();
  } while (await reader.fill());
}

/**
 * Several files: a binary min-heap of the open readers, ordered by the frame each one
 * holds, beside the pending files in the order of their first frames. A pending file is
 * opened as soon as its first frame goes before the heap's top, which is when mergecap,
 * holding every file open, would have taken that frame: so the order is mergecap's.
 */
async function readMerged(
  set: OpenCaptures,
  started: CaptureReader[],
  pending: readonly PendingFile[],
  onFrame: (frame: Frame) => void,
  chunkSize: number,
): Promise<void> {
  const progress = set.progress;
  const heap: CaptureReader[] = [];
  for (const reader of started) {
    heap.push(reader);
    siftUp(heap, heap.length - 1);
  }
  set.notePeak();
  let nextPending = 0;
  for (;;) {
    while (nextPending < pending.length && (heap.length === 0 || frameBefore(pending[nextPending].head, heap[0].frame))) {
      const file = pending[nextPending++];
      const crowded = set.openCount >= FULL_CHUNK_OPEN_FILES;
      const size = Math.min(chunkSize, crowded ? CROWDED_CHUNK_BYTES : DEFAULT_CHUNK_BYTES);
      const reader = await set.open(file.path, file.head.fileIndex, size);
      set.notePeak();
      if (await firstFrame(reader, progress)) {
        heap.push(reader);
        siftUp(heap, heap.length - 1);
      } else {
        await set.finish(reader); // it lost its frames since its head was read
      }
    }
    if (heap.length === 0) return;
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
      await set.finish(top);
    }
  }
}

/** Makes the reader hold its first frame; false when the file has none. */
function firstFrame(reader: CaptureReader, progress?: () => void): Promise<boolean> | boolean {
  return reader.next() || refill(reader, progress);
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

/**
 * The open readers of a capture set, and what is kept of each file once its reader is
 * closed: its summary and problems (small), so that no finished file holds buffers.
 */
class OpenCaptures {
  private readonly readers = new Set<CaptureReader>();
  /** A finished file's read buffers go to the next file opened. */
  private readonly chunkPool = new ChunkPool();
  private readonly infos: CaptureFileInfo[];
  /** The problems kept, by file index: at most MAX_PROBLEMS_PER_SET in all, the files finished first keeping theirs. */
  private readonly problems: CaptureProblem[][];
  private problemsKept = 0;
  private problemsOmitted = 0;
  /** Bytes read by the readers already finished. */
  private finishedBytes = 0;
  private peak = 0;
  /** Size of every file together; undefined when one has no size (stdin). */
  totalBytes: number | undefined = undefined;

  /** Reports the bytes read so far over every file; undefined without onProgress. */
  readonly progress: (() => void) | undefined;

  constructor(
    fileCount: number,
    private readonly options: CaptureSetOptions,
  ) {
    const onProgress = options.onProgress;
    this.infos = new Array<CaptureFileInfo>(fileCount);
    this.problems = new Array<CaptureProblem[]>(fileCount);
    this.progress = onProgress === undefined ? undefined : () => this.reportProgress(onProgress);
  }

  get openCount(): number {
    return this.readers.size;
  }

  async open(path: string, fileIndex: number, chunkSize: number): Promise<CaptureReader> {
    const reader = await CaptureReader.open(path, fileIndex, { stdin: this.options.stdin, chunkSize, chunkPool: this.chunkPool });
    this.readers.add(reader);
    return reader;
  }

  /** Counts the readers open now towards peakOpenFiles (called while frames are handed out, not in the first pass). */
  notePeak(): void {
    this.peak = Math.max(this.peak, this.readers.size);
  }

  /** Closes a reader that has read its whole file, keeping the file's summary and problems. */
  async finish(reader: CaptureReader): Promise<void> {
    await this.release(reader);
    const index = reader.info.fileIndex;
    this.infos[index] = reader.info;
    const room = MAX_PROBLEMS_PER_SET - this.problemsKept;
    const problems = reader.problems.length <= room ? reader.problems : reader.problems.slice(0, room);
    this.problems[index] = problems;
    this.problemsKept += problems.length;
    this.problemsOmitted += reader.problemsOmitted + reader.problems.length - problems.length;
    this.finishedBytes += reader.bytesRead;
  }

  /** Closes a reader whose file will be read again (after its first frame was read). */
  async release(reader: CaptureReader): Promise<void> {
    this.readers.delete(reader);
    await reader.close();
  }

  /** Closes whatever is still open after an error. */
  async closeAll(): Promise<void> {
    const readers = [...this.readers];
    this.readers.clear();
    await Promise.all(readers.map((reader) => reader.close()));
  }

  private reportProgress(onProgress: (bytesRead: number, totalBytes: number | undefined) => void): void {
    let read = this.finishedBytes;
    for (const reader of this.readers) read += reader.bytesRead;
    onProgress(read, this.totalBytes);
  }

  result(): CaptureSetResult {
    return {
      files: this.infos,
      problems: this.problems.flat(),
      problemsOmitted: this.problemsOmitted,
      peakOpenFiles: this.peak,
    };
  }
}
