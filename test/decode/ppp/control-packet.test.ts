import { describe, expect, it } from "vitest";
import {
  MAX_OPTIONS,
  blankControlPacket,
  blankPacketHeader,
  decodeControlPacket,
  decodePacketHeader,
} from "../../../src/decode/ppp/control-packet.js";
import { LCP_SPEC, type LcpOption, decodeLcp } from "../../../src/decode/ppp/lcp.js";
import { hex } from "../../synth/helpers.js";

describe("decodePacketHeader (RFC 1661 §5)", () => {
  it("bounds the data by Length, not by the bytes present", () => {
    const bytes = hex("aa", "01 07 0006 1122", "3344"); // one byte before, two bytes of padding after
    expect(decodePacketHeader(bytes, 1, bytes.length - 1)).toEqual({
      code: 1,
      identifier: 7,
      length: 6,
      dataOffset: 5,
      dataLength: 2,
      malformed: null,
    });
  });

  it("a Length beyond the bytes present: malformed, the bytes present are still data", () => {
    const header = decodePacketHeader(hex("01 07 0010 1122"), 0, 6);
    expect(header).toMatchObject({ length: 16, dataOffset: 4, dataLength: 2 });
    expect(header.malformed).toBe("Length 16 but only 6 bytes present");
  });

  it("a Length below the header size: malformed, no data", () => {
    const header = decodePacketHeader(hex("01 07 0003 1122"), 0, 6);
    expect(header).toMatchObject({ code: 1, identifier: 7, length: 3, dataLength: 0 });
    expect(header.malformed).toBe("Length 3 is less than the 4-byte header");
  });

  it("fewer than 4 bytes: what is there, -1 for the rest", () => {
    expect(decodePacketHeader(hex("09 02 00"), 0, 3)).toMatchObject({
      code: 9,
      identifier: 2,
      length: -1,
      dataLength: 0,
      malformed: "only 3 bytes, the header needs 4",
    });
    expect(decodePacketHeader(new Uint8Array(0), 0, 0)).toMatchObject({ code: -1, identifier: -1, length: -1 });
  });

  it("decodes into the header it is given, keeping nothing of the packet read into it before", () => {
    const into = blankPacketHeader();
    decodePacketHeader(hex("01 07 0010 1122"), 0, 6, into); // cut: malformed, 2 bytes of data
    const header = decodePacketHeader(hex("02 09 0004"), 0, 4, into); // whole, no data
    expect(header).toBe(into);
    expect(header).toEqual({ code: 2, identifier: 9, length: 4, dataOffset: 4, dataLength: 0, malformed: null });
  });
});

