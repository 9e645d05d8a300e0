import { describe, expect, it } from "vitest";
import { captureLayout } from "../../src/fuzz/capture-layout.js";
import { MUTATORS, caseSeed, mutateCapture } from "../../src/fuzz/mutate.js";
import { LinkType } from "../../src/decode/linktypes.js";
import { SeededRandom } from "../../src/synth/random.js";
import { writePcap } from "../../src/synth/pcap-writer.js";
import { writePcapng } from "../../src/synth/pcapng-writer.js";

const records = [0x11, 0x22, 0x33, 0x44].map((b, i) => ({ tsSec: 1000 + i, tsNsec: 0, data: Buffer.alloc(20 + i, b) }));
const pcap = writePcap(records, { linkType: LinkType.ETHERNET });
/** Two Simple Packet Blocks, then two Enhanced Packet Blocks. */
const pcapng = writePcapng([
  { interfaces: [{ linkType: LinkType.RAW, tsresol: 9 }], records: [...records.slice(0, 2).map((r) => ({ ...r, block: "spb" as const })), ...records.slice(2)] },
]);

function mutator(name: string) {
  const found = MUTATORS.find((m) => m.name === name);
  if (!found) throw new Error(`no mutator ${name}`);
  return (bytes: Buffer, seed = 1) => found.apply(bytes, captureLayout(bytes), new SeededRandom(seed), [pcap, pcapng]);
}

/** Packet bytes of every record, in file order. */
function packets(bytes: Buffer): string[] {
  return captureLayout(bytes)!.units.filter((u) => u.dataOffset >= 0).map((u) => bytes.subarray(u.dataOffset, u.dataOffset + u.dataLength).toString("hex"));
}

describe("mutators", () => {
  it("never change their input, and a seed gives the same mutation every time", () => {
    const before = Buffer.from(pcap);
    for (let index = 0; index < 50; index++) {
      const a = mutateCapture(pcap, new SeededRandom(caseSeed(9, index)), [pcapng]);
      const b = mutateCapture(pcap, new SeededRandom(caseSeed(9, index)), [pcapng]);
      expect(a.bytes.equals(b.bytes)).toBe(true);
      expect(a.applied).toEqual(b.applied);
      expect(a.applied.length).toBeGreaterThan(0);
    }
    expect(pcap.equals(before)).toBe(true);
    expect(new Set(Array.from({ length: 100 }, (_, i) => caseSeed(9, i))).size).toBe(100);
  });

  it("drop-record, duplicate-record and reorder-records move whole records", () => {
    const original = packets(pcap);
    const dropped = packets(mutator("drop-record")(pcap)!.bytes);
    expect(dropped.length).toBe(original.length - 1);
    expect(original.filter((p) => !dropped.includes(p))).toHaveLength(1);
    const duplicated = packets(mutator("duplicate-record")(pcap, 3)!.bytes);
    expect(duplicated.length).toBe(original.length + 1);
    expect(new Set(duplicated)).toEqual(new Set(original));
    const reordered = packets(mutator("reorder-records")(pcap, 5)!.bytes);
    expect([...reordered].sort()).toEqual([...original].sort());
    expect(reordered).not.toEqual(original);
  });

  it("resize-packet keeps the framing whole: every byte of the file is in a record or block", () => {
    for (const capture of [pcap, pcapng]) {
      for (let seed = 1; seed <= 20; seed++) {
        const resized = mutator("resize-packet")(capture, seed)!.bytes;
        const layout = captureLayout(resized)!;
        expect(layout.tailOffset).toBe(resized.length);
        expect(layout.units.length).toBe(captureLayout(capture)!.units.length);
        const total = (b: Buffer) => packets(b).join("").length / 2;
        expect(total(resized)).not.toBe(total(capture));
      }
    }
  });

  it("capture-field and packet-field change one field of at most four adjacent bytes", () => {
    for (let seed = 1; seed <= 30; seed++) {
      for (const name of ["capture-field", "packet-field"]) {
        const result = mutator(name)(pcap, seed);
        if (result === null) continue; // packet-field: these records are no real packets
        const changed = [...result.bytes.keys()].filter((i) => result.bytes[i] !== pcap[i]);
        if (changed.length > 0) expect(changed[changed.length - 1] - changed[0]).toBeLessThan(4);
        expect(result.bytes.length).toBe(pcap.length);
      }
    }
  });

  it("link-type puts a link type the decoder knows into the header", () => {
    const known = new Set<number>(Object.values(LinkType));
    for (let seed = 1; seed <= 10; seed++) {
      const mutated = mutator("link-type")(pcap, seed)!.bytes;
      expect(known.has(mutated.readUInt32LE(20))).toBe(true);
    }
  });

  it("truncate cuts the file short", () => {
    const cut = mutator("truncate")(pcap)!.bytes;
    expect(cut.length).toBeLessThan(pcap.length);
    expect(pcap.subarray(0, cut.length).equals(cut)).toBe(true);
  });

  it("every mutator copes with an empty file and with bytes that are no capture", () => {
    for (const m of MUTATORS) {
      for (const bytes of [Buffer.alloc(0), Buffer.from("not a capture at all")]) {
        const result = m.apply(bytes, captureLayout(bytes), new SeededRandom(1), [pcap]);
        if (result !== null) expect(Buffer.isBuffer(result.bytes)).toBe(true);
      }
    }
  });
});
