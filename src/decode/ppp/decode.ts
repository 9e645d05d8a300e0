/**
 * One entry point for the model: decodes the information field of any PPP control or
 * authentication protocol we know, by PPP protocol number.
 */
import { type CcpPacket, decodeCcp } from "./ccp.js";
import { type ChapDetail, type ChapPacket, decodeChap } from "./chap.js";
import { type EapPacket, decodeEap } from "./eap.js";
import { type IpcpPacket, decodeIpcp } from "./ipcp.js";
import { type Ipv6cpPacket, decodeIpv6cp } from "./ipv6cp.js";
import { type LcpPacket, decodeLcp } from "./lcp.js";
import { type PapPacket, decodePap } from "./pap.js";
import { PppProtocol } from "./protocols.js";

/** Tell them apart by `protocol` ("LCP", "IPCP", ...). */
export type PppControlPacket = LcpPacket | IpcpPacket | Ipv6cpPacket | CcpPacket | PapPacket | ChapPacket | EapPacket;

/**
 * Decodes `buf[offset .. offset + length)` as the information field of `protocol`;
 * null when the protocol is not one of LCP, IPCP, IPV6CP, CCP, PAP, CHAP, EAP.
 * `chapAlgorithm` is the CHAP algorithm LCP negotiated (-1 when unknown) and `chapDetail`
 * what to decode of CHAP, see decodeChap.
 */
export function decodePppControl(
  protocol: number,
  buf: Uint8Array,
  offset: number,
  length: number,
  chapAlgorithm = -1,
  chapDetail: ChapDetail = "all",
): PppControlPacket | null {
  switch (protocol) {
    case PppProtocol.LCP:
      return decodeLcp(buf, offset, length);
    case PppProtocol.IPCP:
      return decodeIpcp(buf, offset, length);
    case PppProtocol.IPV6CP:
      return decodeIpv6cp(buf, offset, length);
    case PppProtocol.CCP:
      return decodeCcp(buf, offset, length);
    case PppProtocol.PAP:
      return decodePap(buf, offset, length);
    case PppProtocol.CHAP:
      return decodeChap(buf, offset, length, chapAlgorithm, chapDetail);
    case PppProtocol.EAP:
      return decodeEap(buf, offset, length);
    default:
      return null;
  }
}
