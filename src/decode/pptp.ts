/**
 * PPTP control messages (RFC 2637 §1.4, §2.1–2.16), as carried on the TCP control
 * connection (port 1723).
 *
 * Every message is described once, in PPTP_MESSAGES: its name, abbreviation, fixed
 * length, the request it answers, and its field list (name, offset, size, code table).
 * The decoder, the builder (src/synth/pptp.ts) and the reports all read that table, so
 * a change to a message is one table row. The decoder does not judge anything: result
 * and error codes are returned as numbers, their names come from the tables.
 *
 * A stream reassembler drives a PptpFieldsReader (decodePptpMessage() without the text
 * fields, which the session model does not read): it returns the number of bytes the
 * message at the offset needs while they have not all arrived, a decoded message once
 * they have, or a malformed result (bad magic cookie, bad length, unknown type) after
 * which the stream resyncs with findMagicCookie().
 */

import { u16be, u32be } from "../capture/bytes.js";
import { latin1Of } from "./ppp/bytes.js";

/** Every PPTP message carries this value in bytes 4..7 of its header (RFC 2637 §1.4). */
export const PPTP_MAGIC_COOKIE = 0x1a2b3c4d;
/** Length, PPTP message type, magic cookie, control message type, reserved0 (RFC 2637 §1.4). */
export const PPTP_HEADER_LENGTH = 12;
/** The shortest control messages (Stop-Control-Connection-Request/-Reply, Echo-Request, Call-Clear-Request). */
export const PPTP_MIN_MESSAGE_LENGTH = 16;
/** The longest control message (Incoming-Call-Request); anything longer is not a control message. */
export const PPTP_MAX_MESSAGE_LENGTH = 220;
/** PPTP message type 1 is a control message; 2 (management) was reserved and never specified (RFC 2637 §1.4). */
export const PPTP_CONTROL_MESSAGE = 1;
/** Control message types are 1..15 (RFC 2637 §2.1–2.15). */
const PPTP_CONTROL_TYPES = 15;

export const PptpMessageType = {
  StartControlConnectionRequest: 1,
  StartControlConnectionReply: 2,
  StopControlConnectionRequest: 3,
  StopControlConnectionReply: 4,
  EchoRequest: 5,
  EchoReply: 6,
  OutgoingCallRequest: 7,
  OutgoingCallReply: 8,
  IncomingCallRequest: 9,
  IncomingCallReply: 10,
  IncomingCallConnected: 11,
  CallClearRequest: 12,
  CallDisconnectNotify: 13,
  WanErrorNotify: 14,
  SetLinkInfo: 15,
} as const;
export type PptpMessageType = (typeof PptpMessageType)[keyof typeof PptpMessageType];

// ---------------------------------------------------------------------------
// Code tables (Wireshark value_string style)

/** Start-Control-Connection-Reply result code (RFC 2637 §2.2). */
export const SCCRP_RESULT_NAMES: Readonly<Record<number, string>> = {
  1: "successful channel establishment",
  2: "general error",
  3: "command channel already exists",
  4: "requester not authorized",
  5: "unsupported protocol version",
};

/** Stop-Control-Connection-Request reason (RFC 2637 §2.3). */
export const STOP_REASON_NAMES: Readonly<Record<number, string>> = {
  1: "none",
  2: "stop-protocol",
  3: "stop-local-shutdown",
};

/** Stop-Control-Connection-Reply result code (RFC 2637 §2.4). */
export const STOPCCRP_RESULT_NAMES: Readonly<Record<number, string>> = {
  1: "OK",
  2: "general error",
};

/** Echo-Reply result code (RFC 2637 §2.6). */
export const ECHO_RESULT_NAMES: Readonly<Record<number, string>> = {
  1: "OK",
  2: "general error",
};

/** Outgoing-Call-Reply result code (RFC 2637 §2.8). */
export const OCRP_RESULT_NAMES: Readonly<Record<number, string>> = {
  1: "connected",
  2: "general error",
  3: "no carrier",
  4: "busy",
  5: "no dial tone",
  6: "time-out",
  7: "do not accept",
};

