/**
 * malformed: PPTP control messages a connection skipped and PPP control packets a
 * negotiation read only in part, each reported once where it lived (the connection's first
 * session, the call's session, the direct PPP link), beside the capture-level records and
 * frames that did not decode. The bad bytes are made by hand from the synthesizer's good
 * ones (a magic cookie, a control type, an option Length overwritten); frame numbers and
 * reasons come from the scripts and RFC 2637 / RFC 1661 layouts.
 */
import { afterAll, describe, expect, it } from "vitest";
import { allFindings } from "../../src/analyze.js";
import { LinkType } from "../../src/decode/linktypes.js";
import { PptpMessageType as Msg } from "../../src/decode/pptp.js";
import { ControlCode as Code } from "../../src/decode/ppp/control-packet.js";
import { PppProtocol } from "../../src/decode/ppp/protocols.js";
import { RULES } from "../../src/diagnose/index.js";
import { malformed } from "../../src/diagnose/malformed.js";
import type { Rule } from "../../src/diagnose/rule.js";
import type { Finding, Report } from "../../src/report/schema.js";
import type { SynthRecord } from "../../src/synth/pcap-writer.js";
import { configurePacket, lcpOption, overrunningConfigureRequest } from "../../src/synth/ppp-control.js";
import { PppDirection, ppp, pppWithDirection } from "../../src/synth/ppp.js";
import { buildPptpMessage, type PptpMessageInit, withBadMagicCookie } from "../../src/synth/pptp.js";
import { establishCall, healthySession, negotiatePpp } from "../../src/synth/sessions.js";
import { conversation, sessionParameters, START_SEC } from "../model/conversation-captures.js";
import { CaptureFolder } from "./negotiation-captures.js";

const folder = new CaptureFolder();
afterAll(() => folder.remove());

const CLIENT = "192.0.2.10";
const SERVER = "198.51.100.1";
const CLIENT_PORT = 49152;
const REMEDY = malformed.explain.remedy;
/** The call IDs conversation() uses: 0x1c2a and 0x8001. */
const CALL_PLACE = `The call from ${CLIENT}:${CLIENT_PORT} to ${SERVER} (client call ID 7210, server call ID 32769)`;
const CONNECTION_PLACE = `The control connection from ${CLIENT}:${CLIENT_PORT} to ${SERVER}`;

async function report(records: readonly SynthRecord[], linkType: number = LinkType.RAW, rules: readonly Rule[] = [malformed]): Promise<Report> {
  return folder.analyze(records, rules, linkType);
}

function malformedFindings(r: Report): Finding[] {
  return allFindings(r).filter((f) => f.code === "malformed");
}

const SCCRQ: PptpMessageInit = { type: Msg.StartControlConnectionRequest, hostName: "client", vendor: "test" };
const SCCRP: PptpMessageInit = { type: Msg.StartControlConnectionReply, hostName: "server", vendor: "test" };

/** A 20-byte Echo-Reply (RFC 2637 §2.6) with control type 99, which RFC 2637 does not define. */
function unknownTypeReply(): Buffer {
  const message = buildPptpMessage({ type: Msg.EchoReply, identifier: 1 });
  message.writeUInt16BE(99, 8);
  return message;
}

const OVERRUN = "option 1 at byte 0 of the options: Length 10 overruns the 4 bytes left";

describe("PPTP control messages that did not decode", () => {
  it("one bad magic cookie mid-stream: skipped, the stream goes on, a warning in the connection's session", async () => {
    const records: SynthRecord[] = [];
    const conv = conversation(records, { framing: "raw" });
    conv.connect(); // 1-3
    conv.control("client", SCCRQ); // 4
    conv.controlBytes("client", withBadMagicCookie({ type: Msg.EchoRequest, identifier: 1 })); // 5
    conv.control("client", { type: Msg.EchoRequest, identifier: 2 }); // 6
    conv.control("server", SCCRP); // 7
    const r = await report(records);
    expect(r.findings).toEqual([]);
    const [session] = r.sessions;
    // the messages around the bad one were read
    expect(session.control.messages.map((m) => [m.frame, m.type])).toEqual([
      [4, "Start-Control-Connection-Request"],
      [6, "Echo-Request"],
      [7, "Start-Control-Connection-Reply"],
    ]);
    const reason = "bad magic cookie 0xdeadbeef (expected 0x1a2b3c4d); 16 bytes skipped to the next message";
    expect(session.findings).toEqual([
      {
        code: "malformed",
        severity: "warning",
        message: `${CONNECTION_PLACE}: 1 PPTP control message could not be decoded and was skipped (frame 5: ${reason}).`,
        frames: [5],
        detail: `frame 5: ${reason}`,
        remedy: REMEDY,
      },
    ]);
  });

  it("two bad messages on a connection with two calls: one finding, in capture order, in the first call's session only", async () => {
    const records: SynthRecord[] = [];
    const conv = conversation(records, { framing: "raw" });
    conv.connect(); // 1-3
    conv.control("client", SCCRQ); // 4
    conv.control("server", SCCRP); // 5
    conv.controlBytes("client", withBadMagicCookie({ type: Msg.EchoRequest, identifier: 1 })); // 6: known bad only at the client's next message (frame 9)
    conv.controlBytes("server", unknownTypeReply()); // 7: known bad at the server's next message (frame 8), before frame 6 is
    conv.control("server", { type: Msg.EchoReply, identifier: 1 }); // 8
    conv.control("client", { type: Msg.OutgoingCallRequest, callId: 1 }); // 9
    conv.control("server", { type: Msg.OutgoingCallReply, callId: 101, peerCallId: 1 }); // 10
    conv.control("client", { type: Msg.OutgoingCallRequest, callId: 2 }); // 11
    conv.control("server", { type: Msg.OutgoingCallReply, callId: 102, peerCallId: 2 }); // 12
    const r = await report(records);
    expect(r.sessions.map((s) => [s.clientCallId, s.serverCallId])).toEqual([
      [1, 101],
      [2, 102],
    ]);
    expect(r.findings).toEqual([]);
    expect(r.sessions[1].findings).toEqual([]);
    expect(r.sessions[0].findings).toHaveLength(1);
    const [finding] = r.sessions[0].findings;
    const cookie = "bad magic cookie 0xdeadbeef (expected 0x1a2b3c4d); 16 bytes skipped to the next message";
    const type = "unknown control message type 99; 20 bytes skipped to the next message";
    expect(finding).toMatchObject({ code: "malformed", severity: "warning", frames: [6, 7], detail: `frame 6: ${cookie}; frame 7: ${type}` });
    expect(finding.message).toBe(`${CONNECTION_PLACE}: 2 PPTP control messages could not be decoded and were skipped (first: frame 6, ${cookie}).`);
  });

  it("a stream that ends (FIN) inside a message", async () => {
    const records: SynthRecord[] = [];
    const conv = conversation(records, { framing: "raw" });
    conv.connect(); // 1-3
    conv.controlBytes("client", buildPptpMessage(SCCRQ).subarray(0, 100)); // 4: 100 of the 156 bytes
    conv.close("client"); // 5-7: the client's FIN, then the server's and the last ACK
    const r = await report(records);
    const [finding] = malformedFindings(r);
    expect(r.sessions[0].findings).toEqual([finding]);
    // reported at the FIN (frame 5), which ended the stream; the reason names the frame the message began in
    const reason = "the stream ends 100 bytes into a 156-byte Start-Control-Connection-Request (begun in frame 4)";
    expect(finding).toMatchObject({ frames: [5], detail: `frame 5: ${reason}` });
    expect(finding.message).toBe(`${CONNECTION_PLACE}: 1 PPTP control message could not be decoded and was skipped (frame 5: ${reason}).`);
  });
});

