/**
 * The strongest check of the synthesizer: captures of every format and link type it writes,
 * read back by tshark (an independent decoder) with checksum validation on. Needs tshark on
 * PATH; capinfos (same package) confirms the frame counts.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ArphrdType, enhancedGre, ethernet, EtherType, ipv4, ipv4Fragments, ipv6, ipv6Fragments, linuxSll, linuxSll2,
  loopLink, nullLink, ppp, PppDirection, pppoeDiscovery, PppoeCode, pppoeSession, PppoeTag, PppProtocol,
  pppWithDirection, SllPacketType, tcp, TcpFlag, writePcap, writePcapng, type PcapngSection, type SynthRecord,
} from "../../src/synth/index.js";
import { hasCapinfos, hasTshark, hex } from "./helpers.js";

if (!hasTshark) console.log("tshark is not on PATH: skipping the tshark round-trip tests of the synthesizer");
if (hasTshark && !hasCapinfos) console.log("capinfos is not on PATH: frame counts are checked with tshark only");

const CLIENT = "192.0.2.1";
const SERVER = "198.51.100.2";
const CLIENT_CALL_ID = 0x8001; // 32769
const SERVER_CALL_ID = 0x4000; // 16384
/** LCP Configure-Request, id 1, length 10, Magic-Number 0xdeadbeef (RFC 1661 §5.1, §6.4). */
const LCP_CONFIGURE_REQUEST = hex("01 01 000a", "05 06 deadbeef");

/** The IP datagrams of a PPTP session start: SYN, SYN-ACK, GRE with LCP to the client, GRE ack to the server. */
function sessionDatagrams(): Buffer[] {
  return [
    ipv4({ src: CLIENT, dst: SERVER, id: 1, dontFragment: true, payload: tcp({ srcPort: 49152, dstPort: 1723,
      seq: 1000, flags: TcpFlag.SYN, window: 64240, options: [{ kind: "mss", value: 1460 }, { kind: "sack-permitted" }] }) }),
    ipv4({ src: SERVER, dst: CLIENT, id: 2, payload: tcp({ srcPort: 1723, dstPort: 49152, seq: 5000, ack: 1001,
      flags: TcpFlag.SYN | TcpFlag.ACK, options: [{ kind: "mss", value: 1400 }] }) }),
    ipv4({ src: SERVER, dst: CLIENT, id: 3, payload: enhancedGre({ callId: CLIENT_CALL_ID, sequence: 0,
      payload: ppp({ protocol: PppProtocol.LCP, payload: LCP_CONFIGURE_REQUEST }) }) }),
    ipv4({ src: CLIENT, dst: SERVER, id: 4, payload: enhancedGre({ callId: SERVER_CALL_ID, ack: 0 }) }),
  ];
}

/** Printed tshark fields of one frame, by field name. */
type Row = Record<string, string>;

/**
 * What tshark must report for sessionDatagrams(), frame by frame. Checksum status 1 is
 * Wireshark's "Good" (0 Bad, 2 Unverified); "" means the field is absent.
 */
const SESSION_EXPECTED: Row[] = [
  { "ip.src": CLIENT, "tcp.checksum.status": "1", "gre.key.call_id": "", "ppp.protocol": "" },
  { "ip.src": SERVER, "tcp.checksum.status": "1", "gre.key.call_id": "", "ppp.protocol": "" },
  { "ip.src": SERVER, "tcp.checksum.status": "", "gre.key.call_id": String(CLIENT_CALL_ID), "ppp.protocol": "0xc021" },
  { "ip.src": CLIENT, "tcp.checksum.status": "", "gre.key.call_id": String(SERVER_CALL_ID), "ppp.protocol": "" },
].map((row) => ({ "ip.checksum.status": "1", "_ws.malformed": "", ...row }));

const FIELDS = [
  "frame.number", "frame.time_epoch", "frame.len", "frame.cap_len", "frame.interface_name", "frame.protocols",
  "ip.src", "ipv6.src", "ip.checksum.status", "tcp.checksum.status", "tcp.srcport", "gre.key.call_id",
  "ppp.protocol", "ppp.direction", "vlan.id", "ieee8021ad.id", "sll.pkttype", "sll.ifindex", "null.family",
  "pppoe.code", "pppoe.session_id", "_ws.malformed",
];

