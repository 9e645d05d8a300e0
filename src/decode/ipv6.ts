/**
 * IPv6 header and extension-header chain (RFC 8200 §3, §4). Fragments of what can lead
 * to PPTP go to the reassembler; the upper-layer payload goes on to the Decoder's
 * ipPayload().
 */
import { ipv6ToString } from "./address.js";
import type { DecodeContext } from "./decoder.js";
import { isReassembledProtocol } from "./ipv4.js";
import { DecodeError, PacketKind, type Packet } from "./packet.js";
import { u16be, u32be } from "../capture/bytes.js";
import { FragmentStatus, kindOfUnfinishedFragment } from "../reassembly/ip-fragments.js";

export const IPV6_HEADER_LENGTH = 40;

/** Next Header values that are extension headers (RFC 8200 §4, RFC 4302, RFC 6275, RFC 7401, RFC 5533). */
export const Ipv6ExtensionHeader = {
  HopByHop: 0,
  Routing: 43,
  Fragment: 44,
  AuthenticationHeader: 51,
  DestinationOptions: 60,
  Mobility: 135,
  HostIdentity: 139,
  Shim6: 140,
} as const;
/** Extension headers in the RFC 8200 §4.3 layout: Next Header, then Hdr Ext Len in 8-octet units. */
const EIGHT_OCTET_UNIT_HEADERS: ReadonlySet<number> = new Set([
  Ipv6ExtensionHeader.HopByHop,
  Ipv6ExtensionHeader.Routing,
  Ipv6ExtensionHeader.DestinationOptions,
  Ipv6ExtensionHeader.Mobility,
  Ipv6ExtensionHeader.HostIdentity,
  Ipv6ExtensionHeader.Shim6,
]);
/** RFC 8200 §4.7: nothing follows. */
export const IPV6_NO_NEXT_HEADER = 59;
const FRAGMENT_HEADER_LENGTH = 8;
/** Fragment Offset (13 bits, 8-byte units, so the masked value is bytes), Res (2), M (1). */
const FRAGMENT_OFFSET_BYTES_MASK = 0xfff8;
const MORE_FRAGMENTS = 0x0001;
/**
 * Extension headers walked before giving up (the packet is then Other). RFC 8200 §4.1
 * expects each at most once or twice (Destination Options), so eight is generous.
 */
export const MAX_IPV6_EXTENSION_HEADERS = 8;

/** Offset of the Next Header byte in the fixed header. */
const NEXT_HEADER_FIELD = 6;

export function decodeIpv6(ctx: DecodeContext, buf: Uint8Array, offset: number, end: number, p: Packet): PacketKind {
  const present = end - offset;
  if (present < IPV6_HEADER_LENGTH) return p.fail(DecodeError.Truncated, "ipv6");
  if (buf[offset] >> 4 !== 6) return p.fail(DecodeError.BadHeader, "ipv6");
  const payloadLength = u16be(buf, offset + 4);
  let next = buf[offset + NEXT_HEADER_FIELD];
  p.ipVersion = 6;
  p.ipTtl = buf[offset + 7];
  p.ipId = 0;
  p.src6Offset = offset + 8;
  p.dst6Offset = offset + 24;
  // Payload Length 0 with a Hop-by-Hop header is a jumbogram (RFC 2675): the link says how long.
  const datagramLength = payloadLength === 0 && next === Ipv6ExtensionHeader.HopByHop ? present : IPV6_HEADER_LENGTH + payloadLength;
  const datagramEnd = offset + Math.min(datagramLength, present);
  p.payloadMissing = datagramLength > present ? datagramLength - present : 0;

  let nextHeaderFieldAt = offset + NEXT_HEADER_FIELD;
  let at = offset + IPV6_HEADER_LENGTH;
  for (let headers = 0; ; headers++) {
    let length: number;
    if (EIGHT_OCTET_UNIT_HEADERS.has(next)) {
      // Hdr Ext Len counts 8-octet units after the first 8 (RFC 8200 §4.3).
      if (datagramEnd - at < 2) return p.fail(DecodeError.Truncated, "ipv6");
      length = (buf[at + 1] + 1) * 8;
    } else if (next === Ipv6ExtensionHeader.AuthenticationHeader) {
      // Payload Len counts 4-octet units, minus 2 (RFC 4302 §2.2).
      if (datagramEnd - at < 2) return p.fail(DecodeError.Truncated, "ipv6");
      length = (buf[at + 1] + 2) * 4;
    } else if (next === Ipv6ExtensionHeader.Fragment) {
      if (datagramEnd - at < FRAGMENT_HEADER_LENGTH) return p.fail(DecodeError.Truncated, "ipv6");
      const offsetAndFlags = u16be(buf, at + 2);
      // An atomic fragment (offset 0, M 0; RFC 6946) is a whole datagram: walk on.
      if (offsetAndFlags & (FRAGMENT_OFFSET_BYTES_MASK | MORE_FRAGMENTS)) {
        return fragment(ctx, buf, offset, datagramEnd, p, at, nextHeaderFieldAt - offset, offsetAndFlags);
      }
      length = FRAGMENT_HEADER_LENGTH;
    } else if (next === IPV6_NO_NEXT_HEADER) {
      return PacketKind.Other;
    } else {
      p.ipProtocol = next;
      return ctx.ipPayload(next, buf, at, datagramEnd, p);
    }
    if (headers === MAX_IPV6_EXTENSION_HEADERS) {
      ctx.limits.ipv6ExtensionHeadersTooMany++;
      return PacketKind.Other;
    }
    if (datagramEnd - at < length) return p.fail(DecodeError.Truncated, "ipv6");
    next = buf[at];
    nextHeaderFieldAt = at;
    at += length;
  }
}

