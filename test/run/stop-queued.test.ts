import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/errors.js';
import { planRepo } from './plan-repo.js';
import { FOREVER_MS, journal, runState, startRun, until } from './stop-helpers.js';

describe('a stop while a task waits for an agent slot', () => {
  it('exits 130 with the waiting task left to resume, not as an internal error', async () => {
    const slow = { steps: [{ work: FOREVER_MS }], reply: 'Still at it.' };
    const repo = planRepo([[{ id: 'a', turns: [slow] }, { id: 'b' }]], { concurrency: 1 });
    const run = startRun(repo);
    await until(() => journal(repo).some((e) => e.type === 'agent-state' && e.task === 'a' && e.state === 'working'), 'a at work');
    run.kill('SIGINT');
    const exited = await run.exited;
    expect(exited.stderr).not.toMatch(/internal error/);
    expect(exited.status).toBe(EXIT.interrupted);
    expect(runState(repo).tasks.b!.status).not.toBe('running');
    expect(journal(repo).at(-1)).toMatchObject({ type: 'run-interrupted' });
  }, 60_000);
});
