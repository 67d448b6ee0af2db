import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { statusCommand } from '../../src/cli/actions/status.js';
import { UserError } from '../../src/errors.js';
import { ccwave } from '../helpers/cli.js';
import { makeRepo } from '../helpers/repo.js';
import { SEED_RUN_ID } from './journal-mutations.js';

export interface JournalRepo {
  dir: string;
  journal: string;
}

/** A real repository holding one run, whose journal each case replaces. */
export function journalRepo(): JournalRepo {
  const dir = makeRepo().dir;
  const runDir = path.join(dir, '.git/ccwave/runs', SEED_RUN_ID);
  mkdirSync(runDir, { recursive: true });
  return { dir, journal: path.join(runDir, 'journal.jsonl') };
}

const NOW = new Date('2026-12-02T03:00:00Z');

/**
 * `ccwave status` (text and --json) on the journal `bytes`: it prints the run, or refuses with a
 * user error (exit 2). Any other exception would be exit 70 with a stack trace: throws with the case.
 */
export async function checkJournalCase(repo: JournalRepo, bytes: Buffer): Promise<void> {
  writeFileSync(repo.journal, bytes);
  for (const json of [false, true]) {
    let out = '';
    try {
      const code = await statusCommand({ cwd: repo.dir, json }, { out: (t) => void (out += t), err: (t) => void (out += t) }, NOW);
      if (code !== 0) throw new Error(`status returned ${code}`);
      if (json) JSON.parse(out);
    } catch (error) {
      if (error instanceof UserError && error.message.trim() !== '') continue;
      const kept = mkdtempSync(path.join(tmpdir(), 'ccwave-fuzz-journal-'));
      writeFileSync(path.join(kept, 'journal.jsonl'), bytes);
      throw new Error(`status${json ? ' --json' : ''} failed: ${(error as Error).stack ?? String(error)}\njournal kept in ${kept}/journal.jsonl`, { cause: error });
    }
  }
}

/** A line of a JavaScript stack trace, or the top-level boundary's word for a bug. */
const STACK_TRACE = /^\s+at .+|internal error/m;

/** The same through the built CLI: `ccwave status` and `status --json` exit 0 or 2, no stack trace. */
export function checkJournalCli(repo: JournalRepo, bytes: Buffer): void {
  writeFileSync(repo.journal, bytes);
  for (const args of [['status'], ['status', '--json']]) {
    const result = ccwave(args, { cwd: repo.dir });
    if ((result.status === 0 || result.status === 2) && !STACK_TRACE.test(result.stderr) && result.stderr.length + result.stdout.length > 0) continue;
    const kept = mkdtempSync(path.join(tmpdir(), 'ccwave-fuzz-journal-'));
    writeFileSync(path.join(kept, 'journal.jsonl'), bytes);
    throw new Error(`ccwave ${args.join(' ')} → ${result.status}\n${result.stderr}\njournal kept in ${kept}/journal.jsonl`);
  }
}
