/**
 * The PPP control decoders on real captures from public repositories (see
 * ../shared/captures/public/MANIFEST.md): values tshark 4.0.17 printed for them are
 * written below; when tshark is present every control packet is also compared with
 * tshark field by field. Damaged files must give malformed results, never an exception.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CaptureReader } from "../../../src/capture/reader.js";
import { Packet } from "../../../src/decode/packet.js";
import { decodePppHeader } from "../../../src/decode/ppp-header.js";
import type { ChapPacket } from "../../../src/decode/ppp/chap.js";
import { type PppControlPacket, decodePppControl } from "../../../src/decode/ppp/decode.js";
import { MAX_OPTIONS } from "../../../src/decode/ppp/control-packet.js";
import type { EapPacket } from "../../../src/decode/ppp/eap.js";
import type { IpcpPacket } from "../../../src/decode/ppp/ipcp.js";
import type { LcpPacket } from "../../../src/decode/ppp/lcp.js";
import type { PapPacket } from "../../../src/decode/ppp/pap.js";
import { hasTshark } from "../../synth/helpers.js";
import { type Fields, tsharkFieldsPerFrame } from "./tshark-fields.js";
import { PUBLIC_CAPTURES } from "../../helpers.js";

const PUBLIC = PUBLIC_CAPTURES;
const havePublic = existsSync(PUBLIC);
if (!havePublic) console.log(`${PUBLIC} is absent: skipping the public PPP capture tests`);
if (havePublic && !hasTshark) console.log("tshark is not on PATH: public PPP captures checked against recorded values only");

interface Decoded {
  frameNo: number;
  protocol: number;
  packet: PppControlPacket | null;
}

/** Every frame of the capture with its PPP control packet decoded (null for other protocols). */
async function decodeCapture(file: string): Promise<Decoded[]> {
  const reader = await CaptureReader.open(join(PUBLIC, file), 0);
  const header = new Packet();
  const out: Decoded[] = [];
  for (;;) {
    while (reader.next()) {
      const frame = reader.frame;
      header.reset();
      const end = frame.offset + frame.caplen;
      if (decodePppHeader(frame.buf, frame.offset, end, header) !== 0) {
        out.push({ frameNo: frame.frameNo, protocol: -1, packet: null });
        continue;
      }
      const packet = decodePppControl(header.pppProtocol, frame.buf, header.pppOffset, header.pppLength);
      out.push({ frameNo: frame.frameNo, protocol: header.pppProtocol, packet });
    }
    if (!(await reader.fill())) break;
  }
  await reader.close();
  return out;
}

const hex4 = (value: number) => `0x${value.toString(16).padStart(4, "0")}`;
const hex8 = (value: number) => `0x${value.toString(16).padStart(8, "0")}`;
const textAsHex = (text: string) => Buffer.from(text ?? "", "latin1").toString("hex");
/** tshark lists a field once per occurrence: one entry for a value, none for null or undefined. */
function listOf<T>(value: T | null | undefined, format: (v: T) => string = String): string[] {
  return value === null || value === undefined ? [] : [format(value)];
}

const TSHARK_FIELDS = [
  "ppp.protocol",
  "ppp.code",
  "ppp.identifier",
  "lcp.opt.type",
  "lcp.opt.auth_protocol",
  "lcp.opt.algorithm",
  "lcp.opt.magic_number",
  "lcp.magic_number",
  "ipcp.opt.type",
  "ipcp.opt.ip_address",
  "chap.code",
  "chap.identifier",
  "chap.value",
  "chap.name",
  "chap.message",
  "eap.code",
  "eap.id",
  "eap.type",
  "eap.identity",
  "eap.md5.value",
  "eap.md5.extra_data",
  "pap.code",
  "pap.identifier",
];

