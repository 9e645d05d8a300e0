/**
 * The JSON report (`--format json`): the Report object as JSON.stringify(report, null, 2)
 * writes it, valid JSON for any string (controls below U+0020 escaped, lone surrogates
 * written as \udXXX since ES2019, so the text is valid UTF-8 too), with the characters JSON
 * allows raw but a terminal acts on (U+009B is CSI) written as \u escapes as well: the same
 * value, safe to print.
 */
import { escapeJsonText } from "./escape.js";
import type { Report } from "./schema.js";

/** Indentation of JSON.stringify(…, null, 2) at the report's top level and inside its lists. */
const TOP = "  ";
const ITEM = "    ";

/**
 * The report's text in pieces that join to exactly what JSON.stringify(report, null, 2)
 * writes: one piece per session, link and finding, so that a report of ten thousand sessions
 * is written out without ever being one string.
 */
export function* jsonPieces(report: Report): Generator<string> {
  const entries = Object.entries(report);
  yield "{\n";
  for (let i = 0; i < entries.length; i++) {
    const [key, value] = entries[i];
    const comma = i < entries.length - 1 ? "," : "";
    if (Array.isArray(value) && value.length > 0) {
      yield `${TOP}${JSON.stringify(key)}: [\n`;
      for (let j = 0; j < value.length; j++) {
        yield `${ITEM}${indented(value[j], ITEM)}${j < value.length - 1 ? "," : ""}\n`;
      }
      yield `${TOP}]${comma}\n`;
    } else {
      yield `${TOP}${JSON.stringify(key)}: ${indented(value, TOP)}${comma}\n`;
    }
  }
  yield "}\n";
}

/** JSON.stringify with 2-space indentation, nested `by` deeper (JSON text has no raw newline inside a string). */
function indented(value: unknown, by: string): string {
  return escapeJsonText(JSON.stringify(value, null, 2)).replaceAll("\n", `\n${by}`);
}

export function renderJson(report: Report): string {
  let text = "";
  for (const piece of jsonPieces(report)) text += piece;
  return text;
}
