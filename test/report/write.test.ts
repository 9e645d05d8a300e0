/**
 * The report written through one reused buffer: whatever the pieces' sizes and characters,
 * the output is their text joined, to a file and to standard output.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { writeReport } from "../../src/report/write.js";

/** Small pieces, multi-byte characters (é: 2 bytes, €: 3, an emoji 4), and a piece larger than the buffer. */
const PIECES = ["{\n", "  \"a\": \"é€😀\",\n", "x".repeat(50), "€".repeat(7), "y".repeat(300), "\n}\n"];
const BUFFER_BYTES = 64;

describe("writeReport", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("writes the pieces' text to a file, across many buffer fills", () => {
    const path = join(mkdtempSync(join(tmpdir(), "pptp-analyze-write-")), "report.json");
    writeReport(PIECES, path, BUFFER_BYTES);
    expect(readFileSync(path, "utf8")).toBe(PIECES.join(""));
  });

  it("writes the pieces' text to standard output", () => {
    const chunks: Buffer[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      chunks.push(Buffer.from(chunk as Uint8Array | string)); // copied: a stream that wrote it at once lets the buffer go
      return true;
    });
    writeReport(PIECES, undefined, BUFFER_BYTES);
    expect(Buffer.concat(chunks).toString("utf8")).toBe(PIECES.join(""));
  });

  it("does not reuse a buffer standard output still holds (a pipe that could not take it at once)", () => {
    const held: Array<Uint8Array | string> = [];
    vi.spyOn(process.stdout, "writableLength", "get").mockReturnValue(1);
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      held.push(chunk as Uint8Array | string); // kept as given, as a stream's queue keeps it
      return false;
    });
    writeReport(PIECES, undefined, BUFFER_BYTES);
    expect(held.map((chunk) => Buffer.from(chunk).toString("utf8")).join("")).toBe(PIECES.join(""));
  });
});
