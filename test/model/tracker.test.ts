/**
 * The session model end to end: captures synthesized with src/synth (written to a
 * temporary pcap), analyze() over them, and the report's sessions held against what each
 * script put on the wire: addresses, ports, call IDs, message types in RFC 2637 order,
 * frame numbers counted from the script, GRE counted as the conversation sent it
 * (TalliedConversation). What the report does not print yet is checked on the tracker.
 */
import { afterAll, describe, expect, it } from "vitest";
import { Frame } from "../../src/capture/frame.js";
import { Decoder } from "../../src/decode/decoder.js";
import { LinkType } from "../../src/decode/linktypes.js";
import { PptpMessageType as Msg } from "../../src/decode/pptp.js";
import { ControlCode as Code } from "../../src/decode/ppp/control-packet.js";
import { PppProtocol } from "../../src/decode/ppp/protocols.js";
import { MAX_CALLS_PER_CALL_ID } from "../../src/model/call-index.js";
import { CLOSE_GRACE_SECONDS, MAX_CONNECTIONS, MAX_LINKS, MAX_ORPHAN_FLOWS, MAX_SESSIONS_REPORTED, SessionTracker } from "../../src/model/tracker.js";
import type { Session } from "../../src/report/schema.js";
import { ethernet } from "../../src/synth/ethernet.js";
import { enhancedGre } from "../../src/synth/gre.js";
import { ipv4 } from "../../src/synth/ipv4.js";
import { ipv6 } from "../../src/synth/ipv6.js";
import type { SynthRecord } from "../../src/synth/pcap-writer.js";
import { configurePacket, echoPacket, ipcpOption, lcpOption } from "../../src/synth/ppp-control.js";
import { PppDirection, ppp, pppoeSession, pppWithDirection } from "../../src/synth/ppp.js";
import { buildPptpMessage } from "../../src/synth/pptp.js";
import { establishCall, healthySession, incomingCall, negotiatePpp, outgoingCall, startControlConnection } from "../../src/synth/sessions.js";
import { TcpFlag, tcp } from "../../src/synth/tcp.js";
import { CaptureFolder, conversation, frameTime, mergeByTime, sessionParameters, START_SEC, TalliedConversation } from "./conversation-captures.js";

const folder = new CaptureFolder();
afterAll(() => folder.remove());

const ETHERNET = LinkType.ETHERNET;
const CLIENT = "192.0.2.10";
const SERVER = "198.51.100.1";

/** A data frame of `size` bytes as GRE carries it after PFC/ACFC: protocol 0xFD (compressed/MPPE) in one byte. */
function dataFrame(size: number): Buffer {
  const frame = Buffer.alloc(size, 0x5a);
  frame[0] = PppProtocol.Compressed;
  return frame;
}

/** The only session with this client port. */
function sessionOnPort(sessions: Session[], clientPort: number): Session {
  const found = sessions.filter((s) => s.clientPort === clientPort);
  expect(found).toHaveLength(1);
  return found[0];
}

/** Messages as [frame, from, type]: the order and attribution a reader of the report relies on. */
function messageList(session: Session): Array<[unknown, string, string]> {
  return session.control.messages.map((m) => [m.frame, m.from, m.type]);
}

describe("control messages", () => {
  it("records each of the 15 RFC 2637 control messages with its sender, name, result and error", async () => {
    const records: SynthRecord[] = [];
    const conv = conversation(records);
    conv.connect(); // frames 1-3
    startControlConnection(conv); // 4 SCCRQ, 5 SCCRP result 1 error 0
    conv.control("client", { type: Msg.EchoRequest, identifier: 7 }); // 6
    conv.control("server", { type: Msg.EchoReply, identifier: 7, resultCode: 2, errorCode: 6 }); // 7: general error, pac-error
    outgoingCall(conv, 0x0100, 0x8100); // 8 OCRQ, 9 OCRP result 1 error 0
    incomingCall(conv, 0x8200, 0x0200); // 10 ICRQ (server), 11 ICRP (client) result 1 error 0, 12 ICCN (server)
    conv.control("client", { type: Msg.SetLinkInfo, peerCallId: 0x8100, sendAccm: 0xffffffff, receiveAccm: 0xffffffff }); // 13
    conv.control("server", { type: Msg.WanErrorNotify, peerCallId: 0x0100, crcErrors: 3 }); // 14
    conv.control("client", { type: Msg.CallClearRequest, callId: 0x0100 }); // 15
    conv.control("server", { type: Msg.CallDisconnectNotify, callId: 0x8100, resultCode: 4, errorCode: 0 }); // 16: request
    conv.control("client", { type: Msg.StopControlConnectionRequest, reason: 1 }); // 17
    conv.control("server", { type: Msg.StopControlConnectionReply, resultCode: 2, errorCode: 1 }); // 18: general error, not-connected
    conv.close("client"); // 19-21

    const report = await folder.analyze(records, ETHERNET);
    const at = (frame: number) => ({ frame, time: frameTime(frame) });
    const expected = [
      { ...at(4), from: "client", type: "Start-Control-Connection-Request" },
      { ...at(5), from: "server", type: "Start-Control-Connection-Reply", result: 1, error: 0 },
      { ...at(6), from: "client", type: "Echo-Request" },
      { ...at(7), from: "server", type: "Echo-Reply", result: 2, error: 6 },
      { ...at(8), from: "client", type: "Outgoing-Call-Request" },
      { ...at(9), from: "server", type: "Outgoing-Call-Reply", result: 1, error: 0 },
      { ...at(10), from: "server", type: "Incoming-Call-Request" },
      { ...at(11), from: "client", type: "Incoming-Call-Reply", result: 1, error: 0 },
      { ...at(12), from: "server", type: "Incoming-Call-Connected" },
      { ...at(13), from: "client", type: "Set-Link-Info" },
      { ...at(14), from: "server", type: "WAN-Error-Notify" },
      { ...at(15), from: "client", type: "Call-Clear-Request" },
      { ...at(16), from: "server", type: "Call-Disconnect-Notify", result: 4, error: 0 },
      { ...at(17), from: "client", type: "Stop-Control-Connection-Request" },
      { ...at(18), from: "server", type: "Stop-Control-Connection-Reply", result: 2, error: 1 },
    ];
    // one session per call: the outgoing and the incoming one share the control connection
    expect(report.sessions).toHaveLength(2);
    for (const session of report.sessions) expect(session.control.messages).toEqual(expected);
    expect(report.sessions.map((s) => [s.clientCallId, s.serverCallId])).toEqual([
      [0x0100, 0x8100],
      [0x0200, 0x8200],
    ]);
  });
});

