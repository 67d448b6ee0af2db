import fc from 'fast-check';
import { describe, it } from 'vitest';
import { checkCliCase } from './check-cli.js';
import { mutatedCase } from './mutations.js';
import { diskSeeds } from './plan-seeds.js';

const SEED = 20261202;

describe('fuzzed plans through the built CLI (sample)', () => {
  it('validate, validate --json and run --dry-run exit 0 or 2, locate every problem, change nothing (3 cases)', () => {
    fc.assert(
      fc.property(mutatedCase(diskSeeds()), (c) => checkCliCase(c)),
      { seed: SEED, numRuns: 3 },
    );
  });
});