describe("PPP control packets that did not decode cleanly", () => {
  it("an LCP option overrunning its packet in a call: a warning in the call's session, the negotiation goes on", async () => {
    const records: SynthRecord[] = [];
    const conv = conversation(records, { framing: "raw" });
    establishCall(conv, 0x1c2a, 0x8001); // frames 1-8
    conv.ppp("client", PppProtocol.LCP, overrunningConfigureRequest(7)); // 9
    negotiatePpp(conv, sessionParameters());
    const r = await report(records);
    expect(r.findings).toEqual([]);
    const [session] = r.sessions;
    expect(session.ppp.ipcp.state).toBe("opened");
    const first = `frame 9: LCP from the client ${CLIENT}: ${OVERRUN}`;
    expect(session.findings).toEqual([
      {
        code: "malformed",
        severity: "warning",
        message: `${CALL_PLACE}: 1 PPP control packet was malformed and was read only as far as it goes (${first}).`,
        frames: [9],
        detail: first,
        remedy: REMEDY,
      },
    ]);
  });

  it("more than 8 (MAX_FRAMES_LISTED) malformed packets: 8 listed, all counted", async () => {
    const records: SynthRecord[] = [];
    const conv = conversation(records, { framing: "raw" });
    establishCall(conv, 0x1c2a, 0x8001); // frames 1-8
    for (let id = 1; id <= 10; id++) conv.ppp("server", PppProtocol.LCP, overrunningConfigureRequest(id)); // 9-18
    const [finding] = malformedFindings(await report(records));
    expect(finding.frames).toEqual([9, 10, 11, 12, 13, 14, 15, 16]);
    expect(finding.message).toBe(
      `${CALL_PLACE}: 10 PPP control packets were malformed and were read only as far as they go ` +
        `(first: frame 9, LCP from the server ${SERVER}: ${OVERRUN}); the first 8 are listed.`,
    );
  });

  it("on a PPP link seen directly: a capture-level finding that names the link", async () => {
    const lcp = (direction: number, packet: Buffer): SynthRecord => ({
      tsSec: START_SEC,
      tsNsec: 0,
      data: pppWithDirection(direction, ppp({ protocol: PppProtocol.LCP, payload: packet })),
    });
    const records = [
      lcp(PppDirection.Sent, configurePacket(Code.ConfigureRequest, 1, [lcpOption.magicNumber(1)])), // 1
      lcp(PppDirection.Received, overrunningConfigureRequest(1)), // 2
    ];
    const r = await report(records, LinkType.PPP_WITH_DIR);
    expect(r.sessions).toEqual([]);
    const first = `frame 2: LCP from the far end: ${OVERRUN}`;
    expect(r.findings).toEqual([
      {
        code: "malformed",
        severity: "warning",
        message: `The PPP link (frames 1-2): 1 PPP control packet was malformed and was read only as far as it goes (${first}).`,
        frames: [2],
        detail: first,
        remedy: REMEDY,
      },
    ]);
  });
});

describe("nothing malformed", () => {
  it("a healthy session gives no malformed finding, with every rule run", async () => {
    const records: SynthRecord[] = [];
    healthySession(conversation(records, { framing: "raw" }), 0x1c2a, 0x8001, sessionParameters({ dataFrames: 4 }));
    expect(malformedFindings(await report(records, LinkType.RAW, RULES))).toEqual([]);
  });

  it("a damaged IPv4 header (malformed.pcap) is reported once, at capture level, not in the session", async () => {
    const r = await folder.fixture("malformed.pcap", [malformed]);
    expect(r.sessions.flatMap((s) => s.findings)).toEqual([]);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({ code: "malformed", frames: [4] });
  });
});
