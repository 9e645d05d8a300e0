// Synthesizes the benchmark captures (deterministic, written once into bench/data/, which git ignores):
// 2,000 interleaved PPTP sessions (control channel, LCP/MS-CHAPv2/CCP/IPCP, then MPPE data of 60-1400
// bytes) with about 20 % unrelated TCP/UDP traffic, as one classic pcap of the requested size.
import { existsSync, mkdirSync, renameSync } from "node:fs";
import { dirname } from "node:path";
import { PptpConversation } from "../dist/synth/conversation.js";
import { healthySession } from "../dist/synth/sessions.js";
import { SeededRandom } from "../dist/synth/random.js";
import { createPcapFileWriter } from "../dist/synth/pcap-writer.js";
import { ethernet } from "../dist/synth/ethernet.js";
import { ipv4 } from "../dist/synth/ipv4.js";
import { tcp } from "../dist/synth/tcp.js";
import { ipPayload } from "../dist/synth/ip-payload.js";
import { LinkType } from "../dist/decode/linktypes.js";

const SESSIONS = 2000;
const START_SEC = 1709283600;
/** A new session starts every 50 ms; frames of one session are 10 ms apart, so about 200 overlap. */
const SESSION_SPACING_NANOS = 50_000_000;
const STEP_MICROS = 10_000;
const UNRELATED_SHARE = 0.2;
const AVERAGE_SESSION_OVERHEAD = 8_000;
const AVERAGE_DATA_FRAME = 730 + 60;

/** Min-heap of session cursors ordered by the time of their next record. */
class Heap {
  items = [];
  push(item) {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!earlier(a[i], a[parent])) break;
      [a[i], a[parent]] = [a[parent], a[i]];
      i = parent;
    }
  }
  pop() {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && earlier(a[l], a[m])) m = l;
        if (r < a.length && earlier(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
  get size() {
    return this.items.length;
  }
}

function earlier(a, b) {
  const x = a.records[a.next];
  const y = b.records[b.next];
  return x.tsSec !== y.tsSec ? x.tsSec < y.tsSec : x.tsNsec !== y.tsNsec ? x.tsNsec < y.tsNsec : a.id < b.id;
}

function nanosSinceStart(cursor) {
  const record = cursor.records[cursor.next];
  return (record.tsSec - START_SEC) * 1e9 + record.tsNsec;
}

function sessionRecords(i, dataFramesEachWay) {
  const random = new SeededRandom(1000 + i);
  const records = [];
  const startNanos = i * SESSION_SPACING_NANOS;
  const clientCallId = (i * 7 + 1) & 0xffff;
  const serverCallId = (0x4000 + i) & 0xffff;
  const conv = new PptpConversation(
    {
      client: `10.${(i >> 8) & 0xff}.${i & 0xff}.${2 + (i % 200)}`,
      server: `203.0.113.${1 + (i % 4)}`,
      clientPort: 49152 + (i % 16000),
      clientCallId,
      serverCallId,
      startSec: START_SEC + Math.floor(startNanos / 1e9),
      startNsec: startNanos % 1e9,
      stepMicros: STEP_MICROS,
    },
    (record) => records.push(record),
  );
  healthySession(conv, clientCallId, serverCallId, {
    userName: `user${i}`,
    clientTunnelAddress: `172.16.${(i >> 8) & 0xff}.${i & 0xff}`,
    serverTunnelAddress: "172.31.255.254",
    dataFrames: dataFramesEachWay,
    minDataBytes: 60,
    maxDataBytes: 1400,
    random,
  });
  return records;
}

/** Unrelated traffic: HTTPS-like TCP and DNS-like UDP between other hosts. */
function unrelatedFrame(random, n) {
  const udp = random.below(3) === 0;
  const size = udp ? 40 + random.below(200) : 40 + random.below(1400);
  const body = random.bytes(size);
  const src = `192.168.${n & 0xff}.${1 + random.below(250)}`;
  const dst = `198.18.${random.below(256)}.${1 + random.below(250)}`;
  const payload = udp ? ipPayload(17, body) : tcp({ srcPort: 1024 + random.below(60000), dstPort: 443, seq: n, ack: 1, payload: body });
  return ethernet({ payload: ipv4({ src, dst, id: n & 0xffff, payload }) });
}

export function generateBenchCapture(path, targetBytes) {
  const pptpBytes = targetBytes * (1 - UNRELATED_SHARE);
  const perSession = pptpBytes / SESSIONS;
  const dataFramesEachWay = Math.max(1, Math.round((perSession - AVERAGE_SESSION_OVERHEAD) / AVERAGE_DATA_FRAME / 2));
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.partial`;
  const writer = createPcapFileWriter(partial, { linkType: LinkType.ETHERNET });
  const heap = new Heap();
  const unrelatedRandom = new SeededRandom(7);
  let started = 0;
  let pptpWritten = 0;
  let unrelatedWritten = 0;
  let unrelatedCount = 0;
  let packets = 0;
  const startNext = () => {
    heap.push({ id: started, records: sessionRecords(started, dataFramesEachWay), next: 0 });
    started++;
  };
  while (heap.size > 0 || started < SESSIONS) {
    // a session joins the merge before any record later than its first one is written
    if (started < SESSIONS && (heap.size === 0 || started * SESSION_SPACING_NANOS <= nanosSinceStart(heap.items[0]))) {
      startNext();
      continue;
    }
    const cursor = heap.pop();
    const record = cursor.records[cursor.next++];
    writer.write(record);
    packets++;
    pptpWritten += record.data.length + 16;
    while (unrelatedWritten < (pptpWritten * UNRELATED_SHARE) / (1 - UNRELATED_SHARE)) {
      const data = unrelatedFrame(unrelatedRandom, unrelatedCount++);
      writer.write({ tsSec: record.tsSec, tsNsec: record.tsNsec, data });
      unrelatedWritten += data.length + 16;
      packets++;
    }
    if (cursor.next < cursor.records.length) heap.push(cursor);
  }
  writer.close();
  renameSync(partial, path);
  return { packets, bytes: writer.bytesWritten };
}

export function ensureBenchCapture(path, targetBytes) {
  if (existsSync(path)) return false;
  const t0 = performance.now();
  const { packets, bytes } = generateBenchCapture(path, targetBytes);
  const seconds = (performance.now() - t0) / 1000;
  console.error(`synthesized ${path}: ${packets} packets, ${(bytes / 1e6).toFixed(0)} MB in ${seconds.toFixed(1)} s`);
  return true;
}
