/**
 * The report's view of the model (src/model/sessions.ts): the outcome of sessions that
 * fail in the ways a capture shows, and the PPP links seen directly on the capture with
 * the addresses their IPCP assigned. Captures are synthesized; every expected value is
 * what the script put on the wire.
 */
import { afterAll, describe, expect, it } from "vitest";
import { EtherType } from "../../src/decode/ethernet.js";
import { LinkType } from "../../src/decode/linktypes.js";
import { PptpMessageType as Msg } from "../../src/decode/pptp.js";
import { ControlCode as Code } from "../../src/decode/ppp/control-packet.js";
import { ChapAlgorithm, PppProtocol } from "../../src/decode/ppp/protocols.js";
import { PppoeCode } from "../../src/decode/pppoe.js";
import { ethernet } from "../../src/synth/ethernet.js";
import { ipPayload } from "../../src/synth/ip-payload.js";
import { ipv4 } from "../../src/synth/ipv4.js";
import type { SynthRecord } from "../../src/synth/pcap-writer.js";
import {
  chapResult,
  chapValue,
  configurePacket,
  ipcpOption,
  lcpOption,
  msChapFailureMessage,
  msChapV2ResponseValue,
  papReply,
  papRequest,
} from "../../src/synth/ppp-control.js";
import { PppDirection, PppoeTag, ppp, pppoeDiscovery, pppoeSession, pppWithDirection } from "../../src/synth/ppp.js";
import { establishCall, outgoingCall, startControlConnection } from "../../src/synth/sessions.js";
import { CaptureFolder, conversation, START_SEC } from "./conversation-captures.js";

const folder = new CaptureFolder();
afterAll(() => folder.remove());

const ETHERNET = LinkType.ETHERNET;
const CLIENT = "192.0.2.10";
const SERVER = "198.51.100.1";
/** IANA protocol number of UDP: traffic the analyzer passes over. */
const IP_PROTOCOL_UDP = 17;
const NO_GRE = { toServer: { packets: 0, bytes: 0 }, toClient: { packets: 0, bytes: 0, from: [] } };