describe("an outgoing call", () => {
  it("has the call IDs, addresses, GRE counts, authentication and IPCP addresses the script used", async () => {
    const records: SynthRecord[] = [];
    const conv = conversation(records, { clientCallId: 0x1c2a, serverCallId: 0x8001 });
    healthySession(conv, 0x1c2a, 0x8001, sessionParameters({ dataFrames: 12 }));
    const report = await folder.analyze(records, ETHERNET);

    expect(report.sessions).toHaveLength(1);
    const s = report.sessions[0];
    expect(s).toMatchObject({
      id: "s1",
      client: CLIENT,
      clientPort: 49152,
      dialed: SERVER,
      serverAddresses: [SERVER],
      clientCallId: 0x1c2a,
      serverCallId: 0x8001,
      firstFrame: 1,
      lastFrame: records.length,
      start: frameTime(1),
      end: frameTime(records.length),
      outcome: "established",
    });
    // 12 data frames each way plus the negotiation: what the conversation handed to GRE
    expect(conv.sent.client.packets).toBeGreaterThan(12);
    expect(s.gre).toEqual({
      toServer: conv.sent.client,
      toClient: { ...conv.sent.server, from: [SERVER] },
    });
    expect(s.ppp.auth).toMatchObject({ protocol: "MS-CHAPv2", peerName: "alice", result: "success" });
    expect(s.ppp.ipcp).toMatchObject({ state: "opened", client: "10.8.0.2", server: "10.8.0.1" });
    expect(s.ppp.ccp.state).toBe("opened");
  });

  it("counts GRE packets and payload bytes per direction, acknowledgment-only packets included", async () => {
    const records: SynthRecord[] = [];
    const conv = conversation(records, { clientCallId: 0x0011, serverCallId: 0x0022 });
    establishCall(conv, 0x0011, 0x0022);
    for (const size of [120, 240, 360]) conv.greFrame("client", dataFrame(size));
    for (const size of [80, 160]) conv.greFrame("server", dataFrame(size));
    conv.greFrame("client", undefined); // acknowledgment only: a packet without payload
    const report = await folder.analyze(records, ETHERNET);
    expect(report.sessions[0].gre).toEqual({
      toServer: { packets: 4, bytes: 120 + 240 + 360 },
      toClient: { packets: 2, bytes: 80 + 160, from: [SERVER] },
    });
    // data flowed both ways
    expect(report.sessions[0].outcome).toBe("established");
  });
});

