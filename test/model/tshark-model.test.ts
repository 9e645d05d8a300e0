/**
 * The session model against tshark, an independent decoder, on every synthesized fixture
 * (src/synth/fixtures.ts, files in fixtures/) and every public capture
 * (../shared/captures/public):
 *
 * - every PPTP control message tshark dissects (frame, sender, RFC 2637 name, result and
 *   error codes) is listed once in our report's sessions[].control.messages, and nothing
 *   else is; but for one with a wrong magic cookie, which tshark marks and dissects anyway
 *   and we skip as malformed (RFC 2637 §2: the cookie is the receiver's check that a
 *   message is one);
 * - the call IDs tshark shows in Outgoing-/Incoming-Call-Request and -Reply, paired as
 *   RFC 2637 §2.8 and §2.10 pair them (the reply's peer call ID is the request's call ID),
 *   are exactly our sessions' clientCallId/serverCallId pairs;
 * - the addresses tshark shows in IPCP Configure-Acks (RFC 1332 §3.3 IP-Address) are exactly
 *   our sessions' ppp.ipcp.client/server plus links[].addresses.
 *
 * tshark attributes a message that spans TCP segments to the frame that completes it and
 * does not dissect retransmitted segments again; our reassembly (src/reassembly/tcp-stream.ts)
 * does the same, so frames are compared as they are. Needs tshark on PATH.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/analyze.js";
import { PPTP_MESSAGES, PptpMessageType } from "../../src/decode/pptp.js";
import type { Report } from "../../src/report/schema.js";
import { FIXTURES } from "../../src/synth/fixtures.js";
import { hasPublicCaptures, hasTshark, PUBLIC_CAPTURES } from "../helpers.js";

const FIXTURE_DIR = fileURLToPath(new URL("../../fixtures/", import.meta.url));
/** The control port: tshark's PPTP dissector and analyze() both default to it. */
const PPTP_PORT = 1723;
/** IPCP Configure-Ack (RFC 1661 §5.2, used by IPCP per RFC 1332 §2). */
const CONFIGURE_ACK = 2;

if (!hasTshark) console.log("tshark is not on PATH: skipping the comparison of the session model with tshark");
if (hasTshark && !hasPublicCaptures) console.log(`${PUBLIC_CAPTURES} is absent: the session model is compared with tshark on the fixtures only`);

const captures: Array<[string, string]> = [
  ...FIXTURES.map((f): [string, string] => [`fixtures/${f.name}`, join(FIXTURE_DIR, f.name)]),
  ...(hasPublicCaptures
    ? readdirSync(PUBLIC_CAPTURES)
        .filter((name) => /\.pcap(ng)?(\.gz)?$/.test(name))
        .sort()
        .map((name): [string, string] => [`public/${name}`, join(PUBLIC_CAPTURES, name)])
    : []),
];

// ---------------------------------------------------------------------------------------
// tshark's side: `-T json --no-duplicate-keys` turns a layer that occurs twice in a frame
// (two PPTP messages in one segment, PPP in a tunnel in a tunnel) into an array.

type JsonLayer = Record<string, unknown>;

function asList<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** A field's value, or undefined when the layer does not have it (first occurrence if repeated). */
function field(layer: JsonLayer, name: string): number | undefined {
  const value = asList(layer[name] as string | string[] | undefined)[0];
  return value === undefined ? undefined : Number(value);
}

/** Every value of a field anywhere in a layer's tree (options are nested in subtrees). */
function fieldsDeep(node: unknown, name: string, into: string[] = []): string[] {
  if (node === null || typeof node !== "object") return into;
  for (const [key, value] of Object.entries(node)) {
    if (key === name) into.push(...asList(value as string | string[]));
    else fieldsDeep(value, name, into);
  }
  return into;
}

/** The fields that carry a message's result code; which one depends on the message type (Wireshark packet-pptp.c). */
const RESULT_FIELDS = ["pptp.control_result", "pptp.stop_result", "pptp.echo_result", "pptp.out_result", "pptp.in_result", "pptp.disc_result"];

interface TsharkMessage {
  frame: number;
  tcpStream: number;
  from: "client" | "server";
  type: number;
  callId?: number;
  peerCallId?: number;
  result?: number;
  error?: number;
}

interface TsharkView {
  messages: TsharkMessage[];
  /** Addresses of IP-Address options in IPCP Configure-Acks. */
  ipcpAcked: Set<string>;
  /** tshark found the file cut short inside a record (it still prints every frame before). */
  cutShort: boolean;
}

const execTshark = promisify(execFile);

/** RFC 2637 §2: the magic cookie every control message carries. */
const RFC_MAGIC_COOKIE = 0x1a2b3c4d;

/** tshark's complaint (exit status 2) when a file ends inside a record. */
const CUT_SHORT = /appears to have been cut short in the middle of a packet/;

