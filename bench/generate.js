// Synthesizes the benchmark captures of issue 5 into bench/data/ (deterministic byte for byte;
// written once, and again only when GENERATOR_VERSION changes):
//   (a) sessions-<N>mb.pcap     2,000 interleaved PPTP sessions (session-mix.js: control, LCP,
//                               MS-CHAPv2, CCP, IPCP, MPPE data of 60-1400 bytes; one in ten
//                               failing as a fixture does), with 20 % of the bytes unrelated TCP/UDP
//   (b) sessions-<4N>mb.pcap    the same 2,000 sessions, each carrying four times the data for four
//                               times as long, starting four times further apart
//   (c) sessions-<N>mb.pcapng   the frames of (a) as pcapng (one Enhanced Packet Block each)
//       sessions-<N>mb.pcap.gz  (a) through gzip
// Sessions last as long as their frames take (one every 10 ms) and start so that about
// CONCURRENT_SESSIONS are open at any moment. (b) is therefore not more sessions nor more of them
// at once: only the data per session grows, so a peak RSS that grows from (a) to (b) is state
// kept per packet, not per session.
import { createReadStream, createWriteStream } from "node:fs";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { createPcapFileWriter, ethernet, ipPayload, ipv4, LinkType, SeededRandom, tcp } from "../dist/synth/index.js";
import { DATA_FOLDER, ensureFiles } from "./data-files.js";
import { createPcapngFileWriter } from "./pcapng-file.js";
import { kindOfSession, SESSIONS, sessionRecords } from "./session-mix.js";

/** Bump whenever the bytes written change (here, in session-mix.js or in the synthesizer they use). */
const GENERATOR_VERSION = "sessions-2";
/** (b) is this many times the size of (a). */
export const LARGE_FACTOR = 4;

/** 2024-03-01T09:00:00Z, as the fixtures. */
const START_SEC = 1709283600;
const STEP_MICROS = 10_000;
const CONCURRENT_SESSIONS = 100;
/** Share of the capture's bytes that is not PPTP. */
const UNRELATED_SHARE = 0.2;
/** Bytes of a healthy session besides its data frames (control channel, negotiation, teardown) and their count. */
const SESSION_OVERHEAD_BYTES = 8_000;
const SESSION_OVERHEAD_FRAMES = 45;
/** Record header 16 + Ethernet 14 + IPv4 20 + GRE 16 + the mean MPPE frame of 60-1400 bytes. */
const AVERAGE_DATA_RECORD_BYTES = 16 + 14 + 20 + 16 + 730;
const RECORD_HEADER_BYTES = 16;
const UDP_PROTOCOL = 17;
const UDP_HEADER_BYTES = 8;
const HTTPS_PORT = 443;
/** Ports of unrelated traffic (TCP sources, UDP both ends): the ephemeral range (RFC 6335), so never the PPTP port 1723. */
const EPHEMERAL_PORT_FIRST = 49152;
const EPHEMERAL_PORT_COUNT = 16384;

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

/**
 * Unrelated traffic between other hosts: HTTPS-like TCP segments and media-like UDP datagrams
 * between ephemeral ports (without checksum, RFC 768), with bytes that look random; n numbers it.
 */
export function unrelatedFrame(random, n) {
  const isUdp = random.below(3) === 0;
  const size = isUdp ? 40 + random.below(200) : 40 + random.below(1400);
  const src = `192.168.${n & 0xff}.${1 + random.below(250)}`;
  const dst = `198.18.${random.below(256)}.${1 + random.below(250)}`;
  const srcPort = EPHEMERAL_PORT_FIRST + random.below(EPHEMERAL_PORT_COUNT);
  let payload;
  if (isUdp) {
    const datagram = random.bytes(UDP_HEADER_BYTES + size);
    datagram.writeUInt16BE(srcPort, 0);
    datagram.writeUInt16BE(EPHEMERAL_PORT_FIRST + random.below(EPHEMERAL_PORT_COUNT), 2);
    datagram.writeUInt16BE(datagram.length, 4);
    datagram.writeUInt16BE(0, 6);
    payload = ipPayload(UDP_PROTOCOL, datagram);
  } else {
    payload = tcp({ srcPort, dstPort: HTTPS_PORT, seq: n, ack: 1, payload: random.bytes(size) });
  }
  return ethernet({ payload: ipv4({ src, dst, id: n & 0xffff, payload }) });
}

