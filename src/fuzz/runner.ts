/**
 * Runs fuzz cases in a worker thread, so that a hang or a memory blow-up is a verdict and
 * not the end of the run: each case has a time limit (the worker is terminated when it
 * passes, and a fresh one started for the next case) and the worker's heap is capped by
 * resourceLimits (running out is reported as ERR_WORKER_OUT_OF_MEMORY). The worker stays
 * up between cases, so a case costs a message and a file write, not a thread start.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { normalize, type Failure, type Verdict } from "./property.js";

export interface CaseRequest {
  bytes: Uint8Array;
  /** File name extension, e.g. "pcap" or "pcapng.gz" (the reader ignores it; it keeps saved files recognisable). */
  extension: string;
  wellFormed: boolean;
}

export interface CaseResponse {
  id: number;
  verdict: Verdict;
}

/** The worker to start: the built worker.js, or (tests) a script given as source text. */
export type WorkerSource = { script: URL } | { code: string };

export interface RunnerOptions {
  /** Time for one case, from the request to the verdict. */
  timeoutMs: number;
  /** Old-generation heap of the worker, in MB. */
  heapMb: number;
}

/** The young generation stays small; the old one is the bound that matters. */
const YOUNG_GENERATION_MB = 32;

interface Pending {
  id: number;
  timer: NodeJS.Timeout;
  resolve: (verdict: Verdict) => void;
}

export class IsolatedRunner {
  private worker: Worker | null = null;
  private pending: Pending | null = null;
  private nextId = 1;
  private readonly directory = mkdtempSync(join(tmpdir(), "pptp-analyze-fuzz-"));

  constructor(
    private readonly source: WorkerSource,
    private readonly options: RunnerOptions,
  ) {}

  /** One case at a time per runner. */
  run(request: CaseRequest): Promise<Verdict> {
    if (this.pending) throw new Error("IsolatedRunner.run: a case is still running");
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<Verdict>((resolve) => {
      const timer = setTimeout(() => {
        this.settle(fail("timeout", `no verdict within ${this.options.timeoutMs} ms`));
        void worker.terminate();
        this.worker = null;
      }, this.options.timeoutMs);
      this.pending = { id, timer, resolve };
      worker.postMessage({ ...request, id });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
    rmSync(this.directory, { recursive: true, force: true });
  }

  private start(): Worker {
    const options = {
      workerData: { directory: this.directory },
      resourceLimits: { maxOldGenerationSizeMb: this.options.heapMb, maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    };
    const worker = "script" in this.source ? new Worker(this.source.script, options) : new Worker(this.source.code, { ...options, eval: true });
    worker.on("message", (response: CaseResponse) => {
      if (this.pending?.id === response.id) this.settle(response.verdict);
    });
    // A terminated or dead worker's late events must not settle the next case, which a fresh worker runs.
    worker.on("error", (error: Error & { code?: string }) => {
      if (this.worker !== worker) return;
      this.worker = null;
      if (error.code === "ERR_WORKER_OUT_OF_MEMORY") this.settle(fail("memory", `the worker ran out of its ${this.options.heapMb} MB heap`));
      else this.settle(fail("worker-crash", `the worker died: ${error.name}: ${error.message}`, error.stack ?? ""));
    });
    worker.on("exit", (code) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.settle(fail("worker-crash", `the worker exited with code ${code}`));
    });
    this.worker = worker;
    return worker;
  }

  private settle(verdict: Verdict): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    clearTimeout(pending.timer);
    pending.resolve(verdict);
  }
}

function fail(kind: Failure["kind"], message: string, detail = ""): Verdict {
  const firstLine = message.split("\n", 1)[0];
  return { kind: "failure", failure: { kind, message: firstLine, detail, signature: kind === "worker-crash" ? `worker-crash: ${normalize(firstLine)}` : kind } };
}
