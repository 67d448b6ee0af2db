import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitShim, pathWith } from '../helpers/git-shim.js';
import { mergedTasks, planRepo, runCcwave } from './plan-repo.js';

/** A command agent that commits one file at once. */
const AGENT = 'echo "$CCWAVE_TASK_ID" > "$CCWAVE_TASK_ID.txt" && git add "$CCWAVE_TASK_ID.txt" && git commit -qm "Add $CCWAVE_TASK_ID"';

/**
 * The git processes a whole run starts for each further task, counted by a logging `git` first on
 * PATH (the agents' own, which carry CCWAVE_TASK_ID, left out): worktree, agent end, merge, test,
 * retrospective and landing. Starting git is most of the runner's own CPU, so a change that starts
 * more fails here, with the commands listed, whatever the machine's speed.
 *
 * Per task today: `worktree add`; before the attempt, the check that the worktree is still its own
 * (`worktree list`, one `rev-parse`); at the agent's end `status`, `rev-list` and `merge-base
 * --is-ancestor`, and its commits kept (`log -g`, `update-ref`); `merge-tree` and `commit-tree`;
 * the test's `checkout` and `clean`. The retrospective's diffs, the branch moves and the landing
 * are a few per wave, whatever its size; ref reads go through one long-lived `cat-file`.
 */
const GIT_PER_TASK = 12;

/** Runner git processes of a one-wave run of `tasks` instant tasks, by subcommand. */
async function runnerGit(tasks: number, gate: 'each' | 'batch'): Promise<string[]> {
  const ids = Array.from({ length: tasks }, (_, i) => ({ id: `t${i + 1}` }));
  const repo = planRepo([ids], { agent: { kind: 'command', command: AGENT }, concurrency: 4, retries: 0, test: 'test -f README.md', merge: { gate } });
  const log = path.join(path.dirname(repo.dir), 'git.log');
  const bin = gitShim(path.dirname(repo.dir), `[ -n "$CCWAVE_TASK_ID" ] || printf '%s\\n' "$1" >> '${log}'`);
  const result = await runCcwave(repo, ['run', '--no-tui'], { PATH: pathWith(bin) });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(mergedTasks(repo)).toHaveLength(tasks);
  return readFileSync(log, 'utf8').trim().split('\n');
}

describe('git processes a run starts', () => {
  it(`are at most ${GIT_PER_TASK} per further task with the each gate`, async () => {
    const [two, six] = [await runnerGit(2, 'each'), await runnerGit(6, 'each')];
    const perTask = (six.length - two.length) / 4;
    expect(perTask, `2 tasks:\n${two.join('\n')}\n\n6 tasks:\n${six.join('\n')}`).toBeLessThanOrEqual(GIT_PER_TASK);
  }, 120_000);
});
