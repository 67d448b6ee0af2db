import fc from 'fast-check';
import { describe, it } from 'vitest';
import { checkCliCase } from './check-cli.js';
import { mutatedCase } from './mutations.js';
import { diskSeeds } from './plan-seeds.js';

/** A fresh seed each run, printed so a failure can be replayed with FUZZ_SEED=<seed>. */
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const TIMEOUT_MS = 20 * 60_000;

describe(`fuzzed plans through the built CLI (seed ${SEED})`, () => {
  it('validate, validate --json and run --dry-run exit 0 or 2, locate every problem, change nothing (40 cases)', { timeout: TIMEOUT_MS }, () => {
    process.stdout.write(`fuzz: CLI, replay with FUZZ_SEED=${SEED}\n`);
    fc.assert(
      fc.property(mutatedCase(diskSeeds(), 6), (c) => checkCliCase(c)),
      { seed: SEED, numRuns: 40 },
    );
  });
});