describe("TCP trouble on the control channel", () => {
  const sccrq = { type: Msg.StartControlConnectionRequest, vendor: "Microsoft Windows NT" } as const; // 156 bytes
  const ocrq = { type: Msg.OutgoingCallRequest, callId: 0x0101, callSerialNumber: 1 } as const; // 168 bytes
  const sli = { type: Msg.SetLinkInfo, peerCallId: 0x9001, sendAccm: 0, receiveAccm: 0 } as const; // 24 bytes
  const ocrp = { type: Msg.OutgoingCallReply, callId: 0x9001, peerCallId: 0x0101 } as const;

  it("reassembles segments out of order, drops a retransmission, takes the new bytes of an overlap", async () => {
    const records: SynthRecord[] = [];
    const conv = conversation(records, { clientCallId: 0x0101, serverCallId: 0x9001 });
    conv.connect(); // 1-3
    conv.controlSegments("client", [sccrq], [[78, 156], [0, 78]]); // 4: second half first, 5: first half
    conv.control("server", { type: Msg.StartControlConnectionReply }); // 6
    conv.controlSegments("client", [ocrq], [[0, 168], [0, 168]]); // 7, 8: the same segment again
    conv.control("server", ocrp); // 9
    conv.controlSegments("client", [sli, { type: Msg.EchoRequest, identifier: 1 }], [[0, 16], [8, 40]]); // 10; 11 repeats bytes 8-15
    conv.control("server", { type: Msg.EchoReply, identifier: 1 }); // 12
    conv.greFrame("client", dataFrame(100)); // 13
    conv.greFrame("server", dataFrame(200)); // 14
    const report = await folder.analyze(records, ETHERNET);

    expect(report.sessions).toHaveLength(1);
    const s = report.sessions[0];
    expect(messageList(s)).toEqual([
      // attributed to the segment holding the message's last byte (src/reassembly/tcp-stream.ts), here the early one
      [4, "client", "Start-Control-Connection-Request"],
      [6, "server", "Start-Control-Connection-Reply"],
      [7, "client", "Outgoing-Call-Request"],
      [9, "server", "Outgoing-Call-Reply"],
      [11, "client", "Set-Link-Info"],
      [11, "client", "Echo-Request"],
      [12, "server", "Echo-Reply"],
    ]);
    expect([s.clientCallId, s.serverCallId]).toEqual([0x0101, 0x9001]);
    expect(s.gre.toServer).toEqual({ packets: 1, bytes: 100 });
    expect(s.gre.toClient).toEqual({ packets: 1, bytes: 200, from: [SERVER] });
  });

  it("still finds the messages after a missing segment, and the call from the reply", async () => {
    const records: SynthRecord[] = [];
    const conv = conversation(records, { clientCallId: 0x0101, serverCallId: 0x9001 });
    conv.connect(); // 1-3
    startControlConnection(conv); // 4, 5
    conv.controlSegments("client", [ocrq], [[0, 100]]); // 6: bytes 100-167 of the request never captured
    conv.control("server", ocrp); // 7
    conv.control("client", sli); // 8
    conv.control("client", { type: Msg.EchoRequest, identifier: 5 }); // 9
    conv.control("server", { type: Msg.EchoReply, identifier: 5 }); // 10
    conv.greFrame("client", dataFrame(300)); // 11
    conv.greFrame("server", dataFrame(400)); // 12
    const report = await folder.analyze(records, ETHERNET);

    expect(report.sessions).toHaveLength(1);
    const s = report.sessions[0];
    const byFrame = [...messageList(s)].sort((a, b) => Number(a[0]) - Number(b[0]));
    expect(byFrame).toEqual([
      [4, "client", "Start-Control-Connection-Request"],
      [5, "server", "Start-Control-Connection-Reply"],
      [7, "server", "Outgoing-Call-Reply"],
      [8, "client", "Set-Link-Info"],
      [9, "client", "Echo-Request"],
      [10, "server", "Echo-Reply"],
    ]);
    // the reply names both call IDs (RFC 2637 §2.8: peer call ID = the request's call ID)
    expect([s.clientCallId, s.serverCallId]).toEqual([0x0101, 0x9001]);
    expect(s.gre.toServer).toEqual({ packets: 1, bytes: 300 });
    expect(s.gre.toClient).toEqual({ packets: 1, bytes: 400, from: [SERVER] });
  });

  it("lists the messages in capture order even when a gap held some back", async () => {
    // messages held behind a gap are delivered at the end of the capture; the report lists them in frame order
    const records: SynthRecord[] = [];
    const conv = conversation(records, { clientCallId: 0x0101, serverCallId: 0x9001 });
    conv.connect(); // 1-3
    startControlConnection(conv); // 4, 5
    conv.controlSegments("client", [ocrq], [[0, 100]]); // 6
    conv.control("server", ocrp); // 7
    conv.control("client", sli); // 8
    conv.control("server", { type: Msg.EchoRequest, identifier: 5 }); // 9
    const report = await folder.analyze(records, ETHERNET);
    expect(report.sessions[0].control.messages.map((m) => m.frame)).toEqual([4, 5, 7, 8, 9]);
  });

  describe("a capture that starts in the middle of the session", () => {
    /** A healthy session; its frames numbered as in the full capture. */
    function fullSession(split = false): { records: SynthRecord[]; conv: TalliedConversation } {
      const records: SynthRecord[] = [];
      const conv = conversation(records, { clientCallId: 0x1c2a, serverCallId: 0x8001 });
      conv.connect(); // 1-3
      if (split) conv.controlSegments("client", [sccrq], [[0, 60], [60, 156]]); // 4, 5
      else conv.control("client", sccrq); // 4
      conv.control("server", { type: Msg.StartControlConnectionReply });
      outgoingCall(conv, 0x1c2a, 0x8001);
      negotiatePpp(conv, sessionParameters());
      return { records, conv };
    }

    it("without the handshake: client, dialed address and call IDs from the later messages", async () => {
      const { records } = fullSession();
      const report = await folder.analyze(records.slice(5), ETHERNET); // starts at the Outgoing-Call-Request
      expect(report.sessions).toHaveLength(1);
      const s = report.sessions[0];
      expect(s).toMatchObject({ client: CLIENT, clientPort: 49152, dialed: SERVER, clientCallId: 0x1c2a, serverCallId: 0x8001 });
      expect(messageList(s)).toEqual([
        [1, "client", "Outgoing-Call-Request"],
        [2, "server", "Outgoing-Call-Reply"],
      ]);
      expect(s.ppp.ipcp).toMatchObject({ state: "opened", client: "10.8.0.2", server: "10.8.0.1" });
      expect(s.outcome).toBe("established");
    });

    it("without the request: the call IDs from the Outgoing-Call-Reply alone", async () => {
      const { records, conv } = fullSession();
      const report = await folder.analyze(records.slice(6), ETHERNET); // starts at the Outgoing-Call-Reply
      const s = report.sessions[0];
      expect(s).toMatchObject({ client: CLIENT, clientPort: 49152, dialed: SERVER, clientCallId: 0x1c2a, serverCallId: 0x8001 });
      expect(messageList(s)).toEqual([[1, "server", "Outgoing-Call-Reply"]]);
      expect(s.gre.toServer).toEqual(conv.sent.client);
    });

    it("inside a message: the rest of it is passed over and the next messages found", async () => {
      const { records } = fullSession(true);
      // frame 5 (now 1) holds bytes 60-155 of the Start-Control-Connection-Request
      const report = await folder.analyze(records.slice(4), ETHERNET);
      const s = report.sessions[0];
      expect(messageList(s)).toEqual([
        [2, "server", "Start-Control-Connection-Reply"],
        [3, "client", "Outgoing-Call-Request"],
        [4, "server", "Outgoing-Call-Reply"],
      ]);
      expect([s.client, s.dialed, s.clientCallId, s.serverCallId]).toEqual([CLIENT, SERVER, 0x1c2a, 0x8001]);
    });
  });
});

describe("an incoming call", () => {
  it("takes the server's call ID from the Incoming-Call-Request and the client's from the reply", async () => {
    const records: SynthRecord[] = [];
    // GRE towards the client carries 0x0042, towards the server 0x4001 (RFC 2637 §4.1)
    const conv = conversation(records, { clientCallId: 0x0042, serverCallId: 0x4001 });
    conv.connect(); // 1-3
    startControlConnection(conv); // 4, 5
    incomingCall(conv, 0x4001, 0x0042, "5550123"); // 6 ICRQ, 7 ICRP, 8 ICCN
    conv.control("client", { type: Msg.SetLinkInfo, peerCallId: 0x4001 }); // 9
    negotiatePpp(conv, sessionParameters());
    const report = await folder.analyze(records, ETHERNET);

    expect(report.sessions).toHaveLength(1);
    const s = report.sessions[0];
    expect([s.clientCallId, s.serverCallId]).toEqual([0x0042, 0x4001]);
    expect(s.control.messages.slice(2, 5)).toEqual([
      { frame: 6, time: frameTime(6), from: "server", type: "Incoming-Call-Request" },
      { frame: 7, time: frameTime(7), from: "client", type: "Incoming-Call-Reply", result: 1, error: 0 },
      { frame: 8, time: frameTime(8), from: "server", type: "Incoming-Call-Connected" },
    ]);
    expect(s.gre).toEqual({ toServer: conv.sent.client, toClient: { ...conv.sent.server, from: [SERVER] } });
    expect(s.outcome).toBe("established");
  });
});

