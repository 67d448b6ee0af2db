import { addWorktree, defaultWorktreeRoot, planIntegrationWorktree, planTaskWorktree, Repo } from '../../src/git/index.js';
import { Journal, initialRunState } from '../../src/journal/index.js';
import { RunRecorder } from '../../src/journal/recorder.js';
import { makeRepo, type TestRepo } from '../helpers/repo.js';

export interface FinishedWave {
  r: TestRepo;
  repo: Repo;
  recorder: RunRecorder;
  /** The wave's starting point: `main` when the run began. */
  base: string;
  integration: { branch: string; worktree: string };
  tasks: Record<string, { path: string; branch: string; tip: string }>;
}

/**
 * A real repository with a run whose wave 1 is over, journaled the way the runner does it: the
 * integration worktree, each task's worktree and branch, its work committed (none without
 * `files`) and its `done`. What the merge queue starts from.
 */
export async function finishedWave(runId: string, tasks: Array<{ id: string; files?: Record<string, string> }>): Promise<FinishedWave> {
  const r = makeRepo();
  const repo = await Repo.open(r.dir);
  const root = await defaultWorktreeRoot(repo);
  const base = r.sha('main');
  const integration = await planIntegrationWorktree(repo, { root, runId, baseSha: base });
  const recorder = new RunRecorder(Journal.create(repo.dataDir, runId), initialRunState());
  recorder.record({
    type: 'run-started',
    runId,
    planFile: 'WAVES.md',
    planName: 'Queue plan',
    base: { branch: 'main', sha: base },
    integration: { branch: integration.branch, worktree: integration.path },
    settings: {},
    waves: [{ index: 1, name: 'Wave 1', tasks: tasks.map((t) => ({ id: t.id, title: `Task ${t.id}`, promptPath: `f/${t.id}/PROMPT.md` })) }],
  });
  await addWorktree(repo, integration);
  recorder.record({ type: 'wave-started', wave: 1, fromSha: base });
  const created: FinishedWave['tasks'] = {};
  for (const task of tasks) {
    const plan = await planTaskWorktree(repo, { root, runId, wave: 1, taskId: task.id, fromSha: base });
    recorder.record({ type: 'worktree-intent', task: task.id, ...plan });
    await addWorktree(repo, plan);
    recorder.record({ type: 'worktree-created', task: task.id, ...plan });
    const tip = task.files ? r.commit(task.files, `work on ${task.id}`, plan.path) : base;
    recorder.record({ type: 'task-finished', task: task.id, status: 'done', tipSha: tip, commits: task.files ? 1 : 0 });
    created[task.id] = { path: plan.path, branch: plan.branch, tip };
  }
  return { r, repo, recorder, base, integration: { branch: integration.branch, worktree: integration.path }, tasks: created };
}
