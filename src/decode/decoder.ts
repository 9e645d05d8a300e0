/**
 * Frame -> Packet. The Decoder owns one Packet and refills it for every frame: each layer
 * decoder (one file per protocol) reads its header at an offset into the frame's buffer,
 * records what it found in the Packet and hands the rest on, without copying bytes.
 * Frames that are not TCP on the control port, GRE or PPP cost no allocation.
 *
 * The dispatch by link type, EtherType and IP protocol lives here, so the layer files
 * never import one another in a circle (IPv4 in IPv6 in IPv4 ...): they call back
 * through DecodeContext.
 */
import type { Frame } from "../capture/frame.js";
import { IpFragmentReassembler } from "../reassembly/ip-fragments.js";
import { decodeEthernet, EtherType } from "./ethernet.js";
import { decodeGre } from "./gre.js";
import { decodeIpv4, IpProtocol } from "./ipv4.js";
import { decodeIpv6 } from "./ipv6.js";
import { LinkType } from "./linktypes.js";
import { decodeNullLoop } from "./null-loop.js";
import { DecodeError, Packet, PacketKind } from "./packet.js";
import { decodePppHdlc, decodePppOnLink, decodePppWithDirection } from "./ppp-link.js";
import { decodePppoeDiscovery, decodePppoeSession } from "./pppoe.js";
import { decodeSll, decodeSll2 } from "./sll.js";
import { decodeTcp } from "./tcp.js";

export interface DecoderOptions {
  /** TCP port of the PPTP control connection. */
  pptpPort: number;
}

export const DEFAULT_PPTP_PORT = 1723;

/**
 * IP headers followed inside one another (IP-in-IP, 4in6, 6in4, 6in6); deeper nesting is
 * Other. Real tunnels nest one or two; the bound stops a crafted packet from recursing.
 */
export const MAX_IP_TUNNEL_DEPTH = 4;

/**
 * Frames the decoder's bounds on walking headers left undecoded (taken for Other), for the
 * report: each may hold PPTP.
 */
export interface DecoderLimitsReached {
  /** IP headers nested deeper than MAX_IP_TUNNEL_DEPTH. */
  ipTunnelsTooDeep: number;
  /** More than MAX_VLAN_TAGS VLAN tags (decode/ethernet). */
  vlanTagsTooMany: number;
  /** More than MAX_IPV6_EXTENSION_HEADERS extension headers (decode/ipv6). */
  ipv6ExtensionHeadersTooMany: number;
}

/** What a layer decoder may call to go on to the next layer. */
export interface DecodeContext {
  readonly pptpPort: number;
  readonly fragments: IpFragmentReassembler;
  /** Where a layer decoder counts a frame its bound on walking headers gives up on. */
  readonly limits: DecoderLimitsReached;
  /** Capture time (seconds) of the frame being decoded: fragment timeouts run on it. */
  readonly tsSec: number;
  /** The network layer an EtherType names (Ethernet, Linux SLL, PPPoE, ...); unknown ones are Other. */
  ethertype(type: number, buf: Uint8Array, offset: number, end: number, p: Packet): PacketKind;
  /** The payload of an IP datagram (offset..end) by protocol number / Next Header. */
  ipPayload(protocol: number, buf: Uint8Array, offset: number, end: number, p: Packet): PacketKind;
}

export class Decoder implements DecodeContext {
  readonly packet = new Packet();
  readonly fragments = new IpFragmentReassembler();
  readonly limits: DecoderLimitsReached = { ipTunnelsTooDeep: 0, vlanTagsTooMany: 0, ipv6ExtensionHeadersTooMany: 0 };
  readonly pptpPort: number;
  tsSec = 0;

  constructor(options: Partial<DecoderOptions> = {}) {
    this.pptpPort = options.pptpPort ?? DEFAULT_PPTP_PORT;
  }

  /** Fills this.packet from the frame and returns packet.kind; never throws. */
  decode(frame: Frame): PacketKind {
    const p = this.packet;
    p.reset();
    p.buf = frame.buf;
    p.linkType = frame.linkType;
    this.tsSec = frame.tsSec;
    const end = Math.min(frame.offset + frame.caplen, frame.buf.length);
    p.kind = this.link(frame.linkType, frame.buf, frame.offset, end, p);
    return p.kind;
  }

