/**
 * Reproducers: each failure the fuzzer finds is saved, minimized, as
 * test/crashes/<short-name>.<extension> with a one-line <short-name>.txt saying what
 * failed; test/fuzz/crashes.test.ts runs every capture there as a regression test.
 *
 * The .txt line starts with the failure's signature, so a later run knows the bug is
 * already on file and does not save it again.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Failure } from "./property.js";

/** Between the signature and the rest of the .txt line. */
const SEPARATOR = " | ";
/** Longest short name, before the extension; it is cut at a word. */
const MAX_NAME_LENGTH = 60;

export interface Reproducer {
  /** The capture. */
  path: string;
  /** The first field of its .txt line. */
  signature: string;
  /** The whole .txt line. */
  description: string;
  /** It came from the session generator, so a malformed or capture-truncated finding is a failure too. */
  wellFormed: boolean;
}

/** How the origin of a generated case starts (campaign.ts writes it). */
export const GENERATED_ORIGIN = "generated";

/** The reproducers in `directory`: each capture with the .txt line of the same name. */
export function listReproducers(directory: string): Reproducer[] {
  if (!existsSync(directory)) return [];
  const names = readdirSync(directory);
  return names
    .filter((name) => name.endsWith(".txt"))
    .flatMap((txt) => {
      const base = txt.slice(0, -".txt".length);
      const capture = names.find((name) => name.startsWith(`${base}.`) && name !== txt);
      if (capture === undefined) return [];
      const description = readFileSync(join(directory, txt), "utf8").split("\n", 1)[0];
      const fields = description.split(SEPARATOR);
      return [{ path: join(directory, capture), signature: fields[0], description, wellFormed: fields[fields.length - 1].startsWith(GENERATED_ORIGIN) }];
    });
}

/**
 * A file name from the signature: "exception: RangeError: Invalid time value at isoTime
 * (capture/frame)" -> "exception-rangeerror-invalid-time-value-at-isotime".
 */
function shortName(signature: string): string {
  const slug = signature
    .toLowerCase()
    .replace(/\(.*?\)/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  const cut = slug.length <= MAX_NAME_LENGTH ? slug : slug.slice(0, slug.lastIndexOf("-", MAX_NAME_LENGTH));
  return cut || "failure";
}

/** A field of the .txt line: no line break, no separator. */
function oneField(text: string): string {
  return text.replace(/[\r\n]+/g, " ").split(SEPARATOR).join(" / ");
}

/** The reproducers on file: which signatures they cover, and where a new one goes. */
export class CrashDirectory {
  private readonly signatures: Set<string>;

  constructor(readonly directory: string) {
    this.signatures = new Set(listReproducers(directory).map((r) => r.signature));
  }

  /** A reproducer of this failure is already on file. */
  has(signature: string): boolean {
    return this.signatures.has(oneField(signature));
  }

  /** Writes the reproducer and its .txt; returns the capture's path. */
  save(failure: Failure, bytes: Uint8Array, extension: string, origin: string): string {
    mkdirSync(this.directory, { recursive: true });
    const base = shortName(failure.signature);
    let name = base;
    for (let n = 2; existsSync(join(this.directory, `${name}.txt`)); n++) name = `${base}-${n}`;
    const path = join(this.directory, `${name}.${extension}`);
    writeFileSync(path, bytes);
    writeFileSync(join(this.directory, `${name}.txt`), `${[failure.signature, failure.message, origin].map(oneField).join(SEPARATOR)}\n`);
    this.signatures.add(oneField(failure.signature));
    return path;
  }
}
