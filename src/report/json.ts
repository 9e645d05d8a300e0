/**
 * The JSON report (`--format json`): the Report object as JSON.stringify(report, null, 2)
 * writes it, valid JSON for any string (controls below U+0020 escaped, lone surrogates
 * written as \udXXX since ES2019, so the text is valid UTF-8 too), with the characters JSON
 * allows raw but a terminal acts on (U+009B is CSI) written as \u escapes as well: the same
 * value, safe to print.
 */
import { escapeJsonText } from "./escape.js";
import type { Report } from "./schema.js";

/** Indentation of JSON.stringify(…, null, 2) at the report's top level. */
const TOP = "  ";

/**
 * Items of a top-level list stringified together, as one piece. Stringify's output grows
 * in parts that double up to 16K characters (V8), so one call per ~5 KB session left a
 * third of what it allocated unused (2,000 sessions: 16.8 MB for 10.7 MB of text; 13.5 MB
 * now). Small enough that a piece of ordinary sessions still fits writeReport's buffer.
 */
export const LIST_ITEMS_PER_PIECE = 16;

/**
 * The report's text in pieces that join to exactly what JSON.stringify(report, null, 2)
 * writes: one piece per LIST_ITEMS_PER_PIECE sessions, links or findings, and one per
 * separator after it, so that a report of ten thousand sessions is written out without
 * ever being one string.
 */
export function* jsonPieces(report: Report): Generator<string> {
  const entries = Object.entries(report);
  yield "{\n";
  for (let i = 0; i < entries.length; i++) {
    const [key, value] = entries[i];
    const comma = i < entries.length - 1 ? "," : "";
    if (Array.isArray(value) && value.length > 0) {
      yield `${TOP}${JSON.stringify(key)}: [\n`;
      for (let j = 0; j < value.length; j += LIST_ITEMS_PER_PIECE) {
        // apart from the separator: the items' text is then written as stringify made it, not copied
        yield listItemsText(value.slice(j, j + LIST_ITEMS_PER_PIECE));
        yield j + LIST_ITEMS_PER_PIECE < value.length ? ",\n" : "\n";
      }
      yield `${TOP}]${comma}\n`;
    } else {
      yield `${TOP}${JSON.stringify(key)}: ${fieldText(value)}${comma}\n`;
    }
  }
  yield "}\n";
}

/*
 * JSON.stringify(value, null, 2) of the value wrapped in one or two arrays writes it at the
 * indentation of its place in the report: the slice between the brackets is its text,
 * indented in the same native pass, and shares that string instead of copying it (a text
 * re-indented afterwards took three copies of every session).
 */

/** A top-level field's value: its first line follows the key, the others are one level in. */
function fieldText(value: unknown): string {
  const wrapped = JSON.stringify([value], null, 2); // "[\n  " value "\n]"
  return escapeJsonText(wrapped.slice(4, -2));
}

/**
 * Consecutive elements of a top-level list, each with its first line indented too (two
 * levels in), separated by ",\n" as in the whole list.
 */
function listItemsText(items: unknown[]): string {
  const wrapped = JSON.stringify([items], null, 2); // "[\n  [\n" "    " item ",\n    " item "\n  ]\n]"
  return escapeJsonText(wrapped.slice(6, -6));
}

export function renderJson(report: Report): string {
  let text = "";
  for (const piece of jsonPieces(report)) text += piece;
  return text;
}