describe("session outcome", () => {
  it("failed: the Outgoing-Call-Reply says busy (result 4)", async () => {
    const records: SynthRecord[] = [];
    const conv = conversation(records);
    conv.connect();
    startControlConnection(conv);
    outgoingCall(conv, 0x1c2a, 0, { resultCode: 4 }); // frames 6, 7
    conv.control("client", { type: Msg.StopControlConnectionRequest, reason: 1 });
    conv.control("server", { type: Msg.StopControlConnectionReply });
    conv.close("client");
    const report = await folder.analyze(records, ETHERNET);
    expect(report.sessions).toHaveLength(1);
    const s = report.sessions[0];
    expect(s.control.messages[3]).toMatchObject({ frame: 7, from: "server", type: "Outgoing-Call-Reply", result: 4, error: 0 });
    expect([s.clientCallId, s.outcome]).toEqual([0x1c2a, "failed"]);
    expect(s.gre).toEqual(NO_GRE);
    expect(report.summary).toMatchObject({ sessions: 1, established: 0, failed: 1, incomplete: 0 });
  });

  it("two calls on one connection: each session lists every control message of the connection, from one list", async () => {
    const records: SynthRecord[] = [];
    const conv = conversation(records);
    conv.connect(); // frames 1-3
    startControlConnection(conv); // frames 4, 5
    outgoingCall(conv, 7, 0x8001); // frames 6, 7
    outgoingCall(conv, 8, 0x8002); // frames 8, 9
    const report = await folder.analyze(records, ETHERNET);
    expect(report.sessions.map((s) => s.clientCallId)).toEqual([7, 8]);
    const [first, second] = report.sessions;
    expect(first.control.messages.map((m) => m.frame)).toEqual([4, 5, 6, 7, 8, 9]);
    // the list is built once per connection, not once per call (64 calls of 200 messages each)
    expect(second.control.messages).toBe(first.control.messages);
  });

  it("failed: the Start-Control-Connection-Reply says general error (result 2)", async () => {
    const records: SynthRecord[] = [];
    const conv = conversation(records);
    conv.connect();
    startControlConnection(conv, 2, 4); // general error, no-resource
    conv.close("server");
    const report = await folder.analyze(records, ETHERNET);
    expect(report.sessions).toHaveLength(1);
    const s = report.sessions[0];
    expect(s.control.messages.map((m) => [m.frame, m.type, m.result, m.error])).toEqual([
      [4, "Start-Control-Connection-Request", undefined, undefined],
      [5, "Start-Control-Connection-Reply", 2, 4],
    ]);
    expect([s.clientCallId, s.serverCallId, s.outcome]).toEqual([null, null, "failed"]);
  });

  it("failed: a lone SYN sent three times (0, 3 and 9 s) and never answered", async () => {
    const records: SynthRecord[] = [];
    const conv = conversation(records);
    conv.syn();
    conv.wait(3);
    conv.syn();
    conv.wait(6);
    conv.syn();
    const report = await folder.analyze(records, ETHERNET);
    expect(report.sessions).toHaveLength(1);
    expect(report.sessions[0]).toMatchObject({
      client: CLIENT,
      clientPort: 49152,
      dialed: SERVER,
      serverAddresses: [],
      clientCallId: null,
      serverCallId: null,
      firstFrame: 1,
      lastFrame: 3,
      outcome: "failed",
      control: { messages: [] },
      gre: NO_GRE,
    });
    expect(report.sessions[0].ppp.lcp.state).toBe("not-seen");
  });

  it("failed: one SYN left unanswered while the capture goes on for 5 s", async () => {
    const records: SynthRecord[] = [];
    conversation(records).syn();
    // other traffic 5 s later: a UDP datagram to somewhere else
    const udp = ipv4({ src: CLIENT, dst: "192.0.2.53", payload: ipPayload(IP_PROTOCOL_UDP, Buffer.alloc(8)) });
    records.push({ tsSec: START_SEC + 5, tsNsec: 0, data: ethernet({ payload: udp }) });
    const report = await folder.analyze(records, ETHERNET);
    expect(report.sessions.map((s) => [s.clientCallId, s.outcome])).toEqual([[null, "failed"]]);
  });

  it("incomplete: one SYN and the capture ends at once", async () => {
    const records: SynthRecord[] = [];
    conversation(records).syn();
    const report = await folder.analyze(records, ETHERNET);
    expect(report.sessions.map((s) => [s.clientCallId, s.outcome])).toEqual([[null, "incomplete"]]);
  });

  it("failed: the server answers the SYN with RST", async () => {
    const records: SynthRecord[] = [];
    const conv = conversation(records);
    conv.syn();
    conv.reset("server");
    const report = await folder.analyze(records, ETHERNET);
    expect(report.sessions).toHaveLength(1);
    expect(report.sessions[0]).toMatchObject({ client: CLIENT, dialed: SERVER, serverAddresses: [SERVER], clientCallId: null, outcome: "failed" });
  });

  it("incomplete: the capture ends right after the Outgoing-Call-Reply", async () => {
    const records: SynthRecord[] = [];
    const conv = conversation(records);
    conv.connect();
    startControlConnection(conv);
    outgoingCall(conv, 0x1c2a, 0x8001);
    const report = await folder.analyze(records, ETHERNET);
    expect(report.sessions).toHaveLength(1);
    expect(report.sessions[0]).toMatchObject({ clientCallId: 0x1c2a, serverCallId: 0x8001, lastFrame: 7, outcome: "incomplete" });
    expect(report.sessions[0].control.messages.at(-1)).toMatchObject({ frame: 7, type: "Outgoing-Call-Reply", result: 1 });
  });

  it("failed: MS-CHAPv2 Failure E=691", async () => {
    const records: SynthRecord[] = [];
    const conv = conversation(records);
    establishCall(conv, 0x1c2a, 0x8001);
    const clientOptions = [lcpOption.magicNumber(0x11111111)];
    const serverOptions = [lcpOption.authChap(ChapAlgorithm.MsChapV2), lcpOption.magicNumber(0x22222222)];
    conv.ppp("client", PppProtocol.LCP, configurePacket(Code.ConfigureRequest, 1, clientOptions));
    conv.ppp("server", PppProtocol.LCP, configurePacket(Code.ConfigureRequest, 1, serverOptions));
    conv.ppp("server", PppProtocol.LCP, configurePacket(Code.ConfigureAck, 1, clientOptions));
    conv.ppp("client", PppProtocol.LCP, configurePacket(Code.ConfigureAck, 1, serverOptions));
    conv.ppp("server", PppProtocol.CHAP, chapValue(1, 9, Buffer.alloc(16, 1), "vpn-gw"));
    conv.ppp("client", PppProtocol.CHAP, chapValue(2, 9, msChapV2ResponseValue({ peerChallenge: Buffer.alloc(16, 2), ntResponse: Buffer.alloc(24, 3) }), "mallory"));
    const failure = msChapFailureMessage({ error: 691, retry: false, challenge: Buffer.alloc(16, 4), version: 3, message: "denied" });
    conv.ppp("server", PppProtocol.CHAP, chapResult(4, 9, failure));
    const report = await folder.analyze(records, ETHERNET);
    const s = report.sessions[0];
    expect(s.ppp.auth).toMatchObject({ protocol: "MS-CHAPv2", peerName: "mallory", result: "failure" });
    expect(s.ppp.auth.detail).toMatch(/^E=691\b/);
    expect(s.outcome).toBe("failed");
  });
});

