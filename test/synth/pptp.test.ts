import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodePptpMessage } from "../../src/decode/pptp.js";
import { ethernet } from "../../src/synth/ethernet.js";
import { ipv4 } from "../../src/synth/ipv4.js";
import { writePcap } from "../../src/synth/pcap-writer.js";
import { buildPptpMessage } from "../../src/synth/pptp.js";
import { TcpFlag, tcp } from "../../src/synth/tcp.js";
import { PPTP_VECTORS, textHex } from "../decode/pptp-vectors.js";
import { hasTshark, hex } from "./helpers.js";

describe("buildPptpMessage: the hand-written RFC 2637 bytes of each type", () => {
  for (const vector of PPTP_VECTORS) {
    it(`${vector.message.abbreviation} (type ${vector.message.type})`, () => {
      expect(buildPptpMessage(vector.message).toString("hex")).toBe(vector.bytes.toString("hex"));
    });
  }
});

describe("buildPptpMessage: defaults", () => {
  it("SCCRQ: protocol version 1.0, everything else zero", () => {
    expect(buildPptpMessage({ type: 1 }).toString("hex")).toBe(hex(
      "009c 0001 1a2b3c4d 0001 0000", // header: length 156, control, cookie, SCCRQ, reserved0
      "0100", // 12: protocol version 1.0
      "00".repeat(156 - 14), // 14: reserved1, capabilities, channels, firmware, host name, vendor
    ).toString("hex"));
  });

  it("OCRP: result 1 (connected) unless given", () => {
    expect(buildPptpMessage({ type: 8, callId: 0x4001, peerCallId: 7 }).toString("hex")).toBe(hex(
      "0020 0001 1a2b3c4d 0008 0000", // header: length 32, OCRP
      "4001 0007", // 12: call ID 16385, peer's call ID 7
      "01 00 0000", // 16: result 1, error 0, cause 0
      "00".repeat(12), // 20: connect speed, window, delay, physical channel
    ).toString("hex"));
    expect(buildPptpMessage({ type: 8, resultCode: 4 })[16]).toBe(4);
  });

  it("CDN keeps result 0 (1 would mean lost carrier)", () => {
    expect(buildPptpMessage({ type: 13, callId: 3 })[14]).toBe(0);
  });

  it("number lengths default to the length of the number", () => {
    const ocrq = buildPptpMessage({ type: 7, phoneNumber: "0123456" });
    expect(ocrq.readUInt16BE(36)).toBe(7); // 36: phone number length
    expect(ocrq.subarray(40, 104).toString("hex")).toBe(textHex("0123456", 64));
    expect(buildPptpMessage({ type: 7, phoneNumber: "0123456", phoneNumberLength: 3 }).readUInt16BE(36)).toBe(3);
    const icrq = buildPptpMessage({ type: 9, dialedNumber: "12", dialingNumber: "98765" });
    expect([icrq.readUInt16BE(24), icrq.readUInt16BE(26)]).toEqual([2, 5]); // 24: dialed, 26: dialing length
  });
});

describe("buildPptpMessage: values that do not fit throw RangeError", () => {
  it("integers out of their field's range", () => {
    expect(() => buildPptpMessage({ type: 12, callId: 65536 })).toThrow(RangeError);
    expect(() => buildPptpMessage({ type: 12, callId: -1 })).toThrow(RangeError);
    expect(() => buildPptpMessage({ type: 8, resultCode: 256 })).toThrow(RangeError);
    expect(() => buildPptpMessage({ type: 15, sendAccm: 2 ** 32 })).toThrow(RangeError);
    expect(() => buildPptpMessage({ type: 5, identifier: 1.5 })).toThrow(RangeError);
  });

  it("text longer than its field or outside Latin-1", () => {
    expect(() => buildPptpMessage({ type: 1, hostName: "h".repeat(65) })).toThrow(RangeError);
    expect(() => buildPptpMessage({ type: 13, callStatistics: "s".repeat(129) })).toThrow(RangeError);
    expect(() => buildPptpMessage({ type: 1, vendor: "\u20ac" })).toThrow(RangeError);
    expect(buildPptpMessage({ type: 1, hostName: "h".repeat(64) }).subarray(28, 92).toString("latin1"))
      .toBe("h".repeat(64));
  });
});

// ---------------------------------------------------------------------------
// tshark: every type built, written to a pcap on TCP port 1723, read back by Wireshark's
// PPTP dissector and by our decoder.