/** Our decode of one frame against tshark's fields for it. */
function compareWithTshark(d: Decoded, f: Fields): void {
  const label = `frame ${d.frameNo}`;
  expect(f("ppp.protocol")[0], label).toBe(hex4(d.protocol));
  const p = d.packet;
  if (p === null) return;
  switch (p.protocol) {
    case "LCP":
    case "IPCP":
      expect(f("ppp.code")[0], label).toBe(String(p.code));
      expect(f("ppp.identifier")[0], label).toBe(String(p.identifier));
      break;
    case "CHAP":
      expect([f("chap.code")[0], f("chap.identifier")[0]], label).toEqual([String(p.code), String(p.identifier)]);
      break;
    case "EAP":
      expect([f("eap.code")[0], f("eap.id")[0]], label).toEqual([String(p.code), String(p.identifier)]);
      break;
    case "PAP":
      expect([f("pap.code")[0], f("pap.identifier")[0]], label).toEqual([String(p.code), String(p.identifier)]);
      break;
    default:
      break;
  }
  if (p.protocol === "LCP") {
    const lcp = p as LcpPacket;
    expect(f("lcp.opt.type"), label).toEqual(lcp.options.map((o) => String(o.type)));
    expect(f("lcp.opt.auth_protocol"), label).toEqual(lcp.options.flatMap((o) => listOf(o.authProtocol, hex4)));
    expect(f("lcp.opt.algorithm"), label).toEqual(lcp.options.flatMap((o) => listOf(o.chapAlgorithm)));
    expect(f("lcp.opt.magic_number"), label).toEqual(lcp.options.flatMap((o) => listOf(o.magicNumber, hex8)));
    expect(f("lcp.magic_number"), label).toEqual(listOf(lcp.magicNumber, hex8));
  } else if (p.protocol === "IPCP") {
    const ipcp = p as IpcpPacket;
    expect(f("ipcp.opt.type"), label).toEqual(ipcp.options.map((o) => String(o.type)));
    expect(f("ipcp.opt.ip_address"), label).toEqual(ipcp.options.flatMap((o) => listOf(o.address)));
  } else if (p.protocol === "CHAP") {
    const chap = p as ChapPacket;
    expect(f("chap.value"), label).toEqual(listOf(chap.value));
    expect(f("chap.name"), label).toEqual(listOf(chap.name || null));
    expect(f("chap.message"), label).toEqual(listOf(chap.message || null));
  } else if (p.protocol === "EAP") {
    const eap = p as EapPacket;
    expect(f("eap.type"), label).toEqual(listOf(eap.type));
    expect(f("eap.identity"), label).toEqual(listOf(eap.identity || null));
    expect(f("eap.md5.value"), label).toEqual(listOf(eap.value));
    expect(f("eap.md5.extra_data"), label).toEqual(listOf(eap.name || null, textAsHex));
  }
}

const byFrame = (decoded: Decoded[], frameNo: number) => decoded[frameNo - 1].packet;

describe.skipIf(!havePublic)("packetlife-ppp-chap-ipcp.pcap (Cisco serial PPP, CHAP MD5, link type 50)", () => {
  it("LCP asks for CHAP/MD5 both ways; CHAP challenges, responses and successes by name", async () => {
    const decoded = await decodeCapture("packetlife-ppp-chap-ipcp.pcap");
    expect(decoded).toHaveLength(63);
    expect(decoded.every((d) => d.packet === null || d.packet.malformed === null)).toBe(true);

    const request = byFrame(decoded, 1) as LcpPacket;
    expect(request).toMatchObject({ protocol: "LCP", codeName: "Configure-Request", identifier: 1, length: 15 });
    expect(request.options.map((o) => [o.authProtocolName, o.chapAlgorithmName, o.magicNumber])).toEqual([
      ["CHAP", "MD5", undefined],
      [undefined, undefined, 0x012ce96d],
    ]);
    expect((byFrame(decoded, 5) as LcpPacket).codeName).toBe("Configure-Ack");

    const chap = [6, 7, 8, 9, 10, 11].map((n) => byFrame(decoded, n) as ChapPacket);
    expect(chap.map((c) => [c.codeName, c.name])).toEqual([
      ["Challenge", "R1"],
      ["Challenge", "R0"],
      ["Response", "R0"],
      ["Response", "R1"],
      ["Success", null],
      ["Success", null],
    ]);
    expect(chap[0].value).toBe("41528c199fe22713cda522d45c7af9ad");
    expect(chap[2].value).toBe("dc73196880578b12670b8d231b8e69f9");
    expect(chap[4].message).toBe("");

    const ipcp = [12, 13, 14, 15].map((n) => byFrame(decoded, n) as IpcpPacket);
    expect(ipcp.map((p) => [p.codeName, p.options[0].address])).toEqual([
      ["Configure-Request", "10.0.0.2"],
      ["Configure-Request", "10.0.0.1"],
      ["Configure-Ack", "10.0.0.2"],
      ["Configure-Ack", "10.0.0.1"],
    ]);
    // CDPCP (frames 16-19) is not one of ours; LCP echoes are.
    expect(decoded[15]).toMatchObject({ protocol: 0x8207, packet: null });
    expect(byFrame(decoded, 20)).toMatchObject({ codeName: "Echo-Request" });
    expect(byFrame(decoded, 21)).toMatchObject({ codeName: "Echo-Reply" });
  });

  it.skipIf(!hasTshark)("agrees with tshark on every frame", async () => {
    const decoded = await decodeCapture("packetlife-ppp-chap-ipcp.pcap");
    const fields = tsharkFieldsPerFrame(join(PUBLIC, "packetlife-ppp-chap-ipcp.pcap"), TSHARK_FIELDS);
    expect(fields).toHaveLength(decoded.length);
    decoded.forEach((d, i) => compareWithTshark(d, fields[i]));
  });
});

