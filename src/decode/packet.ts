/**
 * What the decoder found in one frame. The decoder owns one Packet and refills it per
 * frame (no allocation); every offset points into `buf`, which is the frame's own
 * buffer or, for a reassembled IP datagram, the reassembly buffer.
 */

/** The layer that makes a frame interesting to the analyzer; Other for everything else. */
export const PacketKind = {
  /** Not TCP on the control port, not GRE, not PPP. */
  Other: 0,
  /** TCP with the PPTP control port on either side. */
  PptpTcp: 1,
  /** GRE (any version). PPP fields are set when it carries PPP (protocol 0x880B). */
  Gre: 2,
  /** PPP seen directly on the capture link (PPP link types, PPPoE session). */
  PppLink: 3,
  /** PPPoE Discovery (ethertype 0x8863). */
  PppoeDiscovery: 4,
  /** An IP fragment held for reassembly; the datagram comes with a later frame. */
  FragmentHeld: 5,
  /** The frame could not be decoded down to its interesting layer; see `error`. */
  Malformed: 6,
} as const;
export type PacketKind = (typeof PacketKind)[keyof typeof PacketKind];

/** Why a frame is Malformed (names in DECODE_ERROR_NAMES). */
export const DecodeError = {
  None: 0,
  /** Cut before the end of a header we needed (snap length or damaged record). */
  Truncated: 1,
  /** A header field holds an impossible value (IP version, header length, GRE version...). */
  BadHeader: 2,
  /** Overlapping IP fragments that disagree. */
  FragmentOverlap: 3,
} as const;
export type DecodeError = (typeof DecodeError)[keyof typeof DecodeError];

export const DECODE_ERROR_NAMES: Readonly<Record<number, string>> = {
  0: "none",
  1: "truncated header",
  2: "impossible header field",
  3: "overlapping IP fragments disagree",
};

/** Capture direction, where the link layer records one (PPP_WITH_DIR, Linux SLL packet type). */
export const Direction = { Unknown: 0, Inbound: 1, Outbound: 2 } as const;

export class Packet {
  kind: PacketKind = PacketKind.Other;
  error: DecodeError = DecodeError.None;
  /** Which header was damaged, for the malformed finding ("ipv4", "gre", ...). */
  errorLayer = "";
  buf: Uint8Array = EMPTY;

  // link layer
  linkType = 0;
  direction = 0;
  /** Offset of the Ethernet source address in buf, -1 when the link has none (tells PPPoE peers apart). */
  macSourceOffset = -1;
  /** Outermost 802.1Q/802.1ad VLAN ID, -1 when untagged. */
  vlanId = -1;
  /** Number of VLAN tags. */
  vlanCount = 0;
  /** PPPoE session ID, -1 when not PPPoE. */
  pppoeSession = -1;
  /** PPPoE code (Discovery: 0x09 PADI, 0x07 PADO, ...; session: 0). */
  pppoeCode = -1;
  /**
   * The IP datagram came over a PPP link seen on the capture (PPP link types, PPPoE
   * session, Linux cooked capture of a ppp interface): the router-to-router case, where
   * PPTP runs over a demand-dial PPP link whose IPCP assigned the addresses.
   */
  linkPpp = false;

  // network layer: the innermost IP header, the one carrying TCP/GRE
  ipVersion = 0;
  /** IPv4 addresses as unsigned 32-bit numbers. */
  src4 = 0;
  dst4 = 0;
  /** IPv6 addresses: offsets of the 16 address bytes in buf. */
  src6Offset = 0;
  dst6Offset = 0;
  /** IP protocol / next header of the transport. */
  ipProtocol = 0;
  ipTtl = 0;
  /** IPv4 identification (0 for IPv6). */
  ipId = 0;
  /** Number of IP headers outside this one (IP-in-IP, 4in6, ...). */
  ipTunnelDepth = 0;
  /** The datagram was reassembled from fragments. */
  reassembled = false;

  // TCP
  srcPort = 0;
  dstPort = 0;
  tcpSeq = 0;
  tcpAck = 0;
  /** Flag bits as in the header (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10, URG 0x20, ECE 0x40, CWR 0x80). */
  tcpFlags = 0;
  tcpWindow = 0;
  /** MSS option, -1 when absent. */
  tcpMss = -1;

  // GRE
  greVersion = -1;
  /** The first 16 bits of the GRE header (flags and version). */
  greFlags = 0;
  greProtocol = 0;
  greHasKey = false;
  /** Whole 32-bit key (version 0). */
  greKey = 0;
  /** Enhanced GRE: payload length and call ID halves of the key. */
  grePayloadLength = 0;
  greCallId = -1;
  /** Sequence and acknowledgment numbers, -1 when absent. */
  greSeq = -1;
  greAck = -1;

  /** Transport payload (TCP data or GRE payload; for PPPoE Discovery, the tag list). */
  payloadOffset = 0;
  payloadLength = 0;
  /**
   * Bytes missing because the frame was cut (snap length): of the IP datagram, of the
   * enhanced GRE payload its key announces, or of a PPPoE session frame's PPP.
   */
  payloadMissing = 0;

  // PPP (inside GRE, or directly on the link)
  /** PPP protocol number, -1 when there is no PPP. */
  pppProtocol = -1;
  /** Address/control bytes (FF 03) were present. */
  pppHasAddressControl = false;
  /** Offset and length of the PPP information field (after the protocol field). */
  pppOffset = 0;
  pppLength = 0;

  /**
   * Marks the frame Malformed: how every layer decoder reports a damaged header.
   * `layer` is a string constant ("ipv4", "gre", ...), so nothing is allocated.
   */
  fail(error: DecodeError, layer: string): PacketKind {
    this.error = error;
    this.errorLayer = layer;
    return PacketKind.Malformed;
  }

  /** Reset everything the decoder may set; called at the start of every decode. */
  reset(): void {
    this.kind = PacketKind.Other;
    this.error = DecodeError.None;
    this.errorLayer = "";
    this.buf = EMPTY;
    this.linkType = 0;
    this.direction = 0;
    this.macSourceOffset = -1;
    this.vlanId = -1;
    this.vlanCount = 0;
    this.pppoeSession = -1;
    this.pppoeCode = -1;
    this.linkPpp = false;
    this.ipVersion = 0;
    this.src4 = 0;
    this.dst4 = 0;
    this.src6Offset = 0;
    this.dst6Offset = 0;
    this.ipProtocol = 0;
    this.ipTtl = 0;
    this.ipId = 0;
    this.ipTunnelDepth = 0;
    this.reassembled = false;
    this.srcPort = 0;
    this.dstPort = 0;
    this.tcpSeq = 0;
    this.tcpAck = 0;
    this.tcpFlags = 0;
    this.tcpWindow = 0;
    this.tcpMss = -1;
    this.greVersion = -1;
    this.greFlags = 0;
    this.greProtocol = 0;
    this.greHasKey = false;
    this.greKey = 0;
    this.grePayloadLength = 0;
    this.greCallId = -1;
    this.greSeq = -1;
    this.greAck = -1;
    this.payloadOffset = 0;
    this.payloadLength = 0;
    this.payloadMissing = 0;
    this.pppProtocol = -1;
    this.pppHasAddressControl = false;
    this.pppOffset = 0;
    this.pppLength = 0;
  }
}

const EMPTY = new Uint8Array(0);
