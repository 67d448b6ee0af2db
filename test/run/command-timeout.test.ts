import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { replay } from '../../src/journal/index.js';
import { planRepo, runCcwave } from './plan-repo.js';
import { journal, pidsOf, running } from './stop-commands.js';

/** One task `a` played by a shell-line agent that commits a.txt, with the given front matter. */
function repoWith(settings: string): ReturnType<typeof planRepo> & { pids: string } {
  const repo = planRepo([[{ id: 'a' }]]);
  const pids = path.join(path.dirname(repo.dir), 'pids');
  const body = readFileSync(path.join(repo.dir, 'WAVES.md'), 'utf8').replace(/^---\n[\s\S]*?\n---\n/, '');
  const agent = `echo a > a.txt && git add a.txt && git commit -qm 'Add a.txt'`;
  writeFileSync(path.join(repo.dir, 'WAVES.md'), `---\nagent: ${JSON.stringify(agent)}\nretro: false\ncommandTimeout: 1s\n${settings.replaceAll('PIDS', pids)}\n---\n${body}`);
  repo.git('add', '-A');
  repo.git('commit', '-qm', 'plan');
  mkdirSync(path.dirname(pids), { recursive: true });
  return { ...repo, pids };
}

const HANG = `"echo $$ >> PIDS; sleep 371 & echo $! >> PIDS; wait"`;

describe('commandTimeout', () => {
  it('a setup that hangs fails its task at the limit, and nothing of it is left', async () => {
    const repo = repoWith(`setup: ${HANG}`);
    const result = await runCcwave(repo, ['run', '--no-tui']);
    expect(result.status, result.stdout + result.stderr).toBe(1);
    const state = replay(journal(repo));
    expect(state.tasks.a).toMatchObject({ status: 'failed', reason: 'setup timed out after 1s' });
    expect(journal(repo).find((e) => e.type === 'setup-finished')).toMatchObject({ ok: false, timedOut: true });
    expect(result.stdout).toMatch(/ a +setup timed out \(commandTimeout, after \d+s\)/);
    expect(pidsOf(repo.pids)).toHaveLength(2);
    expect(pidsOf(repo.pids).filter(running)).toEqual([]);
  });

  it('a test that hangs with a task merged is a failed test that says so, not a hang', async () => {
    // Passes on the base (no a.txt yet); hangs once a's work is merged.
    const test = `"if [ -e a.txt ]; then echo $$ >> PIDS; sleep 371 & echo $! >> PIDS; wait; fi"`;
    // One run per verdict: a retried timeout would only run the same hang again.
    const repo = repoWith(`test: ${test}\ntestRetries: 0`);
    const result = await runCcwave(repo, ['run', '--no-tui']);
    expect(result.status, result.stdout + result.stderr).toBe(1);
    const finished = journal(repo).filter((e) => e.type === 'test-finished');
    expect(finished.map((e) => e.type === 'test-finished' && [e.passed, e.timedOut ?? false])).toEqual([
      [true, false],
      [false, true],
    ]);
    expect(finished.at(-1)).toMatchObject({ outputTail: expect.stringMatching(/timed out after 1s\n$/) });
    expect(result.stdout).toMatch(/tests on [0-9a-f]{7} timed out \(commandTimeout, after \d+s\)/);
    expect(replay(journal(repo)).tasks.a!.merge).toMatchObject({ status: 'tests-failed' });
    expect(pidsOf(repo.pids)).toHaveLength(2);
    expect(pidsOf(repo.pids).filter(running)).toEqual([]);
  });
});
