/**
 * The header fields of a captured packet worth damaging: the lengths, counts, offsets and
 * type codes that decoders trust (IPv4 header and total length, TCP data offset and option
 * lengths, GRE flags and the key's payload length, PPTP message length and every number of
 * the message, PPP protocol, control packet and option lengths, PAP/CHAP/EAP inner lengths).
 *
 * A deliberately plain walker, independent of src/decode: it follows the well-formed layers
 * the synthesizer writes and stops at the first one it does not know or that does not fit.
 */
import { u16be, u32be } from "../capture/bytes.js";
import { EtherType } from "../decode/ethernet.js";
import { GRE_PROTOCOL_PPP, GreFlag } from "../decode/gre.js";
import { IpProtocol } from "../decode/ipv4.js";
import { LinkType } from "../decode/linktypes.js";
import { PppProtocol } from "../decode/ppp/protocols.js";
import { PPTP_MAGIC_COOKIE, PPTP_MESSAGES, type PptpMessageSpec } from "../decode/pptp.js";
import type { FieldRef } from "./capture-layout.js";

/** TCP port of the control connection in the synthesized captures. */
const PPTP_PORT = 1723;
/** IP in IP nesting followed before giving up. */
const MAX_IP_DEPTH = 3;
const ETHERNET_HEADER_BYTES = 14;
const VLAN_TAG_BYTES = 4;
const SLL_HEADER_BYTES = 16;
const SLL2_HEADER_BYTES = 20;
const NULL_HEADER_BYTES = 4;
const PPPOE_HEADER_BYTES = 6;
const IPV6_HEADER_BYTES = 40;
const PPTP_HEADER_BYTES = 12;
/** Control protocols whose Configure-Request/Ack/Nak/Reject (codes 1-4) carry options (RFC 1661 §5.1-5.4). */
const OPTION_PROTOCOLS: ReadonlySet<number> = new Set([PppProtocol.LCP, PppProtocol.IPCP, PppProtocol.CCP, PppProtocol.IPV6CP]);
const CONFIGURE_CODES_END = 4;
const CONTROL_PROTOCOLS: ReadonlySet<number> = new Set([...OPTION_PROTOCOLS, PppProtocol.PAP, PppProtocol.CHAP, PppProtocol.EAP]);
/** Options walked per packet: enough for every real one, bounded for a crafted one. */
const MAX_FIELDS = 256;

class FieldList {
  readonly fields: FieldRef[] = [];

  constructor(private readonly end: number) {}

  add(name: string, offset: number, size: 1 | 2 | 4): void {
    if (offset + size <= this.end && this.fields.length < MAX_FIELDS) this.fields.push({ name, offset, size, littleEndian: false });
  }
}

/** Fields of the packet bytes[offset, offset + length) of the given link type. */
export function packetFields(bytes: Uint8Array, offset: number, length: number, linkType: number): FieldRef[] {
  const end = Math.min(offset + length, bytes.length);
  const list = new FieldList(end);
  link(bytes, offset, end, linkType, list);
  return list.fields;
}

function link(b: Uint8Array, at: number, end: number, linkType: number, list: FieldList): void {
  switch (linkType) {
    case LinkType.ETHERNET:
      return ethernet(b, at, end, list);
    case LinkType.LINUX_SLL:
      list.add("sll protocol", at + 14, 2);
      return at + SLL_HEADER_BYTES <= end ? ethertype(u16be(b, at + 14), b, at + SLL_HEADER_BYTES, end, list) : undefined;
    case LinkType.LINUX_SLL2:
      list.add("sll2 protocol", at, 2);
      return at + SLL2_HEADER_BYTES <= end ? ethertype(u16be(b, at), b, at + SLL2_HEADER_BYTES, end, list) : undefined;
    case LinkType.RAW:
    case LinkType.RAW_12:
    case LinkType.RAW_14:
    case LinkType.IPV4:
    case LinkType.IPV6:
      return ip(b, at, end, list, 0);
    case LinkType.NULL:
    case LinkType.LOOP:
      list.add("loopback family", at, 4);
      return ip(b, at + NULL_HEADER_BYTES, end, list, 0);
    case LinkType.PPP:
    case LinkType.PPP_HDLC:
      return ppp(b, at, end, list);
    case LinkType.PPP_WITH_DIR:
      list.add("direction", at, 1);
      return ppp(b, at + 1, end, list);
    case LinkType.PPP_ETHER:
      return pppoe(b, at, end, list);
  }
}

