/**
 * Colour in the table format: severities and session outcomes, as ANSI SGR sequences
 * (ECMA-48 §8.3.117). Only for a terminal, never when NO_COLOR is set (https://no-color.org:
 * any non-empty value) or TERM is "dumb"; the command line decides with useColor() and
 * tells renderTable(). Texts are escaped before they are painted (escape.ts), so the only
 * escape sequences in the output are ours.
 */
import type { Session, Severity } from "./schema.js";

/** SGR parameters that switch a style on, and the ones that switch only it off again (not a full reset). */
const SGR = {
  red: ["31", "39"],
  yellow: ["33", "39"],
  green: ["32", "39"],
  dim: ["2", "22"],
} as const;

export type Style = keyof typeof SGR;

export const SEVERITY_STYLE: Readonly<Record<Severity, Style>> = { error: "red", warning: "yellow", info: "dim" };

export const OUTCOME_STYLE: Readonly<Record<Session["outcome"], Style>> = { established: "green", failed: "red", incomplete: "yellow" };

/** The text wrapped in the style's on and off sequences. */
export function paint(style: Style, text: string): string {
  const [on, off] = SGR[style];
  return `\u001b[${on}m${text}\u001b[${off}m`;
}

/** Whether output to this stream may be coloured: a terminal, NO_COLOR unset or empty, TERM not "dumb". */
export function useColor(stream: { isTTY?: boolean }, env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  if (!stream.isTTY) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return env.TERM !== "dumb";
}