describe("two clients behind one NAT address", () => {
  /** Two sessions from 192.0.2.10 ports 50000 and 50001 to one server, interleaved 100 µs apart. */
  function natCapture(callIds: { a: [number, number]; b: [number, number] }): SynthRecord[] {
    const a: SynthRecord[] = [];
    const b: SynthRecord[] = [];
    const convA = conversation(a, { clientPort: 50000, clientCallId: callIds.a[0], serverCallId: callIds.a[1], clientIsn: 1000 });
    const convB = conversation(b, { clientPort: 50001, clientCallId: callIds.b[0], serverCallId: callIds.b[1], clientIsn: 9000, startNsec: 100_000 });
    establishCall(convA, ...callIds.a);
    establishCall(convB, ...callIds.b);
    for (const size of [120, 240, 360]) convA.greFrame("client", dataFrame(size));
    for (const size of [80, 160]) convA.greFrame("server", dataFrame(size));
    convB.greFrame("client", dataFrame(500));
    for (let i = 0; i < 4; i++) convB.greFrame("server", dataFrame(50));
    convB.greFrame("client", undefined);
    return mergeByTime(a, b);
  }

  it("with different call IDs: two sessions, each with its own GRE", async () => {
    const report = await folder.analyze(natCapture({ a: [0x0100, 0x8001], b: [0x0200, 0x8002] }), ETHERNET);
    expect(report.sessions).toHaveLength(2);
    const a = sessionOnPort(report.sessions, 50000);
    const b = sessionOnPort(report.sessions, 50001);
    expect([a.client, a.clientCallId, a.serverCallId]).toEqual([CLIENT, 0x0100, 0x8001]);
    expect([b.client, b.clientCallId, b.serverCallId]).toEqual([CLIENT, 0x0200, 0x8002]);
    expect(a.gre).toEqual({ toServer: { packets: 3, bytes: 720 }, toClient: { packets: 2, bytes: 240, from: [SERVER] } });
    expect(b.gre).toEqual({ toServer: { packets: 2, bytes: 500 }, toClient: { packets: 4, bytes: 200, from: [SERVER] } });
  });

  it("with the same client call ID: both sessions exist; GRE to the client cannot be told apart", async () => {
    const report = await folder.analyze(natCapture({ a: [0x0100, 0x8001], b: [0x0100, 0x8002] }), ETHERNET);
    expect(report.sessions).toHaveLength(2);
    const a = sessionOnPort(report.sessions, 50000);
    const b = sessionOnPort(report.sessions, 50001);
    expect([a.clientCallId, a.serverCallId, b.clientCallId, b.serverCallId]).toEqual([0x0100, 0x8001, 0x0100, 0x8002]);
    // towards the server the server's call IDs differ, so each session keeps its own
    expect(a.gre.toServer).toEqual({ packets: 3, bytes: 720 });
    expect(b.gre.toServer).toEqual({ packets: 2, bytes: 500 });
    // towards the client both carry 192.0.2.10 / 0x0100: every such packet goes to one of the two sessions
    // (today the one whose control connection spoke last), none is lost; the call-id-mismatch rule must flag it
    expect(a.gre.toClient.packets + b.gre.toClient.packets).toBe(6);
    expect(a.gre.toClient.bytes + b.gre.toClient.bytes).toBe(440);
    expect([a.gre.toClient.packets, b.gre.toClient.packets].sort()).toEqual([0, 6]);
  });
});

