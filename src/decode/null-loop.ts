/**
 * BSD loopback encapsulation: a 4-byte address family, then the datagram.
 * LINKTYPE_NULL (0) writes it in the capturing host's byte order, LINKTYPE_LOOP (108)
 * in network byte order (tcpdump.org linktypes, "LINKTYPE_NULL").
 */
import type { DecodeContext } from "./decoder.js";
import { EtherType } from "./ethernet.js";
import { DecodeError, PacketKind, type Packet } from "./packet.js";
import { u32be } from "../capture/bytes.js";

export const NULL_HEADER_LENGTH = 4;

/** AF_INET is 2 everywhere; AF_INET6 differs per operating system. */
export const LoopbackFamily = {
  INET: 2,
  INET6_LINUX: 10,
  INET6_BSD: 24, // NetBSD, OpenBSD, BSD/OS
  INET6_FREEBSD: 28, // FreeBSD, DragonFly BSD
  INET6_DARWIN: 30, // macOS, iOS
} as const;

/**
 * `networkOrder` is true for LINKTYPE_LOOP. For LINKTYPE_NULL the byte order is the
 * writer's: every family value is below 2^16, so read little-endian first, and if the
 * low 16 bits come out 0 the value was written big-endian.
 */
export function decodeNullLoop(
  ctx: DecodeContext,
  buf: Uint8Array,
  offset: number,
  end: number,
  p: Packet,
  networkOrder: boolean,
): PacketKind {
  if (end - offset < NULL_HEADER_LENGTH) return p.fail(DecodeError.Truncated, networkOrder ? "loop" : "null");
  let family = u32be(buf, offset);
  if (!networkOrder) {
    const littleEndian = (buf[offset] | (buf[offset + 1] << 8) | (buf[offset + 2] << 16) | (buf[offset + 3] << 24)) >>> 0;
    if ((littleEndian & 0xffff) !== 0) family = littleEndian;
  }
  const payloadOffset = offset + NULL_HEADER_LENGTH;
  switch (family) {
    case LoopbackFamily.INET:
      return ctx.ethertype(EtherType.IPv4, buf, payloadOffset, end, p);
    case LoopbackFamily.INET6_LINUX:
    case LoopbackFamily.INET6_BSD:
    case LoopbackFamily.INET6_FREEBSD:
    case LoopbackFamily.INET6_DARWIN:
      return ctx.ethertype(EtherType.IPv6, buf, payloadOffset, end, p);
    default:
      return PacketKind.Other;
  }
}
