/**
 * The fuzz worker thread: writes each case's bytes to its own file and checks the capture
 * (property.ts). Started by runner.ts, which bounds its time and heap.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parentPort, threadId, workerData } from "node:worker_threads";
import { checkCapture } from "./property.js";
import type { CaseRequest, CaseResponse } from "./runner.js";

const { directory } = workerData as { directory: string };

parentPort?.on("message", async (request: CaseRequest & { id: number }) => {
  const path = join(directory, `case-${threadId}.${request.extension}`);
  writeFileSync(path, request.bytes);
  const verdict = await checkCapture(path, { wellFormed: request.wellFormed });
  const response: CaseResponse = { id: request.id, verdict };
  parentPort?.postMessage(response);
});