/** Incoming-Call-Reply result code (RFC 2637 §2.10). */
export const ICRP_RESULT_NAMES: Readonly<Record<number, string>> = {
  1: "connect",
  2: "general error",
  3: "do not accept",
};

/** Call-Disconnect-Notify result code (RFC 2637 §2.13). */
export const CDN_RESULT_NAMES: Readonly<Record<number, string>> = {
  1: "lost carrier",
  2: "general error",
  3: "admin shutdown",
  4: "request",
};

/** Error code, meaningful when a result code says "general error" (RFC 2637 §2.16). */
export const GENERAL_ERROR_NAMES: Readonly<Record<number, string>> = {
  0: "none",
  1: "not-connected",
  2: "bad-format",
  3: "bad-value",
  4: "no-resource",
  5: "bad-call-id",
  6: "pac-error",
};

/** Framing Capabilities bits of Start-Control-Connection-Request/-Reply (RFC 2637 §2.1). */
export const FRAMING_CAPABILITY_BITS: Readonly<Record<number, string>> = {
  1: "asynchronous framing",
  2: "synchronous framing",
};

/** Bearer Capabilities bits of Start-Control-Connection-Request/-Reply (RFC 2637 §2.1). */
export const BEARER_CAPABILITY_BITS: Readonly<Record<number, string>> = {
  1: "analog access",
  2: "digital access",
};

/** Bearer Type of Outgoing-Call-Request and Incoming-Call-Request (RFC 2637 §2.7, §2.9; 3 only in the former). */
export const BEARER_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: "analog",
  2: "digital",
  3: "any",
};

/** Framing Type of Outgoing-Call-Request and Incoming-Call-Connected (RFC 2637 §2.7, §2.11; 3 only in the former). */
export const FRAMING_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: "asynchronous",
  2: "synchronous",
  3: "either",
};

// ---------------------------------------------------------------------------
// Messages

/** What every decoded message carries, from the header and the message table. */
export interface PptpMessageBase {
  /** Control message type (1..15). */
  type: PptpMessageType;
  /** Long name, e.g. "Outgoing-Call-Reply". */
  name: string;
  /** Abbreviation, e.g. "OCRP". */
  abbreviation: string;
  /** Value of the header's length field (equal to the type's fixed length once decoded). */
  length: number;
}

/** RFC 2637 §2.1. */
export interface StartControlConnectionRequest extends PptpMessageBase {
  type: 1;
  /** 0x0100 = version 1, revision 0. */
  protocolVersion: number;
  framingCapabilities: number;
  bearerCapabilities: number;
  maximumChannels: number;
  firmwareRevision: number;
  hostName: string;
  vendor: string;
}

/** RFC 2637 §2.2. */
export interface StartControlConnectionReply extends PptpMessageBase {
  type: 2;
  protocolVersion: number;
  resultCode: number;
  errorCode: number;
  framingCapabilities: number;
  bearerCapabilities: number;
  maximumChannels: number;
  firmwareRevision: number;
  hostName: string;
  vendor: string;
}

/** RFC 2637 §2.3. */
export interface StopControlConnectionRequest extends PptpMessageBase {
  type: 3;
  reason: number;
}

/** RFC 2637 §2.4. */
export interface StopControlConnectionReply extends PptpMessageBase {
  type: 4;
  resultCode: number;
  errorCode: number;
}

/** RFC 2637 §2.5. */
export interface EchoRequest extends PptpMessageBase {
  type: 5;
  identifier: number;
}

/** RFC 2637 §2.6. */
export interface EchoReply extends PptpMessageBase {
  type: 6;
  identifier: number;
  resultCode: number;
  errorCode: number;
}

/** RFC 2637 §2.7. Call ID is the sender's (the PNS's); GRE towards the PNS carries it. */
export interface OutgoingCallRequest extends PptpMessageBase {
  type: 7;
  callId: number;
  callSerialNumber: number;
  minimumBps: number;
  maximumBps: number;
  bearerType: number;
  framingType: number;
  packetReceiveWindowSize: number;
  packetProcessingDelay: number;
  phoneNumberLength: number;
  phoneNumber: string;
  subaddress: string;
}

