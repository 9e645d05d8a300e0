/**
 * limit-reached: every hard limit driven past its value by a synthesized capture, then
 * what was kept (in the report, or in the model where the report does not show it) and
 * what the finding says. Counts in the expected messages come from the scripts (how many
 * things each sent beyond the limit) and the limits' documented values.
 */
import { afterAll, describe, expect, it } from "vitest";
import { allFindings, analyzeWithRules } from "../../src/analyze.js";
import { LinkType } from "../../src/decode/linktypes.js";
import { PptpMessageType as Msg } from "../../src/decode/pptp.js";
import { ControlCode as Code } from "../../src/decode/ppp/control-packet.js";
import { PppProtocol } from "../../src/decode/ppp/protocols.js";
import { limitReached } from "../../src/diagnose/limit-reached.js";
import { unknownCallId } from "../../src/diagnose/unknown-call-id.js";
import type { Finding, Report, Session } from "../../src/report/schema.js";
import { ethernet } from "../../src/synth/ethernet.js";
import { enhancedGre } from "../../src/synth/gre.js";
import { ipPayload } from "../../src/synth/ip-payload.js";
import { ipv4 } from "../../src/synth/ipv4.js";
import { ipv6 } from "../../src/synth/ipv6.js";
import type { SynthRecord } from "../../src/synth/pcap-writer.js";
import { PptpConversation } from "../../src/synth/conversation.js";
import { configurePacket, echoPacket, lcpOption } from "../../src/synth/ppp-control.js";
import { PppDirection, ppp, pppoeSession, pppWithDirection } from "../../src/synth/ppp.js";
import { buildPptpMessage } from "../../src/synth/pptp.js";
import { establishCall, healthySession, outgoingCall, startControlConnection } from "../../src/synth/sessions.js";
import { TcpFlag, tcp } from "../../src/synth/tcp.js";
import { SAMPLE_PCAPNG, UNDEFINED_INTERFACE_EPB } from "../capture/fixtures.js";
import { hex } from "../capture/helpers.js";
import { CaptureFolder, conversation, sessionParameters, START_SEC } from "../model/conversation-captures.js";

const folder = new CaptureFolder();
afterAll(() => folder.remove());

const RAW = LinkType.RAW;
const CLIENT = "192.0.2.10";
const SERVER = "198.51.100.1";
const CLIENT_PORT = 49152;
/** The call IDs conversation() uses. */
const CLIENT_CALL_ID = 0x1c2a;
const SERVER_CALL_ID = 0x8001;
const GRE = 47;
const REMEDY = limitReached.explain.remedy;

/** The capture analyzed with the rule under test (and any others named). */
async function report(records: readonly SynthRecord[], linkType: number = RAW, rules = [limitReached]): Promise<Report> {
  return analyzeWithRules([folder.write(records, linkType)], rules);
}

/** The limit-reached findings: capture-level ones, then each session's. */
function limits(r: Report): Finding[] {
  return allFindings(r).filter((f) => f.code === "limit-reached");
}

/** The only limit-reached finding of the capture, which must be capture-level. */
function onlyCaptureLimit(r: Report): Finding {
  expect(r.sessions.flatMap((s) => s.findings)).toEqual([]);
  expect(r.findings).toHaveLength(1);
  return r.findings[0];
}

/** The only limit-reached finding, which must belong to `session`. */
function onlySessionLimit(r: Report, session: Session): Finding {
  expect(limits(r)).toEqual(session.findings);
  expect(session.findings).toHaveLength(1);
  return session.findings[0];
}

const limitFinding = (severity: "info" | "warning", message: string): Finding => ({ code: "limit-reached", severity, message, frames: [], remedy: REMEDY });

/** A conversation between CLIENT and SERVER as bare IPv4 datagrams (LINKTYPE_RAW). */
const rawConversation = (records: SynthRecord[], options: Parameters<typeof conversation>[1] = {}) => conversation(records, { framing: "raw", ...options });

/** A datagram as a record `ms` milliseconds after the start of the capture (after a script's frames when `ms` is large). */
function at(data: Buffer, ms: number): SynthRecord {
  return { tsSec: START_SEC + Math.floor(ms / 1000), tsNsec: (ms % 1000) * 1e6, data };
}

/** A PPP data frame as GRE carries it: compressed/MPPE (0xFD) with address/control and protocol compressed. */
const dataFrame = (): Buffer => Buffer.from([PppProtocol.Compressed, 0x5a, 0x5a, 0x5a]);

const CALL_PLACE = `The call from ${CLIENT}:${CLIENT_PORT} to ${SERVER} (client call ID ${CLIENT_CALL_ID}, server call ID ${SERVER_CALL_ID})`;
const CONNECTION_PLACE = `The control connection from ${CLIENT}:${CLIENT_PORT} to ${SERVER}`;
const CAPTURE_PLACE = "The analyzer's limits were reached in this capture";

