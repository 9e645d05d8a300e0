/** Read buffers passed from closed files to the next ones (a capture set's ChunkPool). */
import { execFileSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { ChunkPool, openSource } from "../../src/capture/source.js";
import { tempPath, writeTemp } from "./helpers.js";

describe("ChunkPool", () => {
  it("hands back a buffer given to it, by size", () => {
    const pool = new ChunkPool();
    const a = pool.take(16);
    expect(a.length).toBe(16);
    pool.give(a);
    expect(pool.take(32)).not.toBe(a);
    expect(pool.take(16)).toBe(a);
    expect(pool.take(16)).not.toBe(a); // taken already: a fresh one
  });

  it("keeps at most four buffers of a size", () => {
    const pool = new ChunkPool();
    const given: Buffer[] = Array.from({ length: 5 }, () => Buffer.alloc(8));
    for (const buffer of given) pool.give(buffer);
    const taken = Array.from({ length: 5 }, () => pool.take(8));
    expect(taken.slice(0, 4).every((buffer) => given.includes(buffer))).toBe(true);
    expect(given).not.toContain(taken[4]);
  });
});

describe("a file source with a ChunkPool", () => {
  const path = writeTemp("pooled.bin", Buffer.alloc(100, 0xab));

  it("reads a regular file into one buffer and gives it back when closed, once even if closed twice", async () => {
    const pool = new ChunkPool();
    const source = await openSource(path, { chunkSize: 16, chunkPool: pool });
    const chunks = new Set<Buffer>();
    for (let chunk = await source.read(); chunk !== null; chunk = await source.read()) {
      expect(chunk.every((byte) => byte === 0xab)).toBe(true);
      if (chunk.length === 16) chunks.add(chunk); // a full chunk is the read buffer itself
    }
    expect(chunks.size).toBe(1);
    await source.close();
    await source.close();
    const taken = [pool.take(16), pool.take(16)];
    expect(chunks.has(taken[0])).toBe(true);
    expect(chunks.has(taken[1])).toBe(false);
  });

  it.skipIf(process.platform === "win32")("reads a named pipe ahead into two buffers, and ends a waiting read when closed", async () => {
    const fifo = tempPath("pooled.fifo");
    execFileSync("mkfifo", [fifo]);
    // Opening a pipe waits for the other end: the writer opens on the thread pool meanwhile.
    const writer = createWriteStream(fifo);
    writer.end(Buffer.alloc(100, 0xab));
    const written = once(writer, "close");
    const pool = new ChunkPool();
    const source = await openSource(fifo, { chunkSize: 16, chunkPool: pool });
    expect(source.totalBytes).toBeUndefined();
    await written;
    const first = await source.read();
    expect(first?.length).toBe(16); // a read buffer itself; the next chunk is being read into the other
    const waiting = source.read();
    await source.close();
    expect(await waiting).toBeNull();
    const taken = [pool.take(16), pool.take(16), pool.take(16)];
    expect(taken.slice(0, 2)).toContain(first);
    expect(taken[0]).not.toBe(taken[1]);
    expect(taken.slice(0, 2)).not.toContain(taken[2]);
  });
});
