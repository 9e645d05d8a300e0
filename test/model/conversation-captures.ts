/**
 * Captures synthesized for the session-model tests: write records to a temporary pcap,
 * run analyze() or a bare SessionTracker over it, and count what the synthesizer sent, so
 * that the expected GRE packets and bytes come from the script, not from the model.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { analyze } from "../../src/analyze.js";
import type { Frame } from "../../src/capture/frame.js";
import { readCaptureSet } from "../../src/capture/capture-set.js";
import { Decoder } from "../../src/decode/decoder.js";
import { PacketKind } from "../../src/decode/packet.js";
import { SessionTracker } from "../../src/model/tracker.js";
import type { Report } from "../../src/report/schema.js";
import { type ConversationOptions, PptpConversation, type Side } from "../../src/synth/conversation.js";
import { type SynthRecord, writePcap } from "../../src/synth/pcap-writer.js";
import { SeededRandom } from "../../src/synth/random.js";
import type { SessionParameters } from "../../src/synth/sessions.js";

/** 2024-03-01T09:00:00Z; the conversation's clock steps 200 µs per frame by default. */
export const START_SEC = 1709283600;

/** Time of frame n (1-based) of a conversation started at START_SEC with the default 200 µs step. */
export function frameTime(frameNo: number, stepMicros = 200): string {
  const micros = (frameNo - 1) * stepMicros;
  const sec = Math.floor(micros / 1e6);
  const date = new Date((START_SEC + sec) * 1000).toISOString().slice(0, 19);
  return `${date}.${String(micros % 1e6).padStart(6, "0")}Z`;
}

/** A temporary folder for one test file's captures. */
export class CaptureFolder {
  private readonly path = mkdtempSync(join(tmpdir(), "pptp-model-"));
  private count = 0;

  write(records: readonly SynthRecord[], linkType: number): string {
    const file = join(this.path, `capture-${++this.count}.pcap`);
    writeFileSync(file, writePcap(records, { linkType }));
    return file;
  }

  /** A capture file of the given bytes (a hand-built or damaged one). */
  writeBytes(bytes: Uint8Array, extension: string): string {
    const file = join(this.path, `capture-${++this.count}.${extension}`);
    writeFileSync(file, bytes);
    return file;
  }

  async analyze(records: readonly SynthRecord[], linkType: number): Promise<Report> {
    return analyze([this.write(records, linkType)]);
  }

  /** The model as the tracker leaves it, for what the report does not print (yet). */
  async track(records: readonly SynthRecord[], linkType: number, pptpPort = 1723): Promise<{ tracker: SessionTracker; model: ReturnType<SessionTracker["finish"]> }> {
    const decoder = new Decoder({ pptpPort });
    const tracker = new SessionTracker(decoder, pptpPort);
    await readCaptureSet([this.write(records, linkType)], (frame: Frame) => {
      const kind = decoder.decode(frame);
      if (kind !== PacketKind.Other && kind !== PacketKind.FragmentHeld) tracker.frame(decoder.packet, frame);
    });
    return { tracker, model: tracker.finish() };
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

export interface GreTally {
  packets: number;
  /** GRE payload bytes: the PPP frames handed to the conversation. */
  bytes: number;
}

/** A conversation that counts the GRE it sends per side, from the PPP frames it is given. */
export class TalliedConversation extends PptpConversation {
  readonly sent: Record<Side, GreTally> = { client: { packets: 0, bytes: 0 }, server: { packets: 0, bytes: 0 } };

  override greFrame(from: Side, pppFrame: Uint8Array | undefined): void {
    this.sent[from].packets++;
    this.sent[from].bytes += pppFrame?.length ?? 0;
    super.greFrame(from, pppFrame);
  }
}

/** A conversation whose frames go to `records`, with the addresses most tests use. */
export function conversation(records: SynthRecord[], options: Partial<ConversationOptions> = {}): TalliedConversation {
  return new TalliedConversation(
    {
      client: "192.0.2.10",
      server: "198.51.100.1",
      clientPort: 49152,
      clientCallId: 0x1c2a,
      serverCallId: 0x8001,
      startSec: START_SEC,
      ...options,
    },
    (record) => records.push(record),
  );
}

/** PPP parameters of a session: MS-CHAPv2 user alice, tunnel addresses 10.8.0.2 / 10.8.0.1. */
export function sessionParameters(overrides: Partial<SessionParameters> = {}): SessionParameters {
  return {
    userName: "alice",
    clientTunnelAddress: "10.8.0.2",
    serverTunnelAddress: "10.8.0.1",
    dataFrames: 0,
    minDataBytes: 60,
    maxDataBytes: 1400,
    random: new SeededRandom(7),
    ...overrides,
  };
}

/** Records of several conversations merged by capture time (stable: equal times keep their order). */
export function mergeByTime(...lists: SynthRecord[][]): SynthRecord[] {
  return lists.flat().sort((a, b) => a.tsSec - b.tsSec || a.tsNsec - b.tsNsec);
}
