#!/usr/bin/env node
// `npm run test:claude-latest`: does ccwave work with the newest Claude Code, before anyone pins it?
// Installs the newest @anthropic-ai/claude-code from the registry into a temp folder (nothing of
// the project's dependencies changes), runs `ccwave doctor` with it, then the real-binary
// end-to-end tests with it as one more binary (CCWAVE_EXTRA_CLAUDE), and says what passed.
// Never part of `npm test`: it needs the network, and the answer changes with every release.
// `--keep` leaves the temp folder (and the binary in it) for a closer look.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const PACKAGE = '@anthropic-ai/claude-code';
const E2E_TESTS = ['test/doctor/doctor-real-claude.e2e.test.ts', 'test/agent/claude-real.e2e.test.ts', 'test/run/claude-real-wave.e2e.test.ts'];
const keep = process.argv.includes('--keep');

/** Runs a program with argv (never a shell line) and the terminal attached; its exit code. */
function run(program, args, options = {}) {
  console.log(`\n$ ${[program, ...args].join(' ')}`);
  const result = spawnSync(program, args, { stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

/** The native binary: it ships in a platform package, a dependency of the main one. */
function locateBinary(folder) {
  const require = createRequire(path.join(folder, 'package.json'));
  const main = require.resolve(`${PACKAGE}/package.json`);
  const version = require(main).version;
  try {
    const native = createRequire(main).resolve(`${PACKAGE}-${process.platform}-${process.arch}/package.json`);
    const binary = path.join(path.dirname(native), 'claude');
    if (existsSync(binary)) return { version, binary };
  } catch {
    // Older layouts put the program in the main package: its bin below.
  }
  return { version, binary: path.join(folder, 'node_modules', '.bin', 'claude') };
}

const folder = mkdtempSync(path.join(os.tmpdir(), 'ccwave-claude-latest-'));
const outcome = [];
let failed = false;
try {
  if (run('npm', ['install', '--prefix', folder, '--no-audit', '--no-fund', '--no-package-lock', `${PACKAGE}@latest`]) !== 0) throw new Error(`npm could not install ${PACKAGE}@latest`);
  const { version, binary } = locateBinary(folder);
  console.log(`\nnewest Claude Code: ${version} at ${binary}`);
  if (run('npm', ['run', 'build'], { cwd: ROOT }) !== 0) throw new Error('the build failed');
  // A throwaway config folder: what doctor remembers here is about this temp binary, not the user's.
  const env = { ...process.env, XDG_CONFIG_HOME: path.join(folder, 'config'), CCWAVE_EXTRA_CLAUDE: binary };
  const doctor = run(process.execPath, [path.join(ROOT, 'dist/cli/main.js'), 'doctor', '--agent-command', binary], { cwd: folder, env });
  outcome.push(['ccwave doctor', doctor]);
  // Only the tests of this version: the pinned ones are npm test's.
  const tests = run(process.execPath, [path.join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', ...E2E_TESTS, '-t', version.replaceAll('.', '\\.')], { cwd: ROOT, env });
  outcome.push([`real-binary tests (${E2E_TESTS.length} files)`, tests]);
  console.log(`\nClaude Code ${version}:`);
  for (const [what, status] of outcome) console.log(`  ${status === 0 ? 'passed' : `FAILED (exit ${status})`}  ${what}`);
  failed = outcome.some(([, status]) => status !== 0);
  if (failed) console.log(`\nsee the README (Development) for recording the new screens; the binary: ${binary}${keep ? '' : ' (run with --keep to keep it)'}`);
} catch (error) {
  console.error(`\ntest:claude-latest: ${error instanceof Error ? error.message : error}`);
  failed = true;
} finally {
  if (keep) console.log(`\nkept ${folder}`);
  else rmSync(folder, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
