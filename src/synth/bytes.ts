/**
 * Byte-order aware stores for the capture writers: pcap and pcapng files are written in
 * either byte order (the reader tells them apart by the magic number), packet headers
 * are always big-endian (network order) and use Buffer's *BE methods directly.
 */

export function putU16(buf: Buffer, offset: number, value: number, bigEndian: boolean): void {
  if (bigEndian) buf.writeUInt16BE(value, offset);
  else buf.writeUInt16LE(value, offset);
}

export function putU32(buf: Buffer, offset: number, value: number, bigEndian: boolean): void {
  if (bigEndian) buf.writeUInt32BE(value >>> 0, offset);
  else buf.writeUInt32LE(value >>> 0, offset);
}

/** Rounds n up to a multiple of 4 (pcapng blocks and options are 32-bit aligned). */
export function pad4(n: number): number {
  return (n + 3) & ~3;
}

/** Checks that value is an integer in 0..max, so that a wrong fixture fails loudly instead of writing wrapped bytes. */
export function checkField(name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${name} must be an integer in 0..${max}, got ${value}`);
  }
  return value;
}
