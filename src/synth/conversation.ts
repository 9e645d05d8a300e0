/**
 * A PPTP conversation as a capture would record it: the TCP control connection (with
 * real sequence numbers), control messages, and enhanced GRE carrying PPP (with GRE
 * sequence and acknowledgment numbers), each frame stamped by a deterministic clock.
 *
 * Fixtures, tests and the benchmark script sessions with it; the failure cases of KB
 * Q169831 are options: `serverReplyAddress` makes the server answer from another
 * interface, `serverGreAddress` only its GRE. TCP trouble on the control channel
 * (split, reordered, repeated, overlapping or lost segments) is scripted with
 * controlSegments(), a connection that never gets going with syn() and reset().
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

/** What becomes of a GRE packet: it arrives, or it is lost before or after the capture point. */
export type GreFate = "delivered" | "lost-before-capture" | "lost-after-capture";

/**
 * How an IPv4 datagram is framed on the capture link, seen from the capturing host (the
 * client). "raw" gives the bare datagram (LINKTYPE_RAW), also what a test wraps into
 * another tunnel or a PPP link, using the side that emit() is told.
 */
export type LinkFraming = "ethernet" | "linux-sll" | "raw";

export const LINK_TYPE_OF_FRAMING: Readonly<Record<LinkFraming, number>> = {
  ethernet: LinkType.ETHERNET,
  "linux-sll": LinkType.LINUX_SLL,
  raw: LinkType.RAW,
};

