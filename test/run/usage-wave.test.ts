// A wave of fake agents that report usage: the journal keeps each task's tokens and cost exactly as
// the agents reported them, coalesced, and `status`, `status --json`, the summary and the
// retrospective all show them.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { taskUsage } from '../../src/journal/index.js';
import { journal, planRepo, runCcwave, runState } from './plan-repo.js';

const usage = (input: number, output: number, costUsd: number) => ({ usage: { input, output, cacheCreation: 0, cacheRead: 0, costUsd } });

describe('usage of a wave', () => {
  it('is journaled per task, coalesced, and shown by status, the summary and the retrospective', async () => {
    const repo = planRepo([
      [
        {
          id: 'a',
          turns: [{ steps: [usage(1000, 200, 0.05), usage(2000, 300, 0.1), { write: 'a.txt', content: 'a\n' }, { commit: 'Add a' }], reply: 'Added a.' }],
        },
        {
          id: 'b',
          turns: [{ steps: [usage(500, 50, 0.01), { rateLimits: { fiveHour: 42, resetInSec: 3600 } }, { write: 'b.txt', content: 'b\n' }, { commit: 'Add b' }], reply: 'Added b.' }],
        },
      ],
    ]);
    // No default usage for the replies: the scripted steps are all the agents used.
    for (const id of ['a', 'b']) {
      const file = path.join(repo.scripts, `${id}.json`);
      writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), defaultUsage: false }));
    }
    const result = await runCcwave(repo, ['run', '--no-tui']);
    expect(result.status, result.stdout + result.stderr).toBe(0);

    const state = runState(repo);
    expect(taskUsage(state, 'a')).toEqual({ tokens: { input: 3000, output: 500, cacheCreation: 0, cacheRead: 0 }, costUsd: expect.closeTo(0.15) });
    expect(taskUsage(state, 'b')).toEqual({ tokens: { input: 500, output: 50, cacheCreation: 0, cacheRead: 0 }, costUsd: expect.closeTo(0.01) });
    expect(state.rateLimits?.fiveHour?.usedPercentage).toBe(42);
    // Coalesced: a few events per task, not one per status line.
    const events = journal(repo).filter((e) => e.type === 'agent-usage');
    expect(events.length).toBeLessThanOrEqual(8);

    expect(result.stdout).toMatch(/^a\s.*\s3\.5k\s+~\$0\.15\s/m);
    expect(result.stdout).toContain("Usage: 4.05k tokens, ~$0.16 estimated (Claude Code's estimate at list prices)");

    const status = await runCcwave(repo, ['status']);
    expect(status.stdout).toContain('Usage:       4.05k tokens, ~$0.16 estimated');
    const json = JSON.parse((await runCcwave(repo, ['status', '--json'])).stdout);
    expect(json.run.usage.tokens.total).toBe(4050);

    const retro = repo.git('show', `main:${state.waves[0]!.retro!.path}`);
    expect(retro).toContain('- Run so far: 4.05k tokens, ~$0.16 estimated');
  });
});
