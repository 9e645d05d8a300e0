/**
 * The packet format shared by LCP and the NCPs (RFC 1661 §5): Code, Identifier, Length,
 * then data; for the Configure-* codes the data is a list of type/length/value options
 * (RFC 1661 §6). PAP, CHAP and EAP reuse the same 4-byte header with codes of their own.
 *
 * Decoders return plain objects (control packets are rare, so allocation is fine), copy
 * what they keep (hex, text) because the frame buffer is reused, and never throw: damage
 * is decoded as far as it goes and described in `malformed`.
 */
import { hexOf, latin1Of } from "./bytes.js";
import { u16be, u32be } from "../../capture/bytes.js";
import { pppProtocolName, unknownName } from "./protocols.js";

/** Code, Identifier and the 2-byte Length. */
export const CONTROL_HEADER_LENGTH = 4;
/** Type and Length octets of a configuration option. */
export const OPTION_HEADER_LENGTH = 2;
/**
 * Most options decoded from one packet: the list is untrusted data, and the negotiation
 * model keeps the options of several packets per session. LCP defines about 30 option
 * types and real requests carry fewer than 10; the rest are counted in optionsOmitted.
 */
export const MAX_OPTIONS = 32;
/** Magic-Number field of Echo, Discard, Identification and Time-Remaining (RFC 1661 §5.8). */
const MAGIC_NUMBER_LENGTH = 4;
/** Rejected-Protocol field of Protocol-Reject (RFC 1661 §5.7). */
const REJECTED_PROTOCOL_LENGTH = 2;
/** Seconds-Remaining field of Time-Remaining (RFC 1570 §3). */
const SECONDS_REMAINING_LENGTH = 4;

export const ControlCode = {
  ConfigureRequest: 1,
  ConfigureAck: 2,
  ConfigureNak: 3,
  ConfigureReject: 4,
  TerminateRequest: 5,
  TerminateAck: 6,
  CodeReject: 7,
  ProtocolReject: 8,
  EchoRequest: 9,
  EchoReply: 10,
  DiscardRequest: 11,
  /** RFC 1570 §2 */
  Identification: 12,
  /** RFC 1570 §3 */
  TimeRemaining: 13,
  /** CCP only, RFC 1962 §2 */
  ResetRequest: 14,
  ResetAck: 15,
} as const;

export const CONTROL_CODE_NAMES: Readonly<Record<number, string>> = {
  1: "Configure-Request",
  2: "Configure-Ack",
  3: "Configure-Nak",
  4: "Configure-Reject",
  5: "Terminate-Request",
  6: "Terminate-Ack",
  7: "Code-Reject",
  8: "Protocol-Reject",
  9: "Echo-Request",
  10: "Echo-Reply",
  11: "Discard-Request",
  12: "Identification",
  13: "Time-Remaining",
  14: "Reset-Request",
  15: "Reset-Ack",
};