/** tshark's decode of a file: one object per frame, field name to printed value ("" when absent). */
function tshark(file: string): Row[] {
  const result = spawnSync("tshark", ["-r", file, "-n", "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
    "-T", "fields", "-E", "separator=/t", ...FIELDS.flatMap((f) => ["-e", f])], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`tshark failed on ${file}: ${result.stderr}`);
  return result.stdout.split("\n").filter((line) => line !== "").map((line) => {
    const columns = line.split("\t");
    return Object.fromEntries(FIELDS.map((field, i) => [field, columns[i] ?? ""]));
  });
}

/** Frame count as capinfos reports it, or tshark's when capinfos is missing. */
function frameCount(file: string): number {
  if (!hasCapinfos) return tshark(file).length;
  const result = spawnSync("capinfos", ["-c", "-M", "-T", "-r", file], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`capinfos failed on ${file}: ${result.stderr}`);
  return Number(result.stdout.trim().split("\t")[1]);
}

let directory = "";
let fileCounter = 0;
function writeCapture(bytes: Buffer, extension = "pcap"): string {
  const path = join(directory, `capture-${++fileCounter}.${extension}`);
  writeFileSync(path, bytes);
  return path;
}

/** One pcap of the given link type, records one second apart from 1600000000. */
function pcapOf(linkType: number, frames: Uint8Array[]): string {
  const records = frames.map((data, i): SynthRecord => ({ tsSec: 1600000000 + i, tsNsec: 0, data }));
  return writeCapture(writePcap(records, { linkType }));
}

function expectRows(rows: Row[], expected: Row[]): void {
  expect(rows).toHaveLength(expected.length);
  expected.forEach((fields, i) => {
    const actual = Object.fromEntries(Object.keys(fields).map((key) => [key, rows[i][key]]));
    expect(actual, `frame ${i + 1}`).toEqual(fields);
  });
}

