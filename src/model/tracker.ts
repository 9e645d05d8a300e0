/**
 * The state that links frames into sessions: control connections (TCP to the control
 * port, reassembled per direction into PPTP messages), the calls on them, the GRE that
 * carries each call, and PPP links seen directly on the capture. Fed one decoded frame
 * at a time; every table keyed by packet data has a limit, and what a limit pushes out is
 * counted for the report.
 */
import { type Frame, type FrameOrigin, originOf } from "../capture/frame.js";
import { destinationAddress, sourceAddress } from "../decode/address.js";
import type { Decoder } from "../decode/decoder.js";
import { GRE_PROTOCOL_PPP } from "../decode/gre.js";
import { Packet, PacketKind } from "../decode/packet.js";
import { PppProtocol } from "../decode/ppp/protocols.js";
import { TcpFlag } from "../decode/tcp.js";
import type { PptpMessageFields } from "../decode/pptp.js";
import { type SegmentOrigin, TcpDirectionStream, type StreamEvents } from "../reassembly/tcp-stream.js";
import { CallIndex } from "./call-index.js";
import { ControlConnection, type Side, TcpEvent } from "./control.js";
import { GreDirection } from "./gre-flow.js";
import { type LinkKind, PppLink, PppoeEnds } from "./ppp-links.js";

/** Control connections tracked at once; the oldest idle one goes first. */
export const MAX_CONNECTIONS = 4096;
/** Control connections kept for the report once finished or pushed out. */
export const MAX_SESSIONS_REPORTED = 10_000;
/** GRE flows that no control connection explains. */
export const MAX_ORPHAN_FLOWS = 1024;
/** PPP links seen directly on the capture. */
export const MAX_LINKS = 256;
/**
 * Capture seconds a closed control connection waits for late packets before it is put away:
 * its streams finished, its calls sealed (PPP summarized, negotiation state dropped). GRE of
 * its calls is still counted afterwards; late PPP control frames are counted only.
 */
export const CLOSE_GRACE_SECONDS = 10;
/**
 * How deep PPP inside a tunnel is followed into IP again (tunnel in a tunnel): a PPTP
 * session inside a PPTP session is followed, one inside that as well, one deeper is counted.
 */
export const MAX_NESTED_DEPTH = 2;
/** PPP protocols listed per unexplained GRE flow (call-id-mismatch names them). */
export const MAX_PROTOCOLS_PER_ORPHAN_FLOW = 8;

const { SYN: TCP_SYN, ACK: TCP_ACK, FIN: TCP_FIN, RST: TCP_RST } = TcpFlag;
const EMPTY = new Uint8Array(0);

/** GRE with a call ID that no control connection set up. */
export interface OrphanFlow {
  from: string;
  to: string;
  callId: number;
  flow: GreDirection;
  /** PPP protocols seen in it (the first MAX_PROTOCOLS_PER_ORPHAN_FLOW). */
  pppProtocols: number[];
}

/**
 * A client's end of a control connection: its address and port, one exact number for IPv4
 * (address * 65536 + port < 2^48), text for IPv6. The server's port is always the control
 * port (the decoder passes only TCP with it), so the client's end and the server's address
 * name a connection.
 */
type ClientEnd = number | string;
/** Ports per IPv4 address in a ClientEnd. */
const CLIENT_END_PORTS = 65536;

/** The client's end of a control segment (`fromServer`: the client is its destination). */
function clientEndOf(p: Packet, fromServer: boolean): ClientEnd {
  const clientPort = fromServer ? p.dstPort : p.srcPort;
  if (p.ipVersion === 4) return (fromServer ? p.dst4 : p.src4) * CLIENT_END_PORTS + clientPort;
  return `${fromServer ? destinationAddress(p) : sourceAddress(p)}|${clientPort}`;
}

interface TrackedConnection {
  clientEnd: ClientEnd;
  connection: ControlConnection;
  /** The dialed (server) address as an unsigned IPv4 number, -1 for IPv6: segments are matched to it without making its text. */
  dialed4: number;
  /** Still in the tracker's tables: not retired. */
  active: boolean;
  /** Neighbours in the order of last use (`SessionTracker.leastRecent` first). */
  usedBefore: TrackedConnection | null;
  usedAfter: TrackedConnection | null;
  /** Made with the first segment of that direction that carries data, a FIN or a reset: most connections of a SYN flood never need one. */
  toServer: TcpDirectionStream | null;
  toClient: TcpDirectionStream | null;
  /** Sequence number of the server's SYN-ACK, -1 before one: the stream made later starts from it. */
  serverIsn: number;
  /** Capture second the connection closed, -1 while open. */
  closedAtSec: number;
}

