/**
 * Every reproducer the fuzzer saved in test/crashes/ (see its README) as a regression test:
 * analyze() must return a report or refuse the file cleanly, with output that renders safely
 * (src/fuzz/property.ts), and not fail the way it once did.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { listReproducers } from "../../src/fuzz/crashes.js";
import { checkCapture } from "../../src/fuzz/property.js";

const CRASHES = fileURLToPath(new URL("../crashes/", import.meta.url));
const reproducers = listReproducers(CRASHES);

describe("fuzzing reproducers in test/crashes/", () => {
  it("are listed with their one-line description (the folder may hold only its README)", () => {
    for (const r of reproducers) expect(r.description).toMatch(/^\S.* \| .* \| .+$/);
  });

  for (const r of reproducers) {
    it(r.path.slice(CRASHES.length), async () => {
      const verdict = await checkCapture(r.path, { wellFormed: r.wellFormed });
      if (verdict.kind === "failure") expect.fail(`${r.description}\nfails again: ${verdict.failure.message}\n${verdict.failure.detail}`);
      expect(["report", "rejected"]).toContain(verdict.kind);
    });
  }
});
