/**
 * CHAP, the Challenge Handshake Authentication Protocol (RFC 1994 §4), with the
 * Microsoft dialects negotiated by the LCP algorithm octet: MS-CHAP (0x80, RFC 2433)
 * and MS-CHAPv2 (0x81, RFC 2759). Their Success and Failure messages are formatted
 * text ("S=<hex> M=<msg>", "E=691 R=0 C=<hex> V=3 M=<msg>") that we parse.
 */
import { hexOf, latin1Of } from "./bytes.js";
import { blankPacketHeader, decodePacketHeader } from "./control-packet.js";
import { ChapAlgorithm, unknownName } from "./protocols.js";

export const ChapCode = {
  Challenge: 1,
  Response: 2,
  Success: 3,
  Failure: 4,
} as const;

export const CHAP_CODE_NAMES: Readonly<Record<number, string>> = {
  1: "Challenge",
  2: "Response",
  3: "Success",
  4: "Failure",
};

/** MS-CHAP Failure error codes (RFC 2433 §6, RFC 2759 §6), with what they mean to a user. */
export const MSCHAP_ERRORS: Readonly<Record<number, { symbol: string; meaning: string }>> = {
  646: { symbol: "ERROR_RESTRICTED_LOGON_HOURS", meaning: "restricted logon hours" },
  647: { symbol: "ERROR_ACCT_DISABLED", meaning: "account disabled" },
  648: { symbol: "ERROR_PASSWD_EXPIRED", meaning: "password expired" },
  649: { symbol: "ERROR_NO_DIALIN_PERMISSION", meaning: "no dial-in permission" },
  691: { symbol: "ERROR_AUTHENTICATION_FAILURE", meaning: "authentication failure (bad user name or password)" },
  709: { symbol: "ERROR_CHANGING_PASSWORD", meaning: "error changing password" },
};

/** Challenge sizes the Microsoft dialects require (RFC 2433 §3, RFC 2759 §3). */
const MS_CHALLENGE_SIZE: Readonly<Record<number, number>> = { 0x80: 8, 0x81: 16 };
/** Both dialects send a 49-byte Response value (RFC 2433 §5, RFC 2759 §4). */
const MS_RESPONSE_SIZE = 49;
/** MS-CHAPv2 Response value: Peer-Challenge 16, Reserved 8, NT-Response 24, Flags 1 (RFC 2759 §4). */
const V2_PEER_CHALLENGE = 16;
const V2_RESERVED = 8;
const NT_RESPONSE = 24;
/** MS-CHAP Response value: LAN Manager response 24, NT response 24, use-NT flag 1 (RFC 2433 §5). */
const LM_RESPONSE = 24;
/** MS-CHAPv2 Success: "S=", the 20-byte authenticator response as 40 hex digits, then " M=<message>" (RFC 2759 §5). */
const MS_CHAP_V2_SUCCESS = /^S=([0-9A-Fa-f]{40})(?: +M=(.*))?$/s;

export interface MsChapV2Response {
  /** Hex. */
  peerChallenge: string;
  reserved: string;
  ntResponse: string;
  flags: number;
}

export interface MsChapResponse {
  /** Hex. */
  lmResponse: string;
  ntResponse: string;
  useNtResponse: boolean;
}

/** "E=eeee R=r C=cccc V=vvvv M=<msg>" (RFC 2759 §6; MS-CHAP v1 has no M=, RFC 2433 §6). */
export interface MsChapFailure {
  error: number;
  /** The symbol and meaning from MSCHAP_ERRORS, or "unknown error N". */
  errorName: string;
  errorMeaning: string;
  /** R=1: the authenticator accepts another try; null when absent. */
  retry: boolean | null;
  /** C=: the next challenge, as the hex text sent. */
  challenge: string | null;
  /** V=: the password-change protocol version. */
  version: number | null;
  /** M=: free text to the end of the message. */
  message: string | null;
}

/** "S=<40 hex> M=<msg>" (RFC 2759 §5). */
export interface MsChapV2Success {
  authenticatorResponse: string;
  message: string | null;
}

