/**
 * The JSON report written piece by piece: the pieces must join to exactly the text of
 * JSON.stringify(report, null, 2) (escaped for the terminal), whatever the report holds.
 */
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/analyze.js";
import { escapeJsonText } from "../../src/report/escape.js";
import { LIST_ITEMS_PER_PIECE, jsonPieces, renderJson } from "../../src/report/json.js";
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

  it("a piece per LIST_ITEMS_PER_PIECE sessions and one per separator, plus the lines around them; empty lists stay on one line", () => {
    const sessions = Array.from({ length: LIST_ITEMS_PER_PIECE + 1 }, (_, i) => ({ id: `s${i + 1}`, findings: [] }));
    const report = { schema: "pptp-analyze/1", sessions, links: [], findings: [] } as unknown as Report;
    // each session as JSON.stringify(report, null, 2) indents it inside the list
    const sessionText = (n: number): string => `    {\n      "id": "s${n}",\n      "findings": []\n    }`;
    const firstPiece = Array.from({ length: LIST_ITEMS_PER_PIECE }, (_, i) => sessionText(i + 1)).join(",\n");
    expect([...jsonPieces(report)]).toEqual([
      "{\n",
      '  "schema": "pptp-analyze/1",\n',
      '  "sessions": [\n',
      firstPiece,
      ",\n",
      sessionText(LIST_ITEMS_PER_PIECE + 1),
      "\n",
      "  ],\n",
      '  "links": [],\n',
      '  "findings": []\n',
      "}\n",
    ]);
    expect(renderJson(report)).toBe(whole(report));
  });
});
