/**
 * The capture synthesizer: packet builders and capture writers for fixtures, tests and the
 * benchmark. Output is deterministic byte for byte (no clock, no Math.random; SeededRandom
 * where variety is wanted).
 *
 * Builders are plain functions, one file per protocol, composed from the inside out:
 *
 *   const frame = ethernet({ vlans: [{ vid: 10 }],
 *     payload: ipv4({ src: "10.0.0.2", dst: "10.0.0.1", id: 7,
 *       payload: enhancedGre({ callId: 0x4000, sequence: 1,
 *         payload: ppp({ protocol: PppProtocol.LCP, payload: lcpBytes }) }) }) });
 *   const file = writePcap([{ tsSec: 1700000000, tsNsec: 0, data: frame }], { linkType: 1 });
 *
 * - Link layers return Buffers: ethernet() (VLAN/QinQ tags), linuxSll()/linuxSll2(),
 *   nullLink()/loopLink(), ppp()/pppWithDirection()/pppoeSession()/pppoeDiscovery().
 *   Raw-IP link types (101, 228, 229) take the IP bytes as they are.
 * - ipv4()/ipv6() return Buffers; their payload is an IpPayload that they encode with their
 *   own addresses, so the TCP checksum covers the right pseudo-header: tcp(), gre(),
 *   enhancedGre(), or ipPayload(protocol, bytes) for anything else. ipv4Fragments() and
 *   ipv6Fragments() cut a datagram; tcpSegment()/encodeGre()/encodeEnhancedGre() give the
 *   bare transport bytes. Checksums are computed unless a `checksum` field overrides them.
 * - writePcap() (all four magics: byte order x micro/nanosecond), createPcapFileWriter() for
 *   large files, writePcapng() (sections in either byte order, interfaces with if_tsresol,
 *   EPB/SPB/PB records and raw blocks). Records longer than the snap length are cut to it.
 * - PPTP control messages: buildPptpMessage() (pptp.ts); LCP/PAP/CHAP/EAP/IPCP/CCP packets for
 *   ppp(): ppp-control.ts.
 * - Addresses are text or bytes (addresses.ts); out-of-range field values throw RangeError,
 *   since a fixture that asks for them has a bug (damaged bytes are made by patching output).
 * - Protocol numbers come from the decoder's tables (one table per protocol), re-exported
 *   here so that fixtures import from one place; tshark's reading of the synthesized
 *   captures (test/synth/tshark.test.ts) checks those values against an outside decoder.
 */
export { EtherType } from "../decode/ethernet.js";
export { IpProtocol } from "../decode/ipv4.js";
export { Ipv6ExtensionHeader } from "../decode/ipv6.js";
export { LinkType } from "../decode/linktypes.js";
export { LoopbackFamily } from "../decode/null-loop.js";
export { PppProtocol } from "../decode/ppp/protocols.js";
export { PppoeCode } from "../decode/pppoe.js";
export { SllPacketType } from "../decode/sll.js";
export * from "./addresses.js";
export * from "./checksum.js";
export * from "./ethernet.js";
export * from "./gre.js";
export * from "./ip-payload.js";
export * from "./ipv4.js";
export * from "./ipv6.js";
export * from "./linux-sll.js";
export * from "./null-loop.js";
export * from "./pcap-writer.js";
export * from "./pcapng-writer.js";
export * from "./ppp.js";
export * from "./ppp-control.js";
export * from "./pptp.js";
export * from "./random.js";
export * from "./tcp.js";
