#!/usr/bin/env node
import { main } from "../dist/cli.js";

// A closed pipe (`pptp-analyze x.pcap | head`) is the reader's choice, not an error.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main(process.argv);
