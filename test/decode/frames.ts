/**
 * Helpers for the decoder tests: a Frame around hand-written bytes, and a few packets
 * written out field by field that several tests put behind different link headers.
 * Every value the tests expect is read off these comments, not computed by our code.
 */
import { Frame } from "../../src/capture/frame.js";
import { Decoder, type DecoderOptions } from "../../src/decode/decoder.js";
import { hex } from "../synth/helpers.js";

export { hex };

export function frameOf(linkType: number, bytes: Buffer, tsSec = 0): Frame {
  const frame = new Frame();
  frame.linkType = linkType;
  frame.buf = bytes;
  frame.offset = 0;
  frame.caplen = bytes.length;
  frame.origLen = bytes.length;
  frame.tsSec = tsSec;
  return frame;
}

/** A fresh Decoder that has decoded one frame; its packet holds the result. */
export function decodeOne(linkType: number, bytes: Buffer, options?: Partial<DecoderOptions>): Decoder {
  const decoder = new Decoder(options);
  decoder.decode(frameOf(linkType, bytes));
  return decoder;
}

/** Destination 00:11:22:33:44:55, source 66:77:88:99:aa:bb (the EtherType follows). */
export const MACS = "001122334455" + "66778899aabb";

/** 192.168.2.5 and 192.168.2.2 as unsigned 32-bit numbers. */
export const CLIENT_V4 = 0xc0a80205;
export const SERVER_V4 = 0xc0a80202;

/** IPv4 + TCP SYN 192.168.2.5:1055 -> 192.168.2.2:1723 with an MSS option: 44 bytes. */
export const IPV4_TCP_SYN_TO_1723 = [
  "45", // version 4, IHL 5 (20 bytes)
  "00", // DSCP/ECN
  "002c", // total length 44
  "0001", // identification 1
  "4000", // DF, fragment offset 0
  "80", // TTL 128
  "06", // protocol TCP
  "0000", // header checksum (not checked)
  "c0a80205", // source 192.168.2.5
  "c0a80202", // destination 192.168.2.2
  "041f", // source port 1055
  "06bb", // destination port 1723
  "00000064", // sequence number 100
  "00000000", // acknowledgment number 0
  "60", // data offset 6 (24 bytes)
  "02", // flags SYN
  "faf0", // window 64240
  "0000", // checksum
  "0000", // urgent pointer
  "020405b4", // option MSS (kind 2, length 4) 1460
].join("");

/**
 * IPv4 + enhanced GRE 192.168.2.2 -> 192.168.2.5, call ID 2932, sequence 5, ack 3,
 * carrying PPP with FF 03 and an LCP Configure-Request: 44 bytes.
 */
export const IPV4_GRE_LCP = [
  "45", // version 4, IHL 5
  "00", // DSCP/ECN
  "002c", // total length 44 = 20 + 16 + 8
  "0002", // identification 2
  "0000", // no flags, offset 0
  "40", // TTL 64
  "2f", // protocol 47 GRE
  "0000", // header checksum
  "c0a80202", // source 192.168.2.2
  "c0a80205", // destination 192.168.2.5
  "3081", // GRE flags: K (0x2000), S (0x1000), A (0x0080), version 1
  "880b", // protocol PPP
  "0008", // key: payload length 8
  "0b74", // key: call ID 2932
  "00000005", // sequence number 5
  "00000003", // acknowledgment number 3
  "ff03", // PPP address and control
  "c021", // PPP protocol LCP
  "01010004", // LCP Configure-Request, identifier 1, length 4
].join("");

/** IPv6 + TCP 2001:db8::1 port 49152 -> 2001:db8::2 port 1723, SYN, no options: 60 bytes. */
export const IPV6_TCP_SYN_TO_1723 = [
  "60000000", // version 6, traffic class 0, flow label 0
  "0014", // payload length 20
  "06", // next header TCP
  "40", // hop limit 64
  "20010db8000000000000000000000001", // source 2001:db8::1
  "20010db8000000000000000000000002", // destination 2001:db8::2
  "c000", // source port 49152
  "06bb", // destination port 1723
  "00000001", // sequence number 1
  "00000000", // acknowledgment number
  "50", // data offset 5 (20 bytes)
  "02", // flags SYN
  "ffff", // window 65535
  "0000", // checksum
  "0000", // urgent pointer
].join("");
