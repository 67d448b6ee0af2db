import { describe, it } from 'vitest';
import { checkBatchMatchesEach } from '../merge/gate-property.js';

/** The long run of the property that `npm test` samples in test/merge/gate-property.test.ts. */
const RUNS = Number(process.env.CCWAVE_GATE_PROPERTY_RUNS) || 300;

describe('the batch gate on real repositories (long run)', () => {
  it('ends exactly where the each gate ends', async () => {
    await checkBatchMatchesEach(RUNS);
  }, 1_800_000);
});
