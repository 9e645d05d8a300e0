/**
 * The text fields the main hostile capture (hostile-capture.ts) does not carry: an EAP
 * identity (the peer name of an EAP authentication, RFC 3748 §5.1), through every format and
 * --redact, and the subaddress of an Outgoing-Call-Request (RFC 2637 §2.7), which the report
 * does not print and so must not show up raw anywhere.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { marked } from "marked";
import { beforeAll, describe, expect, it } from "vitest";
import { analyzeCaptures, type Analysis } from "../../src/analyze.js";
import { ControlCode as Code } from "../../src/decode/ppp/control-packet.js";
import { EapCode } from "../../src/decode/ppp/eap.js";
import { PppProtocol } from "../../src/decode/ppp/protocols.js";
import { PptpMessageType as Msg } from "../../src/decode/pptp.js";
import { renderJson } from "../../src/report/json.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { redact } from "../../src/report/redact.js";
import { renderTable } from "../../src/report/table.js";
import { PptpConversation } from "../../src/synth/conversation.js";
import { writePcap, type SynthRecord } from "../../src/synth/pcap-writer.js";
import { configurePacket, eapIdentity, eapPacket, lcpOption } from "../../src/synth/ppp-control.js";

/** ESC [ 2 J clears the screen; the rest is Markdown, HTML and a Mermaid arrow. */
const IDENTITY = "\u001b[2Jmallory <img src=x onerror=alert(1)> | **x** \nC->>D: fake";
const SUBADDRESS = "\u009b31m<sub>|x|</sub>";

/** C0 and C1 controls other than the newline the formats use themselves. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

let analysis: Analysis;

beforeAll(async () => {
  const records: SynthRecord[] = [];
  const conv = new PptpConversation(
    { client: "192.0.2.30", server: "198.51.100.1", clientPort: 49180, clientCallId: 0x5555, serverCallId: 0x6666, startSec: 1709283600 },
    (record) => records.push(record),
  );
  conv.connect();
  conv.control("client", { type: Msg.StartControlConnectionRequest, framingCapabilities: 1, bearerCapabilities: 1, hostName: "pns", vendor: "v" });
  conv.control("server", { type: Msg.StartControlConnectionReply, resultCode: 1, hostName: "pac", vendor: "v" });
  conv.control("client", {
    type: Msg.OutgoingCallRequest,
    callId: 0x5555,
    callSerialNumber: 1,
    minimumBps: 300,
    maximumBps: 100000000,
    bearerType: 3,
    framingType: 3,
    packetReceiveWindowSize: 64,
    phoneNumber: "",
    subaddress: SUBADDRESS,
  });
  conv.control("server", { type: Msg.OutgoingCallReply, callId: 0x6666, peerCallId: 0x5555, resultCode: 1, packetReceiveWindowSize: 64 });
  const clientOptions = [lcpOption.magicNumber(0x11111111)];
  const serverOptions = [lcpOption.authEap(), lcpOption.magicNumber(0x22222222)];
  conv.ppp("client", PppProtocol.LCP, configurePacket(Code.ConfigureRequest, 1, clientOptions));
  conv.ppp("server", PppProtocol.LCP, configurePacket(Code.ConfigureRequest, 1, serverOptions));
  conv.ppp("server", PppProtocol.LCP, configurePacket(Code.ConfigureAck, 1, clientOptions));
  conv.ppp("client", PppProtocol.LCP, configurePacket(Code.ConfigureAck, 1, serverOptions));
  conv.ppp("server", PppProtocol.EAP, eapIdentity(1, 1, ""));
  conv.ppp("client", PppProtocol.EAP, eapIdentity(2, 1, IDENTITY));
  conv.ppp("server", PppProtocol.EAP, eapPacket(EapCode.Failure, 1));
  const path = join(mkdtempSync(join(tmpdir(), "pptp-eap-")), "eap.pcap");
  writeFileSync(path, writePcap(records, { linkType: 1 }));
  analysis = await analyzeCaptures([path]);
});

describe("a hostile EAP identity and subaddress", () => {
  it("the report keeps the identity as sent, as the EAP peer name, with the failure", () => {
    expect(analysis.report.sessions[0].ppp.auth).toMatchObject({ protocol: "EAP", peerName: IDENTITY, result: "failure" });
    expect(JSON.parse(renderJson(analysis.report)).sessions[0].ppp.auth.peerName).toBe(IDENTITY);
  });

  it("no control character reaches the table or the JSON text raw", () => {
    const table = renderTable(analysis, { color: false });
    expect(table).not.toMatch(RAW_CONTROL);
    expect(table).toContain("\\x1b[2Jmallory");
    expect(renderJson(analysis.report)).not.toMatch(RAW_CONTROL);
  });

  it("the Markdown renders (marked, GFM) with no HTML element or Mermaid arrow from the packet", () => {
    const markdown = renderMarkdown(analysis.report);
    expect(markdown).not.toMatch(RAW_CONTROL);
    const html = marked.parse(markdown, { async: false }) as string;
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<sub>");
    expect(markdown).not.toMatch(/^\s*C->>D: fake/m);
  });

  it("--redact leaves the identity in no format", () => {
    const out = redact(analysis.report, { addresses: false });
    expect(out.sessions[0].ppp.auth.peerName).toBe("user-1");
    const texts = [renderJson(out), renderMarkdown(out), renderTable({ report: out, traffic: analysis.traffic }, { color: false })].join("\n");
    expect(texts).not.toContain("mallory");
  });
});
