/**
 * fixtures/ is what `npm run fixtures` writes, byte for byte; and what we read from each
 * fixture, frame by frame, is what tshark reads (when tshark is installed).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readCaptureSet } from "../../src/capture/capture-set.js";
import { Decoder } from "../../src/decode/decoder.js";
import { PacketKind } from "../../src/decode/packet.js";
import { expectationJson, FIXTURES, type FixtureExpectation } from "../../src/synth/fixtures.js";
import type { Report } from "../../src/report/schema.js";
import { hasTshark } from "../helpers.js";

const FOLDER = fileURLToPath(new URL("../../fixtures/", import.meta.url));
/** The built command line (npm test compiles first). */
const BIN = fileURLToPath(new URL("../../bin/pptp-analyze.js", import.meta.url));

describe("fixtures", () => {
  it.each(FIXTURES.map((f) => [f.name, f]))("%s and its expected verdict equal what the synthesizer writes", (_name, fixture) => {
    const committed = readFileSync(join(FOLDER, fixture.name));
    expect(fixture.bytes().equals(committed)).toBe(true);
    expect(readFileSync(join(FOLDER, `${fixture.name}.expected.json`), "utf8")).toBe(expectationJson(fixture));
  });
});

/** The verdict part of a report, in the shape of FixtureExpectation. */
function verdictOf(report: Report): FixtureExpectation {
  return {
    sessions: report.sessions.map((s) => {
      const recommended = s.findings.find((f) => f.recommended !== undefined)?.recommended;
      return {
        client: s.client,
        dialed: s.dialed,
        clientCallId: s.clientCallId,
        serverCallId: s.serverCallId,
        outcome: s.outcome,
        findings: [...new Set(s.findings.map((f) => f.code))].sort(),
        ...(recommended !== undefined ? { recommended } : {}),
      };
    }),
    findings: [...new Set(report.findings.map((f) => f.code))].sort(),
  };
}

function sortedCodes(expected: FixtureExpectation): FixtureExpectation {
  return {
    sessions: expected.sessions.map((s) => ({ ...s, findings: [...s.findings].sort() })),
    findings: [...expected.findings].sort(),
  };
}

describe("the command line on every fixture gives the declared verdict", () => {
  it.each(FIXTURES.map((f) => [f.name, f]))("%s", (name, fixture) => {
    const run = spawnSync(process.execPath, [BIN, "--format", "json", "--fail-on", "never", join(FOLDER, name)], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(verdictOf(JSON.parse(run.stdout) as Report)).toEqual(sortedCodes(fixture.expected));
  });
});

interface FrameFacts {
  time: string;
  srcPort: string;
  dstPort: string;
  callId: string;
}

/** tshark's view: one line per frame. */
function tsharkFacts(path: string): FrameFacts[] {
  const fields = ["frame.time_epoch", "tcp.srcport", "tcp.dstport", "gre.key.call_id"];
  const out = spawnSync("tshark", ["-r", path, "-T", "fields", ...fields.flatMap((f) => ["-e", f])], { encoding: "utf8" });
  // tshark exits 2 on a capture cut inside a record, after printing every complete frame
  if (out.status !== 0) expect(out.stderr, out.stderr).toMatch(/cut short in the middle of a packet/);
  return out.stdout
    .replace(/\n$/, "") // only the final newline: empty fields end in tabs
    .split("\n")
    .map((line) => {
      const [time, srcPort, dstPort, callId] = line.split("\t");
      return { time, srcPort, dstPort, callId };
    });
}

async function ourFacts(path: string): Promise<FrameFacts[]> {
  const decoder = new Decoder();
  const facts: FrameFacts[] = [];
  await readCaptureSet([path], (frame) => {
    const kind = decoder.decode(frame);
    const p = decoder.packet;
    facts.push({
      time: `${frame.tsSec}.${String(frame.tsNsec).padStart(9, "0")}`, // tshark 4 prints nine digits
      srcPort: kind === PacketKind.PptpTcp ? String(p.srcPort) : "",
      dstPort: kind === PacketKind.PptpTcp ? String(p.dstPort) : "",
      callId: kind === PacketKind.Gre ? String(p.greCallId) : "",
    });
  });
  return facts;
}

describe.skipIf(!hasTshark)("fixtures read as tshark reads them", () => {
  if (!hasTshark) console.log("tshark comparison of the fixtures skipped: tshark is not on PATH");
  it.each(FIXTURES.map((f) => [f.name]))("%s: frame count, timestamps, TCP ports and GRE call IDs", async (name) => {
    const path = join(FOLDER, name);
    const expected = tsharkFacts(path);
    const ours = await ourFacts(path);
    expect(ours.length).toBe(expected.length);
    expect(ours).toEqual(expected);
  });
});
