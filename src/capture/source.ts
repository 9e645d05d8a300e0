import { readSync } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { Readable, type TransformOptions } from "node:stream";
import { createGunzip, type Gunzip, type ZlibOptions } from "node:zlib";
import { CaptureOpenError } from "./problems.js";

/**
 * Where capture bytes come from: a file read in large chunks, standard input ("-"), either
 * of them gzip-compressed (recognised by its magic, not its name). Nothing here holds more
 * than a chunk or two; read errors after opening end the input and are kept in `failure`
 * rather than thrown, so the reader can report a truncated capture.
 */

export const DEFAULT_CHUNK_BYTES = 1024 * 1024;
/** zlib refuses smaller output chunks. */
const MIN_GUNZIP_CHUNK_BYTES = 64;
/**
 * Gunzip output chunk. Each chunk is a round trip between the main thread and the thread
 * pool, two thread wake-ups that cost ~0.1 ms each on a virtual machine: zlib alone inflated
 * the 1 GB benchmark copy 12 % faster with 1 MiB chunks than with 256 KiB, and the analysis
 * of it 11-15 % faster. When zlib meets damage inside the data it drops the output chunk it
 * was filling, so up to 1 MiB before the damage is lost (nothing after it can be read
 * anyway); a bad checksum costs nothing (feedGunzip).
 */
const GUNZIP_CHUNK_BYTES = 1024 * 1024;
/** Inflated bytes zlib may hold ready ahead of the reader. */
const GUNZIP_READ_AHEAD_BYTES = 4 * 1024 * 1024;
/** RFC 1952 section 2.3.1: ID1 = 0x1f, ID2 = 0x8b. */
const GZIP_ID1 = 0x1f;
const GZIP_ID2 = 0x8b;

export interface SourceOptions {
  /** Bytes per file read, and per gunzip output chunk when smaller than 64 KiB (tests use tiny values to force records across chunks). */
  chunkSize?: number;
  /** The stream read for the path "-" (default process.stdin). */
  stdin?: Readable;
  /** Where file read buffers come from and go back to when the file is closed (default: fresh buffers). */
  chunkPool?: ChunkPool;
}

/** Buffers of one size kept for reuse; a reader holds one or two, so this covers at least two files opened after two closed. */
const MAX_POOLED_BUFFERS_PER_SIZE = 4;

/**
 * Read buffers passed on from closed files to the files opened after them. A fresh 1 MiB
 * buffer costs a megabyte of page faults on its first read, about as long as reading it
 * from the page cache: a ring buffer of small files read with fresh buffers spends more time
 * on them than on its records.
 */
export class ChunkPool {
  /** Free buffers by size; sizes are the few the readers are given, not anything from a file. */
  private readonly free = new Map<number, Buffer[]>();

  take(size: number): Buffer {
    return this.free.get(size)?.pop() ?? Buffer.allocUnsafe(size);
  }

  /** Takes back a buffer nothing refers to any more. */
  give(buffer: Buffer): void {
    let list = this.free.get(buffer.length);
    if (list === undefined) this.free.set(buffer.length, (list = []));
    if (list.length < MAX_POOLED_BUFFERS_PER_SIZE) list.push(buffer);
  }
}

export interface ByteSource {
  readonly compressed: boolean;
  /** Bytes consumed from the file or stdin (compressed bytes for gzip input). */
  readonly bytesRead: number;
  /** Size of the file (compressed size for gzip input); undefined for stdin and pipes. */
  readonly totalBytes: number | undefined;
  /** Why the input ended early ("" when it simply ended). */
  readonly failure: string;
  /** The next chunk of capture bytes (valid until the next read), or null at the end. Never rejects. */
  read(): Promise<Buffer | null>;
  close(): Promise<void>;
}

/** The name messages use for a path: the path as given, "stdin" for "-". */
export function displayName(path: string): string {
  return path === "-" ? "stdin" : path;
}

const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "is a directory",
  ENOTDIR: "a component of the path is not a directory",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "name too long",
  EMFILE: "too many open files",
  EIO: "input/output error",
};

