/** Read buffers passed from closed files to the next ones (a capture set's ChunkPool). */
import { describe, expect, it } from "vitest";
import { ChunkPool, openSource } from "../../src/capture/source.js";
import { writeTemp } from "./helpers.js";

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

  it("gives its two read buffers back when closed, once even if closed twice", async () => {
    const pool = new ChunkPool();
    const source = await openSource(path, { chunkSize: 16, chunkPool: pool });
    const chunks = new Set<Buffer>();
    for (let chunk = await source.read(); chunk !== null; chunk = await source.read()) {
      expect(chunk.every((byte) => byte === 0xab)).toBe(true);
      if (chunk.length === 16) chunks.add(chunk); // a full chunk is the read buffer itself
    }
    expect(chunks.size).toBe(2);
    await source.close();
    await source.close();
    const taken = [pool.take(16), pool.take(16), pool.take(16)];
    expect(new Set(taken.slice(0, 2))).toEqual(chunks);
    expect(chunks.has(taken[2])).toBe(false);
  });

  it("ends a read that waits while the source is closed, so nothing is read into buffers given back", async () => {
    const pool = new ChunkPool();
    const source = await openSource(path, { chunkSize: 16, chunkPool: pool });
    expect((await source.read())?.length).toBe(16); // the first chunk; the next is being read
    const waiting = source.read();
    await source.close();
    expect(await waiting).toBeNull();
  });
});
