/**
 * What an IP builder carries. A transport whose checksum covers the IP pseudo-header
 * (TCP) can only be encoded once the addresses are known, so ipv4()/ipv6() take an
 * IpPayload and encode it with their own addresses: `ipv4({ src, dst, payload: tcp({...}) })`.
 */

export interface IpPayload {
  /** IP protocol / IPv6 next header of these bytes. */
  readonly protocol: number;
  /** The bytes, given the source and the (final) destination address of the IP header. */
  encode(src: Uint8Array, dst: Uint8Array): Buffer;
}

/** Bytes that need nothing from the IP header (UDP without checksum, ICMP, another IP datagram, garbage). */
export function ipPayload(protocol: number, bytes: Uint8Array): IpPayload {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  return { protocol, encode: () => buffer };
}
