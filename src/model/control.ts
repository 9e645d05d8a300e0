/**
 * A PPTP control connection (TCP to the control port) and the calls set up on it
 * (RFC 2637 §2): who dialed which address, who answered from where, every control
 * message, and per call its IDs, results, GRE flows and PPP negotiation.
 */
import { type FrameOrigin, originOf } from "../capture/frame.js";
import { PptpMessageType as Msg, type PptpMessageFields, pptpMessageName } from "../decode/pptp.js";
import { GreDirection } from "./gre-flow.js";
import { noItems } from "./empty-list.js";
import { PppNegotiation, type PppSide, type PppSummary } from "./ppp-negotiation.js";

export type Side = "client" | "server";

/** Control messages kept per connection for the report; more are counted only. */
export const MAX_MESSAGES_PER_CONNECTION = 200;
/** Calls per control connection (RFC 2637 allows many; a PNS rarely has more than a few). */
export const MAX_CALLS_PER_CONNECTION = 64;
/** Addresses remembered as having answered for one connection. */
export const MAX_ANSWERING_ADDRESSES = 8;
/** SYNs, SYN-ACKs, FINs, RSTs and Set-Link-Info messages remembered per connection (a flood is counted, not kept). */
export const MAX_TCP_EVENTS = 64;

/**
 * `list` with `item` appended; an empty list is replaced by [item]. V8 gives a list room for
 * 17 items on its first push, and most lists of a connection keep one item (its SYN, its
 * SYN-ACK, its call, the address that answered) for the connection's whole life. Every list
 * of ControlConnection and Call grows through here, so that trimmed() can rely on it and the
 * lists can all start as the shared noItems().
 */
function appended<T>(list: T[], item: T): T[] {
  if (list.length === 0) return [item];
  list.push(item);
  return list;
}

/** `list` at its length, for keeping: a list of one was made at its size by appended(), longer ones have room to spare. */
function trimmed<T>(list: T[]): T[] {
  return list.length <= 1 ? list : list.slice();
}

/**
 * Outstanding Echo-Requests remembered per connection; one more pushes the oldest out,
 * counted as unanswered (at one echo a minute, 16 outstanding is a quarter of an hour of silence).
 */
export const MAX_PENDING_ECHOES = 16;

/**
 * Something a side sent on the control connection, holding the position of its segment and
 * itself that FrameOrigin (`origin` returns the record): a copy of the position beside it
 * would double the objects a connection keeps, as most segments carry one message. The
 * position is copied, as the reader reuses its Frame for the next record.
 */
abstract class SegmentRecord implements FrameOrigin {
  readonly fileIndex: number;
  readonly frameNo: number;
  readonly tsSec: number;
  readonly tsNsec: number;

  constructor(
    origin: FrameOrigin,
    readonly from: Side,
  ) {
    this.fileIndex = origin.fileIndex;
    this.frameNo = origin.frameNo;
    this.tsSec = origin.tsSec;
    this.tsNsec = origin.tsNsec;
  }

  get origin(): FrameOrigin {
    return this;
  }
}

/**
 * A control message as kept for the report. What the message set up on the connection and
 * its calls (a reply, a clear...) points to the record as its origin.
 */
export class ControlMessage extends SegmentRecord {
  /** Result and error codes of the replies that carry them (RFC 2637 numbers, see CallReply for cause); undefined where the type has none. */
  result: number | undefined = undefined;
  error: number | undefined = undefined;
  cause: number | undefined = undefined;
  callId: number | undefined = undefined;
  peerCallId: number | undefined = undefined;

  constructor(
    origin: FrameOrigin,
    from: Side,
    readonly type: number,
  ) {
    super(origin, from);
  }

  /** The long name, e.g. "Outgoing-Call-Reply" (from the type: not kept per record). */
  get name(): string {
    return pptpMessageName(this.type);
  }
}

/** A TCP flag event on the control connection (SYN, SYN-ACK, FIN, RST). */
export class TcpEvent extends SegmentRecord {
  constructor(
    origin: FrameOrigin,
    from: Side,
    /** Source address of the segment. */
    readonly address: string,
  ) {
    super(origin, from);
  }
}

/** WAN-Error-Notify counters of a call (RFC 2637 §2.14), summed over its messages. */
export interface WanErrorCounts {
  messages: number;
  crc: number;
  framing: number;
  hardwareOverruns: number;
  bufferOverruns: number;
  timeouts: number;
  alignment: number;
}

