import { closeSync, openSync, readSync } from "node:fs";
import { MAX_RECORD_BYTES } from "./record-format.js";

/**
 * The benchmark's floor: the least work any pcap reader in Node can do. It walks the record
 * headers of a little-endian classic pcap file with plain file reads and readUInt32LE at
 * offsets, with no Frame and no decoding. Not for user input: it throws on anything else.
 * It reads synchronously, as the capture reader reads regular files (source.ts), so that it
 * stays the least work: never slower than the same walk done the reader's way.
 */

const FLOOR_CHUNK_BYTES = 1024 * 1024;
const FILE_HEADER_BYTES = 24;
const RECORD_HEADER_BYTES = 16;
/** Little-endian magics (µs and ns) as read with readUInt32LE. */
const LE_MAGICS = [0xa1b2c3d4, 0xa1b23c4d];

export function walkPcapRecordHeaders(path: string): { packets: number; bytes: number } {
  const fd = openSync(path, "r");
  try {
    let buf = Buffer.allocUnsafe(FLOOR_CHUNK_BYTES);
    let have = 0;
    let pos = FILE_HEADER_BYTES;
    let packets = 0;
    let bytes = 0;
    let headerChecked = false;
    for (;;) {
      const bytesRead = readSync(fd, buf, have, buf.length - have, null);
      if (bytesRead === 0) break;
      have += bytesRead;
      if (!headerChecked) {
        if (have < FILE_HEADER_BYTES || !LE_MAGICS.includes(buf.readUInt32LE(0))) {
          throw new Error(`${path}: not a little-endian classic pcap file`);
        }
        headerChecked = true;
      }
      while (pos + RECORD_HEADER_BYTES <= have) {
        const caplen = buf.readUInt32LE(pos + 8);
        if (pos + RECORD_HEADER_BYTES + caplen > have) break;
        packets++;
        bytes += caplen;
        pos += RECORD_HEADER_BYTES + caplen;
      }
      // Keep the partial record at the front; grow only for a record larger than the buffer.
      buf.copyWithin(0, pos, have);
      have -= pos;
      pos = 0;
      if (have >= RECORD_HEADER_BYTES) {
        const need = RECORD_HEADER_BYTES + buf.readUInt32LE(8);
        if (need > MAX_RECORD_BYTES + RECORD_HEADER_BYTES) throw new Error(`${path}: record too large`);
        if (need > buf.length) {
          const grown = Buffer.allocUnsafe(need);
          buf.copy(grown, 0, 0, have);
          buf = grown;
        }
      }
    }
    return { packets, bytes };
  } finally {
    closeSync(fd);
  }
}