describe("no limit reached", () => {
  it("a healthy session gives no limit-reached finding", async () => {
    const records: SynthRecord[] = [];
    healthySession(rawConversation(records), CLIENT_CALL_ID, SERVER_CALL_ID, sessionParameters({ dataFrames: 10 }));
    expect(limits(await report(records))).toEqual([]);
  });
});

describe("capture-wide tables", () => {
  /** A client SYN from 10.1.x.y (one address per connection) to the control port. */
  const syn = (i: number): Buffer => ipv4({ src: `10.1.${i >> 8}.${i & 0xff}`, dst: SERVER, payload: tcp({ srcPort: 40000, dstPort: 1723, seq: i, flags: TcpFlag.SYN }) });

  it("100 problems listed per file (MAX_PROBLEMS_PER_FILE): 30 more damaged blocks are counted, an info", async () => {
    // the little-endian section of the sample pcapng, then 130 EPBs of an interface it never defined
    const damaged = Buffer.concat([SAMPLE_PCAPNG.bytes.subarray(0, 204), hex(UNDEFINED_INTERFACE_EPB.repeat(130))]);
    const r = await analyzeWithRules([folder.writeBytes(damaged, "pcapng")], [limitReached]);
    expect(onlyCaptureLimit(r)).toEqual(
      limitFinding("info", `${CAPTURE_PLACE}: 30 damaged record(s) or block(s) beyond the first 100 per file and 1000 in all were counted, not listed.`),
    );
  });

  it("4096 control connections open at once (MAX_CONNECTIONS): 3 more push the oldest out, a warning", async () => {
    const records = Array.from({ length: 4096 + 3 }, (_, i) => at(syn(i), i));
    const r = await report(records);
    // pushed out is not dropped: all are reported, each a session of its own
    expect(r.sessions).toHaveLength(4099);
    expect(onlyCaptureLimit(r)).toEqual(
      limitFinding(
        "warning",
        `${CAPTURE_PLACE}: 3 control connection(s) were closed early because more than 4096 were open at once ` +
          "(a later packet of one starts a session of its own, so each part has a verdict on half the evidence).",
      ),
    );
  });

  it("10,000 control connections reported (MAX_SESSIONS_REPORTED): 5 more are counted, an info", async () => {
    // each refused at once, 100 a second: closed connections are put away after 10 s, so none is pushed out
    const records: SynthRecord[] = [];
    for (let i = 0; i < 10_000 + 5; i++) {
      const client = `10.1.${i >> 8}.${i & 0xff}`;
      records.push(at(syn(i), i * 10));
      records.push(at(ipv4({ src: SERVER, dst: client, payload: tcp({ srcPort: 1723, dstPort: 40000, ack: i + 1, flags: TcpFlag.RST | TcpFlag.ACK }) }), i * 10 + 1));
    }
    const r = await report(records);
    expect(r.sessions).toHaveLength(10_000);
    expect(r.sessions[9999].client).toBe("10.1.39.15"); // connection 9999 = 39 * 256 + 15
    expect(onlyCaptureLimit(r)).toEqual(limitFinding("info", `${CAPTURE_PLACE}: 5 control connection(s) beyond the first 10000 are not reported.`));
  });

  it("1024 GRE flows no control connection explains (MAX_ORPHAN_FLOWS): the packets of 6 more are counted", async () => {
    const records = Array.from({ length: 1024 + 6 }, (_, callId) =>
      at(ipv4({ src: "10.0.0.1", dst: "10.0.0.2", payload: enhancedGre({ callId, sequence: 1, payload: dataFrame() }) }), callId),
    );
    const r = await report(records, RAW, [limitReached, unknownCallId]);
    expect(r.findings.filter((f) => f.code === "unknown-call-id")).toHaveLength(1024);
    expect(limits(r)).toEqual([limitFinding("info", `${CAPTURE_PLACE}: 6 GRE packet(s) of call IDs beyond the first 1024 unexplained flows were not followed.`)]);
  });

  it("256 PPP links (MAX_LINKS): the frames of 4 more PPPoE sessions are counted", async () => {
    const lcpRequest = ppp({ protocol: PppProtocol.LCP, payload: configurePacket(Code.ConfigureRequest, 1, [lcpOption.magicNumber(1)]), addressControl: false });
    const records = Array.from({ length: 256 + 4 }, (_, i) => at(ethernet({ etherType: 0x8864, payload: pppoeSession({ sessionId: i + 1, payload: lcpRequest }) }), i));
    const r = await report(records, LinkType.ETHERNET);
    expect(r.links).toHaveLength(256);
    expect(onlyCaptureLimit(r)).toEqual(limitFinding("info", `${CAPTURE_PLACE}: 4 frame(s) of PPP links beyond the first 256 were not followed.`));
  });

  it("8 PPP protocols listed per unexplained GRE flow (MAX_PROTOCOLS_PER_ORPHAN_FLOW): packets of a 9th are counted, an info", async () => {
    const protocols = [
      PppProtocol.LCP,
      PppProtocol.PAP,
      PppProtocol.CHAP,
      PppProtocol.IPCP,
      PppProtocol.CCP,
      PppProtocol.IPV6CP,
      PppProtocol.IPv4,
      PppProtocol.IPv6,
    ];
    /** One GRE packet of the flow with call ID 5 carrying a PPP frame of `protocol`. */
    const gre = (protocol: number, i: number): SynthRecord =>
      at(ipv4({ src: "10.0.0.1", dst: "10.0.0.2", payload: enhancedGre({ callId: 5, sequence: i, payload: ppp({ protocol, payload: Buffer.alloc(4) }) }) }), i);
    // at the limit: 8 protocols, the first repeated
    const eight = [...protocols, PppProtocol.LCP].map(gre);
    const { model } = await folder.track(eight, RAW);
    expect(model.orphans.map((o) => o.pppProtocols)).toEqual([protocols]);
    expect(limits(await report(eight))).toEqual([]);
    // past it: a 9th protocol (compressed data) in 2 packets, then a listed one again
    const nine = [...protocols, PppProtocol.Compressed, PppProtocol.Compressed, PppProtocol.IPv4].map(gre);
    expect((await folder.track(nine, RAW)).model.orphans.map((o) => o.pppProtocols)).toEqual([protocols]);
    expect(onlyCaptureLimit(await report(nine))).toEqual(
      limitFinding("info", `${CAPTURE_PLACE}: 2 GRE packet(s) of unexplained flows carried PPP protocols beyond the first 8 per flow, which are not listed.`),
    );
  });

  it(`a PPP control frame more than CLOSE_GRACE_SECONDS (10 s) after its connection closed is counted, an info`, async () => {
    const records: SynthRecord[] = [];
    const conv = rawConversation(records);
    healthySession(conv, CLIENT_CALL_ID, SERVER_CALL_ID, sessionParameters({ dataFrames: 2 }));
    // another connection's SYN 11 s later moves the clock on, then a late LCP Echo-Request of the closed call
    conv.wait(11);
    rawConversation(records, { client: "192.0.2.99", startSec: START_SEC + 11 }).syn();
    conv.ppp("client", PppProtocol.LCP, echoPacket(Code.EchoRequest, 9, 0x22222222));
    const r = await report(records);
    expect(r.sessions[0].ppp.lcp.state).toBe("closed");
    expect(onlyCaptureLimit(r)).toEqual(
      limitFinding("info", `${CAPTURE_PLACE}: 1 PPP control frame(s) came more than 10 s after their control connection closed and were counted, not analyzed.`),
    );
  });
});

