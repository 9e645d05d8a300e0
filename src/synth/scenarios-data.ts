/**
 * Scenarios of the data path and of captures holding more than one thing: call IDs that a
 * NAT rewrote or two clients share (call-id-mismatch), GRE lost in one direction, the large
 * packets in particular (gre-loss), several sessions interleaved in one capture, and a
 * capture cut inside its last record. Each is scripted with fixed times; the frame numbers
 * the tests cite follow from the scripts, and each function's comment lists them.
 *
 * Addresses (documentation ranges, RFC 5737, and RFC 1918 behind the NAT): see DATA_ADDRESSES.
 */
import { ControlCode as Code } from "../decode/ppp/control-packet.js";
import { ChapAlgorithm, PppProtocol } from "../decode/ppp/protocols.js";
import { PptpMessageType as Msg } from "../decode/pptp.js";
import { type ConversationOptions, type GreFate, LINK_TYPE_OF_FRAMING, PptpConversation } from "./conversation.js";
import type { Fixture, FixtureExpectation } from "./fixtures.js";
import { type SynthRecord, writePcap } from "./pcap-writer.js";
import { chapResult, chapValue, configurePacket, lcpOption, msChapFailureMessage, msChapV2ResponseValue, terminatePacket } from "./ppp-control.js";
import { SeededRandom } from "./random.js";
import { establishCall, healthySession, mppeFrame, negotiatePpp, type SessionParameters } from "./sessions.js";

/** 2024-03-01T09:00:00Z, the start of every scenario. */
const START_SEC = 1709283600;
/** RFC 1661 §4.6: the Restart timer (3 s) between re-sent Configure-Requests. */
const RESTART_SECONDS = 3;

export const DATA_ADDRESSES = {
  /** The PPTP server of every scenario but several-sessions. */
  server: "198.51.100.20",
  /** A client behind a NAT, captured on the client itself. */
  privateClient: "192.168.1.20",
  /** The NAT's public address, as the server side sees both of its clients. */
  natPublic: "203.0.113.77",
  /** The client of the GRE-loss scenarios, captured on the client. */
  client: "192.0.2.20",
  /** several-sessions: one server with a second interface, three clients, captured on the router in front of it. */
  busyServer: "198.51.100.30",
  busyServerOtherInterface: "203.0.113.30",
  healthyClient: "192.0.2.31",
  wrongInterfaceClient: "192.0.2.32",
  authFailedClient: "192.0.2.33",
  /** The healthy session that the truncated capture cuts. */
  truncatedClient: "192.0.2.40",
} as const;

export const DATA_CALL_IDS = {
  client: 0x4a10,
  server: 0x6001,
  /** What the NAT made of the client's call ID towards the server, and left in the GRE coming back. */
  rewrittenClient: 0xc350,
  /** Both clients behind the NAT (pptp-linux starts at call ID 1... many implementations count from a fixed start). */
  sharedClient: 0x0001,
  firstServer: 0x8101,
  secondServer: 0x8102,
} as const;

const CLIENT_PORT = 49400;
const SESSION_PARAMETERS = {
  userName: "carol",
  clientTunnelAddress: "10.9.0.2",
  serverTunnelAddress: "10.9.0.1",
  dataFrames: 10,
  minDataBytes: 60,
  maxDataBytes: 1400,
};

/** The client's LCP options (a Windows client's: MRU 1400), and the server's asking for MS-CHAPv2. */
const CLIENT_LCP_OPTIONS = [lcpOption.mru(1400), lcpOption.magicNumber(0x11223344), lcpOption.protocolFieldCompression(), lcpOption.addressControlFieldCompression()];
const SERVER_LCP_OPTIONS = [lcpOption.accm(0), lcpOption.authChap(ChapAlgorithm.MsChapV2), lcpOption.magicNumber(0x55667788)];

function parameters(seed: number): SessionParameters {
  return { ...SESSION_PARAMETERS, random: new SeededRandom(seed) };
}

function conversation(records: SynthRecord[], options: Partial<ConversationOptions>): PptpConversation {
  return new PptpConversation(
    {
      client: DATA_ADDRESSES.client,
      server: DATA_ADDRESSES.server,
      clientPort: CLIENT_PORT,
      clientCallId: DATA_CALL_IDS.client,
      serverCallId: DATA_CALL_IDS.server,
      startSec: START_SEC,
      ...options,
    },
    (record) => records.push(record),
  );
}

