// Synthesizes the hostile captures of issue 6 into bench/data/ (deterministic; written once, and
// again only when HOSTILE_VERSION changes), each about `sizeMb` MB with `count` (one million)
// distinct keys for the analyzer's tables:
//   hostile-syns-<count>-<N>mb.pcap      a SYN flood: `count` SYNs to port 1723, each from its own
//                                        client address and port and never answered, between
//                                        unrelated TCP/UDP that fills the file to its size
//   hostile-gre-calls-<count>-<N>mb.pcap `count` enhanced GRE (version 1) packets carrying MPPE
//                                        data of the size that fills the file, each with its own
//                                        call ID / source address pair, and no control connection
// and one that is hostile by what its sessions share rather than by their number:
//   hostile-nat-calls-same-ids-<NAT_CALLS>.pcap  NAT_CALLS calls from one NAT address (each from
//                                        its own port), all with the same client and server call
//                                        IDs, 10 us apart: call-id-mismatch's worst case
import { join } from "node:path";
import { createPcapFileWriter, enhancedGre, ethernet, ipv4, LinkType, PppProtocol, ppp, SeededRandom, TcpFlag, tcp } from "../dist/synth/index.js";
import { natCallsSameIdsRecords } from "../dist/synth/scenarios-data.js";
import { DATA_FOLDER, ensureFiles } from "./data-files.js";
import { unrelatedFrame } from "./generate.js";

/** Bump whenever the bytes written change. */
const HOSTILE_VERSION = "hostile-1";
/** 2024-03-01T09:00:00Z, as the fixtures. */
const START_SEC = 1709283600;
/** One hostile packet every 100 µs: 10,000 a second, a million in 100 s. */
const STEP_NANOS = 100_000;
const PPTP_PORT = 1723;
const FLOOD_TARGET = "198.51.100.1";
const GRE_TARGET = "203.0.113.1";
const RECORD_HEADER_BYTES = 16;
/** Record header 16, Ethernet 14, IPv4 20, GRE with a sequence number 12, one-byte PPP protocol. */
const GRE_PACKET_OVERHEAD = RECORD_HEADER_BYTES + 14 + 20 + 12 + 1;
/** Bytes that look random (as encrypted data does), sliced at moving offsets for the GRE payloads. */
const PAYLOAD_POOL_BYTES = 64 * 1024;

/** Client i's address: 10.0.0.0/8 numbered by i, distinct for i below 2^24. */
function clientAddress(i) {
  return `10.${(i >> 16) & 0xff}.${(i >> 8) & 0xff}.${i & 0xff}`;
}

function timestamp(i) {
  const nanos = i * STEP_NANOS;
  return { tsSec: START_SEC + Math.floor(nanos / 1e9), tsNsec: nanos % 1e9 };
}

function writeSynFlood(path, count, targetBytes) {
  const writer = createPcapFileWriter(path, { linkType: LinkType.ETHERNET });
  const random = new SeededRandom(1723);
  const fillerRandom = new SeededRandom(7);
  let filler = 0;
  for (let i = 0; i < count; i++) {
    const time = timestamp(i);
    const syn = tcp({
      srcPort: 1024 + (i % 64512),
      dstPort: PPTP_PORT,
      seq: random.nextUint32(),
      flags: TcpFlag.SYN,
      window: 64240,
      options: [{ kind: "mss", value: 1460 }],
    });
    writer.write({ ...time, data: ethernet({ payload: ipv4({ src: clientAddress(i), dst: FLOOD_TARGET, id: i & 0xffff, payload: syn }) }) });
    while (writer.bytesWritten < (targetBytes * (i + 1)) / count) {
      writer.write({ ...time, data: unrelatedFrame(fillerRandom, filler++) });
    }
  }
  writer.close();
}

function writeGreCalls(path, count, targetBytes) {
  const writer = createPcapFileWriter(path, { linkType: LinkType.ETHERNET });
  const pool = new SeededRandom(47).bytes(PAYLOAD_POOL_BYTES);
  const payloadBytes = Math.max(1, Math.min(PAYLOAD_POOL_BYTES, Math.floor(targetBytes / count) - GRE_PACKET_OVERHEAD));
  for (let i = 0; i < count; i++) {
    const offset = (i * 97) % (PAYLOAD_POOL_BYTES - payloadBytes + 1);
    const frame = ppp({ protocol: PppProtocol.Compressed, payload: pool.subarray(offset, offset + payloadBytes), addressControl: false, compressProtocol: true });
    const gre = enhancedGre({ callId: i & 0xffff, sequence: 0, payload: frame });
    writer.write({ ...timestamp(i), data: ethernet({ payload: ipv4({ src: clientAddress(i), dst: GRE_TARGET, id: i & 0xffff, payload: gre }) }) });
  }
  writer.close();
}

/** Calls behind one NAT address: as many as the report lists sessions (MAX_SESSIONS_REPORTED). */
const NAT_CALLS = 10_000;

/** The nat-calls-same-ids fixture's scenario (src/synth/scenarios-data.ts), with NAT_CALLS calls. */
function writeNatCalls(path) {
  const writer = createPcapFileWriter(path, { linkType: LinkType.ETHERNET });
  for (const record of natCallsSameIdsRecords(NAT_CALLS)) writer.write(record);
  writer.close();
}

/** The hostile captures, synthesized when missing or stale: [{name, path, description}]. */
export async function ensureHostileCaptures(count, sizeMb) {
  const targetBytes = sizeMb * 1e6;
  const captures = [
    {
      name: "SYN flood",
      path: join(DATA_FOLDER, `hostile-syns-${count}-${sizeMb}mb.pcap`),
      description: `${count} SYNs to port ${PPTP_PORT}, each from its own address and port, never answered, between unrelated traffic`,
      write: writeSynFlood,
    },
    {
      name: "GRE call IDs",
      path: join(DATA_FOLDER, `hostile-gre-calls-${count}-${sizeMb}mb.pcap`),
      description: `${count} GRE v1 packets with MPPE data, each its own call ID / address pair, no control connection`,
      write: writeGreCalls,
    },
    {
      name: "NAT calls",
      path: join(DATA_FOLDER, `hostile-nat-calls-same-ids-${NAT_CALLS}.pcap`),
      description: `${NAT_CALLS} calls from one NAT address, all with the same call IDs, set up 10 µs apart`,
      write: writeNatCalls,
    },
  ];
  for (const capture of captures) {
    await ensureFiles([capture.path], HOSTILE_VERSION, ([partial]) => capture.write(partial, count, targetBytes));
  }
  return captures.map(({ name, path, description }) => ({ name, path, description }));
}