export interface TrackerLimitsReached {
  connectionsEvicted: number;
  sessionsDropped: number;
  orphanFlowsDropped: number;
  linksDropped: number;
  /** PPP control frames that came more than CLOSE_GRACE_SECONDS after their control connection closed. */
  lateControlFrames: number;
  /** GRE packets of unexplained flows whose PPP protocol was not listed: MAX_PROTOCOLS_PER_ORPHAN_FLOW others were. */
  orphanProtocolsUnlisted: number;
  /** PPTP control segments and PPTP GRE found inside tunnels nested deeper than MAX_NESTED_DEPTH, not followed. */
  nestedTooDeep: number;
}

export class SessionTracker {
  /**
   * Active connections by their client end; a second connection from the same end to another
   * server address (rare) goes into `activeToOtherServers`, keyed by the client end and the server.
   */
  private readonly activeByClientEnd = new Map<ClientEnd, TrackedConnection>();
  private readonly activeToOtherServers = new Map<string, TrackedConnection>();
  private activeCount = 0;
  /** Ends of the list of active connections in the order of their last segment: the one idle longest is evicted first. */
  private leastRecent: TrackedConnection | null = null;
  private mostRecent: TrackedConnection | null = null;
  /** Finished or evicted connections, with the active ones making up all connections. */
  private readonly done: ControlConnection[] = [];
  /** Closed connections waiting out CLOSE_GRACE_SECONDS, oldest first. */
  private readonly closing: TrackedConnection[] = [];
  /** A client's connection by its client end, to place a SYN-ACK or segments from another address. */
  private readonly byClientEnd = new Map<ClientEnd, TrackedConnection>();
  /** Calls by the call ID GRE carries towards that end and the client's address. */
  private readonly toClientIndex = new CallIndex();
  private readonly toServerIndex = new CallIndex();
  private readonly orphans = new Map<string, OrphanFlow>();
  private lastOrphan: OrphanFlow | null = null;
  private lastOrphanKey = { src4: -1, dst4: -1, callId: -1 };
  private readonly linkMap = new Map<string, PppLink>();
  private readonly discoveries = new Map<number, PppoeEnds>();
  private lastLink: PppLink | null = null;
  private readonly nested = new Packet();
  private connectionCount = 0;
  readonly limits: TrackerLimitsReached = {
    connectionsEvicted: 0,
    sessionsDropped: 0,
    orphanFlowsDropped: 0,
    linksDropped: 0,
    lateControlFrames: 0,
    orphanProtocolsUnlisted: 0,
    nestedTooDeep: 0,
  };

  constructor(
    private readonly decoder: Decoder,
    private readonly pptpPort: number,
  ) {}

  /** One frame the decoder found interesting (`p` = decoder.packet). */
  frame(p: Packet, frame: Frame): void {
    this.packet(p, frame, 0);
  }

  private packet(p: Packet, frame: Frame, depth: number): void {
    switch (p.kind) {
      case PacketKind.PptpTcp:
        this.tcp(p, frame);
        if (p.linkPpp) this.ipOverLink(p, frame);
        break;
      case PacketKind.Gre:
        this.gre(p, frame, depth);
        if (p.linkPpp) this.link(p, frame)?.touch(frame);
        break;
      case PacketKind.PppLink: {
        const link = this.link(p, frame);
        // RFC 1661 §2: 0x8000 and up are control protocols; data frames only extend the link
        if (p.pppProtocol >= 0x8000) link?.control(p, frame);
        else link?.touch(frame);
        break;
      }
      case PacketKind.PppoeDiscovery:
        this.discovery(p, frame);
        break;
    }
  }

  // ---------------------------------------------------------------- control connections

