/** The CLI half of the fuzzing property, against the built command line (`npm test` builds dist/ first). */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CLI_VARIANTS, checkCli } from "../../src/fuzz/cli-check.js";
import type { Verdict } from "../../src/fuzz/property.js";

const HEALTHY = fileURLToPath(new URL("../../fixtures/healthy.pcap", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "pptp-analyze-cli-check-"));
const notCapture = join(scratch, "notes.txt");
writeFileSync(notCapture, "not packets\n");

const report: Verdict = { kind: "report", sessions: 1, findings: 0, millis: 1 };
const rejected: Verdict = { kind: "rejected", message: "not a capture", millis: 1 };

describe("checkCli", () => {
  it("accepts exit 0 with a JSON report for a capture analyze() reported on", async () => {
    expect(await checkCli(HEALTHY, report, 30_000)).toBeNull();
  });

  it("accepts the other output variants of the same capture: redacted JSON, redacted Markdown, the table", async () => {
    for (const variant of [1, 2, 3]) expect(await checkCli(HEALTHY, report, 30_000, variant)).toBeNull();
  });

  it("gives the file through standard input and as a capture set of the file twice", async () => {
    const [stdin, set] = [4, 5];
    expect(CLI_VARIANTS[stdin].input).toBe("stdin");
    expect(CLI_VARIANTS[set].input).toBe("set");
    for (const variant of [stdin, set]) {
      expect(await checkCli(HEALTHY, report, 30_000, variant)).toBeNull();
      expect(await checkCli(notCapture, rejected, 30_000, variant)).toBeNull();
    }
    // the report really came from the bytes on standard input: an empty input would have been refused
    expect(await checkCli(HEALTHY, rejected, 30_000, stdin)).toMatchObject({ signature: "cli: exit 0 although analyze() refused the file" });
  });

  it("accepts exit 2 with one line on stderr for a file analyze() refused", async () => {
    expect(await checkCli(notCapture, rejected, 30_000)).toBeNull();
  });

  it("fails when the CLI and analyze() disagree about the same file", async () => {
    expect(await checkCli(notCapture, report, 30_000)).toMatchObject({ kind: "cli", signature: "cli: exit 2 although analyze() returned a report" });
    expect(await checkCli(HEALTHY, rejected, 30_000)).toMatchObject({ kind: "cli", signature: "cli: exit 0 although analyze() refused the file" });
  });

  it("fails a CLI run that passes its time limit", async () => {
    expect(await checkCli(HEALTHY, report, 1)).toMatchObject({ kind: "cli", signature: "cli: the CLI was stopped by a signal (time limit?)" });
  });
});