/**
 * A reply a call or the connection keeps (Start-Control-Connection-Reply, Outgoing- and
 * Incoming-Call-Reply, Call-Disconnect-Notify): the reply's own record, its codes all set,
 * `cause` 0 for the replies that carry none.
 */
export interface CallReply extends ControlMessage {
  result: number;
  error: number;
  cause: number;
}

/** Sets the codes of a reply's record, which makes it the CallReply kept for it. */
function replyRecord(record: ControlMessage, result: number, error: number, cause: number): CallReply {
  record.result = result;
  record.error = error;
  record.cause = cause;
  return record as CallReply;
}

export class Call {
  direction: "outgoing" | "incoming";
  /** The PNS's (client's) and the PAC's (server's) call IDs; null until a message names them. */
  clientCallId: number | null = null;
  serverCallId: number | null = null;
  request: FrameOrigin | null = null;
  reply: CallReply | null = null;
  /** Incoming-Call-Connected. */
  connected: FrameOrigin | null = null;
  /** Set-Link-Info messages: the call ID each named and the ACCMs (the first MAX_TCP_EVENTS; more are counted). */
  setLinkInfo: Array<{ origin: FrameOrigin; peerCallId: number; sendAccm: number; receiveAccm: number }> = noItems();
  setLinkInfoOmitted = 0;
  clear: FrameOrigin | null = null;
  disconnect: CallReply | null = null;
  /** WAN-Error-Notify counters, summed; null until the first (most calls never see one). */
  wanErrors: WanErrorCounts | null = null;
  readonly toServer = new GreDirection();
  readonly toClient = new GreDirection();
  /** The PPP negotiation while the call can still carry it; once sealed, only its summary is kept. */
  private negotiation: PppNegotiation | null = new PppNegotiation();
  private sealedSummary: PppSummary | null = null;
  /** PPP control frames that arrived after the call was sealed: counted, not analyzed. */
  lateControlFrames = 0;
  /**
   * Times the call was pushed out of a call index because more than MAX_CALLS_PER_CALL_ID
   * calls shared its call ID: GRE of it may have been taken for an unknown call ID until the
   * next control message put it back.
   */
  indexEvictions = 0;

  constructor(
    direction: "outgoing" | "incoming",
    readonly connection: ControlConnection,
    readonly index: number,
  ) {
    this.direction = direction;
  }

  /**
   * A PPP control frame of this call's GRE. The buffer and `origin` are only read here (the
   * origin may be the reader's Frame, reused for the next record): the negotiation copies what it keeps.
   */
  pppControl(from: PppSide, protocol: number, buf: Uint8Array, offset: number, length: number, origin: FrameOrigin): void {
    if (this.negotiation !== null) this.negotiation.frame(from, protocol, buf, offset, length, origin);
    else this.lateControlFrames++;
  }

  pppSummary(): PppSummary {
    return this.sealedSummary ?? this.negotiation!.summary();
  }

  /**
   * The control connection is over: keep the summary of the PPP negotiation and drop its
   * state, which is most of a call's memory, and judge its GRE acknowledgments so that new
   * calls can take the sequence histories. GRE is still counted.
   */
  seal(): void {
    if (this.negotiation === null) return;
    this.sealedSummary = this.negotiation.summary();
    this.negotiation = null;
    GreDirection.releaseHistories(this.toServer, this.toClient);
  }

  /** The call was answered with success (Outgoing-Call-Reply 1 connected, Incoming-Call-Reply 1 connect). */
  get accepted(): boolean {
    return this.reply !== null && this.reply.result === 1;
  }
}

