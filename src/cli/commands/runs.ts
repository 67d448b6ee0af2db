import type { Command } from 'commander';
import { EXIT } from '../../errors.js';
import { processIO, type CommandIO } from '../command-io.js';

export interface RunsOptions {
  json?: boolean;
  cwd?: string;
}

export function registerRuns(program: Command): void {
  program
    .command('runs')
    .summary('list the runs of this repository (read-only)')
    .description('list the runs of this repository, newest first: id, plan, when it started, and how it ended (read-only)')
    .option('--json', 'print the list as JSON ({ version, runs: [...] })')
    .option('-C, --cwd <dir>', 'the repository (default: the current folder)')
    .addHelpText('after', '\n`ccwave status --run <id>` shows one of them in full.')
    .action(async (options: RunsOptions) => {
      process.exitCode = await runRuns(options);
    });
}

/** Reads the journals and the lock only: nothing is written. */
export async function runRuns(options: RunsOptions, io: CommandIO = processIO): Promise<number> {
  const [{ Repo }, journal, list] = await Promise.all([import('../../git/repo.js'), import('../../journal/index.js'), import('../../ui/run-list.js')]);
  const repo = await Repo.open(options.cwd ?? process.cwd());
  const entries = list.runListEntries(journal.readRunOverviews(repo.dataDir), repo.topLevel);
  if (options.json) {
    io.out(`${JSON.stringify({ version: list.RUN_LIST_VERSION, runs: entries }, null, 2)}\n`);
  } else if (entries.length === 0) {
    io.out('No ccwave runs in this repository yet. Start one with: ccwave run WAVES.md\n');
  } else {
    io.out(list.formatRunList(entries, localMinute));
  }
  return EXIT.ok;
}

/** "2026-12-02 04:44" in the local time zone. */
function localMinute(iso: string): string {
  const date = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}