/** tshark field of each of our fields; result codes have one tshark field per message type. */
const TSHARK_FIELDS: Record<string, string> = {
  protocolVersion: "pptp.protocol_version",
  framingCapabilities: "pptp.framing_capabilities",
  bearerCapabilities: "pptp.bearer_capabilities",
  maximumChannels: "pptp.maximum_channels",
  firmwareRevision: "pptp.firmware_revision",
  hostName: "pptp.host_name",
  vendor: "pptp.vendor_name",
  errorCode: "pptp.error",
  reason: "pptp.reason",
  identifier: "pptp.identifier",
  callId: "pptp.call_id",
  callSerialNumber: "pptp.call_serial_number",
  minimumBps: "pptp.minimum_bps",
  maximumBps: "pptp.maximum_bps",
  bearerType: "pptp.bearer_type",
  framingType: "pptp.framing_type",
  packetReceiveWindowSize: "pptp.packet_receive_window_size",
  packetProcessingDelay: "pptp.packet_processing_delay",
  phoneNumberLength: "pptp.phone_number_length",
  phoneNumber: "pptp.phone_number",
  subaddress: "pptp.subaddress",
  peerCallId: "pptp.peer_call_id",
  causeCode: "pptp.cause",
  connectSpeed: "pptp.connect_speed",
  physicalChannelId: "pptp.physical_channel_id",
  callBearerType: "pptp.bearer_type",
  dialedNumberLength: "pptp.dialed_number_length",
  dialingNumberLength: "pptp.dialing_number_length",
  dialedNumber: "pptp.dialed_number",
  dialingNumber: "pptp.dialing_number",
  // Wireshark shows the Packet Transmit Delay of ICRP/ICCN (RFC 2637 §2.10-2.11) under this field
  packetTransmitDelay: "pptp.packet_processing_delay",
  callStatistics: "pptp.call_Statistics",
  crcErrors: "pptp.crc_errors",
  framingErrors: "pptp.framing_errors",
  hardwareOverruns: "pptp.hardware_overruns",
  bufferOverruns: "pptp.buffer_overruns",
  timeoutErrors: "pptp.timeout_errors",
  alignmentErrors: "pptp.alignment_errors",
  sendAccm: "pptp.send_accm",
  receiveAccm: "pptp.receive_accm",
};

const TSHARK_RESULT_FIELDS: Record<number, string> = {
  2: "pptp.control_result",
  4: "pptp.stop_result",
  6: "pptp.echo_result",
  8: "pptp.out_result",
  10: "pptp.in_result",
  13: "pptp.disc_result",
};

const HEADER_FIELDS = ["frame.number", "pptp.length", "pptp.type", "pptp.magic_cookie", "pptp.control_message_type"];

if (!hasTshark) console.log("tshark is not on PATH: skipping the tshark cross-check of the PPTP builder and decoder");

describe.skipIf(!hasTshark)("buildPptpMessage and decodePptpMessage against tshark", () => {
  /** Each vector's values, which differ from field to field, built into one TCP segment each. */
  const messages = PPTP_VECTORS.map((v) => v.message);
  const bodyFields = [...new Set([...Object.values(TSHARK_FIELDS), ...Object.values(TSHARK_RESULT_FIELDS)])];
  const fieldNames = [...HEADER_FIELDS, ...bodyFields];
  let directory = "";
  let status: number | null = null;
  let rows: Record<string, string>[] = [];

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), "pptp-synth-"));
    const file = join(directory, "pptp-all-types.pcap");
    let seq = 1000;
    const records = messages.map((message, i) => {
      const payload = buildPptpMessage(message);
      const frame = ethernet({
        payload: ipv4({
          src: "192.0.2.10", dst: "192.0.2.1", id: i,
          payload: tcp({ srcPort: 40000, dstPort: 1723, seq, ack: 1, flags: TcpFlag.PSH | TcpFlag.ACK, payload }),
        }),
      });
      seq += payload.length;
      return { tsSec: 1_700_000_000 + i, tsNsec: 0, data: frame };
    });
    writeFileSync(file, writePcap(records, { linkType: 1 }));
    const run = spawnSync("tshark", ["-r", file, "-T", "fields", "-E", "occurrence=f",
      ...fieldNames.flatMap((f) => ["-e", f])], { encoding: "utf8" });
    status = run.status;
    rows = run.stdout.trimEnd().split("\n").map((line) => {
      const values = line.split("\t");
      return Object.fromEntries(fieldNames.map((name, i) => [name, values[i] ?? ""]));
    });
  });
  afterAll(() => {
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it("tshark reads one PPTP message per frame, with our header", () => {
    expect(status).toBe(0);
    expect(rows).toHaveLength(messages.length);
    rows.forEach((row, i) => {
      expect(row).toMatchObject({
        "frame.number": String(i + 1),
        "pptp.length": String(messages[i]!.length),
        "pptp.type": "1",
        "pptp.magic_cookie": "0x1a2b3c4d",
        "pptp.control_message_type": String(messages[i]!.type),
      });
    });
  });

  messages.forEach((message, i) => {
    it(`${message.abbreviation}: every field as tshark prints it = as built = as decoded`, () => {
      const row = rows[i]!;
      const built = buildPptpMessage(message);
      const decoded = decodePptpMessage(built, 0, built.length);
      expect(decoded).toEqual({ ok: true, message });
      const fields = message as unknown as Record<string, number | string>;
      for (const [name, value] of Object.entries(fields)) {
        if (["type", "name", "abbreviation", "length"].includes(name)) continue;
        const tsharkField = name === "resultCode" ? TSHARK_RESULT_FIELDS[message.type]! : TSHARK_FIELDS[name]!;
        expect(tsharkField, name).toBeDefined();
        expect({ [name]: tsharkValue(row[tsharkField]!, value) }).toEqual({ [name]: value });
      }
    });
  });
});

/** tshark prints integers in decimal, or hex ("0x000a0000") for BASE_HEX fields, strings as they are. */
function tsharkValue(text: string, like: number | string): number | string {
  if (typeof like === "string") return text;
  return text.startsWith("0x") ? parseInt(text, 16) : Number(text);
}