describe.skipIf(!havePublic)("packetlife-ppp-eap-ipcp.pcap (EAP MD5 both ways, link type 50)", () => {
  it("LCP asks for EAP; Identity, MD5-Challenge and Success in both directions", async () => {
    const decoded = await decodeCapture("packetlife-ppp-eap-ipcp.pcap");
    expect(decoded).toHaveLength(52);
    expect(decoded.every((d) => d.packet === null || d.packet.malformed === null)).toBe(true);
    expect((byFrame(decoded, 1) as LcpPacket).options[0]).toMatchObject({ authProtocol: 0xc227, authProtocolName: "EAP" });

    const eap = [5, 7, 8, 9, 12, 13].map((n) => byFrame(decoded, n) as EapPacket);
    expect(eap.map((e) => [e.codeName, e.identifier, e.typeName])).toEqual([
      ["Request", 91, "Identity"],
      ["Response", 91, "Identity"],
      ["Response", 11, "Identity"],
      ["Request", 92, "MD5-Challenge"],
      ["Response", 12, "MD5-Challenge"],
      ["Success", 92, null],
    ]);
    expect(eap[1].identity).toBe("R2");
    expect(eap[2].identity).toBe("R1");
    expect(eap[3]).toMatchObject({ valueSize: 16, value: "bf09adbc1bedcb9fcda522d4262e3484", name: "R1" });
    expect(eap[4]).toMatchObject({ value: "f1be23c47bf1d76ceeac1b156c848fb9", name: "R1" });
    expect((byFrame(decoded, 18) as IpcpPacket).options[0].address).toBe("10.0.0.2");
    expect((byFrame(decoded, 20) as IpcpPacket).options[0].address).toBe("10.0.0.1");
  });

  it.skipIf(!hasTshark)("agrees with tshark on every frame", async () => {
    const decoded = await decodeCapture("packetlife-ppp-eap-ipcp.pcap");
    const fields = tsharkFieldsPerFrame(join(PUBLIC, "packetlife-ppp-eap-ipcp.pcap"), TSHARK_FIELDS);
    expect(fields).toHaveLength(decoded.length);
    decoded.forEach((d, i) => compareWithTshark(d, fields[i]));
  });
});

describe.skipIf(!havePublic)("damaged PPP captures give malformed results, not exceptions", () => {
  it("tcpdump-ppp-truncated-pap-ack.pcap: a PAP Ack whose Length leaves out Msg-Length", async () => {
    const [only, ...rest] = await decodeCapture("tcpdump-ppp-truncated-pap-ack.pcap");
    expect(rest).toHaveLength(0);
    const pap = only.packet as PapPacket;
    // tshark: Code Authenticate-Ack (2), Identifier 1, Length 4, then "Malformed Packet".
    expect(pap).toMatchObject({ protocol: "PAP", code: 2, identifier: 1, length: 4, message: null });
    expect(pap.malformed).toBe("Authenticate-Ack ends before the Message length octet");
  });

  it("tcpdump-ppp-invalid-lengths.pcap: an IPCP Configure-Nak whose last option overruns", async () => {
    const [only] = await decodeCapture("tcpdump-ppp-invalid-lengths.pcap");
    const ipcp = only.packet as IpcpPacket;
    // tshark: Configuration Nak, Identifier 128, Length 8451, first option IP Compression
    // Protocol (2) Length 218 IPHC (0x0061), 233 options of which the last "goes past end of options".
    expect(ipcp).toMatchObject({ protocol: "IPCP", code: 3, identifier: 128, length: 8451 });
    expect(ipcp.options[0]).toMatchObject({ type: 2, length: 218, compressionProtocol: 0x0061, compressionProtocolName: "IPHC" });
    // MAX_OPTIONS (32) are decoded, the other 201 counted by their Length octets: 32 + 201 = tshark's 233
    expect(ipcp.options).toHaveLength(MAX_OPTIONS);
    expect(ipcp.optionsOmitted).toBe(233 - MAX_OPTIONS);
    expect(ipcp.malformed).toBe(`more than ${MAX_OPTIONS} options`);
  });
});
