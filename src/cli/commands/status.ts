import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { Repo } from '../../git/repo.js';
import type { RunState } from '../../journal/run-state.js';
import { EXIT } from '../../errors.js';
import { processIO, type CommandIO } from '../command-io.js';

export interface StatusOptions {
  json?: boolean;
  run?: string;
  cwd?: string;
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .summary("show a run's progress (read-only)")
    .description("show a run's progress from its journal: waves, tasks, attempts, merges and tests (read-only; safe while the run is going)")
    .option('--json', 'print the run as JSON (schemaVersion 1, described in the README)')
    .option('--run <id>', 'which run to show (default: the latest)')
    .option('--cwd <dir>', 'the repository (same as -C; default: the current folder)')
    .action(async (options: StatusOptions) => {
      process.exitCode = await runStatus(options);
    });
}

/** Reads the journal and the lock only: no lock is taken, nothing is written. */
export async function runStatus(options: StatusOptions, io: CommandIO = processIO, now: Date = new Date()): Promise<number> {
  // Loaded on use, so `ccwave --help` and other commands don't pay for zod and the git layer.
  const [{ Repo }, journal, { statusJson }] = await Promise.all([import('../../git/repo.js'), import('../../journal/index.js'), import('../../journal/status-json.js')]);
  const repo = await Repo.open(options.cwd ?? process.cwd());
  const runId = options.run ?? journal.latestRun(repo.dataDir);
  if (!runId) {
    if (options.json) {
      io.out(`${JSON.stringify(statusJson(undefined), null, 2)}\n`);
      return EXIT.ok;
    }
    io.out('No ccwave runs in this repository yet. Start one with: ccwave run WAVES.md\n');
    return EXIT.ok;
  }
  const { events, warnings } = journal.Journal.read(repo.dataDir, runId);
  const replayed = journal.replay(events);
  const state = replayed.runId ? replayed : { ...replayed, runId };
  const activity = journal.runActivity(state, journal.inspectLock(repo.dataDir));
  // While the run is live, a bad last line is most likely a write in progress, not damage.
  const shown = activity.kind === 'live' ? warnings.filter((warning) => !warning.atEnd) : warnings;
  if (options.json) {
    io.out(`${JSON.stringify(statusJson({ state, activity, warnings: shown }), null, 2)}\n`);
  } else {
    // Only a terminal has a width; piped or redirected, nothing is cut.
    const width = io === processIO && process.stdout.isTTY ? process.stdout.columns || undefined : undefined;
    io.out(journal.formatStatus({ state, activity, warnings: shown, now, width, gone: await goneSince(repo, state), ...(await planWords(repo, state)) }));
  }
  return EXIT.ok;
}

/** The run's branches and worktree folders that no longer exist, so status does not send the user to them. */
async function goneSince(repo: Repo, state: RunState): Promise<{ branches: Set<string>; paths: Set<string> }> {
  const branches = [state.integration?.branch, ...Object.values(state.tasks).map((task) => task.worktree?.branch)].filter((b): b is string => !!b);
  const paths = Object.values(state.tasks).flatMap((task) => (task.worktree ? [task.worktree.path] : []));
  const existing = new Set(await repo.git.lines(['for-each-ref', '--format=%(refname)', 'refs/heads/']));
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
  const [{ owedBy }, { planArgument }] = await Promise.all([import('../../run/choose-tasks.js'), import('../plan-argument.js')]);
  const planArg = planArgument(state.planFile);
  const owed = state.status === 'finished' ? owedBy(repo.dataDir, state.planFile) : undefined;
  if (!owed || owed.rerunOf !== state.runId || owed.tasks.length === 0) return { planArg };
  return { planArg, rerun: { tasks: owed.tasks, command: `ccwave run ${planArg} --only-failed` } };
}
