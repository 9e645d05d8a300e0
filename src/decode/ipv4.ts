/**
 * IPv4 header (RFC 791 §3.1). Fragments of the protocols that can lead to PPTP go to the
 * reassembler; the payload goes on to the Decoder's ipPayload().
 */
import type { DecodeContext } from "./decoder.js";
import { DecodeError, PacketKind, type Packet } from "./packet.js";
import { u16be, u32be } from "../capture/bytes.js";
import { FragmentStatus, kindOfUnfinishedFragment } from "../reassembly/ip-fragments.js";

/** IANA "Assigned Internet Protocol Numbers"; IPv6 Next Header values come from the same registry. */
export const IpProtocol = {
  /** IPv4 inside IP (RFC 2003), also 4in6. */
  IPv4: 4,
  TCP: 6,
  /** IPv6 inside IP (RFC 4213 6in4, RFC 2473 6in6). */
  IPv6: 41,
  GRE: 47,
} as const;

/** Fragments of these are reassembled: they can carry PPTP control, GRE, or a tunnel around them. */
export function isReassembledProtocol(protocol: number): boolean {
  return protocol === IpProtocol.TCP || protocol === IpProtocol.GRE || protocol === IpProtocol.IPv4 || protocol === IpProtocol.IPv6;
}

export const IPV4_MIN_HEADER_LENGTH = 20;
/** Bytes 6-7: reserved bit, DF 0x4000, MF 0x2000, fragment offset in 8-byte units (13 bits). */
const MORE_FRAGMENTS = 0x2000;
const FRAGMENT_OFFSET_MASK = 0x1fff;
/** Offset of the protocol byte in the header. */
const PROTOCOL_FIELD = 9;

export function decodeIpv4(ctx: DecodeContext, buf: Uint8Array, offset: number, end: number, p: Packet): PacketKind {
  const present = end - offset;
  if (present < IPV4_MIN_HEADER_LENGTH) return p.fail(DecodeError.Truncated, "ipv4");
  const versionAndLength = buf[offset];
  if (versionAndLength >> 4 !== 4) return p.fail(DecodeError.BadHeader, "ipv4");
  const headerLength = (versionAndLength & 0x0f) * 4;
  if (headerLength < IPV4_MIN_HEADER_LENGTH) return p.fail(DecodeError.BadHeader, "ipv4");
  if (headerLength > present) return p.fail(DecodeError.Truncated, "ipv4");
  let totalLength = u16be(buf, offset + 2);
  // 0 is what a capture of outgoing TCP segmentation offload shows: the NIC fills it in.
  if (totalLength === 0) totalLength = present;
  else if (totalLength < headerLength) return p.fail(DecodeError.BadHeader, "ipv4");

  const protocol = buf[offset + PROTOCOL_FIELD];
  p.ipVersion = 4;
  p.ipTtl = buf[offset + 8];
  p.ipProtocol = protocol;
  p.ipId = u16be(buf, offset + 4);
  p.src4 = u32be(buf, offset + 12);
  p.dst4 = u32be(buf, offset + 16);
  // Bytes past the total length are link padding; bytes short of it were cut by the snap length.
  const datagramEnd = offset + Math.min(totalLength, present);
  p.payloadMissing = totalLength > present ? totalLength - present : 0;

  const fragment = u16be(buf, offset + 6);
  if ((fragment & (MORE_FRAGMENTS | FRAGMENT_OFFSET_MASK)) === 0) {
    return ctx.ipPayload(protocol, buf, offset + headerLength, datagramEnd, p);
  }
  if (!isReassembledProtocol(protocol)) return PacketKind.Other;
  if (p.payloadMissing > 0) return p.fail(DecodeError.Truncated, "ipv4");

  const status = ctx.fragments.add({
    key: `4 ${p.src4} ${p.dst4} ${protocol} ${p.ipId}`,
    tsSec: ctx.tsSec,
    buf,
    headerOffset: offset,
    headerLength,
    protocolFieldAt: PROTOCOL_FIELD,
    protocol,
    fragmentOffset: (fragment & FRAGMENT_OFFSET_MASK) * 8,
    more: (fragment & MORE_FRAGMENTS) !== 0,
    payloadOffset: offset + headerLength,
    payloadLength: datagramEnd - offset - headerLength,
  });
  if (status !== FragmentStatus.Complete) return kindOfUnfinishedFragment(status, p, "ipv4");

  // The datagram is the first fragment's header and the whole payload: make the header
  // describe it (total length; the first fragment's offset is 0, so only MF to clear)
  // and decode it as if it came whole.
  const datagram = ctx.fragments.datagram;
  if (datagram.length > 0xffff) return p.fail(DecodeError.BadHeader, "ipv4");
  datagram[2] = datagram.length >> 8;
  datagram[3] = datagram.length & 0xff;
  datagram[6] &= ~(MORE_FRAGMENTS >> 8);
  p.buf = datagram;
  p.reassembled = true;
  return decodeIpv4(ctx, datagram, 0, datagram.length, p);
}
