/**
 * The campaign's bookkeeping with a stand-in worker that plants a bug: every pcapng file
 * "fails". The first failing case must be minimized and saved once, later ones counted,
 * and a second run must know the bug from the saved reproducer.
 */
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCampaign, type CampaignOptions } from "../../src/fuzz/campaign.js";
import { listReproducers } from "../../src/fuzz/crashes.js";

const SIGNATURE = "exception: planted: a pcapng file";
const PLANTED = `
const { parentPort } = require("node:worker_threads");
parentPort.on("message", (request) => {
  const bytes = Buffer.from(request.bytes);
  const pcapng = bytes.length >= 4 && bytes.readUInt32BE(0) === 0x0a0d0d0a;
  const verdict = pcapng
    ? { kind: "failure", failure: { kind: "exception", message: "planted: a pcapng file", detail: "", signature: ${JSON.stringify(SIGNATURE)} } }
    : { kind: "report", sessions: 0, findings: 0, millis: 1 };
  parentPort.postMessage({ id: request.id, verdict });
});`;

function options(crashDirectory: string, generatedShare: number): CampaignOptions {
  return { seed: 3, cases: 100, workers: 1, cliEvery: 0, crashDirectory, worker: { code: PLANTED }, timeoutMs: 10_000, heapMb: 64, generatedShare };
}

describe("runCampaign", () => {
  it("minimizes the first mutation case of a new bug to what it needs, saves it once, counts the rest", async () => {
    const directory = mkdtempSync(join(tmpdir(), "pptp-analyze-campaign-"));
    const result = await runCampaign(options(directory, 0));
    expect(result.cases).toEqual({ mutation: 100, generated: 0 });
    expect(result.failures).toHaveLength(1);
    const [found] = result.failures;
    expect(found.failure.signature).toBe(SIGNATURE);
    expect(found.cases).toBe(result.verdicts.failure);
    expect(found.cases).toBeGreaterThan(1);
    // The planted bug needs only the section header's block type: byte-level ddmin finds those 4 bytes.
    expect(readFileSync(found.reproducer!)).toEqual(Buffer.from([0x0a, 0x0d, 0x0d, 0x0a]));
    expect(readdirSync(directory).sort()).toEqual(["exception-planted-a-pcapng-file.pcapng", "exception-planted-a-pcapng-file.txt"]);
    expect(listReproducers(directory)[0].description).toMatch(/^exception: planted: a pcapng file \| planted: a pcapng file \| mutation case \d+ of seed 3: /);

    const again = await runCampaign(options(directory, 0));
    expect(again.failures).toEqual([]);
    expect(again.knownFailures).toBe(result.verdicts.failure);
    expect(readdirSync(directory)).toHaveLength(2);
  });

  it("shrinks a generated case with fast-check and keeps whole blocks: the section header block alone", async () => {
    const directory = mkdtempSync(join(tmpdir(), "pptp-analyze-campaign-"));
    const result = await runCampaign(options(directory, 1));
    expect(result.cases.mutation).toBe(0);
    expect(result.failures).toHaveLength(1);
    const [found] = result.failures;
    expect(found.origin).toMatch(/^generated batch \d+ of seed 3 \(fast-check seed -?\d+, path [\d:]+, \d+ shrinks\)$/);
    const bytes = readFileSync(found.reproducer!);
    expect(bytes.length).toBe(28); // a Section Header Block without options
    expect(bytes.readUInt32BE(0)).toBe(0x0a0d0d0a);
    expect(listReproducers(directory)[0].wellFormed).toBe(true);
  });
});