/** The one-line reason for a file system error: ERRNO_TEXT's wording, else the error's first line. */
export function errorText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const known = code === undefined ? undefined : ERRNO_TEXT[code];
  if (known !== undefined) return known;
  const text = err instanceof Error ? err.message : String(err);
  return text.split("\n", 1)[0];
}

/** Undecompressed bytes of a file or a stream. A chunk stays valid only until the next read(). */
interface RawChunks {
  readonly bytesRead: number;
  readonly totalBytes: number | undefined;
  readonly failure: string;
  read(): Promise<Buffer | null>;
  close(): Promise<void>;
}

/** Opens a file for reading; a directory or an unreadable path is a CaptureOpenError. */
async function openFile(path: string): Promise<{ handle: FileHandle; regular: boolean; size: number }> {
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (err) {
    throw new CaptureOpenError(`${displayName(path)}: cannot read: ${errorText(err)}`);
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new CaptureOpenError(`${displayName(path)}: cannot read: is a directory`);
    return { handle, regular: stat.isFile(), size: stat.size };
  } catch (err) {
    await handle.close();
    if (err instanceof CaptureOpenError) throw err;
    throw new CaptureOpenError(`${displayName(path)}: cannot read: ${errorText(err)}`);
  }
}

/**
 * A regular file, read synchronously into one reused buffer. Reading from the page cache is
 * a copy (about 0.1 ms per MiB); an asynchronous read, even one started a chunk ahead, is
 * handed over only when the event loop turns, and on a busy machine that took longer than
 * the copy (full analysis of a 1 GB capture waited about twice as long for reads made ahead
 * on the thread pool). A file not in the page cache is read ahead by the kernel.
 */
class RegularFileChunks implements RawChunks {
  bytesRead = 0;
  failure = "";
  private ended = false;
  private closed = false;
  /** Reused: a fresh 1 MiB buffer per chunk costs more than the whole record walk (new memory pages). */
  private readonly buffer: Buffer;

  constructor(
    private readonly handle: FileHandle,
    chunkSize: number,
    readonly totalBytes: number,
    private readonly pool: ChunkPool | undefined,
  ) {
    this.buffer = pool ? pool.take(chunkSize) : Buffer.allocUnsafe(chunkSize);
  }

  /** The next chunk; the one returned before is overwritten. */
  read(): Promise<Buffer | null> {
    return Promise.resolve(this.readNow());
  }

  private readNow(): Buffer | null {
    if (this.ended) return null;
    const buf = this.buffer;
    let bytesRead = 0;
    try {
      bytesRead = readSync(this.handle.fd, buf, 0, buf.length, null);
    } catch (err) {
      this.failure = `read error: ${errorText(err)}`;
    }
    if (bytesRead === 0) {
      this.ended = true;
      return null;
    }
    this.bytesRead += bytesRead;
    return bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
  }

  async close(): Promise<void> {
    if (this.closed) return; // a second close must not give the buffer back twice
    this.closed = true;
    this.ended = true;
    this.pool?.give(this.buffer);
    await this.handle.close();
  }
}

/**
 * A pipe or device opened by name, read asynchronously (a synchronous read would block
 * everything until the writer writes).
 */
class PipeChunks implements RawChunks {
  bytesRead = 0;
  failure = "";
  readonly totalBytes = undefined;
  private ended = false;
  private closed = false;
  /** Two buffers, reused: while the caller walks one chunk the next is read into the other. */
  private readonly buffers: [Buffer, Buffer];
  /** The buffer the pending read fills. */
  private filling = 0;
  /** Bytes the pending read got: 0 at the end of the input, -1 on a read error. */
  private pending: Promise<number> | null = null;

  constructor(
    private readonly handle: FileHandle,
    chunkSize: number,
    private readonly pool: ChunkPool | undefined,
  ) {
    this.buffers = pool ? [pool.take(chunkSize), pool.take(chunkSize)] : [Buffer.allocUnsafe(chunkSize), Buffer.allocUnsafe(chunkSize)];
  }

  private startRead(): void {
    const buf = this.buffers[this.filling];
    this.pending = this.handle.read(buf, 0, buf.length, null).then(
      ({ bytesRead }) => bytesRead,
      (err: unknown) => {
        this.failure = `read error: ${errorText(err)}`;
        return -1;
      },
    );
  }

