/**
 * Scenarios where the peer cannot be reached, or answers from the wrong place: the
 * failures behind "Remote PPP peer is not responding" (KB Q169831) and their look-alikes,
 * each scripted as a client-side capture with fixed times. The frame numbers the tests
 * cite follow from the scripts; each function's comment lists them.
 *
 * Addresses: the client 192.0.2.10 dials 198.51.100.1; a second interface of the same
 * server is 203.0.113.5 (documentation ranges, RFC 5737). The router-to-router case uses
 * the KB's own addresses.
 */
import { ControlCode as Code } from "../decode/ppp/control-packet.js";
import { PptpMessageType as Msg } from "../decode/pptp.js";
import { ChapAlgorithm, PppProtocol } from "../decode/ppp/protocols.js";
import { LinkType } from "../decode/linktypes.js";
import { LINK_TYPE_OF_FRAMING, PptpConversation, type ConversationOptions, type Side } from "./conversation.js";
import type { Fixture, FixtureExpectation } from "./fixtures.js";
import { type SynthRecord, writePcap } from "./pcap-writer.js";
import { configurePacket, ipcpOption, lcpOption } from "./ppp-control.js";
import { PppDirection, ppp, pppWithDirection } from "./ppp.js";
import { SeededRandom } from "./random.js";
import { establishCall, healthySession } from "./sessions.js";

/** 2024-03-01T09:00:00Z, the start of every scenario. */
const START_SEC = 1709283600;
/** RFC 1661 §4.6: Restart timer (3 s) and Max-Configure (10), the defaults a Windows client keeps. */
const RESTART_SECONDS = 3;
const MAX_CONFIGURE = 10;

export const REACHABILITY_ADDRESSES = {
  client: "192.0.2.10",
  /** The address the client dials. */
  dialed: "198.51.100.1",
  /** Another interface of the same server: where its best route back to the client leaves. */
  otherInterface: "203.0.113.5",
} as const;

const CLIENT_PORT = 49200;
const CLIENT_CALL_ID = 0x2a10;
const SERVER_CALL_ID = 0x4001;
const ROUTER_CLIENT_CALL_ID = 0x0040;
const ROUTER_SERVER_CALL_ID = 0x0080;
const CLIENT_MAGIC = 0x1a2b3c4d;
const SERVER_MAGIC = 0x5e6f7a8b;

/** The client's LCP options (a Windows client's); its retransmissions keep them under a new identifier. */
const CLIENT_LCP_OPTIONS = [
  lcpOption.mru(1400),
  lcpOption.magicNumber(CLIENT_MAGIC),
  lcpOption.protocolFieldCompression(),
  lcpOption.addressControlFieldCompression(),
];

function clientLcpRequest(identifier: number): Uint8Array {
  return configurePacket(Code.ConfigureRequest, identifier, CLIENT_LCP_OPTIONS);
}

const SERVER_LCP_OPTIONS = [
  lcpOption.accm(0),
  lcpOption.authChap(ChapAlgorithm.MsChapV2),
  lcpOption.magicNumber(SERVER_MAGIC),
  lcpOption.protocolFieldCompression(),
  lcpOption.addressControlFieldCompression(),
];

/**
 * The client gives up after Max-Configure unanswered LCP requests: Call-Clear-Request,
 * the server's Call-Disconnect-Notify (result 4: request, RFC 2637 §2.13), Stop-Control-
 * Connection-Request/Reply and the TCP close: 7 frames.
 */
function clientGivesUp(conv: PptpConversation, clientCallId: number, serverCallId: number): void {
  conv.control("client", { type: Msg.CallClearRequest, callId: clientCallId });
  conv.control("server", { type: Msg.CallDisconnectNotify, callId: serverCallId, resultCode: 4 });
  conv.control("client", { type: Msg.StopControlConnectionRequest, reason: 1 });
  conv.control("server", { type: Msg.StopControlConnectionReply, resultCode: 1 });
  conv.close("client");
}

/**
 * Ten rounds of LCP as the client sees them when the server's answers do not count: the
 * client's Configure-Request, then the server's own request and its Ack of the client's
 * (both from wherever `conversation` sends server GRE). 3 frames a round, 3 s apart.
 */