/** RFC 2637 §2.8. Peer's call ID = the request's call ID. */
export interface OutgoingCallReply extends PptpMessageBase {
  type: 8;
  callId: number;
  peerCallId: number;
  resultCode: number;
  errorCode: number;
  causeCode: number;
  connectSpeed: number;
  packetReceiveWindowSize: number;
  packetProcessingDelay: number;
  physicalChannelId: number;
}

/** RFC 2637 §2.9. */
export interface IncomingCallRequest extends PptpMessageBase {
  type: 9;
  callId: number;
  callSerialNumber: number;
  callBearerType: number;
  physicalChannelId: number;
  dialedNumberLength: number;
  dialingNumberLength: number;
  dialedNumber: string;
  dialingNumber: string;
  subaddress: string;
}

/** RFC 2637 §2.10. */
export interface IncomingCallReply extends PptpMessageBase {
  type: 10;
  callId: number;
  peerCallId: number;
  resultCode: number;
  errorCode: number;
  packetReceiveWindowSize: number;
  packetTransmitDelay: number;
}

/** RFC 2637 §2.11. */
export interface IncomingCallConnected extends PptpMessageBase {
  type: 11;
  peerCallId: number;
  connectSpeed: number;
  packetReceiveWindowSize: number;
  packetTransmitDelay: number;
  framingType: number;
}

/** RFC 2637 §2.12. Call ID is the PNS's own. */
export interface CallClearRequest extends PptpMessageBase {
  type: 12;
  callId: number;
}

/** RFC 2637 §2.13. Call ID is the PAC's own (the PNS may not know its peer's yet). */
export interface CallDisconnectNotify extends PptpMessageBase {
  type: 13;
  callId: number;
  resultCode: number;
  errorCode: number;
  causeCode: number;
  /** Vendor-specific text for logging. */
  callStatistics: string;
}

/** RFC 2637 §2.14. */
export interface WanErrorNotify extends PptpMessageBase {
  type: 14;
  peerCallId: number;
  crcErrors: number;
  framingErrors: number;
  hardwareOverruns: number;
  bufferOverruns: number;
  timeoutErrors: number;
  alignmentErrors: number;
}

/** RFC 2637 §2.15. */
export interface SetLinkInfo extends PptpMessageBase {
  type: 15;
  peerCallId: number;
  sendAccm: number;
  receiveAccm: number;
}

export type PptpMessage =
  | StartControlConnectionRequest
  | StartControlConnectionReply
  | StopControlConnectionRequest
  | StopControlConnectionReply
  | EchoRequest
  | EchoReply
  | OutgoingCallRequest
  | OutgoingCallReply
  | IncomingCallRequest
  | IncomingCallReply
  | IncomingCallConnected
  | CallClearRequest
  | CallDisconnectNotify
  | WanErrorNotify
  | SetLinkInfo;

/** The message interface of one control type. */
export type PptpMessageOf<T extends PptpMessageType> = Extract<PptpMessage, { type: T }>;
/** Names of the body fields of one control type (what follows the 12-byte header). */
export type PptpFieldName<T extends PptpMessageType> = Exclude<keyof PptpMessageOf<T>, keyof PptpMessageBase>;

/** One field of a message body: big-endian unsigned integer, or fixed-size NUL-padded text. */
export interface PptpFieldSpec<Name extends string = string> {
  readonly name: Name;
  /** Offset from the start of the message (the header's length field). */
  readonly offset: number;
  /** Bytes: 1, 2 or 4 for integers, the field width for text. */
  readonly size: number;
  readonly kind: "uint" | "text";
  /** Names of the values (coded fields). */
  readonly codes?: Readonly<Record<number, string>>;
  /** Names of the bits (capability fields). */
  readonly bits?: Readonly<Record<number, string>>;
}

export interface PptpMessageSpec<T extends PptpMessageType = PptpMessageType> {
  readonly name: string;
  readonly abbreviation: string;
  /** Every control message has one fixed length (RFC 2637 §2.1–2.15). */
  readonly length: number;
  readonly fields: readonly PptpFieldSpec<PptpFieldName<T> & string>[];
}

/** The fixed-width text fields: host name, vendor, numbers, subaddress (64), call statistics (128). */
const TEXT_FIELD = 64;
const CALL_STATISTICS_FIELD = 128;