describe("PPP links seen directly on the capture", () => {
  type Send = (fromLocal: boolean, protocol: number, payload: Buffer) => void;

  /**
   * LCP, then IPCP where the far end (speaking first) has 10.20.0.1 and assigns the
   * capturing end 10.20.0.2 by Nak (RFC 1332 §3.3).
   */
  function negotiate(send: Send, withPap = false): void {
    const local = [lcpOption.mru(1492), lcpOption.magicNumber(0x0a0a0a0a)];
    const peer = [lcpOption.mru(1492), ...(withPap ? [lcpOption.authPap()] : []), lcpOption.magicNumber(0x0b0b0b0b)];
    send(false, PppProtocol.LCP, configurePacket(Code.ConfigureRequest, 1, peer));
    send(true, PppProtocol.LCP, configurePacket(Code.ConfigureRequest, 1, local));
    send(true, PppProtocol.LCP, configurePacket(Code.ConfigureAck, 1, peer));
    send(false, PppProtocol.LCP, configurePacket(Code.ConfigureAck, 1, local));
    if (withPap) {
      send(true, PppProtocol.PAP, papRequest(1, "carol", "secret"));
      send(false, PppProtocol.PAP, papReply(2, 1, "welcome"));
    }
    const ipcp = (fromLocal: boolean, code: number, id: number, address: string) =>
      send(fromLocal, PppProtocol.IPCP, configurePacket(code, id, [ipcpOption.ipAddress(address)]));
    ipcp(false, Code.ConfigureRequest, 1, "10.20.0.1");
    ipcp(true, Code.ConfigureRequest, 1, "0.0.0.0");
    ipcp(true, Code.ConfigureAck, 1, "10.20.0.1");
    ipcp(false, Code.ConfigureNak, 1, "10.20.0.2");
    ipcp(true, Code.ConfigureRequest, 2, "10.20.0.2");
    ipcp(false, Code.ConfigureAck, 2, "10.20.0.2");
  }

  function timed(records: SynthRecord[], data: Buffer): void {
    records.push({ tsSec: START_SEC, tsNsec: records.length * 1_000_000, data });
  }

  it("PPPoE: the host and access concentrator told apart by Discovery, their IPCP addresses as local and peer", async () => {
    const HOST = "02:00:00:00:00:0a";
    const AC = "02:00:00:00:00:0b";
    const SESSION = 0x2345;
    const records: SynthRecord[] = [];
    const discovery = (src: string, dst: string, code: number, sessionId = 0) =>
      timed(records, ethernet({ src, dst, etherType: EtherType.PppoeDiscovery, payload: pppoeDiscovery({ code, sessionId, tags: [{ type: PppoeTag.ServiceName }] }) }));
    discovery(HOST, "ff:ff:ff:ff:ff:ff", PppoeCode.PADI); // 1
    discovery(AC, HOST, PppoeCode.PADO); // 2
    discovery(HOST, AC, PppoeCode.PADR); // 3
    discovery(AC, HOST, PppoeCode.PADS, SESSION); // 4
    // the access concentrator speaks first in the session: only Discovery says which end is the host
    negotiate((fromLocal, protocol, payload) => {
      const frame = ppp({ protocol, payload, addressControl: false }); // RFC 2516 §7: no address and control bytes
      const [src, dst] = fromLocal ? [HOST, AC] : [AC, HOST];
      timed(records, ethernet({ src, dst, etherType: EtherType.PppoeSession, payload: pppoeSession({ sessionId: SESSION, payload: frame }) }));
    }, true); // frames 5-16
    const report = await folder.analyze(records, ETHERNET);

    expect(report.sessions).toHaveLength(0);
    expect(report.links).toHaveLength(1);
    const link = report.links[0];
    expect(link).toMatchObject({ kind: "pppoe", linkType: 1, sessionId: SESSION, local: "10.20.0.2", peer: "10.20.0.1", sides: "mac" });
    expect([...link.addresses].sort()).toEqual(["10.20.0.1", "10.20.0.2"]);
    expect(link.ppp.auth).toMatchObject({ protocol: "PAP", peerName: "carol", result: "success" });
    expect(link.ppp.lcp.state).toBe("opened");
    expect(link.ppp.ipcp).toMatchObject({ state: "opened", client: "10.20.0.2", server: "10.20.0.1" });
    // from PADS, which opens the session (RFC 2516 §5.4), to the last session frame
    expect(link.frames).toEqual([4, 16]);
  });

  it("PPP_WITH_DIR: local and peer by the direction byte", async () => {
    const records: SynthRecord[] = [];
    negotiate((fromLocal, protocol, payload) =>
      timed(records, pppWithDirection(fromLocal ? PppDirection.Sent : PppDirection.Received, ppp({ protocol, payload }))),
    );
    const report = await folder.analyze(records, LinkType.PPP_WITH_DIR);
    expect(report.links).toHaveLength(1);
    expect(report.links[0]).toMatchObject({ kind: "ppp", linkType: 204, sessionId: null, local: "10.20.0.2", peer: "10.20.0.1", sides: "direction", frames: [1, 10] });
    expect([...report.links[0].addresses].sort()).toEqual(["10.20.0.1", "10.20.0.2"]);
  });

  it("PPP without direction: both IPCP addresses listed, the sides inferred and not named", async () => {
    const records: SynthRecord[] = [];
    negotiate((_fromLocal, protocol, payload) => timed(records, ppp({ protocol, payload })));
    const report = await folder.analyze(records, LinkType.PPP);
    expect(report.links).toHaveLength(1);
    expect(report.links[0]).toMatchObject({ kind: "ppp", linkType: 9, sessionId: null, local: null, peer: null, sides: "inferred", frames: [1, 10] });
    expect([...report.links[0].addresses].sort()).toEqual(["10.20.0.1", "10.20.0.2"]);
    expect(report.links[0].ppp.ipcp.state).toBe("opened");
  });
});
