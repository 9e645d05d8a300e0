/** capture-truncated: the file ends inside a record. */
import type { Rule } from "./rule.js";

export const captureTruncated: Rule = {
  code: "capture-truncated",
  severity: "warning",
  explain: {
    meaning: "The capture file ends in the middle of a packet record or block: the capture was cut off.",
    onTheWire:
      "Wireshark says \"The capture file appears to have been cut short in the middle of a packet\"; the last frames are missing.",
    remedy:
      "Every complete packet before the cut was analyzed. Recapture if the missing part matters, and stop captures cleanly (the capture was copied while still being written, the disk filled up, or the capturing process was killed).",
  },
  capture: ({ problems, refs }) =>
    problems
      .filter((p) => p.code === "capture-truncated")
      .map((problem) => ({
        code: "capture-truncated",
        severity: "warning",
        message: `${problem.file}: ${problem.message}`,
        frames: [refs.ref(problem)],
        remedy: captureTruncated.explain.remedy,
      })),
};