export interface ChapPacket {
  protocol: "CHAP";
  /** -1 when missing. */
  code: number;
  codeName: string;
  identifier: number;
  /** The Length field, -1 when missing. */
  length: number;
  /** Challenge/Response: Value-Size, Value (hex) and Name (latin1). */
  valueSize: number | null;
  value: string | null;
  name: string | null;
  /** Success/Failure: the Message (latin1). */
  message: string | null;
  /** Response when the algorithm is MS-CHAPv2 / MS-CHAP. */
  msChapV2Response: MsChapV2Response | null;
  msChapResponse: MsChapResponse | null;
  /** Failure text in the MS-CHAP format. */
  msChapFailure: MsChapFailure | null;
  /** Success text in the MS-CHAPv2 format. */
  msChapV2Success: MsChapV2Success | null;
  malformed: string | null;
}

/**
 * What decodeChap decodes: "all" the fields, or only the "names" and results, for a reader
 * that keeps nothing else (the negotiation model): the Value, its Microsoft layout and the
 * MS-CHAPv2 Success fields are then left null, though the checks of their sizes still make
 * the packet malformed as with "all". They are hex text of the secrets exchanged, made for
 * nothing in a reader that drops them.
 */
export type ChapDetail = "all" | "names";

/** The header decodeChap reads each packet's header into (see blankPacketHeader). */
const chapHeader = blankPacketHeader();

/**
 * Decodes the CHAP information field at `buf[offset .. offset + length)`. `algorithm`
 * is the CHAP algorithm LCP negotiated for this direction (-1 when unknown): it decides
 * how a Response value is laid out. MS-CHAP Success/Failure texts describe themselves
 * and are parsed unless the algorithm is known to be another.
 */
export function decodeChap(
  buf: Uint8Array,
  offset: number,
  length: number,
  algorithm = -1,
  detail: ChapDetail = "all",
): ChapPacket {
  const header = decodePacketHeader(buf, offset, length, chapHeader);
  const packet: ChapPacket = {
    protocol: "CHAP",
    code: header.code,
    codeName: header.code < 0 ? "missing" : (CHAP_CODE_NAMES[header.code] ?? unknownName(header.code)),
    identifier: header.identifier,
    length: header.length,
    valueSize: null,
    value: null,
    name: null,
    message: null,
    msChapV2Response: null,
    msChapResponse: null,
    msChapFailure: null,
    msChapV2Success: null,
    malformed: header.malformed,
  };
  const at = header.dataOffset;
  const end = header.dataOffset + header.dataLength;
  const microsoft = algorithm === -1 || algorithm === ChapAlgorithm.MsChap || algorithm === ChapAlgorithm.MsChapV2;
  switch (header.code) {
    case ChapCode.Challenge:
    case ChapCode.Response:
      decodeValueAndName(buf, at, end, packet, algorithm, detail);
      break;
    case ChapCode.Success:
      packet.message = latin1Of(buf, at, end - at);
      if (microsoft && detail === "all") packet.msChapV2Success = parseMsChapV2Success(packet.message);
      break;
    case ChapCode.Failure:
      packet.message = latin1Of(buf, at, end - at);
      if (microsoft) packet.msChapFailure = parseMsChapFailure(packet.message);
      break;
    default:
      break;
  }
  return packet;
}

/** Value-Size, Value (hex) and Name (latin1), each null when missing. */
export interface ValueAndName {
  valueSize: number | null;
  value: string | null;
  name: string | null;
  malformed: string | null;
}

/**
 * Reads Value-Size, Value, Name from `buf[at .. end)`: the CHAP Challenge/Response
 * layout (RFC 1994 §4.1), which EAP MD5-Challenge reuses (RFC 3748 §5.4). A Value cut
 * short is handed out as far as it goes; not at all (null) without `withValue`.
 */
export function readValueAndName(buf: Uint8Array, at: number, end: number, withValue = true): ValueAndName {
  if (at >= end) return { valueSize: null, value: null, name: null, malformed: "no Value-Size octet" };
  const size = buf[at];
  const present = Math.min(size, end - at - 1);
  const value = withValue ? hexOf(buf, at + 1, present) : null;
  if (present < size) {
    return { valueSize: size, value, name: null, malformed: `Value-Size ${size} overruns the ${end - at - 1} bytes left` };
  }
  return { valueSize: size, value, name: latin1Of(buf, at + 1 + size, end - at - 1 - size), malformed: null };
}

