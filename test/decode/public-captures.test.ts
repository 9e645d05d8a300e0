/**
 * The decoder over real captures from public repositories (/work/shared/captures/public,
 * described in its MANIFEST.md). The expected values are the manifest's facts, which come
 * from tshark, and, where tshark is installed, tshark's decode of every frame.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readCaptureSet } from "../../src/capture/capture-set.js";
import { destinationAddress, sourceAddress } from "../../src/decode/address.js";
import { Decoder } from "../../src/decode/decoder.js";
import { DecodeError, PacketKind } from "../../src/decode/packet.js";
import { hasTshark } from "../synth/helpers.js";
import { PUBLIC_CAPTURES } from "../helpers.js";

const DIR = PUBLIC_CAPTURES;
const hasCaptures = existsSync(DIR);
if (!hasCaptures) console.log(`public capture tests skipped: ${DIR} is absent`);
if (hasCaptures && !hasTshark) console.log("tshark comparison skipped: tshark is not on PATH");

/** What the tests look at, copied out of the reused Packet. */
interface Decoded {
  frameNo: number;
  kind: number;
  error: number;
  errorLayer: string;
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  vlanId: number;
  pppoeSession: number;
  pppoeCode: number;
  linkPpp: boolean;
  ipTunnelDepth: number;
  greVersion: number;
  greFlags: number;
  greProtocol: number;
  greCallId: number;
  pppProtocol: number;
}

async function decodeFile(name: string): Promise<Decoded[]> {
  const decoder = new Decoder();
  const frames: Decoded[] = [];
  await readCaptureSet([DIR + name], (frame) => {
    const kind = decoder.decode(frame);
    const p = decoder.packet;
    frames.push({
      frameNo: frame.frameNo,
      kind,
      error: p.error,
      errorLayer: p.errorLayer,
      src: sourceAddress(p),
      dst: destinationAddress(p),
      srcPort: p.srcPort,
      dstPort: p.dstPort,
      vlanId: p.vlanId,
      pppoeSession: p.pppoeSession,
      pppoeCode: p.pppoeCode,
      linkPpp: p.linkPpp,
      ipTunnelDepth: p.ipTunnelDepth,
      greVersion: p.greVersion,
      greFlags: p.greFlags,
      greProtocol: p.greProtocol,
      greCallId: p.greCallId,
      pppProtocol: p.pppProtocol,
    });
  });
  return frames;
}

const byNumber = (frames: Decoded[], frameNo: number): Decoded => frames[frameNo - 1];
const count = (frames: Decoded[], test: (d: Decoded) => boolean): number => frames.filter(test).length;