/** RFC 2637 §2.1–2.15: every control message, its fixed length and its fields at their offsets. */
export const PPTP_MESSAGES: { readonly [T in PptpMessageType]: PptpMessageSpec<T> } = {
  1: {
    name: "Start-Control-Connection-Request",
    abbreviation: "SCCRQ",
    length: 156,
    fields: [
      { name: "protocolVersion", offset: 12, size: 2, kind: "uint" },
      // 14: reserved1 (2)
      { name: "framingCapabilities", offset: 16, size: 4, kind: "uint", bits: FRAMING_CAPABILITY_BITS },
      { name: "bearerCapabilities", offset: 20, size: 4, kind: "uint", bits: BEARER_CAPABILITY_BITS },
      { name: "maximumChannels", offset: 24, size: 2, kind: "uint" },
      { name: "firmwareRevision", offset: 26, size: 2, kind: "uint" },
      { name: "hostName", offset: 28, size: TEXT_FIELD, kind: "text" },
      { name: "vendor", offset: 92, size: TEXT_FIELD, kind: "text" },
    ],
  },
  2: {
    name: "Start-Control-Connection-Reply",
    abbreviation: "SCCRP",
    length: 156,
    fields: [
      { name: "protocolVersion", offset: 12, size: 2, kind: "uint" },
      { name: "resultCode", offset: 14, size: 1, kind: "uint", codes: SCCRP_RESULT_NAMES },
      { name: "errorCode", offset: 15, size: 1, kind: "uint", codes: GENERAL_ERROR_NAMES },
      { name: "framingCapabilities", offset: 16, size: 4, kind: "uint", bits: FRAMING_CAPABILITY_BITS },
      { name: "bearerCapabilities", offset: 20, size: 4, kind: "uint", bits: BEARER_CAPABILITY_BITS },
      { name: "maximumChannels", offset: 24, size: 2, kind: "uint" },
      { name: "firmwareRevision", offset: 26, size: 2, kind: "uint" },
      { name: "hostName", offset: 28, size: TEXT_FIELD, kind: "text" },
      { name: "vendor", offset: 92, size: TEXT_FIELD, kind: "text" },
    ],
  },
  3: {
    name: "Stop-Control-Connection-Request",
    abbreviation: "StopCCRQ",
    length: 16,
    // 13: reserved1 (1), 14: reserved2 (2)
    fields: [{ name: "reason", offset: 12, size: 1, kind: "uint", codes: STOP_REASON_NAMES }],
  },
  4: {
    name: "Stop-Control-Connection-Reply",
    abbreviation: "StopCCRP",
    length: 16,
    // 14: reserved1 (2)
    fields: [
      { name: "resultCode", offset: 12, size: 1, kind: "uint", codes: STOPCCRP_RESULT_NAMES },
      { name: "errorCode", offset: 13, size: 1, kind: "uint", codes: GENERAL_ERROR_NAMES },
    ],
  },
  5: {
    name: "Echo-Request",
    abbreviation: "ECHORQ",
    length: 16,
    fields: [{ name: "identifier", offset: 12, size: 4, kind: "uint" }],
  },
  6: {
    name: "Echo-Reply",
    abbreviation: "ECHORP",
    length: 20,
    // 18: reserved1 (2)
    fields: [
      { name: "identifier", offset: 12, size: 4, kind: "uint" },
      { name: "resultCode", offset: 16, size: 1, kind: "uint", codes: ECHO_RESULT_NAMES },
      { name: "errorCode", offset: 17, size: 1, kind: "uint", codes: GENERAL_ERROR_NAMES },
    ],
  },
  7: {
    name: "Outgoing-Call-Request",
    abbreviation: "OCRQ",
    length: 168,
    fields: [
      { name: "callId", offset: 12, size: 2, kind: "uint" },
      { name: "callSerialNumber", offset: 14, size: 2, kind: "uint" },
      { name: "minimumBps", offset: 16, size: 4, kind: "uint" },
      { name: "maximumBps", offset: 20, size: 4, kind: "uint" },
      { name: "bearerType", offset: 24, size: 4, kind: "uint", codes: BEARER_TYPE_NAMES },
      { name: "framingType", offset: 28, size: 4, kind: "uint", codes: FRAMING_TYPE_NAMES },
      { name: "packetReceiveWindowSize", offset: 32, size: 2, kind: "uint" },
      { name: "packetProcessingDelay", offset: 34, size: 2, kind: "uint" },
      { name: "phoneNumberLength", offset: 36, size: 2, kind: "uint" },
      // 38: reserved1 (2)
      { name: "phoneNumber", offset: 40, size: TEXT_FIELD, kind: "text" },
      { name: "subaddress", offset: 104, size: TEXT_FIELD, kind: "text" },
    ],
  },
  8: {
    name: "Outgoing-Call-Reply",
    abbreviation: "OCRP",
    length: 32,
    fields: [
      { name: "callId", offset: 12, size: 2, kind: "uint" },
      { name: "peerCallId", offset: 14, size: 2, kind: "uint" },
      { name: "resultCode", offset: 16, size: 1, kind: "uint", codes: OCRP_RESULT_NAMES },
      { name: "errorCode", offset: 17, size: 1, kind: "uint", codes: GENERAL_ERROR_NAMES },
      { name: "causeCode", offset: 18, size: 2, kind: "uint" },
      { name: "connectSpeed", offset: 20, size: 4, kind: "uint" },
      { name: "packetReceiveWindowSize", offset: 24, size: 2, kind: "uint" },
      { name: "packetProcessingDelay", offset: 26, size: 2, kind: "uint" },
      { name: "physicalChannelId", offset: 28, size: 4, kind: "uint" },
    ],
  },
  9: {
    name: "Incoming-Call-Request",
    abbreviation: "ICRQ",
    length: 220,
    fields: [
      { name: "callId", offset: 12, size: 2, kind: "uint" },
      { name: "callSerialNumber", offset: 14, size: 2, kind: "uint" },
      { name: "callBearerType", offset: 16, size: 4, kind: "uint", codes: BEARER_TYPE_NAMES },
      { name: "physicalChannelId", offset: 20, size: 4, kind: "uint" },
      { name: "dialedNumberLength", offset: 24, size: 2, kind: "uint" },
      { name: "dialingNumberLength", offset: 26, size: 2, kind: "uint" },
      { name: "dialedNumber", offset: 28, size: TEXT_FIELD, kind: "text" },
      { name: "dialingNumber", offset: 92, size: TEXT_FIELD, kind: "text" },
      { name: "subaddress", offset: 156, size: TEXT_FIELD, kind: "text" },
    ],
  },
  10: {
    name: "Incoming-Call-Reply",
    abbreviation: "ICRP",
    length: 24,
    // 22: reserved1 (2)
    fields: [
      { name: "callId", offset: 12, size: 2, kind: "uint" },
      { name: "peerCallId", offset: 14, size: 2, kind: "uint" },
      { name: "resultCode", offset: 16, size: 1, kind: "uint", codes: ICRP_RESULT_NAMES },
      { name: "errorCode", offset: 17, size: 1, kind: "uint", codes: GENERAL_ERROR_NAMES },
      { name: "packetReceiveWindowSize", offset: 18, size: 2, kind: "uint" },
      { name: "packetTransmitDelay", offset: 20, size: 2, kind: "uint" },
    ],
  },
  11: {
    name: "Incoming-Call-Connected",
    abbreviation: "ICCN",
    length: 28,
    // 14: reserved1 (2)
    fields: [
      { name: "peerCallId", offset: 12, size: 2, kind: "uint" },
      { name: "connectSpeed", offset: 16, size: 4, kind: "uint" },
      { name: "packetReceiveWindowSize", offset: 20, size: 2, kind: "uint" },
      { name: "packetTransmitDelay", offset: 22, size: 2, kind: "uint" },
      { name: "framingType", offset: 24, size: 4, kind: "uint", codes: FRAMING_TYPE_NAMES },
    ],
  },
  12: {
    name: "Call-Clear-Request",
    abbreviation: "CCRQ",
    length: 16,
    // 14: reserved1 (2)
    fields: [{ name: "callId", offset: 12, size: 2, kind: "uint" }],
  },
  13: {
    name: "Call-Disconnect-Notify",
    abbreviation: "CDN",
    length: 148,
    // Sent on a Call-Clear-Request or on the PAC's own initiative; it names the PAC's call ID,
    // not the PNS's, so it pairs with the request through the call, not through a field.
    fields: [
      { name: "callId", offset: 12, size: 2, kind: "uint" },
      { name: "resultCode", offset: 14, size: 1, kind: "uint", codes: CDN_RESULT_NAMES },
      { name: "errorCode", offset: 15, size: 1, kind: "uint", codes: GENERAL_ERROR_NAMES },
      { name: "causeCode", offset: 16, size: 2, kind: "uint" },
      // 18: reserved1 (2)
      { name: "callStatistics", offset: 20, size: CALL_STATISTICS_FIELD, kind: "text" },
    ],
  },
  14: {
    name: "WAN-Error-Notify",
    abbreviation: "WEN",
    length: 40,
    // 14: reserved1 (2)
    fields: [
      { name: "peerCallId", offset: 12, size: 2, kind: "uint" },
      { name: "crcErrors", offset: 16, size: 4, kind: "uint" },
      { name: "framingErrors", offset: 20, size: 4, kind: "uint" },
      { name: "hardwareOverruns", offset: 24, size: 4, kind: "uint" },
      { name: "bufferOverruns", offset: 28, size: 4, kind: "uint" },
      { name: "timeoutErrors", offset: 32, size: 4, kind: "uint" },
      { name: "alignmentErrors", offset: 36, size: 4, kind: "uint" },
    ],
  },
  15: {
    name: "Set-Link-Info",
    abbreviation: "SLI",
    length: 24,
    // 14: reserved1 (2)
    fields: [
      { name: "peerCallId", offset: 12, size: 2, kind: "uint" },
      { name: "sendAccm", offset: 16, size: 4, kind: "uint" },
      { name: "receiveAccm", offset: 20, size: 4, kind: "uint" },
    ],
  },
};

