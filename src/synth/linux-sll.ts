/** Linux "cooked" capture headers: SLL (LINKTYPE_LINUX_SLL 113) and SLL2 (LINKTYPE_LINUX_SLL2 276). */
import { EtherType } from "../decode/ethernet.js";
import { ARPHRD_PPP, SllPacketType } from "../decode/sll.js";
import { checkField } from "./bytes.js";

/** Linux ARPHRD_* device types (linux/if_arp.h). */
export const ArphrdType = {
  Ether: 1,
  Ppp: ARPHRD_PPP,
  Loopback: 772,
  IpGre: 778,
  None: 0xfffe,
} as const;

export interface SllFields {
  /** SllPacketType (decode/sll.ts), default Host. */
  packetType?: number;
  /** Default ArphrdType.Ether. */
  arphrdType?: number;
  /** Link-layer source address, at most 8 bytes stored (default none). */
  address?: Uint8Array;
  /** EtherType of the payload, default IPv4. */
  protocol?: number;
  payload: Uint8Array;
}

export interface Sll2Fields extends SllFields {
  interfaceIndex?: number;
}

const SLL_HEADER_LENGTH = 16;
const SLL2_HEADER_LENGTH = 20;
/** Both headers keep 8 bytes for the address. */
const ADDRESS_FIELD_LENGTH = 8;

/** SLL: packet type(2) ARPHRD(2) address length(2) address(8) protocol(2). */
export function linuxSll(fields: SllFields): Buffer {
  const address = addressOf(fields);
  const out = Buffer.alloc(SLL_HEADER_LENGTH + fields.payload.length);
  out.writeUInt16BE(checkField("packetType", fields.packetType ?? SllPacketType.Host, 0xffff), 0);
  out.writeUInt16BE(checkField("arphrdType", fields.arphrdType ?? ArphrdType.Ether, 0xffff), 2);
  out.writeUInt16BE(address.length, 4);
  out.set(address, 6);
  out.writeUInt16BE(checkField("protocol", fields.protocol ?? EtherType.IPv4, 0xffff), 14);
  out.set(fields.payload, SLL_HEADER_LENGTH);
  return out;
}

/** SLL2: protocol(2) reserved(2) interface index(4) ARPHRD(2) packet type(1) address length(1) address(8). */
export function linuxSll2(fields: Sll2Fields): Buffer {
  const address = addressOf(fields);
  const out = Buffer.alloc(SLL2_HEADER_LENGTH + fields.payload.length);
  out.writeUInt16BE(checkField("protocol", fields.protocol ?? EtherType.IPv4, 0xffff), 0);
  out.writeUInt32BE(checkField("interfaceIndex", fields.interfaceIndex ?? 0, 0xffffffff), 4);
  out.writeUInt16BE(checkField("arphrdType", fields.arphrdType ?? ArphrdType.Ether, 0xffff), 8);
  out[10] = checkField("packetType", fields.packetType ?? SllPacketType.Host, 0xff);
  out[11] = address.length;
  out.set(address, 12);
  out.set(fields.payload, SLL2_HEADER_LENGTH);
  return out;
}

function addressOf(fields: SllFields): Uint8Array {
  const address = fields.address ?? new Uint8Array(0);
  checkField("SLL address length", address.length, ADDRESS_FIELD_LENGTH);
  return address;
}
