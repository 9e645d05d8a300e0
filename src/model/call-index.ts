/**
 * Calls by the call ID their GRE carries and the client address, looked up once per GRE
 * packet: keyed by the call ID (a small integer), then compared by address as a number
 * for IPv4, so the lookup allocates nothing. A small direct-mapped table of recent IPv4
 * answers sits in front of the map: a packet's lookup then reads one or two cache lines
 * instead of the map's buckets, the list and its entry (memory latency, not instructions,
 * is what the per-packet path pays).
 */
import { destinationAddress, sourceAddress } from "../decode/address.js";
import type { Packet } from "../decode/packet.js";
import type { Call } from "./control.js";

interface Entry {
  /** IPv4 address as an unsigned number, -1 for IPv6. */
  address4: number;
  address: string;
  call: Call;
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
  private readonly byCallId = new Map<number, Entry[]>();
  /** Per slot: the call ID and the IPv4 address of its last lookup, side by side (one cache line). */
  private readonly recentKeys = new Float64Array(RECENT_SLOTS * 2).fill(EMPTY_SLOT);
  /** Per slot: that lookup's answer, undefined when nothing was filed (most lookups from a server miss one index). */
  private readonly recentCalls: Array<Call | undefined> = new Array<Call | undefined>(RECENT_SLOTS).fill(undefined);

  /** Files `call` under `callId` for the client `address` (`address4`: the same IPv4 address as a number, -1 for IPv6). */
  set(address4: number, address: string, callId: number, call: Call): void {
    // the slot of this call ID may hold an answer this changes
    this.recentKeys[(callId & RECENT_SLOT_MASK) * 2] = EMPTY_SLOT;
    const entries = this.byCallId.get(callId);
    if (entries === undefined) {
      // most call IDs are used by one client: a list of one, grown when a second comes
      this.byCallId.set(callId, [{ address4, address, call }]);
      return;
    }
    for (const e of entries) {
      if (e.address === address) {
        e.call = call; // the newest call with these IDs wins
        return;
      }
    }
    // full: the oldest call with this ID goes, so a busy server's small call IDs stay findable
    if (entries.length >= MAX_CALLS_PER_CALL_ID) entries.shift()!.call.indexEvictions++;
    entries.push({ address4, address, call });
  }

  /** The call for `callId` whose client is the packet's source (`clientIsSource`) or destination. */
  find(p: Packet, clientIsSource: boolean, callId: number): Call | undefined {
    if (p.ipVersion === 4) return this.find4(clientIsSource ? p.src4 : p.dst4, callId);
    const entries = this.byCallId.get(callId);
    if (entries === undefined) return undefined;
    const text = clientIsSource ? sourceAddress(p) : destinationAddress(p);
    for (const e of entries) if (e.address === text) return e.call;
    return undefined;
  }

  private find4(address4: number, callId: number): Call | undefined {
    const slot = callId & RECENT_SLOT_MASK;
    const keys = this.recentKeys;
    if (keys[slot * 2] === callId && keys[slot * 2 + 1] === address4) return this.recentCalls[slot];
    let call: Call | undefined;
    const entries = this.byCallId.get(callId);
    if (entries !== undefined) {
      for (const e of entries) {
        if (e.address4 === address4) {
          call = e.call;
          break;
        }
      }
    }
    keys[slot * 2] = callId;
    keys[slot * 2 + 1] = address4;
    this.recentCalls[slot] = call;
    return call;
  }
}
