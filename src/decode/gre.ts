/**
 * GRE: version 0 (RFC 2784 with the key and sequence of RFC 2890, and the routing of
 * RFC 1701) and the enhanced GRE of PPTP, version 1 (RFC 2637 §4.1). A PPP payload
 * (protocol 0x880B) has its PPP header decoded too.
 */
import { DecodeError, PacketKind, type Packet } from "./packet.js";
import { decodePppHeader } from "./ppp-header.js";
import { u16be, u32be } from "../capture/bytes.js";

/** Bits of the first 16-bit word (RFC 1701 §2.1, RFC 2637 §4.1). */
export const GreFlag = {
  Checksum: 0x8000,
  Routing: 0x4000,
  Key: 0x2000,
  Sequence: 0x1000,
  StrictSourceRoute: 0x0800,
  /** Enhanced GRE only. */
  Acknowledgment: 0x0080,
} as const;
const VERSION_MASK = 0x0007;

export const GreVersion = { Gre: 0, EnhancedGre: 1 } as const;
/** Protocol Type of PPP (RFC 2637 §4.1); others are EtherTypes (0x0800 IPv4, ...). */
export const GRE_PROTOCOL_PPP = 0x880b;

/** Flags and version (2), protocol type (2). */
export const GRE_BASE_HEADER_LENGTH = 4;
/** RFC 1701 §2.2: a routing list ends with an entry of address family 0 and length 0. */
const SRE_HEADER_LENGTH = 4;
/** Source route entries walked before the frame is called malformed. */
export const MAX_GRE_ROUTING_ENTRIES = 16;

/** Checks flags against the optional fields and returns the payload offset, or -1 (packet marked Malformed). */
function enhancedGreFields(buf: Uint8Array, at: number, end: number, flags: number, p: Packet): number {
  // The key is mandatory in version 1: payload length and the receiver's call ID.
  if ((flags & GreFlag.Key) === 0) {
    p.fail(DecodeError.BadHeader, "gre");
    return -1;
  }
  const fieldsLength = 4 + (flags & GreFlag.Sequence ? 4 : 0) + (flags & GreFlag.Acknowledgment ? 4 : 0);
  if (end - at < fieldsLength) {
    p.fail(DecodeError.Truncated, "gre");
    return -1;
  }
  p.greHasKey = true;
  p.greKey = u32be(buf, at);
  p.grePayloadLength = u16be(buf, at);
  p.greCallId = u16be(buf, at + 2);
  at += 4;
  if (flags & GreFlag.Sequence) {
    p.greSeq = u32be(buf, at);
    at += 4;
  }
  if (flags & GreFlag.Acknowledgment) {
    p.greAck = u32be(buf, at);
    at += 4;
  }
  return at;
}

function greV0Fields(buf: Uint8Array, at: number, end: number, flags: number, p: Packet): number {
  // Checksum and Offset (or Reserved1) are present when either C or R is set (RFC 1701 §2.1).
  const fieldsLength =
    (flags & (GreFlag.Checksum | GreFlag.Routing) ? 4 : 0) + (flags & GreFlag.Key ? 4 : 0) + (flags & GreFlag.Sequence ? 4 : 0);
  if (end - at < fieldsLength) {
    p.fail(DecodeError.Truncated, "gre");
    return -1;
  }
  if (flags & (GreFlag.Checksum | GreFlag.Routing)) at += 4;
  if (flags & GreFlag.Key) {
    p.greHasKey = true;
    p.greKey = u32be(buf, at);
    at += 4;
  }
  if (flags & GreFlag.Sequence) {
    p.greSeq = u32be(buf, at);
    at += 4;
  }
  if ((flags & GreFlag.Routing) === 0) return at;
  // RFC 1701 §2.2 source route entries: address family (2), SRE offset (1), SRE length (1), routing information.
  for (let entries = 0; entries < MAX_GRE_ROUTING_ENTRIES; entries++) {
    if (end - at < SRE_HEADER_LENGTH) {
      p.fail(DecodeError.Truncated, "gre");
      return -1;
    }
    const family = u16be(buf, at);
    const length = buf[at + 3];
    at += SRE_HEADER_LENGTH + length;
    if (family === 0 && length === 0) return at;
  }
  p.fail(DecodeError.BadHeader, "gre");
  return -1;
}

/**
 * The GRE header at offset..end (the end of the IP datagram). `p.payloadMissing` comes
 * in as what the IP layer lost to the snap length and is replaced for enhanced GRE.
 */
export function decodeGre(buf: Uint8Array, offset: number, end: number, p: Packet): PacketKind {
  if (end - offset < GRE_BASE_HEADER_LENGTH) return p.fail(DecodeError.Truncated, "gre");
  const flags = u16be(buf, offset);
  const version = flags & VERSION_MASK;
  p.greFlags = flags;
  p.greVersion = version;
  p.greProtocol = u16be(buf, offset + 2);

  let payloadOffset: number;
  let payloadEnd = end;
  if (version === GreVersion.EnhancedGre) {
    payloadOffset = enhancedGreFields(buf, offset + GRE_BASE_HEADER_LENGTH, end, flags, p);
    if (payloadOffset < 0) return PacketKind.Malformed;
    // The key's payload length says how much PPP follows; trust it as far as the bytes go.
    const declaredEnd = payloadOffset + p.grePayloadLength;
    p.payloadMissing = declaredEnd > end ? declaredEnd - end : 0;
    if (declaredEnd < end) payloadEnd = declaredEnd;
  } else if (version === GreVersion.Gre) {
    payloadOffset = greV0Fields(buf, offset + GRE_BASE_HEADER_LENGTH, end, flags, p);
    if (payloadOffset < 0) return PacketKind.Malformed;
    // Routing entries may claim more than there is.
    if (payloadOffset > end) return p.fail(DecodeError.Truncated, "gre");
  } else {
    return p.fail(DecodeError.BadHeader, "gre");
  }
  p.payloadOffset = payloadOffset;
  p.payloadLength = payloadEnd - payloadOffset;

  // An acknowledgment-only packet (RFC 2637 §4.2) has no PPP frame.
  if (p.greProtocol === GRE_PROTOCOL_PPP && p.payloadLength > 0) {
    const error = decodePppHeader(buf, payloadOffset, payloadEnd, p);
    if (error !== DecodeError.None) return p.fail(error, "ppp");
  }
  return PacketKind.Gre;
}