/** The table row of a control type, undefined for types RFC 2637 does not define. */
export function pptpMessageSpec(type: number): PptpMessageSpec | undefined {
  return type >= 1 && type <= PPTP_CONTROL_TYPES ? (PPTP_MESSAGES[type as PptpMessageType] as PptpMessageSpec) : undefined;
}

/** "Outgoing-Call-Reply", or "control message type 99" for a type RFC 2637 does not define. */
export function pptpMessageName(type: number): string {
  return pptpMessageSpec(type)?.name ?? `control message type ${type}`;
}

/**
 * A field value with its name from the table: "1 (connected)", "3 (asynchronous framing,
 * synchronous framing)", "9 (unknown)"; the bare number for fields without names.
 */
export function describePptpField(type: PptpMessageType, field: string, value: number): string {
  const spec = PPTP_MESSAGES[type].fields.find((f) => f.name === field);
  if (spec?.codes) return `${value} (${spec.codes[value] ?? "unknown"})`;
  if (spec?.bits) {
    const names: string[] = [];
    for (const bit of Object.keys(spec.bits)) {
      if (value & Number(bit)) names.push(spec.bits[Number(bit)]!);
    }
    return `${value} (${names.length > 0 ? names.join(", ") : "none"})`;
  }
  return String(value);
}

