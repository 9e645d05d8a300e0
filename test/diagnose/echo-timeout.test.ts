import { afterAll, describe, expect, it } from "vitest";
import { allFindings } from "../../src/analyze.js";
import { echoTimeout } from "../../src/diagnose/echo-timeout.js";
import { RULES } from "../../src/diagnose/index.js";
import { echoTimeoutRecords } from "../../src/synth/scenarios-negotiation.js";
import { CaptureFolder, NEGOTIATION_RULES } from "./negotiation-captures.js";

const folder = new CaptureFolder();
afterAll(() => folder.remove());

const echoFindings = (report: Awaited<ReturnType<CaptureFolder["analyze"]>>) => allFindings(report).filter((f) => f.code === "echo-timeout");

describe("echo-timeout", () => {
  it("is registered (fails until the main session adds it to RULES)", () => {
    expect(RULES).toContain(echoTimeout);
  });

  // Frames of echoTimeoutRecords: LCP Echo-Requests of the client at 30, 33 (30 s later) and 37 (90 s), server data
  // after each (31, 34, 38); the client's PPTP Echo-Request at 36 (60 s); the capture ends at 39 (105 s).
  it("unanswered LCP and PPTP Echo-Requests while the tunnel carries data: two warnings", async () => {
    const report = await folder.fixture("echo-timeout.pcap", NEGOTIATION_RULES);
    const [pptp, lcp] = echoFindings(report);
    expect(allFindings(report)).toEqual([pptp, lcp]);
    expect(pptp).toMatchObject({ severity: "warning", frames: [36], detail: "PPTP echo: 0 answered, 1 unanswered" });
    expect(pptp.message).toContain("1 PPTP Echo-Request from the client on the control connection 192.0.2.10:49300 -> 198.51.100.1 went unanswered (frame 36)");
    expect(lcp).toMatchObject({ severity: "warning", frames: [30, 33, 37], detail: "LCP echo: 3 requested, 0 answered, 3 unanswered" });
    expect(lcp.message).toContain("3 of 3 LCP Echo-Requests from the client 192.0.2.10 on the call from 192.0.2.10:49300 to 198.51.100.1");
    expect(lcp.message).toContain("The server 198.51.100.1 went on sending other PPP frames after them");
    expect(report.sessions[0].outcome).toBe("established");
  });

  it("an LCP echo answered by nothing yet, the last frame of the capture, is not counted", async () => {
    const report = await folder.analyze(echoTimeoutRecords().slice(0, 30), [echoTimeout]);
    expect(echoFindings(report)).toEqual([]);
  });

  it("an LCP echo followed by the peer's data is unanswered at once", async () => {
    const report = await folder.analyze(echoTimeoutRecords().slice(0, 31), [echoTimeout]);
    const [finding] = echoFindings(report);
    expect(finding.frames).toEqual([30]);
    expect(finding.message).toContain("1 of 1 LCP Echo-Requests");
  });

  it("a PPTP echo counts once the capture went on 10 s without its reply", async () => {
    // up to 36: the PPTP echo is the last frame; up to 37: LCP echo 3 comes 30 s later
    const early = echoFindings(await folder.analyze(echoTimeoutRecords().slice(0, 36), [echoTimeout]));
    expect(early.map((f) => f.frames)).toEqual([[30, 33]]);
    const late = echoFindings(await folder.analyze(echoTimeoutRecords().slice(0, 37), [echoTimeout]));
    expect(late.map((f) => f.frames)).toEqual([[36], [30, 33]]);
  });

  it("an answered echo gives nothing", async () => {
    // the healthy fixture: the client's LCP Echo-Request (frame 13) and the server's Echo-Reply (14)
    const report = await folder.fixture("healthy.pcap", [echoTimeout]);
    expect(allFindings(report)).toEqual([]);
  });
});
