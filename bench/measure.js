// One in-process measurement, run in a fresh process so that its peak RSS is its own:
//   node bench/measure.js <floor|decode|model|model-twice|analyze|gunzip> <capture>
// prints one JSON line {mode, packets?, bytes, seconds, maxRssBytes}. run.js times the whole
// process from outside, so each mode loads only the modules it needs (the floor's process is the
// least a Node program can be); `analyze` is for profiling the library alone:
//   node --cpu-prof bench/measure.js analyze bench/data/sessions-1024mb.pcap
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { createGunzip } from "node:zlib";

/** Read and gunzip output chunks of the zlib floor. */
const GUNZIP_CHUNK_BYTES = 1024 * 1024;

/** The floor for Node: the record headers walked, nothing decoded. */
async function floorWalk(path) {
  const { walkPcapRecordHeaders } = await import("../dist/capture/floor.js");
  return walkPcapRecordHeaders(path);
}

/** The stages before the model; with `model`, the model's code too. */
async function loadStages({ model }) {
  const [{ readCaptureSet }, { Decoder, DEFAULT_PPTP_PORT }, { PacketKind }, tracking] = await Promise.all([
    import("../dist/capture/capture-set.js"),
    import("../dist/decode/decoder.js"),
    import("../dist/decode/packet.js"),
    model ? import("../dist/model/tracker.js") : undefined,
  ]);
  return { readCaptureSet, Decoder, DEFAULT_PPTP_PORT, PacketKind, SessionTracker: tracking?.SessionTracker };
}

/**
 * Read and decode every layer of every frame; with the model's code loaded, build the session
 * model too (issue 3's: calls, GRE flows, PPP negotiation), without the diagnosis and the report.
 */
async function readAll(path, stages) {
  const { readCaptureSet, Decoder, DEFAULT_PPTP_PORT, PacketKind, SessionTracker } = stages;
  const decoder = new Decoder();
  const tracker = SessionTracker && new SessionTracker(decoder, DEFAULT_PPTP_PORT);
  let packets = 0;
  let bytes = 0;
  let interesting = 0;
  await readCaptureSet([path], (frame) => {
    packets++;
    bytes += frame.caplen;
    const kind = decoder.decode(frame);
    if (kind === PacketKind.Other || kind === PacketKind.FragmentHeld) return;
    if (kind !== PacketKind.Malformed) interesting++;
    tracker?.frame(decoder.packet, frame);
  });
  return tracker ? { packets, bytes, interesting, sessions: tracker.finish().connections.length } : { packets, bytes, interesting };
}

const decodeAll = async (path) => readAll(path, await loadStages({ model: false }));
const modelAll = async (path) => readAll(path, await loadStages({ model: true }));

/**
 * The model built twice in one process, its code loaded before either: the second pass runs on
 * code V8 has already compiled and optimized, in a heap already grown, so first minus second is
 * what a cold process pays.
 */
async function modelTwice(path) {
  const stages = await loadStages({ model: true });
  const passes = [];
  for (let pass = 0; pass < 2; pass++) {
    const t0 = performance.now();
    const before = process.resourceUsage();
    await readAll(path, stages);
    const after = process.resourceUsage();
    passes.push({
      seconds: (performance.now() - t0) / 1000,
      cpuSeconds: (after.userCPUTime - before.userCPUTime + after.systemCPUTime - before.systemCPUTime) / 1e6,
      pageFaults: after.minorPageFault - before.minorPageFault,
    });
  }
  return { passes };
}

/** The library's whole analysis, as `pptp-analyze` runs it, without formatting the report. */
async function analyzeAll(path) {
  const { analyze } = await import("../dist/analyze.js");
  const report = await analyze([path]);
  return { packets: report.captures[0].packets, bytes: report.captures[0].bytes, sessions: report.sessions.length };
}

/**
 * The floor for gzip input: zlib inflating the file, the output counted and dropped. The file
 * is read as the reader reads it (synchronously, into one reused buffer) and fed to zlib by the
 * reader's feedGunzip, into output chunks of the reader's size.
 */
async function gunzipOnly(path) {
  const { feedGunzip } = await import("../dist/capture/source.js");
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.allocUnsafe(GUNZIP_CHUNK_BYTES);
    const file = {
      bytesRead: 0,
      totalBytes: fstatSync(fd).size,
      read() {
        const bytesRead = readSync(fd, buffer, 0, buffer.length, null);
        this.bytesRead += bytesRead;
        return Promise.resolve(bytesRead === 0 ? null : buffer.subarray(0, bytesRead));
      },
    };
    const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES });
    void feedGunzip(gunzip, (await file.read()) ?? Buffer.alloc(0), file);
    let bytes = 0;
    for await (const chunk of gunzip) bytes += chunk.length;
    return { bytes };
  } finally {
    closeSync(fd);
  }
}

const MODES = { floor: floorWalk, decode: decodeAll, model: modelAll, "model-twice": modelTwice, analyze: analyzeAll, gunzip: gunzipOnly };

const [mode, file] = process.argv.slice(2);
const run = MODES[mode];
if (!run || !file) {
  console.error(`usage: node bench/measure.js <${Object.keys(MODES).join("|")}> <capture>`);
  process.exit(2);
}
const t0 = performance.now();
const result = await run(file);
const seconds = (performance.now() - t0) / 1000;
const maxRssBytes = process.resourceUsage().maxRSS * 1024;
console.log(JSON.stringify({ mode, ...result, seconds, maxRssBytes }));
