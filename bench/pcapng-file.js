// A pcapng file written record by record, for captures too large to hold in memory: the
// synthesizer's writePcapng() builds each batch of records, and every batch after the first
// leaves out the Section Header and Interface Description Blocks it starts with, so the file is
// one section with one interface, as dumpcap writes.
import { closeSync, openSync, writeSync } from "node:fs";
import { writePcapng } from "../dist/synth/index.js";

/** Records per writePcapng() call: large enough for few writes, small enough to stay a few MB. */
const BATCH_RECORDS = 4096;

export function createPcapngFileWriter(path, iface) {
  const fd = openSync(path, "w");
  const header = writePcapng([{ interfaces: [iface], records: [] }]);
  writeSync(fd, header);
  let batch = [];
  const flush = () => {
    if (batch.length === 0) return;
    writeSync(fd, writePcapng([{ interfaces: [iface], records: batch }]).subarray(header.length));
    batch = [];
  };
  return {
    write(record) {
      batch.push(record);
      if (batch.length === BATCH_RECORDS) flush();
    },
    close() {
      flush();
      closeSync(fd);
    },
  };
}
