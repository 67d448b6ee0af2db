import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitTurn, mergedTasks, planRepo, journal, runCcwave, runState } from './plan-repo.js';

describe('ccwave run with the fake agent', () => {
  it('runs 2 waves x 3 tasks: merged through the test gate, retrospectives, landed on main', async () => {
    const repo = planRepo(
      [
        [{ id: 'feature-001-a' }, { id: 'feature-002-b' }, { id: 'feature-003-c' }],
        [{ id: 'feature-004-d' }, { id: 'feature-005-e' }, { id: 'feature-006-f' }],
      ],
      // Wave 2's tests need wave 1's work: proves wave 2 forked from the merged result.
      { test: 'test -f README.md', merge: { gate: 'batch' } },
    );
    const result = await runCcwave(repo, ['run', '--no-tui']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(mergedTasks(repo)).toEqual(['feature-001-a', 'feature-002-b', 'feature-003-c', 'feature-004-d', 'feature-005-e', 'feature-006-f']);
    for (const id of ['a', 'b', 'c', 'd', 'e', 'f']) expect(repo.git('show', `main:feature-00${'abcdef'.indexOf(id) + 1}-${id}.txt`)).toBeTruthy();
    expect(repo.git('ls-tree', '--name-only', 'main', 'waves/retros/')).toBe('waves/retros/test-plan-wave-1.md\nwaves/retros/test-plan-wave-2.md');
    // Wave 2's worktrees started from wave 1's merged, retro-bearing tip.
    const state = runState(repo);
    expect(state.waves[1]!.fromSha).toBe(state.waves[0]!.integrationSha);
    expect(repo.git('cat-file', '-e', `${state.waves[1]!.fromSha}:feature-001-a.txt`)).toBe('');
    expect(Object.values(state.tasks).map((t) => t.status)).toEqual(Array(6).fill('done'));
    expect(state.status).toBe('finished');
    expect(result.stdout).toMatch(/run finished \(exit 0\)/);
    // The user's checkout followed the landing and is clean.
    expect(repo.git('status', '--porcelain')).toBe('');
    expect(existsSync(path.join(repo.dir, 'feature-006-f.txt'))).toBe(true);
  });

  it('a crash and a hang fail their tasks without stopping the others; exit 1 lists them', async () => {
    const repo = planRepo(
      [
        [
          { id: 'good' },
          { id: 'crash', turns: [{ steps: [{ work: 100 }, { crash: 3 }], reply: '' }] },
          { id: 'hang', turns: [{ steps: [{ say: 'thinking' }, { hang: true }], reply: '' }], frontMatter: 'idleTimeout: 3s\nretries: 0' },
        ],
        [{ id: 'later' }],
      ],
      { retries: 0 },
    );
    const result = await runCcwave(repo, ['run', '--no-tui']);
    expect(result.status).toBe(1);
    expect(mergedTasks(repo)).toEqual(['good', 'later']);
    const state = runState(repo);
    expect(state.tasks.crash).toMatchObject({ status: 'failed' });
    expect(state.tasks.hang).toMatchObject({ status: 'timeout' });
    expect(state.tasks.hang!.reason).toMatch(/idle/);
    expect(result.stdout).toMatch(/crash: failed/);
    expect(result.stdout).toMatch(/hang: timeout/);
  });

  it('waits out a usage limit, then the agent continues and the task finishes', async () => {
    const repo = planRepo([
      [
        {
          id: 'limited',
          turns: [{ steps: [{ work: 100 }, { usageLimit: { resetInSec: 2, format: 'epoch' } }], reply: '' }, commitTurn('limited.txt')],
        },
      ],
    ]);
    const result = await runCcwave(repo, ['run', '--no-tui']);
    expect(result.status).toBe(0);
    expect(mergedTasks(repo)).toEqual(['limited']);
    const events = journal(repo);
    const paused = events.find((e) => e.type === 'agent-state' && e.state === 'paused');
    expect(paused).toMatchObject({ task: 'limited', reason: 'usage limit', until: expect.any(String) });
    expect(result.stdout).toMatch(/paused until/);
  });

  it('--dry-run prints the plan of action and changes nothing', async () => {
    const repo = planRepo([[{ id: 'one' }]]);
    const refs = repo.git('for-each-ref');
    const result = await runCcwave(repo, ['run', '--dry-run']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/would start a new run/);
    expect(result.stdout).toMatch(/branch ccwave\/.*\/w1\/one in /);
    expect(repo.git('for-each-ref')).toBe(refs);
    expect(repo.git('worktree', 'list').split('\n')).toHaveLength(1);
    expect(existsSync(path.join(repo.dir, '.git/ccwave/runs'))).toBe(false);
  });

  it('refuses a missing base or agent program with exit 2 and changes nothing', async () => {
    const repo = planRepo([[{ id: 'one' }]], { base: 'nope' });
    const result = await runCcwave(repo, ['run', '--no-tui']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/base branch `nope` does not exist/);
    expect(existsSync(path.join(repo.dir, '.git/ccwave/runs'))).toBe(false);
    const noAgent = planRepo([[{ id: 'two' }]], { agent: 'claude', base: 'main' });
    const refused = await runCcwave(noAgent, ['run', '--no-tui'], { PATH: path.dirname(process.execPath) + ':/usr/bin:/bin' });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/the agent program `claude` \(task two\) was not found/);
    expect(existsSync(path.join(noAgent.dir, '.git/ccwave/runs'))).toBe(false);
  });

  it('never touches a dirty checkout: the wave is merged but not landed, with the command to land it', async () => {
    const repo = planRepo([[{ id: 'one' }]]);
    const readme = path.join(repo.dir, 'README.md');
    const before = repo.git('rev-parse', 'main');
    await import('node:fs').then((fs) => fs.appendFileSync(readme, 'my own edit\n'));
    const result = await runCcwave(repo, ['run', '--no-tui']);
    expect(result.status).toBe(0);
    expect(repo.git('rev-parse', 'main')).toBe(before);
    expect(readFileSync(readme, 'utf8')).toBe('# sample\nmy own edit\n');
    expect(result.stdout).toMatch(/was not landed on main: .*uncommitted changes/);
    expect(result.stdout).toMatch(/to land it: git -C \S+ merge --ff-only ccwave\//);
    expect(mergedTasks(repo, runState(repo).integration!.branch)).toEqual(['one']);
  });

  it("retro.agent: a short session writes lessons into the retrospective and the next waves' prompts", async () => {
    const repo = planRepo([[{ id: 'first' }], [{ id: 'second' }]], { retro: { agent: true } });
    writeFileSync(path.join(repo.scripts, 'retro-wave-1.json'), JSON.stringify({ turns: [commitTurn('LESSONS.md', '- Keep each feature in its own module.\n')] }));
    writeFileSync(path.join(repo.scripts, 'retro-wave-2.json'), JSON.stringify({ turns: [commitTurn('LESSONS.md', '- Nothing new.\n')] }));
    const result = await runCcwave(repo, ['run', '--no-tui']);
    expect(result.status).toBe(0);
    expect(repo.git('show', 'main:waves/retros/test-plan-wave-1.md')).toMatch(/## Lessons\n\n- Keep each feature in its own module\./);
    expect(runState(repo).waves[0]!.retro?.lessons).toBe('- Keep each feature in its own module.');
    const seen = await runCcwave(repo, ['logs', 'second']);
    expect(seen.stdout).toMatch(/Lessons from earlier waves/);
    expect(seen.stdout).toMatch(/Keep each feature in its own module/);
  });
});