describe("IP fragment reassembly", () => {
  /** The first fragment (offset 0, more fragments) of datagram `id`, with `bytes` of GRE payload. */
  const firstFragment = (id: number, bytes: number): Buffer =>
    ipv4({ src: "10.0.0.1", dst: "10.0.0.2", id, moreFragments: true, payload: ipPayload(GRE, Buffer.alloc(bytes, 0x11)) });

  it("1024 datagrams in reassembly (MAX_DATAGRAMS_IN_PROGRESS): one more drops the oldest, a warning", async () => {
    const r = await report(Array.from({ length: 1024 + 1 }, (_, id) => at(firstFragment(id, 16), id)));
    expect(onlyCaptureLimit(r)).toEqual(
      limitFinding("warning", `${CAPTURE_PLACE}: 1 fragmented IP datagram(s) were dropped unassembled because more than 1024 were in reassembly at once.`),
    );
  });

  it("16 MiB of fragments held (MAX_HELD_BYTES): the oldest datagrams go, a warning", async () => {
    // each holds its 20-byte header and 65000 payload bytes: 258 fit in 16 MiB (258 * 65020 = 16775160), 260 are sent
    const r = await report(Array.from({ length: 260 }, (_, id) => at(firstFragment(id, 65000), id)));
    expect(onlyCaptureLimit(r)).toEqual(
      limitFinding("warning", `${CAPTURE_PLACE}: 2 fragmented IP datagram(s) were dropped unassembled to keep the fragments held within 16 MiB.`),
    );
  });

  it("256 fragments of one datagram (MAX_FRAGMENTS_PER_DATAGRAM): the 257th drops it, a warning", async () => {
    const records = Array.from({ length: 256 + 1 }, (_, i) =>
      at(ipv4({ src: "10.0.0.1", dst: "10.0.0.2", id: 7, fragmentOffset: i + 1, moreFragments: true, payload: ipPayload(GRE, Buffer.alloc(8)) }), i),
    );
    const r = await report(records);
    expect(onlyCaptureLimit(r)).toEqual(limitFinding("warning", `${CAPTURE_PLACE}: 1 IP datagram(s) of more than 256 fragments were dropped unassembled.`));
  });

  it("a datagram still incomplete 30 s after its first fragment (FRAGMENT_TIMEOUT_SECONDS) is dropped, an info", async () => {
    const inTime = await report([at(firstFragment(1, 16), 0), at(firstFragment(2, 16), 30_000)]);
    expect(limits(inTime)).toEqual([]);
    const late = await report([at(firstFragment(1, 16), 0), at(firstFragment(2, 16), 31_000)]);
    expect(onlyCaptureLimit(late)).toEqual(
      limitFinding("info", `${CAPTURE_PLACE}: 1 fragmented IP datagram(s) were still incomplete 30 s after their first fragment and were dropped, as a receiver drops them.`),
    );
  });
});