function ethernet(b: Uint8Array, at: number, end: number, list: FieldList): void {
  let p = at + ETHERNET_HEADER_BYTES - 2;
  while (p + 2 <= end) {
    const type = u16be(b, p);
    list.add("ethertype", p, 2);
    if (type !== EtherType.Vlan && type !== EtherType.ServiceVlan && type !== EtherType.LegacyQinQ) {
      ethertype(type, b, p + 2, end, list);
      return;
    }
    p += VLAN_TAG_BYTES;
  }
}

function ethertype(type: number, b: Uint8Array, at: number, end: number, list: FieldList): void {
  if (type === EtherType.IPv4 || type === EtherType.IPv6) ip(b, at, end, list, 0);
  else if (type === EtherType.PppoeSession) pppoe(b, at, end, list);
}

function pppoe(b: Uint8Array, at: number, end: number, list: FieldList): void {
  list.add("pppoe version/type", at, 1);
  list.add("pppoe code", at + 1, 1);
  list.add("pppoe session", at + 2, 2);
  list.add("pppoe length", at + 4, 2);
  ppp(b, at + PPPOE_HEADER_BYTES, end, list);
}

function ip(b: Uint8Array, at: number, end: number, list: FieldList, depth: number): void {
  if (at >= end || depth > MAX_IP_DEPTH) return;
  const version = b[at] >> 4;
  if (version === 4) ipv4(b, at, end, list, depth);
  else if (version === 6) ipv6(b, at, end, list, depth);
}

function ipv4(b: Uint8Array, at: number, end: number, list: FieldList, depth: number): void {
  list.add("ipv4 version/IHL", at, 1);
  list.add("ipv4 total length", at + 2, 2);
  list.add("ipv4 flags/fragment offset", at + 6, 2);
  list.add("ipv4 protocol", at + 9, 1);
  const headerLength = (b[at] & 0x0f) * 4;
  if (headerLength < 20 || at + headerLength > end) return;
  const datagramEnd = Math.min(end, at + u16be(b, at + 2));
  transport(b[at + 9], b, at + headerLength, datagramEnd, list, depth);
}

function ipv6(b: Uint8Array, at: number, end: number, list: FieldList, depth: number): void {
  list.add("ipv6 payload length", at + 4, 2);
  list.add("ipv6 next header", at + 6, 1);
  if (at + IPV6_HEADER_BYTES > end) return;
  transport(b[at + 6], b, at + IPV6_HEADER_BYTES, Math.min(end, at + IPV6_HEADER_BYTES + u16be(b, at + 4)), list, depth);
}

function transport(protocol: number, b: Uint8Array, at: number, end: number, list: FieldList, depth: number): void {
  if (protocol === IpProtocol.TCP) tcp(b, at, end, list);
  else if (protocol === IpProtocol.GRE) gre(b, at, end, list);
  else if (protocol === IpProtocol.IPv4 || protocol === IpProtocol.IPv6) ip(b, at, end, list, depth + 1);
}

function tcp(b: Uint8Array, at: number, end: number, list: FieldList): void {
  list.add("tcp source port", at, 2);
  list.add("tcp destination port", at + 2, 2);
  list.add("tcp sequence", at + 4, 4);
  list.add("tcp data offset", at + 12, 1);
  list.add("tcp flags", at + 13, 1);
  if (at + 20 > end) return;
  const headerLength = (b[at + 12] >> 4) * 4;
  if (headerLength < 20 || at + headerLength > end) return;
  // Options: kind(1) length(1) ..., except End (0) and No-Operation (1).
  for (let p = at + 20; p + 2 <= at + headerLength && b[p] !== 0; ) {
    if (b[p] === 1) {
      p++;
      continue;
    }
    list.add("tcp option length", p + 1, 1);
    if (b[p + 1] < 2) break;
    p += b[p + 1];
  }
  if (u16be(b, at) === PPTP_PORT || u16be(b, at + 2) === PPTP_PORT) pptp(b, at + headerLength, end, list);
}