describe("KB Q169831: the server answers from another address", () => {
  const OTHER = "203.0.113.7";

  it("GRE from another interface: listed in toClient.from and serverAddresses", async () => {
    const records: SynthRecord[] = [];
    const conv = conversation(records, { serverGreAddress: OTHER });
    healthySession(conv, 0x1c2a, 0x8001, sessionParameters({ dataFrames: 3 }));
    const report = await folder.analyze(records, ETHERNET);
    expect(report.sessions).toHaveLength(1);
    const s = report.sessions[0];
    expect(s.dialed).toBe(SERVER);
    expect(s.serverAddresses).toEqual([SERVER, OTHER]);
    expect(s.gre.toClient).toEqual({ ...conv.sent.server, from: [OTHER] });
    expect(s.gre.toServer).toEqual(conv.sent.client);
  });

  /** A SYN-ACK from `from` to the client's `port`, acknowledging `ack`, as a stray answer would be. */
  function synAck(from: string, port: number, ack: number, at: SynthRecord): SynthRecord {
    const datagram = ipv4({
      src: from,
      dst: CLIENT,
      ttl: 127,
      payload: tcp({ srcPort: 1723, dstPort: port, seq: 77_000, ack, flags: TcpFlag.SYN | TcpFlag.ACK }),
    });
    return { tsSec: at.tsSec, tsNsec: at.tsNsec + 100_000, data: ethernet({ payload: datagram }) };
  }

  it("a SYN-ACK from another address that acknowledges the client's SYN belongs to the session", async () => {
    const records: SynthRecord[] = [];
    const conv = conversation(records, { serverReplyAddress: OTHER, clientIsn: 1000 });
    healthySession(conv, 0x1c2a, 0x8001, sessionParameters());
    const report = await folder.analyze(records, ETHERNET);
    expect(report.sessions).toHaveLength(1);
    const s = report.sessions[0];
    expect([s.client, s.clientPort, s.dialed]).toEqual([CLIENT, 49152, SERVER]);
    expect(s.serverAddresses).toEqual([OTHER]);
    expect(s.control.messages.filter((m) => m.from === "server").map((m) => m.type)).toEqual([
      "Start-Control-Connection-Reply",
      "Outgoing-Call-Reply",
      "Call-Disconnect-Notify",
      "Stop-Control-Connection-Reply",
    ]);
    expect([s.clientCallId, s.serverCallId]).toEqual([0x1c2a, 0x8001]);
  });

  it.each(["before", "after"])("near misses %s the real answer: a SYN-ACK to another client port, or acknowledging another sequence number, is not the session's", async (when) => {
    const STRAY = "203.0.113.50";
    const records: SynthRecord[] = [];
    const conv = conversation(records, { serverReplyAddress: OTHER, clientIsn: 1000 });
    // right acknowledgment (ISN 1000 + 1) to another client port; the right port with a wrong acknowledgment
    const strays = () => {
      records.push(synAck(STRAY, 49153, 1001, records[records.length - 1]));
      records.push(synAck(STRAY, 49152, 5001, records[records.length - 1]));
      conv.wait(0.001);
    };
    conv.syn();
    if (when === "before") strays();
    conv.synAck(); // the real answer, from OTHER
    if (when === "after") strays();
    startControlConnection(conv);
    outgoingCall(conv, 0x1c2a, 0x8001);
    const report = await folder.analyze(records, ETHERNET);

    const real = report.sessions.filter((s) => s.clientPort === 49152 && s.dialed === SERVER);
    expect(real).toHaveLength(1);
    expect(real[0].serverAddresses).toEqual([OTHER]);
    expect([real[0].clientCallId, real[0].serverCallId]).toEqual([0x1c2a, 0x8001]);
    expect(messageList(real[0]).map((m) => m[2])).toEqual([
      "Start-Control-Connection-Request",
      "Start-Control-Connection-Reply",
      "Outgoing-Call-Request",
      "Outgoing-Call-Reply",
    ]);
    // the strays are not answers of this session, whatever else the model makes of them
    const others = report.sessions.filter((s) => s !== real[0]);
    for (const s of others) expect([s.serverAddresses, s.clientCallId, s.control.messages]).toEqual([[STRAY], null, []]);
  });
});

describe("a tunnel inside a tunnel", () => {
  it("finds the inner PPTP session carried as IPv4 in the outer session's PPP", async () => {
    const records: SynthRecord[] = [];
    const outer = conversation(records, { clientCallId: 0x1c2a, serverCallId: 0x8001 });
    establishCall(outer, 0x1c2a, 0x8001);
    negotiatePpp(outer, sessionParameters()); // outer tunnel: 10.8.0.2 <-> 10.8.0.1
    const innerStart = records.length + 1;
    // the inner session's datagrams, unencrypted, as PPP protocol 0x0021 in the outer GRE
    const inner = new TalliedConversation(
      { client: "10.8.0.2", server: "172.16.0.1", clientPort: 50000, clientCallId: 0x0007, serverCallId: 0x0009, framing: "raw", startSec: START_SEC },
      (record, from) => outer.ppp(from, PppProtocol.IPv4, record.data, false),
    );
    healthySession(inner, 0x0007, 0x0009, sessionParameters({ userName: "bob", clientTunnelAddress: "10.9.0.2", serverTunnelAddress: "10.9.0.1", dataFrames: 4 }));
    const report = await folder.analyze(records, ETHERNET);

    expect(report.sessions).toHaveLength(2);
    const [o, i] = report.sessions;
    expect(o).toMatchObject({ client: CLIENT, dialed: SERVER, clientCallId: 0x1c2a, serverCallId: 0x8001, outcome: "established" });
    expect(o.gre).toEqual({ toServer: outer.sent.client, toClient: { ...outer.sent.server, from: [SERVER] } });
    expect(i).toMatchObject({ client: "10.8.0.2", clientPort: 50000, dialed: "172.16.0.1", serverAddresses: ["172.16.0.1"] });
    expect([i.clientCallId, i.serverCallId]).toEqual([0x0007, 0x0009]);
    // the inner frames are the outer frames that carry them: SYN, SYN-ACK, ACK, then the request
    expect(i.firstFrame).toBe(innerStart);
    expect(i.control.messages[0]).toMatchObject({ frame: innerStart + 3, from: "client", type: "Start-Control-Connection-Request" });
    expect(i.gre).toEqual({ toServer: inner.sent.client, toClient: { ...inner.sent.server, from: ["172.16.0.1"] } });
    expect(i.ppp.auth).toMatchObject({ protocol: "MS-CHAPv2", peerName: "bob", result: "success" });
    expect(i.ppp.ipcp).toMatchObject({ client: "10.9.0.2", server: "10.9.0.1" });
    expect(i.outcome).toBe("established");
  });
});