  private tcp(p: Packet, frame: Frame): void {
    const fromServer = p.srcPort === this.pptpPort && !(p.dstPort === this.pptpPort && p.tcpFlags & TCP_SYN && !(p.tcpFlags & TCP_ACK));
    const clientEnd = clientEndOf(p, fromServer);
    let tracked = this.findActive(clientEnd, p, fromServer);
    const isSyn = (p.tcpFlags & (TCP_SYN | TCP_ACK)) === TCP_SYN;
    if (tracked === undefined && fromServer) {
      // KB Q169831: the answer comes from another address than the one dialed. A SYN-ACK
      // belongs to the client's connection only if it acknowledges that connection's SYN.
      const other = this.byClientEnd.get(clientEnd);
      if (other !== undefined) {
        const answersSyn = other.connection.clientIsn >= 0 && p.tcpAck === ((other.connection.clientIsn + 1) >>> 0);
        if ((p.tcpFlags & TCP_SYN) === 0 || answersSyn) tracked = other;
      }
    }
    if (tracked === undefined && !fromServer && !isSyn) {
      // the client answering an address that answered for its connection (typically a reset
      // to the SYN-ACK from another address): recorded on that connection, not a new one
      const other = this.byClientEnd.get(clientEnd);
      if (other !== undefined && other.connection.answeringAddresses.includes(destinationAddress(p))) {
        other.connection.seen(frame);
        const client = other.connection.client;
        if (p.tcpFlags & TCP_FIN) other.connection.tcpEvent("fins", new TcpEvent(frame, "client", client));
        if (p.tcpFlags & TCP_RST) other.connection.tcpEvent("resets", new TcpEvent(frame, "client", client));
        return;
      }
    }
    if (tracked !== undefined && isSyn && !fromServer && tracked.connection.clientIsn >= 0 && p.tcpSeq !== tracked.connection.clientIsn) {
      // the same four-tuple reused for a new connection
      this.retire(tracked);
      tracked = undefined;
    }
    // the segment's position, copied once (the reader reuses the Frame) for the connection's
    // start and its SYN (TCP events, messages and the stream keep copies of their own)
    let origin: FrameOrigin | null = null;
    if (tracked === undefined) {
      origin = originOf(frame);
      tracked = this.open(clientEnd, p, fromServer, origin);
      if (!isSyn) tracked.connection.startedMidway = true;
    }
    const connection = tracked.connection;
    const serverDialed = serverIsDialed(tracked, p, fromServer);
    // a connection found by its client end from another address is not moved in the order of use
    if (serverDialed) this.markUsed(tracked);
    connection.seen(frame);
    // the source's text: the connection's own strings, made only for an address that was not dialed
    const src = !fromServer ? connection.client : serverDialed ? connection.dialed : sourceAddress(p);
    if (fromServer) connection.noteAnswer(src);
    const from: Side = fromServer ? "server" : "client";
    if (isSyn && !fromServer) {
      connection.syn(origin ?? originOf(frame));
      connection.clientIsn = p.tcpSeq;
    } else if (p.tcpFlags & TCP_SYN && fromServer) {
      tracked.serverIsn = p.tcpSeq;
      connection.tcpEvent("synAcks", new TcpEvent(frame, from, src));
    }
    if (p.tcpFlags & TCP_FIN) connection.tcpEvent("fins", new TcpEvent(frame, from, src));
    if (p.tcpFlags & TCP_RST) connection.tcpEvent("resets", new TcpEvent(frame, from, src));
    // a pure ACK is recorded in `seen` only
    if (p.payloadLength > 0 || p.tcpFlags & (TCP_FIN | TCP_RST)) {
      this.streamOf(tracked, from).segment(p.tcpSeq, p.tcpFlags, p.buf, p.payloadOffset, p.payloadLength, frame);
    }
    if (tracked.closedAtSec < 0 && p.tcpFlags & (TCP_FIN | TCP_RST) && connection.closed) {
      tracked.closedAtSec = frame.tsSec;
      this.closing.push(tracked);
    }
    this.putAwayClosed(frame.tsSec);
  }

  /**
   * Retires the connections closed more than CLOSE_GRACE_SECONDS before `nowSec`, and the
   * oldest closed ones beyond MAX_CONNECTIONS (a capture whose clock stands still).
   */
  private putAwayClosed(nowSec: number): void {
    const closing = this.closing;
    while (closing.length > 0 && (closing.length > MAX_CONNECTIONS || closing[0].closedAtSec + CLOSE_GRACE_SECONDS <= nowSec)) {
      const tracked = closing.shift()!;
      if (tracked.active) this.retire(tracked);
    }
  }

  /** The active connection from `clientEnd` to the segment's server end. */
  private findActive(clientEnd: ClientEnd, p: Packet, fromServer: boolean): TrackedConnection | undefined {
    const first = this.activeByClientEnd.get(clientEnd);
    if (first !== undefined && serverIsDialed(first, p, fromServer)) return first;
    if (this.activeToOtherServers.size === 0) return undefined;
    return this.activeToOtherServers.get(otherServerKey(clientEnd, serverOf(p, fromServer)));
  }