describe("tunnels nested deep", () => {
  /** A PPTP conversation whose datagrams `carrier` carries as IPv4 in its call's PPP: a tunnel inside its tunnel. */
  function tunnelIn(carrier: PptpConversation, client: string, server: string): PptpConversation {
    return new PptpConversation(
      { client, server, clientPort: 50000, clientCallId: 7, serverCallId: 9, framing: "raw", startSec: START_SEC },
      (record, from) => carrier.ppp(from, PppProtocol.IPv4, record.data, false),
    );
  }

  /** A call, a call inside it and one inside that (depths 0, 1, 2): the deepest followed (MAX_NESTED_DEPTH). */
  function threeCalls(records: SynthRecord[]): PptpConversation {
    const outer = rawConversation(records);
    establishCall(outer, CLIENT_CALL_ID, SERVER_CALL_ID);
    const middle = tunnelIn(outer, "10.8.0.2", "172.16.0.1");
    establishCall(middle, 7, 9);
    const inner = tunnelIn(middle, "10.9.0.2", "172.17.0.1");
    establishCall(inner, 7, 9);
    return inner;
  }

  it("PPTP tunnelled 2 levels deep (MAX_NESTED_DEPTH) is followed; other IP a level deeper is not counted", async () => {
    const records: SynthRecord[] = [];
    const inner = threeCalls(records);
    // an ICMP Echo Request inside the deepest call: data, not PPTP
    const ping = ipv4({ src: "10.10.0.2", dst: "10.10.0.1", payload: ipPayload(1, Buffer.from([8, 0, 0, 0, 0, 1, 0, 1])) });
    inner.ppp("client", PppProtocol.IPv4, ping, false);
    const r = await report(records);
    expect(r.sessions.map((s) => [s.client, s.dialed, s.clientCallId])).toEqual([
      [CLIENT, SERVER, CLIENT_CALL_ID],
      ["10.8.0.2", "172.16.0.1", 7],
      ["10.9.0.2", "172.17.0.1", 7],
    ]);
    expect(limits(r)).toEqual([]);
  });

  it("PPTP tunnelled 3 levels deep is counted, not followed, an info", async () => {
    const records: SynthRecord[] = [];
    const deepest = tunnelIn(threeCalls(records), "10.10.0.2", "172.18.0.1");
    deepest.connect(); // 3 control segments
    deepest.greFrame("client", dataFrame()); // 1 GRE packet
    const r = await report(records);
    expect(r.sessions).toHaveLength(3);
    expect(onlyCaptureLimit(r)).toEqual(
      limitFinding("info", `${CAPTURE_PLACE}: 4 PPTP control segment(s) or GRE packet(s) tunnelled in PPTP more than 2 levels deep were not followed.`),
    );
  });

  /** The client's SYN to the control port inside `wrappers` IPv4-in-IPv4 headers (IP protocol 4). */
  function synInIpInIp(wrappers: number): SynthRecord {
    let datagram = ipv4({ src: CLIENT, dst: SERVER, payload: tcp({ srcPort: CLIENT_PORT, dstPort: 1723, seq: 1000, flags: TcpFlag.SYN }) });
    for (let i = 0; i < wrappers; i++) datagram = ipv4({ src: "203.0.113.1", dst: "203.0.113.2", payload: ipPayload(4, datagram) });
    return at(datagram, 0);
  }

  it("IP in IP 4 levels deep (MAX_IP_TUNNEL_DEPTH) is decoded", async () => {
    const r = await report([synInIpInIp(4)]);
    expect(r.sessions.map((s) => [s.client, s.dialed])).toEqual([[CLIENT, SERVER]]);
    expect(limits(r)).toEqual([]);
  });

  it("IP in IP 5 levels deep is counted, not decoded, an info", async () => {
    const r = await report([synInIpInIp(5)]);
    expect(r.sessions).toEqual([]);
    expect(onlyCaptureLimit(r)).toEqual(
      limitFinding("info", `${CAPTURE_PLACE}: 1 frame(s) with IP nested in IP more than 4 levels deep were not decoded (PPTP inside them, if any, is not analyzed).`),
    );
  });

  /** The client's SYN to the control port in an Ethernet frame with `tags` 802.1Q tags. */
  const synWithVlanTags = (tags: number): SynthRecord =>
    at(
      ethernet({
        vlans: Array.from({ length: tags }, (_, i) => ({ vid: i + 1 })),
        payload: ipv4({ src: CLIENT, dst: SERVER, payload: tcp({ srcPort: CLIENT_PORT, dstPort: 1723, seq: 1000, flags: TcpFlag.SYN }) }),
      }),
      0,
    );

  it("8 VLAN tags (MAX_VLAN_TAGS) are walked; a frame with 9 is counted, not decoded, an info", async () => {
    const eight = await report([synWithVlanTags(8)], LinkType.ETHERNET);
    expect(eight.sessions.map((s) => [s.client, s.dialed])).toEqual([[CLIENT, SERVER]]);
    expect(limits(eight)).toEqual([]);
    const nine = await report([synWithVlanTags(9)], LinkType.ETHERNET);
    expect(nine.sessions).toEqual([]);
    expect(onlyCaptureLimit(nine)).toEqual(
      limitFinding("info", `${CAPTURE_PLACE}: 1 frame(s) with more than 8 VLAN tags were not decoded (PPTP inside them, if any, is not analyzed).`),
    );
  });

  /** The client's SYN to the control port in IPv6 behind `headers` Destination Options headers. */
  const synBehindExtensionHeaders = (headers: number): SynthRecord =>
    at(
      ipv6({
        src: "2001:db8::10",
        dst: "2001:db8::1",
        extensionHeaders: Array.from({ length: headers }, () => ({ type: "destination" }) as const),
        payload: tcp({ srcPort: CLIENT_PORT, dstPort: 1723, seq: 1000, flags: TcpFlag.SYN }),
      }),
      0,
    );

  it("8 IPv6 extension headers (MAX_IPV6_EXTENSION_HEADERS) are walked; a datagram with 9 is counted, not decoded, an info", async () => {
    const eight = await report([synBehindExtensionHeaders(8)]);
    expect(eight.sessions.map((s) => [s.client, s.dialed])).toEqual([["2001:db8::10", "2001:db8::1"]]);
    expect(limits(eight)).toEqual([]);
    const nine = await report([synBehindExtensionHeaders(9)]);
    expect(nine.sessions).toEqual([]);
    expect(onlyCaptureLimit(nine)).toEqual(
      limitFinding("info", `${CAPTURE_PLACE}: 1 IPv6 datagram(s) with more than 8 extension headers were not decoded (PPTP inside them, if any, is not analyzed).`),
    );
  });
});

