/** Writing a report out: to a file, or to standard output. */
import { closeSync, openSync, writeSync } from "node:fs";

/** Bytes of the report gathered before a write. */
const WRITE_BYTES = 1 << 18;
/** UTF-8 takes at most 3 bytes for a UTF-16 code unit. */
const MAX_UTF8_BYTES_PER_UNIT = 3;

/**
 * Writes the report to the file, or to standard output, through one reused buffer: a JSON
 * report comes in a piece per session and finding, and a write (and a buffer) per piece
 * cost more than the piece's text. A piece too large for the buffer is written alone.
 */
export function writeReport(pieces: Iterable<string>, path: string | undefined, bufferBytes = WRITE_BYTES): void {
  const fd = path === undefined ? undefined : openSync(path, "w");
  let buffer = Buffer.allocUnsafe(bufferBytes);
  let used = 0;
  const flush = (): void => {
    if (fd !== undefined) {
      for (let done = 0; done < used; ) done += writeSync(fd, buffer, done, used - done);
    } else if (used > 0) {
      process.stdout.write(buffer.subarray(0, used));
      // a stream that could not write it at once still holds it: later text needs a buffer of its own
      if (process.stdout.writableLength > 0) buffer = Buffer.allocUnsafe(bufferBytes);
    }
    used = 0;
  };
  try {
    for (const piece of pieces) {
      if (used + piece.length * MAX_UTF8_BYTES_PER_UNIT > buffer.length) {
        flush();
        if (piece.length * MAX_UTF8_BYTES_PER_UNIT > buffer.length) {
          if (fd !== undefined) writeSync(fd, piece);
          else process.stdout.write(piece);
          continue;
        }
      }
      used += buffer.write(piece, used);
    }
    flush();
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
