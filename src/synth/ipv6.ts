/** IPv6 packets (RFC 8200) with extension-header chains and fragmentation. */
import { type AddressInput, ipAddress } from "./addresses.js";
import { checkField } from "./bytes.js";
import { Ipv6ExtensionHeader as NextHeader } from "../decode/ipv6.js";
import type { IpPayload } from "./ip-payload.js";

/** One extension header; the builder fills in the next-header and length fields. */
export type Ipv6ExtensionHeader =
  /** Hop-by-Hop or Destination Options (RFC 8200 §4.3, §4.6): TLV options, padded here with Pad1/PadN to 8 bytes. */
  | { type: "hop-by-hop" | "destination"; options?: Uint8Array }
  /**
   * Routing header (RFC 8200 §4.4) in the type 0 layout (4 reserved bytes, then addresses).
   * With segmentsLeft > 0 the last address is the final destination, which the TCP
   * pseudo-header then uses (RFC 8200 §8.1).
   */
  | { type: "routing"; routingType?: number; segmentsLeft?: number; addresses?: AddressInput[] }
  /** Fragment header (RFC 8200 §4.5); offset in 8-byte units. */
  | { type: "fragment"; offset?: number; more?: boolean; identification: number };

export interface Ipv6Fields {
  src: AddressInput;
  dst: AddressInput;
  payload: IpPayload;
  /** Default 64. */
  hopLimit?: number;
  trafficClass?: number;
  flowLabel?: number;
  /** In the order they follow the fixed header. */
  extensionHeaders?: Ipv6ExtensionHeader[];
}

const FIXED_HEADER_LENGTH = 40;
const FRAGMENT_HEADER_LENGTH = 8;
const OPTION_PAD1 = 0;
const OPTION_PADN = 1;

const NEXT_HEADER_OF: Readonly<Record<Ipv6ExtensionHeader["type"], number>> = {
  "hop-by-hop": NextHeader.HopByHop,
  destination: NextHeader.DestinationOptions,
  routing: NextHeader.Routing,
  fragment: NextHeader.Fragment,
};

/** A whole packet. */
export function ipv6(fields: Ipv6Fields): Buffer {
  const src = addressOf(fields.src, "src");
  const headers = fields.extensionHeaders ?? [];
  const payload = fields.payload.encode(src, finalDestination(fields, headers));
  return packet(fields, src, headers, fields.payload.protocol, [payload]);
}

/**
 * The packet cut into fragments (RFC 8200 §4.5): each carries the unfragmentable part
 * (Hop-by-Hop, and everything up to the last Routing header), a Fragment header with
 * `identification`, and at most `maxFragmentBytes` (rounded down to a multiple of 8) of
 * the fragmentable part (the remaining extension headers and the upper-layer payload).
 */
export function ipv6Fragments(fields: Ipv6Fields, maxFragmentBytes: number, identification: number): Buffer[] {
  const step = maxFragmentBytes & ~7;
  if (step < 8) throw new RangeError(`fragments need room for at least 8 bytes, got ${maxFragmentBytes}`);
  const src = addressOf(fields.src, "src");
  const headers = fields.extensionHeaders ?? [];
  const lastRouting = headers.map((h) => h.type).lastIndexOf("routing");
  const unfragmentableCount = lastRouting >= 0 ? lastRouting + 1 : headers[0]?.type === "hop-by-hop" ? 1 : 0;
  const unfragmentable = headers.slice(0, unfragmentableCount);
  const fragmentableHeaders = headers.slice(unfragmentableCount);
  const upper = fields.payload.encode(src, finalDestination(fields, headers));
  const fragmentable = Buffer.concat([...chain(fragmentableHeaders, fields.payload.protocol), upper]);
  const fragmentableType = fragmentableHeaders.length > 0 ? NEXT_HEADER_OF[fragmentableHeaders[0].type]
    : fields.payload.protocol;
  const fragments: Buffer[] = [];
  // start === 0 lets an empty fragmentable part still give one fragment
  for (let start = 0; start === 0 || start < fragmentable.length; start += step) {
    const end = Math.min(start + step, fragmentable.length);
    const fragmentHeader = extensionHeader(
      { type: "fragment", offset: start / 8, more: end < fragmentable.length, identification }, fragmentableType);
    fragments.push(packet(fields, src, unfragmentable, NextHeader.Fragment,
      [fragmentHeader, fragmentable.subarray(start, end)]));
  }
  return fragments;
}