describe("what one control connection keeps", () => {
  it("200 control messages (MAX_MESSAGES_PER_CONNECTION): 2 more are counted, an info", async () => {
    const records: SynthRecord[] = [];
    const conv = rawConversation(records);
    conv.connect();
    startControlConnection(conv);
    for (let identifier = 0; identifier < 100; identifier++) {
      conv.control("client", { type: Msg.EchoRequest, identifier });
      conv.control("server", { type: Msg.EchoReply, identifier });
    }
    const r = await report(records);
    const [session] = r.sessions;
    // 2 + 200 messages sent (frames 4-205): the first 200 kept, up to the 99th Echo-Reply in frame 203
    expect(session.control.messages).toHaveLength(200);
    expect(session.control.messages.at(-1)).toMatchObject({ frame: 203, from: "server", type: "Echo-Reply" });
    expect(onlySessionLimit(r, session)).toEqual(limitFinding("info", `${CONNECTION_PLACE}: 2 control message(s) beyond 200 per connection were counted, not kept.`));
  });

  it("200 undecodable control messages: 1 more is counted, an info", async () => {
    const records: SynthRecord[] = [];
    const conv = rawConversation(records);
    conv.connect();
    // 201 Echo-Requests with control type 99 (none), back to back in one segment after the handshake (client ISN 1000)
    const bad = Buffer.concat(
      Array.from({ length: 201 }, (_, identifier) => {
        const message = buildPptpMessage({ type: Msg.EchoRequest, identifier });
        message.writeUInt16BE(99, 8);
        return message;
      }),
    );
    records.push(at(ipv4({ src: CLIENT, dst: SERVER, payload: tcp({ srcPort: CLIENT_PORT, dstPort: 1723, seq: 1001, ack: 5001, flags: TcpFlag.PSH | TcpFlag.ACK, payload: bad }) }), 1000));
    const { model } = await folder.track(records, RAW);
    expect(model.connections[0].malformed).toHaveLength(200);
    expect(model.connections[0].malformed[0].reason).toBe("unknown control message type 99; 16 bytes skipped to the next message");
    const r = await report(records);
    expect(onlySessionLimit(r, r.sessions[0])).toEqual(
      limitFinding("info", `${CONNECTION_PLACE}: 1 undecodable control message(s) beyond 200 per connection were counted, not kept.`),
    );
  });

  it("64 calls on one connection (MAX_CALLS_PER_CONNECTION): 2 more are not followed, a warning in the first call's session only", async () => {
    const records: SynthRecord[] = [];
    const conv = rawConversation(records);
    conv.connect();
    startControlConnection(conv);
    for (let i = 1; i <= 64 + 2; i++) outgoingCall(conv, i, 1000 + i);
    const r = await report(records);
    expect(r.sessions).toHaveLength(64);
    expect(r.sessions.map((s) => s.clientCallId)).toEqual(Array.from({ length: 64 }, (_, i) => i + 1));
    // each of the 2 calls left out had a request and a reply
    expect(onlySessionLimit(r, r.sessions[0])).toEqual(
      limitFinding(
        "warning",
        `The call from ${CLIENT}:${CLIENT_PORT} to ${SERVER} (client call ID 1, server call ID 1001): ` +
          "4 call request(s) or reply(ies) beyond the first 64 calls per connection were not followed (the GRE of those calls is reported as unknown call IDs).",
      ),
    );
  });

  it("256 segments held out of order (MAX_HELD_SEGMENTS): the hole before them is given up early, a warning", async () => {
    const records: SynthRecord[] = [];
    const conv = rawConversation(records);
    conv.connect();
    // 20 Set-Link-Info (24 bytes each): byte 0 is late, bytes 1-257 come one a segment, then the rest, then byte 0
    const messages = Array.from({ length: 20 }, (_, i) => ({ type: Msg.SetLinkInfo, peerCallId: i + 1 }) as const);
    const ranges: Array<[number, number]> = Array.from({ length: 257 }, (_, i) => [i + 1, i + 2]);
    conv.controlSegments("client", messages, [...ranges, [258, 480], [0, 1]]);
    const { model } = await folder.track(records, RAW);
    // the first message lost its first byte for good; the other 19 are there
    expect(model.connections[0].messages.map((m) => m.type)).toEqual(Array(19).fill(Msg.SetLinkInfo));
    expect(model.connections[0].gapBytes).toBe(1);
    const r = await report(records);
    expect(onlySessionLimit(r, r.sessions[0])).toEqual(
      limitFinding(
        "warning",
        `${CONNECTION_PLACE}: 1 hole(s) in the control stream were given up before they could fill, ` +
          "because a direction held more than 256 KiB or 256 segments out of order (messages in them are missing).",
      ),
    );
  });

  it("64 SYNs (MAX_TCP_EVENTS of a kind): 1 more retransmission is counted, an info", async () => {
    const records: SynthRecord[] = [];
    const conv = rawConversation(records);
    for (let i = 0; i < 64 + 1; i++) conv.syn();
    const { model } = await folder.track(records, RAW);
    expect(model.connections).toHaveLength(1);
    expect(model.connections[0].syns).toHaveLength(64);
    const r = await report(records);
    expect(onlySessionLimit(r, r.sessions[0])).toEqual(
      limitFinding("info", `${CONNECTION_PLACE}: 1 SYN, SYN-ACK, FIN or RST segment(s) beyond 64 of each kind were counted, not kept.`),
    );
  });

  it("8 answering addresses (MAX_ANSWERING_ADDRESSES): answers from a 9th are counted, an info", async () => {
    const records: SynthRecord[] = [];
    rawConversation(records).syn();
    for (let i = 1; i <= 9; i++) {
      const answer = tcp({ srcPort: 1723, dstPort: CLIENT_PORT, seq: 5001, ack: 1001, flags: TcpFlag.ACK });
      records.push(at(ipv4({ src: `203.0.113.${i}`, dst: CLIENT, payload: answer }), i));
    }
    const r = await report(records);
    const [session] = r.sessions;
    expect(session.serverAddresses).toEqual(Array.from({ length: 8 }, (_, i) => `203.0.113.${i + 1}`));
    expect(onlySessionLimit(r, session)).toEqual(limitFinding("info", `${CONNECTION_PLACE}: 1 answer(s) came from addresses beyond the first 8, which are not listed.`));
  });

  it("16 outstanding PPTP Echo-Requests (MAX_PENDING_ECHOES): a 17th counts the oldest as unanswered, an info", async () => {
    const records: SynthRecord[] = [];
    const conv = rawConversation(records);
    conv.connect();
    startControlConnection(conv);
    for (let identifier = 1; identifier <= 16 + 1; identifier++) conv.control("client", { type: Msg.EchoRequest, identifier });
    const { model } = await folder.track(records, RAW);
    expect(model.connections[0]).toMatchObject({ unansweredEchoes: 17, pendingEchoes: [] });
    expect(model.connections[0].unansweredEchoFrames).toHaveLength(16);
    const r = await report(records);
    expect(onlySessionLimit(r, r.sessions[0])).toEqual(
      limitFinding("info", `${CONNECTION_PLACE}: 1 PPTP Echo-Request(s) were counted as unanswered when more than 16 were outstanding.`),
    );
  });
});