/** Several captures' records as one, in time order (a stable merge: equal times keep the order given). */
export function mergedByTime(...parts: SynthRecord[][]): SynthRecord[] {
  const all = parts.flatMap((records, part) => records.map((record, i) => ({ record, part, i })));
  all.sort((a, b) => a.record.tsSec - b.record.tsSec || a.record.tsNsec - b.record.tsNsec || a.part - b.part || a.i - b.i);
  return all.map((entry) => entry.record);
}

/**
 * Rounds of the client's LCP Configure-Request, answered in the tunnel by the server's own
 * request and its Ack (three frames a round), RESTART_SECONDS apart; `serverFate` says what
 * becomes of the server's two frames on the way to the client.
 */
function lcpRounds(conv: PptpConversation, rounds: number, serverFate: GreFate): void {
  for (let id = 1; id <= rounds; id++) {
    conv.ppp("client", PppProtocol.LCP, configurePacket(Code.ConfigureRequest, id, CLIENT_LCP_OPTIONS));
    conv.greFrame("server", pppFrameOf(PppProtocol.LCP, configurePacket(Code.ConfigureRequest, id, SERVER_LCP_OPTIONS)), serverFate);
    conv.greFrame("server", pppFrameOf(PppProtocol.LCP, configurePacket(Code.ConfigureAck, id, CLIENT_LCP_OPTIONS)), serverFate);
    conv.wait(RESTART_SECONDS);
  }
}

/** An LCP packet framed as PPP with address and control field (RFC 1662 §3.1: LCP never compresses them). */
function pppFrameOf(protocol: number, information: Uint8Array): Uint8Array {
  return Buffer.concat([Buffer.from([0xff, 0x03, protocol >> 8, protocol & 0xff]), information]);
}

/** The client gives the call up: Call-Clear-Request, Call-Disconnect-Notify, Stop-Control-Connection, TCP close (7 frames). */
function clientGivesUp(conv: PptpConversation, clientCallId: number, serverCallId: number): void {
  conv.control("client", { type: Msg.CallClearRequest, callId: clientCallId });
  conv.control("server", { type: Msg.CallDisconnectNotify, callId: serverCallId, resultCode: 3 });
  conv.control("client", { type: Msg.StopControlConnectionRequest, reason: 1 });
  conv.control("server", { type: Msg.StopControlConnectionReply, resultCode: 1 });
  conv.close("client");
}

/** LCP Terminate-Request and -Ack in the tunnel, then clientGivesUp (9 frames). */
function hangUp(conv: PptpConversation, clientCallId: number, serverCallId: number): void {
  conv.ppp("client", PppProtocol.LCP, terminatePacket(Code.TerminateRequest, 3, "User request"), false);
  conv.ppp("server", PppProtocol.LCP, terminatePacket(Code.TerminateAck, 3), false);
  clientGivesUp(conv, clientCallId, serverCallId);
}

// ---------------------------------------------------------------------------------- call IDs

/**
 * nat-call-id-rewrite, captured on the client 192.168.1.20 behind a NAT: the NAT's PPTP
 * helper rewrote the client's call ID 0x4a10 to 0xc350 in the Outgoing-Call-Request on its
 * way to 198.51.100.20 and translated the reply back, but leaves the server's GRE with
 * 0xc350. The client drops it, re-sends its LCP request twice and gives up.
 *
 * Frames: 1-3 handshake, 4-5 Start-Control-Connection, 6 Outgoing-Call-Request (call ID
 * 0x4a10), 7 Outgoing-Call-Reply (0x6001, peer 0x4a10), 8 Set-Link-Info; three rounds of
 * client LCP request + server request and Ack carrying 0xc350: 9-11, 12-14, 15-17 (the
 * server's GRE is 10, 11, 13, 14, 16, 17); 18 Call-Clear-Request ... 24 last ACK.
 * `options` change the conversation, e.g. which call IDs its GRE carries.
 */
export function natCallIdRewriteRecords(options: Partial<ConversationOptions> = {}): SynthRecord[] {
  const records: SynthRecord[] = [];
  const { client, server, rewrittenClient } = DATA_CALL_IDS;
  // the conversation's GRE carries its options' call IDs (towards the client the rewritten one); the control messages the real ones
  const conv = conversation(records, { client: DATA_ADDRESSES.privateClient, clientCallId: rewrittenClient, ...options });
  establishCall(conv, client, server);
  lcpRounds(conv, 3, "lost-after-capture");
  clientGivesUp(conv, client, server);
  return records;
}

