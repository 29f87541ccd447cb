#!/usr/bin/env node
import { runCli } from './run-cli.js';

// Output piped into a reader that stops early (`clvkit audit list | head`, `clvkit analyze … 2>&1 | head -2`): what
// follows goes nowhere, quietly, and the command still finishes its work and exits with its own code. Ending at the
// next write instead (as before) abandoned an analysis half-way with exit code 0: no files, the run's staged tables left.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    stream.write = (() => true) as typeof stream.write;
  });
}

process.exitCode = await runCli(process.argv.slice(2));
