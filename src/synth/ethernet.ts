/** Ethernet II frames (no FCS, as captures store them) with 802.1Q / 802.1ad VLAN tags. */
import { type AddressInput, macAddress } from "./addresses.js";
import { EtherType } from "../decode/ethernet.js";
import { checkField } from "./bytes.js";

export interface VlanTag {
  /** EtherType.Vlan (802.1Q, default) or EtherType.ServiceVlan (802.1ad, the outer tag of QinQ). */
  tpid?: number;
  vid: number;
  /** Priority code point, 0..7. */
  pcp?: number;
  /** Drop eligible indicator. */
  dei?: boolean;
}

export interface EthernetFields {
  /** Default 00:00:5e:00:53:02 (RFC 7042 documentation address). */
  dst?: AddressInput;
  /** Default 00:00:5e:00:53:01. */
  src?: AddressInput;
  /** Of the payload; default IPv4. */
  etherType?: number;
  /** Outermost first. */
  vlans?: VlanTag[];
  payload: Uint8Array;
  /** Pad with zeros to the 60-byte minimum (without FCS) as a receiver sees a short frame. */
  pad?: boolean;
}

const HEADER_LENGTH = 14;
const TAG_LENGTH = 4;
/** 64-byte minimum frame less the 4-byte FCS that captures leave out. */
const MIN_FRAME_LENGTH = 60;
const DEFAULT_DST = macAddress("00:00:5e:00:53:02");
const DEFAULT_SRC = macAddress("00:00:5e:00:53:01");

export function ethernet(fields: EthernetFields): Buffer {
  const vlans = fields.vlans ?? [];
  const headerLength = HEADER_LENGTH + TAG_LENGTH * vlans.length;
  const length = headerLength + fields.payload.length;
  const out = Buffer.alloc(fields.pad ? Math.max(length, MIN_FRAME_LENGTH) : length);
  out.set(macAddress(fields.dst ?? DEFAULT_DST), 0);
  out.set(macAddress(fields.src ?? DEFAULT_SRC), 6);
  let offset = 12;
  for (const tag of vlans) {
    out.writeUInt16BE(checkField("tpid", tag.tpid ?? EtherType.Vlan, 0xffff), offset);
    // TCI: PCP (3 bits), DEI (1), VID (12)
    out.writeUInt16BE((checkField("pcp", tag.pcp ?? 0, 7) << 13) | (tag.dei ? 0x1000 : 0) |
      checkField("vid", tag.vid, 0xfff), offset + 2);
    offset += TAG_LENGTH;
  }
  out.writeUInt16BE(checkField("etherType", fields.etherType ?? EtherType.IPv4, 0xffff), offset);
  out.set(fields.payload, headerLength);
  return out;
}