export interface ConversationOptions {
  client: string;
  /** The address the client dials. */
  server: string;
  /** The address the server's packets come from; default `server` (KB Q169831 when different). */
  serverReplyAddress?: string;
  /**
   * The address the server's GRE comes from; default `serverReplyAddress`. KB Q169831 as
   * it usually shows: the TCP connection is answered from the dialed address, the GRE
   * from the interface with the best route back to the client.
   */
  serverGreAddress?: string;
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
  private readonly options: Required<Omit<ConversationOptions, "startNsec" | "serverGreAddress">>;
  private readonly serverGreAddress: string;
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
    /** Receives every frame with the side that sent it. */
    private readonly emit: (record: SynthRecord, from: Side) => void,
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
    this.serverGreAddress = options.serverGreAddress ?? this.options.serverReplyAddress;
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
    this.syn();
    this.synAck();
    this.tcpSegment("client", TcpFlag.ACK);
  }

  /** The client's SYN with its initial sequence number; called again, a retransmission of it. */
  syn(): void {
    this.clientSeq = this.options.clientIsn;
    this.tcpSegment("client", TcpFlag.SYN, new Uint8Array(0), [{ kind: "mss", value: 1460 }]);
    this.bumpSeq("client", 1);
  }

  /** The server's SYN-ACK, acknowledging the client's SYN (ack = its ISN + 1 once syn() was sent). */
  synAck(): void {
    this.serverSeq = this.options.serverIsn;
    this.tcpSegment("server", TcpFlag.SYN | TcpFlag.ACK, new Uint8Array(0), [{ kind: "mss", value: 1460 }]);
    this.bumpSeq("server", 1);
  }

  /** RST (with ACK) from one side: a refused connection port, or an aborted connection. */
  reset(from: Side): void {
    this.tcpSegment(from, TcpFlag.RST | TcpFlag.ACK);
  }

  /** One control message in one segment, acknowledged by the peer's next segment. */
  control(from: Side, message: PptpMessageInit): void {
    this.controlBytes(from, buildPptpMessage(message));
  }

  /** Bytes of the control stream in one segment, as control() sends a message: a damaged or cut message. */
  controlBytes(from: Side, bytes: Uint8Array): void {
    this.tcpSegment(from, TcpFlag.PSH | TcpFlag.ACK, bytes);
    this.bumpSeq(from, bytes.length);
  }

  /**
   * Control messages sent back to back as the byte ranges [start, end) of their
   * concatenation, one segment per range in the order listed, each with sequence number
   * (next sequence number + start). One range per message is the ordinary case; a range
   * across messages puts several in one segment; a later range listed first reorders;
   * a repeated range is a retransmission, ranges that share bytes overlap; bytes no range
   * covers are lost before the capture point. Afterwards the side's sequence number is
   * past all the messages, as if every byte had arrived.
   */
  controlSegments(from: Side, messages: readonly PptpMessageInit[], ranges: ReadonlyArray<readonly [number, number]>): void {
    const bytes = Buffer.concat(messages.map((m) => buildPptpMessage(m)));
    for (const [start, end] of ranges) {
      if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start || end > bytes.length) {
        throw new RangeError(`segment range [${start}, ${end}) is not inside the ${bytes.length} message bytes`);
      }
      this.tcpSegment(from, TcpFlag.PSH | TcpFlag.ACK, bytes.subarray(start, end), undefined, start);
    }
    this.bumpSeq(from, bytes.length);
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

  /**
   * An already framed PPP payload (e.g. MPPE data of a given size) in enhanced GRE. `fate`
   * scripts loss: "lost-before-capture" uses up a sequence number but no frame is written;
   * "lost-after-capture" is written, but never reaches the peer, which so never acknowledges it.
   */
  greFrame(from: Side, pppFrame: Uint8Array | undefined, fate: GreFate = "delivered"): void {
    const state = this.gre[from];
    const peer = this.gre[from === "client" ? "server" : "client"];
    const sequence = pppFrame ? state.nextSeq++ : undefined;
    const ack = state.pendingAck >= 0 ? state.pendingAck : undefined;
    state.pendingAck = -1;
    if (sequence !== undefined && fate === "delivered") peer.pendingAck = sequence;
    if (fate === "lost-before-capture") return;
    const callId = from === "client" ? this.options.serverCallId : this.options.clientCallId;
    this.ipFrame(from, enhancedGre({ callId, sequence, ack, payload: pppFrame }), from === "server" ? this.serverGreAddress : undefined);
  }

  /** A segment at the side's next sequence number plus `seqOffset`. */
  private tcpSegment(from: Side, flags: number, payload: Uint8Array = new Uint8Array(0), options?: Parameters<typeof tcp>[0]["options"],
    seqOffset = 0): void {
    const o = this.options;
    const fromClient = from === "client";
    const seq = ((fromClient ? this.clientSeq : this.serverSeq) + seqOffset) >>> 0;
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

  /** Sequence numbers wrap modulo 2^32 (RFC 9293 §3.4). */
  private bumpSeq(side: Side, by: number): void {
    if (side === "client") this.clientSeq = (this.clientSeq + by) >>> 0;
    else this.serverSeq = (this.serverSeq + by) >>> 0;
  }

  /** One datagram from `from`, framed for the link; `serverSource` overrides the server's address. */
  private ipFrame(from: Side, payload: Parameters<typeof ipv4>[0]["payload"], serverSource?: string): void {
    const o = this.options;
    const fromClient = from === "client";
    const datagram = ipv4({
      src: fromClient ? o.client : (serverSource ?? o.serverReplyAddress),
      dst: fromClient ? o.server : o.client,
      id: this.ipId++ & 0xffff,
      ttl: fromClient ? 64 : 127,
      dontFragment: true,
      payload,
    });
    const data =
      o.framing === "ethernet"
        ? ethernet({ src: fromClient ? CLIENT_MAC : SERVER_MAC, dst: fromClient ? SERVER_MAC : CLIENT_MAC, payload: datagram })
        : o.framing === "linux-sll"
          ? linuxSll({ packetType: fromClient ? SllPacketType.Outgoing : SllPacketType.Host, payload: datagram })
          : datagram;
    this.emit({ tsSec: this.sec, tsNsec: this.nsec, data }, from);
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
