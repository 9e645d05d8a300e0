/**
 * Text forms of the addresses a Packet holds. Texts come from small caches, since the
 * control path asks for the same few addresses on every segment, and an IPv6 GRE packet's
 * source is looked up by its text.
 */
import type { Packet } from "./packet.js";

/**
 * Slots of the IPv4 text cache (a power of two). Direct-mapped: a slot keeps the last address
 * that hashed to it, so a collision costs a rebuilt string and nothing else.
 */
const IPV4_TEXT_CACHE_SLOTS = 1024;
const IPV4_TEXT_SLOT_SHIFT = 32 - Math.log2(IPV4_TEXT_CACHE_SLOTS);
const cachedIpv4Numbers = new Uint32Array(IPV4_TEXT_CACHE_SLOTS);
const cachedIpv4Texts: Array<string | undefined> = new Array<string | undefined>(IPV4_TEXT_CACHE_SLOTS).fill(undefined);

/** An IPv4 address held as an unsigned 32-bit number, as "a.b.c.d" (the same string for a repeated address). */
export function ipv4ToString(n: number): string {
  // Fibonacci hashing: the multiply spreads addresses that differ only in their last octet
  const slot = Math.imul(n, 0x9e3779b1) >>> IPV4_TEXT_SLOT_SHIFT;
  const cached = cachedIpv4Texts[slot];
  if (cached !== undefined && cachedIpv4Numbers[slot] === n >>> 0) return cached;
  const text = `${n >>> 24}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`;
  cachedIpv4Numbers[slot] = n;
  cachedIpv4Texts[slot] = text;
  return text;
}

/** Slots of the IPv6 text cache (a power of two), direct-mapped like the IPv4 one. */
const IPV6_TEXT_CACHE_SLOTS = 256;
const IPV6_TEXT_SLOT_SHIFT = 32 - Math.log2(IPV6_TEXT_CACHE_SLOTS);
/** Per slot, the address's four 32-bit words. */
const cachedIpv6Words = new Int32Array(IPV6_TEXT_CACHE_SLOTS * 4);
const cachedIpv6Texts: Array<string | undefined> = new Array<string | undefined>(IPV6_TEXT_CACHE_SLOTS).fill(undefined);

/** The big-endian 32-bit word at `at`. */
const wordAt = (buf: Uint8Array, at: number): number => (buf[at] << 24) | (buf[at + 1] << 16) | (buf[at + 2] << 8) | buf[at + 3];

/** The 16 bytes at `offset` as RFC 5952 text (the same string for a repeated address). */
export function ipv6ToString(buf: Uint8Array, offset: number): string {
  const w0 = wordAt(buf, offset);
  const w1 = wordAt(buf, offset + 4);
  const w2 = wordAt(buf, offset + 8);
  const w3 = wordAt(buf, offset + 12);
  const slot = Math.imul(w0 ^ w1 ^ w2 ^ w3, 0x9e3779b1) >>> IPV6_TEXT_SLOT_SHIFT;
  const words = cachedIpv6Words;
  const at = slot * 4;
  const cached = cachedIpv6Texts[slot];
  if (cached !== undefined && words[at] === w0 && words[at + 1] === w1 && words[at + 2] === w2 && words[at + 3] === w3) return cached;
  const text = ipv6Text(buf, offset);
  words[at] = w0;
  words[at + 1] = w1;
  words[at + 2] = w2;
  words[at + 3] = w3;
  cachedIpv6Texts[slot] = text;
  return text;
}

/**
 * The 16 bytes at `offset` in the RFC 5952 text form: lowercase hex groups without
 * leading zeros (§4.1, §4.3), the longest run of two or more zero groups, the first
 * one on a tie, shortened to "::" (§4.2), and IPv4-mapped addresses with a dotted
 * IPv4 tail, "::ffff:192.0.2.1" (§5).
 */
function ipv6Text(buf: Uint8Array, offset: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((buf[offset + i] << 8) | buf[offset + i + 1]);

  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff) {
    const v4 = ((groups[6] << 16) | groups[7]) >>> 0;
    return `::ffff:${ipv4ToString(v4)}`;
  }

  let bestStart = -1;
  let bestLength = 1; // a single zero group is never shortened (§4.2.2)
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }

  const hex = (from: number, to: number): string =>
    groups
      .slice(from, to)
      .map((g) => g.toString(16))
      .join(":");
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}

/** Source address of the innermost IP header ("" when the packet has none). */
export function sourceAddress(p: Packet): string {
  if (p.ipVersion === 4) return ipv4ToString(p.src4);
  if (p.ipVersion === 6) return ipv6ToString(p.buf, p.src6Offset);
  return "";
}

/** Destination address of the innermost IP header ("" when the packet has none). */
export function destinationAddress(p: Packet): string {
  if (p.ipVersion === 4) return ipv4ToString(p.dst4);
  if (p.ipVersion === 6) return ipv6ToString(p.buf, p.dst6Offset);
  return "";
}