describe("what one call keeps", () => {
  it("64 clients' calls with one call ID (MAX_CALLS_PER_CALL_ID): a 65th pushes the first out, whose GRE is then unexplained: a warning", async () => {
    const records: SynthRecord[] = [];
    for (let i = 0; i < 64 + 1; i++) {
      const conv = rawConversation(records, { client: `10.2.0.${i + 1}`, startSec: START_SEC + i });
      conv.connect();
      startControlConnection(conv);
      outgoingCall(conv, 7, 100 + i);
    }
    // the server's GRE to the first client and to the last, with the client call ID 7
    for (const client of ["10.2.0.1", "10.2.0.65"]) {
      records.push(at(ipv4({ src: SERVER, dst: client, payload: enhancedGre({ callId: 7, sequence: 1, payload: dataFrame() }) }), 100_000));
    }
    const r = await report(records, RAW, [limitReached, unknownCallId]);
    const first = r.sessions[0];
    const last = r.sessions[64];
    expect(first.client).toBe("10.2.0.1");
    expect(first.gre.toClient.packets).toBe(0);
    expect(last.gre.toClient.packets).toBe(1);
    expect(r.findings.map((f) => f.code)).toEqual(["unknown-call-id"]);
    expect(r.findings[0].message).toContain("10.2.0.1");
    expect(limits(r)).toEqual([
      limitFinding(
        "warning",
        `The call from 10.2.0.1:${CLIENT_PORT} to ${SERVER} (client call ID 7, server call ID 100): more than 64 calls used its call ID at once, ` +
          "so the call was pushed out of the call index 1 time(s) (some of its GRE may be reported as unknown call IDs).",
      ),
    ]);
    expect(first.findings).toEqual(limits(r));
  });

  it("64 Set-Link-Info per call (MAX_TCP_EVENTS): 1 more is counted, an info", async () => {
    const records: SynthRecord[] = [];
    const conv = rawConversation(records);
    establishCall(conv, CLIENT_CALL_ID, SERVER_CALL_ID); // one Set-Link-Info
    for (let i = 0; i < 64; i++) conv.control("client", { type: Msg.SetLinkInfo, peerCallId: SERVER_CALL_ID, sendAccm: i, receiveAccm: i });
    const { model } = await folder.track(records, RAW);
    expect(model.connections[0].calls[0].setLinkInfo).toHaveLength(64);
    const r = await report(records);
    expect(onlySessionLimit(r, r.sessions[0])).toEqual(limitFinding("info", `${CALL_PLACE}: 1 Set-Link-Info message(s) beyond 64 per call were counted, not kept.`));
  });

  it("8 GRE source addresses per direction (MAX_SOURCES_PER_FLOW): packets from a 9th are counted, an info", async () => {
    const records: SynthRecord[] = [];
    establishCall(rawConversation(records), CLIENT_CALL_ID, SERVER_CALL_ID);
    const sources = [SERVER, ...Array.from({ length: 8 }, (_, i) => `203.0.113.${i + 1}`)];
    sources.forEach((src, i) => {
      records.push(at(ipv4({ src, dst: CLIENT, payload: enhancedGre({ callId: CLIENT_CALL_ID, sequence: i, payload: dataFrame() }) }), 1000 + i));
    });
    const r = await report(records);
    const [session] = r.sessions;
    expect(session.gre.toClient).toEqual({ packets: 9, bytes: 9 * 4, from: sources.slice(0, 8) });
    expect(onlySessionLimit(r, session)).toEqual(limitFinding("info", `${CALL_PLACE}: 1 GRE packet(s) from addresses beyond the first 8 per direction were counted, not named.`));
  });
});

