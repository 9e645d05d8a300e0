// The sessions of the benchmark captures: which ones work and how the others fail, each with the
// verdict it is built to show (declared here, never read back from our own output), so that the
// benchmark can check that the report it timed says what the capture holds.
//
// Most sessions are healthySession() from the synthesizer, with the data they carry scaled to the
// capture's size. Every tenth fails as a fixture of the same name does (fixtures/*.pcap), scripted
// from the synthesizer's steps with the session's own addresses and call IDs: the fixture scripts
// themselves use fixed addresses, and 2,000 sessions must not share one client address and port.
import { PptpConversation } from "../dist/synth/conversation.js";
import { SeededRandom, configurePacket, chapValue, chapResult, lcpOption, msChapFailureMessage,
  msChapV2ResponseValue, terminatePacket, PppProtocol } from "../dist/synth/index.js";
import { establishCall, healthySession, outgoingCall, startControlConnection } from "../dist/synth/sessions.js";
import { ChapAlgorithm } from "../dist/decode/ppp/protocols.js";
import { ControlCode as Code } from "../dist/decode/ppp/control-packet.js";
import { PptpMessageType as Msg } from "../dist/decode/pptp.js";

/** RFC 1661 §4.6 defaults a Windows client keeps: Restart timer 3 s, Max-Configure 10. */
const RESTART_SECONDS = 3;
const MAX_CONFIGURE = 10;
/** Call-Disconnect-Notify result 4: the call was cleared on request (RFC 2637 §2.13). */
const DISCONNECT_ON_REQUEST = 4;
/** Outgoing-Call-Reply result 4: busy (RFC 2637 §2.8). */
const CALL_BUSY = 4;
/** MS-CHAP error 691: bad user name or password (RFC 2759 §6). */
const MSCHAP_AUTHENTICATION_FAILURE = 691;

function clientLcpOptions(magic) {
  return [
    lcpOption.mru(1400),
    lcpOption.magicNumber(magic),
    lcpOption.protocolFieldCompression(),
    lcpOption.addressControlFieldCompression(),
  ];
}

function serverLcpOptions(magic) {
  return [
    lcpOption.accm(0),
    lcpOption.authChap(ChapAlgorithm.MsChapV2),
    lcpOption.magicNumber(magic),
    lcpOption.protocolFieldCompression(),
    lcpOption.addressControlFieldCompression(),
  ];
}

/** Call-Clear-Request, Call-Disconnect-Notify, Stop-Control-Connection-Request/Reply, TCP close. */
function clientHangsUp(conv, s) {
  conv.control("client", { type: Msg.CallClearRequest, callId: s.clientCallId });
  conv.control("server", { type: Msg.CallDisconnectNotify, callId: s.serverCallId, resultCode: DISCONNECT_ON_REQUEST });
  conv.control("client", { type: Msg.StopControlConnectionRequest, reason: 1 });
  conv.control("server", { type: Msg.StopControlConnectionReply, resultCode: 1 });
  conv.close("client");
}

/**
 * One row per kind of session: its verdict (outcome and finding codes, as the fixture of that
 * name declares), conversation options beyond the session's addresses, and its script.
 */