/**
 * two-clients-same-call-id, captured on the server side of a NAT without a PPTP helper: two
 * clients behind 203.0.113.77 (source ports 50001 and 50002) both call 198.51.100.20 with
 * call ID 1. The first call comes up; while it runs the second is set up, and the server's
 * GRE for it (call ID 1, to the same address) goes to the first client: the second client
 * never hears the server's LCP and gives up.
 *
 * Frames: first call 1-47 (1-8 set-up with Outgoing-Call-Request at 6, 9-27 PPP, 28-47 ten
 * data rounds); second call 48-71 (48-55 set-up, Outgoing-Call-Request at 53; 56-64 three LCP
 * rounds; 65-71 it gives up); first call 72-100 (72-91 ten data rounds, 92-100 hang-up).
 */
export function twoClientsSameCallIdRecords(): SynthRecord[] {
  const first: SynthRecord[] = [];
  const second: SynthRecord[] = [];
  const { sharedClient, firstServer, secondServer } = DATA_CALL_IDS;
  const one = conversation(first, { client: DATA_ADDRESSES.natPublic, clientPort: 50001, clientCallId: sharedClient, serverCallId: firstServer });
  const p = parameters(21);
  establishCall(one, sharedClient, firstServer);
  negotiatePpp(one, p);
  dataRounds(one, p, 10);
  one.wait(20);
  dataRounds(one, p, 10);
  hangUp(one, sharedClient, firstServer);

  const two = conversation(second, {
    client: DATA_ADDRESSES.natPublic,
    clientPort: 50002,
    clientCallId: sharedClient,
    serverCallId: secondServer,
    startSec: START_SEC + 5,
    clientIsn: 90000,
    serverIsn: 70000,
  });
  establishCall(two, sharedClient, secondServer);
  lcpRounds(two, 3, "lost-after-capture");
  clientGivesUp(two, sharedClient, secondServer);
  return mergedByTime(first, second);
}

/** Calls in the nat-calls-same-ids scenario: one more than call-id-mismatch names in a finding with this one. */
export const NAT_SHARING_CALLS = 10;

/**
 * `count` calls from one NAT address (ports 50001 on), each set up (TCP, Start-Control-
 * Connection, Outgoing-Call: 8 frames, 200 us apart) 10 us after the one before, all with the
 * same client and server call IDs. A call spans its Outgoing-Call-Request to its connection's
 * last frame (0.4 ms), so each overlaps the 40 before and after it (the fixture's ten all
 * overlap); the capture ends before any PPP. The hostile benchmark takes 10,000.
 */
export function natCallsSameIdsRecords(count = NAT_SHARING_CALLS): SynthRecord[] {
  const calls = Array.from({ length: count }, (_, i) => {
    const records: SynthRecord[] = [];
    const conv = conversation(records, { client: DATA_ADDRESSES.natPublic, clientPort: 50001 + i, startNsec: i * 10_000, clientIsn: 1000 + i * 10_000 });
    establishCall(conv, DATA_CALL_IDS.client, DATA_CALL_IDS.server);
    return records;
  });
  return mergedByTime(...calls);
}

/** `rounds` MPPE frames each way, sizes from the session's random source. */
function dataRounds(conv: PptpConversation, p: SessionParameters, rounds: number): void {
  for (let i = 0; i < rounds; i++) {
    conv.greFrame("client", mppeFrame(p));
    conv.greFrame("server", mppeFrame(p));
  }
}

// ---------------------------------------------------------------------------------- GRE loss

/** One data round: what each side sends (PPP frame size in bytes), and what becomes of it. */
export interface DataRound {
  client?: { size: number; fate?: GreFate };
  server?: { size: number; fate?: GreFate };
}

/** An MPPE data frame of exactly `size` bytes (protocol 0x00FD compressed to one byte). */
function sizedFrame(p: SessionParameters, size: number): Uint8Array {
  return mppeFrame({ ...p, minDataBytes: size, maxDataBytes: size });
}

/**
 * A call that comes up (set-up frames 1-8, PPP 9-27) between `client` and 198.51.100.20,
 * then `rounds` (client frame first, each frame written unless lost before the capture),
 * then hangs up (9 frames).
 */
