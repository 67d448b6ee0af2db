import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Run ids sort by start time: `YYYYMMDD-HHMMSS-xxxx`, in UTC so the order survives time-zone and
 * daylight-saving changes, with 4 random hex digits against two runs started in the same second.
 */
export const RUN_ID_PATTERN = /^\d{8}-\d{6}-[0-9a-f]{4}$/;

export function newRunId(now: Date = new Date(), random: string = randomBytes(2).toString('hex')): string {
  const iso = now.toISOString(); // 2026-11-23T14:45:01.123Z
  return `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}-${random}`;
}

export function isRunId(text: string): boolean {
  return RUN_ID_PATTERN.test(text);
}

/** `<data-dir>/runs`: one folder per run. `dataDir` is `<git-common-dir>/ccwave`. */
export function runsDir(dataDir: string): string {
  return path.join(dataDir, 'runs');
}

export function runDir(dataDir: string, runId: string): string {
  return path.join(runsDir(dataDir), runId);
}

export function journalPath(dataDir: string, runId: string): string {
  return path.join(runDir(dataDir, runId), 'journal.jsonl');
}

/** Ids of the runs that have a journal, oldest first. */
export function listRuns(dataDir: string): string[] {
  const dir = runsDir(dataDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => isRunId(name) && existsSync(journalPath(dataDir, name)))
    .sort();
}

export function latestRun(dataDir: string): string | undefined {
  return listRuns(dataDir).at(-1);
}
