#!/usr/bin/env node
import { enableCompileCache } from 'node:module';
import { nodeVersionProblem } from './node-version.js';

// Before anything else loads: on an older Node the failure would be some dependency's syntax error.
const tooOld = nodeVersionProblem(process.versions.node);
if (tooOld) {
  process.stderr.write(`ccwave: ${tooOld}\nhint: install a current Node.js LTS (https://nodejs.org)\n`);
  process.exit(2);
}
// Node keeps the compiled code of ccwave and its dependencies on disk (in the temp folder), so each
// start compiles nothing it compiled before: a third of `--help` and of `validate` on a large plan.
enableCompileCache();
const { runCli } = await import('./program.js');

// `ccwave logs … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await runCli(process.argv);
