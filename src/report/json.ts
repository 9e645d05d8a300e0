/**
 * The JSON report (`--format json`): the Report object as JSON.stringify writes it, valid
 * JSON for any string (controls below U+0020 escaped, lone surrogates written as \udXXX
 * since ES2019, so the text is valid UTF-8 too), with the characters JSON allows raw but a
 * terminal acts on (U+009B is CSI) written as \u escapes as well: the same value, safe to print.
 */
import { escapeJsonText } from "./escape.js";
import type { Report } from "./schema.js";

export function renderJson(report: Report): string {
  return escapeJsonText(JSON.stringify(report, null, 2)) + "\n";
}
