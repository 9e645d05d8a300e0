/**
 * Mutation of real captures the way Wireshark's fuzz tests use `editcap -E`, made
 * structure-aware where that is cheap: besides flipping bits and bytes anywhere (file
 * header, section and interface blocks included), mutators aim at the framing fields of
 * records and blocks, at the length and type fields inside packets, and move whole records
 * around (duplicate, drop, reorder, splice from another capture, resize with the framing
 * kept consistent so that the damage reaches the decoders).
 *
 * A mutator takes a copy and returns the mutated bytes with a short description, or null
 * when the capture offers it nothing to aim at. Everything comes from one SeededRandom,
 * so a case is reproducible from the seed and its number.
 */
import { gzipSync } from "node:zlib";
import { LinkType } from "../decode/linktypes.js";
import { SeededRandom } from "../synth/random.js";
import { captureLayout, packetUnits, readField, writeField, type CaptureLayout, type CaptureUnit, type FieldRef } from "./capture-layout.js";
import { chance, geometric, interestingValue, pick } from "./choose.js";
import { packetFields } from "./packet-fields.js";

export interface Mutated {
  bytes: Buffer;
  detail: string;
}

interface Mutator {
  name: string;
  /** Relative frequency. */
  weight: number;
  apply(bytes: Buffer, layout: CaptureLayout | undefined, random: SeededRandom, corpus: readonly Buffer[]): Mutated | null;
}

/** Every link type the decoder knows, as replacement link types: frames then read as another link layer. */
const LINK_TYPES: readonly number[] = Object.values(LinkType);
/** Values a damaged byte tends to take. */
const BYTE_VALUES: readonly number[] = [0x00, 0xff, 0x7f, 0x80, 0x01];
/** Per-byte error probabilities for the editcap -E mutator. */
const EDITCAP_ERROR_RATES: readonly number[] = [0.002, 0.01, 0.05];
/** Bytes at the start of a unit that count as its header when aiming bit flips. */
const HEADER_AIM_BYTES = 32;
/** Most bytes a resize inserts or removes. */
const MAX_RESIZE_BYTES = 64;
/** Mutations stacked on one case at most. */
const MAX_STACKED_MUTATIONS = 4;
/** Share of cases whose mutated capture is then gzip-compressed (and maybe damaged after compression). */
const GZIP_SHARE = 0.04;

function copy(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes);
}

/** A position, half the time inside the first bytes of some unit (its header fields). */
function aimedPosition(bytes: Buffer, layout: CaptureLayout | undefined, random: SeededRandom): number {
  if (layout && layout.units.length > 0 && chance(random, 0.5)) {
    const unit = pick(random, layout.units);
    return unit.offset + random.below(Math.min(unit.length, HEADER_AIM_BYTES));
  }
  return random.below(bytes.length);
}

function setField(bytes: Buffer, ref: FieldRef, value: number): string {
  const before = readField(bytes, ref);
  writeField(bytes, ref, value);
  return `${ref.name} ${before} -> ${value}`;
}

/** The bytes with units rearranged: `order` lists unit indexes (or buffers to insert); the file's tail follows. */
function rebuild(bytes: Buffer, layout: CaptureLayout, order: ReadonlyArray<number | Uint8Array>): Buffer {
  const parts: Uint8Array[] = [];
  const first = layout.units[0]?.offset ?? layout.tailOffset;
  parts.push(bytes.subarray(0, first));
  for (const item of order) {
    if (typeof item === "number") {
      const unit = layout.units[item];
      parts.push(bytes.subarray(unit.offset, unit.offset + unit.length));
    } else parts.push(item);
  }
  parts.push(bytes.subarray(layout.tailOffset));
  return Buffer.concat(parts);
}

function indexes(layout: CaptureLayout): number[] {
  return layout.units.map((_, i) => i);
}

/** A packet unit whose packet is resized by `delta` bytes at `at` (inside the data), framing fields updated. */
function resizedUnit(bytes: Buffer, unit: CaptureUnit, at: number, delta: number, random: SeededRandom): Buffer {
  const data = bytes.subarray(unit.dataOffset, unit.dataOffset + unit.dataLength);
  const newData =
    delta > 0 ? Buffer.concat([data.subarray(0, at), random.bytes(delta), data.subarray(at)]) : Buffer.concat([data.subarray(0, at), data.subarray(at - delta)]);
  const le = unit.littleEndian;
  const put32 = (buf: Buffer, value: number, offset: number) => (le ? buf.writeUInt32LE(value >>> 0, offset) : buf.writeUInt32BE(value >>> 0, offset));
  const get32 = (offset: number) => (le ? bytes.readUInt32LE(offset) : bytes.readUInt32BE(offset));
  const headerLength = unit.dataOffset - unit.offset;
  const header = Buffer.from(bytes.subarray(unit.offset, unit.dataOffset));
  if (unit.kind === "pcap-record") {
    put32(header, newData.length, 8);
    put32(header, Math.max(0, get32(unit.offset + 12) + delta), 12);
    return Buffer.concat([header, newData]);
  }
  // pcapng: data padded to 32 bits, then the block's options, then the trailing length.
  const padded = (n: number) => (n + 3) & ~3;
  const optionsStart = Math.min(unit.dataOffset + padded(unit.dataLength), unit.offset + unit.length - 4);
  const options = bytes.subarray(optionsStart, unit.offset + unit.length - 4);
  const total = headerLength + padded(newData.length) + options.length + 4;
  const out = Buffer.alloc(total);
  header.copy(out, 0);
  put32(out, total, 4);
  if (headerLength === 12) put32(out, Math.max(0, get32(unit.offset + 8) + delta), 8); // SPB original length
  else {
    put32(out, newData.length, 20);
    put32(out, Math.max(0, get32(unit.offset + 24) + delta), 24);
  }
  newData.copy(out, headerLength);
  options.copy(out, headerLength + padded(newData.length));
  put32(out, total, total - 4);
  return out;
}

