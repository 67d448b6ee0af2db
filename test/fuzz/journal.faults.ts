import fc from 'fast-check';
import { describe, it } from 'vitest';
import { checkJournalCase, checkJournalCli, journalRepo } from './check-journal.js';
import { mutatedJournal } from './journal-mutations.js';

/** A fresh seed each run, printed so a failure can be replayed with FUZZ_SEED=<seed>. */
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const TIMEOUT_MS = 20 * 60_000;

describe(`fuzzed run journals (seed ${SEED})`, () => {
  it('`ccwave status` prints the run or a clear error, never an internal error (2,000 cases)', { timeout: TIMEOUT_MS }, async () => {
    process.stdout.write(`fuzz: journals, replay with FUZZ_SEED=${SEED}\n`);
    const repo = journalRepo();
    await fc.assert(
      fc.asyncProperty(mutatedJournal, (bytes) => checkJournalCase(repo, bytes)),
      { seed: SEED, numRuns: 2_000 },
    );
  });

  it('the built `ccwave status` exits 0 or 2 without a stack trace (20 cases)', { timeout: TIMEOUT_MS }, () => {
    const repo = journalRepo();
    fc.assert(
      fc.property(mutatedJournal, (bytes) => checkJournalCli(repo, bytes)),
      { seed: SEED + 1, numRuns: 20 },
    );
  });
});
