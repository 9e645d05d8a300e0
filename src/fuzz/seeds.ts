/**
 * The captures the mutation fuzzer starts from: every fixture of the synthesizer, built in
 * memory, and the same packets rewritten in the other containers (pcap big-endian or with
 * nanoseconds; pcapng in either byte order, with other timestamp resolutions, Simple and
 * obsolete Packet Blocks, extra blocks and a second section), so that mutations meet every
 * reader path and not only the one the fixture happens to use.
 */
import { FIXTURES } from "../synth/fixtures.js";
import { writePcap, type SynthRecord } from "../synth/pcap-writer.js";
import { writePcapng, type PcapngBlockKind, type PcapngRecord } from "../synth/pcapng-writer.js";
import { BlockType } from "../capture/pcapng.js";
import type { SeededRandom } from "../synth/random.js";
import { captureLayout } from "./capture-layout.js";
import { chance, pick } from "./choose.js";

export interface SeedCapture {
  /** Fixture name, with the container variant when rewritten. */
  name: string;
  bytes: Buffer;
}

/** if_tsresol values to rewrite with: none (µs), ns, ms, whole seconds, 2^-20 s. */
const TSRESOLS: ReadonlyArray<number | undefined> = [undefined, 9, 3, 0, 0x80 | 20];
const NS_PER_US = 1000;
/** Blocks a reader must step over, put between the packets now and then. */
const EXTRA_BLOCKS: readonly number[] = [BlockType.NameResolution, BlockType.InterfaceStatistics, BlockType.Custom];
const PCAP_NANOSECOND_MAGIC_BE = 0xa1b23c4d;

/** Every fixture as `npm run fixtures` writes it. */
export function fixtureSeeds(): SeedCapture[] {
  return FIXTURES.map((fixture) => ({ name: fixture.name, bytes: fixture.bytes() }));
}

/** The packets of a pcap file with its link type, or undefined for anything else. */
function pcapRecords(bytes: Buffer): { linkType: number; records: SynthRecord[] } | undefined {
  const layout = captureLayout(bytes);
  if (!layout || layout.format !== "pcap" || layout.units.length === 0) return undefined;
  const header = layout.units[0];
  const le = header.littleEndian;
  const read32 = (offset: number) => (le ? bytes.readUInt32LE(offset) : bytes.readUInt32BE(offset));
  const nanoseconds = bytes.readUInt32BE(0) === PCAP_NANOSECOND_MAGIC_BE || bytes.readUInt32LE(0) === PCAP_NANOSECOND_MAGIC_BE;
  const records = layout.units.slice(1).map((unit) => ({
    tsSec: read32(unit.offset),
    tsNsec: read32(unit.offset + 4) * (nanoseconds ? 1 : NS_PER_US),
    data: bytes.subarray(unit.dataOffset, unit.dataOffset + unit.dataLength),
    origLen: read32(unit.offset + 12),
  }));
  return { linkType: read32(20) & 0xffff, records };
}

/** The seed itself, or (half the time, for pcap seeds) its packets in another container. */
export function rewrapped(seed: SeedCapture, random: SeededRandom): SeedCapture {
  const parsed = chance(random, 0.5) ? pcapRecords(seed.bytes) : undefined;
  if (!parsed) return seed;
  const { linkType, records } = parsed;
  if (chance(random, 0.3)) {
    const bigEndian = chance(random, 0.5);
    const nanosecond = chance(random, 0.5);
    const name = `${seed.name} as pcap${bigEndian ? " big-endian" : ""}${nanosecond ? " ns" : ""}`;
    return { name, bytes: writePcap(records, { linkType, bigEndian, nanosecond }) };
  }
  const bigEndian = chance(random, 0.5);
  const tsresol = pick(random, TSRESOLS);
  const twoSections = records.length > 1 && chance(random, 0.2);
  const split = twoSections ? 1 + random.below(records.length - 1) : records.length;
  const asBlocks = (list: SynthRecord[]): PcapngRecord[] => {
    const out: PcapngRecord[] = [];
    for (const record of list) {
      const block: PcapngBlockKind = chance(random, 0.1) ? pick(random, ["spb", "pb"] as const) : "epb";
      out.push({ ...record, block });
      if (chance(random, 0.02)) out.push({ rawBlock: { type: pick(random, EXTRA_BLOCKS), body: random.bytes(random.below(40)) } });
    }
    return out;
  };
  const interfaces = [{ linkType, tsresol }];
  const sections = [{ bigEndian, interfaces, records: asBlocks(records.slice(0, split)) }];
  if (twoSections) sections.push({ bigEndian: !bigEndian, interfaces, records: asBlocks(records.slice(split)) });
  return {
    name: `${seed.name} as pcapng${bigEndian ? " big-endian" : ""} tsresol ${tsresol ?? "default"}${twoSections ? ", two sections" : ""}`,
    bytes: writePcapng(sections),
  };
}