  /** The next chunk; the one returned before may be overwritten from now on. */
  async read(): Promise<Buffer | null> {
    if (this.ended) return null;
    if (this.pending === null) this.startRead();
    const bytesRead = await this.pending!;
    if (this.ended) return null; // closed meanwhile: no further read into buffers given back
    const buf = this.buffers[this.filling];
    if (bytesRead <= 0) {
      this.ended = true;
      this.pending = null;
      return null;
    }
    this.bytesRead += bytesRead;
    this.filling ^= 1;
    this.startRead();
    return bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
  }

  async close(): Promise<void> {
    if (this.closed) return; // a second close must not give the buffers back twice
    this.closed = true;
    this.ended = true;
    await this.pending; // never rejects; the handle must not close under a read
    this.pending = null;
    if (this.pool) {
      this.pool.give(this.buffers[0]);
      this.pool.give(this.buffers[1]);
    }
    await this.handle.close();
  }
}

/** A named file read in chunks: a regular file synchronously, anything else (pipes, devices) asynchronously. */
async function openFileChunks(path: string, chunkSize: number, pool: ChunkPool | undefined): Promise<RawChunks> {
  const { handle, regular, size } = await openFile(path);
  // Pipes and devices report size 0: no total for the progress display.
  return regular ? new RegularFileChunks(handle, chunkSize, size, pool) : new PipeChunks(handle, chunkSize, pool);
}

class StreamChunks implements RawChunks {
  bytesRead = 0;
  failure = "";
  readonly totalBytes = undefined;
  private ended = false;
  private readonly chunks: AsyncIterator<unknown>;

  constructor(stream: Readable) {
    this.chunks = stream[Symbol.asyncIterator]();
  }

  async read(): Promise<Buffer | null> {
    if (this.ended) return null;
    try {
      const next = await this.chunks.next();
      if (next.done === true) {
        this.ended = true;
        return null;
      }
      const chunk = asBuffer(next.value);
      this.bytesRead += chunk.length;
      return chunk;
    } catch (err) {
      this.ended = true;
      this.failure = `read error: ${errorText(err)}`;
      return null;
    }
  }

  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.chunks.return?.();
  }
}

function asBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return Buffer.from(String(value), "latin1");
}

/** Raw chunks as they are, after the bytes already looked at. */
class PlainSource implements ByteSource {
  readonly compressed = false;
  private first: Buffer | null;

  constructor(
    private readonly raw: RawChunks,
    prefix: Buffer,
  ) {
    this.first = prefix.length > 0 ? prefix : null;
  }

  get bytesRead(): number {
    return this.raw.bytesRead;
  }
  get totalBytes(): number | undefined {
    return this.raw.totalBytes;
  }
  get failure(): string {
    return this.raw.failure;
  }

  /** A chunk stays valid only until the next read(). */
  async read(): Promise<Buffer | null> {
    const first = this.first;
    if (first === null) return this.raw.read();
    this.first = null;
    return first;
  }

  close(): Promise<void> {
    return this.raw.close();
  }
}

/** Raw chunks through zlib's streaming gunzip (several gzip members in a row are one stream). */
class GunzipSource implements ByteSource {
  readonly compressed = true;
  private gunzipFailure = "";
  private ended = false;
  private readonly gunzip: Gunzip;
  private readonly output: AsyncIterator<Buffer>;

  constructor(
    private readonly raw: RawChunks,
    prefix: Buffer,
    chunkSize: number,
  ) {
    // zlib inflates on the thread pool; with room for several chunks (zlib streams take the
    // stream options too) it works ahead while the frames already inflated are analyzed
    const options: ZlibOptions & TransformOptions = {
      chunkSize: Math.min(Math.max(chunkSize, MIN_GUNZIP_CHUNK_BYTES), GUNZIP_CHUNK_BYTES),
      readableHighWaterMark: GUNZIP_READ_AHEAD_BYTES,
    };
    this.gunzip = createGunzip(options);
    // A gunzip error rejects the output iterator, where read() turns it into `failure`.
    this.gunzip.on("error", () => {});
    this.output = this.gunzip[Symbol.asyncIterator]();
    void feedGunzip(this.gunzip, prefix, raw);
  }