export const SESSION_KINDS = {
  healthy: {
    outcome: "established",
    findings: [],
    script: (conv, s) =>
      healthySession(conv, s.clientCallId, s.serverCallId, {
        userName: s.userName,
        clientTunnelAddress: s.clientTunnelAddress,
        serverTunnelAddress: "172.31.255.254",
        dataFrames: s.dataFramesEachWay,
        minDataBytes: 60,
        maxDataBytes: 1400,
        random: s.random,
      }),
  },
  /** KB Q169831 (fixtures/kb-wrong-interface.pcap): the server's GRE leaves by another interface. */
  "kb-wrong-interface": {
    outcome: "failed",
    findings: ["reply-from-other-address"],
    options: (s) => ({ serverGreAddress: s.otherInterface }),
    script: (conv, s) => {
      establishCall(conv, s.clientCallId, s.serverCallId);
      const clientMagic = s.random.nextUint32();
      const serverMagic = s.random.nextUint32();
      for (let round = 1; round <= MAX_CONFIGURE; round++) {
        conv.ppp("client", PppProtocol.LCP, configurePacket(Code.ConfigureRequest, round, clientLcpOptions(clientMagic)));
        conv.ppp("server", PppProtocol.LCP, configurePacket(Code.ConfigureRequest, round, serverLcpOptions(serverMagic)));
        conv.ppp("server", PppProtocol.LCP, configurePacket(Code.ConfigureAck, round, clientLcpOptions(clientMagic)));
        conv.wait(RESTART_SECONDS);
      }
      clientHangsUp(conv, s);
    },
  },
  /** fixtures/gre-blocked.pcap: the call is connected, no GRE ever comes back. */
  "gre-blocked": {
    outcome: "failed",
    findings: ["gre-blocked"],
    script: (conv, s) => {
      establishCall(conv, s.clientCallId, s.serverCallId);
      const magic = s.random.nextUint32();
      for (let round = 1; round <= MAX_CONFIGURE; round++) {
        conv.ppp("client", PppProtocol.LCP, configurePacket(Code.ConfigureRequest, round, clientLcpOptions(magic)));
        conv.wait(RESTART_SECONDS);
      }
      clientHangsUp(conv, s);
    },
  },
  /** fixtures/syn-unanswered.pcap: three SYNs with Windows' back-off, nothing answers. */
  "syn-unanswered": {
    outcome: "failed",
    findings: ["control-no-answer"],
    noCall: true,
    script: (conv) => {
      conv.syn();
      conv.wait(RESTART_SECONDS);
      conv.syn();
      conv.wait(2 * RESTART_SECONDS);
      conv.syn();
    },
  },
  /** fixtures/control-rst.pcap: nothing listens on port 1723, each SYN gets RST+ACK. */
  "control-rst": {
    outcome: "failed",
    findings: ["control-refused"],
    noCall: true,
    options: () => ({ serverIsn: 0 }),
    script: (conv) => {
      for (let attempt = 0; attempt < 3; attempt++) {
        conv.syn();
        conv.reset("server");
        conv.wait(0.5);
      }
    },
  },
  /** fixtures/call-rejected-busy.pcap: Outgoing-Call-Reply result 4 (busy). */
  "call-rejected-busy": {
    outcome: "failed",
    findings: ["call-rejected"],
    script: (conv, s) => {
      conv.connect();
      startControlConnection(conv);
      outgoingCall(conv, s.clientCallId, s.serverCallId, { resultCode: CALL_BUSY });
      conv.control("client", { type: Msg.StopControlConnectionRequest, reason: 1 });
      conv.control("server", { type: Msg.StopControlConnectionReply, resultCode: 1 });
      conv.close("client");
    },
  },
  /** fixtures/mschapv2-691.pcap: MS-CHAPv2 Failure E=691, the server terminates LCP. */
  "mschapv2-691": {
    outcome: "failed",
    findings: ["auth-failed"],
    script: (conv, s) => {
      establishCall(conv, s.clientCallId, s.serverCallId);
      const clientMagic = s.random.nextUint32();
      const serverOptions = serverLcpOptions(s.random.nextUint32());
      conv.ppp("client", PppProtocol.LCP, configurePacket(Code.ConfigureRequest, 1, clientLcpOptions(clientMagic)));
      conv.ppp("server", PppProtocol.LCP, configurePacket(Code.ConfigureRequest, 1, serverOptions));
      conv.ppp("server", PppProtocol.LCP, configurePacket(Code.ConfigureAck, 1, clientLcpOptions(clientMagic)));
      conv.ppp("client", PppProtocol.LCP, configurePacket(Code.ConfigureAck, 1, serverOptions));
      conv.ppp("server", PppProtocol.CHAP, chapValue(1, 1, s.random.bytes(16), "vpn-gw"), false);
      const response = msChapV2ResponseValue({ peerChallenge: s.random.bytes(16), ntResponse: s.random.bytes(24) });
      conv.ppp("client", PppProtocol.CHAP, chapValue(2, 1, response, s.userName), false);
      const failure = msChapFailureMessage({
        error: MSCHAP_AUTHENTICATION_FAILURE,
        retry: false,
        challenge: s.random.bytes(16),
        version: 3,
        message: "Authentication failure",
      });
      conv.ppp("server", PppProtocol.CHAP, chapResult(4, 1, failure), false);
      conv.ppp("server", PppProtocol.LCP, terminatePacket(Code.TerminateRequest, 2, "Authentication failed"));
      conv.ppp("client", PppProtocol.LCP, terminatePacket(Code.TerminateAck, 2));
      clientHangsUp(conv, s);
    },
  },
};

