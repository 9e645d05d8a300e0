// One measurement in a fresh process, so that its peak RSS is its own:
//   node bench/measure.js <floor|decode|analyze|pcap-parser> <capture>
// prints one JSON line {mode, packets, bytes, seconds, maxRssBytes}.
import { createRequire } from "node:module";
import { walkPcapRecordHeaders } from "../dist/capture/floor.js";
import { readCaptureSet } from "../dist/capture/capture-set.js";
import { Decoder } from "../dist/decode/decoder.js";
import { PacketKind } from "../dist/decode/packet.js";
import { analyze } from "../dist/analyze.js";

const [mode, file] = process.argv.slice(2);

/** Read and decode every layer of every frame: the analyzer's stages so far. */
async function decodeAll(path) {
  const decoder = new Decoder();
  let packets = 0;
  let bytes = 0;
  let interesting = 0;
  await readCaptureSet([path], (frame) => {
    packets++;
    bytes += frame.caplen;
    const kind = decoder.decode(frame);
    if (kind !== PacketKind.Other && kind !== PacketKind.FragmentHeld && kind !== PacketKind.Malformed) interesting++;
  });
  return { packets, bytes, interesting };
}

/** pcap-parser 0.2.1 counting packets: the library the design card named, for comparison. */
function pcapParserCount(path) {
  const pcapp = createRequire(import.meta.url)("pcap-parser");
  return new Promise((resolve, reject) => {
    let packets = 0;
    let bytes = 0;
    const parser = pcapp.parse(path);
    parser.on("packet", (packet) => {
      packets++;
      bytes += packet.header.capturedLength;
    });
    parser.on("end", () => resolve({ packets, bytes }));
    parser.on("error", reject);
  });
}

/** The whole analysis, as `pptp-analyze --format json` runs it (report built, not printed). */
async function analyzeAll(path) {
  const report = await analyze([path]);
  return { packets: report.captures[0].packets, bytes: report.captures[0].bytes, sessions: report.sessions.length };
}

const MODES = { floor: walkPcapRecordHeaders, decode: decodeAll, analyze: analyzeAll, "pcap-parser": pcapParserCount };

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
