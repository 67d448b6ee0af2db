import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeMessagesApi, workingDirectory, type FakeMessagesApi } from '../../fixtures/fake-api/fake-messages-api.mjs';
import { REPO_ROOT } from '../helpers/cli.js';
import { mergedTasks, planRepo, runCcwave } from './plan-repo.js';

/**
 * A whole wave with the real Claude Code binary: two tasks in parallel, each in its worktree and
 * PTY, doing real work with real tools against the fake Messages API, then merged and landed.
 */
const CLAUDE_BIN = path.join(REPO_ROOT, 'node_modules/@anthropic-ai/claude-code-linux-x64/claude');
const installed = existsSync(CLAUDE_BIN);
if (!installed) console.warn(`\n*** SKIPPING the real Claude Code wave test: ${CLAUDE_BIN} is not installed ***\n`);

const API_KEY = 'sk-ant-api03-ccwave-wave-test-not-real-0123456789abcdefghij';

let api: FakeMessagesApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe.skipIf(!installed)('ccwave run with the real Claude Code binary', () => {
  it('runs a 2-task wave end to end: trust dialogs, Write and Bash tools, commits, merge, landing', async () => {
    const repo = planRepo([[{ id: 'feature-001-hello' }, { id: 'feature-002-world' }]], {
      agent: { kind: 'claude', command: [CLAUDE_BIN] },
      concurrency: 2,
      test: 'test -f README.md',
    });
    // Each session gets the script of the task whose worktree it runs in.
    api = await startFakeMessagesApi({
      script: (body) => {
        const task = path.basename(workingDirectory(body) ?? 'unknown');
        const file = `${task}.txt`;
        return {
          turns: [
            [
              { tool: 'Write', input: { file_path: file, content: `${task} by claude\n` } },
              { tool: 'Bash', input: { command: `git add ${file} && git commit -m "Add ${file}"`, description: 'Commit' } },
              { text: `Done: ${file} is written and committed.` },
            ],
          ],
        };
      },
    });
    const home = path.join(path.dirname(repo.dir), 'home');
    mkdirSync(home, { recursive: true });
    writeFileSync(
      path.join(home, '.claude.json'),
      JSON.stringify({ hasCompletedOnboarding: true, customApiKeyResponses: { approved: [API_KEY.slice(-20)], rejected: [] } }),
    );
    const env: NodeJS.ProcessEnv = { HOME: home, ANTHROPIC_BASE_URL: api.url, ANTHROPIC_API_KEY: API_KEY, DISABLE_AUTOUPDATER: '1', CLAUDE_CODE_MAX_RETRIES: '1' };
    for (const key of Object.keys(process.env)) if (/^(CLAUDE|CLAUDECODE|ANTHROPIC_AUTH)/.test(key)) env[key] = undefined;
    const result = await runCcwave(repo, ['run', '--no-tui'], env);
    expect(result.stderr).toBe('');
    expect(result.status, result.stdout).toBe(0);
    expect(mergedTasks(repo)).toEqual(['feature-001-hello', 'feature-002-world']);
    expect(repo.git('show', 'main:feature-001-hello.txt')).toBe('feature-001-hello by claude');
    expect(repo.git('show', 'main:feature-002-world.txt')).toBe('feature-002-world by claude');
    expect(repo.git('status', '--porcelain')).toBe('');
  });
});
