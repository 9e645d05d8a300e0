/** IPv4 datagrams (RFC 791) with options and fragmentation; header checksum per RFC 1071. */
import { type AddressInput, ipAddress } from "./addresses.js";
import { checkField } from "./bytes.js";
import { internetChecksum } from "./checksum.js";
import type { IpPayload } from "./ip-payload.js";

export interface Ipv4Fields {
  src: AddressInput;
  dst: AddressInput;
  payload: IpPayload;
  /** Identification, default 0. */
  id?: number;
  /** Default 64. */
  ttl?: number;
  /** Type of service / DSCP+ECN byte, default 0. */
  tos?: number;
  dontFragment?: boolean;
  moreFragments?: boolean;
  /** Fragment offset in 8-byte units (RFC 791 §3.1). */
  fragmentOffset?: number;
  /** Option bytes (RFC 791 §3.1), padded here with End-of-Option-List zeros to 32 bits. */
  options?: Uint8Array;
  /** Store this header checksum instead of the computed one (to build a damaged datagram). */
  checksum?: number;
}

const MIN_HEADER_LENGTH = 20;
/** The IHL field counts 32-bit words in 4 bits: at most 60 bytes of header. */
const MAX_HEADER_LENGTH = 60;
const FLAG_DONT_FRAGMENT = 0x4000;
const FLAG_MORE_FRAGMENTS = 0x2000;
/** Option type bit 0x80: copy the option into every fragment (RFC 791 §3.1). */
const OPTION_COPIED = 0x80;
const OPTION_END_OF_LIST = 0;
const OPTION_NO_OPERATION = 1;

/** A whole datagram. */
export function ipv4(fields: Ipv4Fields): Buffer {
  const src = addressOf(fields.src, "src");
  const dst = addressOf(fields.dst, "dst");
  return datagram(fields, src, dst, fields.payload.protocol, fields.payload.encode(src, dst), fields.options,
    fields.fragmentOffset ?? 0, fields.moreFragments ?? false);
}

/**
 * The datagram cut into fragments of at most `maxFragmentPayload` payload bytes (rounded
 * down to a multiple of 8, since offsets count 8-byte units). The first fragment keeps all
 * options, later ones only the options flagged "copied" (RFC 791 §3.2). Fields such as
 * fragmentOffset/moreFragments place the result inside a larger datagram.
 */
export function ipv4Fragments(fields: Ipv4Fields, maxFragmentPayload: number): Buffer[] {
  const step = maxFragmentPayload & ~7;
  if (step < 8) throw new RangeError(`fragments need room for at least 8 payload bytes, got ${maxFragmentPayload}`);
  const src = addressOf(fields.src, "src");
  const dst = addressOf(fields.dst, "dst");
  const payload = fields.payload.encode(src, dst);
  const laterOptions = fields.options === undefined ? undefined : copiedOptions(fields.options);
  const baseOffset = fields.fragmentOffset ?? 0;
  const fragments: Buffer[] = [];
  // start === 0 lets an empty payload still give one fragment
  for (let start = 0; start === 0 || start < payload.length; start += step) {
    const end = Math.min(start + step, payload.length);
    const more = end < payload.length || (fields.moreFragments ?? false);
    fragments.push(datagram(fields, src, dst, fields.payload.protocol, payload.subarray(start, end),
      start === 0 ? fields.options : laterOptions, baseOffset + start / 8, more));
  }
  return fragments;
}

function addressOf(address: AddressInput, name: string): Uint8Array {
  const bytes = ipAddress(address);
  if (bytes.length !== 4) throw new RangeError(`ipv4 ${name} must be an IPv4 address`);
  return bytes;
}

function datagram(fields: Ipv4Fields, src: Uint8Array, dst: Uint8Array, protocol: number, payload: Uint8Array,
  options: Uint8Array | undefined, fragmentOffset: number, moreFragments: boolean): Buffer {
  const optionLength = ((options?.length ?? 0) + 3) & ~3;
  const headerLength = MIN_HEADER_LENGTH + optionLength;
  if (headerLength > MAX_HEADER_LENGTH) throw new RangeError(`IPv4 options too long: ${options?.length} bytes`);
  const totalLength = headerLength + payload.length;
  const out = Buffer.alloc(totalLength);
  out[0] = 0x40 | (headerLength >> 2); // version 4, IHL in 32-bit words
  out[1] = checkField("tos", fields.tos ?? 0, 0xff);
  out.writeUInt16BE(checkField("IPv4 total length", totalLength, 0xffff), 2);
  out.writeUInt16BE(checkField("id", fields.id ?? 0, 0xffff), 4);
  out.writeUInt16BE((fields.dontFragment ? FLAG_DONT_FRAGMENT : 0) | (moreFragments ? FLAG_MORE_FRAGMENTS : 0) |
    checkField("fragment offset", fragmentOffset, 0x1fff), 6);
  out[8] = checkField("ttl", fields.ttl ?? 64, 0xff);
  out[9] = checkField("protocol", protocol, 0xff);
  out.set(src, 12);
  out.set(dst, 16);
  if (options) out.set(options, MIN_HEADER_LENGTH);
  out.writeUInt16BE(fields.checksum ?? internetChecksum(out, 0, headerLength), 10);
  out.set(payload, headerLength);
  return out;
}

/** The options whose type has the copied flag, in order (single-byte types 0/1 are not copied). */
function copiedOptions(options: Uint8Array): Uint8Array {
  const kept: number[] = [];
  let i = 0;
  while (i < options.length) {
    const type = options[i];
    if (type === OPTION_END_OF_LIST) break;
    if (type === OPTION_NO_OPERATION) {
      i++;
      continue;
    }
    const length = Math.max(2, options[i + 1] ?? 2);
    if (type & OPTION_COPIED) kept.push(...options.subarray(i, i + length));
    i += length;
  }
  return Uint8Array.from(kept);
}
