import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hasTshark, readAll } from "./helpers.js";
import { PUBLIC_CAPTURES } from "../helpers.js";

// Real captures from public repositories (see MANIFEST.md there), read from ../shared beside
// the repository; never copied into it.
const PUBLIC = PUBLIC_CAPTURES;
const hasPublic = existsSync(PUBLIC);
if (!hasPublic) console.log(`${PUBLIC} is absent: skipping the public capture tests`);
const captures = hasPublic ? readdirSync(PUBLIC).filter((name) => /\.(pcap|pcapng|cap)(\.gz)?$/.test(name)).sort() : [];

describe.skipIf(!hasPublic)("fuzzed captures from nDPI", () => {
  it("2006-06-26-2594: 691 frames, as tshark counts", async () => {
    const { info, problems } = await readAll(join(PUBLIC, "ndpi-fuzz-2006-06-26-2594.pcap"));
    expect(info).toMatchObject({ format: "pcap", packets: 691, linkTypes: [1] });
    expect(problems).toEqual([]);
  });

  it("2006-09-29-28586: 131 frames", async () => {
    const { info, problems } = await readAll(join(PUBLIC, "ndpi-fuzz-2006-09-29-28586.pcap"));
    expect(info).toMatchObject({ format: "pcap", packets: 131 });
    expect(problems).toEqual([]);
  });

  it("2020-02-16-11740: really pcapng, 366 frames", async () => {
    const { info, problems } = await readAll(join(PUBLIC, "ndpi-fuzz-2020-02-16-11740.pcap"));
    expect(info).toMatchObject({ format: "pcapng", packets: 366 });
    expect(problems).toEqual([]);
  });

  it("2021-06-07-c6c72a0a56: one frame whose original length claims 4,093,509,168 bytes", async () => {
    const { frames, problems } = await readAll(join(PUBLIC, "ndpi-fuzz-2021-06-07-c6c72a0a56.pcap"));
    expect(frames.map((f) => [f.caplen, f.origLen])).toEqual([[48, 4093509168]]);
    expect(problems).toEqual([]);
  });

  it("2021-10-13: version 2.0, so the lengths are swapped: one 197-byte frame, then the file is cut", async () => {
    // The record header says 524,501 then 197. For pcap versions before 2.3 libpcap and
    // Wireshark take these as original then captured length (libpcap 0.3 wrote them swapped),
    // so tshark shows one frame of 197 bytes (bytes 40-237) and then reports the file "cut
    // short in the middle of a packet": 2 bytes of a next record header remain.
    const path = join(PUBLIC, "ndpi-fuzz-2021-10-13.pcap");
    const { frames, problems } = await readAll(path);
    expect(frames.map((f) => [f.frameNo, f.caplen, f.origLen, f.linkType])).toEqual([[1, 197, 524501, 0]]);
    expect(problems).toEqual([
      {
        code: "capture-truncated",
        fileIndex: 0,
        file: path,
        frameNo: 2,
        message: "byte 237: the capture ends inside a record header (2 of 16 bytes)",
      },
    ]);
  });
});

/** Where tshark 4.0 shows another time than ours, and why; ours is computed by hand. */
const TSHARK_TIME_DIFFERS: Record<string, { ours: string; why: string }> = {
  "ndpi-fuzz-2021-06-07-c6c72a0a56.pcap#1": {
    // µs field 0xffea9138 = 4,293,562,680: 4293 s + 562,680 µs carried into 1,953,631,157 s
    ours: "1953635450.562680000",
    why: "Wireshark multiplies the µs field by 1000 in 32 bits, which wraps to a negative fraction",
  },
  "tcpdump-sll-timestamp-invalid-micro.pcap#3": {
    // µs field 0x80000000 = 2,147,483,648: 2147 s + 483,648 µs carried into 1,418,145,370 s
    ours: "1418147517.483648000",
    why: "Wireshark's 32-bit product 2147483648 * 1000 wraps to exactly 0",
  },
};

/** tshark prints an out-of-range fraction as is ("10.1000000000" is 11 s); normalise it. */
function normalise(epoch: string): string {
  const match = /^(\d+)\.(\d{9,})$/.exec(epoch);
  if (match === null) return epoch;
  const nsec = Number(match[2]);
  const sec = Number(match[1]) + Math.floor(nsec / 1e9);
  return `${sec}.${String(nsec % 1e9).padStart(9, "0")}`;
}

describe.skipIf(!hasPublic || !hasTshark)("every public capture against tshark", () => {
  if (hasPublic && !hasTshark) console.log("tshark not on PATH: skipping the tshark comparison");

  it.each(captures)("%s: same frames, timestamps and captured lengths as tshark", async (name) => {
    const path = join(PUBLIC, name);
    const run = spawnSync("tshark", ["-r", path, "-T", "fields", "-e", "frame.number", "-e", "frame.time_epoch", "-e", "frame.cap_len"], {
      encoding: "utf8",
    });
    const expected = run.stdout
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => line.split("\t"));
    const { frames } = await readAll(path);
    expect(frames.length).toBe(expected.length);
    frames.forEach((frame, i) => {
      const [number, epoch, caplen] = expected[i];
      const ours = `${frame.tsSec}.${String(frame.tsNsec).padStart(9, "0")}`;
      expect(String(frame.frameNo)).toBe(number);
      expect(String(frame.caplen), `frame ${number} captured length`).toBe(caplen);
      const known = TSHARK_TIME_DIFFERS[`${name}#${number}`];
      if (known !== undefined) expect(ours, known.why).toBe(known.ours);
      else if (epoch !== "") expect(ours, `frame ${number} time`).toBe(normalise(epoch));
    });
  });
});
