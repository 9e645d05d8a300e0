/**
 * IPCP, the IP Control Protocol (RFC 1332), with the DNS/NBNS options of RFC 1877 and
 * the Mobile-IPv4 option of RFC 2290.
 */
import { ipv4Of } from "./bytes.js";
import { u16be } from "../../capture/bytes.js";
import {
  type ConfigOption,
  type ControlPacket,
  type ControlProtocolSpec,
  NCP_CODES,
  decodeControlPacket,
  fixedOption,
} from "./control-packet.js";
import { nameOf } from "./protocols.js";

export const IpcpOptionType = {
  /** Deprecated (RFC 1332 §3.1): source and destination address. */
  IpAddresses: 1,
  IpCompressionProtocol: 2,
  IpAddress: 3,
  MobileIpv4: 4,
  PrimaryDns: 129,
  PrimaryNbns: 130,
  SecondaryDns: 131,
  SecondaryNbns: 132,
} as const;

export const IPCP_OPTIONS = {
  1: fixedOption("IP-Addresses", 10),
  2: { name: "IP-Compression-Protocol", minLength: 4, maxLength: 255 },
  3: fixedOption("IP-Address", 6),
  4: fixedOption("Mobile-IPv4", 6),
  129: fixedOption("Primary-DNS-Address", 6),
  130: fixedOption("Primary-NBNS-Address", 6),
  131: fixedOption("Secondary-DNS-Address", 6),
  132: fixedOption("Secondary-NBNS-Address", 6),
} as const;

/** IP-Compression-Protocol values. */
export const IpCompression = {
  /** RFC 1332 §3.2 */
  VanJacobson: 0x002d,
  /** RFC 3241 */
  Rohc: 0x0003,
  /** RFC 2509 */
  Iphc: 0x0061,
} as const;

export const IP_COMPRESSION_NAMES: Readonly<Record<number, string>> = {
  0x0003: "ROHC",
  0x002d: "Van Jacobson",
  0x0061: "IPHC",
};

/** Van Jacobson's Max-Slot-Id and Comp-Slot-Id octets (RFC 1332 §3.2). */
const VJ_PARAMETERS_LENGTH = 2;

export interface IpcpOption extends ConfigOption {
  /** IP-Address, Mobile-IPv4, Primary/Secondary DNS/NBNS: dotted IPv4. */
  address?: string;
  /** IP-Addresses (deprecated). */
  sourceAddress?: string;
  destinationAddress?: string;
  /** IP-Compression-Protocol. */
  compressionProtocol?: number;
  compressionProtocolName?: string;
  /** Van Jacobson parameters. */
  maxSlotId?: number;
  compSlotId?: boolean;
}

export type IpcpPacket = ControlPacket<"IPCP", IpcpOption>;

function readIpcpValue(option: IpcpOption, buf: Uint8Array, at: number, length: number): string | null {
  switch (option.type) {
    case IpcpOptionType.IpAddresses:
      option.sourceAddress = ipv4Of(buf, at);
      option.destinationAddress = ipv4Of(buf, at + 4);
      return null;
    case IpcpOptionType.IpCompressionProtocol:
      option.compressionProtocol = u16be(buf, at);
      option.compressionProtocolName = nameOf(IP_COMPRESSION_NAMES, option.compressionProtocol, 4);
      if (option.compressionProtocol !== IpCompression.VanJacobson) return null;
      if (length !== 2 + VJ_PARAMETERS_LENGTH) {
        return `Van Jacobson needs Max-Slot-Id and Comp-Slot-Id, got ${length - 2} bytes`;
      }
      option.maxSlotId = buf[at + 2];
      option.compSlotId = buf[at + 3] !== 0;
      return null;
    case IpcpOptionType.IpAddress:
    case IpcpOptionType.MobileIpv4:
    case IpcpOptionType.PrimaryDns:
    case IpcpOptionType.PrimaryNbns:
    case IpcpOptionType.SecondaryDns:
    case IpcpOptionType.SecondaryNbns:
      option.address = ipv4Of(buf, at);
      return null;
    default:
      return null;
  }
}

export const IPCP_SPEC: ControlProtocolSpec<"IPCP", IpcpOption> = {
  name: "IPCP",
  codes: NCP_CODES,
  options: IPCP_OPTIONS,
  readValue: readIpcpValue,
};

/** Decodes the IPCP information field at `buf[offset .. offset + length)`. */
export function decodeIpcp(buf: Uint8Array, offset: number, length: number): IpcpPacket {
  return decodeControlPacket(IPCP_SPEC, buf, offset, length);
}