/** Challenge and Response: the value and name, then the Microsoft layouts of the value. */
function decodeValueAndName(
  buf: Uint8Array,
  at: number,
  end: number,
  packet: ChapPacket,
  algorithm: number,
  detail: ChapDetail,
): void {
  const read = readValueAndName(buf, at, end, detail === "all");
  packet.valueSize = read.valueSize;
  packet.value = read.value;
  packet.name = read.name;
  if (read.malformed !== null) {
    packet.malformed ??= `${packet.codeName}: ${read.malformed}`;
    return;
  }
  const size = buf[at];
  const valueAt = at + 1;
  if (packet.code === ChapCode.Challenge) {
    const wanted = MS_CHALLENGE_SIZE[algorithm];
    if (wanted !== undefined && size !== wanted) {
      const dialect = algorithm === ChapAlgorithm.MsChapV2 ? "MS-CHAPv2" : "MS-CHAP";
      packet.malformed ??= `the ${dialect} challenge must be ${wanted} bytes, got ${size}`;
    }
    return;
  }
  if (algorithm !== ChapAlgorithm.MsChap && algorithm !== ChapAlgorithm.MsChapV2) return;
  if (size !== MS_RESPONSE_SIZE) {
    packet.malformed ??= `an MS-CHAP response value must be ${MS_RESPONSE_SIZE} bytes, got ${size}`;
    return;
  }
  if (detail !== "all") return;
  if (algorithm === ChapAlgorithm.MsChapV2) {
    packet.msChapV2Response = {
      peerChallenge: hexOf(buf, valueAt, V2_PEER_CHALLENGE),
      reserved: hexOf(buf, valueAt + V2_PEER_CHALLENGE, V2_RESERVED),
      ntResponse: hexOf(buf, valueAt + V2_PEER_CHALLENGE + V2_RESERVED, NT_RESPONSE),
      flags: buf[valueAt + V2_PEER_CHALLENGE + V2_RESERVED + NT_RESPONSE],
    };
  } else {
    packet.msChapResponse = {
      lmResponse: hexOf(buf, valueAt, LM_RESPONSE),
      ntResponse: hexOf(buf, valueAt + LM_RESPONSE, NT_RESPONSE),
      useNtResponse: buf[valueAt + LM_RESPONSE + NT_RESPONSE] === 1,
    };
  }
}

/**
 * Parses "E=691 R=1 C=<hex> V=3 M=<message>"; null when the text does not start with
 * a numeric E=. Fields are separated by spaces; M= runs to the end and may hold spaces.
 * Fields other than E are optional (servers differ in which they send).
 */
export function parseMsChapFailure(text: string): MsChapFailure | null {
  const errorMatch = /^E=(\d+)/.exec(text);
  if (errorMatch === null) return null;
  const error = Number(errorMatch[1]);
  const known = MSCHAP_ERRORS[error];
  const failure: MsChapFailure = {
    error,
    errorName: known?.symbol ?? `unknown error ${error}`,
    errorMeaning: known?.meaning ?? "not listed in RFC 2759",
    retry: null,
    challenge: null,
    version: null,
    message: null,
  };
  let rest = text.slice(errorMatch[0].length).trimStart();
  while (rest.length > 0) {
    if (rest.startsWith("M=")) {
      failure.message = rest.slice(2);
      break;
    }
    const space = rest.indexOf(" ");
    const token = space < 0 ? rest : rest.slice(0, space);
    rest = space < 0 ? "" : rest.slice(space + 1).trimStart();
    const value = token.slice(2);
    if (token.startsWith("R=") && (value === "0" || value === "1")) failure.retry = value === "1";
    else if (token.startsWith("C=")) failure.challenge = value;
    else if (token.startsWith("V=") && /^\d+$/.test(value)) failure.version = Number(value);
  }
  return failure;
}

/** Parses "S=<40 hex digits>" with an optional " M=<message>"; null for any other text. */
export function parseMsChapV2Success(text: string): MsChapV2Success | null {
  const match = MS_CHAP_V2_SUCCESS.exec(text);
  if (match === null) return null;
  return { authenticatorResponse: match[1], message: match[2] ?? null };
}