function lcpRoundsAnsweredByServer(conv: PptpConversation): void {
  for (let round = 1; round <= MAX_CONFIGURE; round++) {
    conv.ppp("client", PppProtocol.LCP, clientLcpRequest(round));
    conv.ppp("server", PppProtocol.LCP, configurePacket(Code.ConfigureRequest, round, SERVER_LCP_OPTIONS));
    // RFC 1661 §5.2: the Ack repeats the options it accepts
    conv.ppp("server", PppProtocol.LCP, configurePacket(Code.ConfigureAck, round, CLIENT_LCP_OPTIONS));
    conv.wait(RESTART_SECONDS);
  }
}

function conversation(records: SynthRecord[], options: Partial<ConversationOptions> = {}): PptpConversation {
  return new PptpConversation(
    {
      client: REACHABILITY_ADDRESSES.client,
      server: REACHABILITY_ADDRESSES.dialed,
      clientPort: CLIENT_PORT,
      clientCallId: CLIENT_CALL_ID,
      serverCallId: SERVER_CALL_ID,
      startSec: START_SEC,
      ...options,
    },
    (record) => records.push(record),
  );
}

/**
 * KB Q169831 as it usually shows: the TCP connection to the dialed address works, but the
 * server's GRE leaves by the interface with the best route back (`greFrom`).
 * Frames: 1-3 handshake, 4 SCCRQ, 5 SCCRP, 6 OCRQ, 7 OCRP, 8 Set-Link-Info; rounds of
 * LCP at 9+3r (client request), 10+3r and 11+3r (server request and Ack, from `greFrom`)
 * for r = 0..9, so GRE from `greFrom` in frames 10-38 (20 packets); 39-45 the client
 * gives up (39 Call-Clear-Request).
 */
export function wrongInterfaceRecords(greFrom: string = REACHABILITY_ADDRESSES.otherInterface): SynthRecord[] {
  const records: SynthRecord[] = [];
  const conv = conversation(records, { serverGreAddress: greFrom });
  establishCall(conv, CLIENT_CALL_ID, SERVER_CALL_ID);
  lcpRoundsAnsweredByServer(conv);
  clientGivesUp(conv, CLIENT_CALL_ID, SERVER_CALL_ID);
  return records;
}

/**
 * KB Q169831 already on TCP: the SYN-ACK to the client's port comes from another
 * interface, the client's stack drops it (a host firewall: no RST) and retransmits the
 * SYN after 3 s and 6 s more. Frames: 1, 3, 5 SYN to the dialed address; 2, 4, 6
 * SYN-ACK from `replyFrom`, each acknowledging the client's SYN.
 */
export function wrongInterfaceSynAckRecords(replyFrom: string = REACHABILITY_ADDRESSES.otherInterface): SynthRecord[] {
  const records: SynthRecord[] = [];
  const conv = conversation(records, { serverReplyAddress: replyFrom, serverIsn: 0x6b2d0000 });
  for (const backoff of [RESTART_SECONDS, 2 * RESTART_SECONDS]) {
    conv.syn();
    conv.synAck();
    conv.wait(backoff);
  }
  conv.syn();
  conv.synAck();
  return records;
}

/**
 * The call is connected but no GRE comes back at all (a firewall or NAT on the way drops
 * IP protocol 47): frames 1-8 as in wrongInterfaceRecords, 9-18 the client's ten LCP
 * Configure-Requests 3 s apart, 19-25 the client gives up (19 Call-Clear-Request).
 */
export function greBlockedRecords(): SynthRecord[] {
  const records: SynthRecord[] = [];
  const conv = conversation(records);
  establishCall(conv, CLIENT_CALL_ID, SERVER_CALL_ID);
  for (let round = 1; round <= MAX_CONFIGURE; round++) {
    conv.ppp("client", PppProtocol.LCP, clientLcpRequest(round));
    conv.wait(RESTART_SECONDS);
  }
  clientGivesUp(conv, CLIENT_CALL_ID, SERVER_CALL_ID);
  return records;
}

/**
 * GRE comes back from the dialed address, but only as acknowledgments of the client's
 * GRE: the server's PPTP layer receives the client's frames, its PPP never answers.
 * Frames 1-8 as above; 9+2r the client's LCP request, 10+2r the server's ack-only GRE
 * (acknowledging sequence r) for r = 0..9; 29-35 the client gives up.
 */
