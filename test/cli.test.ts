/**
 * The built command line as a user runs it (bin/pptp-analyze.js over dist/, which
 * `npm test` compiles first): output formats, exit codes, one-line errors for bad input.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "bin", "pptp-analyze.js");
/** As a user types it in the project folder (the report names files as given). */
const HEALTHY = "fixtures/healthy.pcap";
const scratch = mkdtempSync(join(tmpdir(), "pptp-analyze-cli-"));

function run(args: string[], input?: Buffer) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, input, encoding: "buffer" });
  return { status: result.status, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

function scratchFile(name: string, bytes: Buffer | string): string {
  const path = join(scratch, name);
  writeFileSync(path, bytes);
  return path;
}

describe("the bin's #! line", () => {
  const line = readFileSync(BIN, "utf8").split("\n", 1)[0];

  it("fits the 128 bytes older Linux kernels read, and names node after environment settings npm's Windows shims parse", () => {
    expect(Buffer.byteLength(line) + 1).toBeLessThanOrEqual(128);
    // npm's cmd-shim takes NAME=value words whose value holds no "=" (and no blank), then the program
    const [env, dashS, ...words] = line.slice(2).split(" ");
    expect([env, dashS]).toEqual(["/usr/bin/env", "-S"]);
    const program = words.findIndex((word) => !word.includes("="));
    expect(words[program]).toBe("node");
    for (const setting of words.slice(0, program)) expect(setting).toMatch(/^[^=\s]+=[^=\s]+$/);
  });

  it.skipIf(process.platform === "win32")("runs the CLI when the file itself is executed", () => {
    const result = spawnSync(BIN, ["--version"], { encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(result.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version);
  });
});

describe("pptp-analyze command line", () => {
  it("prints a summary table of the healthy fixture with its counts (see tshark -r fixtures/healthy.pcap)", () => {
    const { status, stdout, stderr } = run([HEALTHY]);
    expect(stderr).toBe("");
    expect(status).toBe(0);
    // 76 frames: 3 handshake + 5 setup messages + 4 teardown messages + 3 FIN/ACK = 15 TCP segments
    // on port 1723; 61 GRE packets, every one of them carrying PPP.
    const row = stdout.split("\n").find((line) => line.includes("healthy.pcap"));
    expect(row).toBeDefined();
    const cells = row!.split("│").map((cell) => cell.trim()).filter(Boolean);
    expect(cells).toEqual(["fixtures/healthy.pcap", "pcap", "ETHERNET", "76", expect.any(String), "2024-03-01T09:00:00.000000Z", "0.015 s", "15", "61", "61"]);
  });

  it("--format json prints the captures part of schema pptp-analyze/1", () => {
    const { status, stdout } = run(["--format", "json", HEALTHY]);
    expect(status).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.schema).toBe("pptp-analyze/1");
    expect(report.tool.name).toBe("pptp-analyze");
    expect(report.tool.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(report.captures).toEqual([
      {
        file: "fixtures/healthy.pcap",
        format: "pcap",
        linkTypes: [1],
        packets: 76,
        bytes: readFileSync(join(ROOT, HEALTHY)).length - 24 - 76 * 16,
        first: "2024-03-01T09:00:00.000000Z",
        last: "2024-03-01T09:00:00.015000Z",
      },
    ]);
    expect(report.findings).toEqual([]);
  });

  it("keeps nanoseconds from a pcapng with if_tsresol 9", () => {
    const report = JSON.parse(run(["--format", "json", "fixtures/healthy.pcapng"]).stdout);
    expect(report.captures[0].format).toBe("pcapng");
    expect(report.captures[0].last).toBe("2024-03-01T09:00:00.015000000Z");
  });

  it("-o writes the report to a file and nothing to stdout", () => {
    const out = join(scratch, "report.json");
    const { status, stdout } = run(["--format", "json", "-o", out, HEALTHY]);
    expect(status).toBe(0);
    expect(stdout).toBe("");
    expect(JSON.parse(readFileSync(out, "utf8")).captures[0].packets).toBe(76);
  });

  it("reads standard input (-) and gzip-compressed captures recognized by content", () => {
    const gz = gzipSync(readFileSync(join(ROOT, HEALTHY)));
    const fromStdin = JSON.parse(run(["--format", "json", "-"], gz).stdout);
    expect(fromStdin.captures[0]).toMatchObject({ file: "-", packets: 76 });
    const named = scratchFile("no-extension", gz);
    expect(JSON.parse(run(["--format", "json", named]).stdout).captures[0].packets).toBe(76);
  });

  it("two files are one capture set, each listed with its own counts", () => {
    const report = JSON.parse(run(["--format", "json", HEALTHY, "fixtures/healthy-sll.pcap"]).stdout);
    expect(report.captures.map((c: { file: string; linkTypes: number[] }) => [c.file, c.linkTypes])).toEqual([
      ["fixtures/healthy.pcap", [1]],
      ["fixtures/healthy-sll.pcap", [113]],
    ]);
  });

  it.each([
    ["empty", Buffer.alloc(0)],
    ["text", "hello, this is not a capture\n"],
    ["jpeg", Buffer.from("ffd8ffe000104a46494600010100000100010000", "hex")],
  ])("a %s file: exit 2 and one line naming the file", (name, bytes) => {
    const path = scratchFile(`${name}.pcap`, bytes);
    const { status, stdout, stderr } = run([path]);
    expect(status).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(stderr).toContain(`${name}.pcap`);
    expect(stderr).toMatch(/not a pcap or pcapng capture/);
  });

  it("a directory stands for the capture files in it, in name order; other files there are skipped", () => {
    const dir = join(scratch, "ring");
    mkdirSync(dir);
    copyFileSync(join(ROOT, "fixtures/healthy-sll.pcap"), join(dir, "b.pcap"));
    copyFileSync(join(ROOT, HEALTHY), join(dir, "a.pcap"));
    writeFileSync(join(dir, "notes.txt"), "not a capture\n");
    const { status, stdout } = run(["--format", "json", dir]);
    expect(status).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.captures.map((c: { file: string; linkTypes: number[] }) => [c.file, c.linkTypes])).toEqual([
      [join(dir, "a.pcap"), [1]],
      [join(dir, "b.pcap"), [113]],
    ]);
  });

  it("a directory without capture files: exit 2, one line", () => {
    const dir = join(scratch, "empty-dir");
    mkdirSync(dir);
    writeFileSync(join(dir, "readme.txt"), "nothing here\n");
    const { status, stdout, stderr } = run([dir]);
    expect(status).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(stderr).toContain("no capture files in this directory");
  });

  it("a missing file: exit 2, one line, no stack trace", () => {
    const { status, stderr } = run([join(scratch, "nosuch.pcap")]);
    expect(status).toBe(2);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(stderr).toContain("nosuch.pcap");
    expect(stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it("a capture cut inside a record: complete records analyzed, capture-truncated, exit 0", () => {
    const whole = readFileSync(join(ROOT, HEALTHY));
    const cut = scratchFile("cut.pcap", whole.subarray(0, whole.length - 10));
    const { status, stdout } = run(["--format", "json", cut]);
    expect(status).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.captures[0].packets).toBe(75);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ code: "capture-truncated", severity: "warning", frames: [76] });
  });

  it("--fail-on warning turns the truncation warning into exit 1; --fail-on never keeps 0", () => {
    const whole = readFileSync(join(ROOT, HEALTHY));
    const cut = scratchFile("cut2.pcap", whole.subarray(0, whole.length - 10));
    expect(run(["--fail-on", "warning", cut]).status).toBe(1);
    expect(run(["--fail-on", "never", cut]).status).toBe(0);
  });

  it("usage errors exit 2: no capture, unknown option, bad format, bad port", () => {
    for (const args of [[], ["--bogus", HEALTHY], ["--format", "xml", HEALTHY], ["--pptp-port", "70000", HEALTHY]]) {
      const { status, stderr } = run(args);
      expect(status, args.join(" ")).toBe(2);
      expect(stderr.length, args.join(" ")).toBeGreaterThan(0);
    }
  });

  it("--version and --help exit 0", () => {
    const version = run(["--version"]);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version);
    const help = run(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("--format");
    expect(help.stdout).toContain("Examples:");
  });

  it("--explain prints the rule's meaning, wire signs and remedy; an unknown code exits 2", () => {
    const known = run(["--explain", "unknown-call-id"]);
    expect(known.status).toBe(0);
    expect(known.stdout).toMatch(/^unknown-call-id \(warning\)/);
    expect(known.stdout).toContain("What it means:");
    expect(known.stdout).toContain("On the wire:");
    expect(known.stdout).toContain("How to fix it:");
    const unknown = run(["--explain", "no-such-code"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown finding code "no-such-code"');
  });

  it("--client and --server keep only the matching sessions and recount the summary", () => {
    const other = JSON.parse(run(["--format", "json", "--client", "192.0.2.99", HEALTHY]).stdout);
    expect(other.sessions).toEqual([]);
    expect(other.summary).toMatchObject({ sessions: 0, established: 0 });
    const mine = JSON.parse(run(["--format", "json", "--client", "192.0.2.10", "--server", "198.51.100.1", HEALTHY]).stdout);
    expect(mine.sessions.map((s: { client: string }) => s.client)).toEqual(["192.0.2.10"]);
    expect(run(["--client", "not-an-address", HEALTHY]).status).toBe(2);
  });

  it("no progress line when standard error is not a terminal, with or without --no-progress", () => {
    for (const args of [[HEALTHY], ["--no-progress", HEALTHY]]) expect(run(args).stderr).toBe("");
  });

  it("--pptp-port moves the control channel: on port 1724 the fixture has no control segments", () => {
    const report = run([HEALTHY, "--pptp-port", "1724"]);
    const row = report.stdout.split("\n").find((line) => line.includes("healthy.pcap"))!;
    const cells = row.split("│").map((cell) => cell.trim()).filter(Boolean);
    expect(cells.slice(-3)).toEqual(["0", "61", "61"]);
  });
});
