import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeMessagesApi, type FakeMessagesApi, type FakeStep } from '../../src/doctor/fake-messages-api.js';
import { EXIT } from '../../src/errors.js';
import type { JournalEvent } from '../../src/journal/index.js';
import { CLAUDE_BINARIES, claudeEnv, claudeHome } from '../helpers/claude-binaries.js';
import { mergedTasks, planRepo, runCcwave } from './plan-repo.js';
import { journal, runState } from './stop-helpers.js';

/**
 * A task's budget with the real Claude Code binaries against the fake Messages API: the tokens
 * Claude reports for the task's session reach its budget, the task ends over budget and the run
 * stops; with the budget raised, the next `ccwave run` continues the same session to the merge.
 */
let api: FakeMessagesApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/** Four replies of the fake API (100 + 20 tokens each) and no commit: past a 300-token budget. */
const SPENDING_TURN: FakeStep[] = [
  { tool: 'Bash', input: { command: 'echo one', description: 'Look around' } },
  { tool: 'Write', input: { file_path: 'a.txt', content: 'a by claude\n' } },
  { tool: 'Bash', input: { command: 'echo two', description: 'Look again' } },
  { text: 'Still working on it.' },
];
const COMMIT_TURN: FakeStep[] = [{ tool: 'Bash', input: { command: 'git add -A && git commit -qm "Add a.txt"', description: 'Commit' } }, { text: 'Done: a.txt is committed.' }];

describe.each(CLAUDE_BINARIES)('a task budget with the real Claude Code $version', (claude) => {
  it('stops the task over budget by its tokens; raised, the run continues its session to the merge', async () => {
    const repo = planRepo([[{ id: 'a' }]], { agent: { kind: 'claude', command: [claude.path] }, taskBudget: { tokens: 300 } });
    api = await startFakeMessagesApi({ script: { turns: [SPENDING_TURN, COMMIT_TURN, COMMIT_TURN, COMMIT_TURN] } });
    const env = claudeEnv(claudeHome(path.join(path.dirname(repo.dir), 'home')), api.url);
    for (const key of Object.keys(process.env)) if (/^(ANTHROPIC_|CLAUDE|CLAUDECODE)/.test(key) && !(key in env)) env[key] = undefined;

    const first = await runCcwave(repo, ['run', '--no-tui'], env);
    expect(first.status, first.stdout + first.stderr).toBe(EXIT.overBudget);
    const finished = journal(repo).find((e) => e.type === 'task-finished' && e.task === 'a') as Extract<JournalEvent, { type: 'task-finished' }>;
    expect(finished).toMatchObject({ status: 'over-budget' });
    expect(finished.reason).toMatch(/^over its budget: \d+ of 300 tokens$/);
    expect(first.stdout).toMatch(/stopped: a is over its budget \(\d+ of 300 tokens\)/);
    const sessionId = runState(repo).tasks.a!.sessionId;

    const file = path.join(repo.dir, 'WAVES.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/taskBudget:\n(?: +.*\n)*/, 'taskBudget:\n  tokens: 1M\n'));
    const raised = await runCcwave(repo, ['run', '--no-tui'], env);
    expect(raised.status, raised.stdout + raised.stderr).toBe(EXIT.ok);
    const resumed = journal(repo).filter((e) => e.type === 'agent-starting');
    expect(resumed.at(-1)).toMatchObject({ sessionId, resume: true });
    expect(mergedTasks(repo, runState(repo).integration!.branch)).toEqual(['a']);
  }, 180_000);
});
