/** Helpers shared by every test folder: hex literals, optional outside tools, the public captures. */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Bytes from hex strings; spaces are ignored, so each header field can be its own argument with a comment. */
export function hex(...parts: string[]): Buffer {
  const text = parts.join("").replace(/\s+/g, "");
  if (!/^([0-9a-fA-F]{2})*$/.test(text)) throw new Error(`bad hex literal: ${text}`);
  return Buffer.from(text, "hex");
}

function runs(tool: string, versionFlag = "--version"): boolean {
  return spawnSync(tool, [versionFlag], { stdio: "ignore" }).status === 0;
}

/** Wireshark's command-line tools (Debian package tshark): optional oracles. */
export const hasTshark = runs("tshark");
export const hasCapinfos = runs("capinfos", "-h");
export const hasMergecap = runs("mergecap");

/** Real captures from public repositories, beside the project (../shared/captures/public, see its MANIFEST.md). */
export const PUBLIC_CAPTURES = fileURLToPath(new URL("../../shared/captures/public/", import.meta.url));
export const hasPublicCaptures = existsSync(PUBLIC_CAPTURES);