function isExtensionHeader(next: number): boolean {
  return (
    EIGHT_OCTET_UNIT_HEADERS.has(next) ||
    next === Ipv6ExtensionHeader.AuthenticationHeader ||
    next === Ipv6ExtensionHeader.Fragment
  );
}

/**
 * A fragment (RFC 8200 §4.5): the Fragment header is at `at`. The unfragmentable part
 * (fixed header and the extension headers before the Fragment header) is kept from the
 * first fragment; the reassembled datagram leaves the Fragment header out and names its
 * Next Header where the Fragment header was named.
 */
function fragment(
  ctx: DecodeContext,
  buf: Uint8Array,
  offset: number,
  datagramEnd: number,
  p: Packet,
  at: number,
  protocolFieldAt: number,
  offsetAndFlags: number,
): PacketKind {
  const fragmentNext = buf[at];
  p.ipProtocol = fragmentNext;
  // Extension headers after the Fragment header hide the protocol until reassembly.
  if (!isReassembledProtocol(fragmentNext) && !isExtensionHeader(fragmentNext)) return PacketKind.Other;
  if (p.payloadMissing > 0) return p.fail(DecodeError.Truncated, "ipv6");

  const status = ctx.fragments.add({
    key: `6 ${ipv6ToString(buf, p.src6Offset)} ${ipv6ToString(buf, p.dst6Offset)} ${u32be(buf, at + 4)}`,
    tsSec: ctx.tsSec,
    buf,
    headerOffset: offset,
    headerLength: at - offset,
    protocolFieldAt,
    protocol: fragmentNext,
    fragmentOffset: offsetAndFlags & FRAGMENT_OFFSET_BYTES_MASK,
    more: (offsetAndFlags & MORE_FRAGMENTS) !== 0,
    payloadOffset: at + FRAGMENT_HEADER_LENGTH,
    payloadLength: datagramEnd - at - FRAGMENT_HEADER_LENGTH,
  });
  if (status !== FragmentStatus.Complete) return kindOfUnfinishedFragment(status, p, "ipv6");

  const datagram = ctx.fragments.datagram;
  const payloadLength = datagram.length - IPV6_HEADER_LENGTH;
  if (payloadLength > 0xffff) return p.fail(DecodeError.BadHeader, "ipv6");
  datagram[4] = payloadLength >> 8;
  datagram[5] = payloadLength & 0xff;
  p.buf = datagram;
  p.reassembled = true;
  return decodeIpv6(ctx, datagram, 0, datagram.length, p);
}
