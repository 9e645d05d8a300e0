import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { LinkType } from "../../src/decode/linktypes.js";
import { PppProtocol } from "../../src/decode/ppp/protocols.js";
import { checkCapture, exceptionFailure } from "../../src/fuzz/property.js";
import { writePcap, type SynthRecord } from "../../src/synth/pcap-writer.js";
import { overrunningConfigureRequest } from "../../src/synth/ppp-control.js";
import { establishCall } from "../../src/synth/sessions.js";
import { conversation } from "../model/conversation-captures.js";

const FIXTURES = fileURLToPath(new URL("../../fixtures/", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "pptp-analyze-property-"));

describe("checkCapture", () => {
  it("passes a fixture with its report: healthy.pcap has one session and no finding", async () => {
    expect(await checkCapture(join(FIXTURES, "healthy.pcap"), { wellFormed: true })).toMatchObject({ kind: "report", sessions: 1, findings: 0 });
  });

  it("passes a file that is no capture as refused, with the reader's one-line message", async () => {
    const path = join(scratch, "notes.txt");
    writeFileSync(path, "these are notes, not packets\n");
    expect(await checkCapture(path, { wellFormed: false })).toMatchObject({ kind: "rejected", message: `${path}: not a pcap or pcapng capture` });
  });

  it("fails a capture announced well-formed that the report calls damaged (malformed.pcap has a bad IPv4 header)", async () => {
    const path = join(FIXTURES, "malformed.pcap");
    expect(await checkCapture(path, { wellFormed: false })).toMatchObject({ kind: "report" });
    expect(await checkCapture(path, { wellFormed: true })).toMatchObject({
      kind: "failure",
      failure: { kind: "invariant", signature: "invariant: well-formed capture reported malformed" },
    });
  });

  it("passes a capture announced well-formed whose session, not its records, has a malformed PPP packet", async () => {
    // well-formed records and headers; the generator scripts broken PPP on purpose, as here an LCP
    // Configure-Request whose MRU option claims Length 10 in a 4-byte packet body
    const records: SynthRecord[] = [];
    const conv = conversation(records, { framing: "raw" });
    establishCall(conv, 0x1c2a, 0x8001);
    conv.ppp("client", PppProtocol.LCP, overrunningConfigureRequest(1));
    const path = join(scratch, "session-malformed.pcap");
    writeFileSync(path, writePcap(records, { linkType: LinkType.RAW }));
    const verdict = await checkCapture(path, { wellFormed: false });
    expect(verdict).toMatchObject({ kind: "report", sessions: 1, findings: 1 }); // the session's malformed finding
    expect(await checkCapture(path, { wellFormed: true })).toMatchObject({ kind: "report", sessions: 1, findings: 1 });
  });
});

describe("exceptionFailure", () => {
  it("signs an exception by its type, its message without numbers and paths, and the first project frame", () => {
    const error = new RangeError("offset 4096 is out of range in /tmp/case-7.pcap");
    error.stack = [
      "RangeError: offset 4096 is out of range in /tmp/case-7.pcap",
      "    at Buffer.readUInt32LE (node:internal/buffer:85:5)",
      "    at PcapFormat.unit (file:///work/main/dist/capture/pcap.js:77:21)",
      "    at CaptureReader.next (file:///work/main/dist/capture/reader.js:120:40)",
    ].join("\n");
    const failure = exceptionFailure(error, "/tmp/case-7.pcap");
    expect(failure.signature).toBe("exception: RangeError: offset N is out of range in FILE at PcapFormat.unit (capture/pcap)");
    expect(failure.message).toBe("RangeError: offset 4096 is out of range in FILE at PcapFormat.unit (capture/pcap)");
    expect(failure.detail).toBe(error.stack);
  });

  it("signs a thrown non-Error by its type", () => {
    expect(exceptionFailure("just a string", "/x").signature).toBe("exception: string: just a string");
  });
});