function addressOf(address: AddressInput, name: string): Uint8Array {
  const bytes = ipAddress(address);
  if (bytes.length !== 16) throw new RangeError(`ipv6 ${name} must be an IPv6 address`);
  return bytes;
}

/** The destination the upper-layer checksum uses: the last address of a routing header still to be visited. */
function finalDestination(fields: Ipv6Fields, headers: Ipv6ExtensionHeader[]): Uint8Array {
  let destination = addressOf(fields.dst, "dst");
  for (const header of headers) {
    if (header.type === "routing" && (header.segmentsLeft ?? 0) > 0 && header.addresses?.length) {
      destination = addressOf(header.addresses[header.addresses.length - 1], "routing address");
    }
  }
  return destination;
}

/** Fixed header + `headers` (the last one pointing at `protocol`) + the rest. */
function packet(fields: Ipv6Fields, src: Uint8Array, headers: Ipv6ExtensionHeader[], protocol: number,
  rest: Uint8Array[]): Buffer {
  const body = Buffer.concat([...chain(headers, protocol), ...rest]);
  const out = Buffer.alloc(FIXED_HEADER_LENGTH + body.length);
  const trafficClass = checkField("trafficClass", fields.trafficClass ?? 0, 0xff);
  const flowLabel = checkField("flowLabel", fields.flowLabel ?? 0, 0xfffff);
  // version 6 (4 bits), traffic class (8), flow label (20)
  out.writeUInt32BE(((6 << 28) | (trafficClass << 20) | flowLabel) >>> 0, 0);
  out.writeUInt16BE(checkField("IPv6 payload length", body.length, 0xffff), 4);
  out[6] = headers.length > 0 ? NEXT_HEADER_OF[headers[0].type] : checkField("next header", protocol, 0xff);
  out[7] = checkField("hopLimit", fields.hopLimit ?? 64, 0xff);
  out.set(src, 8);
  out.set(addressOf(fields.dst, "dst"), 24);
  out.set(body, FIXED_HEADER_LENGTH);
  return out;
}

function chain(headers: Ipv6ExtensionHeader[], protocol: number): Buffer[] {
  return headers.map((header, i) =>
    extensionHeader(header, i + 1 < headers.length ? NEXT_HEADER_OF[headers[i + 1].type] : protocol));
}

function extensionHeader(header: Ipv6ExtensionHeader, nextHeader: number): Buffer {
  switch (header.type) {
    case "hop-by-hop":
    case "destination": {
      const options = header.options ?? new Uint8Array(0);
      const length = (2 + options.length + 7) & ~7;
      const out = Buffer.alloc(length); // zero bytes double as Pad1 options
      out[0] = nextHeader;
      out[1] = length / 8 - 1; // Hdr Ext Len: 8-byte units beyond the first
      out.set(options, 2);
      const padding = length - 2 - options.length;
      if (padding >= 2) {
        out[2 + options.length] = OPTION_PADN;
        out[3 + options.length] = padding - 2;
      } else if (padding === 1) {
        out[2 + options.length] = OPTION_PAD1;
      }
      return out;
    }
    case "routing": {
      const addresses = (header.addresses ?? []).map((a) => addressOf(a, "routing address"));
      const out = Buffer.alloc(8 + 16 * addresses.length);
      out[0] = nextHeader;
      out[1] = 2 * addresses.length;
      out[2] = checkField("routingType", header.routingType ?? 0, 0xff);
      out[3] = checkField("segmentsLeft", header.segmentsLeft ?? 0, 0xff);
      addresses.forEach((a, i) => out.set(a, 8 + 16 * i));
      return out;
    }
    case "fragment": {
      const out = Buffer.alloc(FRAGMENT_HEADER_LENGTH);
      out[0] = nextHeader;
      out.writeUInt16BE((checkField("fragment offset", header.offset ?? 0, 0x1fff) << 3) | (header.more ? 1 : 0), 2);
      out.writeUInt32BE(checkField("identification", header.identification, 0xffffffff), 4);
      return out;
    }
  }
}