describe.skipIf(!hasCaptures)("public captures: facts from the manifest", () => {
  it("ndpi-pptp.pcap: all 24 frames are the control connection 192.168.43.22:41366 -> 191.101.61.1:1723", async () => {
    const frames = await decodeFile("ndpi-pptp.pcap");
    expect(frames.length).toBe(24);
    for (const d of frames) {
      expect(d.kind, `frame ${d.frameNo}`).toBe(PacketKind.PptpTcp);
      expect([d.srcPort, d.dstPort].sort((a, b) => a - b)).toEqual([1723, 41366]);
      expect([d.src, d.dst].sort()).toEqual(["191.101.61.1", "192.168.43.22"]);
    }
  });

  it("john-pptp-mschapv2-lulu.pcap: GRE call IDs 2932 (27 from the server) and 256 (42 from the client)", async () => {
    const frames = await decodeFile("john-pptp-mschapv2-lulu.pcap");
    const gre = frames.filter((d) => d.kind === PacketKind.Gre);
    expect(gre.every((d) => d.greVersion === 1 && d.greProtocol === 0x880b)).toBe(true);
    expect(count(gre, (d) => d.greCallId === 2932 && d.src === "192.168.2.2" && d.dst === "192.168.2.5")).toBe(27);
    expect(count(gre, (d) => d.greCallId === 256 && d.src === "192.168.2.5" && d.dst === "192.168.2.2")).toBe(42);
    expect(gre.length).toBe(69);
    const sccrq = byNumber(frames, 10);
    expect(sccrq.kind).toBe(PacketKind.PptpTcp);
    expect(sccrq.srcPort).toBe(1055);
    expect(sccrq.dstPort).toBe(1723);
    // f15 LCP Configure-Request, f28 CHAP Challenge, f38 IPV6CP, f42 IPCP; 25 compressed data frames.
    expect(byNumber(frames, 15).pppProtocol).toBe(0xc021);
    expect(byNumber(frames, 28).pppProtocol).toBe(0xc223);
    expect(byNumber(frames, 38).pppProtocol).toBe(0x8057);
    expect(byNumber(frames, 42).pppProtocol).toBe(0x8021);
    expect(count(gre, (d) => d.pppProtocol === 0x00fd)).toBe(25);
  });

  it("chapcrack-gre-mschapv2-only.pcap: three GRE frames with CHAP, call IDs 0, 46080, 0", async () => {
    const frames = await decodeFile("chapcrack-gre-mschapv2-only.pcap");
    expect(frames.map((d) => d.kind)).toEqual([PacketKind.Gre, PacketKind.Gre, PacketKind.Gre]);
    expect(frames.map((d) => d.greCallId)).toEqual([0, 46080, 0]);
    expect(frames.map((d) => d.pppProtocol)).toEqual([0xc223, 0xc223, 0xc223]);
    expect(frames[0].src).toBe("198.252.153.26");
  });

  it("zeek-gre-ppp-4in6-vlan.pcap: GRE v1 inside IPv4 inside IPv6 behind VLAN 100", async () => {
    const frames = await decodeFile("zeek-gre-ppp-4in6-vlan.pcap");
    expect(frames.length).toBe(2);
    const [first, second] = frames;
    for (const d of frames) {
      expect(d.kind).toBe(PacketKind.Gre);
      expect(d.vlanId).toBe(100);
      expect(d.ipTunnelDepth).toBe(1);
      expect(d.pppProtocol).toBe(0x0021);
    }
    expect(first.greCallId).toBe(6016);
    expect(first.greFlags).toBe(0x3081);
    expect([first.src, first.dst]).toEqual(["16.0.0.200", "192.52.166.154"]);
    expect(second.greCallId).toBe(17);
    expect(second.greFlags).toBe(0x3001);
    expect([second.src, second.dst]).toEqual(["192.52.166.154", "16.0.0.200"]);
  });

  it("ndpi-gre.pcapng: one orphan GRE v1 packet, call ID 38992, VLAN 142", async () => {
    const [d] = await decodeFile("ndpi-gre.pcapng");
    expect(d.kind).toBe(PacketKind.Gre);
    expect(d.greFlags).toBe(0x3081);
    expect(d.greCallId).toBe(38992);
    expect(d.vlanId).toBe(142);
    expect([d.src, d.dst]).toEqual(["109.105.228.253", "10.177.98.84"]);
  });

  it("zeek-pppoe-dualstack-pap-ipcp.pcap: discovery, then session 0x0011 with LCP, PAP and IPCP", async () => {
    const frames = await decodeFile("zeek-pppoe-dualstack-pap-ipcp.pcap");
    const discovery = frames.filter((d) => d.kind === PacketKind.PppoeDiscovery);
    expect(discovery.map((d) => d.pppoeCode)).toEqual([0x09, 0x07, 0x19, 0x65]); // PADI PADO PADR PADS
    const session = frames.filter((d) => d.kind === PacketKind.PppLink);
    expect(session.every((d) => d.pppoeSession === 0x0011)).toBe(true);
    expect(count(session, (d) => d.pppProtocol === 0xc021)).toBeGreaterThan(0);
    expect(byNumber(frames, 11).pppProtocol).toBe(0xc023); // PAP Authenticate-Request
    expect(byNumber(frames, 13).pppProtocol).toBe(0x8021); // IPCP Configure-Request
    // IPv4 and IPv6 in the session go on into IP over the PPP link.
    expect(count(frames, (d) => d.linkPpp)).toBeGreaterThan(0);
  });

  it("tcpdump-pppoes-lcp-echo.pcap and tcpdump-pppoe-padi.pcap", async () => {
    const echo = await decodeFile("tcpdump-pppoes-lcp-echo.pcap");
    expect(echo.map((d) => [d.kind, d.pppoeSession, d.pppProtocol])).toEqual([
      [PacketKind.PppLink, 0x0017, 0xc021],
      [PacketKind.PppLink, 0x003b, 0xc021],
    ]);
    const [padi] = await decodeFile("tcpdump-pppoe-padi.pcap");
    expect(padi.kind).toBe(PacketKind.PppoeDiscovery);
    expect(padi.pppoeCode).toBe(0x09);
  });

  it("packetlife-ppp-chap-ipcp.pcap (PPP_HDLC): LCP, then CHAP, then IPCP", async () => {
    const frames = await decodeFile("packetlife-ppp-chap-ipcp.pcap");
    expect(frames.slice(0, 12).map((d) => d.pppProtocol)).toEqual([
      ...Array(5).fill(0xc021),
      ...Array(6).fill(0xc223),
      0x8021,
    ]);
    expect(frames.slice(0, 12).every((d) => d.kind === PacketKind.PppLink)).toBe(true);
  });

  it("zeek-gre-v0-sample.pcap: GRE version 0 carrying IPv4, no call IDs", async () => {
    const frames = await decodeFile("zeek-gre-v0-sample.pcap");
    expect(frames.length).toBe(40);
    for (const d of frames) {
      expect(d.kind).toBe(PacketKind.Gre);
      expect(d.greVersion).toBe(0);
      expect(d.greProtocol).toBe(0x0800);
      expect(d.greCallId).toBe(-1);
    }
  });

  it("broken headers are reported with their layer", async () => {
    const [truncated] = await decodeFile("zeek-ipv4-truncated-broken-header.pcap");
    expect([truncated.kind, truncated.errorLayer]).toEqual([PacketKind.Malformed, "ipv4"]);
    const bogus = await decodeFile("tcpdump-gre-heapoverflow-1.pcap");
    // "Bogus IPv4 version (0, must be 4)"
    expect([bogus[1].kind, bogus[1].error, bogus[1].errorLayer]).toEqual([PacketKind.Malformed, DecodeError.BadHeader, "ipv4"]);
  });

  it("every capture decodes without throwing, and the non-PPTP ones give no control traffic or enhanced GRE", async () => {
    const clean = new Set([
      "ndpi-dns.pcap", "ndpi-dlt_ppp.pcap", "ndpi-4in4tunnel.pcap", "ndpi-http.pcapng", "ndpi-openvpn.pcap",
      "ndpi-ipsec_isakmp_esp.pcap", "ndpi-badpackets.pcap", "ndpi-malformed_icmp.pcap", "ndpi-fuzz-2006-06-26-2594.pcap",
      "ndpi-fuzz-2006-09-29-28586.pcap", "ndpi-fuzz-2020-02-16-11740.pcap", "ndpi-fuzz-2021-06-07-c6c72a0a56.pcap",
      "ndpi-fuzz-2021-10-13.pcap", "packetlife-http.pcap", "tcpdump-sll-tcp-handshake-nano.pcap",
      "zeek-sll2-arp-icmp.pcap", "zeek-dlt-ppp-quic.pcap", "zeek-pppoe-over-qinq.pcap",
    ]);
    const kinds = new Set<number>(Object.values(PacketKind));
    for (const name of readdirSync(DIR).filter((n) => /\.pcap(ng)?$/.test(n))) {
      const frames = await decodeFile(name);
      expect(frames.every((d) => kinds.has(d.kind)), name).toBe(true);
      if (clean.has(name)) {
        expect(count(frames, (d) => d.kind === PacketKind.PptpTcp || (d.kind === PacketKind.Gre && d.greVersion === 1)), name).toBe(0);
      }
    }
  });
});

