import type { TestState } from './run-state.js';

/**
 * A commit's test verdict from all its journaled runs: a pass on any run is a pass (a failing run
 * is run again before it counts), a failure only when every finished run failed.
 */
export function testVerdictOf(tests: readonly TestState[], sha: string): 'passed' | 'failed' | undefined {
  const finished = tests.filter((test) => test.sha === sha && test.passed !== undefined);
  if (finished.length === 0) return undefined;
  return finished.some((test) => test.passed) ? 'passed' : 'failed';
}

/** A run that passed after a failing run of the same commit: the tests are flaky (or the machine was busy). */
export function passedOnRetry(test: TestState): boolean {
  return test.passed === true && (test.attempt ?? 1) > 1;
}
