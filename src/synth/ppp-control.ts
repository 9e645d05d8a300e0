/**
 * Builders for the information field of PPP control and authentication packets: LCP,
 * IPCP, IPV6CP, CCP (RFC 1661 §5-6 packet and option format), PAP (RFC 1334), CHAP with
 * the MS-CHAP and MS-CHAPv2 texts (RFC 1994, 2433, 2759) and EAP (RFC 3748). Wrap the
 * result with ppp({ protocol, payload }) to get a PPP frame.
 *
 * Numbers come from the decoders' tables (one source of truth); the tests hold both
 * against hand-written RFC layouts and tshark, which is what catches a wrong entry.
 * Texts are written as latin1, one byte per character, the way the decoders read them.
 * Values out of range throw RangeError (a fixture asking for them has a bug; damaged
 * packets are made by patching the output).
 */
import { CcpOptionType } from "../decode/ppp/ccp.js";
import { CONTROL_HEADER_LENGTH, ControlCode, OPTION_HEADER_LENGTH } from "../decode/ppp/control-packet.js";
import { EapType } from "../decode/ppp/eap.js";
import { IpCompression, IpcpOptionType } from "../decode/ppp/ipcp.js";
import { Ipv6cpOptionType } from "../decode/ppp/ipv6cp.js";
import { LcpOptionType } from "../decode/ppp/lcp.js";
import { PapCode } from "../decode/ppp/pap.js";
import { PppProtocol } from "../decode/ppp/protocols.js";
import { ipv4Address } from "./addresses.js";
import { checkField } from "./bytes.js";

const EMPTY = new Uint8Array(0);
const MAX_OPTION_LENGTH = 0xff;
const MAX_PACKET_LENGTH = 0xffff;

/** Code, Identifier, Length, then the data parts in order (RFC 1661 §5); PAP, CHAP and EAP share this header. */
export function controlPacket(code: number, identifier: number, ...data: Uint8Array[]): Buffer {
  const body = Buffer.concat(data);
  const length = checkField("packet length", CONTROL_HEADER_LENGTH + body.length, MAX_PACKET_LENGTH);
  const out = Buffer.alloc(length);
  out[0] = checkField("code", code, 0xff);
  out[1] = checkField("identifier", identifier, 0xff);
  out.writeUInt16BE(length, 2);
  body.copy(out, CONTROL_HEADER_LENGTH);
  return out;
}

/** One option: Type, Length (value length + 2), then the value parts in order (RFC 1661 §6). */
export function configOption(type: number, ...value: Uint8Array[]): Buffer {
  const body = Buffer.concat(value);
  const length = checkField("option length", OPTION_HEADER_LENGTH + body.length, MAX_OPTION_LENGTH);
  const out = Buffer.alloc(length);
  out[0] = checkField("option type", type, 0xff);
  out[1] = length;
  body.copy(out, OPTION_HEADER_LENGTH);
  return out;
}

/** Configure-Request/Ack/Nak/Reject with the options in the order given. */
export function configurePacket(code: number, identifier: number, options: readonly Uint8Array[]): Buffer {
  return controlPacket(code, identifier, ...options);
}

/**
 * An LCP Configure-Request whose Maximum-Receive-Unit option (4 bytes) claims Length 10: the
 * option overruns the packet, a malformed control packet (RFC 1661 §6: Length counts type,
 * length and data).
 */
export function overrunningConfigureRequest(identifier: number): Buffer {
  const packet = configurePacket(ControlCode.ConfigureRequest, identifier, [lcpOption.mru(1400)]);
  packet[CONTROL_HEADER_LENGTH + 1] = 10; // the option's Length octet, after its Type octet
  return packet;
}

function u8(value: number, name: string): Buffer {
  return Buffer.of(checkField(name, value, 0xff));
}

function u16(value: number, name: string): Buffer {
  const out = Buffer.alloc(2);
  out.writeUInt16BE(checkField(name, value, 0xffff), 0);
  return out;
}

