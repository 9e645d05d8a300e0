/**
 * CCP, the Compression Control Protocol (RFC 1962). PPTP negotiates MPPE encryption
 * here: option 18 carries the Microsoft Point-to-Point Compression/Encryption
 * supported-bits word (RFC 2118 §2 for MPPC, RFC 3078 §2.1 for MPPE).
 */
import { u32be } from "../../capture/bytes.js";
import {
  type ConfigOption,
  type ControlPacket,
  type ControlProtocolSpec,
  CCP_CODES,
  decodeControlPacket,
  fixedOption,
  namedOption,
} from "./control-packet.js";

export const CcpOptionType = {
  Mppe: 18,
  BsdCompress: 21,
  Deflate: 26,
} as const;

export const CCP_OPTIONS = {
  0: { name: "OUI", minLength: 6, maxLength: 255 }, // RFC 1962 §4.1: OUI(3) + subtype(1)
  1: namedOption("Predictor-Type-1"),
  2: namedOption("Predictor-Type-2"),
  3: namedOption("Puddle-Jumper"),
  16: namedOption("Hewlett-Packard-PPC"),
  17: fixedOption("Stac-LZS", 5), // RFC 1974 §3
  18: fixedOption("MPPE/MPPC", 6), // RFC 3078 §2.1
  19: namedOption("Gandalf-FZA"),
  20: namedOption("V.42bis"),
  21: fixedOption("BSD-Compress", 3), // RFC 1977 §2.1
  23: fixedOption("LZS-DCP", 6), // RFC 1967
  24: namedOption("Magnalink-MVRCA"), // RFC 1975
  25: fixedOption("DCE-Compression", 3), // RFC 1976
  26: fixedOption("Deflate", 4), // RFC 1979 §2.1
  27: namedOption("V.44-LZJH"), // RFC 3051
} as const;

/**
 * Bits of the MPPE/MPPC supported-bits word, as a 32-bit number (RFC 3078 §2.1: H is
 * the low bit of the first octet, M S L D C sit in the last octet).
 */
export const MppeBit = {
  /** H: stateless mode, the key changes with every packet. */
  Stateless: 0x01000000,
  /** M: 56-bit encryption. */
  Encryption56: 0x00000080,
  /** S: 128-bit encryption. */
  Encryption128: 0x00000040,
  /** L: 40-bit encryption. */
  Encryption40: 0x00000020,
  /** D: obsolete, must be clear. */
  Obsolete: 0x00000010,
  /** C: MPPC compression (RFC 2118). */
  Compression: 0x00000001,
} as const;

export const MPPE_BIT_NAMES: Readonly<Record<number, string>> = {
  0x01000000: "H stateless",
  0x00000080: "M 56-bit",
  0x00000040: "S 128-bit",
  0x00000020: "L 40-bit",
  0x00000010: "D obsolete",
  0x00000001: "C MPPC compression",
};

export interface CcpOption extends ConfigOption {
  /** MPPE/MPPC: the supported-bits word (see MppeBit; mppeBitNames names its bits). */
  supportedBits?: number;
}

export type CcpPacket = ControlPacket<"CCP", CcpOption>;

/**
 * Names of the bits set in an MPPE/MPPC supported-bits word, high to low, "unknown 0x..."
 * for bits RFC 3078 does not define. Made on demand: the word is kept as a number.
 */
export function mppeBitNames(bits: number): string[] {
  let count = 0;
  for (let rest = bits >>> 0; rest !== 0; rest >>>= 1) count += rest & 1;
  // Sized up front rather than grown by push: reports keep these lists.
  const names = new Array<string>(count);
  let next = 0;
  for (let bit = 31; bit >= 0; bit--) {
    const mask = (1 << bit) >>> 0;
    if ((bits & mask) !== 0) names[next++] = MPPE_BIT_NAMES[mask] ?? `unknown 0x${mask.toString(16).padStart(8, "0")}`;
  }
  return names;
}

function readCcpValue(option: CcpOption, buf: Uint8Array, at: number): string | null {
  if (option.type === CcpOptionType.Mppe) option.supportedBits = u32be(buf, at);
  return null;
}

export const CCP_SPEC: ControlProtocolSpec<"CCP", CcpOption> = {
  name: "CCP",
  codes: CCP_CODES,
  options: CCP_OPTIONS,
  readValue: readCcpValue,
};

/** Decodes the CCP information field at `buf[offset .. offset + length)`. */
export function decodeCcp(buf: Uint8Array, offset: number, length: number): CcpPacket {
  return decodeControlPacket(CCP_SPEC, buf, offset, length);
}
