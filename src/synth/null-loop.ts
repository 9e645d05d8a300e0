/**
 * BSD loopback encapsulation: a 4-byte address family before the packet. LINKTYPE_NULL (0)
 * stores it in the byte order of the capturing host, LINKTYPE_LOOP (108) in network order.
 */
import { LoopbackFamily } from "../decode/null-loop.js";
import { checkField, putU32 } from "./bytes.js";

export interface NullLoopFields {
  /** LoopbackFamily (decode/null-loop.ts), default INET. */
  family?: number;
  payload: Uint8Array;
}

/** LINKTYPE_NULL; bigEndian chooses the byte order of the capturing host (default little-endian). */
export function nullLink(fields: NullLoopFields & { bigEndian?: boolean }): Buffer {
  return familyHeader(fields, fields.bigEndian ?? false);
}

/** LINKTYPE_LOOP (OpenBSD): the family in network byte order. */
export function loopLink(fields: NullLoopFields): Buffer {
  return familyHeader(fields, true);
}

function familyHeader(fields: NullLoopFields, bigEndian: boolean): Buffer {
  const out = Buffer.alloc(4 + fields.payload.length);
  putU32(out, 0, checkField("family", fields.family ?? LoopbackFamily.INET, 0xffffffff), bigEndian);
  out.set(fields.payload, 4);
  return out;
}