export class ControlConnection {
  calls: Call[] = noItems();
  /** Call requests and replies that would have set up a call beyond MAX_CALLS_PER_CONNECTION: counted, not followed. */
  callsOmitted = 0;
  messages: ControlMessage[] = noItems();
  messagesOmitted = 0;
  /** Client SYNs (first and retransmissions), the SYN-ACKs that answered them, FINs and RSTs (MAX_TCP_EVENTS of each). */
  syns: FrameOrigin[] = noItems();
  synAcks: TcpEvent[] = noItems();
  fins: TcpEvent[] = noItems();
  resets: TcpEvent[] = noItems();
  /** SYNs, SYN-ACKs, FINs and RSTs beyond MAX_TCP_EVENTS of their kind: counted, not kept. */
  tcpEventsOmitted = 0;
  clientIsn = -1;
  /** Every address that answered: the server side's segments, SYN-ACKs, GRE towards the client (the first MAX_ANSWERING_ADDRESSES). */
  answeringAddresses: string[] = noItems();
  /** Answers (server segments, new GRE sources) from addresses beyond MAX_ANSWERING_ADDRESSES: counted, not listed. */
  answersFromUnlistedAddresses = 0;
  /** The Start-Control-Connection-Reply's record, with its codes. */
  startReply: CallReply | null = null;
  /** The Stop-Control-Connection-Request's record and its reason (RFC 2637 §2.3), 0 before one. */
  stopRequest: ControlMessage | null = null;
  stopReason = 0;
  stopReply: FrameOrigin | null = null;
  /** PPTP Echo-Requests without a reply yet, by identifier. */
  pendingEchoes: Array<{ identifier: number; origin: ControlMessage }> = noItems();
  unansweredEchoes = 0;
  unansweredEchoFrames: FrameOrigin[] = noItems();
  /** Echo-Requests pushed out of pendingEchoes by a newer one beyond MAX_PENDING_ECHOES (counted as unanswered). */
  echoesPushedOut = 0;
  answeredEchoes = 0;
  /** Control messages or bytes that could not be decoded. */
  malformed: Array<{ origin: FrameOrigin; reason: string }> = noItems();
  malformedOmitted = 0;
  /** Bytes never seen in the control stream (lost before the capture point). */
  gapBytes = 0;
  /**
   * Holes in the control stream given up while they could still fill, because a direction held
   * MAX_STREAM_BUFFER_BYTES or MAX_HELD_SEGMENTS out of order: bytes that came for them later were not used.
   */
  holesGivenUpEarly = 0;
  first: FrameOrigin;
  /** The latest segment: its own object, updated in place by seen(). */
  readonly last: FrameOrigin;
  /** Set when the capture shows no SYN: it starts in the middle of the connection. */
  startedMidway = false;

  constructor(
    readonly client: string,
    readonly clientPort: number,
    /** The address the client's TCP connection went to. */
    readonly dialed: string,
    readonly serverPort: number,
    readonly index: number,
    origin: FrameOrigin,
  ) {
    this.first = origin;
    this.last = originOf(origin);
  }

  /** A segment of this connection (or one recorded on it): the connection lasts until then. */
  seen(frame: FrameOrigin): void {
    const last = this.last;
    last.fileIndex = frame.fileIndex;
    last.frameNo = frame.frameNo;
    last.tsSec = frame.tsSec;
    last.tsNsec = frame.tsNsec;
  }

  /**
   * Whether this looks like a PPTP control connection at all: a handshake to the control
   * port, or a PPTP message in it. A capture that starts mid-connection with no message
   * (another protocol that happens to use the port) is not reported.
   */
  get isPptp(): boolean {
    return this.syns.length > 0 || this.synAcks.length > 0 || this.messages.length > 0 || this.messagesOmitted > 0;
  }

  noteAnswer(address: string): void {
    if (this.answeringAddresses.includes(address)) return;
    if (this.answeringAddresses.length < MAX_ANSWERING_ADDRESSES) this.answeringAddresses = appended(this.answeringAddresses, address);
    else this.answersFromUnlistedAddresses++;
  }

  /** A client SYN (first or retransmitted) kept, or counted when MAX_TCP_EVENTS are. */
  syn(origin: FrameOrigin): void {
    if (this.syns.length < MAX_TCP_EVENTS) this.syns = appended(this.syns, origin);
    else this.tcpEventsOmitted++;
  }

  /** A SYN-ACK, FIN or RST kept in its list, or counted when the list holds MAX_TCP_EVENTS. */
  tcpEvent(list: "synAcks" | "fins" | "resets", event: TcpEvent): void {
    if (this[list].length < MAX_TCP_EVENTS) this[list] = appended(this[list], event);
    else this.tcpEventsOmitted++;
  }

  /** A hole in one direction's control stream was given up (`early`: for a limit of the stream, see holesGivenUpEarly). */
  streamGap(bytes: number, early: boolean): void {
    this.gapBytes += bytes;
    if (early) this.holesGivenUpEarly++;
  }