  /**
   * A connection for the segment `p` (`fromServer`: sent by the server). One first seen from
   * the server side (a stray SYN-ACK, a capture starting midway) takes the client's end only
   * while no other connection holds it, so it cannot capture the answers of the client's own.
   */
  private open(clientEnd: ClientEnd, p: Packet, fromServer: boolean, origin: FrameOrigin): TrackedConnection {
    if (this.activeCount >= MAX_CONNECTIONS) this.evictOldest();
    const client = fromServer ? destinationAddress(p) : sourceAddress(p);
    const server = serverOf(p, fromServer);
    const clientPort = fromServer ? p.dstPort : p.srcPort;
    const serverPort = fromServer ? p.srcPort : p.dstPort;
    const connection = new ControlConnection(client, clientPort, server, serverPort, this.connectionCount++, origin);
    const tracked: TrackedConnection = {
      clientEnd,
      connection,
      dialed4: p.ipVersion === 4 ? (fromServer ? p.src4 : p.dst4) : -1,
      active: true,
      usedBefore: null,
      usedAfter: null,
      toServer: null,
      toClient: null,
      serverIsn: -1,
      closedAtSec: -1,
    };
    if (this.activeByClientEnd.has(clientEnd)) this.activeToOtherServers.set(otherServerKey(clientEnd, server), tracked);
    else this.activeByClientEnd.set(clientEnd, tracked);
    this.activeCount++;
    this.markUsed(tracked);
    if (!fromServer || !this.byClientEnd.has(clientEnd)) this.byClientEnd.set(clientEnd, tracked);
    return tracked;
  }

  /** Moves `tracked` to the most recently used end of the order of use (appends it when new). */
  private markUsed(tracked: TrackedConnection): void {
    if (this.mostRecent === tracked) return;
    this.unlinkFromUse(tracked);
    tracked.usedBefore = this.mostRecent;
    if (this.mostRecent !== null) this.mostRecent.usedAfter = tracked;
    else this.leastRecent = tracked;
    this.mostRecent = tracked;
  }

  private unlinkFromUse(tracked: TrackedConnection): void {
    const { usedBefore, usedAfter } = tracked;
    if (usedBefore !== null) usedBefore.usedAfter = usedAfter;
    else if (this.leastRecent === tracked) this.leastRecent = usedAfter;
    if (usedAfter !== null) usedAfter.usedBefore = usedBefore;
    else if (this.mostRecent === tracked) this.mostRecent = usedBefore;
    tracked.usedBefore = null;
    tracked.usedAfter = null;
  }

  /** The byte stream `from` sends, made on first use and told the SYN it began with, if one was seen. */
  private streamOf(tracked: TrackedConnection, from: Side): TcpDirectionStream {
    const existing = from === "client" ? tracked.toServer : tracked.toClient;
    if (existing !== null) return existing;
    const connection = tracked.connection;
    const stream = new TcpDirectionStream(new ConnectionStreamEvents(tracked, from, this.toClientIndex, this.toServerIndex));
    const isn = from === "client" ? connection.clientIsn : tracked.serverIsn;
    if (isn >= 0) stream.segment(isn, TCP_SYN, EMPTY, 0, 0, connection.first);
    if (from === "client") tracked.toServer = stream;
    else tracked.toClient = stream;
    return stream;
  }

  /** Pushes out the connection idle longest. */
  private evictOldest(): void {
    if (this.leastRecent === null) return;
    this.limits.connectionsEvicted++;
    this.retire(this.leastRecent);
  }

  private retire(tracked: TrackedConnection): void {
    const { clientEnd, connection } = tracked;
    if (this.activeByClientEnd.get(clientEnd) === tracked) this.activeByClientEnd.delete(clientEnd);
    else this.activeToOtherServers.delete(otherServerKey(clientEnd, connection.dialed));
    this.activeCount--;
    tracked.active = false;
    this.unlinkFromUse(tracked);
    if (this.byClientEnd.get(clientEnd) === tracked) this.byClientEnd.delete(clientEnd);
    this.finishConnection(tracked);
  }

  private finishConnection(tracked: TrackedConnection): void {
    tracked.toServer?.finish();
    tracked.toClient?.finish();
    tracked.connection.finish();
    if (this.done.length < MAX_SESSIONS_REPORTED) this.done.push(tracked.connection);
    else this.limits.sessionsDropped++;
  }

  // ---------------------------------------------------------------- GRE

