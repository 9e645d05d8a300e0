/**
 * Small readers for the PPP control decoders. Control packets are rare, so these may
 * allocate (strings); they never read past `buf` because every caller checks the
 * bounds first.
 */
import { u32be } from "../../capture/bytes.js";
import { ipv4ToString } from "../address.js";

/**
 * A Buffer over the whole ArrayBuffer the decoders last read from. Capture readers reuse
 * their buffers, so this is made once per buffer instead of once per field converted:
 * Buffer.toString with start and end then makes the string and nothing else.
 */
let bufferView: Buffer = Buffer.alloc(0);

function viewOf(buf: Uint8Array): Buffer {
  if (bufferView.buffer !== buf.buffer) bufferView = Buffer.from(buf.buffer);
  return bufferView;
}

/** The bytes as lowercase hex without separators ("" for none). */
export function hexOf(buf: Uint8Array, offset: number, length: number): string {
  if (length <= 0) return "";
  if (length <= MAX_SHORT_HEX_BYTES) return shortHexOf(buf, offset, length);
  const start = buf.byteOffset + offset;
  return viewOf(buf).toString("hex", start, start + length);
}

/**
 * Hex texts of short values (option values: an MRU, an ACCM, an MPPE word, an address),
 * the last one made per slot, by value and length. Links of a capture send the same few,
 * and a text found costs neither a string nor a call into Buffer. A cache of texts, so
 * bounded by its slots; a value of another slot's hash only replaces the text kept.
 */
const MAX_SHORT_HEX_BYTES = 4;
const SHORT_HEX_SLOTS = 256;
/** value * 8 + length (exact: below 2^35), -1 for an empty slot. */
const shortHexKeys = new Float64Array(SHORT_HEX_SLOTS).fill(-1);
const shortHexTexts = new Array<string>(SHORT_HEX_SLOTS).fill("");

function shortHexOf(buf: Uint8Array, offset: number, length: number): string {
  let value = 0;
  for (let i = 0; i < length; i++) value = value * 256 + buf[offset + i];
  // with the length in the key, as 0578 and 000578 read differently
  const key = value * 8 + length;
  // every byte in the slot: addresses of one pool differ in the last, MPPE words in the first
  const slot = (value ^ (value >>> 8) ^ (value >>> 16) ^ (value >>> 24) ^ length) & (SHORT_HEX_SLOTS - 1);
  if (shortHexKeys[slot] === key) return shortHexTexts[slot];
  const start = buf.byteOffset + offset;
  const text = viewOf(buf).toString("hex", start, start + length);
  shortHexKeys[slot] = key;
  shortHexTexts[slot] = text;
  return text;
}

/**
 * Text fields of PPP packets (Terminate reasons, names, messages, identities) decoded
 * as latin1: one character per byte, so the string never fails to decode, never gains
 * U+FFFD and gives back the exact bytes (Buffer.from(text, "latin1")). The RFCs leave
 * the charset open (RFC 1994 §4.1 "Name", RFC 2759 §5 "appropriate charset"); turning
 * UTF-8 into characters and escaping for output is the report's job.
 */
export function latin1Of(buf: Uint8Array, offset: number, length: number): string {
  if (length <= 0) return "";
  const start = buf.byteOffset + offset;
  return viewOf(buf).toString("latin1", start, start + length);
}

/** Four bytes as a dotted IPv4 address (from the address texts' cache: links assign the same few). */
export function ipv4Of(buf: Uint8Array, offset: number): string {
  return ipv4ToString(u32be(buf, offset));
}
