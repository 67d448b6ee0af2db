import { describe, it } from 'vitest';
import { failedHandback, stopDuringHandback } from './stop-scenarios.js';

/** A sample of the stop scenarios for every `npm test`; all of them run in `npm run test:faults`. */
describe('conflict hand-backs under stops and failures', () => {
  it('SIGINT during a conflict hand-back: exit 130, the task stays resumable, and the next run continues the hand-back with the conflict message', () => stopDuringHandback('SIGINT'));

  it('a conflict hand-back that fails ends the task with its reason and records the conflict; the run finishes with exit 1', () => failedHandback());
});