// ---------------------------------------------------------------------------
// Decoding

/** Why a message could not be decoded (names in PPTP_ERROR_NAMES). */
export const PptpError = {
  None: 0,
  /** Bytes 4..7 are not 0x1A2B3C4D: not the start of a PPTP message. */
  BadMagicCookie: 1,
  /** PPTP message type other than 1 (control). */
  NotControlMessage: 2,
  /** Length field below 16, the shortest control message. */
  TooShort: 3,
  /** Control message type outside 1..15. */
  UnknownControlType: 4,
  /** Length field differs from the fixed length of the control type. */
  LengthMismatch: 5,
} as const;
export type PptpError = (typeof PptpError)[keyof typeof PptpError];

export const PPTP_ERROR_NAMES: Readonly<Record<number, string>> = {
  0: "none",
  1: "bad magic cookie",
  2: "not a control message",
  3: "length shorter than any control message",
  4: "unknown control message type",
  5: "length differs from the control type's fixed length",
};

/** A header that is not a PPTP control message header: why, as a code and as text. */
export interface PptpDecodeFailure {
  ok: false;
  error: PptpError;
  reason: string;
}

export type PptpDecodeResult = { ok: true; message: PptpMessage } | PptpDecodeFailure;

/** The fixed-width text fields (host name, vendor, numbers, subaddress, call statistics). */
export type PptpTextFieldName = "hostName" | "vendor" | "phoneNumber" | "subaddress" | "dialedNumber" | "dialingNumber" | "callStatistics";
/** A message without its text fields: what PptpFieldsReader makes (distributes over the union, so `type` still narrows). */
export type PptpMessageFields = PptpMessage extends infer M ? (M extends PptpMessage ? Omit<M, PptpTextFieldName> : never) : never;