function u32(value: number, name: string): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(checkField(name, value, 0xffffffff), 0);
  return out;
}

function text(value: string): Buffer {
  return Buffer.from(value, "latin1");
}

const AUTH = LcpOptionType.AuthenticationProtocol;

/** LCP options (RFC 1661 §6, RFC 1570 §2.3, RFC 1990 §5.1). */
export const lcpOption = {
  mru: (mru: number): Buffer => configOption(LcpOptionType.MaximumReceiveUnit, u16(mru, "MRU")),
  accm: (map: number): Buffer => configOption(LcpOptionType.AsyncControlCharacterMap, u32(map, "ACCM")),
  authPap: (): Buffer => configOption(AUTH, u16(PppProtocol.PAP, "protocol")),
  /** algorithm: 5 MD5, 0x80 MS-CHAP, 0x81 MS-CHAPv2. */
  authChap: (algorithm: number): Buffer =>
    configOption(AUTH, u16(PppProtocol.CHAP, "protocol"), u8(algorithm, "CHAP algorithm")),
  authEap: (): Buffer => configOption(AUTH, u16(PppProtocol.EAP, "protocol")),
  /** Link Quality Report with its Reporting-Period in hundredths of a second (RFC 1989 §2.5). */
  qualityLqr: (reportingPeriod: number): Buffer =>
    configOption(LcpOptionType.QualityProtocol, u16(PppProtocol.LQR, "protocol"), u32(reportingPeriod, "reporting period")),
  magicNumber: (magic: number): Buffer => configOption(LcpOptionType.MagicNumber, u32(magic, "magic number")),
  protocolFieldCompression: (): Buffer => configOption(LcpOptionType.ProtocolFieldCompression),
  addressControlFieldCompression: (): Buffer => configOption(LcpOptionType.AddressControlFieldCompression),
  callback: (operation: number, message = ""): Buffer =>
    configOption(LcpOptionType.Callback, u8(operation, "callback operation"), text(message)),
  mrru: (mrru: number): Buffer => configOption(LcpOptionType.MultilinkMrru, u16(mrru, "MRRU")),
  shortSequenceNumbers: (): Buffer => configOption(LcpOptionType.MultilinkShortSequence),
  endpointDiscriminator: (endpointClass: number, address: Uint8Array): Buffer =>
    configOption(LcpOptionType.MultilinkEndpointDiscriminator, u8(endpointClass, "endpoint class"), address),
};

const COMPRESSION = IpcpOptionType.IpCompressionProtocol;

/** IPCP options (RFC 1332 §3, RFC 1877 §1). Addresses are dotted IPv4 text. */
export const ipcpOption = {
  ipAddresses: (source: string, destination: string): Buffer =>
    configOption(IpcpOptionType.IpAddresses, ipv4Address(source), ipv4Address(destination)),
  vanJacobson: (maxSlotId: number, compSlotId: boolean): Buffer =>
    configOption(
      COMPRESSION,
      u16(IpCompression.VanJacobson, "protocol"),
      u8(maxSlotId, "Max-Slot-Id"),
      Buffer.of(compSlotId ? 1 : 0),
    ),
  compression: (protocol: number, parameters: Uint8Array = EMPTY): Buffer =>
    configOption(COMPRESSION, u16(protocol, "compression protocol"), parameters),
  ipAddress: (address: string): Buffer => configOption(IpcpOptionType.IpAddress, ipv4Address(address)),
  primaryDns: (address: string): Buffer => configOption(IpcpOptionType.PrimaryDns, ipv4Address(address)),
  primaryNbns: (address: string): Buffer => configOption(IpcpOptionType.PrimaryNbns, ipv4Address(address)),
  secondaryDns: (address: string): Buffer => configOption(IpcpOptionType.SecondaryDns, ipv4Address(address)),
  secondaryNbns: (address: string): Buffer => configOption(IpcpOptionType.SecondaryNbns, ipv4Address(address)),
};