describe("PPTP over a PPP link (router to router)", () => {
  /**
   * Router A captures its PPP link to router B. IPCP: A asks for an address and B assigns
   * 192.168.1.2 from its pool; B asks and A assigns 192.168.0.2 from its own. Then A's PPTP
   * client (192.168.1.2) dials 192.168.0.2, as KB Q169831 says it must.
   */
  function routerLink(withDirection: boolean): SynthRecord[] {
    const records: SynthRecord[] = [];
    let n = 0;
    const frame = (fromA: boolean, protocol: number, payload: Uint8Array): void => {
      const pppFrame = ppp({ protocol, payload });
      const data = withDirection ? pppWithDirection(fromA ? PppDirection.Sent : PppDirection.Received, pppFrame) : pppFrame;
      records.push({ tsSec: START_SEC, tsNsec: 1_000_000 * n++, data });
    };
    const optsA = [lcpOption.magicNumber(0x0a0a0a0a)];
    const optsB = [lcpOption.magicNumber(0x0b0b0b0b)];
    frame(true, PppProtocol.LCP, configurePacket(Code.ConfigureRequest, 1, optsA));
    frame(false, PppProtocol.LCP, configurePacket(Code.ConfigureRequest, 1, optsB));
    frame(false, PppProtocol.LCP, configurePacket(Code.ConfigureAck, 1, optsA));
    frame(true, PppProtocol.LCP, configurePacket(Code.ConfigureAck, 1, optsB));
    const ipcp = (fromA: boolean, code: number, id: number, address: string) =>
      frame(fromA, PppProtocol.IPCP, configurePacket(code, id, [ipcpOption.ipAddress(address)]));
    ipcp(true, Code.ConfigureRequest, 1, "0.0.0.0");
    ipcp(false, Code.ConfigureNak, 1, "192.168.1.2");
    ipcp(true, Code.ConfigureRequest, 2, "192.168.1.2");
    ipcp(false, Code.ConfigureAck, 2, "192.168.1.2");
    ipcp(false, Code.ConfigureRequest, 1, "0.0.0.0");
    ipcp(true, Code.ConfigureNak, 1, "192.168.0.2");
    ipcp(false, Code.ConfigureRequest, 2, "192.168.0.2");
    ipcp(true, Code.ConfigureAck, 2, "192.168.0.2");
    frame(true, PppProtocol.LCP, echoPacket(9, 1, 0x0a0a0a0a));
    const conv = new TalliedConversation(
      { client: "192.168.1.2", server: "192.168.0.2", clientPort: 1031, clientCallId: 0x0100, serverCallId: 0x0200, framing: "raw", startSec: START_SEC + 1 },
      (record, from) => {
        const pppFrame = ppp({ protocol: PppProtocol.IPv4, payload: record.data });
        const data = withDirection ? pppWithDirection(from === "client" ? PppDirection.Sent : PppDirection.Received, pppFrame) : pppFrame;
        records.push({ ...record, data });
      },
    );
    establishCall(conv, 0x0100, 0x0200);
    negotiatePpp(conv, sessionParameters());
    return records;
  }

  it.each([
    ["PPP_WITH_DIR", LinkType.PPP_WITH_DIR, true],
    ["PPP", LinkType.PPP, false],
  ])("the %s link records the control connection it carries", async (_name, linkType, withDirection) => {
    const { model } = await folder.track(routerLink(withDirection), linkType);
    expect(model.connections).toHaveLength(1);
    expect(model.connections[0]).toMatchObject({ client: "192.168.1.2", dialed: "192.168.0.2", clientPort: 1031 });
    expect(model.links).toHaveLength(1);
    expect(model.links[0].connections).toEqual([model.connections[0].index]);
  });

  it("reports the link's IPCP addresses beside the session that dials one of them", async () => {
    const report = await folder.analyze(routerLink(true), LinkType.PPP_WITH_DIR);
    expect(report.links).toHaveLength(1);
    expect(report.links[0]).toMatchObject({ kind: "ppp", linkType: 204, sessionId: null, local: "192.168.1.2", peer: "192.168.0.2", sides: "direction" });
    expect(report.sessions).toHaveLength(1);
    expect(report.sessions[0]).toMatchObject({ client: "192.168.1.2", dialed: "192.168.0.2", clientCallId: 0x0100, serverCallId: 0x0200, outcome: "established" });
  });

  it("the link lasts as long as the GRE it carries", async () => {
    // every frame of this capture is on the link, the last ones are the session's GRE
    const records = routerLink(true);
    const report = await folder.analyze(records, LinkType.PPP_WITH_DIR);
    expect(report.links[0].frames).toEqual([1, records.length]);
  });
});

describe("a closed control connection", () => {
  /**
   * A healthy session (it ends with FINs both ways), another client's SYN `pause` seconds
   * after the start, then a late LCP Echo-Request on the first call.
   */
  function closedThenLate(pause: number): SynthRecord[] {
    const records: SynthRecord[] = [];
    const conv = conversation(records, { clientCallId: 0x1c2a, serverCallId: 0x8001 });
    healthySession(conv, 0x1c2a, 0x8001, sessionParameters({ dataFrames: 4 }));
    conversation(records, { client: "192.0.2.99", clientPort: 50000, startSec: START_SEC + pause }).syn();
    conv.wait(pause + 1);
    conv.ppp("client", PppProtocol.LCP, echoPacket(Code.EchoRequest, 9, 0x22222222));
    return records;
  }

  it(`is put away ${CLOSE_GRACE_SECONDS} s after it closed: its session is unchanged, a later PPP control frame is counted and reported`, async () => {
    const records = closedThenLate(CLOSE_GRACE_SECONDS + 1);
    const report = await folder.analyze(records, ETHERNET);
    const s = sessionOnPort(report.sessions, 49152);
    expect(s.ppp).toMatchObject({ lcp: { state: "closed" }, auth: { result: "success" }, ipcp: { state: "opened", client: "10.8.0.2" } });
    const limit = report.findings.filter((f) => f.code === "limit-reached");
    expect(limit).toHaveLength(1);
    expect(limit[0].message).toContain(`1 PPP control frame(s) came more than ${CLOSE_GRACE_SECONDS} s after their control connection closed`);
  });

  it("still takes PPP control frames within the grace period", async () => {
    const records = closedThenLate(CLOSE_GRACE_SECONDS - 1);
    const report = await folder.analyze(records, ETHERNET);
    expect(report.findings.filter((f) => f.code === "limit-reached")).toEqual([]);
    expect(sessionOnPort(report.sessions, 49152).ppp.lcp.state).toBe("closed");
  });
});

/** Feeds bare IP datagrams (LINKTYPE_RAW: IPv4 or IPv6) to a tracker, one frame each. */
function feeder(): { tracker: SessionTracker; feed: (datagram: Buffer) => void } {
  const decoder = new Decoder();
  const tracker = new SessionTracker(decoder, 1723);
  const frame = new Frame();
  frame.linkType = LinkType.RAW;
  frame.tsSec = START_SEC;
  const feed = (datagram: Buffer): void => {
    frame.frameNo++;
    frame.tsNsec = (frame.frameNo * 1000) % 1e9;
    frame.tsSec = START_SEC + Math.floor((frame.frameNo * 1000) / 1e9);
    frame.buf = datagram;
    frame.caplen = frame.origLen = datagram.length;
    decoder.decode(frame);
    tracker.frame(decoder.packet, frame);
  };
  return { tracker, feed };
}