  private gre(p: Packet, frame: Frame, depth: number): void {
    if (!isPptpGre(p)) return;
    const callId = p.greCallId;
    // towards the server it carries the server's call ID and comes from the client; towards the client the client's
    let call = this.toServerIndex.find(p, true, callId);
    const fromClient = call !== undefined;
    if (call === undefined) call = this.toClientIndex.find(p, false, callId);
    if (call === undefined) {
      this.orphan(p, frame);
      return;
    }
    const newSource = (fromClient ? call.toServer : call.toClient).add(p, frame);
    if (!fromClient && newSource !== null) call.connection.noteAnswer(newSource.address);
    if (p.pppProtocol < 0) return;
    if (p.pppProtocol === PppProtocol.IPv4 || p.pppProtocol === PppProtocol.IPv6) {
      this.tunnelled(p, frame, depth);
      return;
    }
    // RFC 1661 §2: 0x8000-0xbfff network control protocols, 0xc000-0xffff link control and authentication
    if (p.pppProtocol >= 0x8000) call.pppControl(fromClient ? "client" : "server", p.pppProtocol, p.buf, p.pppOffset, p.pppLength, frame);
  }

  /**
   * IP inside the PPP of a tunnel: a PPTP session can run inside another. Below
   * MAX_NESTED_DEPTH it is followed; deeper, what the tracker would follow is counted
   * (data that is not PPTP is not), so the report can say a tunnel went unread.
   */
  private tunnelled(p: Packet, frame: Frame, depth: number): void {
    const inner = this.nested;
    const kind = this.decoder.decodeIp(p.buf, p.pppOffset, p.pppLength, inner, frame.tsSec);
    if (kind !== PacketKind.PptpTcp && !(kind === PacketKind.Gre && isPptpGre(inner))) return;
    if (depth < MAX_NESTED_DEPTH) this.packet(inner, frame, depth + 1);
    else this.limits.nestedTooDeep++;
  }

  private orphan(p: Packet, frame: Frame): void {
    const key = this.lastOrphanKey;
    let flow = this.lastOrphan;
    if (flow === null || p.ipVersion !== 4 || key.src4 !== p.src4 || key.dst4 !== p.dst4 || key.callId !== p.greCallId) {
      const from = sourceAddress(p);
      const to = destinationAddress(p);
      const mapKey = `${from}|${to}|${p.greCallId}`;
      flow = this.orphans.get(mapKey) ?? null;
      if (flow === null) {
        if (this.orphans.size >= MAX_ORPHAN_FLOWS) {
          this.limits.orphanFlowsDropped++;
          return;
        }
        flow = { from, to, callId: p.greCallId, flow: new GreDirection(), pppProtocols: [] };
        this.orphans.set(mapKey, flow);
      }
      this.lastOrphan = flow;
      key.src4 = p.ipVersion === 4 ? p.src4 : -1;
      key.dst4 = p.ipVersion === 4 ? p.dst4 : -1;
      key.callId = p.greCallId;
    }
    flow.flow.add(p, frame);
    if (p.pppProtocol < 0 || flow.pppProtocols.includes(p.pppProtocol)) return;
    if (flow.pppProtocols.length < MAX_PROTOCOLS_PER_ORPHAN_FLOW) flow.pppProtocols.push(p.pppProtocol);
    else this.limits.orphanProtocolsUnlisted++;
  }

  // ---------------------------------------------------------------- PPP links

  private link(p: Packet, frame: Frame): PppLink | undefined {
    const kind: LinkKind = p.pppoeSession >= 0 || p.pppoeCode >= 0 ? "pppoe" : "ppp";
    // PPPoE Discovery before the session exists carries session 0: it belongs to the link that follows
    const session = kind === "pppoe" ? p.pppoeSession : -1;
    // every frame of a PPP capture is on its link: the last one found answers without a key
    const last = this.lastLink;
    if (last !== null && last.fileIndex === frame.fileIndex && last.linkType === frame.linkType && last.kind === kind && last.sessionId === session) {
      return last;
    }
    const key = `${frame.fileIndex}|${frame.linkType}|${kind}|${session}`;
    let link = this.linkMap.get(key);
    if (link === undefined) {
      if (this.linkMap.size >= MAX_LINKS) {
        this.limits.linksDropped++;
        return undefined;
      }
      link = new PppLink(kind, frame.linkType, frame.fileIndex, session, frame, p.direction);
      const pending = this.discoveries.get(frame.fileIndex);
      if (kind === "pppoe" && pending !== undefined) link.ends.adopt(pending);
      this.linkMap.set(key, link);
    }
    this.lastLink = link;
    return link;
  }

