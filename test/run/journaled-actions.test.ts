import { describe, expect, it } from 'vitest';
import type { JournalEvent } from '../../src/journal/index.js';
import { commitTurn, journal, planRepo, runCcwave } from './plan-repo.js';

const TASK = 'feature-001-alpha';
/** A first turn that ends without a commit: the session nudges the agent, which then commits. */
const idleTurn = { steps: [{ work: 100 }, { say: 'Looked around.' }], reply: 'I looked at the code.' };

describe('what the session does by itself is journaled', () => {
  it('a nudge reaches the journal, the --json stream, status and status --json, and the retrospective', async () => {
    const repo = planRepo([[{ id: TASK, turns: [idleTurn, commitTurn('alpha.txt')] }]]);
    const run = await runCcwave(repo, ['run', '--json']);
    expect(run.status, run.stderr).toBe(0);

    const nudges = journal(repo).filter((e) => e.type === 'agent-action' && e.action === 'nudge');
    expect(nudges).toEqual([expect.objectContaining({ v: 2, task: TASK, attempt: 1, action: 'nudge' })]);
    const streamed = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as JournalEvent);
    expect(streamed.filter((e) => e.type === 'agent-action' && e.action === 'nudge')).toHaveLength(1);

    const status = await runCcwave(repo, ['status', '--json']);
    expect(status.status, status.stderr).toBe(0);
    const task = (JSON.parse(status.stdout) as { run: { tasks: Array<{ id: string; actions: { counts: Record<string, number>; last: { action: string } | null } }> } }).run.tasks.find(
      (t) => t.id === TASK,
    );
    expect(task?.actions.counts).toMatchObject({ nudge: 1 });

    const text = await runCcwave(repo, ['status']);
    expect(text.stdout).toMatch(new RegExp(`${TASK}[^\\n]*\\n(\\s{6}.*\\n)*\\s{6}ccwave stepped in: 1 nudge\\n`));
    const retro = repo.git('show', 'main:waves/retros/test-plan-wave-1.md');
    expect(retro).toContain('- ccwave stepped in: 1 nudge');
  });
});
