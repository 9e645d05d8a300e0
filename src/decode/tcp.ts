/**
 * TCP header (RFC 9293 §3.1), decoded only as far as the ports unless one of them is
 * the PPTP control port.
 */
import type { DecodeContext } from "./decoder.js";
import { DecodeError, PacketKind, type Packet } from "./packet.js";
import { readU16, readU32 } from "./ppp/bytes.js";

export const TCP_MIN_HEADER_LENGTH = 20;

/** Option kinds (RFC 9293 §3.2). */
export const TcpOption = {
  EndOfOptionList: 0,
  NoOperation: 1,
  MaximumSegmentSize: 2,
} as const;
const MSS_OPTION_LENGTH = 4;

export function decodeTcp(ctx: DecodeContext, buf: Uint8Array, offset: number, end: number, p: Packet): PacketKind {
  const present = end - offset;
  if (present < 4) return p.fail(DecodeError.Truncated, "tcp");
  p.srcPort = readU16(buf, offset);
  p.dstPort = readU16(buf, offset + 2);
  if (p.srcPort !== ctx.pptpPort && p.dstPort !== ctx.pptpPort) return PacketKind.Other;

  if (present < TCP_MIN_HEADER_LENGTH) return p.fail(DecodeError.Truncated, "tcp");
  const headerLength = (buf[offset + 12] >> 4) * 4;
  if (headerLength < TCP_MIN_HEADER_LENGTH) return p.fail(DecodeError.BadHeader, "tcp");
  if (headerLength > present) return p.fail(DecodeError.Truncated, "tcp");
  p.tcpSeq = readU32(buf, offset + 4);
  p.tcpAck = readU32(buf, offset + 8);
  p.tcpFlags = buf[offset + 13];
  p.tcpWindow = readU16(buf, offset + 14);
  readOptions(buf, offset + TCP_MIN_HEADER_LENGTH, offset + headerLength, p);
  p.payloadOffset = offset + headerLength;
  p.payloadLength = end - p.payloadOffset;
  return PacketKind.PptpTcp;
}

/** Records the MSS option. A damaged option list ends the walk; the segment itself is still good. */
function readOptions(buf: Uint8Array, at: number, end: number, p: Packet): void {
  while (at < end) {
    const kind = buf[at];
    if (kind === TcpOption.EndOfOptionList) return;
    if (kind === TcpOption.NoOperation) {
      at++;
      continue;
    }
    if (end - at < 2) return;
    const length = buf[at + 1];
    if (length < 2 || length > end - at) return;
    if (kind === TcpOption.MaximumSegmentSize && length === MSS_OPTION_LENGTH) p.tcpMss = readU16(buf, at + 2);
    at += length;
  }
}