async function runTshark(path: string): Promise<TsharkView> {
  const args = [
    "-r", path,
    // the defaults, stated so that a user's Wireshark preferences cannot change them:
    // reassemble messages that span segments, recognise retransmissions
    "-o", "tcp.desegment_tcp_streams:TRUE",
    "-o", "tcp.analyze_sequence_numbers:TRUE",
    "-Y", "pptp || ipcp",
    "-T", "json", "--no-duplicate-keys",
    "-J", "frame tcp pptp ipcp",
  ];
  let stdout: string;
  let cutShort = false;
  try {
    ({ stdout } = await execTshark("tshark", args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 }));
  } catch (error) {
    // exit status 2 with CUT_SHORT: a truncated file, which we analyze as far as it goes too
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (failed.code !== 2 || !CUT_SHORT.test(failed.stderr ?? "")) throw new Error(`tshark failed on ${path}: ${failed.stderr ?? error}`);
    stdout = failed.stdout ?? "";
    cutShort = true;
  }
  const packets = (stdout.trim() === "" ? [] : JSON.parse(stdout)) as Array<{ _source: { layers: JsonLayer } }>;
  const view: TsharkView = { messages: [], ipcpAcked: new Set(), cutShort };
  for (const packet of packets) {
    const layers = packet._source.layers;
    const frame = field(layers.frame as JsonLayer, "frame.number")!;
    // the innermost TCP header is the one that carries the control connection
    const tcp = asList(layers.tcp as JsonLayer | JsonLayer[] | undefined).at(-1);
    for (const pptp of asList(layers.pptp as JsonLayer | JsonLayer[] | undefined)) {
      if (field(pptp, "pptp.magic_cookie") !== RFC_MAGIC_COOKIE) continue;
      const result = RESULT_FIELDS.map((name) => field(pptp, name)).find((v) => v !== undefined);
      view.messages.push({
        frame,
        tcpStream: field(tcp!, "tcp.stream")!,
        from: field(tcp!, "tcp.srcport") === PPTP_PORT ? "server" : "client",
        type: field(pptp, "pptp.control_message_type")!,
        callId: field(pptp, "pptp.call_id"),
        peerCallId: field(pptp, "pptp.peer_call_id"),
        result,
        error: field(pptp, "pptp.error"),
      });
    }
    for (const ipcp of asList(layers.ipcp as JsonLayer | JsonLayer[] | undefined)) {
      if (field(ipcp, "ppp.code") !== CONFIGURE_ACK) continue;
      for (const address of fieldsDeep(ipcp, "ipcp.opt.ip_address")) view.ipcpAcked.add(address);
    }
  }
  return view;
}

/** One message as a line, so that a mismatch reads as a diff of lines. */
function messageLine(m: { frame: unknown; from: string; type: string; result?: number; error?: number }): string {
  return `frame ${m.frame} ${m.from} ${m.type}` + (m.result !== undefined ? ` result ${m.result}` : "") + (m.error !== undefined ? ` error ${m.error}` : "");
}

function tsharkMessageLines(view: TsharkView): string[] {
  return view.messages.map((m) => {
    const spec = PPTP_MESSAGES[m.type as PptpMessageType];
    return messageLine({ ...m, type: spec ? spec.name : `unknown control type ${m.type}` });
  });
}

/**
 * Calls as (client call ID, server call ID), from the messages of each TCP connection
 * as RFC 2637 pairs them: Outgoing-Call-Request (§2.7) carries the PNS's (client's)
 * call ID, its reply (§2.8) the PAC's call ID and, as peer call ID, the request's;
 * Incoming-Call-Request (§2.9) carries the PAC's (server's), its reply (§2.10) the PNS's
 * and, as peer, the request's. A reply whose request the capture lacks is a call of its own.
 */
function tsharkCalls(view: TsharkView): string[] {
  interface Pair { direction: "outgoing" | "incoming"; stream: number; client: number | null; server: number | null }
  const calls: Pair[] = [];
  const open = (stream: number, direction: Pair["direction"], test: (c: Pair) => boolean) =>
    calls.filter((c) => c.stream === stream && c.direction === direction && test(c)).at(-1);
  for (const m of view.messages) {
    if (m.type === PptpMessageType.OutgoingCallRequest) {
      calls.push({ direction: "outgoing", stream: m.tcpStream, client: m.callId!, server: null });
    } else if (m.type === PptpMessageType.OutgoingCallReply) {
      const call = open(m.tcpStream, "outgoing", (c) => c.client === m.peerCallId && c.server === null);
      if (call) call.server = m.callId!;
      else calls.push({ direction: "outgoing", stream: m.tcpStream, client: m.peerCallId!, server: m.callId! });
    } else if (m.type === PptpMessageType.IncomingCallRequest) {
      calls.push({ direction: "incoming", stream: m.tcpStream, client: null, server: m.callId! });
    } else if (m.type === PptpMessageType.IncomingCallReply) {
      const call = open(m.tcpStream, "incoming", (c) => c.server === m.peerCallId && c.client === null);
      if (call) call.client = m.callId!;
      else calls.push({ direction: "incoming", stream: m.tcpStream, client: m.callId!, server: m.peerCallId! });
    }
  }
  return calls.map((c) => callLine(c.client, c.server)).sort();
}

function callLine(client: number | null, server: number | null): string {
  return `client call ID ${client} / server call ID ${server}`;
}