  /**
   * PPPoE Discovery (RFC 2516 §5): PADI, PADO and PADR carry session 0, so the addresses of
   * host and access concentrator wait per file for the session that PADS opens.
   */
  private discovery(p: Packet, frame: Frame): void {
    let pending = this.discoveries.get(frame.fileIndex);
    if (pending === undefined) {
      if (this.discoveries.size >= MAX_LINKS) return;
      pending = new PppoeEnds();
      this.discoveries.set(frame.fileIndex, pending);
    }
    pending.discovery(p);
    if (p.pppoeSession > 0) this.link(p, frame)?.ends.adopt(pending);
  }

  /** A control segment carried by a PPP link: remember that the link carries this session. */
  private ipOverLink(p: Packet, frame: Frame): void {
    const link = this.link(p, frame);
    if (link === undefined) return;
    link.touch(frame);
    const tracked = this.byClientEnd.get(clientEndOf(p, p.srcPort === this.pptpPort));
    if (tracked) link.carries(tracked.connection.index);
  }

  // ---------------------------------------------------------------- results

  /** End of capture: flush the streams and return every connection in the order it began. */
  finish(): { connections: ControlConnection[]; orphans: OrphanFlow[]; links: PppLink[] } {
    // least recently used first, as the connections stand in line for eviction
    for (let tracked = this.leastRecent; tracked !== null; tracked = tracked.usedAfter) this.finishConnection(tracked);
    this.activeByClientEnd.clear();
    this.activeToOtherServers.clear();
    this.byClientEnd.clear();
    this.closing.length = 0;
    this.activeCount = 0;
    this.leastRecent = this.mostRecent = null;
    const connections = this.done.sort((a, b) => a.index - b.index);
    for (const connection of connections) for (const call of connection.calls) this.limits.lateControlFrames += call.lateControlFrames;
    return { connections, orphans: [...this.orphans.values()], links: [...this.linkMap.values()].filter((l) => l.frames > 0) };
  }
}

/** Enhanced GRE carrying PPP with a call ID (RFC 2637 §4.1): the GRE of a PPTP call. */
function isPptpGre(p: Packet): boolean {
  return p.greVersion === 1 && p.greProtocol === GRE_PROTOCOL_PPP && p.greCallId >= 0;
}

/** The server's end of a control segment (`fromServer`: its source) as text. */
function serverOf(p: Packet, fromServer: boolean): string {
  return fromServer ? sourceAddress(p) : destinationAddress(p);
}

/** Whether the segment's server end is the address `tracked` dialed: compared as a number for IPv4, without making its text. */
function serverIsDialed(tracked: TrackedConnection, p: Packet, fromServer: boolean): boolean {
  if (p.ipVersion === 4) return tracked.dialed4 === (fromServer ? p.src4 : p.dst4);
  return tracked.connection.dialed === serverOf(p, fromServer);
}

/** The key of a connection in `activeToOtherServers`. */
function otherServerKey(clientEnd: ClientEnd, server: string): string {
  return `${clientEnd}|${server}`;
}

/** What a connection's stream of one direction reports, handed on to the connection and the call indexes. */
class ConnectionStreamEvents implements StreamEvents {
  constructor(
    private readonly tracked: TrackedConnection,
    private readonly from: Side,
    private readonly toClientIndex: CallIndex,
    private readonly toServerIndex: CallIndex,
  ) {}

  message(message: PptpMessageFields, origin: SegmentOrigin): void {
    this.tracked.connection.message(message, this.from, origin);
    this.indexCalls();
  }

  /** Makes each call of the connection findable by the call IDs its GRE carries (RFC 2637 §4.1: the receiver's). */
  private indexCalls(): void {
    const { clientEnd, connection } = this.tracked;
    const client4 = typeof clientEnd === "number" ? Math.floor(clientEnd / CLIENT_END_PORTS) : -1;
    const calls = connection.calls;
    // indexed: a for-of here made an iterator object per message
    for (let i = 0; i < calls.length; i++) {
      const call = calls[i];
      if (call.clientCallId !== null) this.toClientIndex.set(client4, connection.client, call.clientCallId, call);
      if (call.serverCallId !== null) this.toServerIndex.set(client4, connection.client, call.serverCallId, call);
    }
  }

  malformed(reason: string, origin: SegmentOrigin): void {
    this.tracked.connection.malformedMessage(reason, origin);
  }

  gap(bytes: number, _origin: SegmentOrigin, early: boolean): void {
    this.tracked.connection.streamGap(bytes, early);
  }
}
