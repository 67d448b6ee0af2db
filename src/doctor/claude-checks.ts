import { execFile } from 'node:child_process';
import type { CheckResult } from './check.js';

/** `claude --version` prints at once; a program that takes longer is not answering like Claude Code. */
const VERSION_TIMEOUT_MS = 15_000;
const VERSION = /^(\S+) \(Claude Code\)/m;

/** Runs the Claude checks against the Claude Code at `claudePath`. */
export async function runClaudeChecks(options: { claudePath: string; signal?: AbortSignal; log?: (line: string) => void }): Promise<{ version: string | undefined; results: CheckResult[] }> {
  options.log?.(`asking ${options.claudePath} for its version`);
  const answer = await new Promise<{ stdout: string; error: Error | null }>((resolve) => {
    execFile(options.claudePath, ['--version'], { timeout: VERSION_TIMEOUT_MS, encoding: 'utf8', ...(options.signal ? { signal: options.signal } : {}) }, (error, stdout) => {
      resolve({ stdout: String(stdout ?? ''), error });
    });
  });
  const version = VERSION.exec(answer.stdout)?.[1];
  if (version) return { version, results: [{ id: 'claude.version', title: `Claude Code ${version} answers --version`, status: 'ok' }] };
  const said = answer.stdout.trim().split('\n')[0] ?? '';
  return {
    version: undefined,
    results: [
      {
        id: 'claude.version',
        title: 'Claude Code answers --version',
        status: 'failed',
        detail: answer.error ? `${options.claudePath} --version failed: ${answer.error.message.split('\n')[0]}` : `${options.claudePath} --version said "${said}"; expected "<version> (Claude Code)"`,
      },
    ],
  };
}
