/**
 * GRE: version 0 (RFC 2784 with the key and sequence number of RFC 2890) and the
 * enhanced version 1 that PPTP uses (RFC 2637 §4.1).
 */
import { checkField } from "./bytes.js";
import { internetChecksum } from "./checksum.js";
import { GRE_PROTOCOL_PPP } from "../decode/gre.js";
import { IpProtocol } from "../decode/ipv4.js";
import type { IpPayload } from "./ip-payload.js";

/** Bits of the first header byte; the version sits in the low 3 bits of the second. */
const FLAG_CHECKSUM = 0x80;
const FLAG_KEY = 0x20;
const FLAG_SEQUENCE = 0x10;
/** Second byte, version 1 only: acknowledgment number present. */
const FLAG_ACK = 0x80;
const VERSION_ENHANCED = 1;

export interface GreFields {
  /** EtherType of the payload. */
  protocol: number;
  /** Add the checksum field (RFC 2784 §2.5), computed over header and payload. */
  checksum?: boolean;
  key?: number;
  sequence?: number;
  payload: Uint8Array;
}

export interface EnhancedGreFields {
  /** The peer's call ID: the receiver's (RFC 2637 §4.1). */
  callId: number;
  /** Present (S bit) when given; RFC 2637 sends it with every payload. */
  sequence?: number;
  /** Present (A bit) when given: highest sequence number received from the peer. */
  ack?: number;
  /** PPP frame; omitted for an acknowledgment-only packet. */
  payload?: Uint8Array;
  /** Key high half; default the payload length (override to build an inconsistent packet). */
  payloadLength?: number;
  /** Default 0x880B (PPP). */
  protocol?: number;
}

/** GRE version 0 over IP. */
export function gre(fields: GreFields): IpPayload {
  return { protocol: IpProtocol.GRE, encode: () => encodeGre(fields) };
}

export function encodeGre(fields: GreFields): Buffer {
  const hasKey = fields.key !== undefined;
  const hasSequence = fields.sequence !== undefined;
  const headerLength = 4 + (fields.checksum ? 4 : 0) + (hasKey ? 4 : 0) + (hasSequence ? 4 : 0);
  const out = Buffer.alloc(headerLength + fields.payload.length);
  out[0] = (fields.checksum ? FLAG_CHECKSUM : 0) | (hasKey ? FLAG_KEY : 0) | (hasSequence ? FLAG_SEQUENCE : 0);
  out.writeUInt16BE(checkField("protocol", fields.protocol, 0xffff), 2);
  let offset = fields.checksum ? 8 : 4; // checksum(2) + reserved1(2) come first
  if (hasKey) {
    out.writeUInt32BE(checkField("key", fields.key ?? 0, 0xffffffff), offset);
    offset += 4;
  }
  if (hasSequence) out.writeUInt32BE(checkField("sequence", fields.sequence ?? 0, 0xffffffff), offset);
  out.set(fields.payload, headerLength);
  if (fields.checksum) out.writeUInt16BE(internetChecksum(out), 4);
  return out;
}

/** Enhanced GRE (PPTP) over IP. */
export function enhancedGre(fields: EnhancedGreFields): IpPayload {
  return { protocol: IpProtocol.GRE, encode: () => encodeEnhancedGre(fields) };
}

export function encodeEnhancedGre(fields: EnhancedGreFields): Buffer {
  const payload = fields.payload ?? new Uint8Array(0);
  const hasSequence = fields.sequence !== undefined;
  const hasAck = fields.ack !== undefined;
  const headerLength = 8 + (hasSequence ? 4 : 0) + (hasAck ? 4 : 0);
  const out = Buffer.alloc(headerLength + payload.length);
  out[0] = FLAG_KEY | (hasSequence ? FLAG_SEQUENCE : 0);
  out[1] = (hasAck ? FLAG_ACK : 0) | VERSION_ENHANCED;
  out.writeUInt16BE(checkField("protocol", fields.protocol ?? GRE_PROTOCOL_PPP, 0xffff), 2);
  out.writeUInt16BE(checkField("payloadLength", fields.payloadLength ?? payload.length, 0xffff), 4);
  out.writeUInt16BE(checkField("callId", fields.callId, 0xffff), 6);
  let offset = 8;
  if (hasSequence) {
    out.writeUInt32BE(checkField("sequence", fields.sequence ?? 0, 0xffffffff), offset);
    offset += 4;
  }
  if (hasAck) out.writeUInt32BE(checkField("ack", fields.ack ?? 0, 0xffffffff), offset);
  out.set(payload, headerLength);
  return out;
}
