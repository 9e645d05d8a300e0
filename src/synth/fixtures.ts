/**
 * `npm run fixtures`: writes every capture in fixtures/ from the scripts below,
 * deterministic byte for byte, so that the committed files can be regenerated and
 * compared (test/synth/fixtures.test.ts does).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { LINK_TYPE_OF_FRAMING, type LinkFraming, PptpConversation } from "./conversation.js";
import { writePcap } from "./pcap-writer.js";
import { writePcapng } from "./pcapng-writer.js";
import { SeededRandom } from "./random.js";
import { endSession, establishCall, healthySession, negotiatePpp, type SessionParameters } from "./sessions.js";
import { echoPacket, overrunningConfigureRequest } from "./ppp-control.js";
import { withBadMagicCookie } from "./pptp.js";
import { CLOSE_GRACE_SECONDS } from "../model/tracker.js";
import { ControlCode } from "../decode/ppp/control-packet.js";
import { PptpMessageType as Msg } from "../decode/pptp.js";
import { PppProtocol } from "../decode/ppp/protocols.js";
import type { SynthRecord } from "./pcap-writer.js";
import { DATA_FIXTURES } from "./scenarios-data.js";
import { NEGOTIATION_FIXTURES } from "./scenarios-negotiation.js";
import { REACHABILITY_FIXTURES } from "./scenarios-reachability.js";

/**
 * The verdict a fixture is built to show, declared by hand beside the script that builds
 * it (never read back from our own output): `npm run fixtures` writes it as
 * `<name>.expected.json`, and test/synth/fixtures.test.ts runs the command line on the capture
 * and compares.
 */
export interface FixtureExpectation {
  /** The sessions in report order. */
  sessions: Array<{
    client: string;
    dialed: string;
    clientCallId: number | null;
    serverCallId: number | null;
    outcome: "established" | "failed" | "incomplete";
    /** Finding codes of the session, in any order; no other code may appear. */
    findings: string[];
    /** The `recommended` address of the finding that carries one. */
    recommended?: string;
  }>;
  /** Capture-level finding codes; no other code may appear. */
  findings: string[];
}

export interface Fixture {
  /** File name in fixtures/. */
  name: string;
  description: string;
  bytes: () => Buffer;
  expected: FixtureExpectation;
}

/** 2024-03-01T09:00:00Z: a fixed start, so files do not depend on the day they were made. */
const START_SEC = 1709283600;

/** The call IDs and the PPP parameters of the healthy session. */
const HEALTHY_CALL_IDS = { client: 0x1c2a, server: 0x8001 } as const;
function healthyParameters(): SessionParameters {
  return {
    userName: "alice",
    clientTunnelAddress: "10.8.0.2",
    serverTunnelAddress: "10.8.0.1",
    dataFrames: 20,
    minDataBytes: 60,
    maxDataBytes: 1400,
    random: new SeededRandom(1),
  };
}

/** The frames a script writes on the healthy session's conversation (its client, server, port and call IDs). */
function scriptedRecords(framing: LinkFraming, script: (conv: PptpConversation) => void): SynthRecord[] {
  const records: SynthRecord[] = [];
  const conv = new PptpConversation(
    {
      client: "192.0.2.10",
      server: "198.51.100.1",
      clientPort: 49152,
      clientCallId: HEALTHY_CALL_IDS.client,
      serverCallId: HEALTHY_CALL_IDS.server,
      framing,
      startSec: START_SEC,
    },
    (record) => records.push(record),
  );
  script(conv);
  return records;
}

/** The healthy session's frames; `after` may script more on its conversation once it is over. */
function healthyRecords(framing: LinkFraming, after?: (conv: PptpConversation) => void): SynthRecord[] {
  return scriptedRecords(framing, (conv) => {
    healthySession(conv, HEALTHY_CALL_IDS.client, HEALTHY_CALL_IDS.server, healthyParameters());
    after?.(conv);
  });
}

const HEALTHY_VERDICT: FixtureExpectation = {
  sessions: [{ client: "192.0.2.10", dialed: "198.51.100.1", clientCallId: 0x1c2a, serverCallId: 0x8001, outcome: "established", findings: [] }],
  findings: [],
};

const HEALTHY_FIXTURES: readonly Fixture[] = [
  {
    name: "healthy.pcap",
    description: "one PPTP session that works end to end (MS-CHAPv2, MPPE, IPCP), Ethernet, classic pcap",
    bytes: () => writePcap(healthyRecords("ethernet"), { linkType: LINK_TYPE_OF_FRAMING.ethernet }),
    expected: HEALTHY_VERDICT,
  },
  {
    name: "healthy.pcapng",
    description: "the healthy session as pcapng with nanosecond timestamps (if_tsresol 9), as dumpcap writes",
    bytes: () =>
      writePcapng([
        {
          interfaces: [{ linkType: LINK_TYPE_OF_FRAMING.ethernet, tsresol: 9, name: "eth0" }],
          records: healthyRecords("ethernet"),
        },
      ]),
    expected: HEALTHY_VERDICT,
  },
  {
    name: "healthy-sll.pcap",
    description: "the healthy session captured with `tcpdump -i any` (Linux cooked, LINKTYPE_LINUX_SLL)",
    bytes: () => writePcap(healthyRecords("linux-sll"), { linkType: LINK_TYPE_OF_FRAMING["linux-sll"] }),
    expected: HEALTHY_VERDICT,
  },
];

