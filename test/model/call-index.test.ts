/**
 * CallIndex on its own: the table of recent answers in front of the map must never answer
 * with what a later set() changed, and call IDs that share its slot must not be confused.
 */
import { describe, expect, it } from "vitest";
import { Packet } from "../../src/decode/packet.js";
import { CallIndex, MAX_CALLS_PER_CALL_ID } from "../../src/model/call-index.js";
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

  it("answers the same when a call is filed again unchanged, as every control message of its connection does, and sees a new filing", () => {
    const index = new CallIndex();
    const a = fakeCall("a");
    const b = fakeCall("b");
    const fromClient = packet4(CLIENT4, SERVER4);
    const fromOther = packet4(OTHER_CLIENT4, SERVER4);
    index.set(CLIENT4, "192.0.2.10", 7, a);
    expect(index.find(fromClient, true, 7)).toBe(a);
    // remembered as the recent answer of call ID 7: nothing for the other client
    expect(index.find(fromOther, true, 7)).toBeUndefined();
    index.set(CLIENT4, "192.0.2.10", 7, a);
    expect(index.find(fromOther, true, 7)).toBeUndefined();
    expect(index.find(fromClient, true, 7)).toBe(a);
    // the other client's miss remembered again, then its call filed under the same ID: the miss must not hide it
    expect(index.find(fromOther, true, 7)).toBeUndefined();
    index.set(OTHER_CLIENT4, "192.0.2.20", 7, b);
    expect(index.find(fromOther, true, 7)).toBe(b);
    expect(index.find(fromClient, true, 7)).toBe(a);
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

  it(`keeps ${MAX_CALLS_PER_CALL_ID} clients under one call ID; one more pushes out the oldest, which counts it`, () => {
    const index = new CallIndex();
    // clients 10.0.0.1, 10.0.0.2, ...: one more than the index keeps per call ID
    const clients = Array.from({ length: MAX_CALLS_PER_CALL_ID + 1 }, (_, i) => ({ address4: 0x0a000001 + i, call: fakeCall(`c${i}`) }));
    for (const { address4, call } of clients) index.set(address4, `10.0.${(address4 >> 8) & 0xff}.${address4 & 0xff}`, 9, call);
    const [oldest, second] = clients;
    const newest = clients[MAX_CALLS_PER_CALL_ID];
    expect(index.find(packet4(oldest.address4, SERVER4), true, 9)).toBeUndefined();
    expect(oldest.call.indexEvictions).toBe(1);
    expect(index.find(packet4(second.address4, SERVER4), true, 9)).toBe(second.call);
    expect(index.find(packet4(newest.address4, SERVER4), true, 9)).toBe(newest.call);
    expect(clients.slice(1).every(({ call }) => call.indexEvictions === 0)).toBe(true);
    // filed again (its connection spoke), the oldest is back and the next oldest goes
    index.set(oldest.address4, "10.0.0.1", 9, oldest.call);
    expect(index.find(packet4(oldest.address4, SERVER4), true, 9)).toBe(oldest.call);
    expect(index.find(packet4(second.address4, SERVER4), true, 9)).toBeUndefined();
    expect(second.call.indexEvictions).toBe(1);
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
