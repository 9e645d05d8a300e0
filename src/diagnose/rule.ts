/**
 * A rule: one finding code, what it means (for `--explain`), and a small pure function
 * over the finished model. Session rules see one session at a time (and the whole capture
 * for context); capture rules see the capture as a whole.
 */
import type { Finding, Severity } from "../report/schema.js";
import type { CaptureFacts, SessionFacts } from "./facts.js";

export interface Explanation {
  /** What the finding means. */
  meaning: string;
  /** How it shows on the wire: what to look for in Wireshark. */
  onTheWire: string;
  /** How to fix it. */
  remedy: string;
}

export interface Rule {
  code: string;
  /** The usual severity (a rule may lower it when unsure, and say why). */
  severity: Severity;
  explain: Explanation;
  session?(facts: SessionFacts, capture: CaptureFacts): Finding[];
  capture?(capture: CaptureFacts): Finding[];
}
