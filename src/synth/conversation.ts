/**
 * A PPTP conversation as a capture would record it: the TCP control connection (with
 * real sequence numbers), control messages, and enhanced GRE carrying PPP (with GRE
 * sequence and acknowledgment numbers), each frame stamped by a deterministic clock.
 *
 * Fixtures and the benchmark script sessions with it; the failure cases of KB Q169831
 * are options: `serverReplyAddress` makes the server answer from another interface.
 */
import { ethernet } from "./ethernet.js";
import { enhancedGre } from "./gre.js";
import { ipv4 } from "./ipv4.js";
import { linuxSll } from "./linux-sll.js";
import { ppp } from "./ppp.js";
import { buildPptpMessage, type PptpMessageInit } from "./pptp.js";
import type { SynthRecord } from "./pcap-writer.js";
import { TcpFlag, tcp } from "./tcp.js";
import { SllPacketType } from "../decode/sll.js";
import { LinkType } from "../decode/linktypes.js";

export type Side = "client" | "server";

/** How an IPv4 datagram is framed on the capture link, seen from the capturing host (the client). */
export type LinkFraming = "ethernet" | "linux-sll";

export const LINK_TYPE_OF_FRAMING: Readonly<Record<LinkFraming, number>> = {
  ethernet: LinkType.ETHERNET,
  "linux-sll": LinkType.LINUX_SLL,
};

export interface ConversationOptions {
  client: string;
  /** The address the client dials. */
  server: string;
  /** The address the server's packets come from; default `server` (KB Q169831 when different). */
  serverReplyAddress?: string;
  clientPort: number;
  serverPort?: number;
  clientCallId: number;
  serverCallId: number;
  /** Initial sequence numbers of the TCP connection. */
  clientIsn?: number;
  serverIsn?: number;
  framing?: LinkFraming;
  /** Capture time of the first frame. */
  startSec: number;
  startNsec?: number;
  /** Time between consecutive frames, in microseconds (default 200). */
  stepMicros?: number;
}

const CLIENT_MAC = "02:00:00:00:00:01";
const SERVER_MAC = "02:00:00:00:00:02";
const DEFAULT_STEP_MICROS = 200;
const NANOS_PER_SECOND = 1_000_000_000;

interface GreState {
  /** Next sequence number this side sends. */
  nextSeq: number;
  /** Highest sequence number received from the peer and not yet acknowledged, -1 when none. */
  pendingAck: number;
}

export class PptpConversation {
  private readonly options: Required<Omit<ConversationOptions, "startNsec">>;
  private sec: number;
  private nsec: number;
  private readonly stepNanos: number;
  private clientSeq: number;
  private serverSeq: number;
  private ipId = 1;
  private readonly gre: Record<Side, GreState> = {
    client: { nextSeq: 0, pendingAck: -1 },
    server: { nextSeq: 0, pendingAck: -1 },
  };

  constructor(
    options: ConversationOptions,
    private readonly emit: (record: SynthRecord) => void,
  ) {
    this.options = {
      serverReplyAddress: options.server,
      serverPort: 1723,
      clientIsn: 1000,
      serverIsn: 5000,
      framing: "ethernet",
      stepMicros: DEFAULT_STEP_MICROS,
      ...options,
    };
    this.sec = options.startSec;
    this.nsec = options.startNsec ?? 0;
    this.stepNanos = this.options.stepMicros * 1000;
    this.clientSeq = this.options.clientIsn;
    this.serverSeq = this.options.serverIsn;
  }

  /** Let capture time pass without traffic. */
  wait(seconds: number): void {
    this.advance(Math.round(seconds * NANOS_PER_SECOND));
  }

  /** SYN, SYN-ACK, ACK. */
  connect(): void {
    this.tcpSegment("client", TcpFlag.SYN, new Uint8Array(0), [{ kind: "mss", value: 1460 }]);
    this.clientSeq++;
    this.tcpSegment("server", TcpFlag.SYN | TcpFlag.ACK, new Uint8Array(0), [{ kind: "mss", value: 1460 }]);
    this.serverSeq++;
    this.tcpSegment("client", TcpFlag.ACK);
  }

