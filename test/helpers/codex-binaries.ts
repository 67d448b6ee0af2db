import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fakeProviderEnv, writeFakeProviderConfig } from '../../src/doctor/codex-sandbox.js';
import { REPO_ROOT } from './cli.js';
import { cacheTempDir } from './temp.js';

/** The real Codex CLI binary the tests drive: the pinned devDependency's native build. */
export interface CodexBinary {
  version: string;
  path: string;
}

/** Where each platform package keeps its native binary: `vendor/<target triple>/bin/codex`. */
const TARGETS: Record<string, string> = { 'linux-x64': 'x86_64-unknown-linux-musl', 'linux-arm64': 'aarch64-unknown-linux-musl' };

function locate(): CodexBinary | undefined {
  const target = TARGETS[`${process.platform}-${process.arch}`];
  if (!target) return undefined;
  try {
    const require = createRequire(path.join(REPO_ROOT, 'package.json'));
    const main = require.resolve('@openai/codex/package.json');
    const version = (require(main) as { version: string }).version;
    const native = createRequire(main).resolve(`@openai/codex-${process.platform}-${process.arch}/package.json`);
    const binary = path.join(path.dirname(native), 'vendor', target, 'bin', 'codex');
    return existsSync(binary) ? { version, path: binary } : undefined;
  } catch {
    return undefined;
  }
}

const found = locate();
if (!found) console.warn('\n*** SKIPPING real Codex tests: its native binary is not installed (npm install brings it on linux-x64) ***\n');

/** The pinned binary, when this platform has it. */
export const CODEX_BINARIES: CodexBinary[] = found ? [found] : [];

/**
 * A throwaway CODEX_HOME, as a user's would be, whose model provider is the fake Responses API at
 * `apiUrl` (its base URL, ending in /v1), written as doctor writes its own. Nothing ccwave needs is
 * in it: that comes per launch. It is not in the temp folder: there Codex refuses to create its
 * sandbox helper (`codex-linux-sandbox`), and a sandboxed command then cannot start.
 */
export function codexHome(apiUrl: string): string {
  const dir = cacheTempDir('ccwave-test-codex-home-');
  writeFakeProviderConfig(dir, apiUrl);
  return dir;
}

/** The environment for a Codex against the fake API, without the Codex or OpenAI settings of whoever runs the tests. */
export function codexEnv(home: string): NodeJS.ProcessEnv {
  return fakeProviderEnv(process.env, home);
}
