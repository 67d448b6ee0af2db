import fc from 'fast-check';
import { describe, it } from 'vitest';
import { checkJournalCase, checkJournalCli, journalRepo } from './check-journal.js';
import { mutatedJournal } from './journal-mutations.js';

const SEED = 20261202;

describe('fuzzed run journals (sample)', () => {
  it('`ccwave status` prints the run or a clear error, never an internal error (100 cases)', async () => {
    const repo = journalRepo();
    await fc.assert(
      fc.asyncProperty(mutatedJournal, (bytes) => checkJournalCase(repo, bytes)),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('the built `ccwave status` exits 0 or 2 without a stack trace (1 case)', () => {
    const repo = journalRepo();
    fc.assert(
      fc.property(mutatedJournal, (bytes) => checkJournalCli(repo, bytes)),
      { seed: SEED, numRuns: 1 },
    );
  });
});
