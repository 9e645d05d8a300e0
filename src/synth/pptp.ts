/**
 * Builds PPTP control messages (RFC 2637 §2.1–2.15) for fixtures, tests and the benchmark.
 * Layout, names and fixed lengths come from the decoder's table (PPTP_MESSAGES), so the
 * builder never disagrees with it; the tests check both against bytes from elsewhere
 * (hand-computed RFC layouts, tshark, real captures).
 */
import {
  PPTP_CONTROL_MESSAGE,
  PPTP_MAGIC_COOKIE,
  PPTP_MESSAGES,
  type PptpFieldName,
  type PptpMessageOf,
  type PptpMessageSpec,
  type PptpMessageType,
} from "../decode/pptp.js";
import { checkField } from "./bytes.js";

/** A control message to build: its type and any of its body fields; the rest take defaults. */
export type PptpMessageInit = {
  [T in PptpMessageType]: { type: T } & Partial<Pick<PptpMessageOf<T>, PptpFieldName<T>>>;
}[PptpMessageType];

/**
 * Defaults other than 0 / "": protocol version 1.0 (RFC 2637 §2.1), and result code 1
 * in the replies where 1 means success (RFC 2637 §2.2, 2.4, 2.6, 2.8, 2.10).
 */
const DEFAULTS: Readonly<Partial<Record<PptpMessageType, Readonly<Record<string, number>>>>> = {
  1: { protocolVersion: 0x0100 },
  2: { protocolVersion: 0x0100, resultCode: 1 },
  4: { resultCode: 1 },
  6: { resultCode: 1 },
  8: { resultCode: 1 },
  10: { resultCode: 1 },
};

/** Length fields that default to the length of the number they describe (RFC 2637 §2.7, §2.9). */
const LENGTH_OF_TEXT: Readonly<Record<string, string>> = {
  phoneNumberLength: "phoneNumber",
  dialedNumberLength: "dialedNumber",
  dialingNumberLength: "dialingNumber",
};

/** Byte offset of the magic cookie in a control message (RFC 2637 §2: after Length and PPTP Message Type). */
const MAGIC_COOKIE_OFFSET = 4;

/** A control message whose magic cookie is `cookie` instead of 0x1A2B3C4D: a damaged message on the stream. */
export function withBadMagicCookie(init: PptpMessageInit, cookie = 0xdeadbeef): Buffer {
  const message = buildPptpMessage(init);
  message.writeUInt32BE(cookie, MAGIC_COOKIE_OFFSET);
  return message;
}

/**
 * The bytes of one control message: header (length, type 1, magic cookie, control type),
 * body fields at their RFC offsets, reserved fields and text padding zero. Throws
 * RangeError for a value that does not fit its field (a bug in the caller, not input).
 */
export function buildPptpMessage(init: PptpMessageInit): Buffer {
  const spec = PPTP_MESSAGES[init.type] as PptpMessageSpec;
  const values = init as unknown as Readonly<Record<string, number | string | undefined>>;
  const defaults = DEFAULTS[init.type];
  const out = Buffer.alloc(spec.length);
  out.writeUInt16BE(spec.length, 0);
  out.writeUInt16BE(PPTP_CONTROL_MESSAGE, 2);
  out.writeUInt32BE(PPTP_MAGIC_COOKIE, MAGIC_COOKIE_OFFSET);
  out.writeUInt16BE(init.type, 8);

  for (const field of spec.fields) {
    const value = values[field.name];
    if (field.kind === "text") {
      writeText(out, field.offset, field.size, field.name, value === undefined ? "" : String(value));
      continue;
    }
    const textField = LENGTH_OF_TEXT[field.name];
    const implied = textField !== undefined ? String(values[textField] ?? "").length : undefined;
    const number = value ?? implied ?? defaults?.[field.name] ?? 0;
    const max = 2 ** (8 * field.size) - 1;
    out.writeUIntBE(checkField(`${spec.abbreviation} ${field.name}`, typeof number === "number" ? number : NaN, max),
      field.offset, field.size);
  }
  return out;
}

/** Latin-1, as the decoder reads it; the rest of the field stays NUL (RFC 2637 §2.1 "Host Name"). */
function writeText(out: Buffer, at: number, size: number, name: string, value: string): void {
  if (value.length > size) throw new RangeError(`${name}: ${value.length} characters do not fit ${size} bytes`);
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code > 0xff) throw new RangeError(`${name}: character U+${code.toString(16)} is not Latin-1`);
    out[at + i] = code;
  }
}
