import { EXIT } from '../../errors.js';
import { Repo } from '../../git/repo.js';
import { readRunOverviews } from '../../journal/index.js';
import { formatRunList, RUN_LIST_VERSION, runListEntries } from '../../ui/run-list.js';
import { processIO, type CommandIO } from '../command-io.js';

export interface RunsOptions {
  json?: boolean;
  cwd?: string;
}

/** Reads the journals and the lock only: nothing is written. */
export async function runsCommand(options: RunsOptions, io: CommandIO = processIO): Promise<number> {
  const repo = await Repo.open(options.cwd ?? process.cwd());
  const entries = runListEntries(readRunOverviews(repo.dataDir), repo.topLevel);
  if (options.json) {
    io.out(`${JSON.stringify({ version: RUN_LIST_VERSION, runs: entries }, null, 2)}\n`);
  } else if (entries.length === 0) {
    io.out('No ccwave runs in this repository yet. Start one with: ccwave run WAVES.md\n');
  } else {
    io.out(formatRunList(entries, localMinute));
  }
  return EXIT.ok;
}

/** "2026-12-02 04:44" in the local time zone. */
function localMinute(iso: string): string {
  const date = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}