export function dataSessionRecords(rounds: readonly DataRound[], options: Partial<ConversationOptions> = {}): SynthRecord[] {
  const records: SynthRecord[] = [];
  const conv = conversation(records, options);
  const p = parameters(31);
  establishCall(conv, DATA_CALL_IDS.client, DATA_CALL_IDS.server);
  negotiatePpp(conv, p);
  for (const round of rounds) {
    if (round.client) conv.greFrame("client", sizedFrame(p, round.client.size), round.client.fate);
    if (round.server) conv.greFrame("server", sizedFrame(p, round.server.size), round.server.fate);
  }
  hangUp(conv, DATA_CALL_IDS.client, DATA_CALL_IDS.server);
  return records;
}

/** Frames above this many bytes do not fit the path in the black-hole scenarios (an MTU of 1236 with IP and GRE). */
export const BLACK_HOLE_PAYLOAD = 1200;
/** Sizes the server sends in a download, cycling: 1400 and 1250 exceed the black hole's limit. */
export const DOWNLOAD_SIZES = [1400, 300, 1180, 80, 1250, 1100] as const;
/** Sizes the client sends meanwhile (all arrive). */
export const DOWNLOAD_CLIENT_SIZES = [1400, 120, 900, 1350, 60, 500] as const;
/** Sizes the client uploads, cycling: 1400, 1300 and 1350 exceed the limit; and the server's small answers. */
export const UPLOAD_SIZES = [1400, 120, 1300, 1100, 60, 1350] as const;
export const UPLOAD_SERVER_SIZES = [200, 80, 300, 150, 90, 600] as const;
export const LOSS_ROUNDS = 60;

/**
 * gre-loss-large, captured on the client 192.0.2.20 (behind the loss): the server's frames
 * above 1200 bytes never arrive (an MTU black hole on its side), the rest do. The server's
 * sequence numbers 0-9 are its PPP negotiation, data round i has 10 + i; rounds with
 * i % 6 = 0 or 4 lose the server's frame (20 of 60).
 * Frames: 1-27 set-up and PPP, then per round the client's frame and the server's when it
 * arrives: round 0 = 28, round 1 = 29-30 (30 follows the first gap) ... round 59 = 126-127
 * (127 follows the last gap); 128-136 hang-up.
 */
export function greLossLargeRecords(): SynthRecord[] {
  const rounds: DataRound[] = [];
  for (let i = 0; i < LOSS_ROUNDS; i++) {
    const size = DOWNLOAD_SIZES[i % DOWNLOAD_SIZES.length];
    rounds.push({
      client: { size: DOWNLOAD_CLIENT_SIZES[i % DOWNLOAD_CLIENT_SIZES.length] },
      server: { size, fate: size > BLACK_HOLE_PAYLOAD ? "lost-before-capture" : "delivered" },
    });
  }
  return dataSessionRecords(rounds);
}

/**
 * gre-loss-upload, captured on the client 192.0.2.20 (before the loss): every frame the
 * client sends is in the capture, but those above 1200 bytes never reach the server, so its
 * acknowledgments (piggybacked on its answer in each round) skip exactly them. The client's
 * sequence numbers 0-8 are its PPP negotiation, data round i has 9 + i.
 * Frames: 1-27 set-up and PPP, round i = 28 + 2i (client) and 29 + 2i (server), 148-156 hang-up.
 */
export function greLossUploadRecords(): SynthRecord[] {
  const rounds: DataRound[] = [];
  for (let i = 0; i < LOSS_ROUNDS; i++) {
    const size = UPLOAD_SIZES[i % UPLOAD_SIZES.length];
    rounds.push({
      client: { size, fate: size > BLACK_HOLE_PAYLOAD ? "lost-after-capture" : "delivered" },
      server: { size: UPLOAD_SERVER_SIZES[i % UPLOAD_SERVER_SIZES.length] },
    });
  }
  return dataSessionRecords(rounds);
}

// ---------------------------------------------------------------------------------- mixed

/** MS-CHAPv2 "E=691" (RFC 2759 §6, MS-CHAP error 691: access denied, bad user name or password). */
const AUTH_FAILURE_ERROR = 691;

