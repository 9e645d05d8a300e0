/**
 * EAP, the Extensible Authentication Protocol over PPP (RFC 3748 §4-5): Request and
 * Response carry a Type and type data; Success and Failure carry nothing.
 */
import { hexOf, latin1Of } from "./bytes.js";
import { readValueAndName } from "./chap.js";
import { blankPacketHeader, decodePacketHeader } from "./control-packet.js";
import { nameOf, unknownName } from "./protocols.js";

export const EapCode = {
  Request: 1,
  Response: 2,
  Success: 3,
  Failure: 4,
} as const;

export const EAP_CODE_NAMES: Readonly<Record<number, string>> = {
  1: "Request",
  2: "Response",
  3: "Success",
  4: "Failure",
  5: "Initiate", // RFC 6696
  6: "Finish",
};

export const EapType = {
  Identity: 1,
  Notification: 2,
  Nak: 3,
  Md5Challenge: 4,
} as const;

/** EAP method types (IANA "Method Types"). */
export const EAP_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: "Identity",
  2: "Notification",
  3: "Legacy-Nak",
  4: "MD5-Challenge",
  5: "One-Time-Password",
  6: "Generic-Token-Card",
  13: "EAP-TLS",
  17: "LEAP",
  18: "EAP-SIM",
  21: "EAP-TTLS",
  23: "EAP-AKA",
  25: "PEAP",
  26: "EAP-MSCHAPv2",
  43: "EAP-FAST",
  47: "EAP-PSK",
  49: "EAP-IKEv2",
  50: "EAP-AKA'",
  52: "EAP-pwd",
  254: "Expanded",
  255: "Experimental",
};

export interface EapPacket {
  protocol: "EAP";
  /** -1 when missing. */
  code: number;
  codeName: string;
  identifier: number;
  /** The Length field, -1 when missing. */
  length: number;
  /** Request/Response: the method type, null for Success/Failure. */
  type: number | null;
  typeName: string | null;
  /** Identity (RFC 3748 §5.1), latin1 (the RFC says UTF-8; see bytes.ts). */
  identity: string | null;
  /** Notification (§5.2), latin1. */
  notification: string | null;
  /** Legacy Nak (§5.3.1): the types the peer would accept instead. */
  desiredTypes: number[] | null;
  /** MD5-Challenge (§5.4): Value-Size, Value (hex), Name (latin1), laid out as in CHAP. */
  valueSize: number | null;
  value: string | null;
  name: string | null;
  /** Type data not decoded into the fields above, as hex. */
  data: string;
  malformed: string | null;
}

/** The header decodeEap reads each packet's header into (see blankPacketHeader). */
const eapHeader = blankPacketHeader();

/** Decodes the EAP information field at `buf[offset .. offset + length)`. */
export function decodeEap(buf: Uint8Array, offset: number, length: number): EapPacket {
  const header = decodePacketHeader(buf, offset, length, eapHeader);
  const packet: EapPacket = {
    protocol: "EAP",
    code: header.code,
    codeName: header.code < 0 ? "missing" : (EAP_CODE_NAMES[header.code] ?? unknownName(header.code)),
    identifier: header.identifier,
    length: header.length,
    type: null,
    typeName: null,
    identity: null,
    notification: null,
    desiredTypes: null,
    valueSize: null,
    value: null,
    name: null,
    data: "",
    malformed: header.malformed,
  };
  let at = header.dataOffset;
  const end = header.dataOffset + header.dataLength;
  if (header.code !== EapCode.Request && header.code !== EapCode.Response) {
    packet.data = hexOf(buf, at, end - at);
    return packet;
  }
  if (at >= end) {
    packet.malformed ??= `${packet.codeName} without its Type octet`;
    return packet;
  }
  packet.type = buf[at];
  packet.typeName = nameOf(EAP_TYPE_NAMES, packet.type);
  at++;
  switch (packet.type) {
    case EapType.Identity:
      packet.identity = latin1Of(buf, at, end - at);
      at = end;
      break;
    case EapType.Notification:
      packet.notification = latin1Of(buf, at, end - at);
      at = end;
      break;
    case EapType.Nak:
      packet.desiredTypes = Array.from(buf.subarray(at, end));
      at = end;
      break;
    case EapType.Md5Challenge: {
      const read = readValueAndName(buf, at, end);
      packet.valueSize = read.valueSize;
      packet.value = read.value;
      packet.name = read.name;
      if (read.malformed !== null) packet.malformed ??= `MD5-Challenge: ${read.malformed}`;
      at = end;
      break;
    }
    default:
      break;
  }
  packet.data = hexOf(buf, at, end - at);
  return packet;
}