export function lcpUnansweredRecords(): SynthRecord[] {
  const records: SynthRecord[] = [];
  const conv = conversation(records);
  establishCall(conv, CLIENT_CALL_ID, SERVER_CALL_ID);
  for (let round = 1; round <= MAX_CONFIGURE; round++) {
    conv.ppp("client", PppProtocol.LCP, clientLcpRequest(round));
    conv.greFrame("server", undefined);
    conv.wait(RESTART_SECONDS);
  }
  clientGivesUp(conv, CLIENT_CALL_ID, SERVER_CALL_ID);
  return records;
}

/**
 * Nothing answers the SYNs: frames 1, 2, 3 are the SYN and its retransmissions after 3 s
 * and 6 s more (Windows' back-off); the capture ends with frame 3.
 */
export function synUnansweredRecords(): SynthRecord[] {
  const records: SynthRecord[] = [];
  const conv = conversation(records);
  conv.syn();
  conv.wait(RESTART_SECONDS);
  conv.syn();
  conv.wait(2 * RESTART_SECONDS);
  conv.syn();
  return records;
}

/**
 * Nothing listens on the control port: each SYN is answered by RST+ACK from the dialed
 * address (RFC 9293 §3.10.7.1), and the client tries three times, 0.5 s apart. Frames
 * 1, 3, 5 SYN; 2, 4, 6 RST.
 */
export function controlResetRecords(): SynthRecord[] {
  const records: SynthRecord[] = [];
  const conv = conversation(records, { serverIsn: 0 });
  for (let attempt = 0; attempt < 3; attempt++) {
    conv.syn();
    conv.reset("server");
    conv.wait(0.5);
  }
  return records;
}

// ---------------------------------------------------------------------------------------
// KB Q169831, router to router over a demand-dial PPP link

/** The KB's example: each router's RAS pool and the addresses IPCP hands out from it. */
export const KB_ROUTERS = {
  /** Router 1's pool 192.168.0.0/24: it keeps .1 and assigns Router 2 .2 on the link. */
  router1Internal: "192.168.0.1",
  router1AssignsRouter2: "192.168.0.2",
  /** Router 2's pool 172.16.0.0/24: it keeps .1 and assigns Router 1 .2 on the link. */
  router2Internal: "172.16.0.1",
  router2AssignsRouter1: "172.16.0.2",
} as const;

export interface RouterToRouterOptions {
  /** The address Router 1 opens PPTP to; the KB's mistake is Router 2's internal address. */
  dial?: string;
  /** The address Router 2's GRE comes from; by the KB, its link address (best route back). */
  greFrom?: string;
  /** What Router 2 asks for in its first IPCP request: 0.0.0.0 (assign me one) or its own address. */
  router2AsksFor?: string;
  /** PPP_WITH_DIR (default: the capture says which frames Router 1 sent) or PPP (no direction). */
  linkType?: typeof LinkType.PPP_WITH_DIR | typeof LinkType.PPP;
  /** Run a whole working session instead of the failing LCP. */
  healthy?: boolean;
}

/** Router 2's IPCP identifiers differ from Router 1's, as two implementations' counters do. */
const ROUTER2_IPCP_FIRST_ID = 7;

/**
 * A capture of Router 1's PPP link, the KB's example (with PPP_WITH_DIR, sent = Router 1).
 * Frames 1-4 LCP on the link; 5-12 IPCP: Router 1 asks for 0.0.0.0 (5), Router 2 for
 * `router2AsksFor` (6), Router 2 Naks Router 1 with 172.16.0.2 from its pool (7), Router 1
 * Naks Router 2 with 192.168.0.2 from its own (8), each asks again and is Acked (9-12).
 * Then Router 1 (172.16.0.2) opens PPTP to `dial` over the link: 13-15 handshake, 16-20
 * control up to Set-Link-Info, LCP rounds at 21+3r (Router 1's request) and 22+3r, 23+3r
 * (Router 2's request and Ack, from `greFrom`) for r = 0..9; 51-57 Router 1 gives up.
 */
