/**
 * Calls by the call ID their GRE carries and the client address, looked up once per GRE
 * packet: keyed by the call ID (a small integer), then compared by address as a number
 * for IPv4, so the lookup allocates nothing. A small direct-mapped table of recent IPv4
 * answers sits in front of the map: a packet's lookup then reads one or two cache lines
 * instead of the map's buckets and its entries (memory latency, not instructions, is what
 * the per-packet path pays).
 */
import { destinationAddress, sourceAddress } from "../decode/address.js";
import type { Packet } from "../decode/packet.js";
import type { Call } from "./control.js";

/**
 * A call filed under its call ID for one client. The entries of one call ID form a chain,
 * oldest first: most call IDs have one client, and a chain of one costs no list beside it
 * (entries live as long as the index).
 */
interface Entry {
  /** IPv4 address as an unsigned number, -1 for IPv6. */
  address4: number;
  address: string;
  call: Call;
  /** The entry of the next client that filed a call under this call ID. */
  next: Entry | null;
}

/**
 * Entries per call ID: different clients may use the same call ID. Beyond it the oldest
 * entry goes (its call counts it in indexEvictions) and that call's GRE is not found until
 * a control message of its connection files it again.
 */
export const MAX_CALLS_PER_CALL_ID = 64;

/**
 * Slots of the table of recent IPv4 answers (a power of two), chosen by the call ID's low
 * bits: far more than the calls open at once in a busy capture, so that they rarely share one.
 */
const RECENT_SLOTS = 1024;
const RECENT_SLOT_MASK = RECENT_SLOTS - 1;
/** No call ID is negative: a slot holding this answers no lookup. */
const EMPTY_SLOT = -1;

export class CallIndex {
  /** The oldest entry of each call ID, first of its chain. */
  private readonly byCallId = new Map<number, Entry>();
  /** Per slot: the call ID and the IPv4 address of its last lookup, side by side (one cache line). */
  private readonly recentKeys = new Float64Array(RECENT_SLOTS * 2).fill(EMPTY_SLOT);
  /** Per slot: that lookup's answer, undefined when nothing was filed (most lookups from a server miss one index). */
  private readonly recentCalls: Array<Call | undefined> = new Array<Call | undefined>(RECENT_SLOTS).fill(undefined);

  /** Files `call` under `callId` for the client `address` (`address4`: the same IPv4 address as a number, -1 for IPv6). */
  set(address4: number, address: string, callId: number, call: Call): void {
    const first = this.byCallId.get(callId);
    if (first === undefined) {
      this.forgetRecent(callId);
      this.byCallId.set(callId, { address4, address, call, next: null });
      return;
    }
    let last = first;
    let count = 0;
    for (let e: Entry | null = first; e !== null; e = e.next) {
      if (e.address === address) {
        // mostly already filed (the connection files its calls again on every control message): the recent answers stay valid then
        if (e.call !== call) {
          e.call = call; // the newest call with these IDs wins
          this.forgetRecent(callId);
        }
        return;
      }
      last = e;
      count++;
    }
    this.forgetRecent(callId);
    last.next = { address4, address, call, next: null };
    // full: the oldest call with this ID goes, so a busy server's small call IDs stay findable
    if (count >= MAX_CALLS_PER_CALL_ID) {
      first.call.indexEvictions++;
      this.byCallId.set(callId, first.next!);
    }
  }

  /** The slot of `callId` may hold an answer that a change of its entries makes wrong. */
  private forgetRecent(callId: number): void {
    this.recentKeys[(callId & RECENT_SLOT_MASK) * 2] = EMPTY_SLOT;
  }

  /** The call for `callId` whose client is the packet's source (`clientIsSource`) or destination. */
  find(p: Packet, clientIsSource: boolean, callId: number): Call | undefined {
    if (p.ipVersion === 4) return this.find4(clientIsSource ? p.src4 : p.dst4, callId);
    const first = this.byCallId.get(callId);
    if (first === undefined) return undefined;
    const text = clientIsSource ? sourceAddress(p) : destinationAddress(p);
    for (let e: Entry | null = first; e !== null; e = e.next) if (e.address === text) return e.call;
    return undefined;
  }

  private find4(address4: number, callId: number): Call | undefined {
    const slot = callId & RECENT_SLOT_MASK;
    const keys = this.recentKeys;
    if (keys[slot * 2] === callId && keys[slot * 2 + 1] === address4) return this.recentCalls[slot];
    let call: Call | undefined;
    for (let e = this.byCallId.get(callId) ?? null; e !== null; e = e.next) {
      if (e.address4 === address4) {
        call = e.call;
        break;
      }
    }
    keys[slot * 2] = callId;
    keys[slot * 2 + 1] = address4;
    this.recentCalls[slot] = call;
    return call;
  }
}