  /**
   * Decode an IP datagram found inside another protocol (PPP in GRE carrying IP: tunnel
   * in a tunnel) into `packet`, which must not be this.packet if that is still needed.
   */
  decodeIp(buf: Uint8Array, offset: number, length: number, packet: Packet, tsSec: number): PacketKind {
    packet.reset();
    packet.buf = buf;
    this.tsSec = tsSec;
    packet.kind = this.ipByVersion(buf, offset, Math.min(offset + length, buf.length), packet);
    return packet.kind;
  }

  ethertype(type: number, buf: Uint8Array, offset: number, end: number, p: Packet): PacketKind {
    switch (type) {
      case EtherType.IPv4:
        return decodeIpv4(this, buf, offset, end, p);
      case EtherType.IPv6:
        return decodeIpv6(this, buf, offset, end, p);
      case EtherType.PppoeSession:
        return decodePppoeSession(this, buf, offset, end, p);
      case EtherType.PppoeDiscovery:
        return decodePppoeDiscovery(buf, offset, end, p);
      default:
        return PacketKind.Other;
    }
  }

  ipPayload(protocol: number, buf: Uint8Array, offset: number, end: number, p: Packet): PacketKind {
    switch (protocol) {
      case IpProtocol.TCP:
        return decodeTcp(this, buf, offset, end, p);
      case IpProtocol.GRE:
        return decodeGre(buf, offset, end, p);
      case IpProtocol.IPv4:
        if (p.ipTunnelDepth >= MAX_IP_TUNNEL_DEPTH) return this.tunnelTooDeep();
        p.ipTunnelDepth++;
        return decodeIpv4(this, buf, offset, end, p);
      case IpProtocol.IPv6:
        if (p.ipTunnelDepth >= MAX_IP_TUNNEL_DEPTH) return this.tunnelTooDeep();
        p.ipTunnelDepth++;
        return decodeIpv6(this, buf, offset, end, p);
      default:
        return PacketKind.Other;
    }
  }

  /** IP nested deeper than MAX_IP_TUNNEL_DEPTH: not decoded (it may hold PPTP), counted. */
  private tunnelTooDeep(): PacketKind {
    this.limits.ipTunnelsTooDeep++;
    return PacketKind.Other;
  }

  private link(linkType: number, buf: Uint8Array, offset: number, end: number, p: Packet): PacketKind {
    switch (linkType) {
      case LinkType.ETHERNET:
        return decodeEthernet(this, buf, offset, end, p);
      case LinkType.LINUX_SLL:
        return decodeSll(this, buf, offset, end, p);
      case LinkType.LINUX_SLL2:
        return decodeSll2(this, buf, offset, end, p);
      case LinkType.RAW:
      case LinkType.RAW_12:
      case LinkType.RAW_14:
        return this.ipByVersion(buf, offset, end, p);
      case LinkType.IPV4:
        return decodeIpv4(this, buf, offset, end, p);
      case LinkType.IPV6:
        return decodeIpv6(this, buf, offset, end, p);
      case LinkType.NULL:
        return decodeNullLoop(this, buf, offset, end, p, false);
      case LinkType.LOOP:
        return decodeNullLoop(this, buf, offset, end, p, true);
      case LinkType.PPP:
        return decodePppOnLink(this, buf, offset, end, p);
      case LinkType.PPP_HDLC:
        return decodePppHdlc(this, buf, offset, end, p);
      case LinkType.PPP_WITH_DIR:
        return decodePppWithDirection(this, buf, offset, end, p);
      case LinkType.PPP_ETHER:
        return decodePppoeSession(this, buf, offset, end, p);
      default:
        return PacketKind.Other;
    }
  }

  /** An IP datagram without a link header saying which version: the first nibble does. */
  private ipByVersion(buf: Uint8Array, offset: number, end: number, p: Packet): PacketKind {
    if (offset >= end) return p.fail(DecodeError.Truncated, "ip");
    const version = buf[offset] >> 4;
    if (version === 4) return decodeIpv4(this, buf, offset, end, p);
    if (version === 6) return decodeIpv6(this, buf, offset, end, p);
    return p.fail(DecodeError.BadHeader, "ip");
  }
}