/**
 * several-sessions, captured on the router in front of the server 198.51.100.30 (it sees both
 * of the server's interfaces): three clients that all use call ID 1, interleaved (50 ms
 * between one client's frames, started 10 ms apart). 192.0.2.31 works
 * end to end; 192.0.2.32 gets its GRE from the server's other interface 203.0.113.30 (KB
 * Q169831), ignores it and gives up; 192.0.2.33 is refused by MS-CHAPv2 (E=691) and the
 * server terminates LCP.
 */
export function severalSessionsRecords(): SynthRecord[] {
  const callId = DATA_CALL_IDS.sharedClient;
  const step = { stepMicros: 50_000, server: DATA_ADDRESSES.busyServer };
  const healthy: SynthRecord[] = [];
  healthySession(conversation(healthy, { ...step, client: DATA_ADDRESSES.healthyClient, clientCallId: callId, serverCallId: 0x9001 }), callId, 0x9001, parameters(41));

  const wrongInterface: SynthRecord[] = [];
  const kb = conversation(wrongInterface, {
    ...step,
    client: DATA_ADDRESSES.wrongInterfaceClient,
    serverGreAddress: DATA_ADDRESSES.busyServerOtherInterface,
    clientCallId: callId,
    serverCallId: 0x9002,
    startNsec: 10_000_000,
  });
  establishCall(kb, callId, 0x9002);
  lcpRounds(kb, 3, "lost-after-capture");
  clientGivesUp(kb, callId, 0x9002);

  const refused: SynthRecord[] = [];
  const auth = conversation(refused, { ...step, client: DATA_ADDRESSES.authFailedClient, clientCallId: callId, serverCallId: 0x9003, startNsec: 20_000_000 });
  const random = new SeededRandom(43);
  establishCall(auth, callId, 0x9003);
  auth.ppp("client", PppProtocol.LCP, configurePacket(Code.ConfigureRequest, 1, CLIENT_LCP_OPTIONS));
  auth.ppp("server", PppProtocol.LCP, configurePacket(Code.ConfigureRequest, 1, SERVER_LCP_OPTIONS));
  auth.ppp("server", PppProtocol.LCP, configurePacket(Code.ConfigureAck, 1, CLIENT_LCP_OPTIONS));
  auth.ppp("client", PppProtocol.LCP, configurePacket(Code.ConfigureAck, 1, SERVER_LCP_OPTIONS));
  auth.ppp("server", PppProtocol.CHAP, chapValue(1, 7, random.bytes(16), "vpn-gw"), false);
  auth.ppp("client", PppProtocol.CHAP, chapValue(2, 7, msChapV2ResponseValue({ peerChallenge: random.bytes(16), ntResponse: random.bytes(24) }), "mallory"), false);
  const failure = msChapFailureMessage({ error: AUTH_FAILURE_ERROR, retry: false, challenge: random.bytes(16), version: 3, message: "Access denied" });
  auth.ppp("server", PppProtocol.CHAP, chapResult(4, 7, failure), false);
  auth.ppp("server", PppProtocol.LCP, terminatePacket(Code.TerminateRequest, 2, "Authentication failed"), false);
  auth.ppp("client", PppProtocol.LCP, terminatePacket(Code.TerminateAck, 2), false);
  clientGivesUp(auth, callId, 0x9003);

  return mergedByTime(healthy, wrongInterface, refused);
}

/** Bytes cut from the end of the truncated capture: inside the last record (a 54-byte ACK). */
export const TRUNCATED_BYTES = 10;

/** A healthy session (192.0.2.40 to 198.51.100.20), the file cut TRUNCATED_BYTES short inside its last record. */
export function truncatedCapture(): Buffer {
  const records: SynthRecord[] = [];
  healthySession(conversation(records, { client: DATA_ADDRESSES.truncatedClient }), DATA_CALL_IDS.client, DATA_CALL_IDS.server, parameters(51));
  const whole = writePcap(records, { linkType: LINK_TYPE_OF_FRAMING.ethernet });
  return whole.subarray(0, whole.length - TRUNCATED_BYTES);
}

// ---------------------------------------------------------------------------------- fixtures

const ethernetPcap = (records: SynthRecord[]): Buffer => writePcap(records, { linkType: LINK_TYPE_OF_FRAMING.ethernet });

type Outcome = FixtureExpectation["sessions"][number]["outcome"];

function session(client: string, dialed: string, clientCallId: number, serverCallId: number, outcome: Outcome, findings: string[]): FixtureExpectation["sessions"][number] {
  return { client, dialed, clientCallId, serverCallId, outcome, findings };
}

