/** capture-truncated: the file ends inside a record, or packets were cut by the snap length. */
import type { Finding } from "../report/schema.js";
import type { Rule } from "./rule.js";

const SNAP_REMEDY =
  "Capture whole packets: tcpdump -s 0 (or -s 65535), dumpcap/Wireshark without a packet size limit. What was captured was analyzed; PPP and PPTP content past the cut was not.";

export const captureTruncated: Rule = {
  code: "capture-truncated",
  severity: "warning",
  explain: {
    meaning:
      "The capture file ends in the middle of a packet record or block (the capture was cut off), or packets were captured only in part because of the snap length.",
    onTheWire:
      "Wireshark says \"The capture file appears to have been cut short in the middle of a packet\" and the last frames are missing; or frames show fewer captured bytes than bytes on the wire ([Packet size limited during capture]).",
    remedy:
      "Every complete packet before the cut was analyzed. Recapture if the missing part matters, and stop captures cleanly (the capture was copied while still being written, the disk filled up, or the capturing process was killed).",
  },
  capture({ problems, snapCuts, files, refs }) {
    const findings: Finding[] = problems
      .filter((p) => p.code === "capture-truncated")
      .map((problem) => ({
        code: "capture-truncated",
        severity: "warning",
        message: `${problem.file}: ${problem.message}`,
        frames: [refs.ref(problem)],
        remedy: captureTruncated.explain.remedy,
      }));
    for (const { fileIndex, count, first } of snapCuts) {
      if (count === 0 || first === null) continue;
      findings.push({
        code: "capture-truncated",
        severity: "warning",
        message:
          `${files[fileIndex].file}: ${count} packet(s) were cut by the snap length ` +
          `(the first, frame ${first.frameNo}, has ${first.caplen} of its ${first.origLen} bytes)`,
        frames: [refs.ref({ fileIndex, frameNo: first.frameNo })],
        remedy: SNAP_REMEDY,
      });
    }
    return findings;
  },
};
