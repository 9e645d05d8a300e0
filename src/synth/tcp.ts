/** TCP segments (RFC 9293) with options; the checksum covers the IPv4 or IPv6 pseudo-header. */
import { checkField } from "./bytes.js";
import { addWords, finishChecksum, pseudoHeaderSum } from "./checksum.js";
import { IpProtocol } from "../decode/ipv4.js";
import { TcpFlag, TcpOptionKind } from "../decode/tcp.js";
import type { IpPayload } from "./ip-payload.js";

export { TcpFlag, TcpOptionKind } from "../decode/tcp.js";

export type TcpOption =
  | { kind: "mss"; value: number }
  | { kind: "window-scale"; shift: number }
  | { kind: "sack-permitted" }
  | { kind: "timestamps"; value: number; echo: number }
  | { kind: "nop" }
  /** Any other option: written as kind, length (2 + data), data. */
  | { kind: "raw"; type: number; data: Uint8Array };

export interface TcpFields {
  srcPort: number;
  dstPort: number;
  seq?: number;
  ack?: number;
  /** TcpFlag bits; default ACK. */
  flags?: number;
  /** Default 65535. */
  window?: number;
  urgentPointer?: number;
  /** Written in order, then padded with End-of-Option-List zeros to 32 bits. */
  options?: TcpOption[];
  payload?: Uint8Array;
  /** Store this checksum instead of the computed one (to build a damaged segment). */
  checksum?: number;
}

const MIN_HEADER_LENGTH = 20;
const MAX_HEADER_LENGTH = 60;

/** A segment that ipv4()/ipv6() finish with their addresses. */
export function tcp(fields: TcpFields): IpPayload {
  return { protocol: IpProtocol.TCP, encode: (src, dst) => tcpSegment(fields, src, dst) };
}

/** The segment bytes, checksummed for the given IP source and (final) destination (4 or 16 bytes each). */
export function tcpSegment(fields: TcpFields, src: Uint8Array, dst: Uint8Array): Buffer {
  const options = encodeOptions(fields.options ?? []);
  const headerLength = MIN_HEADER_LENGTH + options.length;
  if (headerLength > MAX_HEADER_LENGTH) throw new RangeError(`TCP options too long: ${options.length} bytes`);
  const payload = fields.payload ?? new Uint8Array(0);
  const out = Buffer.alloc(headerLength + payload.length);
  out.writeUInt16BE(checkField("srcPort", fields.srcPort, 0xffff), 0);
  out.writeUInt16BE(checkField("dstPort", fields.dstPort, 0xffff), 2);
  out.writeUInt32BE(checkField("seq", fields.seq ?? 0, 0xffffffff), 4);
  out.writeUInt32BE(checkField("ack", fields.ack ?? 0, 0xffffffff), 8);
  out[12] = (headerLength / 4) << 4; // data offset in 32-bit words
  out[13] = checkField("flags", fields.flags ?? TcpFlag.ACK, 0xff);
  out.writeUInt16BE(checkField("window", fields.window ?? 65535, 0xffff), 14);
  out.writeUInt16BE(checkField("urgentPointer", fields.urgentPointer ?? 0, 0xffff), 18);
  out.set(options, MIN_HEADER_LENGTH);
  out.set(payload, headerLength);
  const checksum = fields.checksum ??
    finishChecksum(addWords(pseudoHeaderSum(src, dst, IpProtocol.TCP, out.length), out));
  out.writeUInt16BE(checksum, 16);
  return out;
}

function encodeOptions(options: TcpOption[]): Buffer {
  const bytes: number[] = [];
  const u16 = (v: number) => bytes.push(v >> 8, v & 0xff);
  const u32 = (v: number) => bytes.push(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  for (const option of options) {
    switch (option.kind) {
      case "mss":
        bytes.push(TcpOptionKind.MaximumSegmentSize, 4);
        u16(checkField("mss", option.value, 0xffff));
        break;
      case "window-scale":
        bytes.push(TcpOptionKind.WindowScale, 3, checkField("window scale", option.shift, 14));
        break;
      case "sack-permitted":
        bytes.push(TcpOptionKind.SackPermitted, 2);
        break;
      case "timestamps":
        bytes.push(TcpOptionKind.Timestamps, 10);
        u32(checkField("TSval", option.value, 0xffffffff));
        u32(checkField("TSecr", option.echo, 0xffffffff));
        break;
      case "nop":
        bytes.push(TcpOptionKind.NoOperation);
        break;
      case "raw":
        bytes.push(checkField("option kind", option.type, 0xff), checkField("option length", 2 + option.data.length, 0xff),
          ...option.data);
        break;
    }
  }
  while (bytes.length % 4 !== 0) bytes.push(TcpOptionKind.EndOfOptionList);
  return Buffer.from(bytes);
}