/** Codes LCP defines (RFC 1661 §5, RFC 1570 §2-3). */
export const LCP_CODES: readonly number[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
/** Codes an NCP such as IPCP or IPV6CP defines (RFC 1332 §2, RFC 5072 §2). */
export const NCP_CODES: readonly number[] = [1, 2, 3, 4, 5, 6, 7];
/** Codes CCP defines: the NCP codes plus Reset-Request/Ack (RFC 1962 §2). */
export const CCP_CODES: readonly number[] = [1, 2, 3, 4, 5, 6, 7, 14, 15];

/** The 4-byte header and where the data field lies in the buffer. */
export interface PacketHeader {
  /** -1 when the bytes are missing. */
  code: number;
  identifier: number;
  /** The Length field (header included), -1 when missing. */
  length: number;
  /** The data field: bounded by Length and by the bytes present. */
  dataOffset: number;
  dataLength: number;
  malformed: string | null;
}

/**
 * A header to decode into. The packet decoders here each keep one and read every packet's
 * header through it: they copy its fields out before they decode the next packet.
 */
export function blankPacketHeader(): PacketHeader {
  return { code: -1, identifier: -1, length: -1, dataOffset: 0, dataLength: 0, malformed: null };
}

/**
 * Reads the header of the packet at `offset`, `available` bytes present, into `into` (every
 * field is set) or a new header. Octets beyond
 * Length are padding (RFC 1661 §5) and ignored; a Length beyond the bytes present means
 * the packet was cut, and the data present is still handed out.
 */
export function decodePacketHeader(
  buf: Uint8Array,
  offset: number,
  available: number,
  into: PacketHeader = blankPacketHeader(),
): PacketHeader {
  const header = into;
  header.code = available >= 1 ? buf[offset] : -1;
  header.identifier = available >= 2 ? buf[offset + 1] : -1;
  header.length = available >= CONTROL_HEADER_LENGTH ? u16be(buf, offset + 2) : -1;
  header.dataOffset = offset + CONTROL_HEADER_LENGTH;
  header.dataLength = 0;
  header.malformed = null;
  if (available < CONTROL_HEADER_LENGTH) {
    header.malformed = `only ${Math.max(available, 0)} bytes, the header needs ${CONTROL_HEADER_LENGTH}`;
  } else if (header.length < CONTROL_HEADER_LENGTH) {
    header.malformed = `Length ${header.length} is less than the ${CONTROL_HEADER_LENGTH}-byte header`;
  } else if (header.length > available) {
    header.malformed = `Length ${header.length} but only ${available} bytes present`;
    header.dataLength = available - CONTROL_HEADER_LENGTH;
  } else {
    header.dataLength = header.length - CONTROL_HEADER_LENGTH;
  }
  return header;
}

/** One configuration option (RFC 1661 §6); protocols extend it with the fields of their values. */
export interface ConfigOption {
  type: number;
  name: string;
  /** The Length field: type and length octets included. */
  length: number;
  /** The value octets as lowercase hex (those present, when the option was cut). */
  value: string;
  /** Why the value could not be read, null when it could. */
  malformed: string | null;
}

/**
 * What decodeControlPacket does with the options of a Configure-* packet: "decode" them
 * into `options`, or only "check" them (the problems and optionsOmitted come out the
 * same, `options` stays empty) for a caller that needs no value, such as of a
 * Configure-Ack, which repeats the options of the request it acknowledges (RFC 1661 §5.2).
 */
export type OptionsMode = "decode" | "check";

/**
 * The one option "check" reads every value into, then drops: only problems are kept. It
 * gains the value fields of every protocol as they are read; nothing reads them back.
 */
const checkedOption: ConfigOption = { type: 0, name: "", length: 0, value: "", malformed: null };

/** What a protocol says about one option type; lengths count the type and length octets. */
export interface OptionSpec {
  name: string;
  minLength: number;
  maxLength: number;
}

/** An option type whose value layout we do not check. */
export function namedOption(name: string): OptionSpec {
  return { name, minLength: OPTION_HEADER_LENGTH, maxLength: 255 };
}

/** An option with a value of exactly `length - 2` bytes. */
export function fixedOption(name: string, length: number): OptionSpec {
  return { name, minLength: length, maxLength: length };
}

/** One LCP-family protocol: its name, its codes and its option table. */
export interface ControlProtocolSpec<N extends string, O extends ConfigOption> {
  name: N;
  codes: readonly number[];
  options: Readonly<Record<number, OptionSpec>>;
  /**
   * Reads the value of a known option (its length already within the spec) into the
   * option's own fields; returns why it cannot, or null.
   */
  readValue(option: O, buf: Uint8Array, valueOffset: number, valueLength: number): string | null;
}

export interface ControlPacket<N extends string, O extends ConfigOption> {
  protocol: N;
  /** -1 when missing. */
  code: number;
  codeName: string;
  identifier: number;
  /** The Length field, -1 when missing. */
  length: number;
  /** Configure-Request/Ack/Nak/Reject: the options, in packet order (at most MAX_OPTIONS). */
  options: readonly O[];
  /** Options after the first MAX_OPTIONS: counted, not decoded (the packet is also malformed). */
  optionsOmitted: number;
  /** Terminate-Request/Ack data, Identification and Time-Remaining message, as latin1 text. */
  text: string | null;
  /** Echo-Request/Reply, Discard-Request, Identification, Time-Remaining. */
  magicNumber: number | null;
  /** Time-Remaining. */
  secondsRemaining: number | null;
  /** Protocol-Reject: the protocol the peer does not run. */
  rejectedProtocol: number | null;
  rejectedProtocolName: string | null;
  /** Code-Reject: the code of the rejected packet (its first byte). */
  rejectedCode: number | null;
  /**
   * Data-field bytes not decoded into the fields above, as hex: the rejected packet or
   * information of Code/Protocol-Reject, Echo data, Reset data, data of unknown codes.
   */
  data: string;
  /** First problem found, null when the packet is whole and well formed. */
  malformed: string | null;
}

/**
 * Shared by every packet without options, the codes other than Configure-* and those whose
 * options were only checked: frozen, as a reader adding to it would add to every packet's.
 */
const NO_OPTIONS: readonly never[] = Object.freeze([]);

/**
 * Walks the option list in `buf[offset .. offset + length)` into the packet's options
 * (counting those beyond MAX_OPTIONS). Returns the first problem (an option value that
 * breaks its spec, or a list that cannot be walked any further), or null.
 */
function decodeOptions<N extends string, O extends ConfigOption>(
  spec: ControlProtocolSpec<N, O>,
  buf: Uint8Array,
  offset: number,
  length: number,
  packet: ControlPacket<N, O>,
  mode: OptionsMode,
): string | null {
  const end = offset + length;
  // Sized up front rather than grown by push (which leaves spare room in a list the model
  // keeps): the walk below stops where countOptions stops, so it fills every slot.
  const options = mode === "decode" ? new Array<O>(Math.min(countOptions(buf, offset, end), MAX_OPTIONS)) : null;
  if (options !== null) packet.options = options;
  let walked = 0;
  let firstProblem: string | null = null;
  let at = offset;
  while (at < end) {
    if (walked === MAX_OPTIONS) {
      packet.optionsOmitted = countOptions(buf, at, end);
      return firstProblem ?? `more than ${MAX_OPTIONS} options`;
    }
    const type = buf[at];
    if (end - at < OPTION_HEADER_LENGTH) return firstProblem ?? `${optionLabel(type, at - offset)}: no Length octet`;
    const optionLength = buf[at + 1];
    if (optionLength < OPTION_HEADER_LENGTH) {
      return firstProblem ?? `${optionLabel(type, at - offset)}: Length ${optionLength} is below 2`;
    }
    const present = Math.min(optionLength, end - at);
    const known = spec.options[type];
    const name = known?.name ?? unknownName(type);
    let option: O;
    if (options !== null) {
      // Protocol option types only add optional fields to ConfigOption.
      option = {
        type,
        name,
        length: optionLength,
        value: hexOf(buf, at + OPTION_HEADER_LENGTH, present - OPTION_HEADER_LENGTH),
        malformed: null,
      } as O;
      options[walked] = option;
    } else {
      option = checkedOption as O;
      option.type = type;
      option.name = name;
      option.length = optionLength;
      option.malformed = null;
    }
    walked++;
    if (optionLength > end - at) {
      return firstProblem ?? `${optionLabel(type, at - offset)}: Length ${optionLength} overruns the ${end - at} bytes left`;
    }
    if (known !== undefined) {
      if (optionLength < known.minLength || optionLength > known.maxLength) {
        option.malformed =
          known.minLength === known.maxLength
            ? `${known.name} needs Length ${known.minLength}, got ${optionLength}`
            : `${known.name} needs Length ${known.minLength}..${known.maxLength}, got ${optionLength}`;
      } else {
        option.malformed = spec.readValue(option, buf, at + OPTION_HEADER_LENGTH, optionLength - OPTION_HEADER_LENGTH);
      }
      if (option.malformed !== null) firstProblem ??= `${optionLabel(type, at - offset)}: ${option.malformed}`;
    }
    at += optionLength;
  }
  return firstProblem;
}

/** Options in buf[at, end) as far as their Length octets can be followed. */
function countOptions(buf: Uint8Array, at: number, end: number): number {
  let count = 0;
  while (end - at >= OPTION_HEADER_LENGTH && buf[at + 1] >= OPTION_HEADER_LENGTH) {
    count++;
    at += buf[at + 1];
  }
  return count;
}

/** A packet of the protocol with nothing decoded: what decodeControlPacket decodes into. */
export function blankControlPacket<N extends string, O extends ConfigOption>(protocol: N): ControlPacket<N, O> {
  return {
    protocol,
    code: -1,
    codeName: "missing",
    identifier: -1,
    length: -1,
    options: NO_OPTIONS,
    optionsOmitted: 0,
    text: null,
    magicNumber: null,
    secondsRemaining: null,
    rejectedProtocol: null,
    rejectedProtocolName: null,
    rejectedCode: null,
    data: "",
    malformed: null,
  };
}

/** The header decodeControlPacket reads each packet's header into (see blankPacketHeader). */
const controlHeader = blankPacketHeader();

/**
 * Decodes an LCP-family packet (`length` bytes of information field at `offset`) into
 * `into` when given, else into a new packet. `into` is for a caller that reads each packet
 * and drops it: one object for every packet instead of one per packet. Every field is set
 * (the options list is replaced, not written to), so nothing of the previous packet stays.
 */
export function decodeControlPacket<N extends string, O extends ConfigOption>(
  spec: ControlProtocolSpec<N, O>,
  buf: Uint8Array,
  offset: number,
  length: number,
  optionsMode: OptionsMode = "decode",
  into: ControlPacket<N, O> | null = null,
): ControlPacket<N, O> {
  const header = decodePacketHeader(buf, offset, length, controlHeader);
  const known = spec.codes.includes(header.code);
  const packet = into ?? blankControlPacket<N, O>(spec.name);
  packet.protocol = spec.name;
  packet.code = header.code;
  packet.codeName = header.code < 0 ? "missing" : known ? CONTROL_CODE_NAMES[header.code] : unknownName(header.code);
  packet.identifier = header.identifier;
  packet.length = header.length;
  packet.options = NO_OPTIONS;
  packet.optionsOmitted = 0;
  packet.text = null;
  packet.magicNumber = null;
  packet.secondsRemaining = null;
  packet.rejectedProtocol = null;
  packet.rejectedProtocolName = null;
  packet.rejectedCode = null;
  packet.data = "";
  packet.malformed = header.malformed;
  let at = header.dataOffset;
  const end = header.dataOffset + header.dataLength;
  switch (known ? header.code : -1) {
    case ControlCode.ConfigureRequest:
    case ControlCode.ConfigureAck:
    case ControlCode.ConfigureNak:
    case ControlCode.ConfigureReject: {
      const problem = decodeOptions(spec, buf, at, end - at, packet, optionsMode);
      packet.malformed ??= problem;
      at = end;
      break;
    }
    case ControlCode.TerminateRequest:
    case ControlCode.TerminateAck:
      // RFC 1661 §5.5: the data is uninterpreted; implementations put their reason there as text.
      packet.text = latin1Of(buf, at, end - at);
      at = end;
      break;
    case ControlCode.CodeReject:
      if (end > at) packet.rejectedCode = buf[at];
      break;
    case ControlCode.ProtocolReject:
      if (hasField(packet, end - at, REJECTED_PROTOCOL_LENGTH, "Rejected-Protocol")) {
        packet.rejectedProtocol = u16be(buf, at);
        packet.rejectedProtocolName = pppProtocolName(packet.rejectedProtocol);
        at += REJECTED_PROTOCOL_LENGTH;
      }
      break;
    case ControlCode.EchoRequest:
    case ControlCode.EchoReply:
    case ControlCode.DiscardRequest:
      if (hasField(packet, end - at, MAGIC_NUMBER_LENGTH, "Magic-Number")) {
        packet.magicNumber = u32be(buf, at);
        at += MAGIC_NUMBER_LENGTH;
      }
      break;
    case ControlCode.Identification:
      if (hasField(packet, end - at, MAGIC_NUMBER_LENGTH, "Magic-Number")) {
        packet.magicNumber = u32be(buf, at);
        packet.text = latin1Of(buf, at + MAGIC_NUMBER_LENGTH, end - at - MAGIC_NUMBER_LENGTH);
        at = end;
      }
      break;
    case ControlCode.TimeRemaining:
      if (hasField(packet, end - at, MAGIC_NUMBER_LENGTH + SECONDS_REMAINING_LENGTH, "Magic-Number and Seconds-Remaining")) {
        packet.magicNumber = u32be(buf, at);
        packet.secondsRemaining = u32be(buf, at + MAGIC_NUMBER_LENGTH);
        at += MAGIC_NUMBER_LENGTH + SECONDS_REMAINING_LENGTH;
        packet.text = latin1Of(buf, at, end - at);
        at = end;
      }
      break;
    default:
      // Reset-Request/Ack data and codes the protocol does not define stay as hex.
      break;
  }
  packet.data = hexOf(buf, at, end - at);
  return packet;
}

/** Names an option in messages: its type and where it starts in the option list. */
function optionLabel(type: number, position: number): string {
  return `option ${type} at byte ${position} of the options`;
}

/** True when `left` bytes hold a `bytes`-long field; otherwise notes the packet as malformed. */
function hasField(
  packet: { codeName: string; malformed: string | null },
  left: number,
  bytes: number,
  field: string,
): boolean {
  if (left >= bytes) return true;
  packet.malformed ??= `${packet.codeName} without its ${bytes}-byte ${field}`;
  return false;
}
