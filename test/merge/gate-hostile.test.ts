import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Repo } from '../../src/git/index.js';
import { initialRunState, Journal } from '../../src/journal/index.js';
import { runMergeQueue } from '../../src/merge/queue.js';
import { RunRecorder } from '../../src/journal/recorder.js';
import { git } from '../helpers/git.js';
import { makeRepo, type TestRepo } from '../helpers/repo.js';
import { tempDir } from '../helpers/temp.js';

const RUN_ID = '20261202-030000-abcd';

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

/**
 * Task branches as hostile agents leave them, made with plain git in a scratch worktree: each
 * `make` runs in it, starting detached at the wave's start, and leaves HEAD at the task's tip.
 */
async function queueOf(tasks: Array<{ id: string; make: (git: (...args: string[]) => string) => void }>, gate: 'each' | 'batch' = 'each') {
  const r = makeRepo();
  repos.push(r);
  r.commit({ 'keep.txt': 'kept\n' }, 'the wave starts here');
  const start = r.sha('main');
  const scratch = path.join(r.tmp, 'scratch');
  r.git('worktree', 'add', '--quiet', '--detach', scratch, start);
  const repo = await Repo.open(r.dir);
  const integration = { branch: 'integration', worktree: path.join(r.tmp, 'integration') };
  r.git('worktree', 'add', '--quiet', '-b', integration.branch, integration.worktree, start);
  const recorder = new RunRecorder(Journal.create(repo.dataDir, RUN_ID), initialRunState());
  recorder.record({
    type: 'run-started',
    runId: RUN_ID,
    planFile: 'WAVES.md',
    planName: 'Hostile',
    base: { branch: 'main', sha: start },
    integration,
    settings: {},
    waves: [{ index: 1, name: 'Wave 1', tasks: tasks.map((t) => ({ id: t.id, title: t.id, promptPath: `f/${t.id}/PROMPT.md` })) }],
  });
  recorder.record({ type: 'wave-started', wave: 1, fromSha: start });
  for (const task of tasks) {
    git(scratch, 'checkout', '--quiet', '--detach', start);
    task.make((...args) => git(scratch, ...args));
    recorder.record({ type: 'task-finished', task: task.id, status: 'done', tipSha: r.sha('HEAD', scratch), commits: 1 });
  }
  const result = await runMergeQueue(
    {
      repo,
      recorder,
      runId: RUN_ID,
      integration,
      settings: { test: 'test ! -e BREAK', testRetries: 0, merge: { gate, onConflict: 'skip' } },
      logDir: tempDir('ccwave-logs-'),
    },
    recorder.state.waves[0]!,
  );
  const statuses = Object.fromEntries(tasks.map((t) => [t.id, recorder.state.tasks[t.id]!.merge?.status]));
  return { r, result, statuses, recorder, files: (rev: string) => r.git('ls-tree', '-r', '--name-only', rev).split('\n') };
}

function commitFile(git: (...args: string[]) => string, file: string, message = `add ${file}`): void {
  const blob = git('hash-object', '-w', '--path', file, '/dev/null');
  git('update-index', '--add', '--cacheinfo', `100644,${blob},${file}`);
  git('commit', '--quiet', '-m', message);
}

describe('the merge gate against hostile branches', () => {
  it.each(['each', 'batch'] as const)('refuses a tip with no history in common (an orphan branch) as a conflict, and goes on (%s)', async (gate) => {
    const { statuses, result, files } = await queueOf(
      [
        { id: 'fine', make: (git) => commitFile(git, 'fine.txt') },
        {
          id: 'orphan',
          make: (git) => {
            git('checkout', '--quiet', '--orphan', 'somewhere-else');
            git('rm', '-rfq', '.');
            commitFile(git, 'orphan.txt');
          },
        },
        { id: 'after', make: (git) => commitFile(git, 'after.txt') },
      ],
      gate,
    );
    expect(statuses).toEqual({ fine: 'merged', orphan: 'conflict', after: 'merged' });
    expect(files(result.tip)).toEqual(expect.arrayContaining(['keep.txt', 'fine.txt', 'after.txt']));
    expect(files(result.tip)).not.toContain('orphan.txt');
  });

  it('merges a branch rewritten onto an older base without undoing what the wave started with', async () => {
    const { statuses, result, files } = await queueOf([
      {
        id: 'old-base',
        make: (git) => {
          git('checkout', '--quiet', '--detach', 'HEAD~1');
          commitFile(git, 'old.txt');
        },
      },
    ]);
    expect(statuses).toEqual({ 'old-base': 'merged' });
    expect(files(result.tip)).toEqual(expect.arrayContaining(['keep.txt', 'old.txt']));
  });

  it.each(['each', 'batch'] as const)('drops a branch stacked on a breaking branch: it carries the breakage (%s)', async (gate) => {
    let breaker = '';
    const { statuses, result, files } = await queueOf(
      [
        {
          id: 'breaker',
          make: (git) => {
            commitFile(git, 'BREAK');
            breaker = git('rev-parse', 'HEAD');
          },
        },
        {
          id: 'stacked',
          make: (git) => {
            git('checkout', '--quiet', '--detach', breaker);
            commitFile(git, 'stacked.txt');
          },
        },
        { id: 'fine', make: (git) => commitFile(git, 'fine.txt') },
      ],
      gate,
    );
    expect(statuses).toEqual({ breaker: 'tests-failed', stacked: 'tests-failed', fine: 'merged' });
    expect(files(result.tip)).not.toContain('BREAK');
  });
});
