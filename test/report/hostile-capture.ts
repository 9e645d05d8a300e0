/**
 * A capture whose packets carry hostile strings in every text field a peer controls, for
 * the report tests: two PPTP sessions that fail authentication, written to a file whose
 * name is hostile too.
 *
 *   s1  192.0.2.10:49160 -> 198.51.100.1, call IDs 0x1111 / 0x2222: Start-Control-Connection-
 *       Request with an ANSI-escape host name and a C1-CSI vendor, Outgoing-Call-Request with
 *       an HTML phone number, LCP, MS-CHAPv2 whose response name is Markdown/HTML, Failure
 *       E=691 with an OSC title sequence and a Mermaid directive in M=, then the server's LCP
 *       Terminate-Request with newline, ";", "#", arrow and fence characters.
 *   s2  192.0.2.20:49170 -> 198.51.100.1, call IDs 0x3333 / 0x4444, the server's GRE from
 *       203.0.113.5 (KB Q169831): PAP with a CR/LF and table-pipe peer ID and an
 *       Authenticate-Nak whose message holds a Mermaid directive and an injected arrow.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ControlCode as Code } from "../../src/decode/ppp/control-packet.js";
import { ChapAlgorithm, PppProtocol } from "../../src/decode/ppp/protocols.js";
import { PptpMessageType as Msg } from "../../src/decode/pptp.js";
import { PptpConversation } from "../../src/synth/conversation.js";
import { writePcap, type SynthRecord } from "../../src/synth/pcap-writer.js";
import {
  chapResult,
  chapValue,
  configurePacket,
  lcpOption,
  msChapFailureMessage,
  msChapV2ResponseValue,
  papReply,
  papRequest,
  terminatePacket,
} from "../../src/synth/ppp-control.js";
import { establishCall } from "../../src/synth/sessions.js";

export const HOSTILE = {
  host: "\u001b[31mEVIL\u001b[0m",
  vendor: "\u009b2J|vendor*_",
  phone: "555-0100 <script>alert(1)</script>",
  chapName: "a|b*c_`x` [link](http://x) <img src=x onerror=alert(1)>",
  chapMessage: "\u001b]0;owned\u0007 %%{init: {'theme':'dark'}}%%",
  terminate: "; --> #\nD->>C: injected\n```\n</pre>",
  papName: "bob\r\n| injected | row |",
  papMessage: "%%{init: {'theme':'forest'}}%% ; C->>D: fake #35;",
  fileName: "cap|ture *\u001b[1mbold_.pcap",
} as const;

/** 2024-03-01T09:00:00Z. */
const START_SEC = 1709283600;

export const HOSTILE_SESSIONS = {
  s1: { client: "192.0.2.10", clientPort: 49160, server: "198.51.100.1", clientCallId: 0x1111, serverCallId: 0x2222 },
  s2: { client: "192.0.2.20", clientPort: 49170, server: "198.51.100.1", greFrom: "203.0.113.5", clientCallId: 0x3333, serverCallId: 0x4444 },
} as const;

function lcpUp(conv: PptpConversation, serverAuth: Uint8Array): void {
  const clientOptions = [lcpOption.magicNumber(0x11111111)];
  const serverOptions = [serverAuth, lcpOption.magicNumber(0x22222222)];
  conv.ppp("client", PppProtocol.LCP, configurePacket(Code.ConfigureRequest, 1, clientOptions));
  conv.ppp("server", PppProtocol.LCP, configurePacket(Code.ConfigureRequest, 1, serverOptions));
  conv.ppp("server", PppProtocol.LCP, configurePacket(Code.ConfigureAck, 1, clientOptions));
  conv.ppp("client", PppProtocol.LCP, configurePacket(Code.ConfigureAck, 1, serverOptions));
}

export function hostileRecords(): SynthRecord[] {
  const records: SynthRecord[] = [];
  const emit = (record: SynthRecord) => records.push(record);

  const a = HOSTILE_SESSIONS.s1;
  const s1 = new PptpConversation({ ...a, startSec: START_SEC }, emit);
  s1.connect();
  s1.control("client", { type: Msg.StartControlConnectionRequest, framingCapabilities: 1, bearerCapabilities: 1, hostName: HOSTILE.host, vendor: HOSTILE.vendor });
  s1.control("server", { type: Msg.StartControlConnectionReply, resultCode: 1, hostName: HOSTILE.host, vendor: HOSTILE.vendor });
  s1.control("client", {
    type: Msg.OutgoingCallRequest,
    callId: a.clientCallId,
    callSerialNumber: 1,
    minimumBps: 300,
    maximumBps: 100000000,
    bearerType: 3,
    framingType: 3,
    packetReceiveWindowSize: 64,
    phoneNumber: HOSTILE.phone,
  });
  s1.control("server", { type: Msg.OutgoingCallReply, callId: a.serverCallId, peerCallId: a.clientCallId, resultCode: 1, packetReceiveWindowSize: 64 });
  lcpUp(s1, lcpOption.authChap(ChapAlgorithm.MsChapV2));
  s1.ppp("server", PppProtocol.CHAP, chapValue(1, 7, Buffer.alloc(16, 0xa5), HOSTILE.host));
  s1.ppp("client", PppProtocol.CHAP, chapValue(2, 7, msChapV2ResponseValue({ peerChallenge: Buffer.alloc(16, 1), ntResponse: Buffer.alloc(24, 2) }), HOSTILE.chapName));
  const failure = msChapFailureMessage({ error: 691, retry: false, challenge: Buffer.alloc(16, 3), version: 3, message: HOSTILE.chapMessage });
  s1.ppp("server", PppProtocol.CHAP, chapResult(4, 7, failure));
  s1.ppp("server", PppProtocol.LCP, terminatePacket(Code.TerminateRequest, 2, HOSTILE.terminate));
  s1.ppp("client", PppProtocol.LCP, terminatePacket(Code.TerminateAck, 2));
  s1.control("client", { type: Msg.CallClearRequest, callId: a.clientCallId });
  s1.control("server", { type: Msg.CallDisconnectNotify, callId: a.serverCallId, resultCode: 3 });

  const b = HOSTILE_SESSIONS.s2;
  const s2 = new PptpConversation({ ...b, serverGreAddress: b.greFrom, startSec: START_SEC + 1 }, emit);
  establishCall(s2, b.clientCallId, b.serverCallId);
  lcpUp(s2, lcpOption.authPap());
  s2.ppp("client", PppProtocol.PAP, papRequest(1, HOSTILE.papName, "secret"));
  s2.ppp("server", PppProtocol.PAP, papReply(3, 1, HOSTILE.papMessage));
  return records;
}

/** Writes the capture under a fresh temporary directory and returns its path. */
export function writeHostileCapture(): string {
  const path = join(mkdtempSync(join(tmpdir(), "pptp-report-")), HOSTILE.fileName);
  writeFileSync(path, writePcap(hostileRecords(), { linkType: 1 }));
  return path;
}
