/**
 * One hand-written example of each PPTP control message: the bytes laid out field by field
 * from the diagrams of RFC 2637 §2.1–2.15 (offsets in the comments), and the values those
 * bytes hold. Shared by the decoder test (bytes -> values) and the builder test
 * (values -> bytes); neither side is computed by the code under test.
 */
import type { PptpMessage } from "../../src/decode/pptp.js";
import { hex } from "../synth/helpers.js";

/** Hex of an ASCII text in a NUL-padded field of `size` bytes. */
export function textHex(value: string, size: number): string {
  return Buffer.from(value, "latin1").toString("hex") + "00".repeat(size - value.length);
}

/** The 12-byte header fields: length, PPTP message type 1 (control), magic cookie, control type, reserved0. */
function header(length: string, controlType: string): string[] {
  return [length, "0001", "1a2b3c4d", controlType, "0000"];
}

export interface PptpVector {
  bytes: Buffer;
  message: PptpMessage;
}

export const PPTP_VECTORS: PptpVector[] = [
  {
    bytes: hex(
      ...header("009c", "0001"), // 0: length 156, control type 1
      "0100", // 12: protocol version 1.0
      "0000", // 14: reserved1
      "00000001", // 16: framing capabilities: asynchronous
      "00000003", // 20: bearer capabilities: analog + digital
      "ffff", // 24: maximum channels 65535
      "0001", // 26: firmware revision 1
      textHex("local", 64), // 28: host name
      textHex("cananian", 64), // 92: vendor
    ),
    message: {
      type: 1, name: "Start-Control-Connection-Request", abbreviation: "SCCRQ", length: 156,
      protocolVersion: 0x0100, framingCapabilities: 1, bearerCapabilities: 3, maximumChannels: 65535,
      firmwareRevision: 1, hostName: "local", vendor: "cananian",
    },
  },
  {
    bytes: hex(
      ...header("009c", "0002"), // 0: length 156, control type 2
      "0100", // 12: protocol version 1.0
      "04", // 14: result 4 (requester not authorized)
      "00", // 15: error 0
      "00000003", // 16: framing capabilities: asynchronous + synchronous
      "00000002", // 20: bearer capabilities: digital
      "0000", // 24: maximum channels 0
      "1200", // 26: firmware revision 4608
      textHex("ixro-smdev-r1", 64), // 28: host name
      textHex("Cisco Systems, Inc.", 64), // 92: vendor
    ),
    message: {
      type: 2, name: "Start-Control-Connection-Reply", abbreviation: "SCCRP", length: 156,
      protocolVersion: 0x0100, resultCode: 4, errorCode: 0, framingCapabilities: 3, bearerCapabilities: 2,
      maximumChannels: 0, firmwareRevision: 4608, hostName: "ixro-smdev-r1", vendor: "Cisco Systems, Inc.",
    },
  },
  {
    bytes: hex(
      ...header("0010", "0003"), // 0: length 16, control type 3
      "02", // 12: reason 2 (stop-protocol)
      "00", // 13: reserved1
      "0000", // 14: reserved2
    ),
    message: { type: 3, name: "Stop-Control-Connection-Request", abbreviation: "StopCCRQ", length: 16, reason: 2 },
  },
  {
    bytes: hex(
      ...header("0010", "0004"), // 0: length 16, control type 4
      "02", // 12: result 2 (general error)
      "04", // 13: error 4 (no-resource)
      "0000", // 14: reserved1
    ),
    message: {
      type: 4, name: "Stop-Control-Connection-Reply", abbreviation: "StopCCRP", length: 16, resultCode: 2, errorCode: 4,
    },
  },
  {
    bytes: hex(
      ...header("0010", "0005"), // 0: length 16, control type 5
      "deadbeef", // 12: identifier 3735928559
    ),
    message: { type: 5, name: "Echo-Request", abbreviation: "ECHORQ", length: 16, identifier: 0xdeadbeef },
  },
  {
    bytes: hex(
      ...header("0014", "0006"), // 0: length 20, control type 6
      "deadbeef", // 12: identifier
      "01", // 16: result 1 (OK)
      "00", // 17: error 0
      "0000", // 18: reserved1
    ),
    message: {
      type: 6, name: "Echo-Reply", abbreviation: "ECHORP", length: 20, identifier: 0xdeadbeef, resultCode: 1, errorCode: 0,
    },
  },
  {
    bytes: hex(
      ...header("00a8", "0007"), // 0: length 168, control type 7
      "1234", // 12: call ID 4660
      "0005", // 14: call serial number 5
      "00000960", // 16: minimum BPS 2400
      "00989680", // 20: maximum BPS 10000000
      "00000003", // 24: bearer type 3 (any)
      "00000003", // 28: framing type 3 (either)
      "0040", // 32: packet receive window size 64
      "0000", // 34: packet processing delay 0
      "0004", // 36: phone number length 4
      "0000", // 38: reserved1
      textHex("5551", 64), // 40: phone number
      textHex("12", 64), // 104: subaddress
    ),
    message: {
      type: 7, name: "Outgoing-Call-Request", abbreviation: "OCRQ", length: 168,
      callId: 4660, callSerialNumber: 5, minimumBps: 2400, maximumBps: 10_000_000, bearerType: 3, framingType: 3,
      packetReceiveWindowSize: 64, packetProcessingDelay: 0, phoneNumberLength: 4, phoneNumber: "5551", subaddress: "12",
    },
  },
  {
    bytes: hex(
      ...header("0020", "0008"), // 0: length 32, control type 8
      "2deb", // 12: call ID 11755
      "1234", // 14: peer's call ID 4660
      "03", // 16: result 3 (no carrier)
      "00", // 17: error 0
      "0010", // 18: cause code 16
      "0000fa00", // 20: connect speed 64000
      "0010", // 24: packet receive window size 16
      "0005", // 26: packet processing delay 5
      "00000007", // 28: physical channel ID 7
    ),
    message: {
      type: 8, name: "Outgoing-Call-Reply", abbreviation: "OCRP", length: 32,
      callId: 11755, peerCallId: 4660, resultCode: 3, errorCode: 0, causeCode: 16, connectSpeed: 64000,
      packetReceiveWindowSize: 16, packetProcessingDelay: 5, physicalChannelId: 7,
    },
  },
  {
    bytes: hex(
      ...header("00dc", "0009"), // 0: length 220, control type 9
      "0102", // 12: call ID 258
      "0203", // 14: call serial number 515
      "00000002", // 16: call bearer type 2 (digital)
      "00000011", // 20: physical channel ID 17
      "0003", // 24: dialed number length 3
      "0007", // 26: dialing number length 7
      textHex("123", 64), // 28: dialed number
      textHex("5550100", 64), // 92: dialing number
      textHex("9", 64), // 156: subaddress
    ),
    message: {
      type: 9, name: "Incoming-Call-Request", abbreviation: "ICRQ", length: 220,
      callId: 258, callSerialNumber: 515, callBearerType: 2, physicalChannelId: 17, dialedNumberLength: 3,
      dialingNumberLength: 7, dialedNumber: "123", dialingNumber: "5550100", subaddress: "9",
    },
  },
  {
    bytes: hex(
      ...header("0018", "000a"), // 0: length 24, control type 10
      "0304", // 12: call ID 772
      "0102", // 14: peer's call ID 258
      "03", // 16: result 3 (do not accept)
      "00", // 17: error 0
      "0008", // 18: packet receive window size 8
      "0002", // 20: packet transmit delay 2
      "0000", // 22: reserved1
    ),
    message: {
      type: 10, name: "Incoming-Call-Reply", abbreviation: "ICRP", length: 24,
      callId: 772, peerCallId: 258, resultCode: 3, errorCode: 0, packetReceiveWindowSize: 8, packetTransmitDelay: 2,
    },
  },
  {
    bytes: hex(
      ...header("001c", "000b"), // 0: length 28, control type 11
      "0304", // 12: peer's call ID 772
      "0000", // 14: reserved1
      "0000e100", // 16: connect speed 57600
      "0010", // 20: packet receive window size 16
      "0003", // 22: packet transmit delay 3
      "00000001", // 24: framing type 1 (asynchronous)
    ),
    message: {
      type: 11, name: "Incoming-Call-Connected", abbreviation: "ICCN", length: 28,
      peerCallId: 772, connectSpeed: 57600, packetReceiveWindowSize: 16, packetTransmitDelay: 3, framingType: 1,
    },
  },
  {
    bytes: hex(
      ...header("0010", "000c"), // 0: length 16, control type 12
      "1234", // 12: call ID 4660
      "0000", // 14: reserved1
    ),
    message: { type: 12, name: "Call-Clear-Request", abbreviation: "CCRQ", length: 16, callId: 4660 },
  },
  {
    bytes: hex(
      ...header("0094", "000d"), // 0: length 148, control type 13
      "0018", // 12: call ID 24
      "02", // 14: result 2 (general error)
      "05", // 15: error 5 (bad-call-id)
      "0011", // 16: cause code 17
      "0000", // 18: reserved1
      textHex("rx 10 tx 12", 128), // 20: call statistics
    ),
    message: {
      type: 13, name: "Call-Disconnect-Notify", abbreviation: "CDN", length: 148,
      callId: 24, resultCode: 2, errorCode: 5, causeCode: 17, callStatistics: "rx 10 tx 12",
    },
  },
  {
    bytes: hex(
      ...header("0028", "000e"), // 0: length 40, control type 14
      "0100", // 12: peer's call ID 256
      "0000", // 14: reserved1
      "00000001", // 16: CRC errors 1
      "00000100", // 20: framing errors 256
      "00010000", // 24: hardware overruns 65536
      "01000000", // 28: buffer overruns 16777216
      "0000ffff", // 32: time-out errors 65535
      "80000000", // 36: alignment errors 2147483648
    ),
    message: {
      type: 14, name: "WAN-Error-Notify", abbreviation: "WEN", length: 40,
      peerCallId: 256, crcErrors: 1, framingErrors: 256, hardwareOverruns: 65536, bufferOverruns: 16777216,
      timeoutErrors: 65535, alignmentErrors: 2147483648,
    },
  },
  {
    bytes: hex(
      ...header("0018", "000f"), // 0: length 24, control type 15
      "0100", // 12: peer's call ID 256
      "0000", // 14: reserved1
      "000a0000", // 16: send ACCM 0x000a0000
      "ffffffff", // 20: receive ACCM 0xffffffff
    ),
    message: {
      type: 15, name: "Set-Link-Info", abbreviation: "SLI", length: 24,
      peerCallId: 256, sendAccm: 0x000a0000, receiveAccm: 0xffffffff,
    },
  },
];