describe("an IPv6 control connection", () => {
  const V6_CLIENT = "2001:db8::10";
  const V6_SERVER = "2001:db8::1";
  const V6_OTHER = "2001:db8::7";
  const segment = (src: string, dst: string, srcPort: number, dstPort: number, seq: number, flags: number, payload?: Uint8Array): Buffer =>
    ipv6({ src, dst, payload: tcp({ srcPort, dstPort, seq, ack: 1, flags, payload }) });

  it("matches the server's answers by address text, and lists an answer from another address (KB Q169831)", () => {
    const { tracker, feed } = feeder();
    feed(segment(V6_CLIENT, V6_SERVER, 40000, 1723, 100, TcpFlag.SYN));
    feed(segment(V6_SERVER, V6_CLIENT, 1723, 40000, 500, TcpFlag.SYN | TcpFlag.ACK));
    feed(segment(V6_CLIENT, V6_SERVER, 40000, 1723, 101, TcpFlag.ACK | TcpFlag.PSH, buildPptpMessage({ type: Msg.StartControlConnectionRequest })));
    feed(segment(V6_SERVER, V6_CLIENT, 1723, 40000, 501, TcpFlag.ACK | TcpFlag.PSH, buildPptpMessage({ type: Msg.StartControlConnectionReply, resultCode: 1 })));
    // 156 bytes of Start-Control-Connection-Reply later, an Echo-Request of the same stream from another address
    feed(segment(V6_OTHER, V6_CLIENT, 1723, 40000, 657, TcpFlag.ACK | TcpFlag.PSH, buildPptpMessage({ type: Msg.EchoRequest, identifier: 3 })));
    const { connections } = tracker.finish();
    expect(connections).toHaveLength(1);
    const c = connections[0];
    expect([c.client, c.clientPort, c.dialed, c.startedMidway]).toEqual([V6_CLIENT, 40000, V6_SERVER, false]);
    expect(c.synAcks.map((e) => [e.origin.frameNo, e.address])).toEqual([[2, V6_SERVER]]);
    expect(c.messages.map((m) => [m.origin.frameNo, m.from, m.type])).toEqual([
      [3, "client", Msg.StartControlConnectionRequest],
      [4, "server", Msg.StartControlConnectionReply],
      [5, "server", Msg.EchoRequest],
    ]);
    expect(c.answeringAddresses).toEqual([V6_SERVER, V6_OTHER]);
  });
});