/** Control messages back to back; each field of a known message from the decoder's table. */
function pptp(b: Uint8Array, at: number, end: number, list: FieldList): void {
  for (let p = at; p + PPTP_HEADER_BYTES <= end; ) {
    const length = u16be(b, p);
    list.add("pptp length", p, 2);
    list.add("pptp message type", p + 2, 2);
    list.add("pptp magic cookie", p + 4, 4);
    list.add("pptp control type", p + 8, 2);
    if (u32be(b, p + 4) !== PPTP_MAGIC_COOKIE || length < PPTP_HEADER_BYTES) return;
    const spec = (PPTP_MESSAGES as Readonly<Record<number, PptpMessageSpec>>)[u16be(b, p + 8)];
    for (const f of spec?.fields ?? []) {
      if (f.kind === "uint" && (f.size === 1 || f.size === 2 || f.size === 4)) list.add(`pptp ${f.name}`, p + f.offset, f.size);
    }
    p += length;
  }
}

function gre(b: Uint8Array, at: number, end: number, list: FieldList): void {
  list.add("gre flags", at, 1);
  list.add("gre flags/version", at + 1, 1);
  list.add("gre protocol", at + 2, 2);
  if (at + 4 > end) return;
  const flags = u16be(b, at);
  const enhanced = (flags & 0x7) === 1;
  let p = at + 4;
  if (flags & GreFlag.Checksum) p += 4;
  if (flags & GreFlag.Key) {
    if (enhanced) {
      list.add("gre payload length", p, 2);
      list.add("gre call id", p + 2, 2);
    } else list.add("gre key", p, 4);
    p += 4;
  }
  if (flags & GreFlag.Sequence) {
    list.add("gre sequence", p, 4);
    p += 4;
  }
  if (enhanced && flags & GreFlag.Acknowledgment) {
    list.add("gre acknowledgment", p, 4);
    p += 4;
  }
  if (u16be(b, at + 2) === GRE_PROTOCOL_PPP) ppp(b, p, end, list);
}

/** A PPP frame: optional FF 03, a protocol of one byte (odd) or two, the information field. */
function ppp(b: Uint8Array, at: number, end: number, list: FieldList): void {
  let p = at;
  if (p + 2 <= end && b[p] === 0xff && b[p + 1] === 0x03) {
    list.add("ppp address/control", p, 2);
    p += 2;
  }
  if (p >= end) return;
  let protocol: number;
  if (b[p] & 1) {
    list.add("ppp protocol", p, 1);
    protocol = b[p];
    p += 1;
  } else {
    list.add("ppp protocol", p, 2);
    if (p + 2 > end) return;
    protocol = u16be(b, p);
    p += 2;
  }
  if (CONTROL_PROTOCOLS.has(protocol)) controlPacket(protocol, b, p, end, list);
  else if (protocol === PppProtocol.IPv4 || protocol === PppProtocol.IPv6) ip(b, p, end, list, 1);
}

/** Code, Identifier, Length (RFC 1661 §5), then what the protocol puts in the data. */
function controlPacket(protocol: number, b: Uint8Array, at: number, end: number, list: FieldList): void {
  list.add("control code", at, 1);
  list.add("control length", at + 2, 2);
  if (at + 4 > end) return;
  const code = b[at];
  const packetEnd = Math.min(end, at + u16be(b, at + 2));
  const data = at + 4;
  if (OPTION_PROTOCOLS.has(protocol) && code >= 1 && code <= CONFIGURE_CODES_END) {
    // Options: type(1) length(1) value (RFC 1661 §6).
    for (let p = data; p + 2 <= packetEnd; ) {
      list.add("option type", p, 1);
      list.add("option length", p + 1, 1);
      if (b[p + 1] < 2) break;
      p += b[p + 1];
    }
  } else if (protocol === PppProtocol.CHAP && (code === 1 || code === 2)) {
    list.add("chap value size", data, 1);
  } else if (protocol === PppProtocol.PAP && code === 1) {
    list.add("pap peer-id length", data, 1);
    if (data < packetEnd) list.add("pap password length", data + 1 + b[data], 1);
  } else if (protocol === PppProtocol.PAP && (code === 2 || code === 3)) {
    list.add("pap message length", data, 1);
  } else if (protocol === PppProtocol.EAP && (code === 1 || code === 2)) {
    list.add("eap type", data, 1);
    if (b[data] === 4) list.add("eap md5 value size", data + 1, 1);
  }
}