describe("what one PPP negotiation keeps", () => {
  /** A call whose client sends 17 LCP Configure-Requests, identifiers 1-17 (each a new magic number); `answer`: the server Acks identifier 1. */
  function seventeenRequests(answer: boolean): SynthRecord[] {
    const records: SynthRecord[] = [];
    const conv = rawConversation(records);
    establishCall(conv, CLIENT_CALL_ID, SERVER_CALL_ID);
    for (let id = 1; id <= 16 + 1; id++) conv.ppp("client", PppProtocol.LCP, configurePacket(Code.ConfigureRequest, id, [lcpOption.magicNumber(id)]));
    if (answer) conv.ppp("server", PppProtocol.LCP, configurePacket(Code.ConfigureAck, 1, [lcpOption.magicNumber(1)]));
    return records;
  }

  it("16 Configure-Request identifiers per protocol and side (MAX_EXCHANGES_REMEMBERED): a 17th forgets the first, an info", async () => {
    const r = await report(seventeenRequests(false));
    expect(onlySessionLimit(r, r.sessions[0])).toEqual(
      limitFinding("info", `${CALL_PLACE}: 1 PPP Configure-Request identifier(s) beyond the last 16 per protocol and side were forgotten.`),
    );
  });

  it("an answer to the forgotten identifier counts as unmatched, a warning", async () => {
    const records = seventeenRequests(true);
    const { model } = await folder.track(records, RAW);
    const lcp = model.connections[0].calls[0].pppSummary().lcp;
    expect(lcp.directions.client).toMatchObject({ requests: 17, unmatchedAnswers: 1, lastAnswer: "none", acked: null });
    expect(lcp.state).not.toBe("opened");
    const r = await report(records);
    expect(onlySessionLimit(r, r.sessions[0])).toEqual(
      limitFinding(
        "warning",
        `${CALL_PLACE}: 1 PPP Configure-Request identifier(s) beyond the last 16 per protocol and side were forgotten; ` +
          "1 PPP Configure-Ack/Nak/Reject(s) answered a forgotten identifier and were counted as unmatched.",
      ),
    );
  });

  it("32 options per packet (MAX_OPTIONS): 8 more are counted, not decoded, a warning", async () => {
    const records: SynthRecord[] = [];
    const conv = rawConversation(records);
    establishCall(conv, CLIENT_CALL_ID, SERVER_CALL_ID);
    const options = Array.from({ length: 32 + 8 }, (_, i) => lcpOption.magicNumber(i + 1));
    conv.ppp("client", PppProtocol.LCP, configurePacket(Code.ConfigureRequest, 1, options));
    const { model } = await folder.track(records, RAW);
    const ppp = model.connections[0].calls[0].pppSummary();
    // the last magic number decoded is the 32nd's
    expect(ppp.lcp.magic.client).toBe(32);
    expect(ppp.malformed.packets.map((p) => p.reason)).toEqual(["more than 32 options"]);
    const r = await report(records);
    expect(onlySessionLimit(r, r.sessions[0])).toEqual(
      limitFinding("warning", `${CALL_PLACE}: 8 PPP configuration option(s) beyond 32 per packet, in 1 packet(s), were not decoded.`),
    );
  });

  it("64 control connections carried by a PPP link (MAX_CONNECTIONS_PER_LINK): a 65th is not listed, a warning that names the link", async () => {
    /** The SYN of client 10.3.0.(i+1) to the control port, as IPv4 on a PPP link (LINKTYPE_PPP). */
    const synOverLink = (i: number): SynthRecord =>
      at(ppp({ protocol: PppProtocol.IPv4, payload: ipv4({ src: `10.3.0.${i + 1}`, dst: SERVER, payload: tcp({ srcPort: 40000, dstPort: 1723, seq: 1, flags: TcpFlag.SYN }) }) }), i);
    const atLimit = Array.from({ length: 64 }, (_, i) => synOverLink(i));
    const { model } = await folder.track(atLimit, LinkType.PPP);
    expect(model.links.map((l) => l.connections)).toEqual([Array.from({ length: 64 }, (_, i) => i)]);
    expect(limits(await report(atLimit, LinkType.PPP))).toEqual([]);
    // a 65th connection, its SYN sent twice: one connection left out
    const past = [...atLimit, synOverLink(64), { ...synOverLink(64), tsNsec: 100e6 }];
    const r = await report(past, LinkType.PPP);
    expect(r.sessions).toHaveLength(65);
    expect(onlyCaptureLimit(r)).toEqual(
      limitFinding(
        "warning",
        "The PPP link (frames 1-66): 1 PPTP control connection(s) beyond the first 64 it carried were not listed " +
          "(their sessions are not checked against the addresses IPCP gave on the link).",
      ),
    );
  });

  it("on a PPP link seen directly: a capture-level finding that names the link", async () => {
    const frame = (direction: number, code: number, id: number): SynthRecord =>
      at(pppWithDirection(direction, ppp({ protocol: PppProtocol.LCP, payload: configurePacket(code, id, [lcpOption.magicNumber(id)]) })), id);
    const records = Array.from({ length: 16 + 1 }, (_, i) => frame(PppDirection.Sent, Code.ConfigureRequest, i + 1));
    records.push({ ...frame(PppDirection.Received, Code.ConfigureAck, 1), tsSec: START_SEC + 1 });
    const r = await report(records, LinkType.PPP_WITH_DIR);
    expect(onlyCaptureLimit(r)).toEqual(
      limitFinding(
        "warning",
        "The PPP link (frames 1-18): 1 PPP Configure-Request identifier(s) beyond the last 16 per protocol and side were forgotten; " +
          "1 PPP Configure-Ack/Nak/Reject(s) answered a forgotten identifier and were counted as unmatched.",
      ),
    );
  });
});