export const MUTATORS: readonly Mutator[] = [
  {
    name: "bit-flip",
    weight: 3,
    apply(bytes, layout, random) {
      if (bytes.length === 0) return null;
      const out = copy(bytes);
      const flips = geometric(random, 8);
      for (let i = 0; i < flips; i++) out[aimedPosition(out, layout, random)] ^= 1 << random.below(8);
      return { bytes: out, detail: `${flips} bit(s)` };
    },
  },
  {
    name: "byte-set",
    weight: 2,
    apply(bytes, layout, random) {
      if (bytes.length === 0) return null;
      const out = copy(bytes);
      const count = geometric(random, 4);
      for (let i = 0; i < count; i++) out[aimedPosition(out, layout, random)] = chance(random, 0.7) ? pick(random, BYTE_VALUES) : random.below(256);
      return { bytes: out, detail: `${count} byte(s)` };
    },
  },
  {
    // editcap -E: every packet byte damaged with a small probability, headers of the file left alone.
    name: "editcap-E",
    weight: 1,
    apply(bytes, layout, random) {
      const units = layout ? packetUnits(layout) : [];
      if (units.length === 0) return null;
      const rate = pick(random, EDITCAP_ERROR_RATES);
      const out = copy(bytes);
      let damaged = 0;
      for (const unit of units) {
        for (let p = unit.dataOffset; p < unit.dataOffset + unit.dataLength; p++) {
          if (!chance(random, rate)) continue;
          out[p] = chance(random, 0.5) ? out[p] ^ (1 << random.below(8)) : random.below(256);
          damaged++;
        }
      }
      return { bytes: out, detail: `-E ${rate}: ${damaged} byte(s)` };
    },
  },
  {
    name: "truncate",
    weight: 2,
    apply(bytes, layout, random) {
      if (bytes.length === 0) return null;
      let cut = random.below(bytes.length);
      if (layout && layout.units.length > 0 && chance(random, 0.5)) {
        cut = Math.max(0, Math.min(bytes.length - 1, pick(random, layout.units).offset + random.below(17) - 8));
      }
      return { bytes: copy(bytes.subarray(0, cut)), detail: `at byte ${cut} of ${bytes.length}` };
    },
  },
  {
    // Framing fields: pcap file header and record headers, pcapng block lengths, SHB, IDB options, EPB fields.
    name: "capture-field",
    weight: 3,
    apply(bytes, layout, random) {
      if (!layout || layout.units.length === 0) return null;
      const headers = layout.units.filter((u) => u.dataOffset < 0);
      const unit = headers.length > 0 && chance(random, 0.3) ? pick(random, headers) : pick(random, layout.units);
      const ref = pick(random, unit.fields);
      const out = copy(bytes);
      return { bytes: out, detail: setField(out, ref, interestingValue(random, ref.size, readField(bytes, ref))) };
    },
  },
  {
    name: "packet-field",
    weight: 5,
    apply(bytes, layout, random) {
      const units = layout ? packetUnits(layout) : [];
      if (units.length === 0) return null;
      const unit = pick(random, units);
      const fields = packetFields(bytes, unit.dataOffset, unit.dataLength, unit.linkType);
      if (fields.length === 0) return null;
      const ref = pick(random, fields);
      const out = copy(bytes);
      return { bytes: out, detail: setField(out, ref, interestingValue(random, ref.size, readField(bytes, ref))) };
    },
  },
  {
    name: "link-type",
    weight: 1,
    apply(bytes, layout, random) {
      const refs = layout ? layout.units.flatMap((u) => u.fields.filter((f) => f.name === "link type")) : [];
      if (refs.length === 0) return null;
      const out = copy(bytes);
      return { bytes: out, detail: setField(out, pick(random, refs), pick(random, LINK_TYPES)) };
    },
  },
  {
    name: "duplicate-record",
    weight: 1,
    apply(bytes, layout, random) {
      if (!layout || layout.units.length === 0) return null;
      const order: number[] = indexes(layout);
      const i = random.below(order.length);
      const to = chance(random, 0.5) ? i + 1 : random.below(order.length + 1);
      order.splice(to, 0, i);
      return { bytes: rebuild(bytes, layout, order), detail: `unit ${i} again at ${to}` };
    },
  },
  {
    name: "drop-record",
    weight: 1,
    apply(bytes, layout, random) {
      if (!layout || layout.units.length === 0) return null;
      const order = indexes(layout);
      const [dropped] = order.splice(random.below(order.length), 1);
      return { bytes: rebuild(bytes, layout, order), detail: `unit ${dropped}` };
    },
  },
  {
    name: "reorder-records",
    weight: 1,
    apply(bytes, layout, random) {
      if (!layout || layout.units.length < 2) return null;
      const order = indexes(layout);
      const i = random.below(order.length - 1);
      const j = chance(random, 0.5) ? i + 1 : i + 1 + random.below(order.length - i - 1);
      [order[i], order[j]] = [order[j], order[i]];
      return { bytes: rebuild(bytes, layout, order), detail: `units ${i} and ${j} swapped` };
    },
  },
  {
    name: "splice-record",
    weight: 1,
    apply(bytes, layout, random, corpus) {
      if (!layout || corpus.length === 0) return null;
      const other = pick(random, corpus);
      const otherLayout = captureLayout(other);
      if (!otherLayout || otherLayout.units.length === 0) return null;
      const unit = pick(random, otherLayout.units);
      const order: Array<number | Uint8Array> = indexes(layout);
      const at = random.below(order.length + 1);
      order.splice(at, 0, other.subarray(unit.offset, unit.offset + unit.length));
      return { bytes: rebuild(bytes, layout, order), detail: `a ${unit.kind} of another capture at ${at}` };
    },
  },
  {
    name: "resize-packet",
    weight: 1,
    apply(bytes, layout, random) {
      const units = layout ? packetUnits(layout).filter((u) => u.kind !== "pcapng-block" || u.length >= u.dataOffset - u.offset + 4) : [];
      if (!layout || units.length === 0) return null;
      const unit = pick(random, units);
      const at = random.below(unit.dataLength + 1);
      const delta = chance(random, 0.5) ? 1 + random.below(MAX_RESIZE_BYTES) : -Math.min(unit.dataLength - at, 1 + random.below(MAX_RESIZE_BYTES));
      if (delta === 0) return null;
      const order: Array<number | Uint8Array> = indexes(layout);
      const index = layout.units.indexOf(unit);
      order[index] = resizedUnit(bytes, unit, at, delta, random);
      return { bytes: rebuild(bytes, layout, order), detail: `unit ${index}: ${delta > 0 ? "+" : ""}${delta} byte(s) at ${at}` };
    },
  },
];

