/**
 * PPP seen directly on the capture link: LINKTYPE_PPP (9), LINKTYPE_PPP_HDLC (50, which
 * also carries Cisco HDLC), LINKTYPE_PPP_WITH_DIR (204); PPPoE sessions end up here too.
 * IP inside goes on to the IP decoders (PPTP over a demand-dial PPP link between two
 * routers); anything else (LCP, IPCP, ...) is a PppLink frame for the model.
 */
import type { DecodeContext } from "./decoder.js";
import { EtherType } from "./ethernet.js";
import { DecodeError, Direction, PacketKind, type Packet } from "./packet.js";
import { decodePppHeader } from "./ppp-header.js";
import { u16be } from "../capture/bytes.js";
import { PppProtocol } from "./ppp/protocols.js";

/** Cisco HDLC address bytes (unicast, broadcast); the control byte 0 and an EtherType follow. */
export const CISCO_HDLC_UNICAST = 0x0f;
export const CISCO_HDLC_BROADCAST = 0x8f;
/** Address (1), control (1), EtherType (2). */
export const CISCO_HDLC_HEADER_LENGTH = 4;

/** PPP frame at offset..end: IP continues through the link, other protocols are PppLink. */
export function decodePppOnLink(ctx: DecodeContext, buf: Uint8Array, offset: number, end: number, p: Packet): PacketKind {
  const error = decodePppHeader(buf, offset, end, p);
  if (error !== DecodeError.None) return p.fail(error, "ppp");
  const protocol = p.pppProtocol;
  if (protocol !== PppProtocol.IPv4 && protocol !== PppProtocol.IPv6) return PacketKind.PppLink;

  const ipOffset = p.pppOffset;
  // The PPP fields describe PPP carried by GRE further in; the link's PPP is linkPpp.
  p.pppProtocol = -1;
  p.pppHasAddressControl = false;
  p.pppOffset = 0;
  p.pppLength = 0;
  p.linkPpp = true;
  return ctx.ethertype(protocol === PppProtocol.IPv4 ? EtherType.IPv4 : EtherType.IPv6, buf, ipOffset, end, p);
}

/**
 * LINKTYPE_PPP_HDLC: PPP in HDLC-like framing (RFC 1662), or Cisco HDLC, told apart by
 * the address byte. Cisco HDLC carries an EtherType; only IP is followed from it.
 */
export function decodePppHdlc(ctx: DecodeContext, buf: Uint8Array, offset: number, end: number, p: Packet): PacketKind {
  if (offset < end && (buf[offset] === CISCO_HDLC_UNICAST || buf[offset] === CISCO_HDLC_BROADCAST)) {
    if (end - offset < CISCO_HDLC_HEADER_LENGTH) return p.fail(DecodeError.Truncated, "cisco-hdlc");
    const type = u16be(buf, offset + 2);
    if (type !== EtherType.IPv4 && type !== EtherType.IPv6) return PacketKind.Other;
    return ctx.ethertype(type, buf, offset + CISCO_HDLC_HEADER_LENGTH, end, p);
  }
  return decodePppOnLink(ctx, buf, offset, end, p);
}

/** LINKTYPE_PPP_WITH_DIR: one byte, 0 = received by the capturing host, else sent by it. */
export function decodePppWithDirection(ctx: DecodeContext, buf: Uint8Array, offset: number, end: number, p: Packet): PacketKind {
  if (offset >= end) return p.fail(DecodeError.Truncated, "ppp");
  p.direction = buf[offset] === 0 ? Direction.Inbound : Direction.Outbound;
  return decodePppOnLink(ctx, buf, offset + 1, end, p);
}
