/**
 * PPP links seen directly on the capture (PPP link types, PPPoE sessions): the same
 * negotiation model as a PPTP call, giving the addresses IPCP assigned on the link. A
 * PPTP session can run over such a link (router to router, KB Q169831): the tracker
 * remembers which control connections it carried.
 */
import type { Frame, FrameOrigin } from "../capture/frame.js";
import { originOf } from "../capture/frame.js";
import { Direction, type Packet } from "../decode/packet.js";
import { PppProtocol } from "../decode/ppp/protocols.js";
import { PppoeCode } from "../decode/pppoe.js";
import { hexOf } from "../decode/ppp/bytes.js";
import { ControlCode } from "../decode/ppp/control-packet.js";
import { PppNegotiation, type PppSide } from "./ppp-negotiation.js";

/** Control connections listed per link as carried by it. */
export const MAX_CONNECTIONS_PER_LINK = 64;

/** Protocols whose packets are Configure-Request/Ack/Nak/Reject exchanges (RFC 1661 §5). */
const CONFIGURE_PROTOCOLS: ReadonlySet<number> = new Set([PppProtocol.LCP, PppProtocol.IPCP, PppProtocol.CCP, PppProtocol.IPV6CP]);

export type LinkKind = "ppp" | "pppoe";

/**
 * How the two ends are told apart: by the capture's direction (PPP_WITH_DIR, Linux SLL),
 * by Ethernet address (PPPoE), or inferred from which Configure-Request each Ack, Nak or
 * Reject answers when the capture records no direction (plain PPP and PPP-HDLC).
 */
export type SideSource = "direction" | "mac" | "inferred";

export class PppLink {
  readonly negotiation = new PppNegotiation();
  frames = 0;
  first: FrameOrigin;
  readonly last: FrameOrigin;
  /** Indexes of the PPTP control connections seen running over this link (the first MAX_CONNECTIONS_PER_LINK). */
  readonly connections: number[] = [];
  /** Control connections seen running over this link once `connections` was full. */
  connectionsOmitted = 0;
  /** The highest connection index counted in `connectionsOmitted`, -1 before one. */
  private lastOmitted = -1;
  sideSource: SideSource;
  /** PPPoE: the Ethernet addresses of host (client) and access concentrator. */
  readonly ends = new PppoeEnds();
  private readonly inferred = new SideInference();

  constructor(
    readonly kind: LinkKind,
    readonly linkType: number,
    readonly fileIndex: number,
    /** PPPoE session ID, -1 for plain PPP. */
    readonly sessionId: number,
    frame: Frame,
    direction: number,
  ) {
    this.first = originOf(frame);
    this.last = originOf(frame);
    this.sideSource = direction !== Direction.Unknown ? "direction" : kind === "pppoe" ? "mac" : "inferred";
  }

  touch(frame: Frame): void {
    this.frames++;
    this.last.fileIndex = frame.fileIndex;
    this.last.frameNo = frame.frameNo;
    this.last.tsSec = frame.tsSec;
    this.last.tsNsec = frame.tsNsec;
  }

  /** A PPP control frame on the link (p.ppp* set). */
  control(p: Packet, frame: Frame): void {
    this.touch(frame);
    const side = this.sideOf(p);
    if (side === null) return;
    this.negotiation.frame(side, p.pppProtocol, p.buf, p.pppOffset, p.pppLength, originOf(frame));
  }

  /** A control segment of connection `connectionIndex` ran over this link. */
  carries(connectionIndex: number): void {
    if (this.connections.includes(connectionIndex)) return;
    if (this.connections.length < MAX_CONNECTIONS_PER_LINK) {
      this.connections.push(connectionIndex);
    } else if (connectionIndex > this.lastOmitted) {
      // indexes rise in the order connections begin, and a connection over the link begins
      // with a segment on it: each one left out is counted once, without keeping a list
      this.connectionsOmitted++;
      this.lastOmitted = connectionIndex;
    }
  }

  private sideOf(p: Packet): PppSide | null {
    if (p.direction !== Direction.Unknown) return p.direction === Direction.Outbound ? "client" : "server";
    if (this.kind === "pppoe" && p.macSourceOffset >= 0) return this.ends.sideOf(macText(p.buf, p.macSourceOffset));
    return this.inferred.sideOf(p.pppProtocol, p.buf, p.pppOffset, p.pppLength);
  }

}

