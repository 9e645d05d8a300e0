/**
 * Linux "cooked" captures (tcpdump -i any, ppp interfaces): LINKTYPE_LINUX_SLL (113) and
 * LINKTYPE_LINUX_SLL2 (276), as described on tcpdump.org's linktypes pages. Both carry
 * the packet type (which gives the direction) and an EtherType for the payload.
 */
import type { DecodeContext } from "./decoder.js";
import { DecodeError, Direction, type PacketKind, type Packet } from "./packet.js";
import { u16be } from "../capture/bytes.js";

/**
 * SLL: packet type (2), ARPHRD type (2), link-layer address length (2), address (8),
 * protocol (2).
 */
export const SLL_HEADER_LENGTH = 16;
/**
 * SLL2: protocol (2), reserved (2), interface index (4), ARPHRD type (2), packet type (1),
 * link-layer address length (1), address (8).
 */
export const SLL2_HEADER_LENGTH = 20;

/**
 * ARPHRD_PPP: a capture on a Linux ppp interface. The protocol field then holds the
 * EtherType of the datagram and no PPP header follows (the kernel strips it).
 */
export const ARPHRD_PPP = 512;

/** Packet type values (linux/if_packet.h PACKET_*). */
export const SllPacketType = {
  /** Addressed to the capturing host. */
  Host: 0,
  Broadcast: 1,
  Multicast: 2,
  /** Addressed to another host, seen in promiscuous mode. */
  OtherHost: 3,
  /** Sent by the capturing host. */
  Outgoing: 4,
} as const;

/** Direction relative to the capturing host; packet types not listed give Unknown. */
const DIRECTION_OF_PACKET_TYPE: Readonly<Record<number, number>> = {
  [SllPacketType.Host]: Direction.Inbound,
  [SllPacketType.Broadcast]: Direction.Inbound,
  [SllPacketType.Multicast]: Direction.Inbound,
  [SllPacketType.Outgoing]: Direction.Outbound,
};

function cooked(
  ctx: DecodeContext,
  packetType: number,
  hardwareType: number,
  protocol: number,
  buf: Uint8Array,
  payloadOffset: number,
  end: number,
  p: Packet,
): PacketKind {
  p.direction = DIRECTION_OF_PACKET_TYPE[packetType] ?? Direction.Unknown;
  if (hardwareType === ARPHRD_PPP) p.linkPpp = true;
  return ctx.ethertype(protocol, buf, payloadOffset, end, p);
}

const ETHERNET_ADDRESS_LENGTH = 6;

export function decodeSll(ctx: DecodeContext, buf: Uint8Array, offset: number, end: number, p: Packet): PacketKind {
  if (end - offset < SLL_HEADER_LENGTH) return p.fail(DecodeError.Truncated, "sll");
  // the link-layer address is the sender's: an Ethernet one tells PPPoE peers apart
  if (u16be(buf, offset + 4) === ETHERNET_ADDRESS_LENGTH) p.macSourceOffset = offset + 6;
  return cooked(ctx, u16be(buf, offset), u16be(buf, offset + 2), u16be(buf, offset + 14), buf, offset + SLL_HEADER_LENGTH, end, p);
}

export function decodeSll2(ctx: DecodeContext, buf: Uint8Array, offset: number, end: number, p: Packet): PacketKind {
  if (end - offset < SLL2_HEADER_LENGTH) return p.fail(DecodeError.Truncated, "sll2");
  if (buf[offset + 11] === ETHERNET_ADDRESS_LENGTH) p.macSourceOffset = offset + 12;
  return cooked(ctx, buf[offset + 10], u16be(buf, offset + 8), u16be(buf, offset), buf, offset + SLL2_HEADER_LENGTH, end, p);
}
