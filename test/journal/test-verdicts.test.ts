import { describe, expect, it } from 'vitest';
import { runActivity } from '../../src/journal/index.js';
import { formatStatus } from '../../src/ui/status-text.js';
import { testVerdictOf } from '../../src/journal/test-verdicts.js';
import { eventLines } from '../../src/ui/plain-lines.js';
import { BASE, journal, MERGE_A, runStarted, stateOf, test, type Step } from '../report/events.js';

const attempt = (steps: Step[], n: number): Step[] => steps.map(([at, event]) => [at, { ...event, attempt: n } as Step[1]]);

describe('test verdicts over retries', () => {
  const steps: Step[] = [
    ...runStarted(['a']),
    ...attempt(test(5, 't0', [], BASE, { passed: false, seconds: 5 }), 1),
    ...attempt(test(10, 't0r', [], BASE, { passed: true, seconds: 5 }), 2),
    ...attempt(test(20, 't1', ['a'], MERGE_A, { passed: false, seconds: 5 }), 1),
    ...attempt(test(30, 't1r', ['a'], MERGE_A, { passed: false, seconds: 5 }), 2),
  ];
  const state = stateOf(steps);

  it('a pass on any run is a pass; a failure only when every run failed', () => {
    expect(testVerdictOf(state.tests, BASE)).toBe('passed');
    expect(testVerdictOf(state.tests, MERGE_A)).toBe('failed');
    expect(testVerdictOf(state.tests, '9'.repeat(40))).toBeUndefined();
    expect(state.tests.map((t) => t.attempt)).toEqual([1, 2, 1, 2]);
  });

  it('ccwave status counts the commits that passed only on a retry', () => {
    const text = formatStatus({ state: stateOf(steps.slice(0, 6)), activity: runActivity(state, undefined), warnings: [], now: new Date('2026-11-23T15:00:00Z') });
    expect(text).toMatch(/Tests: 2 run; last passed on retry \(run 2\) on 1111111/);
    expect(text).toMatch(/Flaky: 1 commit passed only on a retry \(testRetries\)/);
  });
});

describe('the plain log', () => {
  it('says when a test run passed on a retry', () => {
    const steps = [...runStarted(['a']), ...attempt(test(10, 't0r', [], BASE, { passed: true, seconds: 5 }), 2)];
    const events = journal(steps);
    const state = stateOf(steps);
    expect(eventLines(events.at(-1)!, { after: state, hourMinute: () => '00:00' })).toEqual(['tests on 1111111 passed on retry (run 2) (5s)']);
  });
});
