#!/usr/bin/env -S MALLOC_ARENA_MAX=1 MALLOC_TOP_PAD_=67108864 node --max-semi-space-size=2
// A young generation of 2 MB semi-spaces instead of V8's default 16: the analysis keeps state
// for thousands of sessions and copies little per collection, so the smaller new space costs
// no time and keeps the peak RSS about 25 MB lower (measured with npm run bench).
// MALLOC_ARENA_MAX and MALLOC_TOP_PAD_ (glibc's allocator; other C libraries ignore them): V8's
// compiler and GC threads each got an arena of their own, and malloc gave freed memory back to
// the system at once, so the same memory was faulted in again and again. One arena, and 64 MB
// kept when trimming, take 40 % of the page faults and 7 % of the time off the 1 GB benchmark,
// and 60 % of the faults off a gzip capture, whose zlib output buffers are otherwise
// fresh memory. (The same settings as GLIBC_TUNABLES would put an "=" inside a value, which
// npm's Windows shims cannot parse.) The line stays under 128 bytes, the #! limit of Linux
// kernels before 5.1.
// dist/pptp-analyze.js is dist/cli.js bundled into one file, which loads faster (scripts/bundle-cli.js).
import { main } from "../dist/pptp-analyze.js";

// A closed pipe (`pptp-analyze x.pcap | head`) is the reader's choice, not an error.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main(process.argv);
