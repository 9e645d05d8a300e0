import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { captureLayout, packetUnits } from "../../src/fuzz/capture-layout.js";
import { buildCapture, generatedCapture, type Framing, type GeneratedCapture, type SessionScript } from "../../src/fuzz/generate.js";
import { configurePacket, lcpOption } from "../../src/synth/ppp-control.js";
import { hasTshark } from "../helpers.js";

const session: SessionScript = {
  client: "192.0.2.10",
  server: "198.51.100.1",
  clientPort: 49152,
  clientCallId: 0x1c2a,
  serverCallId: 0x8001,
  clientIsn: 1000,
  serverIsn: 5000,
  startMillis: 1500,
  stepMicros: 200,
  steps: [
    { op: "connect" },
    { op: "control", from: "client", message: { type: 1, fields: { hostName: "host\u001b[31m" } } },
    { op: "control", from: "client", message: { type: 7, fields: { callId: "client-call-id" } } },
    { op: "ppp", from: "client", protocol: 0xc021, information: configurePacket(1, 1, [lcpOption.mru(1400)]), addressControl: true },
    { op: "data", from: "client", size: 100, seed: 1, fate: "lost-before-capture" },
    { op: "data", from: "server", size: 100, seed: 2, fate: "delivered" },
  ],
};

function capture(framing: Framing, effects: GeneratedCapture["effects"] = []): Buffer {
  return buildCapture({ container: { format: "pcap", bigEndian: false, nanosecond: false }, framing, sessions: [session], effects });
}

/** Packet bytes of each record. */
function packets(bytes: Buffer): Buffer[] {
  return packetUnits(captureLayout(bytes)!).map((u) => bytes.subarray(u.dataOffset, u.dataOffset + u.dataLength));
}

describe("buildCapture", () => {
  it("plays a script step by step: 3 handshake segments, 2 messages, LCP, and only the delivered data frame", () => {
    const frames = packets(capture("ethernet"));
    expect(frames).toHaveLength(7);
    // Ethernet type IPv4 (offset 12), IPv4 protocol (14 + 9), TCP flags (14 + 20 + 13): SYN, SYN-ACK, ACK.
    expect(frames.slice(0, 3).map((f) => [f.readUInt16BE(12), f[23], f[47]])).toEqual([
      [0x0800, 6, 0x02],
      [0x0800, 6, 0x12],
      [0x0800, 6, 0x10],
    ]);
    // PPTP after a 20-byte TCP header (offset 54): length, magic cookie, control type (RFC 2637 §1.4).
    expect([frames[3].readUInt16BE(54), frames[3].readUInt32BE(58), frames[3].readUInt16BE(62)]).toEqual([156, 0x1a2b3c4d, 1]);
    expect(frames[3].subarray(54 + 28, 54 + 37).toString("latin1")).toBe("host\u001b[31m"); // SCCRQ host name at offset 28
    expect(frames[4].readUInt16BE(54 + 12)).toBe(0x1c2a); // OCRQ call ID: the session's own
    // GRE (IP protocol 47) towards the server carries the server's call ID (RFC 2637 §4.1); a sequence
    // number and no acknowledgment (nothing received yet) make a 12-byte header, then FF 03 C0 21.
    expect([frames[5][23], frames[5].readUInt16BE(34 + 6), frames[5].readUInt16BE(34), frames[5].readUInt32BE(34 + 12)]).toEqual([47, 0x8001, 0x3001, 0xff03c021]);
    expect([frames[6][23], frames[6].readUInt16BE(34 + 6)]).toEqual([47, 0x1c2a]);
  });

  it("starts at the script's time and spaces frames by its step", () => {
    const bytes = capture("ethernet");
    const units = packetUnits(captureLayout(bytes)!);
    expect([bytes.readUInt32LE(units[0].offset), bytes.readUInt32LE(units[0].offset + 4)]).toEqual([1709283601, 500000]);
    expect(bytes.readUInt32LE(units[1].offset + 4)).toBe(500200);
  });

  it("applies record effects after merging by time", () => {
    expect(packets(capture("ethernet", [{ op: "drop", at: 0, to: 0 }]))).toHaveLength(6);
    const duplicated = packets(capture("ethernet", [{ op: "duplicate", at: 9, to: 0 }])); // 9 mod 7 = record 2
    expect(duplicated).toHaveLength(8);
    expect(duplicated[3].equals(duplicated[2])).toBe(true);
  });

  it("frames the datagrams for the link: PPP with direction, PPPoE, a VLAN tag", () => {
    const withDirection = capture("ppp-with-dir");
    expect(withDirection.readUInt32LE(20)).toBe(204);
    // direction 1 = sent by the capturing client, then FF 03 and PPP protocol 0x0021 (IPv4)
    expect(packets(withDirection).slice(0, 2).map((f) => f.subarray(0, 5).toString("hex"))).toEqual(["01ff030021", "00ff030021"]);
    const pppoe = packets(capture("pppoe"))[0];
    expect([pppoe.readUInt16BE(12), pppoe[14], pppoe.readUInt16BE(20)]).toEqual([0x8864, 0x11, 0x0021]);
    const vlan = packets(capture("vlan"))[0];
    expect([vlan.readUInt16BE(12), vlan.readUInt16BE(14) & 0x0fff, vlan.readUInt16BE(16)]).toEqual([0x8100, 10, 0x0800]);
  });
});

describe("generatedCapture", () => {
  const LINK_TYPES: Record<Framing, number> = { ethernet: 1, vlan: 1, pppoe: 1, "linux-sll": 113, raw: 101, "ppp-with-dir": 204 };

  it("always gives a capture whose records fill the file, with the framing's link type", () => {
    fc.assert(
      fc.property(generatedCapture, (g) => {
        const bytes = buildCapture(g);
        const layout = captureLayout(bytes)!;
        expect(layout.format).toBe(g.container.format);
        expect(layout.tailOffset).toBe(bytes.length);
        const linkType = g.container.format === "pcap" ? bytes.readUInt32LE(20) : layout.units[1].littleEndian ? bytes.readUInt16LE(36) : bytes.readUInt16BE(36);
        expect(g.container.format === "pcap" && g.container.bigEndian ? bytes.readUInt32BE(20) : linkType).toBe(LINK_TYPES[g.framing]);
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it.skipIf(!hasTshark)("gives captures tshark reads without complaint, frame for frame", () => {
    const scratch = mkdtempSync(join(tmpdir(), "pptp-analyze-generate-"));
    for (const [i, g] of fc.sample(generatedCapture, { numRuns: 12, seed: 3 }).entries()) {
      const bytes = buildCapture(g);
      const path = join(scratch, `g${i}.${g.container.format}`);
      writeFileSync(path, bytes);
      const result = spawnSync("tshark", ["-r", path, "-T", "fields", "-e", "frame.number"], { encoding: "utf8" });
      // tshark warns about running as root; any other line would be a complaint about the file.
      expect(result.stderr.split("\n").filter((line) => line !== "" && !line.startsWith("Running as user"))).toEqual([]);
      expect(result.status).toBe(0);
      expect(result.stdout.split("\n").filter(Boolean)).toHaveLength(packetUnits(captureLayout(bytes)!).length);
    }
  });
});
if (!hasTshark) console.log("generate.test.ts: tshark not installed, the tshark reading of generated captures is skipped");
