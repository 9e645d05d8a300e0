/** Test helpers for the synthesizer tests: hex literals and an independent Internet checksum check. */
export { hasCapinfos, hasTshark, hex } from "../helpers.js";

/**
 * One's complement sum of 16-bit big-endian words, folded, written independently of
 * src/synth/checksum.ts: data that carries a correct checksum sums to 0xffff (RFC 1071 §1).
 */
export function foldedSum(...chunks: Uint8Array[]): number {
  const bytes = Buffer.concat(chunks);
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) {
    sum += bytes[i] * 256 + (i + 1 < bytes.length ? bytes[i + 1] : 0);
    sum = (sum % 65536) + Math.floor(sum / 65536);
  }
  return sum;
}

/** IPv4 pseudo-header (RFC 9293 §3.1): src, dst, zero, protocol, length. */
export function pseudoHeaderV4(src: string, dst: string, protocol: number, length: number): Buffer {
  const out = Buffer.alloc(12);
  src.split(".").forEach((p, i) => (out[i] = Number(p)));
  dst.split(".").forEach((p, i) => (out[4 + i] = Number(p)));
  out[9] = protocol;
  out.writeUInt16BE(length, 10);
  return out;
}