/** IPV6CP options (RFC 5072 §4). */
export const ipv6cpOption = {
  /** The 64-bit identifier as 8 bytes. */
  interfaceIdentifier: (identifier: Uint8Array): Buffer => {
    if (identifier.length !== 8) throw new RangeError(`interface identifier must be 8 bytes, got ${identifier.length}`);
    return configOption(Ipv6cpOptionType.InterfaceIdentifier, identifier);
  },
};

/** Deflate's method nibble: zlib deflate (RFC 1979 §2.1). */
const DEFLATE_METHOD = 8;

/** CCP options (RFC 1962 §4, RFC 3078 §2.1, RFC 1977 §2.1, RFC 1979 §2.1). */
export const ccpOption = {
  /** The MPPE/MPPC supported-bits word, e.g. 0x01000040 = H (stateless) + S (128-bit). */
  mppe: (supportedBits: number): Buffer => configOption(CcpOptionType.Mppe, u32(supportedBits, "supported bits")),
  /** BSD Compress: version (3 bits) and dictionary bits (5 bits) in one octet. */
  bsdCompress: (version: number, dictionaryBits: number): Buffer => {
    const versionAndBits = (checkField("BSD version", version, 7) << 5) | checkField("dictionary bits", dictionaryBits, 31);
    return configOption(CcpOptionType.BsdCompress, Buffer.of(versionAndBits));
  },
  /** Deflate: window 2^windowBits (8..15), zlib method, sequence-number check (RFC 1979 §2.1). */
  deflate: (windowBits: number): Buffer => {
    if (!Number.isInteger(windowBits) || windowBits < 8 || windowBits > 15) {
      throw new RangeError(`deflate window bits must be 8..15, got ${windowBits}`);
    }
    return configOption(CcpOptionType.Deflate, Buffer.of(((windowBits - 8) << 4) | DEFLATE_METHOD, 0));
  },
};

/** Terminate-Request (5) or Terminate-Ack (6) with the reason as text. */
export function terminatePacket(code: 5 | 6, identifier: number, reason = ""): Buffer {
  return controlPacket(code, identifier, text(reason));
}

/** Echo-Request (9), Echo-Reply (10) or Discard-Request (11): Magic-Number then data (RFC 1661 §5.8). */
export function echoPacket(code: 9 | 10 | 11, identifier: number, magicNumber: number, data: Uint8Array = EMPTY): Buffer {
  return controlPacket(code, identifier, u32(magicNumber, "magic number"), data);
}

/** LCP Protocol-Reject: the rejected protocol and the information field it carried (RFC 1661 §5.7). */
export function protocolReject(identifier: number, protocol: number, information: Uint8Array): Buffer {
  return controlPacket(ControlCode.ProtocolReject, identifier, u16(protocol, "rejected protocol"), information);
}

/** Code-Reject: the rejected packet itself (RFC 1661 §5.6). */
export function codeReject(identifier: number, rejectedPacket: Uint8Array): Buffer {
  return controlPacket(ControlCode.CodeReject, identifier, rejectedPacket);
}

function lengthPrefixed(value: string, name: string): Buffer {
  const bytes = text(value);
  return Buffer.concat([u8(bytes.length, `${name} length`), bytes]);
}

/** PAP Authenticate-Request (RFC 1334 §2.2.1). */
export function papRequest(identifier: number, peerId: string, password: string): Buffer {
  const fields = [lengthPrefixed(peerId, "Peer-ID"), lengthPrefixed(password, "Password")];
  return controlPacket(PapCode.AuthenticateRequest, identifier, ...fields);
}

/** PAP Authenticate-Ack (2) or Authenticate-Nak (3) with a message (RFC 1334 §2.2.2). */
export function papReply(code: 2 | 3, identifier: number, message = ""): Buffer {
  return controlPacket(code, identifier, lengthPrefixed(message, "Message"));
}

