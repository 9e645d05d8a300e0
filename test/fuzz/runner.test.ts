/**
 * The isolation the fuzzer relies on, with stand-in workers (source text) that answer,
 * hang, exhaust their heap or die, as a case of analyze() might.
 */
import { afterEach, describe, expect, it } from "vitest";
import { IsolatedRunner } from "../../src/fuzz/runner.js";

/** Answers each case with a report, unless its bytes spell a misbehaviour. */
const STAND_IN = `
const { parentPort } = require("node:worker_threads");
parentPort.on("message", (request) => {
  const command = Buffer.from(request.bytes).toString();
  if (command === "hang") for (;;) {}
  if (command === "allocate") { const kept = []; for (;;) kept.push(new Array(100000).fill(command)); }
  if (command === "die") setImmediate(() => { throw new Error("boom in the worker"); });
  else parentPort.postMessage({ id: request.id, verdict: { kind: "report", sessions: command.length, findings: 0, millis: 1 } });
});`;

const request = (command: string) => ({ bytes: Buffer.from(command), extension: "pcap", wellFormed: false });

let runner: IsolatedRunner | undefined;
afterEach(async () => {
  await runner?.close();
});

describe("IsolatedRunner", () => {
  it("returns the worker's verdict, case after case from one worker", async () => {
    runner = new IsolatedRunner({ code: STAND_IN }, { timeoutMs: 10_000, heapMb: 64 });
    expect(await runner.run(request("abc"))).toEqual({ kind: "report", sessions: 3, findings: 0, millis: 1 });
    expect(await runner.run(request("abcdef"))).toMatchObject({ kind: "report", sessions: 6 });
  });

  it("turns a hang into a timeout verdict and answers the next case from a fresh worker", async () => {
    runner = new IsolatedRunner({ code: STAND_IN }, { timeoutMs: 500, heapMb: 64 });
    const started = performance.now();
    expect(await runner.run(request("hang"))).toMatchObject({ kind: "failure", failure: { kind: "timeout", signature: "timeout" } });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(await runner.run(request("ok"))).toMatchObject({ kind: "report", sessions: 2 });
  });

  it("turns running out of the heap limit into a memory verdict", async () => {
    runner = new IsolatedRunner({ code: STAND_IN }, { timeoutMs: 30_000, heapMb: 16 });
    expect(await runner.run(request("allocate"))).toMatchObject({ kind: "failure", failure: { kind: "memory", signature: "memory" } });
    expect(await runner.run(request("ok"))).toMatchObject({ kind: "report" });
  });

  it("turns an exception that kills the worker into a worker-crash verdict", async () => {
    runner = new IsolatedRunner({ code: STAND_IN }, { timeoutMs: 10_000, heapMb: 64 });
    const verdict = await runner.run(request("die"));
    expect(verdict).toMatchObject({ kind: "failure", failure: { kind: "worker-crash" } });
    expect(verdict.kind === "failure" && verdict.failure.message).toContain("boom in the worker");
  });
});
