/**
 * PPP protocol numbers (RFC 1661 §2, IANA "PPP DLL Protocol Numbers") and the CHAP
 * algorithms of LCP option 3 (RFC 1994 §3, RFC 2433, RFC 2759).
 */

export const PppProtocol = {
  IPv4: 0x0021,
  OSI: 0x0023,
  AppleTalk: 0x0029,
  IPX: 0x002b,
  VjCompressedTcp: 0x002d,
  VjUncompressedTcp: 0x002f,
  BridgingPdu: 0x0031,
  Multilink: 0x003d,
  Encrypted: 0x0053,
  LinkEncrypted: 0x0055,
  IPv6: 0x0057,
  LinkCompressed: 0x00fb,
  Compressed: 0x00fd,
  CiscoDiscovery: 0x0207,
  MplsUnicast: 0x0281,
  MplsMulticast: 0x0283,
  IPCP: 0x8021,
  OSINLCP: 0x8023,
  ATCP: 0x8029,
  IPXCP: 0x802b,
  BCP: 0x8031,
  ECP: 0x8053,
  LinkECP: 0x8055,
  IPV6CP: 0x8057,
  LinkCCP: 0x80fb,
  CCP: 0x80fd,
  CDPCP: 0x8207,
  MPLSCP: 0x8281,
  LCP: 0xc021,
  PAP: 0xc023,
  LQR: 0xc025,
  CBCP: 0xc029,
  BACP: 0xc02b,
  BAP: 0xc02d,
  CHAP: 0xc223,
  EAP: 0xc227,
} as const;

export const PPP_PROTOCOL_NAMES: Readonly<Record<number, string>> = {
  0x0021: "IPv4",
  0x0023: "OSI network layer",
  0x0029: "AppleTalk",
  0x002b: "Novell IPX",
  0x002d: "Van Jacobson compressed TCP/IP",
  0x002f: "Van Jacobson uncompressed TCP/IP",
  0x0031: "Bridging PDU",
  0x003d: "Multilink",
  0x0053: "Encrypted datagram (ECP)",
  0x0055: "Individual link encrypted datagram",
  0x0057: "IPv6",
  0x00fb: "Individual link compressed datagram",
  0x00fd: "Compressed datagram (CCP)",
  0x0207: "Cisco Discovery Protocol",
  0x0281: "MPLS unicast",
  0x0283: "MPLS multicast",
  0x8021: "IPCP",
  0x8023: "OSINLCP",
  0x8029: "AppleTalk Control Protocol",
  0x802b: "IPXCP",
  0x8031: "Bridging Control Protocol",
  0x8053: "ECP",
  0x8055: "Individual link ECP",
  0x8057: "IPV6CP",
  0x80fb: "Individual link CCP",
  0x80fd: "CCP",
  0x8207: "CDPCP",
  0x8281: "MPLSCP",
  0xc021: "LCP",
  0xc023: "PAP",
  0xc025: "Link Quality Report",
  0xc029: "CBCP",
  0xc02b: "BACP",
  0xc02d: "BAP",
  0xc223: "CHAP",
  0xc227: "EAP",
};

/** CHAP algorithm octet of LCP option 3 (RFC 1994 §3; 0x80 RFC 2433 §3; 0x81 RFC 2759 §2). */
export const ChapAlgorithm = {
  MD5: 5,
  MsChap: 0x80,
  MsChapV2: 0x81,
} as const;

export const CHAP_ALGORITHM_NAMES: Readonly<Record<number, string>> = {
  5: "MD5",
  0x80: "MS-CHAP",
  0x81: "MS-CHAPv2",
};

/** The table's name for `value`, or its unknownName. */
export function nameOf(table: Readonly<Record<number, string>>, value: number, hexDigits = 2): string {
  return table[value] ?? unknownName(value, hexDigits);
}

/** "unknown (0x..)" with at least `hexDigits` digits. */
export function unknownName(value: number, hexDigits = 2): string {
  return `unknown (0x${value.toString(16).padStart(hexDigits, "0")})`;
}

export function pppProtocolName(protocol: number): string {
  return nameOf(PPP_PROTOCOL_NAMES, protocol, 4);
}
