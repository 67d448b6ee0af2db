import { addWorktree, defaultWorktreeRoot, planIntegrationWorktree, planTaskWorktree, Repo, type NewWorktree } from '../../src/git/index.js';
import { casUpdateRef } from '../../src/git/refs.js';
import { createMergeCommit } from '../../src/merge/merge-commit.js';
import { Journal } from '../../src/journal/index.js';
import type { TestRepo } from '../helpers/repo.js';
import type { CommandIO } from '../../src/cli/command-io.js';

/** A run written the way the runner will: journal intent, act with the git layer, journal the result. */
export interface RunFixture {
  runId: string;
  journal: Journal;
  integration: NewWorktree;
  tasks: Record<string, NewWorktree & { tip: string }>;
  merge(taskId: string): Promise<void>;
  finish(exitCode?: number): void;
}

export async function startRun(r: TestRepo, runId: string, tasks: Array<{ id: string; files?: Record<string, string> }>): Promise<RunFixture> {
  const repo = await Repo.open(r.dir);
  const root = await defaultWorktreeRoot(repo);
  const base = r.sha('main');
  const integration = await planIntegrationWorktree(repo, { root, runId, baseSha: base });
  const journal = Journal.create(repo.dataDir, runId);
  journal.append({
    type: 'run-started',
    runId,
    planFile: 'WAVES.md',
    planName: 'Fixture plan',
    base: { branch: 'main', sha: base },
    integration: { branch: integration.branch, worktree: integration.path },
    settings: { concurrency: 2 },
    waves: [{ index: 1, name: 'Wave 1', tasks: tasks.map((t) => ({ id: t.id, title: `Task ${t.id}`, promptPath: `features/${t.id}/PROMPT.md` })) }],
  });
  await addWorktree(repo, integration);
  journal.append({ type: 'wave-started', wave: 1, fromSha: base });

  const created: RunFixture['tasks'] = {};
  for (const [index, task] of tasks.entries()) {
    const plan = await planTaskWorktree(repo, { root, runId, wave: 1, taskId: task.id, fromSha: base });
    journal.append({ type: 'worktree-intent', task: task.id, ...plan });
    await addWorktree(repo, plan);
    journal.append({ type: 'worktree-created', task: task.id, ...plan });
    journal.append({ type: 'agent-starting', task: task.id, attempt: 1, sessionId: `session-${index}`, resume: false, agent: 'fake' });
    const tip = task.files ? r.commit(task.files, `work on ${task.id}`, plan.path) : base;
    journal.append({ type: 'task-finished', task: task.id, status: 'done', tipSha: tip, commits: task.files ? 1 : 0 });
    created[task.id] = { ...plan, tip };
  }

  return {
    runId,
    journal,
    integration,
    tasks: created,
    async merge(taskId) {
      const task = created[taskId];
      if (!task) throw new Error(`no task ${taskId}`);
      const onto = r.sha(integration.branch);
      journal.append({ type: 'merge-intent', task: taskId, tip: task.tip, into: onto });
      // As the merge queue does: the merge commit from git objects, then the branch moved by compare-and-swap.
      const made = await createMergeCommit(repo.git, onto, task.tip, `Merge ${taskId}`, { task: taskId, run: runId, tip: task.tip });
      if ('conflict' in made) {
        journal.append({ type: 'merge-skipped', task: taskId, tip: task.tip, result: 'conflict', conflictedPaths: made.conflict });
      } else if ('skip' in made && made.skip === 'empty') {
        journal.append({ type: 'merge-skipped', task: taskId, tip: task.tip, result: 'empty' });
      } else if ('skip' in made) {
        journal.append({ type: 'merge-done', task: taskId, tip: task.tip, result: 'already-merged', mergeSha: undefined, integrationSha: onto });
      } else {
        await casUpdateRef(repo.git, { ref: `refs/heads/${integration.branch}`, newSha: made.sha, oldSha: onto, reason: `ccwave: merge ${taskId}` });
        // The integration worktree has the branch checked out: its files follow the branch.
        await repo.at(integration.path).run(['reset', '--hard', '--quiet']);
        journal.append({ type: 'merge-done', task: taskId, tip: task.tip, result: 'merged', mergeSha: made.sha, integrationSha: made.sha });
      }
    },
    finish(exitCode = 0) {
      journal.append({ type: 'wave-finished', wave: 1, integrationSha: r.sha(integration.branch) });
      journal.append({ type: 'run-finished', exitCode });
      journal.close();
    },
  };
}

/** Collects a command's output. */
export function captureIO(): CommandIO & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (text) => (out += text),
    err: (text) => (err += text),
    stdout: () => out,
    stderr: () => err,
  };
}
