/** libpcap LINKTYPE_* values we decode, with the names reports print. */
export const LinkType = {
  NULL: 0,
  ETHERNET: 1,
  PPP: 9,
  RAW_12: 12,
  RAW_14: 14,
  PPP_HDLC: 50,
  PPP_ETHER: 51,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  PPP_WITH_DIR: 204,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

export const LINK_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: "NULL",
  1: "ETHERNET",
  9: "PPP",
  12: "RAW",
  14: "RAW",
  50: "PPP_HDLC",
  51: "PPP_ETHER",
  101: "RAW",
  108: "LOOP",
  113: "LINUX_SLL",
  204: "PPP_WITH_DIR",
  228: "IPV4",
  229: "IPV6",
  276: "LINUX_SLL2",
};

export function linkTypeName(linkType: number): string {
  return LINK_TYPE_NAMES[linkType] ?? `LINKTYPE_${linkType}`;
}
