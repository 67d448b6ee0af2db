import { existsSync } from 'node:fs';
import path from 'node:path';
import { EXIT } from '../../errors.js';
import { Repo } from '../../git/repo.js';
import { listRefs } from '../../git/refs.js';
import { inspectLock, Journal, latestRun, replay, runActivity, type RunState } from '../../journal/index.js';
import { statusJson } from '../../journal/status-json.js';
import { owedBy } from '../../run/choose-tasks.js';
import { formatStatus } from '../../ui/status-text.js';
import { processIO, type CommandIO } from '../command-io.js';
import { planArgument } from '../plan-argument.js';
import type { StatusOptions } from '../commands/status.js';

/** Reads the journal and the lock only: no lock is taken, nothing is written. */
export async function statusCommand(options: StatusOptions, io: CommandIO = processIO, now: Date = new Date()): Promise<number> {
  const repo = await Repo.open(options.cwd ?? process.cwd());
  const runId = options.run ?? latestRun(repo.dataDir);
  if (!runId) {
    if (options.json) {
      io.out(`${JSON.stringify(statusJson(undefined), null, 2)}\n`);
      return EXIT.ok;
    }
    io.out('No ccwave runs in this repository yet. Start one with: ccwave run WAVES.md\n');
    return EXIT.ok;
  }
  const { events, warnings } = Journal.read(repo.dataDir, runId);
  const replayed = replay(events);
  const state = replayed.runId ? replayed : { ...replayed, runId };
  const activity = runActivity(state, inspectLock(repo.dataDir));
  // While the run is live, a bad last line is most likely a write in progress, not damage.
  const shown = activity.kind === 'live' ? warnings.filter((warning) => !warning.atEnd) : warnings;
  if (options.json) {
    io.out(`${JSON.stringify(statusJson({ state, activity, warnings: shown }), null, 2)}\n`);
  } else {
    // Only a terminal has a width; piped or redirected, nothing is cut.
    const width = io === processIO && process.stdout.isTTY ? process.stdout.columns || undefined : undefined;
    io.out(formatStatus({ state, activity, warnings: shown, now, width, gone: await goneSince(repo, state), ...(await planWords(repo, state)) }));
  }
  return EXIT.ok;
}

/** The run's branches and worktree folders that no longer exist, so status does not send the user to them. */
async function goneSince(repo: Repo, state: RunState): Promise<{ branches: Set<string>; paths: Set<string> }> {
  const branches = [state.integration?.branch, ...Object.values(state.tasks).map((task) => task.worktree?.branch)].filter((b): b is string => !!b);
  const paths = Object.values(state.tasks).flatMap((task) => (task.worktree ? [task.worktree.path] : []));
  const existing = new Set((await listRefs(repo.git, 'refs/heads/')).map((entry) => entry.ref));
  return {
    branches: new Set(branches.filter((branch) => !existing.has(`refs/heads/${branch}`))),
    paths: new Set(paths.filter((path) => !existsSync(path))),
  };
}

/**
 * The plan as the user would type it, and for the plan's newest finished run with tasks that did
 * not merge, the command that runs only them.
 */
async function planWords(repo: Repo, state: RunState): Promise<{ planArg?: string; rerun?: { tasks: string[]; command: string } }> {
  if (!state.planFile || !path.isAbsolute(state.planFile)) return {};
  const planArg = planArgument(state.planFile);
  const owed = state.status === 'finished' ? owedBy(repo.dataDir, state.planFile) : undefined;
  if (!owed || owed.rerunOf !== state.runId || owed.tasks.length === 0) return { planArg };
  return { planArg, rerun: { tasks: owed.tasks, command: `ccwave run ${planArg} --only-failed` } };
}