/** IPv4 header byte 9: the transport protocol; 6 is TCP (RFC 791, IANA protocol numbers). */
const ETHERNET_IPV4_PROTOCOL_OFFSET = 14 + 9;
const IP_PROTOCOL_TCP = 6;

/** Captures whose trouble is the capture itself, or damaged packets in it, not the session. */
const CAPTURE_FIXTURES: readonly Fixture[] = [
  {
    name: "unknown-call-id.pcap",
    description:
      "the healthy session's GRE without its control connection, as a capture started after the call was set up (or filtered to GRE): both directions are GRE that no control connection explains",
    bytes: () =>
      writePcap(
        healthyRecords("ethernet").filter((r) => r.data[ETHERNET_IPV4_PROTOCOL_OFFSET] !== IP_PROTOCOL_TCP),
        { linkType: LINK_TYPE_OF_FRAMING.ethernet },
      ),
    expected: { sessions: [], findings: ["unknown-call-id"] },
  },
  {
    name: "snaplen-cut.pcap",
    description:
      "the healthy session captured with a snap length of 256 bytes (tcpdump -s 256): every control and negotiation packet whole, the larger data packets cut",
    bytes: () => writePcap(healthyRecords("ethernet"), { linkType: LINK_TYPE_OF_FRAMING.ethernet, snaplen: 256 }),
    expected: { sessions: HEALTHY_VERDICT.sessions, findings: ["capture-truncated"] },
  },
  {
    name: "malformed.pcap",
    description:
      "the healthy session with one damaged frame (frame 4: an IPv4 header whose length field says 12 bytes, less than the 20 every IPv4 header has): reported as malformed, the session analyzed as usual",
    bytes: () => {
      const records = healthyRecords("ethernet");
      const damaged = Buffer.from(records[3].data);
      damaged[14] = 0x43; // version 4, IHL 3 (RFC 791: at least 5)
      records.splice(3, 0, { ...records[3], data: damaged });
      return writePcap(records, { linkType: LINK_TYPE_OF_FRAMING.ethernet });
    },
    expected: { sessions: HEALTHY_VERDICT.sessions, findings: ["malformed"] },
  },
  {
    name: "malformed-messages.pcap",
    description:
      "a session set up as the healthy one (frames 1-8), then from the client a PPTP Echo-Request whose magic cookie is 0xdeadbeef (frame 9) and an LCP Configure-Request whose MRU option claims Length 10 in 4 bytes (frame 10); LCP, MS-CHAPv2, CCP and IPCP then succeed and the user hangs up: both damaged messages reported as malformed in the session, which is established",
    bytes: () =>
      writePcap(
        scriptedRecords("ethernet", (conv) => {
          establishCall(conv, HEALTHY_CALL_IDS.client, HEALTHY_CALL_IDS.server);
          conv.controlBytes("client", withBadMagicCookie({ type: Msg.EchoRequest, identifier: 1 }));
          conv.ppp("client", PppProtocol.LCP, overrunningConfigureRequest(0));
          negotiatePpp(conv, healthyParameters());
          endSession(conv, HEALTHY_CALL_IDS.client, HEALTHY_CALL_IDS.server);
        }),
        { linkType: LINK_TYPE_OF_FRAMING.ethernet },
      ),
    expected: { sessions: [{ ...HEALTHY_VERDICT.sessions[0], findings: ["malformed"] }], findings: [] },
  },
  {
    name: "late-ppp-control.pcap",
    description: `the healthy session, then ${CLOSE_GRACE_SECONDS + 1} s after its control connection closed a stray reset from the client and an LCP Echo-Request on the old call: the connection was put away, the late PPP frame is counted, not analyzed, and limit-reached says so`,
    bytes: () =>
      writePcap(
        healthyRecords("ethernet", (conv) => {
          conv.wait(CLOSE_GRACE_SECONDS + 1);
          conv.reset("client");
          conv.ppp("client", PppProtocol.LCP, echoPacket(ControlCode.EchoRequest, 9, 0x00042021));
        }),
        { linkType: LINK_TYPE_OF_FRAMING.ethernet },
      ),
    expected: { sessions: HEALTHY_VERDICT.sessions, findings: ["limit-reached"] },
  },
];

/** Every fixture `npm run fixtures` writes: the healthy ones above and one scenario per failure. */
export const FIXTURES: readonly Fixture[] = [...HEALTHY_FIXTURES, ...CAPTURE_FIXTURES, ...REACHABILITY_FIXTURES, ...NEGOTIATION_FIXTURES, ...DATA_FIXTURES];

export function writeFixtures(folder: string): void {
  mkdirSync(folder, { recursive: true });
  for (const fixture of FIXTURES) {
    writeFileSync(join(folder, fixture.name), fixture.bytes());
    writeFileSync(join(folder, `${fixture.name}.expected.json`), expectationJson(fixture));
  }
}

/** The committed `<name>.expected.json`: description and verdict. */
export function expectationJson(fixture: Fixture): string {
  return JSON.stringify({ capture: fixture.name, description: fixture.description, ...fixture.expected }, null, 2) + "\n";
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const folder = process.argv[2] ?? "fixtures";
  writeFixtures(folder);
  console.log(`wrote ${FIXTURES.length} captures to ${folder}/`);
}
