/** malformed: a record or message could not be decoded; analysis went on. */
import type { Finding } from "../report/schema.js";
import type { Rule } from "./rule.js";

export const malformed: Rule = {
  code: "malformed",
  severity: "warning",
  explain: {
    meaning: "A capture record, a packet header or a PPTP control message could not be decoded; the analysis skipped it and went on.",
    onTheWire: "Wireshark marks such frames [Malformed Packet] or reports a damaged record; the frames are listed in the finding.",
    remedy:
      "Open the listed frames in Wireshark. A damaged file can sometimes be repaired (e.g. with pcapfix); damaged packets on the wire point to a faulty device or a snap length that cut headers.",
  },
  capture({ problems, decodeFailures, files, refs }) {
    const findings: Finding[] = problems
      .filter((p) => p.code === "malformed")
      .map((problem) => ({
        code: "malformed",
        severity: "warning",
        message: `${problem.file}: ${problem.message}`,
        frames: [refs.ref(problem)],
        remedy: malformed.explain.remedy,
      }));
    for (const failures of decodeFailures) {
      if (failures.count === 0) continue;
      const first = failures.listed[0];
      const more = failures.count - failures.listed.length;
      findings.push({
        code: "malformed",
        severity: "warning",
        message:
          `${files[failures.fileIndex].file}: ${failures.count} frame(s) could not be decoded ` +
          `(first: frame ${first.frameNo}, ${first.what})` +
          (more > 0 ? `; the first ${failures.listed.length} are listed` : ""),
        frames: failures.listed.map((m) => refs.ref({ fileIndex: failures.fileIndex, frameNo: m.frameNo })),
        detail: failures.listed.map((m) => `frame ${m.frameNo}: ${m.what}`).join("; "),
        remedy: malformed.explain.remedy,
      });
    }
    return findings;
  },
};
