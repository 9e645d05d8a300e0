/** `npm run fuzz` as a user runs it: the built dist/fuzz/run.js (`npm test` builds dist/ first). */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const RUN = fileURLToPath(new URL("../../dist/fuzz/run.js", import.meta.url));

function fuzz(...args: string[]) {
  const result = spawnSync(process.execPath, [RUN, ...args], { encoding: "utf8", timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run fuzz", () => {
  it("runs the cases asked for with the seed given, prints the summary and exits 0 without failures", () => {
    const { status, stdout, stderr } = fuzz("--cases", "50", "--seed", "1", "--workers", "1", "--cli-every", "0", "--no-save");
    expect(stderr).toBe("fuzz: seed 1, 50 cases, 1 worker(s)\n");
    expect(stdout).toMatch(/^fuzz: seed 1, 50 cases in [\d.]+ s/);
    expect(stdout).toContain("mutation 50, generated 0, through the CLI 0");
    expect(stdout).toContain("no failures");
    expect(status).toBe(0);
  });

  it("refuses a bad argument with exit 2 and the usage", () => {
    const { status, stderr } = fuzz("--seconds", "soon");
    expect(status).toBe(2);
    expect(stderr).toMatch(/^fuzz: --seconds must be a number of at least 1, got "soon"\nusage: npm run fuzz/);
  });
});
