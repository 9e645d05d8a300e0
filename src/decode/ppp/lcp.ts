/**
 * LCP, the Link Control Protocol (RFC 1661 §5-6, extended by RFC 1570 and, for
 * multilink, RFC 1990). Options named after the IANA "PPP LCP Configuration Option
 * Types" registry.
 */
import { hexOf, latin1Of } from "./bytes.js";
import { u16be, u32be } from "../../capture/bytes.js";
import {
  type ConfigOption,
  type ControlPacket,
  type ControlProtocolSpec,
  LCP_CODES,
  decodeControlPacket,
  fixedOption,
  namedOption,
} from "./control-packet.js";
import { CHAP_ALGORITHM_NAMES, PppProtocol, nameOf, pppProtocolName } from "./protocols.js";

export const LcpOptionType = {
  MaximumReceiveUnit: 1,
  AsyncControlCharacterMap: 2,
  AuthenticationProtocol: 3,
  QualityProtocol: 4,
  MagicNumber: 5,
  ProtocolFieldCompression: 7,
  AddressControlFieldCompression: 8,
  Callback: 13,
  MultilinkMrru: 17,
  MultilinkShortSequence: 18,
  MultilinkEndpointDiscriminator: 19,
} as const;

/** The longest endpoint discriminator address (RFC 1990 §5.1.3). */
const MAX_ENDPOINT_ADDRESS_LENGTH = 20;

export const LCP_OPTIONS = {
  0: { name: "Vendor-Specific", minLength: 6, maxLength: 255 }, // RFC 2153 §2: OUI(3) + kind(1)
  1: fixedOption("Maximum-Receive-Unit", 4),
  2: fixedOption("Async-Control-Character-Map", 6),
  3: { name: "Authentication-Protocol", minLength: 4, maxLength: 255 },
  4: { name: "Quality-Protocol", minLength: 4, maxLength: 255 },
  5: fixedOption("Magic-Number", 6),
  7: fixedOption("Protocol-Field-Compression", 2),
  8: fixedOption("Address-and-Control-Field-Compression", 2),
  9: fixedOption("FCS-Alternatives", 3), // RFC 1570 §2.1
  10: fixedOption("Self-Describing-Pad", 3), // RFC 1570 §2.2
  11: namedOption("Numbered-Mode"), // RFC 1663
  13: { name: "Callback", minLength: 3, maxLength: 255 }, // RFC 1570 §2.3
  15: namedOption("Compound-Frames"),
  16: namedOption("Nominal-Data-Encapsulation"),
  17: fixedOption("Multilink-MRRU", 4), // RFC 1990 §5.1.1
  18: fixedOption("Multilink-Short-Sequence-Number-Header-Format", 2), // RFC 1990 §5.1.2
  // RFC 1990 §5.1.3: class octet, then an address of at most 20 bytes.
  19: { name: "Multilink-Endpoint-Discriminator", minLength: 3, maxLength: 3 + MAX_ENDPOINT_ADDRESS_LENGTH },
  21: namedOption("DCE-Identifier"), // RFC 1976
  22: namedOption("Multi-Link-Plus-Procedure"), // RFC 1934
  23: namedOption("Link-Discriminator-for-BACP"), // RFC 2125
  24: namedOption("LCP-Authentication-Option"),
  25: namedOption("Consistent-Overhead-Byte-Stuffing"),
  26: namedOption("Prefix-Elision"), // RFC 2686
  27: namedOption("Multilink-Header-Format"), // RFC 2686
  28: namedOption("Internationalization"), // RFC 2484
  29: namedOption("Simple-Data-Link-on-SONET/SDH"), // RFC 2823
} as const;

/** Callback operations (RFC 1570 §2.3; 6 is Microsoft's CBCP, negotiated by Windows). */
export const CALLBACK_OPERATION_NAMES: Readonly<Record<number, string>> = {
  0: "location determined by user authentication",
  1: "dialing string",
  2: "location identifier",
  3: "E.164 number",
  4: "distinguished name",
  6: "callback control protocol (CBCP)",
};

/** Endpoint discriminator classes (RFC 1990 §5.1.3). */
export const ENDPOINT_CLASS_NAMES: Readonly<Record<number, string>> = {
  0: "null",
  1: "locally assigned address",
  2: "IPv4 address",
  3: "IEEE 802.1 MAC address",
  4: "PPP magic-number block",
  5: "public switched network directory number",
};