describe("limits", () => {
  /** A client SYN from 10.1.x.y (one address per connection) to the control port. */
  function syn(i: number): Buffer {
    return ipv4({ src: `10.1.${i >> 8}.${i & 0xff}`, dst: SERVER, payload: tcp({ srcPort: 40000, dstPort: 1723, seq: i, flags: TcpFlag.SYN }) });
  }

  it(`keeps ${MAX_ORPHAN_FLOWS} GRE flows that no control connection explains and counts the rest`, async () => {
    const { tracker, feed } = feeder();
    for (let callId = 0; callId < MAX_ORPHAN_FLOWS + 6; callId++) {
      feed(ipv4({ src: "10.0.0.1", dst: "10.0.0.2", payload: enhancedGre({ callId, sequence: 1, payload: dataFrame(40) }) }));
    }
    const model = tracker.finish();
    expect(model.orphans).toHaveLength(MAX_ORPHAN_FLOWS);
    expect(model.orphans[0]).toMatchObject({ from: "10.0.0.1", to: "10.0.0.2", callId: 0 });
    expect(tracker.limits.orphanFlowsDropped).toBe(6);
    expect(model.connections).toHaveLength(0);
  });

  it("reports at most that many unknown-call-id findings", async () => {
    const records: SynthRecord[] = [];
    for (let callId = 0; callId < MAX_ORPHAN_FLOWS + 3; callId++) {
      const datagram = ipv4({ src: "10.0.0.1", dst: "10.0.0.2", payload: enhancedGre({ callId, sequence: 1, payload: dataFrame(40) }) });
      records.push({ tsSec: START_SEC, tsNsec: callId * 1000, data: datagram });
    }
    const report = await folder.analyze(records, LinkType.RAW);
    expect(report.findings.filter((f) => f.code === "unknown-call-id")).toHaveLength(MAX_ORPHAN_FLOWS);
    expect(report.sessions).toHaveLength(0);
  });

  it(`tracks ${MAX_CONNECTIONS} control connections at once, pushing out the oldest`, () => {
    const { tracker, feed } = feeder();
    for (let i = 0; i < MAX_CONNECTIONS + 4; i++) feed(syn(i));
    expect(tracker.limits.connectionsEvicted).toBe(4);
    // the SYN-ACK for the very first connection comes too late: it was pushed out, so the answer starts a connection of its own
    feed(ipv4({ src: SERVER, dst: "10.1.0.0", payload: tcp({ srcPort: 1723, dstPort: 40000, seq: 1, ack: 1, flags: TcpFlag.SYN | TcpFlag.ACK }) }));
    const model = tracker.finish();
    expect(model.connections).toHaveLength(MAX_CONNECTIONS + 5);
    expect(model.connections[0]).toMatchObject({ client: "10.1.0.0", syns: [expect.anything()], synAcks: [] });
    const late = model.connections[MAX_CONNECTIONS + 4];
    expect(late).toMatchObject({ client: "10.1.0.0", startedMidway: true });
    expect(late.synAcks).toHaveLength(1);
    // pushed out is not dropped: every connection is still reported
    expect(tracker.limits.sessionsDropped).toBe(0);
  });

  it("pushes out the connection idle longest, not the one opened first", () => {
    const { tracker, feed } = feeder();
    for (let i = 0; i < MAX_CONNECTIONS; i++) feed(syn(i));
    feed(syn(0)); // a retransmitted SYN: the first connection was just used
    feed(syn(MAX_CONNECTIONS));
    expect(tracker.limits.connectionsEvicted).toBe(1);
    feed(syn(0)); // still tracked: joins its connection
    feed(syn(1)); // pushed out: starts a connection of its own
    const model = tracker.finish();
    expect(model.connections).toHaveLength(MAX_CONNECTIONS + 2);
    expect(model.connections[0]).toMatchObject({ client: "10.1.0.0" });
    expect(model.connections[0].syns).toHaveLength(3);
    expect(model.connections[1].syns).toHaveLength(1);
    expect(model.connections[MAX_CONNECTIONS + 1]).toMatchObject({ client: "10.1.0.1" });
  });

  it("tells apart connections from one client address and port to two servers", () => {
    const { tracker, feed } = feeder();
    const toServer = (dst: string, seq: number): Buffer => ipv4({ src: "10.1.0.0", dst, payload: tcp({ srcPort: 40000, dstPort: 1723, seq, flags: TcpFlag.SYN }) });
    for (let round = 0; round < 2; round++) {
      feed(toServer(SERVER, 100));
      feed(toServer("198.51.100.2", 200));
      feed(toServer("198.51.100.3", 300));
    }
    const model = tracker.finish();
    expect(model.connections.map((c) => [c.dialed, c.syns.length])).toEqual([
      [SERVER, 2],
      ["198.51.100.2", 2],
      ["198.51.100.3", 2],
    ]);
  });

  it(`reports at most ${MAX_SESSIONS_REPORTED} control connections and counts the rest`, () => {
    const { tracker, feed } = feeder();
    for (let i = 0; i < MAX_SESSIONS_REPORTED + 5; i++) feed(syn(i));
    const model = tracker.finish();
    expect(model.connections).toHaveLength(MAX_SESSIONS_REPORTED);
    expect(tracker.limits.connectionsEvicted).toBe(MAX_SESSIONS_REPORTED + 5 - MAX_CONNECTIONS);
    expect(tracker.limits.sessionsDropped).toBe(5);
    expect(model.connections[0].client).toBe("10.1.0.0");
  });

  it(`keeps ${MAX_LINKS} PPP links and counts the frames of the others`, () => {
    const decoder = new Decoder();
    const tracker = new SessionTracker(decoder, 1723);
    const frame = new Frame();
    frame.linkType = LinkType.ETHERNET;
    const lcpRequest = ppp({ protocol: PppProtocol.LCP, payload: configurePacket(Code.ConfigureRequest, 1, [lcpOption.magicNumber(1)]), addressControl: false });
    for (let sessionId = 1; sessionId <= MAX_LINKS + 4; sessionId++) {
      const data = ethernet({ etherType: 0x8864, payload: pppoeSession({ sessionId, payload: lcpRequest }) });
      frame.frameNo = sessionId;
      frame.buf = data;
      frame.caplen = frame.origLen = data.length;
      decoder.decode(frame);
      tracker.frame(decoder.packet, frame);
    }
    const model = tracker.finish();
    expect(model.links).toHaveLength(MAX_LINKS);
    expect(model.links.map((l) => l.sessionId)).toEqual(Array.from({ length: MAX_LINKS }, (_, i) => i + 1));
    expect(tracker.limits.linksDropped).toBe(4);
  });

  it("gives the call ID of two connections from one client to the newer call until the older connection speaks again", async () => {
    const records: SynthRecord[] = [];
    // one client address, two source ports, the same client call ID 7 on both
    const older = conversation(records, { clientPort: 50001, clientCallId: 7, serverCallId: 100, framing: "raw", startSec: START_SEC });
    establishCall(older, 7, 100);
    const newer = conversation(records, { clientPort: 50002, clientCallId: 7, serverCallId: 200, framing: "raw", startSec: START_SEC + 1 });
    establishCall(newer, 7, 200);
    older.wait(100);
    newer.wait(100);
    older.greFrame("server", dataFrame(40)); // call ID 7 towards the client: the newer call's now
    older.control("client", { type: Msg.EchoRequest, identifier: 1 }); // the older connection files its call again
    older.greFrame("server", dataFrame(40)); // now the older call's
    older.greFrame("server", dataFrame(40));
    const { model } = await folder.track(mergeByTime(records), LinkType.RAW);
    const [olderCall, newerCall] = model.connections.map((c) => c.calls[0]);
    expect(olderCall.toClient.packets).toBe(2);
    expect(newerCall.toClient.packets).toBe(1);
    expect(model.orphans).toEqual([]);
  });

  it(`finds ${MAX_CALLS_PER_CALL_ID} clients' calls by one call ID; one more pushes out the oldest until its connection speaks again`, async () => {
    const records: SynthRecord[] = [];
    const conversations = Array.from({ length: MAX_CALLS_PER_CALL_ID + 1 }, (_, i) => {
      const conv = conversation(records, { client: `10.2.0.${i + 1}`, clientCallId: 7, serverCallId: 100 + i, framing: "raw", startSec: START_SEC + i });
      establishCall(conv, 7, 100 + i);
      return conv;
    });
    const [first, second] = conversations;
    // after every call was set up
    first.wait(100);
    second.wait(100);
    first.greFrame("server", dataFrame(40)); // pushed out: not found
    first.control("client", { type: Msg.EchoRequest, identifier: 1 }); // filed again, pushing out the second client's call
    first.greFrame("server", dataFrame(40));
    second.greFrame("server", dataFrame(40));
    const { model } = await folder.track(mergeByTime(records), LinkType.RAW);
    const calls = model.connections.map((c) => c.calls[0]);
    expect(calls.map((c) => c.indexEvictions)).toEqual([1, 1, ...Array(MAX_CALLS_PER_CALL_ID - 1).fill(0)]);
    expect(calls[0].toClient.packets).toBe(1);
    expect(calls[1].toClient.packets).toBe(0);
    expect(model.orphans.map((o) => [o.to, o.callId, o.flow.packets])).toEqual([
      ["10.2.0.1", 7, 1],
      ["10.2.0.2", 7, 1],
    ]);
  });
});