export const SESSIONS = 2000;
/** One session in this many fails, cycling through the failing kinds. */
const FAILING_EVERY = 10;
const FAILING_KINDS = Object.keys(SESSION_KINDS).filter((kind) => kind !== "healthy");

export function kindOfSession(i) {
  return i % FAILING_EVERY === FAILING_EVERY - 1 ? FAILING_KINDS[Math.floor(i / FAILING_EVERY) % FAILING_KINDS.length] : "healthy";
}

/** Addresses, ports and call IDs of session i: distinct for every session of the capture. */
function sessionIdentity(i) {
  return {
    client: `10.${(i >> 8) & 0xff}.${i & 0xff}.${2 + (i % 200)}`,
    server: `203.0.113.${1 + (i % 4)}`,
    otherInterface: `198.51.100.${1 + (i % 4)}`,
    clientPort: 49152 + (i % 16000),
    clientCallId: (i * 7 + 1) & 0xffff,
    serverCallId: (0x4000 + i) & 0xffff,
    userName: `user${i}`,
    clientTunnelAddress: `172.16.${(i >> 8) & 0xff}.${i & 0xff}`,
  };
}

/**
 * The frames of session i, starting at `startNanos` after `startSec`, one frame every
 * `stepMicros`; healthy sessions carry `dataFramesEachWay` MPPE frames each way.
 */
export function sessionRecords(i, { startSec, startNanos, stepMicros, dataFramesEachWay }) {
  const kind = SESSION_KINDS[kindOfSession(i)];
  const s = { ...sessionIdentity(i), dataFramesEachWay, random: new SeededRandom(1000 + i) };
  const records = [];
  const conv = new PptpConversation(
    {
      client: s.client,
      server: s.server,
      clientPort: s.clientPort,
      clientCallId: s.clientCallId,
      serverCallId: s.serverCallId,
      startSec: startSec + Math.floor(startNanos / 1e9),
      startNsec: startNanos % 1e9,
      stepMicros,
      ...kind.options?.(s),
    },
    (record) => records.push(record),
  );
  kind.script(conv, s);
  return records;
}

/** What the report of a capture of these sessions must say: the summary and each session's verdict. */
export function expectedVerdicts() {
  const summary = { sessions: SESSIONS, established: 0, failed: 0, incomplete: 0, findings: {} };
  const sessions = [];
  for (let i = 0; i < SESSIONS; i++) {
    const kind = SESSION_KINDS[kindOfSession(i)];
    const id = sessionIdentity(i);
    summary[kind.outcome]++;
    for (const code of kind.findings) summary.findings[code] = (summary.findings[code] ?? 0) + 1;
    sessions.push({
      client: id.client,
      clientPort: id.clientPort,
      clientCallId: kind.noCall ? null : id.clientCallId,
      outcome: kind.outcome,
      findings: kind.findings,
    });
  }
  return { summary, sessions };
}