export function routerToRouterRecords(options: RouterToRouterOptions = {}): SynthRecord[] {
  const dial = options.dial ?? KB_ROUTERS.router2Internal;
  const greFrom = options.greFrom ?? KB_ROUTERS.router1AssignsRouter2;
  const withDirection = (options.linkType ?? LinkType.PPP_WITH_DIR) === LinkType.PPP_WITH_DIR;
  const records: SynthRecord[] = [];
  const linkFrame = (from: Side, frame: Uint8Array): Uint8Array =>
    withDirection ? pppWithDirection(from === "client" ? PppDirection.Sent : PppDirection.Received, frame) : frame;
  let linkNanos = 0;
  const onLink = (from: Side, protocol: number, information: Uint8Array): void => {
    records.push({ tsSec: START_SEC, tsNsec: linkNanos, data: linkFrame(from, ppp({ protocol, payload: information })) });
    linkNanos += 1_000_000;
  };
  const r1: Side = "client";
  const r2: Side = "server";
  const r1Lcp = [lcpOption.mru(1500), lcpOption.magicNumber(0x11111111)];
  const r2Lcp = [lcpOption.mru(1500), lcpOption.magicNumber(0x22222222)];
  onLink(r1, PppProtocol.LCP, configurePacket(Code.ConfigureRequest, 1, r1Lcp));
  onLink(r2, PppProtocol.LCP, configurePacket(Code.ConfigureRequest, 1, r2Lcp));
  onLink(r2, PppProtocol.LCP, configurePacket(Code.ConfigureAck, 1, r1Lcp));
  onLink(r1, PppProtocol.LCP, configurePacket(Code.ConfigureAck, 1, r2Lcp));
  const ipcp = (from: Side, code: number, identifier: number, address: string) =>
    onLink(from, PppProtocol.IPCP, configurePacket(code, identifier, [ipcpOption.ipAddress(address)]));
  const r2Id = ROUTER2_IPCP_FIRST_ID;
  ipcp(r1, Code.ConfigureRequest, 1, "0.0.0.0");
  ipcp(r2, Code.ConfigureRequest, r2Id, options.router2AsksFor ?? "0.0.0.0");
  ipcp(r2, Code.ConfigureNak, 1, KB_ROUTERS.router2AssignsRouter1);
  ipcp(r1, Code.ConfigureNak, r2Id, KB_ROUTERS.router1AssignsRouter2);
  ipcp(r1, Code.ConfigureRequest, 2, KB_ROUTERS.router2AssignsRouter1);
  ipcp(r2, Code.ConfigureAck, 2, KB_ROUTERS.router2AssignsRouter1);
  ipcp(r2, Code.ConfigureRequest, r2Id + 1, KB_ROUTERS.router1AssignsRouter2);
  ipcp(r1, Code.ConfigureAck, r2Id + 1, KB_ROUTERS.router1AssignsRouter2);

  // PPTP over the link: the conversation's bare datagrams, each in a PPP frame (RFC 1661 §2: protocol 0x0021)
  const conv = new PptpConversation(
    {
      client: KB_ROUTERS.router2AssignsRouter1,
      server: dial,
      serverGreAddress: greFrom,
      clientPort: 1030,
      clientCallId: ROUTER_CLIENT_CALL_ID,
      serverCallId: ROUTER_SERVER_CALL_ID,
      framing: "raw",
      startSec: START_SEC + 1,
    },
    (record, from) => records.push({ ...record, data: linkFrame(from, ppp({ protocol: PppProtocol.IPv4, payload: record.data })) }),
  );
  if (options.healthy) {
    healthySession(conv, ROUTER_CLIENT_CALL_ID, ROUTER_SERVER_CALL_ID, {
      userName: "router1",
      clientTunnelAddress: "172.16.0.3",
      serverTunnelAddress: "192.168.0.3",
      dataFrames: 4,
      minDataBytes: 60,
      maxDataBytes: 400,
      random: new SeededRandom(7),
    });
    return records;
  }
  establishCall(conv, ROUTER_CLIENT_CALL_ID, ROUTER_SERVER_CALL_ID);
  lcpRoundsAnsweredByServer(conv);
  clientGivesUp(conv, ROUTER_CLIENT_CALL_ID, ROUTER_SERVER_CALL_ID);
  return records;
}

