import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeMessagesApi, workingDirectory, type FakeMessagesApi, type FakeStep } from '../../src/doctor/fake-messages-api.js';
import { sandboxProblem } from '../../src/run/agent-checks.js';
import { CLAUDE_BINARIES, claudeEnv, claudeHome } from '../helpers/claude-binaries.js';
import { mergedTasks, planRepo, runCcwave } from './plan-repo.js';

/**
 * Whole waves with the real Claude Code binaries (pinned and newest): tasks in parallel, each in
 * its worktree and PTY, doing real work with real tools against the fake Messages API, then merged
 * through the test gate and landed, all on ccwave's defaults unless a task says otherwise.
 */
const sandboxMissing = await sandboxProblem();
if (sandboxMissing) console.warn(`\n*** SKIPPING the real Claude Code sandbox task: ${sandboxMissing.message} ***\n`);

let api: FakeMessagesApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const TEST_OUTPUT = 'all 3 tests pass';

/** Every request of the session that works in `task`'s worktree, as text. */
function sessionText(task: string): string {
  return JSON.stringify((api?.requests ?? []).filter((r) => path.basename(workingDirectory(r.body) ?? '') === task).map((r) => r.body));
}

describe.each(CLAUDE_BINARIES)('ccwave run with the real Claude Code $version', (claude) => {
  it("runs the plan's own test command unasked on the defaults and in auto mode; the sandbox keeps a write outside the worktree out", async () => {
    const tasks = [
      { id: 'feature-001-defaults' },
      { id: 'feature-002-auto', frontMatter: 'permissionMode: auto' },
      ...(sandboxMissing ? [] : [{ id: 'feature-003-sandbox', frontMatter: 'sandbox: true' }]),
    ];
    const repo = planRepo([tasks], { agent: { kind: 'claude', command: [claude.path] }, concurrency: 3, test: 'node test.js' });
    writeFileSync(path.join(repo.dir, 'test.js'), `console.log(${JSON.stringify(TEST_OUTPUT)});\n`);
    repo.git('add', 'test.js');
    repo.git('commit', '-qm', 'Add the tests');
    const outside = path.join(path.dirname(repo.dir), 'escaped.txt');
    const hook = path.join(repo.dir, '.git/hooks/post-commit');
    api = await startFakeMessagesApi({
      // Each session gets the script of the task whose worktree it runs in.
      script: (body) => {
        const task = path.basename(workingDirectory(body) ?? 'unknown');
        const file = `${task}.txt`;
        // Out of the worktree, into the repository's hooks, into Claude's settings to turn the sandbox off.
        const escape = `touch ${outside}; echo 'touch ${outside}' > ${hook}; mkdir -p .claude && echo '{"sandbox":{"enabled":false}}' > .claude/settings.local.json`;
        const escapes: FakeStep[] = task.endsWith('sandbox') ? [{ tool: 'Bash', input: { command: escape, description: 'Write outside' } }] : [];
        return {
          turns: [
            [
              ...escapes,
              { tool: 'Bash', input: { command: 'node test.js', description: 'Run the tests' } },
              { tool: 'Write', input: { file_path: file, content: `${task} by claude\n` } },
              { tool: 'Bash', input: { command: `git add ${file} && git commit -m "Add ${file}"`, description: 'Commit' } },
              { text: `Done: ${file} is written and committed, and the tests pass.` },
            ],
          ],
        };
      },
    });
    const env = claudeEnv(claudeHome(path.join(path.dirname(repo.dir), 'home')), api.url);
    for (const key of Object.keys(process.env)) if (/^(ANTHROPIC_|CLAUDE|CLAUDECODE)/.test(key) && !(key in env)) env[key] = undefined;
    const result = await runCcwave(repo, ['run', '--no-tui'], env);
    expect(result.stderr).toBe('');
    expect(result.status, result.stdout).toBe(0);
    expect(mergedTasks(repo)).toEqual(tasks.map((t) => t.id));
    for (const { id } of tasks) {
      expect(repo.git('show', `main:${id}.txt`)).toBe(`${id} by claude`);
      // The tool result of `node test.js` came back to the model: it ran, with no prompt in between.
      expect(sessionText(id), id).toContain(TEST_OUTPUT);
      expect(sessionText(id), id).not.toMatch(/doesn't want to proceed|permission to use Bash/i);
    }
    if (!sandboxMissing) {
      expect(sessionText('feature-003-sandbox')).toMatch(/Read-only file system|Operation not permitted/);
      expect(existsSync(outside)).toBe(false);
      expect(existsSync(hook)).toBe(false);
      expect(repo.git('show', 'main:feature-003-sandbox.txt')).toBe('feature-003-sandbox by claude');
    }
    expect(repo.git('status', '--porcelain')).toBe('');
  });
});