/**
 * Checks the 12-byte header at `offset` (the caller makes sure 12 bytes are there).
 * Allocation-free, for a stream that wants to know before it waits for the body.
 */
export function pptpHeaderError(buf: Uint8Array, offset: number): PptpError {
  if (u32be(buf, offset + 4) !== PPTP_MAGIC_COOKIE) return PptpError.BadMagicCookie;
  if (u16be(buf, offset + 2) !== PPTP_CONTROL_MESSAGE) return PptpError.NotControlMessage;
  const length = u16be(buf, offset);
  if (length < PPTP_MIN_MESSAGE_LENGTH) return PptpError.TooShort;
  const spec = pptpMessageSpec(u16be(buf, offset + 8));
  if (!spec) return PptpError.UnknownControlType;
  if (length !== spec.length) return PptpError.LengthMismatch;
  return PptpError.None;
}

/**
 * Decodes the control message that starts at `offset`, where `available` bytes of the
 * stream are present (clipped to the buffer). Returns:
 *  - a number N > available: the message needs N bytes from `offset` (12 until the header
 *    is complete, then its length); call again once they are there;
 *  - { ok: true, message } for a complete, valid message (it is `message.length` bytes long);
 *  - { ok: false, error, reason } when the header is not a PPTP control message header;
 *    resync with findMagicCookie(buf, offset + 1, end).
 * Never throws; strings are read within their fields only.
 */
export function decodePptpMessage(buf: Uint8Array, offset: number, available: number): PptpDecodeResult | number {
  const result = decodeMessage(buf, offset, available, null);
  return result instanceof DecodedMessage ? { ok: true, message: result as unknown as PptpMessage } : result;
}

/**
 * decodePptpMessage() for a stream that hands each message to a listener at once: the
 * numbers only (the session model reads no text field), no result wrapper, and one message
 * object per control type, filled again by the next message of that type. A message is
 * valid until then: the listener copies what it keeps. Reading a capture thus makes no
 * object per control message (with their wrappers and texts, they were about a thirteenth
 * of what it allocated).
 */
export class PptpFieldsReader {
  /** By control type: the object its last message was decoded into. */
  private readonly byType: Array<DecodedMessage | undefined> = new Array<DecodedMessage | undefined>(PPTP_CONTROL_TYPES + 1).fill(undefined);

  /** As decodePptpMessage(): bytes needed, the message, or why the header is not a PPTP control message header (see pptpDecodeFailed). */
  read(buf: Uint8Array, offset: number, available: number): PptpMessageFields | PptpDecodeFailure | number {
    const result = decodeMessage(buf, offset, available, this.byType);
    return result instanceof DecodedMessage ? (result as unknown as PptpMessageFields) : result;
  }
}

/** Whether PptpFieldsReader.read() found a header that is not a PPTP control message header. */
export function pptpDecodeFailed(result: PptpMessageFields | PptpDecodeFailure): result is PptpDecodeFailure {
  return !(result instanceof DecodedMessage);
}

/**
 * The message at `offset`: a new object with every field (`reused` null), or the numbers
 * only, in the object `reused` holds for the type (made on the type's first message).
 */