/**
 * The two Ethernet ends of a PPPoE session: the host sends PADI and PADR, the access
 * concentrator PADO and PADS (RFC 2516 §5). Without Discovery in the capture, the first
 * sender is taken for the host.
 */
export class PppoeEnds {
  clientMac: string | null = null;
  serverMac: string | null = null;

  discovery(p: Packet): void {
    if (p.macSourceOffset < 0) return;
    const mac = macText(p.buf, p.macSourceOffset);
    if (p.pppoeCode === PppoeCode.PADI || p.pppoeCode === PppoeCode.PADR) this.clientMac ??= mac;
    else if (p.pppoeCode === PppoeCode.PADO || p.pppoeCode === PppoeCode.PADS) this.serverMac ??= mac;
  }

  adopt(other: PppoeEnds): void {
    this.clientMac ??= other.clientMac;
    this.serverMac ??= other.serverMac;
  }

  sideOf(mac: string): PppSide {
    if (this.clientMac === null && mac !== this.serverMac) this.clientMac = mac;
    if (mac === this.clientMac) return "client";
    this.serverMac ??= mac;
    return "server";
  }
}

export function macText(buf: Uint8Array, offset: number): string {
  const parts: string[] = [];
  for (let i = 0; i < 6; i++) parts.push(buf[offset + i].toString(16).padStart(2, "0"));
  return parts.join(":");
}

/**
 * Sides of an undirected PPP capture. A Configure-Request opens an exchange: one whose
 * options equal a side's last request is that side's retransmission, a new one comes from
 * the side that has not sent one yet or whose last request was refused. A Configure-Ack
 * repeats the options of the request it accepts (RFC 1661 §5.2), so it comes from the
 * other side than that request; a Nak or Reject from the other side than the open request
 * with its identifier. Other packets alternate with the previous one, as request and
 * answer do. Good enough to pair what a capture shows; the report marks such a link's
 * sides as inferred.
 */
class SideInference {
  /** Per protocol: each side's latest Configure-Request (identifier and options as hex) and whether it was Acked. */
  private readonly requests = new Map<number, Record<PppSide, { id: number; options: string; acked: boolean } | null>>();
  private previous: PppSide = "server";

  sideOf(protocol: number, buf: Uint8Array, offset: number, length: number): PppSide {
    const side =
      CONFIGURE_PROTOCOLS.has(protocol) && length >= 4
        ? this.configureSide(protocol, buf[offset], buf[offset + 1], hexOf(buf, offset + 4, length - 4))
        : other(this.previous);
    this.previous = side;
    return side;
  }

  private configureSide(protocol: number, code: number, identifier: number, options: string): PppSide {
    let last = this.requests.get(protocol);
    if (last === undefined) {
      last = { client: null, server: null };
      this.requests.set(protocol, last);
    }
    const sideWith = (test: (r: { id: number; options: string; acked: boolean }) => boolean): PppSide | null =>
      last.client && test(last.client) ? "client" : last.server && test(last.server) ? "server" : null;
    if (code === ControlCode.ConfigureRequest) {
      const side: PppSide =
        sideWith((r) => r.options === options) ??
        (last.client === null ? "client" : last.server === null ? "server" : !last.client.acked ? "client" : !last.server.acked ? "server" : other(this.previous));
      last[side] = { id: identifier, options, acked: false };
      return side;
    }
    if (code === ControlCode.ConfigureAck) {
      const requester = sideWith((r) => r.options === options && !r.acked) ?? sideWith((r) => r.id === identifier);
      if (requester === null) return other(this.previous);
      last[requester]!.acked = true;
      return other(requester);
    }
    if (code === ControlCode.ConfigureNak || code === ControlCode.ConfigureReject) {
      const requester = sideWith((r) => r.id === identifier && !r.acked);
      return requester === null ? other(this.previous) : other(requester);
    }
    return other(this.previous);
  }
}

function other(side: PppSide): PppSide {
  return side === "client" ? "server" : "client";
}