// ---------------------------------------------------------------------------------------
// Our side

/**
 * Every control message once: the sessions of one control connection (one per call) share
 * its message list, so a connection's list is taken once. Two connections never share a
 * frame, so sessions with the same ends and the same list are the same connection.
 */
function reportMessageLines(report: Report): string[] {
  const seen = new Set<string>();
  const lines: Array<{ frame: number; line: string }> = [];
  for (const s of report.sessions) {
    const messages = s.control.messages.map(messageLine);
    const connection = JSON.stringify([s.client, s.clientPort, s.dialed, messages]);
    if (seen.has(connection)) continue;
    seen.add(connection);
    s.control.messages.forEach((m, i) => lines.push({ frame: m.frame as number, line: messages[i] }));
  }
  // tshark lists by frame; within a frame (one segment, one connection) both keep stream order
  return lines.sort((a, b) => a.frame - b.frame).map((l) => l.line);
}

function reportCalls(report: Report): string[] {
  return report.sessions
    .filter((s) => s.clientCallId !== null || s.serverCallId !== null)
    .map((s) => callLine(s.clientCallId, s.serverCallId))
    .sort();
}

function reportIpcpAddresses(report: Report): string[] {
  const addresses = new Set<string>();
  for (const s of report.sessions) for (const a of [s.ppp.ipcp.client, s.ppp.ipcp.server]) if (a !== null) addresses.add(a);
  for (const link of report.links) for (const a of link.addresses) addresses.add(a);
  return [...addresses].sort();
}

// ---------------------------------------------------------------------------------------

describe.skipIf(!hasTshark)("session model = tshark", () => {
  it("covers every fixture file", () => {
    for (const [label, path] of captures) expect(existsSync(path), `${label} is missing (npm run fixtures)`).toBe(true);
  });

  // The oracle must not be vacuous: an invocation that dissected nothing would agree with a
  // model that found nothing. It reads what is known to be in two captures.
  it("tshark sees the healthy fixture's messages, call IDs and IPCP addresses (the script in src/synth/fixtures.ts)", async () => {
    const view = await runTshark(join(FIXTURE_DIR, "healthy.pcap"));
    expect(view.messages.map((m) => `${m.from} ${m.type}`)).toEqual([
      "client 1", // Start-Control-Connection-Request
      "server 2", // Start-Control-Connection-Reply
      "client 7", // Outgoing-Call-Request
      "server 8", // Outgoing-Call-Reply
      "client 15", // Set-Link-Info
      "client 12", // Call-Clear-Request
      "server 13", // Call-Disconnect-Notify
      "client 3", // Stop-Control-Connection-Request
      "server 4", // Stop-Control-Connection-Reply
    ]);
    expect(tsharkCalls(view)).toEqual([callLine(0x1c2a, 0x8001)]);
    expect([...view.ipcpAcked].sort()).toEqual(["10.8.0.1", "10.8.0.2"]);
  });

  it.skipIf(!hasPublicCaptures)("tshark sees ndpi-pptp.pcap as its MANIFEST.md describes it", async () => {
    const view = await runTshark(join(PUBLIC_CAPTURES, "ndpi-pptp.pcap"));
    // SCCRQ, SCCRP, OCRQ call ID 0, OCRP call ID 11755 peer 0 result 1, two Set-Link-Info
    // from the server, Call-Clear-Request; the retransmitted Call-Clear (frame 19) is not
    // dissected again; Call-Disconnect-Notify result 0
    expect(view.messages.map((m) => [m.frame, m.from, m.type])).toEqual([
      [4, "client", 1], [6, "server", 2], [8, "client", 7], [10, "server", 8],
      [12, "server", 15], [14, "server", 15], [16, "client", 12], [23, "server", 13],
    ]);
    expect(view.messages[3]).toMatchObject({ callId: 11755, peerCallId: 0, result: 1, error: 0 });
    expect(view.messages[7]).toMatchObject({ result: 0, error: 0 });
    expect(view.ipcpAcked.size).toBe(0);
  });

  // tshark takes half a second to start: the files are compared a few at a time (vitest's maxConcurrency)
  it.concurrent.for(captures)("%s", async ([label, path], { expect }) => {
    const [tshark, report] = await Promise.all([runTshark(path), analyze([path])]);

    expect(reportMessageLines(report), `${label}: control messages`).toEqual(tsharkMessageLines(tshark));
    expect(reportCalls(report), `${label}: call IDs`).toEqual(tsharkCalls(tshark));
    // IPCP inside GRE that no control connection explains belongs to no session or link: the
    // report names such flows (unknown-call-id) but not their negotiation, so only captures
    // without them are compared on IPCP
    if (!report.findings.some((f) => f.code === "unknown-call-id")) {
      expect(reportIpcpAddresses(report), `${label}: IPCP addresses`).toEqual([...tshark.ipcpAcked].sort());
    }
    // where tshark finds the file cut short, we must say so too (and compare what came before)
    if (tshark.cutShort) expect(report.findings.map((f) => f.code), `${label}: findings`).toContain("capture-truncated");
  });
});