const { server: SERVER, busyServer: BUSY_SERVER } = DATA_ADDRESSES;
const { client: CALL_ID, server: SERVER_CALL_ID, sharedClient: SHARED_CALL_ID } = DATA_CALL_IDS;

export const DATA_FIXTURES: readonly Fixture[] = [
  {
    name: "nat-call-id-rewrite.pcap",
    description:
      "a NAT rewrote the client's call ID in the Outgoing-Call-Request but leaves the server's GRE with the rewritten ID: the client never matches it to its call (call-id-mismatch)",
    bytes: () => ethernetPcap(natCallIdRewriteRecords()),
    expected: { sessions: [session(DATA_ADDRESSES.privateClient, SERVER, CALL_ID, SERVER_CALL_ID, "failed", ["call-id-mismatch"])], findings: [] },
  },
  {
    name: "two-clients-same-call-id.pcap",
    description:
      "two clients behind one NAT address call the same server with the same call ID at the same time; the NAT cannot tell their GRE apart (call-id-mismatch on both)",
    bytes: () => ethernetPcap(twoClientsSameCallIdRecords()),
    expected: {
      sessions: [
        session(DATA_ADDRESSES.natPublic, SERVER, SHARED_CALL_ID, DATA_CALL_IDS.firstServer, "established", ["call-id-mismatch"]),
        session(DATA_ADDRESSES.natPublic, SERVER, SHARED_CALL_ID, DATA_CALL_IDS.secondServer, "failed", ["call-id-mismatch"]),
      ],
      findings: [],
    },
  },
  {
    name: "nat-calls-same-ids.pcap",
    description:
      "captured as ten clients behind one NAT address set up calls to one server at once, all with the same client and server call IDs: each call gets a call-id-mismatch for each shared ID, naming eight of the other calls and counting the last",
    bytes: () => ethernetPcap(natCallsSameIdsRecords()),
    expected: {
      sessions: Array.from({ length: NAT_SHARING_CALLS }, () =>
        session(DATA_ADDRESSES.natPublic, SERVER, CALL_ID, SERVER_CALL_ID, "incomplete", ["call-id-mismatch"]),
      ),
      findings: [],
    },
  },
  {
    name: "gre-loss-large.pcap",
    description: "captured at the client: the server's GRE frames above 1200 bytes never arrive (an MTU black hole), the smaller ones do (gre-loss)",
    bytes: () => ethernetPcap(greLossLargeRecords()),
    expected: { sessions: [session(DATA_ADDRESSES.client, SERVER, CALL_ID, SERVER_CALL_ID, "established", ["gre-loss"])], findings: [] },
  },
  {
    name: "gre-loss-upload.pcap",
    description: "captured at the client: its GRE frames above 1200 bytes leave but are never acknowledged by the server, the smaller ones are (gre-loss, MTU black hole)",
    bytes: () => ethernetPcap(greLossUploadRecords()),
    expected: { sessions: [session(DATA_ADDRESSES.client, SERVER, CALL_ID, SERVER_CALL_ID, "established", ["gre-loss"])], findings: [] },
  },
  {
    name: "several-sessions.pcap",
    description:
      "three clients with the same call ID, interleaved on one server: one healthy, one answered from the server's other interface (KB Q169831), one refused by MS-CHAPv2 (E=691)",
    bytes: () => ethernetPcap(severalSessionsRecords()),
    expected: {
      sessions: [
        session(DATA_ADDRESSES.healthyClient, BUSY_SERVER, SHARED_CALL_ID, 0x9001, "established", []),
        {
          ...session(DATA_ADDRESSES.wrongInterfaceClient, BUSY_SERVER, SHARED_CALL_ID, 0x9002, "failed", ["reply-from-other-address"]),
          recommended: DATA_ADDRESSES.busyServerOtherInterface,
        },
        session(DATA_ADDRESSES.authFailedClient, BUSY_SERVER, SHARED_CALL_ID, 0x9003, "failed", ["auth-failed"]),
      ],
      findings: [],
    },
  },
  {
    name: "truncated.pcap",
    description: "a healthy session, the file cut 10 bytes short inside its last record (capture-truncated)",
    bytes: truncatedCapture,
    expected: { sessions: [session(DATA_ADDRESSES.truncatedClient, SERVER, CALL_ID, SERVER_CALL_ID, "established", [])], findings: ["capture-truncated"] },
  },
];