  /**
   * One decoded control message from one side. `message` and `origin` are only read here
   * (the stream reuses the message object, `origin` may be the reader's Frame): the
   * message's record keeps the position and the numbers the report needs.
   */
  message(message: PptpMessageFields, from: Side, origin: FrameOrigin): void {
    // the record, its codes and call IDs filled per type below
    const record = new ControlMessage(origin, from, message.type);
    switch (message.type) {
      case Msg.StartControlConnectionReply:
        this.startReply = replyRecord(record, message.resultCode, message.errorCode, 0);
        break;
      case Msg.StopControlConnectionRequest:
        this.stopRequest = record;
        this.stopReason = message.reason;
        break;
      case Msg.StopControlConnectionReply:
        this.stopReply = record;
        record.result = message.resultCode;
        record.error = message.errorCode;
        break;
      case Msg.EchoRequest:
        if (this.pendingEchoes.length >= MAX_PENDING_ECHOES) {
          this.expireEcho(this.pendingEchoes.shift()!);
          this.echoesPushedOut++;
        }
        this.pendingEchoes = appended(this.pendingEchoes, { identifier: message.identifier, origin: record });
        break;
      case Msg.EchoReply: {
        const pending = this.pendingEchoes;
        for (let i = 0; i < pending.length; i++) {
          if (pending[i].identifier === message.identifier && pending[i].origin.from !== from) {
            pending.splice(i, 1);
            this.answeredEchoes++;
            break;
          }
        }
        record.result = message.resultCode;
        record.error = message.errorCode;
        break;
      }
      case Msg.OutgoingCallRequest: {
        const call = this.newCall("outgoing");
        if (call) {
          call.clientCallId = message.callId;
          call.request = record;
        }
        record.callId = message.callId;
        break;
      }
      case Msg.OutgoingCallReply: {
        // RFC 2637 §2.8: the reply's peer call ID is the request's call ID
        const call = this.findCall("client", message.peerCallId, "outgoing", true) ?? this.newCall("outgoing", message.peerCallId);
        const reply = replyRecord(record, message.resultCode, message.errorCode, message.causeCode);
        if (call) {
          call.serverCallId = message.callId;
          call.reply = reply;
        }
        record.callId = message.callId;
        record.peerCallId = message.peerCallId;
        break;
      }
      case Msg.IncomingCallRequest: {
        // sent by the PAC (server): its call ID is the server's
        const call = this.newCall("incoming");
        if (call) {
          call.serverCallId = message.callId;
          call.request = record;
        }
        record.callId = message.callId;
        break;
      }
      case Msg.IncomingCallReply: {
        const call = this.findCall("server", message.peerCallId, "incoming", true) ?? this.newCall("incoming", undefined, message.peerCallId);
        const reply = replyRecord(record, message.resultCode, message.errorCode, 0);
        if (call) {
          call.clientCallId = message.callId;
          call.reply = reply;
        }
        record.callId = message.callId;
        record.peerCallId = message.peerCallId;
        break;
      }
      case Msg.IncomingCallConnected: {
        const call = this.findCall("client", message.peerCallId, "incoming", false);
        if (call) call.connected = record;
        record.peerCallId = message.peerCallId;
        break;
      }
      case Msg.CallClearRequest: {
        // sent by the PNS (client) with its own call ID
        const call = this.findCall("client", message.callId);
        if (call) call.clear = record;
        record.callId = message.callId;
        break;
      }
      case Msg.CallDisconnectNotify: {
        // sent by the PAC (server) with its own call ID
        const call = this.findCall("server", message.callId);
        const disconnect = replyRecord(record, message.resultCode, message.errorCode, message.causeCode);
        if (call) call.disconnect = disconnect;
        record.callId = message.callId;
        break;
      }
      case Msg.WanErrorNotify: {
        const call = this.findCall("client", message.peerCallId);
        if (call) {
          const w = (call.wanErrors ??= { messages: 0, crc: 0, framing: 0, hardwareOverruns: 0, bufferOverruns: 0, timeouts: 0, alignment: 0 });
          w.messages++;
          w.crc += message.crcErrors;
          w.framing += message.framingErrors;
          w.hardwareOverruns += message.hardwareOverruns;
          w.bufferOverruns += message.bufferOverruns;
          w.timeouts += message.timeoutErrors;
          w.alignment += message.alignmentErrors;
        }
        record.peerCallId = message.peerCallId;
        break;
      }
      case Msg.SetLinkInfo: {
        // PNS to PAC names the PAC's call ID; PAC to PNS (some implementations) the PNS's
        const named = message.peerCallId;
        const call = this.findCall(from === "client" ? "server" : "client", named) ?? (this.calls.length === 1 ? this.calls[0] : undefined);
        if (call !== undefined) {
          const entry = { origin: record, peerCallId: named, sendAccm: message.sendAccm, receiveAccm: message.receiveAccm };
          if (call.setLinkInfo.length < MAX_TCP_EVENTS) call.setLinkInfo = appended(call.setLinkInfo, entry);
          else call.setLinkInfoOmitted++;
        }
        record.peerCallId = named;
        break;
      }
    }
    if (this.messages.length < MAX_MESSAGES_PER_CONNECTION) this.messages = appended(this.messages, record);
    else this.messagesOmitted++;
  }