/** Per frame: tshark's GRE call ID, TCP ports and PPP protocols (outermost first). */
interface TsharkFrame {
  callId: string;
  srcPort: string;
  dstPort: string;
  pppProtocols: number[];
}

function tsharkFrames(name: string): Map<number, TsharkFrame> {
  const result = spawnSync(
    "tshark",
    ["-r", DIR + name, "-T", "fields", "-e", "frame.number", "-e", "gre.key.call_id", "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", "ppp.protocol"],
    { encoding: "utf8" },
  );
  const frames = new Map<number, TsharkFrame>();
  for (const line of result.stdout.split("\n")) {
    if (line === "") continue;
    const [frameNo, callId, srcPort, dstPort, ppp] = line.split("\t");
    frames.set(Number(frameNo), {
      callId: callId.split(",")[0],
      srcPort: srcPort.split(",")[0],
      dstPort: dstPort.split(",")[0],
      pppProtocols: ppp === "" ? [] : ppp.split(",").map(Number),
    });
  }
  return frames;
}

const COMPARED = [
  "ndpi-pptp.pcap",
  "john-pptp-mschapv2-lulu.pcap",
  "john-pptp-mschapv2-solar.pcap",
  "netwiz-pptp-negotiation-pap.pcap",
  "tcpdump-pptp.pcap",
  "chapcrack-gre-mschapv2-only.pcap",
  "zeek-gre-ppp-4in6-vlan.pcap",
  "ndpi-gre.pcapng",
  "zeek-pppoe-dualstack-pap-ipcp.pcap",
  "zeek-pppoe-over-qinq.pcap",
  "packetlife-ppp-chap-ipcp.pcap",
  "packetlife-ppp-eap-ipcp.pcap",
  "zeek-dlt-ppp-quic.pcap",
  "tcpdump-pppoes-lcp-echo.pcap",
  "zeek-gre-v0-sample.pcap",
];

describe.skipIf(!hasCaptures || !hasTshark)("public captures: frame by frame against tshark", () => {
  for (const name of COMPARED) {
    it(name, async () => {
      const ours = await decodeFile(name);
      const theirs = tsharkFrames(name);
      expect(ours.length).toBe(theirs.size);
      for (const d of ours) {
        const t = theirs.get(d.frameNo) as TsharkFrame;
        const at = `${name} frame ${d.frameNo}`;
        // Enhanced GRE: the same call ID (tshark names gre.key.call_id only for version 1).
        expect(d.kind === PacketKind.Gre && d.greVersion === 1 ? String(d.greCallId) : "", at).toBe(t.callId);
        // Control traffic: TCP with 1723 on either side.
        expect(d.kind === PacketKind.PptpTcp, at).toBe(t.srcPort === "1723" || t.dstPort === "1723");
        if (d.kind === PacketKind.PptpTcp) expect([String(d.srcPort), String(d.dstPort)], at).toEqual([t.srcPort, t.dstPort]);
        // PPP protocols: IP on a PPP link first (the link's), then what GRE carries.
        const expected = [...t.pppProtocols];
        if (d.linkPpp) expect([0x0021, 0x0057], at).toContain(expected.shift());
        expect(d.pppProtocol, at).toBe(expected.length > 0 ? expected[0] : -1);
      }
    });
  }
});
