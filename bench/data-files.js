// The synthesized captures in bench/data/ (git-ignored) and the stamp file that says which
// generator version wrote each: a capture is written again only when it is missing or its
// generator's version changed, since the large ones take minutes.
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { megabytes } from "./report.js";

export const DATA_FOLDER = join(dirname(fileURLToPath(import.meta.url)), "data");
const STAMP_FILE = join(DATA_FOLDER, "stamps.json");

function readStamps() {
  return existsSync(STAMP_FILE) ? JSON.parse(readFileSync(STAMP_FILE, "utf8")) : {};
}

function isCurrent(path, version) {
  return existsSync(path) && readStamps()[basename(path)] === version;
}

/**
 * Makes sure every path exists as written by generator `version`. The stale ones are handed
 * together to `build(partialPaths)` (so that one pass can write several formats), written
 * under a temporary name and renamed when complete, then stamped.
 */
export async function ensureFiles(paths, version, build) {
  const stale = paths.filter((path) => !isCurrent(path, version));
  if (stale.length === 0) return;
  mkdirSync(DATA_FOLDER, { recursive: true });
  const partials = stale.map((path) => `${path}.partial`);
  const t0 = performance.now();
  await build(partials);
  const seconds = (performance.now() - t0) / 1000;
  const stamps = readStamps();
  for (const [i, path] of stale.entries()) {
    renameSync(partials[i], path);
    stamps[basename(path)] = version;
    console.error(`synthesized ${path}: ${megabytes(statSync(path).size)} MB (${seconds.toFixed(0)} s for ${stale.length} file(s))`);
  }
  writeFileSync(STAMP_FILE, JSON.stringify(stamps, null, 2) + "\n");
}
