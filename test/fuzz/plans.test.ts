import path from 'node:path';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';
import { checkPlanCase } from './check-plan.js';
import { mutatedCase } from './mutations.js';
import { diskSeeds } from './plan-seeds.js';

/** Fixed, so `npm test` is deterministic; the full run in plans.faults.ts draws a fresh seed. */
const SEED = 20261202;
const RUNS = 300;

describe('fuzzed plans and PROMPT.md files (sample)', () => {
  it(`load without an exception and with every problem located (${RUNS} cases)`, () => {
    const seeds = diskSeeds();
    const parent = tempDir('ccwave-fuzz-');
    let n = 0;
    fc.assert(
      fc.property(mutatedCase(seeds), (c) => checkPlanCase(path.join(parent, `case-${n++}`), c)),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
