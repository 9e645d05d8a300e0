/**
 * IPV6CP, the IPv6 Control Protocol (RFC 5072 §4), with the compression option of
 * RFC 5172.
 */
import { hexOf } from "./bytes.js";
import { u16be } from "../../capture/bytes.js";
import {
  type ConfigOption,
  type ControlPacket,
  type ControlProtocolSpec,
  NCP_CODES,
  decodeControlPacket,
  fixedOption,
} from "./control-packet.js";

export const Ipv6cpOptionType = {
  InterfaceIdentifier: 1,
  Ipv6CompressionProtocol: 2,
} as const;

/** The Interface-Identifier is 64 bits (RFC 5072 §4.1). */
const INTERFACE_IDENTIFIER_LENGTH = 8;

export const IPV6CP_OPTIONS = {
  1: fixedOption("Interface-Identifier", 2 + INTERFACE_IDENTIFIER_LENGTH),
  2: { name: "IPv6-Compression-Protocol", minLength: 4, maxLength: 255 },
} as const;

export interface Ipv6cpOption extends ConfigOption {
  /** Interface-Identifier as 16 lowercase hex digits. */
  interfaceIdentifier?: string;
  /** IPv6-Compression-Protocol (0x004f IPHC, 0x0003 ROHC). */
  compressionProtocol?: number;
}

export type Ipv6cpPacket = ControlPacket<"IPV6CP", Ipv6cpOption>;

function readIpv6cpValue(option: Ipv6cpOption, buf: Uint8Array, at: number): string | null {
  if (option.type === Ipv6cpOptionType.InterfaceIdentifier) {
    option.interfaceIdentifier = hexOf(buf, at, INTERFACE_IDENTIFIER_LENGTH);
  } else if (option.type === Ipv6cpOptionType.Ipv6CompressionProtocol) {
    option.compressionProtocol = u16be(buf, at);
  }
  return null;
}

export const IPV6CP_SPEC: ControlProtocolSpec<"IPV6CP", Ipv6cpOption> = {
  name: "IPV6CP",
  codes: NCP_CODES,
  options: IPV6CP_OPTIONS,
  readValue: readIpv6cpValue,
};

/** Decodes the IPV6CP information field at `buf[offset .. offset + length)`. */
export function decodeIpv6cp(buf: Uint8Array, offset: number, length: number): Ipv6cpPacket {
  return decodeControlPacket(IPV6CP_SPEC, buf, offset, length);
}
