/**
 * PPP framing as captures show it: the PPP header (RFC 1661 §2) with or without the
 * HDLC address/control bytes FF 03 (RFC 1662 §3.1), PPPoE (RFC 2516) and the direction
 * byte of LINKTYPE_PPP_WITH_DIR.
 *
 * Link types: PPP (9) and PPP_HDLC (50) take ppp() as it is (50 always with FF 03; pcap
 * stores it without byte stuffing); PPP_WITH_DIR (204) takes pppWithDirection(); PPP_ETHER
 * (51) takes pppoeSession() with no Ethernet header.
 */
import { PPP_ADDRESS_ALL_STATIONS, PPP_CONTROL_UNNUMBERED } from "../decode/ppp-header.js";
import { PPPOE_HEADER_LENGTH, PPPOE_VERSION_TYPE, PppoeCode } from "../decode/pppoe.js";
import { checkField } from "./bytes.js";

/** The PPP_WITH_DIR direction byte (libpcap LINKTYPE_PPP_WITH_DIR: zero = received, non-zero = sent). */
export const PppDirection = { Received: 0, Sent: 1 } as const;

/** PPPoE discovery tag types (RFC 2516 Appendix A). */
export const PppoeTag = {
  EndOfList: 0x0000,
  ServiceName: 0x0101,
  AcName: 0x0102,
  HostUniq: 0x0103,
  AcCookie: 0x0104,
  VendorSpecific: 0x0105,
  RelaySessionId: 0x0110,
  ServiceNameError: 0x0201,
  AcSystemError: 0x0202,
  GenericError: 0x0203,
} as const;

export interface PppFields {
  protocol: number;
  payload: Uint8Array;
  /** FF 03 in front (default true); false after Address-and-Control-Field-Compression (RFC 1661 §6.6). */
  addressControl?: boolean;
  /** One-byte protocol field (Protocol-Field-Compression, RFC 1661 §6.5); only for protocols below 0x100. */
  compressProtocol?: boolean;
}

export function ppp(fields: PppFields): Buffer {
  checkField("PPP protocol", fields.protocol, 0xffff);
  if (fields.compressProtocol && fields.protocol > 0xff) {
    throw new RangeError(`PPP protocol 0x${fields.protocol.toString(16)} cannot be sent in one byte`);
  }
  const addressControl = fields.addressControl ?? true;
  const headerLength = (addressControl ? 2 : 0) + (fields.compressProtocol ? 1 : 2);
  const out = Buffer.alloc(headerLength + fields.payload.length);
  let offset = 0;
  if (addressControl) {
    out[offset++] = PPP_ADDRESS_ALL_STATIONS;
    out[offset++] = PPP_CONTROL_UNNUMBERED;
  }
  if (fields.compressProtocol) out[offset] = fields.protocol;
  else out.writeUInt16BE(fields.protocol, offset);
  out.set(fields.payload, headerLength);
  return out;
}

/** LINKTYPE_PPP_WITH_DIR: a direction byte before a PPP frame as ppp() builds it. */
export function pppWithDirection(direction: number, frame: Uint8Array): Buffer {
  const out = Buffer.alloc(1 + frame.length);
  out[0] = checkField("direction", direction, 0xff);
  out.set(frame, 1);
  return out;
}

export interface PppoeSessionFields {
  sessionId: number;
  /** The PPP frame without FF 03: ppp({ ..., addressControl: false }). */
  payload: Uint8Array;
  /** Length field; default the payload length. */
  length?: number;
}

/** PPPoE session stage header (RFC 2516 §6) followed by the payload. */
export function pppoeSession(fields: PppoeSessionFields): Buffer {
  return pppoe(PppoeCode.Session, fields.sessionId, fields.payload, fields.length);
}

export interface PppoeDiscoveryFields {
  /** PppoeCode.PADI etc. (the decoder's table in decode/pppoe.ts). */
  code: number;
  /** 0 until PADS assigns one (RFC 2516 §5). */
  sessionId?: number;
  tags?: Array<{ type: number; value?: Uint8Array | string }>;
}

/** PPPoE discovery packet (RFC 2516 §5): header and TLV tags (type 2, length 2, value). */
export function pppoeDiscovery(fields: PppoeDiscoveryFields): Buffer {
  const tags = (fields.tags ?? []).map((tag) => {
    const value = typeof tag.value === "string" ? Buffer.from(tag.value, "utf8") : tag.value ?? new Uint8Array(0);
    const out = Buffer.alloc(4 + value.length);
    out.writeUInt16BE(checkField("tag type", tag.type, 0xffff), 0);
    out.writeUInt16BE(checkField("tag length", value.length, 0xffff), 2);
    out.set(value, 4);
    return out;
  });
  return pppoe(fields.code, fields.sessionId ?? 0, Buffer.concat(tags), undefined);
}

function pppoe(code: number, sessionId: number, payload: Uint8Array, length: number | undefined): Buffer {
  const out = Buffer.alloc(PPPOE_HEADER_LENGTH + payload.length);
  out[0] = PPPOE_VERSION_TYPE;
  out[1] = checkField("PPPoE code", code, 0xff);
  out.writeUInt16BE(checkField("sessionId", sessionId, 0xffff), 2);
  out.writeUInt16BE(checkField("PPPoE length", length ?? payload.length, 0xffff), 4);
  out.set(payload, PPPOE_HEADER_LENGTH);
  return out;
}
