import { describe, expect, it } from "vitest";
import { LoopbackFamily } from "../../src/decode/null-loop.js";
import { loopLink, nullLink } from "../../src/synth/null-loop.js";
import { hex } from "./helpers.js";

describe("NULL and LOOP", () => {
  it("writes NULL's family in the chosen host byte order", () => {
    expect(nullLink({ payload: hex("45") })).toEqual(hex("02000000 45")); // AF_INET, little-endian host
    expect(nullLink({ bigEndian: true, family: LoopbackFamily.INET6_DARWIN, payload: hex("60") }))
      .toEqual(hex("0000001e 60")); // AF_INET6 on Darwin (30), big-endian host
  });

  it("writes LOOP's family in network byte order", () => {
    expect(loopLink({ family: LoopbackFamily.INET6_BSD, payload: hex("60") })).toEqual(hex("00000018 60"));
  });
});