const ethernetPcap = (records: SynthRecord[]): Buffer => writePcap(records, { linkType: LINK_TYPE_OF_FRAMING.ethernet });

const { client: CLIENT, dialed: DIALED, otherInterface: OTHER_INTERFACE } = REACHABILITY_ADDRESSES;

/** The one session of the scenarios with a call from CLIENT to DIALED. */
function callVerdict(findings: string[], recommended?: string): FixtureExpectation {
  const session = { client: CLIENT, dialed: DIALED, clientCallId: CLIENT_CALL_ID, serverCallId: SERVER_CALL_ID, outcome: "failed" as const, findings };
  return { sessions: [recommended === undefined ? session : { ...session, recommended }], findings: [] };
}

/** The one session of the scenarios whose control connection never opened. */
function connectionVerdict(findings: string[], recommended?: string): FixtureExpectation {
  const session = { client: CLIENT, dialed: DIALED, clientCallId: null, serverCallId: null, outcome: "failed" as const, findings };
  return { sessions: [recommended === undefined ? session : { ...session, recommended }], findings: [] };
}

export const REACHABILITY_FIXTURES: readonly Fixture[] = [
  {
    name: "kb-wrong-interface.pcap",
    description:
      "KB Q169831: the client dials 198.51.100.1, TCP is answered from there, but the server's GRE comes from its other interface 203.0.113.5; the client ignores it and gives up after ten LCP requests",
    bytes: () => ethernetPcap(wrongInterfaceRecords()),
    expected: callVerdict(["reply-from-other-address"], OTHER_INTERFACE),
  },
  {
    name: "kb-wrong-interface-synack.pcap",
    description: "KB Q169831 on TCP: the SYN-ACKs to the client's SYNs to 198.51.100.1 come from 203.0.113.5; the control connection never opens",
    bytes: () => ethernetPcap(wrongInterfaceSynAckRecords()),
    expected: connectionVerdict(["reply-from-other-address"], OTHER_INTERFACE),
  },
  {
    name: "kb-router-to-router.pcap",
    description:
      "KB Q169831's router example on Router 1's PPP link (PPP_WITH_DIR): IPCP gives Router 1 172.16.0.2 and Router 2 192.168.0.2, Router 1 dials Router 2's internal 172.16.0.1, Router 2's GRE comes from 192.168.0.2 and Router 1 gives up",
    bytes: () => writePcap(routerToRouterRecords(), { linkType: LinkType.PPP_WITH_DIR }),
    expected: {
      sessions: [
        {
          client: KB_ROUTERS.router2AssignsRouter1,
          dialed: KB_ROUTERS.router2Internal,
          clientCallId: ROUTER_CLIENT_CALL_ID,
          serverCallId: ROUTER_SERVER_CALL_ID,
          outcome: "failed",
          // both name the same address: the one Router 1 assigned Router 2
          findings: ["dial-target-mismatch", "reply-from-other-address"],
          recommended: KB_ROUTERS.router1AssignsRouter2,
        },
      ],
      findings: [],
    },
  },
  {
    name: "gre-blocked.pcap",
    description: "the call is connected, the client sends ten LCP requests in GRE, no GRE comes back at all, the client gives up",
    bytes: () => ethernetPcap(greBlockedRecords()),
    expected: callVerdict(["gre-blocked"]),
  },
  {
    name: "lcp-unanswered.pcap",
    description: "GRE comes back from the dialed server, but only acknowledgments: the client's ten LCP requests are never answered",
    bytes: () => ethernetPcap(lcpUnansweredRecords()),
    expected: callVerdict(["ppp-peer-not-responding"]),
  },
  {
    name: "syn-unanswered.pcap",
    description: "three SYNs to 198.51.100.1:1723 (0, 3 and 9 s), nothing comes back",
    bytes: () => ethernetPcap(synUnansweredRecords()),
    expected: connectionVerdict(["control-no-answer"]),
  },
  {
    name: "control-rst.pcap",
    description: "three SYNs to 198.51.100.1:1723, each answered by a TCP reset: nothing listens on the control port",
    bytes: () => ethernetPcap(controlResetRecords()),
    expected: connectionVerdict(["control-refused"]),
  },
];
