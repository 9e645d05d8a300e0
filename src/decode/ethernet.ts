/**
 * Ethernet II (LINKTYPE_ETHERNET) with any stack of 802.1Q / 802.1ad VLAN tags. The
 * EtherType names what follows; the Decoder's ethertype() goes on from there, also for
 * the link layers that carry an EtherType without Ethernet (Linux SLL, Cisco HDLC).
 */
import type { DecodeContext } from "./decoder.js";
import { DecodeError, PacketKind, type Packet } from "./packet.js";
import { u16be } from "../capture/bytes.js";

/** IEEE EtherType values we follow (IEEE 802 numbers registry). */
export const EtherType = {
  IPv4: 0x0800,
  IPv6: 0x86dd,
  /** RFC 2516 §4: PPPoE Discovery and Session stages. */
  PppoeDiscovery: 0x8863,
  PppoeSession: 0x8864,
  /** IEEE 802.1Q customer VLAN tag. */
  Vlan: 0x8100,
  /** IEEE 802.1ad service VLAN tag (QinQ). */
  ServiceVlan: 0x88a8,
  /** Pre-standard QinQ outer tag still sent by some switches. */
  LegacyQinQ: 0x9100,
} as const;

/** Destination MAC (6), source MAC (6), EtherType (2). */
export const ETHERNET_HEADER_LENGTH = 14;
/** Tag control information (2: priority, DEI, 12-bit VLAN ID) then the next EtherType (2). */
const VLAN_TAG_LENGTH = 4;
const VLAN_ID_MASK = 0x0fff;
/**
 * Tags we walk through before giving up (the frame is then Other). Real networks stack
 * two, rarely three; the bound only stops a frame of repeated 0x8100 from looping long.
 */
export const MAX_VLAN_TAGS = 8;

export function decodeEthernet(ctx: DecodeContext, buf: Uint8Array, offset: number, end: number, p: Packet): PacketKind {
  if (end - offset < ETHERNET_HEADER_LENGTH) return p.fail(DecodeError.Truncated, "ethernet");
  p.macSourceOffset = offset + 6;
  let at = offset + 12;
  let type = u16be(buf, at);
  at += 2;
  while (type === EtherType.Vlan || type === EtherType.ServiceVlan || type === EtherType.LegacyQinQ) {
    if (p.vlanCount === MAX_VLAN_TAGS) {
      ctx.limits.vlanTagsTooMany++;
      return PacketKind.Other;
    }
    if (end - at < VLAN_TAG_LENGTH) return p.fail(DecodeError.Truncated, "vlan");
    if (p.vlanCount === 0) p.vlanId = u16be(buf, at) & VLAN_ID_MASK;
    p.vlanCount++;
    type = u16be(buf, at + 2);
    at += VLAN_TAG_LENGTH;
  }
  return ctx.ethertype(type, buf, at, end, p);
}