describe.skipIf(!hasTshark)("captures read back by tshark", () => {
  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), "pptp-analyze-synth-"));
  });
  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  describe("pcap", () => {
    const magics = [
      { name: "little-endian microseconds", bigEndian: false, nanosecond: false, fraction: "123456000" },
      { name: "big-endian microseconds", bigEndian: true, nanosecond: false, fraction: "123456000" },
      { name: "little-endian nanoseconds", bigEndian: false, nanosecond: true, fraction: "123456789" },
      { name: "big-endian nanoseconds", bigEndian: true, nanosecond: true, fraction: "123456789" },
    ];
    for (const magic of magics) {
      it(`${magic.name}: times, checksums and the PPTP fields`, () => {
        const frames = sessionDatagrams().map((payload) => ethernet({ vlans: [{ vid: 10 }], payload }));
        const records = frames.map((data, i) => ({ tsSec: 1600000000 + i, tsNsec: 123456789, data }));
        const file = writeCapture(writePcap(records, { linkType: 1, ...magic }));
        const rows = tshark(file);
        expectRows(rows, SESSION_EXPECTED.map((row, i) => ({
          ...row, "frame.time_epoch": `${1600000000 + i}.${magic.fraction}`, "vlan.id": "10",
        })));
        expect(frameCount(file)).toBe(4);
      });
    }

    it("tshark really checks: overridden (wrong) checksums are reported bad", () => {
      const bad = ipv4({ src: CLIENT, dst: SERVER, checksum: 0xbeef,
        payload: tcp({ srcPort: 49152, dstPort: 1723, flags: TcpFlag.SYN, checksum: 0x1234 }) });
      expectRows(tshark(pcapOf(228, [bad])), [{ "ip.checksum.status": "0", "tcp.checksum.status": "0" }]);
    });

    it("records cut by the snap length keep their original length", () => {
      const frame = ethernet({ payload: sessionDatagrams()[0] });
      const file = writeCapture(writePcap([{ tsSec: 0, tsNsec: 0, data: frame }], { linkType: 1, snaplen: 40 }));
      expectRows(tshark(file), [{ "frame.len": String(frame.length), "frame.cap_len": "40" }]);
    });
  });

  describe("pcapng", () => {
    it("little-endian and big-endian sections, if_tsresol 9 and 0x94, EPB, PB and SPB", () => {
      const [syn, synAck, greToClient] = sessionDatagrams();
      const sections: PcapngSection[] = [
        {
          interfaces: [
            { linkType: 1, name: "eth0", tsresol: 9 },
            { linkType: 9, name: "ppp0", tsresol: 0x94 },
          ],
          records: [
            { tsSec: 1600000000, tsNsec: 123456789, data: ethernet({ payload: syn }) },
            { tsSec: 1600000001, tsNsec: 250_000_000, interfaceId: 1, block: "pb",
              data: ppp({ protocol: PppProtocol.IPv4, payload: synAck }) },
            { tsSec: 0, tsNsec: 0, block: "spb", data: ethernet({ payload: greToClient }) },
          ],
        },
        {
          bigEndian: true,
          interfaces: [{ linkType: 113 }],
          records: [{ tsSec: 1600000002, tsNsec: 123456789, data: linuxSll({ payload: syn }) }],
        },
      ];
      const file = writeCapture(writePcapng(sections), "pcapng");
      expectRows(tshark(file), [
        { "frame.time_epoch": "1600000000.123456789", "frame.interface_name": "eth0", "ip.src": CLIENT,
          "tcp.checksum.status": "1", "frame.protocols": "eth:ethertype:ip:tcp" },
        // 2^-20 s units: 0.25 s is exact
        { "frame.time_epoch": "1600000001.250000000", "frame.interface_name": "ppp0", "ip.src": SERVER,
          "tcp.checksum.status": "1", "ppp.protocol": "0x0021" },
        // a Simple Packet Block has no timestamp
        { "frame.time_epoch": "", "gre.key.call_id": String(CLIENT_CALL_ID), "ppp.protocol": "0xc021" },
        // no if_tsresol: microseconds
        { "frame.time_epoch": "1600000002.123456000", "ip.src": CLIENT, "tcp.checksum.status": "1",
          "frame.protocols": "sll:ethertype:ip:tcp" },
      ]);
      expect(frameCount(file)).toBe(4);
    });

    it("a big-endian section alone", () => {
      const frames = sessionDatagrams().map((payload) => ethernet({ payload }));
      const file = writeCapture(writePcapng([{
        bigEndian: true,
        interfaces: [{ linkType: 1, tsresol: 9 }],
        records: frames.map((data, i) => ({ tsSec: 1600000000 + i, tsNsec: 1, data })),
      }]), "pcapng");
      expectRows(tshark(file), SESSION_EXPECTED.map((row, i) => ({
        ...row, "frame.time_epoch": `${1600000000 + i}.000000001`,
      })));
    });
  });

  describe("link types", () => {
    it("1 Ethernet with 802.1ad + 802.1Q (QinQ)", () => {
      const frames = sessionDatagrams().map((payload) =>
        ethernet({ vlans: [{ tpid: EtherType.ServiceVlan, vid: 100 }, { vid: 200, pcp: 3 }], payload }));
      expectRows(tshark(pcapOf(1, frames)),
        SESSION_EXPECTED.map((row) => ({ ...row, "ieee8021ad.id": "100", "vlan.id": "200" })));
    });

    it("1 Ethernet with IPv4 fragments that tshark reassembles", () => {
      const datagram = { src: CLIENT, dst: SERVER, id: 77,
        payload: tcp({ srcPort: 49152, dstPort: 1723, seq: 1001, payload: Buffer.alloc(300, 0x61) }) };
      const frames = ipv4Fragments(datagram, 128).map((payload) => ethernet({ payload }));
      expect(frames).toHaveLength(3);
      const rows = tshark(pcapOf(1, frames));
      expect(rows.map((r) => r["ip.checksum.status"])).toEqual(["1", "1", "1"]);
      // TCP appears (and its checksum is checked) only in the last frame, over the reassembled datagram
      expect(rows.map((r) => r["tcp.srcport"])).toEqual(["", "", "49152"]);
      expect(rows[2]["tcp.checksum.status"]).toBe("1");
    });

    it("1 Ethernet with PPPoE discovery and session", () => {
      const frames = [
        ethernet({ etherType: EtherType.PppoeDiscovery, payload: pppoeDiscovery({ code: PppoeCode.PADI,
          tags: [{ type: PppoeTag.ServiceName }, { type: PppoeTag.HostUniq, value: hex("01020304") }] }) }),
        ethernet({ etherType: EtherType.PppoeSession, payload: pppoeSession({ sessionId: 0x1234,
          payload: ppp({ protocol: PppProtocol.LCP, payload: LCP_CONFIGURE_REQUEST, addressControl: false }) }) }),
        ethernet({ etherType: EtherType.PppoeSession, payload: pppoeSession({ sessionId: 0x1234,
          payload: ppp({ protocol: PppProtocol.IPv4, payload: sessionDatagrams()[0], addressControl: false }) }) }),
      ];
      expectRows(tshark(pcapOf(1, frames)), [
        { "pppoe.code": "0x09", "pppoe.session_id": "0x0000", "frame.protocols": "eth:ethertype:pppoed",
          "_ws.malformed": "" },
        { "pppoe.code": "0x00", "pppoe.session_id": "0x1234", "ppp.protocol": "0xc021", "_ws.malformed": "" },
        { "pppoe.session_id": "0x1234", "ppp.protocol": "0x0021", "ip.src": CLIENT, "tcp.checksum.status": "1" },
      ]);
    });

    it("113 Linux SLL", () => {
      const frames = sessionDatagrams().map((payload, i) => linuxSll({
        packetType: i % 3 === 0 ? SllPacketType.Outgoing : SllPacketType.Host, address: hex("001122334455"), payload,
      }));
      expectRows(tshark(pcapOf(113, frames)), SESSION_EXPECTED.map((row, i) => ({
        ...row, "sll.pkttype": i % 3 === 0 ? "4" : "0",
      })));
    });

    it("276 Linux SLL2", () => {
      const frames = sessionDatagrams().map((payload, i) => linuxSll2({
        packetType: i % 3 === 0 ? SllPacketType.Outgoing : SllPacketType.Host, interfaceIndex: 7,
        arphrdType: ArphrdType.Ppp, payload,
      }));
      expectRows(tshark(pcapOf(276, frames)), SESSION_EXPECTED.map((row, i) => ({
        ...row, "sll.pkttype": i % 3 === 0 ? "4" : "0", "sll.ifindex": "7",
      })));
    });

    it("0 NULL in either host byte order, and 108 LOOP", () => {
      const datagrams = sessionDatagrams();
      const little = datagrams.map((payload) => nullLink({ payload }));
      const big = datagrams.map((payload) => nullLink({ payload, bigEndian: true }));
      const withFamily = SESSION_EXPECTED.map((row) => ({ ...row, "null.family": "2" }));
      expectRows(tshark(pcapOf(0, little)), withFamily);
      expectRows(tshark(pcapOf(0, big)), withFamily);
      expectRows(tshark(pcapOf(108, datagrams.map((payload) => loopLink({ payload })))), withFamily);
    });

    it("101 raw IP (v4 and v6) and 228 raw IPv4", () => {
      const v6 = ipv6({ src: "2001:db8::1", dst: "2001:db8::2",
        payload: tcp({ srcPort: 49153, dstPort: 1723, flags: TcpFlag.SYN }) });
      expectRows(tshark(pcapOf(101, [...sessionDatagrams(), v6])), [
        ...SESSION_EXPECTED,
        { "ipv6.src": "2001:db8::1", "tcp.checksum.status": "1", "tcp.srcport": "49153" },
      ]);
      expectRows(tshark(pcapOf(228, sessionDatagrams())), SESSION_EXPECTED);
    });

    it("229 raw IPv6 with extension headers and fragments", () => {
      const routed = ipv6({
        src: "2001:db8::1", dst: "2001:db8::2",
        extensionHeaders: [
          { type: "hop-by-hop" },
          { type: "routing", segmentsLeft: 1, addresses: ["2001:db8::99"] },
          { type: "destination", options: hex("1e 02 abcd") },
        ],
        payload: tcp({ srcPort: 49154, dstPort: 1723, flags: TcpFlag.SYN }),
      });
      const fragments = ipv6Fragments({
        src: "2001:db8::1", dst: "2001:db8::2", extensionHeaders: [{ type: "hop-by-hop" }, { type: "destination" }],
        payload: tcp({ srcPort: 49155, dstPort: 1723, payload: Buffer.alloc(300, 0x62) }),
      }, 128, 0x01020304);
      expect(fragments).toHaveLength(3);
      const greV6 = ipv6({ src: "2001:db8::2", dst: "2001:db8::1",
        payload: enhancedGre({ callId: CLIENT_CALL_ID, sequence: 5, payload: ppp({ protocol: PppProtocol.LCP,
          payload: LCP_CONFIGURE_REQUEST }) }) });
      expectRows(tshark(pcapOf(229, [routed, ...fragments, greV6])), [
        { "ipv6.src": "2001:db8::1", "tcp.srcport": "49154", "tcp.checksum.status": "1" },
        { "ipv6.src": "2001:db8::1", "tcp.srcport": "" },
        { "ipv6.src": "2001:db8::1", "tcp.srcport": "" },
        { "ipv6.src": "2001:db8::1", "tcp.srcport": "49155", "tcp.checksum.status": "1" }, // reassembled here
        { "ipv6.src": "2001:db8::2", "gre.key.call_id": String(CLIENT_CALL_ID), "ppp.protocol": "0xc021" },
      ]);
    });

    it("9 PPP with and without address/control and with a compressed protocol field", () => {
      const [syn] = sessionDatagrams();
      const frames = [
        ppp({ protocol: PppProtocol.LCP, payload: LCP_CONFIGURE_REQUEST }),
        ppp({ protocol: PppProtocol.IPv4, payload: syn, addressControl: false }),
        ppp({ protocol: PppProtocol.IPv4, payload: syn, addressControl: false, compressProtocol: true }),
      ];
      expectRows(tshark(pcapOf(9, frames)), [
        { "ppp.protocol": "0xc021", "frame.protocols": "ppp:lcp", "_ws.malformed": "" },
        { "ppp.protocol": "0x0021", "ip.src": CLIENT, "tcp.checksum.status": "1" },
        { "ppp.protocol": "0x0021", "ip.src": CLIENT, "tcp.checksum.status": "1" },
      ]);
    });

    it("50 PPP in HDLC-like framing", () => {
      const frames = [
        ppp({ protocol: PppProtocol.LCP, payload: LCP_CONFIGURE_REQUEST }),
        ppp({ protocol: PppProtocol.IPv4, payload: sessionDatagrams()[1] }),
      ];
      expectRows(tshark(pcapOf(50, frames)), [
        { "ppp.protocol": "0xc021", "frame.protocols": "ppp:lcp", "_ws.malformed": "" },
        { "ppp.protocol": "0x0021", "ip.src": SERVER, "tcp.checksum.status": "1" },
      ]);
    });

    it("51 PPPoE without an Ethernet header", () => {
      const frames = [PppProtocol.LCP, PppProtocol.IPv4].map((protocol) => pppoeSession({
        sessionId: 0xbeef,
        payload: ppp({ protocol, payload: protocol === PppProtocol.LCP ? LCP_CONFIGURE_REQUEST : sessionDatagrams()[0],
          addressControl: false }),
      }));
      expectRows(tshark(pcapOf(51, frames)), [
        { "pppoe.session_id": "0xbeef", "ppp.protocol": "0xc021", "frame.protocols": "pppoes:ppp:lcp" },
        { "pppoe.session_id": "0xbeef", "ppp.protocol": "0x0021", "ip.src": CLIENT, "tcp.checksum.status": "1" },
      ]);
    });

    it("204 PPP with direction", () => {
      const frames = [
        pppWithDirection(PppDirection.Sent, ppp({ protocol: PppProtocol.LCP, payload: LCP_CONFIGURE_REQUEST })),
        pppWithDirection(PppDirection.Received, ppp({ protocol: PppProtocol.IPv4, payload: sessionDatagrams()[1] })),
      ];
      // tshark prints Wireshark's own direction codes: 0 = Sent, 1 = Received
      expectRows(tshark(pcapOf(204, frames)), [
        { "ppp.direction": "0", "ppp.protocol": "0xc021", "_ws.malformed": "" },
        { "ppp.direction": "1", "ppp.protocol": "0x0021", "ip.src": SERVER, "tcp.checksum.status": "1" },
      ]);
    });
  });
});
