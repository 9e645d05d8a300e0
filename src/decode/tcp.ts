/**
 * TCP header (RFC 9293 §3.1), decoded only as far as the ports unless one of them is
 * the PPTP control port.
 */
import type { DecodeContext } from "./decoder.js";
import { DecodeError, PacketKind, type Packet } from "./packet.js";
import { u16be, u32be } from "../capture/bytes.js";

export const TCP_MIN_HEADER_LENGTH = 20;

/** Control bits as they sit in header byte 13 (RFC 9293 §3.1). */
export const TcpFlag = {
  FIN: 0x01,
  SYN: 0x02,
  RST: 0x04,
  PSH: 0x08,
  ACK: 0x10,
  URG: 0x20,
  ECE: 0x40,
  CWR: 0x80,
} as const;

/** Option kinds (RFC 9293 §3.2, RFC 7323, RFC 2018; IANA "TCP Option Kind Numbers"). */
export const TcpOptionKind = {
  EndOfOptionList: 0,
  NoOperation: 1,
  MaximumSegmentSize: 2,
  WindowScale: 3,
  SackPermitted: 4,
  Timestamps: 8,
} as const;
const MSS_OPTION_LENGTH = 4;

export function decodeTcp(ctx: DecodeContext, buf: Uint8Array, offset: number, end: number, p: Packet): PacketKind {
  const present = end - offset;
  if (present < 4) return p.fail(DecodeError.Truncated, "tcp");
  p.srcPort = u16be(buf, offset);
  p.dstPort = u16be(buf, offset + 2);
  if (p.srcPort !== ctx.pptpPort && p.dstPort !== ctx.pptpPort) return PacketKind.Other;

  if (present < TCP_MIN_HEADER_LENGTH) return p.fail(DecodeError.Truncated, "tcp");
  const headerLength = (buf[offset + 12] >> 4) * 4;
  if (headerLength < TCP_MIN_HEADER_LENGTH) return p.fail(DecodeError.BadHeader, "tcp");
  if (headerLength > present) return p.fail(DecodeError.Truncated, "tcp");
  p.tcpSeq = u32be(buf, offset + 4);
  p.tcpAck = u32be(buf, offset + 8);
  p.tcpFlags = buf[offset + 13];
  p.tcpWindow = u16be(buf, offset + 14);
  readOptions(buf, offset + TCP_MIN_HEADER_LENGTH, offset + headerLength, p);
  p.payloadOffset = offset + headerLength;
  p.payloadLength = end - p.payloadOffset;
  return PacketKind.PptpTcp;
}

/** Records the MSS option. A damaged option list ends the walk; the segment itself is still good. */
function readOptions(buf: Uint8Array, at: number, end: number, p: Packet): void {
  while (at < end) {
    const kind = buf[at];
    if (kind === TcpOptionKind.EndOfOptionList) return;
    if (kind === TcpOptionKind.NoOperation) {
      at++;
      continue;
    }
    if (end - at < 2) return;
    const length = buf[at + 1];
    if (length < 2 || length > end - at) return;
    if (kind === TcpOptionKind.MaximumSegmentSize && length === MSS_OPTION_LENGTH) p.tcpMss = u16be(buf, at + 2);
    at += length;
  }
}
