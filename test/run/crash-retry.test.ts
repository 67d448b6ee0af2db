import { describe, it } from 'vitest';
import { crashKeepsTheRetry } from './stop-scenarios.js';

describe('retries after a crash', () => {
  it('a crash while an agent works does not use up a retry: the resumed attempt is the same attempt, and its failure still gets the retry', () => crashKeepsTheRetry());
});
