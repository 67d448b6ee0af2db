import { UserError } from '../errors.js';
import { Repo } from '../git/repo.js';
import { Journal } from '../journal/journal.js';
import { replay } from '../journal/reduce.js';
import type { RunState, TaskState } from '../journal/run-state.js';
import { latestRun, listRuns } from '../journal/runs.js';
import { lookupId } from '../plan/resolve-task.js';

export interface RunTask {
  repo: Repo;
  runId: string;
  state: RunState;
  task: TaskState;
}

/** One task of a run (the latest by default), named by its id or a unique prefix. Reads only. */
export async function findRunTask(taskRef: string, options: { run?: string | undefined; cwd?: string | undefined }): Promise<RunTask> {
  const repo = await Repo.open(options.cwd ?? process.cwd());
  const runId = options.run ?? latestRun(repo.dataDir);
  if (!runId) throw new UserError('no ccwave runs in this repository yet');
  if (!listRuns(repo.dataDir).includes(runId)) throw new UserError(`no run ${runId}`, { hint: `known runs: ${listRuns(repo.dataDir).join(', ')}` });
  const state = replay(Journal.read(repo.dataDir, runId).events);
  const ids = Object.keys(state.tasks);
  const found = lookupId(ids, taskRef);
  if (!('found' in found)) {
    throw new UserError(found.candidates.length > 1 ? `\`${taskRef}\` matches ${found.candidates.join(', ')}` : `run ${runId} has no task \`${taskRef}\``, { hint: `its tasks: ${ids.join(', ')}` });
  }
  return { repo, runId, state, task: state.tasks[found.found]! };
}
