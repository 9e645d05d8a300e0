/**
 * The JSON report written piece by piece: the pieces must join to exactly the text of
 * JSON.stringify(report, null, 2) (escaped for the terminal), whatever the report holds.
 */
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/analyze.js";
import { escapeJsonText } from "../../src/report/escape.js";
import { jsonPieces, renderJson } from "../../src/report/json.js";
import type { Report } from "../../src/report/schema.js";
import { writeHostileCapture } from "./hostile-capture.js";

/** What the report was before it was written in pieces: one stringify of the whole. */
const whole = (report: Report): string => escapeJsonText(JSON.stringify(report, null, 2)) + "\n";

describe("the JSON report in pieces", () => {
  it.each(["fixtures/healthy.pcap", "fixtures/kb-router-to-router.pcap", "fixtures/malformed.pcap"])(
    "%s: the pieces join to JSON.stringify's text",
    async (path) => {
      const report = await analyze([path]);
      expect(renderJson(report)).toBe(whole(report));
    },
  );

  it("a capture of hostile packet strings: the same text, and it parses back to the report", async () => {
    const report = await analyze([writeHostileCapture()]);
    const text = renderJson(report);
    expect(text).toBe(whole(report));
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(report)));
  });

  it("one piece per session and one per separator, plus the lines around them; empty lists stay on one line", () => {
    const session = { id: "s1", findings: [] };
    const report = { schema: "pptp-analyze/1", sessions: [session, { ...session, id: "s2" }], links: [], findings: [] } as unknown as Report;
    expect([...jsonPieces(report)]).toEqual([
      "{\n",
      '  "schema": "pptp-analyze/1",\n',
      '  "sessions": [\n',
      '    {\n      "id": "s1",\n      "findings": []\n    }',
      ",\n",
      '    {\n      "id": "s2",\n      "findings": []\n    }',
      "\n",
      "  ],\n",
      '  "links": [],\n',
      '  "findings": []\n',
      "}\n",
    ]);
    expect(renderJson(report)).toBe(whole(report));
  });
});