describe("option lists (RFC 1661 §6)", () => {
  it("stops at an option whose Length is below 2 and keeps the options before it", () => {
    const packet = decodeLcp(hex("01 01 000a", "01 04 05dc", "05 01"), 0, 10);
    expect(packet.options.map((o) => o.mru)).toEqual([1500]);
    expect(packet.malformed).toBe("option 5 at byte 4 of the options: Length 1 is below 2");
  });

  it("an option overrunning the packet is kept with the bytes present", () => {
    const packet = decodeLcp(hex("01 01 000b", "07 02", "05 06 1234 56"), 0, 11);
    expect(packet.options).toHaveLength(2);
    expect(packet.options[1]).toMatchObject({ type: 5, length: 6, value: "123456" });
    expect(packet.options[1].magicNumber).toBeUndefined();
    expect(packet.malformed).toBe("option 5 at byte 2 of the options: Length 6 overruns the 5 bytes left");
  });

  it("a lone type octet at the end has no Length", () => {
    const packet = decodeLcp(hex("01 01 0007", "07 02", "08"), 0, 7);
    expect(packet.options).toHaveLength(1);
    expect(packet.malformed).toBe("option 8 at byte 2 of the options: no Length octet");
  });

  it("a packet cut by the snap length decodes the options that are whole", () => {
    const whole = hex("01 01 000e", "01 04 0578", "05 06 12345678");
    const packet = decodeLcp(whole, 0, 10); // cut inside the Magic-Number
    expect(packet.options[0].mru).toBe(1400);
    expect(packet.malformed).toBe("Length 14 but only 10 bytes present");
  });

  it(`decodes at most MAX_OPTIONS (${MAX_OPTIONS}) options`, () => {
    const count = MAX_OPTIONS + 1;
    const length = 4 + 2 * count;
    const bytes = Buffer.alloc(length);
    bytes.set([1, 1, length >> 8, length & 0xff]);
    for (let i = 0; i < count; i++) bytes.set([7, 2], 4 + 2 * i); // Protocol-Field-Compression, again and again
    const packet = decodeLcp(bytes, 0, length);
    expect(packet.options).toHaveLength(MAX_OPTIONS);
    expect(packet.malformed).toBe(`more than ${MAX_OPTIONS} options`);
    // Exactly MAX_OPTIONS is fine.
    const fits = decodeLcp(bytes.subarray(0, length - 2), 0, length - 2);
    expect(fits.malformed).toBe(`Length ${length} but only ${length - 2} bytes present`);
    expect(fits.options).toHaveLength(MAX_OPTIONS);
  });

  it('"check" finds the same problems and counts as "decode", and keeps no options', () => {
    const omitted = Buffer.alloc(4 + 2 * (MAX_OPTIONS + 3));
    omitted.set([2, 1, 0, omitted.length]);
    for (let i = 0; i < MAX_OPTIONS + 3; i++) omitted.set([7, 2], 4 + 2 * i);
    const cases = [
      hex("02 01 000e", "01 04 05dc", "05 06 12345678"), // whole
      hex("02 01 000a", "01 04 05dc", "05 01"), // Length below 2
      hex("02 01 000b", "07 02", "05 06 1234 56"), // overrun
      hex("02 01 000d", "03 06 c223 0505", "01 03 05"), // CHAP with two algorithm octets, then a short MRU
      omitted,
    ];
    for (const bytes of cases) {
      const decoded = decodeLcp(bytes, 0, bytes.length);
      const checked = decodeControlPacket(LCP_SPEC, bytes, 0, bytes.length, "check");
      expect(checked.malformed).toBe(decoded.malformed);
      expect(checked.optionsOmitted).toBe(decoded.optionsOmitted);
      expect(checked.options).toEqual([]);
    }
    expect(decodeControlPacket(LCP_SPEC, omitted, 0, omitted.length, "check").optionsOmitted).toBe(3);
  });

  it("decodes into a given packet as into a new one, keeping nothing of the packet before", () => {
    const packets = [
      hex("01 01 000e", "01 04 05dc", "05 06 12345678"), // Configure-Request: MRU 1500, Magic-Number
      hex("05 02 0008", "6279 6521"), // Terminate-Request "bye!"
      hex("08 03 000a", "8021", "01 01 0004"), // Protocol-Reject of IPCP with the rejected packet
      hex("09 04 000c", "11223344", "aabb cc"), // Echo-Request cut: Length 12, 11 bytes
      hex("02 05 000e", "01 04 05dc", "05 06 12345678"), // Configure-Ack
    ];
    const into = blankControlPacket<"LCP", LcpOption>("LCP");
    const kept = [];
    for (const bytes of packets) {
      const decoded = decodeControlPacket(LCP_SPEC, bytes, 0, bytes.length, "decode", into);
      expect(decoded).toBe(into);
      expect({ ...decoded }).toEqual(decodeLcp(bytes, 0, bytes.length));
      kept.push(decoded.options);
    }
    // The option lists handed out stay as they were: each decode puts a new list in the packet.
    expect(kept[0].map((o) => [o.name, o.mru ?? o.magicNumber])).toEqual([
      ["Maximum-Receive-Unit", 1500],
      ["Magic-Number", 0x12345678],
    ]);
    expect(kept[1]).toEqual([]);
    expect(into.text).toBeNull(); // the Terminate text of the second packet is gone
  });

  it("never throws on arbitrary bytes", () => {
    // Every prefix of a damaged packet, at every start offset.
    const damaged = hex("01 ff 00ff 03 ff c2 23 05 00 13 30 0d 01 ff 00 00 08");
    for (let start = 0; start <= damaged.length; start++) {
      for (let end = start; end <= damaged.length; end++) {
        const packet = decodeLcp(damaged, start, end - start);
        expect(packet.protocol).toBe("LCP");
      }
    }
  });
});