  get bytesRead(): number {
    return this.raw.bytesRead;
  }
  get totalBytes(): number | undefined {
    return this.raw.totalBytes;
  }
  get failure(): string {
    return this.raw.failure || this.gunzipFailure;
  }

  async read(): Promise<Buffer | null> {
    if (this.ended) return null;
    try {
      const next = await this.output.next();
      if (next.done !== true) return next.value;
    } catch (err) {
      this.gunzipFailure = gunzipErrorText(err);
    }
    this.ended = true;
    return null;
  }

  async close(): Promise<void> {
    this.ended = true;
    this.gunzip.destroy();
    await this.raw.close();
  }
}

/** RFC 1952 section 2.2: a gzip member ends with its CRC32 and ISIZE, four bytes each. */
const GZIP_TRAILER_BYTES = 8;

/**
 * Writes the raw chunks to zlib, each only once zlib has taken the one before: zlib works on
 * its input after write() returns, and a raw chunk stays valid only until the next read.
 * Waiting instead of copying spares a fresh buffer (new memory pages) per chunk. The
 * benchmark's "zlib alone" feeds zlib this way too (bench/measure.js).
 *
 * zlib drops the output of a write that meets damage, and the checksum is checked after all
 * the data: so the last trailer of a file of known size goes in a write of its own, and a
 * checksum that does not match costs no data.
 */
export async function feedGunzip(gunzip: Gunzip, prefix: Buffer, raw: Pick<RawChunks, "read" | "bytesRead" | "totalBytes">): Promise<void> {
  for (let chunk: Buffer | null = prefix; chunk !== null; chunk = await raw.read()) {
    const endsFile = raw.totalBytes !== undefined && raw.bytesRead === raw.totalBytes && chunk.length > GZIP_TRAILER_BYTES;
    if (endsFile && !(await written(gunzip, chunk.subarray(0, chunk.length - GZIP_TRAILER_BYTES)))) return;
    if (!(await written(gunzip, endsFile ? chunk.subarray(chunk.length - GZIP_TRAILER_BYTES) : chunk))) return;
  }
  gunzip.end();
}

/** Writes to zlib and resolves once zlib has taken the bytes: false on damaged data or a closed stream (the output side reports it). */
function written(gunzip: Gunzip, bytes: Buffer): Promise<boolean> {
  return new Promise((resolve) => gunzip.write(bytes, (err) => resolve(err == null)));
}

function gunzipErrorText(err: unknown): string {
  // zlib reports input that stops mid-stream as Z_BUF_ERROR "unexpected end of file".
  if ((err as NodeJS.ErrnoException | undefined)?.code === "Z_BUF_ERROR") return "gzip data ends early";
  return `gzip data damaged (${errorText(err)})`;
}

/** True when bytes begin with the gzip magic. */
export function isGzipStart(prefix: Buffer): boolean {
  return prefix.length >= 2 && prefix[0] === GZIP_ID1 && prefix[1] === GZIP_ID2;
}

/** Opens a path ("-" = stdin) and recognises gzip compression. Throws CaptureOpenError only. */
export async function openSource(path: string, options: SourceOptions = {}): Promise<ByteSource> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_BYTES;
  const raw = path === "-" ? new StreamChunks(options.stdin ?? process.stdin) : await openFileChunks(path, chunkSize, options.chunkPool);
  const prefix = await readAtLeast(raw, 2);
  if (isGzipStart(prefix)) {
    return new GunzipSource(raw, prefix, chunkSize);
  }
  return new PlainSource(raw, prefix);
}

/**
 * Reads chunks until at least `size` bytes are in hand (or the input ends) and returns
 * them together. When one read is not enough, the bytes are gathered in a copy, since a
 * source may reuse its buffer for the next chunk.
 */
export async function readAtLeast(source: { read(): Promise<Buffer | null> }, size: number): Promise<Buffer> {
  let gathered: Buffer | null = null;
  for (;;) {
    const chunk = await source.read();
    if (chunk === null) return gathered ?? Buffer.alloc(0);
    gathered = gathered === null ? chunk : Buffer.concat([gathered, chunk]);
    if (gathered.length >= size) return gathered;
    gathered = Buffer.from(gathered);
  }
}
