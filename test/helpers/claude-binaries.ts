import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { REPO_ROOT } from './cli.js';

/**
 * The real Claude Code binaries the tests drive: the pinned version, and the newest one users have
 * (devDependency `claude-code-newest`), each with its own native package.
 */
export interface ClaudeBinary {
  version: string;
  path: string;
}

const PACKAGES = [
  { name: '@anthropic-ai/claude-code', from: REPO_ROOT },
  { name: 'claude-code-newest', from: REPO_ROOT },
];

function locate(name: string, from: string): ClaudeBinary | undefined {
  try {
    const require = createRequire(path.join(from, 'package.json'));
    const main = require.resolve(`${name}/package.json`);
    const version = (require(main) as { version: string }).version;
    // The native binary ships in a platform package, a dependency of the one above.
    const native = createRequire(main).resolve(`@anthropic-ai/claude-code-${process.platform}-${process.arch}/package.json`);
    const binary = path.join(path.dirname(native), 'claude');
    return existsSync(binary) ? { version, path: binary } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `CCWAVE_EXTRA_CLAUDE=<path>`: one more Claude Code binary for every real-binary test, e.g. the
 * newest release, which `npm run test:claude-latest` installs into a temp folder and names here.
 */
function extraBinary(): ClaudeBinary | undefined {
  const file = process.env.CCWAVE_EXTRA_CLAUDE;
  if (!file) return undefined;
  const version = /^(\S+) \(Claude Code\)/m.exec(execFileSync(file, ['--version'], { encoding: 'utf8' }))?.[1];
  if (!version) throw new Error(`CCWAVE_EXTRA_CLAUDE=${file} does not answer --version as Claude Code does`);
  return { version, path: file };
}

const PINNED_BINARIES: ClaudeBinary[] = PACKAGES.flatMap(({ name, from }) => {
  const found = locate(name, from);
  if (!found) console.warn(`\n*** SKIPPING real Claude Code tests of ${name}: its native binary is not installed (npm install brings it on linux-x64) ***\n`);
  return found ? [found] : [];
});

/** The pinned binaries, and the extra one unless it is one of their versions. */
export const CLAUDE_BINARIES: ClaudeBinary[] = ((extra) => (extra && !PINNED_BINARIES.some((b) => b.version === extra.version) ? [...PINNED_BINARIES, extra] : PINNED_BINARIES))(extraBinary());

export const TEST_API_KEY = 'sk-ant-api03-ccwave-test-key-not-real-0123456789abcdefghij';

/** A HOME whose Claude has finished onboarding and approved the test key; worktrees are NOT pre-trusted. */
export function claudeHome(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, '.claude.json'), JSON.stringify({ hasCompletedOnboarding: true, customApiKeyResponses: { approved: [TEST_API_KEY.slice(-20)], rejected: [] } }));
  return dir;
}

/** The environment for a Claude against the fake API, without the Claude settings of whoever runs the tests. */
export function claudeEnv(home: string, apiUrl: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(ANTHROPIC_|CLAUDE|CLAUDECODE)/.test(key)) env[key] = value;
  }
  return { ...env, HOME: home, ANTHROPIC_BASE_URL: apiUrl, ANTHROPIC_API_KEY: TEST_API_KEY, DISABLE_AUTOUPDATER: '1', CLAUDE_CODE_MAX_RETRIES: '1' };
}
