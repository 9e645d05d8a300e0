import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { type Analysis, analyze, analyzeCaptures } from "../../src/analyze.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { redact } from "../../src/report/redact.js";
import type { Finding, Link, Report } from "../../src/report/schema.js";
import { renderTable } from "../../src/report/table.js";
import { HOSTILE, writeHostileCapture } from "./hostile-capture.js";
import { mermaidBlocks, parseSequence } from "./mermaid-check.js";

const HEALTHY = fileURLToPath(new URL("../../fixtures/healthy.pcap", import.meta.url));

let healthy: Report;
let hostile: Analysis;

beforeAll(async () => {
  healthy = await analyze([HEALTHY]);
  hostile = await analyzeCaptures([writeHostileCapture()]);
});

function info(message: string, extra: Partial<Finding> = {}): Finding {
  return { code: "test", severity: "info", message, frames: [], ...extra };
}

/** A PPP link seen on the capture, as the report lists one, with the given peer name. */
function link(peerName: string): Link {
  const ppp = structuredClone(healthy.sessions[0].ppp);
  ppp.auth.peerName = peerName;
  return { kind: "ppp", linkType: 9, sessionId: null, local: "172.16.0.2", peer: "192.168.0.2", addresses: ["172.16.0.2", "192.168.0.2"], sides: "direction", ppp, frames: [1, 9] };
}

describe("redact: names", () => {
  it("replaces the peer name and changes nothing else", () => {
    const before = structuredClone(healthy);
    const out = redact(healthy, { addresses: false });
    expect(healthy).toEqual(before); // the input is not touched
    const expected = structuredClone(healthy);
    expected.sessions[0].ppp.auth.peerName = "user-1"; // fixture user "alice"
    expect(out).toEqual(expected);
  });

  it("gives each name one placeholder everywhere it occurs, whole words only", () => {
    const report = structuredClone(healthy);
    report.sessions.push({ ...structuredClone(report.sessions[0]), id: "s2" });
    report.sessions[1].ppp.auth.peerName = "bob";
    report.links = [link("alice")];
    report.sessions[0].findings.push(
      info("MS-CHAPv2 authentication of alice failed (alice.).", { detail: "bob and alice", remedy: "check alice's password" }),
      info("malice, alicent and alice2 are other words; ALICE another name"),
    );
    report.findings.push(info("bob", { frames: [{ file: "alice/ring.pcap", frame: 3 }] }));
    const out = redact(report, { addresses: false });
    expect(out.sessions[0].ppp.auth.peerName).toBe("user-1");
    expect(out.sessions[1].ppp.auth.peerName).toBe("user-2");
    expect(out.links[0].ppp.auth.peerName).toBe("user-1");
    expect(out.sessions[0].findings).toEqual([
      info("MS-CHAPv2 authentication of user-1 failed (user-1.).", { detail: "user-2 and user-1", remedy: "check user-1's password" }),
      info("malice, alicent and alice2 are other words; ALICE another name"),
    ]);
    expect(out.findings).toEqual([info("user-2", { frames: [{ file: "user-1/ring.pcap", frame: 3 }] })]);
  });

  it("replaces names with regular-expression and Markdown characters literally, the longest first", () => {
    const report = structuredClone(healthy);
    report.sessions[0].ppp.auth.peerName = "a|b*c (x)";
    report.links = [link("a|b*c (x) [admin]")];
    report.findings.push(info("names: a|b*c (x) [admin] / a|b*c (x) / a|b*c"));
    const out = redact(report, { addresses: false });
    expect(out.findings[0].message).toBe("names: user-2 / user-1 / a|b*c");
  });

  it("never touches the report's own words: a user called client, failed or 2024", () => {
    for (const name of ["client", "failed", "2024", "Outgoing-Call-Reply", "pptp-analyze"]) {
      const report = structuredClone(healthy);
      report.sessions[0].ppp.auth.peerName = name;
      report.sessions[0].outcome = "failed";
      const out = redact(report, { addresses: false });
      const expected = structuredClone(report);
      expected.sessions[0].ppp.auth.peerName = "user-1";
      expect(out, name).toEqual(expected);
    }
  });

  it("takes names from any field with a known key, e.g. a host name or phone number the report may add", () => {
    const report = structuredClone(healthy);
    (report.sessions[0].control.messages[0] as unknown as Record<string, string>).hostName = "WORKSTATION7";
    (report.sessions[0].control.messages[2] as unknown as Record<string, string>).phoneNumber = "555-0100";
    report.sessions[0].findings.push(info("host WORKSTATION7 dialed 555-0100"));
    const out = redact(report, { addresses: false });
    const messages = out.sessions[0].control.messages as unknown as Array<Record<string, string>>;
    expect(messages[0].hostName).toBe("host-1");
    expect(messages[2].phoneNumber).toBe("phone-1");
    expect(out.sessions[0].findings[0].message).toBe("host host-1 dialed phone-1");
  });

  it("leaves no hostile peer name in any format of the hostile capture's report", () => {
    const out = redact(hostile.report, { addresses: false });
    expect(out.sessions.map((s) => s.ppp.auth.peerName)).toEqual(["user-1", "user-2"]);
    const texts = [JSON.stringify(out), renderMarkdown(out), renderTable({ report: out, traffic: hostile.traffic })].join("\n");
    expect(texts).not.toContain(HOSTILE.chapName);
    expect(texts).not.toContain(JSON.stringify(HOSTILE.papName).slice(1, -1));
    expect(texts).not.toContain("bob");
  });
});

