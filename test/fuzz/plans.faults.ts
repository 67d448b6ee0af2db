import path from 'node:path';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';
import { checkPlanCase } from './check-plan.js';
import { mutatedCase } from './mutations.js';
import { diskSeeds } from './plan-seeds.js';

/**
 * The full fuzz run of plans and PROMPT.md files: 10 rounds of 1,000 mutated cases. A fresh seed
 * each run, printed so a failure can be replayed with FUZZ_SEED=<seed>.
 */
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const ROUNDS = 10;
const CASES_PER_ROUND = Number(process.env.FUZZ_RUNS ?? 1_000);
/** About 30 ms a case on a busy two-core machine; the bound is there to end a hang, not to time. */
const ROUND_TIMEOUT_MS = 20 * 60_000;

describe(`fuzzed plans and PROMPT.md files (seed ${SEED})`, () => {
  const seeds = diskSeeds();
  for (let round = 0; round < ROUNDS; round++) {
    it(`round ${round + 1}: ${CASES_PER_ROUND} cases load without an exception, every problem located`, { timeout: ROUND_TIMEOUT_MS }, () => {
      process.stdout.write(`fuzz: plans round ${round + 1}, replay with FUZZ_SEED=${SEED}\n`);
      const parent = tempDir('ccwave-fuzz-');
      let n = 0;
      fc.assert(
        fc.property(mutatedCase(seeds, 6, true), (c) => checkPlanCase(path.join(parent, `case-${n++}`), c)),
        { seed: SEED + round, numRuns: CASES_PER_ROUND },
      );
    });
  }
});