  /** A message that could not be decoded; `origin` is only read here, as in message(). */
  malformedMessage(reason: string, origin: FrameOrigin): void {
    if (this.malformed.length < MAX_MESSAGES_PER_CONNECTION) this.malformed = appended(this.malformed, { origin: originOf(origin), reason });
    else this.malformedOmitted++;
  }

  /** Both sides sent a FIN, or either a reset: nothing more is coming on this connection. */
  get closed(): boolean {
    return this.resets.length > 0 || (this.sentFin("client") && this.sentFin("server"));
  }

  /** Asked on every FIN and reset, so a plain loop: no callback made per call. */
  private sentFin(side: Side): boolean {
    for (let i = 0; i < this.fins.length; i++) if (this.fins[i].from === side) return true;
    return false;
  }

  /**
   * The connection is over (closed, pushed out or the capture ended): Echo-Requests still
   * waiting were never answered. Its lists are kept for the report at their length (see
   * appended()): most hold a few items.
   */
  finish(): void {
    for (let i = 0; i < this.pendingEchoes.length; i++) this.expireEcho(this.pendingEchoes[i]);
    this.pendingEchoes = noItems();
    for (let i = 0; i < this.calls.length; i++) {
      const call = this.calls[i];
      call.seal();
      call.setLinkInfo = trimmed(call.setLinkInfo);
    }
    this.calls = trimmed(this.calls);
    this.messages = trimmed(this.messages);
    this.syns = trimmed(this.syns);
    this.synAcks = trimmed(this.synAcks);
    this.fins = trimmed(this.fins);
    this.resets = trimmed(this.resets);
    this.answeringAddresses = trimmed(this.answeringAddresses);
    this.unansweredEchoFrames = trimmed(this.unansweredEchoFrames);
    this.malformed = trimmed(this.malformed);
  }

  private expireEcho(echo: { origin: FrameOrigin }): void {
    this.unansweredEchoes++;
    if (this.unansweredEchoFrames.length < MAX_PENDING_ECHOES) this.unansweredEchoFrames = appended(this.unansweredEchoFrames, echo.origin);
  }

  /**
   * The latest call whose `idOf` side's call ID is `callId`, of `direction` if one is given,
   * and still without a reply when `unanswered`.
   */
  private findCall(idOf: Side, callId: number, direction?: Call["direction"], unanswered = false): Call | undefined {
    for (let i = this.calls.length - 1; i >= 0; i--) {
      const call = this.calls[i];
      if ((idOf === "client" ? call.clientCallId : call.serverCallId) !== callId) continue;
      if (direction !== undefined && call.direction !== direction) continue;
      if (unanswered && call.reply !== null) continue;
      return call;
    }
    return undefined;
  }

  /** A new call (capped); IDs given when the capture shows the reply without its request. */
  private newCall(direction: "outgoing" | "incoming", clientCallId?: number, serverCallId?: number): Call | undefined {
    if (this.calls.length >= MAX_CALLS_PER_CONNECTION) {
      this.callsOmitted++;
      return undefined;
    }
    const call = new Call(direction, this, this.calls.length);
    if (clientCallId !== undefined) call.clientCallId = clientCallId;
    if (serverCallId !== undefined) call.serverCallId = serverCallId;
    this.calls = appended(this.calls, call);
    return call;
  }
}
