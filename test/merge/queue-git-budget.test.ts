import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runMergeQueue } from '../../src/merge/queue.js';
import { gitShim, pathWith } from '../helpers/git-shim.js';
import type { TestRepo } from '../helpers/repo.js';
import { tempDir } from '../helpers/temp.js';
import { finishedWave } from './finished-wave.js';

const RUN_ID = '20261123-150000-abcd';
/** Fails while any file named bad-*.txt is in the tree: a branch "breaks the tests" by adding one. */
const TEST_COMMAND = 'test -z "$(ls bad-*.txt 2>/dev/null)"';

/**
 * With the batch gate a merged branch costs its `merge-tree` and `commit-tree`; the few tests
 * (a `checkout` and a `clean` each) and the branch's one move are shared by the whole batch.
 */
const GIT_PER_MERGED_BRANCH = 3;

const repos: TestRepo[] = [];
afterEach(() => {
  vi.unstubAllEnvs();
  for (const r of repos.splice(0)) r.cleanup();
});

/** The git processes (subcommands) one merge queue of `tasks` starts, `bad` of them breaking the tests. */
async function queueGit(tasks: number, bad: number[]): Promise<{ git: string[]; merged: number; testRuns: number }> {
  const ids = Array.from({ length: tasks }, (_, i) => i + 1);
  const wave = await finishedWave(
    RUN_ID,
    ids.map((n) => ({ id: `t${n}`, files: { [bad.includes(n) ? `bad-${n}.txt` : `t${n}.txt`]: `${n}\n` } })),
  );
  repos.push(wave.r);
  const log = path.join(wave.r.tmp, 'git.log');
  writeFileSync(log, '');
  vi.stubEnv('PATH', pathWith(gitShim(wave.r.tmp, `printf '%s\\n' "$1" >> '${log}'`)));
  const settings = { test: TEST_COMMAND, merge: { gate: 'batch' as const, onConflict: 'skip' as const } };
  await runMergeQueue({ repo: wave.repo, recorder: wave.recorder, runId: RUN_ID, integration: wave.integration, settings, logDir: tempDir('ccwave-logs-') }, wave.recorder.state.waves[0]!);
  const tasksNow = Object.values(wave.recorder.state.tasks);
  return {
    git: readFileSync(log, 'utf8').trim().split('\n'),
    merged: tasksNow.filter((t) => t.merge?.status === 'merged').length,
    testRuns: wave.recorder.state.tests.length,
  };
}

describe('the batch gate', () => {
  it(`starts at most ${GIT_PER_MERGED_BRANCH} git processes per merged branch`, async () => {
    const { git, merged, testRuns } = await queueGit(12, []);
    expect(merged).toBe(12);
    expect(testRuns).toBe(2);
    expect(git.length / merged, git.join('\n')).toBeLessThanOrEqual(GIT_PER_MERGED_BRANCH);
  });

  it('after a cut, merges again only the branches after the one it dropped', async () => {
    const { git, merged } = await queueGit(12, [9]);
    expect(merged).toBe(11);
    // 12 merges, then the 3 after the dropped one again onto the new chain: nothing before it is redone.
    expect(git.filter((sub) => sub === 'merge-tree')).toHaveLength(15);
    expect(git.filter((sub) => sub === 'commit-tree')).toHaveLength(15);
  });
});
