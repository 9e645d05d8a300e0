import { describe, expect, it } from "vitest";
import { Ipv6ExtensionHeader } from "../../src/decode/ipv6.js";
import { ipPayload } from "../../src/synth/ip-payload.js";
import { ipv6, ipv6Fragments } from "../../src/synth/ipv6.js";
import { tcp } from "../../src/synth/tcp.js";
import { foldedSum, hex } from "./helpers.js";

const UDP = 17; // IANA protocol numbers
const NO_NEXT_HEADER = 59;

const SRC = "20010db8 00000000 00000000 00000001"; // 2001:db8::1
const DST = "20010db8 00000000 00000000 00000002"; // 2001:db8::2

describe("ipv6", () => {
  it("builds the fixed header (RFC 8200 §3)", () => {
    const packet = ipv6({
      src: "2001:db8::1", dst: "2001:db8::2", trafficClass: 0xb8, flowLabel: 0x12345, hopLimit: 255,
      payload: ipPayload(NO_NEXT_HEADER, hex("")),
    });
    expect(packet).toEqual(hex(
      "6b812345", // version 6, traffic class b8, flow label 12345
      "0000 3b ff", // payload length 0, next header 59 (none), hop limit 255
      SRC,
      DST,
    ));
  });

  it("chains extension headers and checksums TCP against the routing header's final destination", () => {
    const packet = ipv6({
      src: "2001:db8::1",
      dst: "2001:db8::2",
      extensionHeaders: [
        { type: "hop-by-hop" },
        { type: "routing", segmentsLeft: 1, addresses: ["2001:db8::99"] },
        { type: "destination", options: hex("1e 02 abcd") }, // experimental option type 0x1e (RFC 4727)
      ],
      payload: tcp({ srcPort: 1024, dstPort: 1723, flags: 0x02 }),
    });
    const extensions = hex(
      "2b 00 01 04 00000000", // Hop-by-Hop: next Routing(43), length 0, PadN of 4 zero bytes
      "3c 02 00 01 00000000", // Routing: next Destination(60), length 2 (x8 bytes), type 0, segments left 1, reserved
      "20010db8 00000000 00000000 00000099", // address 2001:db8::99
      "06 00 1e 02 abcd 01 00", // Destination: next TCP, length 0, the option, PadN of 0 bytes
    );
    expect(packet.subarray(0, 40)).toEqual(hex("60000000", "003c 00 40", SRC, DST)); // 40 + 20 bytes, next Hop-by-Hop
    expect(packet.subarray(40, 80)).toEqual(extensions);
    const segment = packet.subarray(80);
    expect(segment).toHaveLength(20);
    const pseudo = hex("20010db8 00000000 00000000 00000001", "20010db8 00000000 00000000 00000099",
      "00000014", "00000006"); // final destination, length 20, next header TCP
    expect(foldedSum(pseudo, segment)).toBe(0xffff);
  });

  it("writes a Pad1 when one byte is missing and a fragment header as given", () => {
    const packet = ipv6({
      src: "2001:db8::1", dst: "2001:db8::2",
      extensionHeaders: [
        { type: "destination", options: hex("1e 03 aabbcc") }, // 2 + 5 bytes: one Pad1
        { type: "fragment", offset: 0x1fff, more: true, identification: 0x01020304 },
      ],
      payload: ipPayload(UDP, hex("")),
    });
    expect(packet.subarray(40)).toEqual(hex(
      "2c 00 1e 03 aabbcc 00", // next Fragment(44), length 0, option, Pad1
      "11 00 fff9 01020304", // next UDP, reserved, offset 1fff << 3 | M, identification
    ));
  });
});

describe("ipv6Fragments", () => {
  const payload = Buffer.from(Array.from({ length: 100 }, (_, i) => i));

  it("keeps Hop-by-Hop unfragmentable and splits destination options + payload (RFC 8200 §4.5)", () => {
    const fragments = ipv6Fragments({
      src: "2001:db8::1", dst: "2001:db8::2",
      extensionHeaders: [{ type: "hop-by-hop" }, { type: "destination" }],
      payload: ipPayload(UDP, payload),
    }, 50, 0xdeadbeef); // 50 rounds down to 48
    // fragmentable part: destination options (8) + payload (100) = 108 = 48 + 48 + 12
    expect(fragments.map((f) => f.readUInt16BE(4))).toEqual([8 + 8 + 48, 8 + 8 + 48, 8 + 8 + 12]);
    for (const f of fragments) {
      expect(f[6]).toBe(Ipv6ExtensionHeader.HopByHop);
      expect(f.subarray(40, 48)).toEqual(hex("2c 00 01 04 00000000")); // Hop-by-Hop now points at Fragment
    }
    // Fragment headers: next Destination Options(60), offset/M: 0|M, 6|M, 12
    expect(fragments[0].subarray(48, 56)).toEqual(hex("3c 00 0001 deadbeef"));
    expect(fragments[1].subarray(48, 56)).toEqual(hex("3c 00 0031 deadbeef"));
    expect(fragments[2].subarray(48, 56)).toEqual(hex("3c 00 0060 deadbeef"));
    const fragmentable = Buffer.concat(fragments.map((f) => f.subarray(56)));
    expect(fragmentable).toEqual(Buffer.concat([hex("11 00 01 04 00000000"), payload])); // dest opts -> UDP
  });

  it("keeps everything up to the last routing header unfragmentable", () => {
    const fragments = ipv6Fragments({
      src: "2001:db8::1", dst: "2001:db8::2",
      extensionHeaders: [{ type: "destination" }, { type: "routing" }, { type: "destination" }],
      payload: ipPayload(UDP, payload),
    }, 1000, 7);
    expect(fragments).toHaveLength(1);
    const f = fragments[0];
    expect(f[6]).toBe(Ipv6ExtensionHeader.DestinationOptions);
    expect(f[40]).toBe(Ipv6ExtensionHeader.Routing); // destination options -> routing
    expect(f[48]).toBe(Ipv6ExtensionHeader.Fragment); // routing -> fragment
    expect(f.subarray(56, 64)).toEqual(hex("3c 00 0000 00000007")); // -> destination options, last fragment
    expect(f[64]).toBe(UDP);
  });
});
