import { describe, it } from 'vitest';
import { checkBatchMatchesEach } from './gate-property.js';

/**
 * Each case builds a repository and runs the real merge queue twice (about a second on two busy
 * cores): a small sample here, many more in the fault suite (test/faults/gate-property.faults.ts).
 */
const RUNS = Number(process.env.CCWAVE_GATE_PROPERTY_RUNS) || 8;

describe('the batch gate on real repositories', () => {
  it('ends exactly where the each gate ends: same statuses, same merges in the same order, same tree', async () => {
    await checkBatchMatchesEach(RUNS);
  }, 300_000);
});