const TOTAL_WEIGHT = MUTATORS.reduce((sum, m) => sum + m.weight, 0);

function chooseMutator(random: SeededRandom): Mutator {
  let r = random.below(TOTAL_WEIGHT);
  for (const mutator of MUTATORS) {
    if (r < mutator.weight) return mutator;
    r -= mutator.weight;
  }
  return MUTATORS[0];
}

/** Tries to find a mutator that applies before giving up on one mutation. */
const MUTATOR_ATTEMPTS = 8;

/** One to four stacked mutations of `base`, each described as "name: detail". */
export function mutateCapture(base: Buffer, random: SeededRandom, corpus: readonly Buffer[]): { bytes: Buffer; applied: string[] } {
  let bytes = base;
  const applied: string[] = [];
  const count = geometric(random, MAX_STACKED_MUTATIONS);
  for (let i = 0; i < count; i++) {
    const layout = captureLayout(bytes);
    for (let attempt = 0; attempt < MUTATOR_ATTEMPTS; attempt++) {
      const mutator = chooseMutator(random);
      const result = mutator.apply(bytes, layout, random, corpus);
      if (result === null) continue;
      bytes = result.bytes;
      applied.push(`${mutator.name}: ${result.detail}`);
      break;
    }
  }
  return { bytes, applied };
}

/** Sometimes gzip the mutated capture, and sometimes damage the compressed stream too. */
export function maybeCompress(bytes: Buffer, random: SeededRandom): { bytes: Buffer; gzip: boolean; applied: string[] } {
  if (!chance(random, GZIP_SHARE)) return { bytes, gzip: false, applied: [] };
  let out = gzipSync(bytes);
  const applied = ["gzip"];
  if (chance(random, 0.5) && out.length > 0) {
    const at = random.below(out.length);
    if (chance(random, 0.5)) {
      out = out.subarray(0, at);
      applied.push(`gzip truncated at ${at}`);
    } else {
      out[at] ^= 1 << random.below(8);
      applied.push(`gzip bit flipped at ${at}`);
    }
  }
  return { bytes: out, gzip: true, applied };
}

/** A 32-bit seed for case `index` of a run with `seed`: each case reproducible alone. */
export function caseSeed(seed: number, index: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h >>> 0;
}
