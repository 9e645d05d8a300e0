/**
 * Calls by the call ID their GRE carries and the client address, looked up once per GRE
 * packet: keyed by the call ID (a small integer), then compared by address as a number
 * for IPv4, so the lookup allocates nothing.
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

export class CallIndex {
  private readonly byCallId = new Map<number, Entry[]>();

  /** Files `call` under `callId` for the client `address` (`address4`: the same IPv4 address as a number, -1 for IPv6). */
  set(address4: number, address: string, callId: number, call: Call): void {
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

  /** The call for `callId` whose client is the packet's source (which = "src") or destination. */
  find(p: Packet, which: "src" | "dst", callId: number): Call | undefined {
    const entries = this.byCallId.get(callId);
    if (entries === undefined) return undefined;
    if (p.ipVersion === 4) {
      const address = which === "src" ? p.src4 : p.dst4;
      for (const e of entries) if (e.address4 === address) return e.call;
      return undefined;
    }
    const text = which === "src" ? sourceAddress(p) : destinationAddress(p);
    for (const e of entries) if (e.address === text) return e.call;
    return undefined;
  }
}
