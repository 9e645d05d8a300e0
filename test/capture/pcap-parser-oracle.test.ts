/**
 * Our classic-pcap reader against an independent one: pcap-parser (a devDependency kept
 * only for this), frame by frame (count, timestamps, lengths, bytes), on every
 * microsecond pcap fixture and every microsecond pcap among the public captures.
 */
import { createRequire } from "node:module";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { hasPublicCaptures, PUBLIC_CAPTURES } from "../helpers.js";
import { readAll } from "./helpers.js";

const pcapParser = createRequire(import.meta.url)("pcap-parser") as {
  parse(path: string): NodeJS.EventEmitter;
};

const FIXTURES = fileURLToPath(new URL("../../fixtures/", import.meta.url));

interface OracleFrame {
  tsSec: number;
  tsMicros: number;
  caplen: number;
  origLen: number;
  data: string;
}

function readWithPcapParser(path: string): Promise<OracleFrame[]> {
  return new Promise((resolve, reject) => {
    const frames: OracleFrame[] = [];
    const parser = pcapParser.parse(path);
    parser.on("packet", (packet: { header: Record<string, number>; data: Buffer }) => {
      const h = packet.header;
      frames.push({
        tsSec: h.timestampSeconds,
        tsMicros: h.timestampMicroseconds,
        caplen: h.capturedLength,
        origLen: h.originalLength,
        data: packet.data.toString("hex"),
      });
    });
    parser.on("end", () => resolve(frames));
    parser.on("error", reject);
  });
}

/** Classic pcap with microsecond timestamps (magic a1b2c3d4 in either byte order): what pcap-parser reads. */
function isMicrosecondPcap(path: string): boolean {
  const magic = readFileSync(path).subarray(0, 4).toString("hex");
  return magic === "d4c3b2a1" || magic === "a1b2c3d4";
}

function microsecondPcaps(folder: string): string[] {
  return readdirSync(folder)
    .filter((name) => /\.(pcap|cap)$/.test(name))
    .map((name) => join(folder, name))
    .filter(isMicrosecondPcap);
}

async function compare(path: string): Promise<number> {
  const ours = await readAll(path);
  // pcap-parser has no notion of damage: it stops quietly at a cut, so files cut short are
  // compared on their complete records; files with damaged records are left to the tshark tests.
  if (ours.problems.some((p) => p.code !== "capture-truncated")) return -1;
  const oracle = await readWithPcapParser(path);
  expect(ours.frames.length, path).toBe(oracle.length);
  ours.frames.forEach((frame, i) => {
    const expected = oracle[i];
    // the same instant: pcap-parser leaves an out-of-range µs field (≥ 1,000,000) as it is, we carry it into the seconds
    const micros = (sec: number, us: number) => BigInt(sec) * 1_000_000n + BigInt(us);
    expect(
      { frameNo: frame.frameNo, micros: micros(frame.tsSec, frame.tsNsec / 1000), caplen: frame.caplen, origLen: frame.origLen, data: frame.data },
      `${path} frame ${i + 1}`,
    ).toEqual({
      frameNo: i + 1,
      micros: micros(expected.tsSec, expected.tsMicros),
      caplen: expected.caplen,
      origLen: expected.origLen,
      data: expected.data,
    });
  });
  return oracle.length;
}

describe("classic pcap reader against pcap-parser", () => {
  const fixtures = microsecondPcaps(FIXTURES);

  it("covers the microsecond pcap fixtures", () => {
    expect(fixtures.length).toBeGreaterThan(0);
  });

  it.each(fixtures.map((path) => [path.slice(FIXTURES.length), path]))("fixtures/%s", async (_name, path) => {
    expect(await compare(path)).toBeGreaterThan(0);
  });
});

describe.skipIf(!hasPublicCaptures)("classic pcap reader against pcap-parser on the public captures", () => {
  if (!hasPublicCaptures) console.log(`pcap-parser comparison on public captures skipped: ${PUBLIC_CAPTURES} is absent`);
  const files = hasPublicCaptures ? microsecondPcaps(PUBLIC_CAPTURES) : [];

  it.each(files.map((path) => [path.slice(PUBLIC_CAPTURES.length), path]))("%s", async (_name, path) => {
    // whole files must match frame by frame; damaged ones are covered by the tshark tests
    await compare(path);
  });

  it("compares most of them whole", async () => {
    let whole = 0;
    for (const path of files) if ((await compare(path)) >= 0) whole++;
    expect(whole).toBeGreaterThanOrEqual(20);
  });
});
