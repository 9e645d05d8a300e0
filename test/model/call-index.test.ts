/**
 * CallIndex on its own: the table of recent answers in front of the map must never answer
 * with what a later set() changed, and call IDs that share its slot must not be confused.
 */
import { describe, expect, it } from "vitest";
import { Packet } from "../../src/decode/packet.js";
import { CallIndex } from "../../src/model/call-index.js";
import type { Call } from "../../src/model/control.js";

const CLIENT4 = 0xc000020a; // 192.0.2.10
const OTHER_CLIENT4 = 0xc0000214; // 192.0.2.20
const SERVER4 = 0xc6336401; // 198.51.100.1

/** The index only stores and returns calls (and counts evictions on them): a stand-in is enough. */
function fakeCall(name: string): Call {
  return { name, indexEvictions: 0 } as unknown as Call;
}

function packet4(src4: number, dst4: number): Packet {
  const p = new Packet();
  p.ipVersion = 4;
  p.src4 = src4;
  p.dst4 = dst4;
  return p;
}

describe("CallIndex", () => {
  it("finds a call filed after a lookup of its call ID missed", () => {
    const index = new CallIndex();
    const fromClient = packet4(CLIENT4, SERVER4);
    expect(index.find(fromClient, true, 7)).toBeUndefined();
    const call = fakeCall("a");
    index.set(CLIENT4, "192.0.2.10", 7, call);
    expect(index.find(fromClient, true, 7)).toBe(call);
  });

  it("answers with the newest call filed under the same call ID and client", () => {
    const index = new CallIndex();
    const toClient = packet4(SERVER4, CLIENT4);
    const older = fakeCall("older");
    const newer = fakeCall("newer");
    index.set(CLIENT4, "192.0.2.10", 7, older);
    expect(index.find(toClient, false, 7)).toBe(older);
    index.set(CLIENT4, "192.0.2.10", 7, newer);
    expect(index.find(toClient, false, 7)).toBe(newer);
  });

  it("tells clients apart by the packet's source or destination", () => {
    const index = new CallIndex();
    const a = fakeCall("a");
    const b = fakeCall("b");
    index.set(CLIENT4, "192.0.2.10", 7, a);
    index.set(OTHER_CLIENT4, "192.0.2.20", 7, b);
    expect(index.find(packet4(CLIENT4, SERVER4), true, 7)).toBe(a);
    expect(index.find(packet4(OTHER_CLIENT4, SERVER4), true, 7)).toBe(b);
    expect(index.find(packet4(SERVER4, OTHER_CLIENT4), false, 7)).toBe(b);
    expect(index.find(packet4(SERVER4, CLIENT4), true, 7)).toBeUndefined();
  });

  it("keeps call IDs that share a slot of recent answers apart", () => {
    const index = new CallIndex();
    const low = fakeCall("low");
    const high = fakeCall("high");
    // 5 and 5 + 32768 share a slot in any power-of-two table of up to 32 K slots
    const sameSlot = 5 + 0x10000 / 2;
    index.set(CLIENT4, "192.0.2.10", 5, low);
    index.set(CLIENT4, "192.0.2.10", sameSlot, high);
    const fromClient = packet4(CLIENT4, SERVER4);
    for (let round = 0; round < 2; round++) {
      expect(index.find(fromClient, true, 5)).toBe(low);
      expect(index.find(fromClient, true, sameSlot)).toBe(high);
    }
  });
});
