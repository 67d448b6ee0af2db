import { describe, it } from 'vitest';
import { stopDuringLanding, stopDuringMergeQueue } from './stop-scenarios.js';

/**
 * A sample of the stop scenarios for every `npm test`; all of them (the retrospective's too) run in
 * `npm run test:faults`.
 */
describe('a stop after the agents: exit 130, then the next run ends as an uninterrupted one', () => {
  it('SIGTERM during a test of the merge queue: the verified merge is kept, the next candidate waits for the resume', () => stopDuringMergeQueue('SIGTERM'));

  it('SIGINT during the landing: the landing completes, the run ends interrupted and resumes to its end', () => stopDuringLanding('SIGINT'));
});