function decodeMessage(
  buf: Uint8Array,
  offset: number,
  available: number,
  reused: Array<DecodedMessage | undefined> | null,
): DecodedMessage | PptpDecodeFailure | number {
  const present = Math.max(0, Math.min(available, buf.length - offset));
  if (present < PPTP_HEADER_LENGTH) return PPTP_HEADER_LENGTH;
  const error = pptpHeaderError(buf, offset);
  if (error !== PptpError.None) return { ok: false, error, reason: headerErrorReason(buf, offset, error) };
  const length = u16be(buf, offset);
  if (present < length) return length;

  const type = u16be(buf, offset + 8) as PptpMessageType;
  const spec = PPTP_MESSAGES[type] as PptpMessageSpec;
  // the header fields of a type never differ (its length is fixed): a reused object keeps them
  let message = reused?.[type];
  if (message === undefined) {
    message = new DecodedMessage(type, spec.name, spec.abbreviation, length);
    if (reused !== null) reused[type] = message;
  }
  const withText = reused === null;
  const fields = spec.fields;
  // indexed: a for-of here made an iterator object per message
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    const at = offset + field.offset;
    if (field.kind === "uint") message[field.name] = readUint(buf, at, field.size);
    else if (withText) message[field.name] = readText(buf, at, field.size);
  }
  return message;
}

/**
 * A decoded message: the header fields, then the body fields that decodePptpMessage adds
 * from the table. Made with `new` because V8 then reserves room inside the object for
 * fields added after the constructor (8 more); added to an object literal, they would go
 * to a separate store that is reallocated and copied as it grows.
 */
class DecodedMessage {
  [field: string]: unknown;
  constructor(
    readonly type: PptpMessageType,
    readonly name: string,
    readonly abbreviation: string,
    readonly length: number,
  ) {}
}

function headerErrorReason(buf: Uint8Array, offset: number, error: PptpError): string {
  const length = u16be(buf, offset);
  switch (error) {
    case PptpError.BadMagicCookie:
      return `bad magic cookie 0x${u32be(buf, offset + 4).toString(16).padStart(8, "0")} (expected 0x1a2b3c4d)`;
    case PptpError.NotControlMessage:
      return `PPTP message type ${u16be(buf, offset + 2)} is not 1 (control message)`;
    case PptpError.TooShort:
      return `length ${length} is shorter than the ${PPTP_MIN_MESSAGE_LENGTH} bytes of the shortest control message`;
    case PptpError.UnknownControlType:
      return `unknown control message type ${u16be(buf, offset + 8)}`;
    default: {
      const spec = pptpMessageSpec(u16be(buf, offset + 8));
      return `length ${length} differs from the ${spec?.length} bytes of ${spec?.name}`;
    }
  }
}

/**
 * Offset of the first plausible message start in [from, end - 8]: the magic cookie at +4,
 * PPTP message type 1 at +2 and a length at +0 between the shortest and the longest
 * control message. -1 when there is none (a message may still begin in the last 7 bytes).
 */
export function findMagicCookie(buf: Uint8Array, from: number, end: number): number {
  const last = Math.min(end, buf.length) - 8;
  for (let p = Math.max(0, from); p <= last; p++) {
    if (buf[p + 4] !== 0x1a || buf[p + 5] !== 0x2b || buf[p + 6] !== 0x3c || buf[p + 7] !== 0x4d) continue;
    if (buf[p + 2] !== 0 || buf[p + 3] !== PPTP_CONTROL_MESSAGE) continue;
    const length = u16be(buf, p);
    if (length >= PPTP_MIN_MESSAGE_LENGTH && length <= PPTP_MAX_MESSAGE_LENGTH) return p;
  }
  return -1;
}

function readUint(buf: Uint8Array, at: number, size: number): number {
  return size === 1 ? buf[at]! : size === 2 ? u16be(buf, at) : u32be(buf, at);
}

/**
 * A fixed-width, NUL-padded text field, up to its first NUL. Read as Latin-1: RFC 2637
 * says only "string" (in practice ASCII), and Latin-1 maps every byte to one character,
 * so nothing is replaced or lost and odd bytes stay visible in a report (UTF-8 would turn
 * a stray byte into U+FFFD and hide what was sent).
 */
function readText(buf: Uint8Array, at: number, size: number): string {
  let end = at;
  while (end < at + size && buf[end] !== 0) end++;
  return latin1Of(buf, at, end - at);
}
