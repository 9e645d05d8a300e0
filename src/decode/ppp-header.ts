/**
 * The PPP frame header (RFC 1661 §2, RFC 1662 §3): optional address and control bytes,
 * then the protocol field. Used for PPP inside enhanced GRE and for PPP on the capture
 * link; the control protocols themselves are decoded in ppp/.
 */
import { DecodeError, type Packet } from "./packet.js";

/** RFC 1662 §3.1: the All-Stations address and the Unnumbered Information control byte. */
export const PPP_ADDRESS_ALL_STATIONS = 0xff;
export const PPP_CONTROL_UNNUMBERED = 0x03;

/**
 * Fills pppProtocol, pppHasAddressControl, pppOffset and pppLength from the PPP frame at
 * `offset .. end`. Returns DecodeError.None, or Truncated when the protocol field is not
 * all there.
 */
export function decodePppHeader(buf: Uint8Array, offset: number, end: number, p: Packet): DecodeError {
  let at = offset;
  // Address-and-Control-Field-Compression (RFC 1661 §6.6) may leave FF 03 out.
  const hasAddressControl = end - at >= 2 && buf[at] === PPP_ADDRESS_ALL_STATIONS && buf[at + 1] === PPP_CONTROL_UNNUMBERED;
  if (hasAddressControl) at += 2;
  if (at >= end) return DecodeError.Truncated;

  // Protocol values have an even first byte and an odd last byte (RFC 1661 §2), so an odd
  // first byte is a whole protocol field shortened by Protocol-Field-Compression (§6.5).
  let protocol = buf[at];
  if ((protocol & 1) === 1) {
    at += 1;
  } else {
    if (end - at < 2) return DecodeError.Truncated;
    protocol = (protocol << 8) | buf[at + 1];
    at += 2;
  }

  p.pppProtocol = protocol;
  p.pppHasAddressControl = hasAddressControl;
  p.pppOffset = at;
  p.pppLength = end - at;
  return DecodeError.None;
}
