/**
 * The Internet checksum (RFC 1071): the 16-bit one's complement of the one's complement
 * sum of the data taken as big-endian 16-bit words, an odd last byte padded with zero.
 * Used by IPv4 (header), TCP (pseudo-header + segment, RFC 9293 §3.1) and GRE (RFC 2784 §2.5).
 */

/** Adds the 16-bit words of data[start..end) to sum, without folding (a JS number holds the carries). */
export function addWords(sum: number, data: Uint8Array, start = 0, end = data.length): number {
  let i = start;
  for (; i + 1 < end; i += 2) sum += (data[i] << 8) | data[i + 1];
  if (i < end) sum += data[i] << 8;
  return sum;
}

/** Folds the carries back in (RFC 1071 §4.1) and returns the complement: the value to store. */
export function finishChecksum(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

export function internetChecksum(data: Uint8Array, start = 0, end = data.length): number {
  return finishChecksum(addWords(0, data, start, end));
}

/**
 * Sum of the TCP/UDP pseudo-header: source and destination address, protocol and
 * upper-layer length. The IPv4 (RFC 9293 §3.1) and IPv6 (RFC 8200 §8.1) layouts differ
 * only in where the zero bytes sit, so their word sums are the same expression.
 */
export function pseudoHeaderSum(src: Uint8Array, dst: Uint8Array, protocol: number, length: number): number {
  return addWords(addWords(0, src), dst) + protocol + (length >>> 16) + (length & 0xffff);
}
