/**
 * PAP, the Password Authentication Protocol (RFC 1334 §2.2): Authenticate-Request
 * carries Peer-ID and Password, each behind a length octet; Ack and Nak carry a
 * Msg-Length octet and a message.
 */
import { latin1Of } from "./bytes.js";
import { blankPacketHeader, decodePacketHeader } from "./control-packet.js";
import { unknownName } from "./protocols.js";

export const PapCode = {
  AuthenticateRequest: 1,
  AuthenticateAck: 2,
  AuthenticateNak: 3,
} as const;

export const PAP_CODE_NAMES: Readonly<Record<number, string>> = {
  1: "Authenticate-Request",
  2: "Authenticate-Ack",
  3: "Authenticate-Nak",
};

export interface PapPacket {
  protocol: "PAP";
  /** -1 when missing. */
  code: number;
  codeName: string;
  identifier: number;
  /** The Length field, -1 when missing. */
  length: number;
  /** Authenticate-Request (latin1; see bytes.ts). */
  peerId: string | null;
  password: string | null;
  /** Authenticate-Ack/Nak. */
  message: string | null;
  malformed: string | null;
}

/** The header decodePap reads each packet's header into (see blankPacketHeader). */
const papHeader = blankPacketHeader();

/** Decodes the PAP information field at `buf[offset .. offset + length)`. */
export function decodePap(buf: Uint8Array, offset: number, length: number): PapPacket {
  const header = decodePacketHeader(buf, offset, length, papHeader);
  const packet: PapPacket = {
    protocol: "PAP",
    code: header.code,
    codeName: header.code < 0 ? "missing" : (PAP_CODE_NAMES[header.code] ?? unknownName(header.code)),
    identifier: header.identifier,
    length: header.length,
    peerId: null,
    password: null,
    message: null,
    malformed: header.malformed,
  };
  const end = header.dataOffset + header.dataLength;
  let at = header.dataOffset;
  switch (header.code) {
    case PapCode.AuthenticateRequest: {
      const peerId = readLengthPrefixed(buf, at, end, "Peer-ID", packet);
      if (peerId === null) break;
      packet.peerId = peerId;
      at += 1 + peerId.length;
      packet.password = readLengthPrefixed(buf, at, end, "Password", packet);
      break;
    }
    case PapCode.AuthenticateAck:
    case PapCode.AuthenticateNak:
      packet.message = readLengthPrefixed(buf, at, end, "Message", packet);
      break;
    default:
      break;
  }
  return packet;
}

/**
 * Reads a length octet and that many bytes as text; null (and the packet noted as
 * malformed) when the length octet or its bytes lie beyond `end`.
 */
function readLengthPrefixed(
  buf: Uint8Array,
  at: number,
  end: number,
  field: string,
  packet: PapPacket,
): string | null {
  if (at >= end) {
    packet.malformed ??= `${packet.codeName} ends before the ${field} length octet`;
    return null;
  }
  const fieldLength = buf[at];
  if (fieldLength > end - at - 1) {
    packet.malformed ??= `${field} length ${fieldLength} overruns the ${end - at - 1} bytes left`;
    return null;
  }
  return latin1Of(buf, at + 1, fieldLength);
}