/** A pcap or pcapng writer, by the name of the file. */
function writerFor(path) {
  const linkType = LinkType.ETHERNET;
  return path.includes(".pcapng") ? createPcapngFileWriter(path, { linkType }) : createPcapFileWriter(path, { linkType });
}

/** Writes the sessions, scaled to about `targetBytes`, to every file of `paths` at once. */
function synthesizeSessions(targetBytes, paths) {
  const healthySessions = Array.from({ length: SESSIONS }, (_, i) => kindOfSession(i)).filter((kind) => kind === "healthy").length;
  const perHealthySession = (targetBytes * (1 - UNRELATED_SHARE)) / healthySessions;
  const dataFramesEachWay = Math.max(1, Math.round((perHealthySession - SESSION_OVERHEAD_BYTES) / AVERAGE_DATA_RECORD_BYTES / 2));
  const sessionNanos = (2 * dataFramesEachWay + SESSION_OVERHEAD_FRAMES) * STEP_MICROS * 1000;
  const spacingNanos = Math.round(sessionNanos / CONCURRENT_SESSIONS);
  const writers = paths.map(writerFor);
  const write = (record) => {
    for (const writer of writers) writer.write(record);
  };
  const heap = new Heap();
  const unrelatedRandom = new SeededRandom(7);
  let started = 0;
  let pptpBytes = 0;
  let unrelatedBytes = 0;
  let unrelatedCount = 0;
  while (heap.size > 0 || started < SESSIONS) {
    // a session joins the merge before any record later than its first one is written
    if (started < SESSIONS && (heap.size === 0 || started * spacingNanos <= nanosSinceStart(heap.items[0]))) {
      const records = sessionRecords(started, { startSec: START_SEC, startNanos: started * spacingNanos, stepMicros: STEP_MICROS, dataFramesEachWay });
      heap.push({ id: started, records, next: 0 });
      started++;
      continue;
    }
    const cursor = heap.pop();
    const record = cursor.records[cursor.next++];
    write(record);
    pptpBytes += record.data.length + RECORD_HEADER_BYTES;
    while (unrelatedBytes < (pptpBytes * UNRELATED_SHARE) / (1 - UNRELATED_SHARE)) {
      const data = unrelatedFrame(unrelatedRandom, unrelatedCount++);
      write({ tsSec: record.tsSec, tsNsec: record.tsNsec, data });
      unrelatedBytes += data.length + RECORD_HEADER_BYTES;
    }
    if (cursor.next < cursor.records.length) heap.push(cursor);
  }
  for (const writer of writers) writer.close();
}

/** The benchmark captures for a size of (a) in MB (10^6 bytes), synthesized when missing or stale. */
export async function ensureSessionCaptures(sizeMb) {
  const path = (mb, extension) => join(DATA_FOLDER, `sessions-${mb}mb.${extension}`);
  const captures = {
    a: path(sizeMb, "pcap"),
    b: path(LARGE_FACTOR * sizeMb, "pcap"),
    pcapng: path(sizeMb, "pcapng"),
    gzip: path(sizeMb, "pcap.gz"),
  };
  await ensureFiles([captures.a, captures.pcapng], GENERATOR_VERSION, (partials) => synthesizeSessions(sizeMb * 1e6, partials));
  await ensureFiles([captures.b], GENERATOR_VERSION, (partials) => synthesizeSessions(LARGE_FACTOR * sizeMb * 1e6, partials));
  await ensureFiles([captures.gzip], GENERATOR_VERSION, ([partial]) =>
    pipeline(createReadStream(captures.a), createGzip(), createWriteStream(partial)));
  return captures;
}
