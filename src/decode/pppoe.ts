/**
 * PPPoE (RFC 2516): the Discovery stage (EtherType 0x8863) is recorded as it is; a
 * Session-stage frame (0x8864, and LINKTYPE_PPP_ETHER) carries a PPP frame, decoded as
 * PPP on the link. PPPoE sends no address and control bytes (§7), and PPP
 * protocol values can never start with FF 03, so the common PPP header reader serves.
 */
import type { DecodeContext } from "./decoder.js";
import { DecodeError, PacketKind, type Packet } from "./packet.js";
import { decodePppOnLink } from "./ppp-link.js";
import { u16be } from "../capture/bytes.js";

/** VER (4 bits) = 1, TYPE (4 bits) = 1 (RFC 2516 §4). */
export const PPPOE_VERSION_TYPE = 0x11;
/** VER/TYPE (1), CODE (1), SESSION_ID (2), LENGTH (2) of the payload after this header. */
export const PPPOE_HEADER_LENGTH = 6;

/** CODE field (RFC 2516 §4 and §5). */
export const PppoeCode = {
  Session: 0x00,
  PADO: 0x07,
  PADI: 0x09,
  PADR: 0x19,
  PADS: 0x65,
  PADT: 0xa7,
} as const;

/**
 * Checks and records the PPPoE header; returns the end of its payload (the LENGTH field,
 * or fewer bytes when the frame was cut), or -1 with the packet marked Malformed.
 */
function readPppoeHeader(buf: Uint8Array, offset: number, end: number, p: Packet): number {
  if (end - offset < PPPOE_HEADER_LENGTH) {
    p.fail(DecodeError.Truncated, "pppoe");
    return -1;
  }
  if (buf[offset] !== PPPOE_VERSION_TYPE) {
    p.fail(DecodeError.BadHeader, "pppoe");
    return -1;
  }
  p.pppoeCode = buf[offset + 1];
  p.pppoeSession = u16be(buf, offset + 2);
  // LENGTH excludes the Ethernet padding of short frames, which must not reach PPP.
  const declaredEnd = offset + PPPOE_HEADER_LENGTH + u16be(buf, offset + 4);
  if (declaredEnd > end) {
    p.payloadMissing = declaredEnd - end;
    return end;
  }
  return declaredEnd;
}

/** Session stage: the PPP frame inside is LCP and friends (PppLink) or IP. */
export function decodePppoeSession(ctx: DecodeContext, buf: Uint8Array, offset: number, end: number, p: Packet): PacketKind {
  const payloadEnd = readPppoeHeader(buf, offset, end, p);
  if (payloadEnd < 0) return PacketKind.Malformed;
  return decodePppOnLink(ctx, buf, offset + PPPOE_HEADER_LENGTH, payloadEnd, p);
}

/** Discovery stage (PADI, PADO, PADR, PADS, PADT): code, session and the tag list as payload. */
export function decodePppoeDiscovery(buf: Uint8Array, offset: number, end: number, p: Packet): PacketKind {
  const payloadEnd = readPppoeHeader(buf, offset, end, p);
  if (payloadEnd < 0) return PacketKind.Malformed;
  p.payloadOffset = offset + PPPOE_HEADER_LENGTH;
  p.payloadLength = payloadEnd - p.payloadOffset;
  return PacketKind.PppoeDiscovery;
}
