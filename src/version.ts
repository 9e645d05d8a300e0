import { createRequire } from "node:module";

/** Name and version come from package.json, so a release needs one edit. */
const pkg = createRequire(import.meta.url)("../package.json") as { name: string; version: string };

export const TOOL_NAME = pkg.name;
export const TOOL_VERSION = pkg.version;