  /** One control message in one segment, acknowledged by the peer's next segment. */
  control(from: Side, message: PptpMessageInit): void {
    const bytes = buildPptpMessage(message);
    this.tcpSegment(from, TcpFlag.PSH | TcpFlag.ACK, bytes);
    if (from === "client") this.clientSeq += bytes.length;
    else this.serverSeq += bytes.length;
  }

  /** FIN from one side, FIN-ACK from the other, last ACK. */
  close(from: Side): void {
    const to: Side = from === "client" ? "server" : "client";
    this.tcpSegment(from, TcpFlag.FIN | TcpFlag.ACK);
    this.bumpSeq(from, 1);
    this.tcpSegment(to, TcpFlag.FIN | TcpFlag.ACK);
    this.bumpSeq(to, 1);
    this.tcpSegment(from, TcpFlag.ACK);
  }

  /** A PPP frame in enhanced GRE, with the receiver's call ID and a piggybacked acknowledgment. */
  ppp(from: Side, protocol: number, information: Uint8Array, addressControl = true): void {
    const frame = ppp({ protocol, payload: information, addressControl });
    this.greFrame(from, frame);
  }

  /** An already framed PPP payload (e.g. MPPE data of a given size) in enhanced GRE. */
  greFrame(from: Side, pppFrame: Uint8Array | undefined): void {
    const state = this.gre[from];
    const peer = this.gre[from === "client" ? "server" : "client"];
    const sequence = pppFrame ? state.nextSeq++ : undefined;
    const ack = state.pendingAck >= 0 ? state.pendingAck : undefined;
    state.pendingAck = -1;
    if (sequence !== undefined) peer.pendingAck = sequence;
    const callId = from === "client" ? this.options.serverCallId : this.options.clientCallId;
    this.ipFrame(from, enhancedGre({ callId, sequence, ack, payload: pppFrame }));
  }

  private tcpSegment(from: Side, flags: number, payload: Uint8Array = new Uint8Array(0), options?: Parameters<typeof tcp>[0]["options"]): void {
    const o = this.options;
    const fromClient = from === "client";
    const seq = fromClient ? this.clientSeq : this.serverSeq;
    const peerSeq = fromClient ? this.serverSeq : this.clientSeq;
    const ack = flags & TcpFlag.ACK ? peerSeq : 0;
    this.ipFrame(
      from,
      tcp({
        srcPort: fromClient ? o.clientPort : o.serverPort,
        dstPort: fromClient ? o.serverPort : o.clientPort,
        seq,
        ack,
        flags,
        window: 64240,
        options,
        payload,
      }),
    );
  }

  private bumpSeq(side: Side, by: number): void {
    if (side === "client") this.clientSeq += by;
    else this.serverSeq += by;
  }

  private ipFrame(from: Side, payload: Parameters<typeof ipv4>[0]["payload"]): void {
    const o = this.options;
    const fromClient = from === "client";
    const datagram = ipv4({
      src: fromClient ? o.client : o.serverReplyAddress,
      dst: fromClient ? o.server : o.client,
      id: this.ipId++ & 0xffff,
      ttl: fromClient ? 64 : 127,
      dontFragment: true,
      payload,
    });
    const data =
      o.framing === "ethernet"
        ? ethernet({ src: fromClient ? CLIENT_MAC : SERVER_MAC, dst: fromClient ? SERVER_MAC : CLIENT_MAC, payload: datagram })
        : linuxSll({ packetType: fromClient ? SllPacketType.Outgoing : SllPacketType.Host, payload: datagram });
    this.emit({ tsSec: this.sec, tsNsec: this.nsec, data });
    this.advance(this.stepNanos);
  }

  private advance(nanos: number): void {
    this.nsec += nanos;
    while (this.nsec >= NANOS_PER_SECOND) {
      this.nsec -= NANOS_PER_SECOND;
      this.sec++;
    }
  }
}
