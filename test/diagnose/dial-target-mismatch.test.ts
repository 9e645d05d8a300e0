/**
 * dial-target-mismatch: KB Q169831's router example, captured on Router 1's PPP link.
 * Router 1's pool is 192.168.0.0/24, Router 2's 172.16.0.0/24; IPCP on the link gives
 * Router 1 172.16.0.2 (Nak from Router 2, frame 7) and Router 2 192.168.0.2 (Nak from
 * Router 1, frame 8). Frame 13 is Router 1's SYN, 22 Router 2's first GRE.
 */
import { afterAll, describe, expect, it } from "vitest";
import { dialTargetMismatch } from "../../src/diagnose/dial-target-mismatch.js";
import { RULES } from "../../src/diagnose/index.js";
import { LinkType } from "../../src/decode/linktypes.js";
import { KB_ROUTERS, routerToRouterRecords, type RouterToRouterOptions } from "../../src/synth/scenarios-reachability.js";
import { analyzeRecords, findingsOf, removeCaptures } from "./reachability-captures.js";

afterAll(removeCaptures);

async function routerCapture(options: RouterToRouterOptions = {}) {
  const linkType = options.linkType ?? LinkType.PPP_WITH_DIR;
  return analyzeRecords(routerToRouterRecords(options), linkType);
}

describe("dial-target-mismatch", () => {
  it("is registered (fails until the main session adds it to RULES)", () => {
    expect(RULES).toContain(dialTargetMismatch);
  });

  it("KB Q169831: Router 1 dials Router 2's internal 172.16.0.1 instead of 192.168.0.2", async () => {
    const report = await routerCapture();
    expect(report.sessions).toHaveLength(1);
    expect(report.sessions[0].outcome).toBe("failed");
    const [finding, ...more] = findingsOf(report, "dial-target-mismatch");
    expect(more).toEqual([]);
    expect(report.sessions[0].findings).toContain(finding);
    expect(finding.severity).toBe("error");
    expect(finding.recommended).toBe("192.168.0.2");
    expect(finding.frames).toEqual([7, 8, 13, 22]);
    expect(finding.message).toContain("IPCP gave the client 172.16.0.2 (assigned by the peer, frame 7) and the peer 192.168.0.2 (assigned by the client, frame 8)");
    expect(finding.message).toContain("The client dialed 172.16.0.1, but 172.16.0.1 lies in 172.16.0.0/24, like 172.16.0.2, the address the peer handed out from its own pool: it is the peer's internal address");
    // ten rounds of Router 2's request and Ack, from 192.168.0.2
    expect(finding.message).toContain("The peer's GRE came from 192.168.0.2 (20 packets, the first in frame 22)");
    expect(finding.message).toContain("Dial 192.168.0.2, the address the client assigned the peer from its own pool 192.168.0.0/24 (KB Q169831)");
    expect(finding.detail).toBe("link IPCP: client 172.16.0.2 (assigned by the peer), peer 192.168.0.2 (assigned by the client); dialed 172.16.0.1");
  });

  it("says the dialed address is the peer's own when the peer asked for it on the link", async () => {
    const report = await routerCapture({ router2AsksFor: KB_ROUTERS.router2Internal });
    const [finding] = findingsOf(report, "dial-target-mismatch");
    expect(finding.recommended).toBe("192.168.0.2");
    // frame 6: Router 2's first IPCP request, for 172.16.0.1
    expect(finding.message).toContain("172.16.0.1 is the peer's own address (the peer asked for it, frame 6, and was given 192.168.0.2 instead)");
  });

  it("works on a PPP capture without directions (sides inferred from the IPCP exchange)", async () => {
    // Router 2 asks for its own address first: with both asking for 0.0.0.0 the model cannot yet tell their requests apart
    const report = await routerCapture({ linkType: LinkType.PPP, router2AsksFor: KB_ROUTERS.router2Internal });
    expect(report.links[0].sides).toBe("inferred");
    const [finding] = findingsOf(report, "dial-target-mismatch");
    expect(finding.recommended).toBe("192.168.0.2");
    expect(finding.frames).toEqual([7, 8, 13, 22]);
  });

  it("does not fire when Router 1 dials 192.168.0.2 and the tunnel comes up", async () => {
    const report = await routerCapture({ dial: KB_ROUTERS.router1AssignsRouter2, greFrom: KB_ROUTERS.router1AssignsRouter2, healthy: true });
    expect(report.sessions[0].outcome).toBe("established");
    expect(findingsOf(report, "dial-target-mismatch")).toEqual([]);
  });

  it("does not fire for a server beyond the link, outside the peer's pool", async () => {
    // PPTP over the PPP link to a VPN server elsewhere: the link's IPCP says nothing about that address
    const report = await routerCapture({ dial: "198.51.100.1", greFrom: "198.51.100.1" });
    expect(report.sessions[0].dialed).toBe("198.51.100.1");
    expect(findingsOf(report, "dial-target-mismatch")).toEqual([]);
  });
});