describe("redact: addresses", () => {
  it("maps each address to a documentation address, in order of appearance, the same one everywhere", () => {
    const out = redact(healthy, { addresses: true });
    const s = out.sessions[0];
    // Order: client 192.0.2.10, dialed 198.51.100.1, IPCP client 10.8.0.2, server 10.8.0.1 (RFC 5737 TEST-NET-1).
    expect([s.client, s.dialed, s.serverAddresses, s.gre.toClient.from, s.ppp.ipcp.client, s.ppp.ipcp.server]).toEqual([
      "192.0.2.1",
      "192.0.2.2",
      ["192.0.2.2"],
      ["192.0.2.2"],
      "192.0.2.3",
      "192.0.2.4",
    ]);
    expect(s.start).toBe(healthy.sessions[0].start);
    expect(s.control).toEqual(healthy.sessions[0].control);
    const json = JSON.stringify(out);
    for (const original of ["192.0.2.10", "198.51.100.1", "10.8.0.2", "10.8.0.1"]) expect(json).not.toContain(original);
  });

  it("finds addresses inside any text, IPv6 by its canonical form, and leaves times, MACs and versions alone", () => {
    const report = structuredClone(healthy);
    report.captures[0].file = "captures/10.0.0.1.pcap";
    report.sessions[0].findings.push(
      info("dial 192.168.0.2, not 172.16.0.1. GRE from 2001:DB8:0:0::5 and [fe80::1]:1723; 2001:db8::5 again", {
        recommended: "192.168.0.2",
        frames: [{ file: "captures/10.0.0.1.pcap", frame: 4 }],
        detail: "MAC 02:00:00:00:00:01 at 09:00:00, firmware 1.2.3.4.5, mapped ::ffff:10.0.0.1, not 999.1.1.1",
      }),
    );
    const out = redact(report, { addresses: true });
    expect(out.captures[0].file).toBe("captures/192.0.2.1.pcap");
    expect(out.sessions[0].findings[0]).toEqual(
      info("dial 192.0.2.6, not 192.0.2.7. GRE from 2001:db8::1 and [2001:db8::2]:1723; 2001:db8::1 again", {
        recommended: "192.0.2.6",
        frames: [{ file: "captures/192.0.2.1.pcap", frame: 4 }],
        detail: "MAC 02:00:00:00:00:01 at 09:00:00, firmware 1.2.3.4.5, mapped 2001:db8::3, not 999.1.1.1",
      }),
    );
  });

  it("goes on past TEST-NET-1 into TEST-NET-2, -3, 198.18.0.0/15, and then to plain tokens", () => {
    const count = 254 * 3 + 2 ** 17 - 2 + 1;
    const addresses = Array.from({ length: count }, (_, i) => `10.${(i >> 16) & 0xff}.${(i >> 8) & 0xff}.${i & 0xff}`);
    const report = structuredClone(healthy);
    report.findings.push(info(addresses.join(" ")));
    const mapped = redact(report, { addresses: true }).findings[0].message.split(" ");
    // The healthy session's four addresses come first (report order: captures, sessions, links,
    // findings), so the finding's addresses take the placeholders from index 4 on.
    const at = (placeholderIndex: number) => mapped[placeholderIndex - 4];
    expect([at(4), at(253), at(254), at(507), at(508), at(761), at(762), at(763), at(762 + 2 ** 17 - 3), at(762 + 2 ** 17 - 2)]).toEqual([
      "192.0.2.5",
      "192.0.2.254",
      "198.51.100.1",
      "198.51.100.254",
      "203.0.113.1",
      "203.0.113.254",
      "198.18.0.1",
      "198.18.0.2",
      "198.19.255.254",
      `ipv4-${762 + 2 ** 17 - 1}`,
    ]);
    expect(new Set(mapped).size).toBe(count);
  });

  it("keeps the diagram readable: participants are still addresses, and Mermaid parses it", async () => {
    const report = structuredClone(healthy);
    report.sessions[0].outcome = "failed";
    report.sessions[0].serverAddresses.push("203.0.113.5");
    report.sessions[0].gre.toClient.from = ["203.0.113.5"];
    const out = redact(report, { addresses: true });
    const [block] = mermaidBlocks(renderMarkdown(out));
    const parsed = await parseSequence(block);
    expect(parsed.participants.map((p) => p.description)).toEqual(["Client 192.0.2.1:49152", "Dialed 192.0.2.2", "Also answering 192.0.2.3"]);
  });
});
