import type { Command } from 'commander';
import { EXIT } from '../../errors.js';

/** Where a command writes; tests pass their own to read the output back. */
export interface CommandIO {
  out(text: string): void;
  err(text: string): void;
}

export const processIO: CommandIO = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

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
    io.out(journal.formatStatus({ state, activity, warnings: shown, now, width }));
  }
  return EXIT.ok;
}