export interface LcpOption extends ConfigOption {
  /** Maximum-Receive-Unit. */
  mru?: number;
  /** Async-Control-Character-Map. */
  accm?: number;
  /** Authentication-Protocol: PAP 0xc023, CHAP 0xc223, EAP 0xc227. */
  authProtocol?: number;
  authProtocolName?: string;
  /** Authentication-Protocol CHAP: the algorithm octet (5 MD5, 0x80 MS-CHAP, 0x81 MS-CHAPv2). */
  chapAlgorithm?: number;
  chapAlgorithmName?: string;
  /** Quality-Protocol, and for LQR (RFC 1989 §2.5) the Reporting-Period in hundredths of a second. */
  qualityProtocol?: number;
  qualityProtocolName?: string;
  reportingPeriod?: number;
  /** Magic-Number. */
  magicNumber?: number;
  /** Callback: operation and message (latin1). */
  callbackOperation?: number;
  callbackOperationName?: string;
  callbackMessage?: string;
  /** Multilink-MRRU. */
  mrru?: number;
  /** Multilink-Endpoint-Discriminator: class and address (hex). */
  endpointClass?: number;
  endpointClassName?: string;
  endpointAddress?: string;
}

export type LcpPacket = ControlPacket<"LCP", LcpOption>;

const LQR_REPORTING_PERIOD_LENGTH = 4;

function readLcpValue(option: LcpOption, buf: Uint8Array, at: number, length: number): string | null {
  switch (option.type) {
    case LcpOptionType.MaximumReceiveUnit:
      option.mru = u16be(buf, at);
      return null;
    case LcpOptionType.AsyncControlCharacterMap:
      option.accm = u32be(buf, at);
      return null;
    case LcpOptionType.AuthenticationProtocol:
      option.authProtocol = u16be(buf, at);
      option.authProtocolName = pppProtocolName(option.authProtocol);
      if (option.authProtocol !== PppProtocol.CHAP) return null;
      // RFC 1994 §3: CHAP carries exactly one algorithm octet.
      if (length !== 3) return `CHAP needs one algorithm octet, got ${length - 2}`;
      option.chapAlgorithm = buf[at + 2];
      option.chapAlgorithmName = nameOf(CHAP_ALGORITHM_NAMES, option.chapAlgorithm);
      return null;
    case LcpOptionType.QualityProtocol:
      option.qualityProtocol = u16be(buf, at);
      option.qualityProtocolName = pppProtocolName(option.qualityProtocol);
      if (option.qualityProtocol !== PppProtocol.LQR) return null;
      if (length !== 2 + LQR_REPORTING_PERIOD_LENGTH) return `LQR needs a 4-byte Reporting-Period, got ${length - 2}`;
      option.reportingPeriod = u32be(buf, at + 2);
      return null;
    case LcpOptionType.MagicNumber:
      option.magicNumber = u32be(buf, at);
      return null;
    case LcpOptionType.Callback:
      option.callbackOperation = buf[at];
      option.callbackOperationName = nameOf(CALLBACK_OPERATION_NAMES, option.callbackOperation);
      option.callbackMessage = latin1Of(buf, at + 1, length - 1);
      return null;
    case LcpOptionType.MultilinkMrru:
      option.mrru = u16be(buf, at);
      return null;
    case LcpOptionType.MultilinkEndpointDiscriminator:
      option.endpointClass = buf[at];
      option.endpointClassName = nameOf(ENDPOINT_CLASS_NAMES, option.endpointClass);
      option.endpointAddress = hexOf(buf, at + 1, length - 1);
      return null;
    default:
      return null;
  }
}

export const LCP_SPEC: ControlProtocolSpec<"LCP", LcpOption> = {
  name: "LCP",
  codes: LCP_CODES,
  options: LCP_OPTIONS,
  readValue: readLcpValue,
};

/** Decodes the LCP information field at `buf[offset .. offset + length)`. */
export function decodeLcp(buf: Uint8Array, offset: number, length: number): LcpPacket {
  return decodeControlPacket(LCP_SPEC, buf, offset, length);
}