function valueAndName(value: Uint8Array, name: string): Buffer {
  return Buffer.concat([u8(value.length, "Value-Size"), value, text(name)]);
}

/** CHAP Challenge (1) or Response (2): Value-Size, Value, Name (RFC 1994 §4.1). */
export function chapValue(code: 1 | 2, identifier: number, value: Uint8Array, name: string): Buffer {
  return controlPacket(code, identifier, valueAndName(value, name));
}

/** CHAP Success (3) or Failure (4) with its message (RFC 1994 §4.2). */
export function chapResult(code: 3 | 4, identifier: number, message = ""): Buffer {
  return controlPacket(code, identifier, text(message));
}

export interface MsChapV2ResponseFields {
  /** 16 bytes. */
  peerChallenge: Uint8Array;
  /** 24 bytes. */
  ntResponse: Uint8Array;
  /** Must be zero (RFC 2759 §4). */
  flags?: number;
}

/** The 49-byte MS-CHAPv2 Response value: Peer-Challenge 16, Reserved 8 (zero), NT-Response 24, Flags 1. */
export function msChapV2ResponseValue(fields: MsChapV2ResponseFields): Buffer {
  const { peerChallenge, ntResponse } = fields;
  if (peerChallenge.length !== 16) throw new RangeError(`peer challenge must be 16 bytes, got ${peerChallenge.length}`);
  if (ntResponse.length !== 24) throw new RangeError(`NT response must be 24 bytes, got ${ntResponse.length}`);
  return Buffer.concat([peerChallenge, Buffer.alloc(8), ntResponse, u8(fields.flags ?? 0, "flags")]);
}

/** MS-CHAPv2 Success message "S=<40 uppercase hex digits> M=<message>" (RFC 2759 §5). */
export function msChapV2SuccessMessage(authenticatorResponse: Uint8Array, message: string): string {
  if (authenticatorResponse.length !== 20) {
    throw new RangeError(`authenticator response must be 20 bytes, got ${authenticatorResponse.length}`);
  }
  return `S=${Buffer.from(authenticatorResponse).toString("hex").toUpperCase()} M=${message}`;
}

export interface MsChapFailureFields {
  /** 691 for a bad user name or password, see MSCHAP_ERRORS. */
  error: number;
  retry: boolean;
  /** MS-CHAPv2: 16 bytes, written as 32 hex digits. */
  challenge: Uint8Array;
  version: number;
  message: string;
}

/** MS-CHAPv2 Failure message "E=691 R=0 C=<32 hex digits> V=3 M=<message>" (RFC 2759 §6). */
export function msChapFailureMessage(fields: MsChapFailureFields): string {
  const challenge = Buffer.from(fields.challenge).toString("hex").toUpperCase();
  return `E=${fields.error} R=${fields.retry ? 1 : 0} C=${challenge} V=${fields.version} M=${fields.message}`;
}

/** EAP packet (RFC 3748 §4): Success (3) and Failure (4) carry no type; Request (1) and Response (2) do. */
export function eapPacket(code: number, identifier: number, type?: number, typeData: Uint8Array = EMPTY): Buffer {
  if (type === undefined) return controlPacket(code, identifier);
  return controlPacket(code, identifier, u8(type, "EAP type"), typeData);
}

/** EAP Identity Request or Response (RFC 3748 §5.1). */
export function eapIdentity(code: 1 | 2, identifier: number, identity: string): Buffer {
  return eapPacket(code, identifier, EapType.Identity, text(identity));
}

/** EAP MD5-Challenge Request or Response (RFC 3748 §5.4): the CHAP value layout. */
export function eapMd5Challenge(code: 1 | 2, identifier: number, value: Uint8Array, name: string): Buffer {
  return eapPacket(code, identifier, EapType.Md5Challenge, valueAndName(value, name));
}
