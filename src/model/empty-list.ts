/**
 * The one empty list the model's records and summaries start as or report: most of their
 * lists (a connection's FINs, a summary's Naks and Rejects...) stay empty, and records live
 * until the report is written. Frozen, as a reader adding to it would add to every list.
 */
const EMPTY_LIST: readonly never[] = Object.freeze([]);

/** The shared empty list, typed as a list of the caller's items (never pushed to: grow it by replacing it). */
export function noItems<T>(): T[] {
  return EMPTY_LIST as never[];
}
