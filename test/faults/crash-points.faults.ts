import { afterAll, describe, expect, it } from 'vitest';
import { baselineRun, checkPoint, crashAndResume, formatReport, type PointReport } from './crash-resume.js';
import { describeEvent, expectedTree, makeTemplate, removeTemplate, writeExpectedTree } from './harness.js';
import { knownBugAt } from './known-bugs.js';
import { crashPoints } from './points.js';

/**
 * The full crash-and-resume suite: the fixture plan run once uninterrupted, then once per crash
 * point K, killed with SIGKILL right after journal event K and resumed; the result must be the
 * uninterrupted run's. `npm run test:faults`; `FAULT_POINTS=all` for every K.
 */
const template = makeTemplate();
const baseline = await baselineRun(template);
if (process.env.FAULT_WRITE_EXPECTED) writeExpectedTree(baseline.outcome.tree);
const points = crashPoints(baseline.events);
const reports: PointReport[] = [];

/** The phases of a run the points must cover (when the default points are run). */
const REQUIRED_PHASES = [
  'run start: integration worktree',
  'wave start',
  'worktree creation',
  'agent running',
  'turn end / task finished',
  'merge queue tests',
  'merge intent',
  'merge done',
  'conflict hand-back: agent running',
  'retrospective',
  'landing',
  'wave finished',
  'run finished',
];

describe(`crash at K and resume (uninterrupted run: ${baseline.events.length} events, ${(baseline.ms / 1000).toFixed(1)}s)`, () => {
  it('the uninterrupted run ends with the tree the other fault tests expect', () => {
    expect(baseline.outcome.tree).toBe(expectedTree());
  });

  it.each(points.map((k) => [k, describeEvent(baseline.events[k - 1])] as const))('K=%i (baseline: after %s)', async (k) => {
    const report = await crashAndResume(template, k, baseline.outcome.tree);
    reports.push(report);
    console.log(formatReport(report));
    checkPoint(report);
  });

  afterAll(() => {
    removeTemplate(template);
    const lines = reports.map((r) => {
      const bug = knownBugAt(r.crashedEvent);
      const verdict = r.problems.length === 0 ? 'ok' : bug ? `known ${bug.id}` : 'FAIL';
      return `K=${String(r.k).padStart(3)}  ${r.crashedAfter.padEnd(48)} ${r.phase.padEnd(36)} ${verdict}`;
    });
    console.log(`crash points: ${reports.length}\n${lines.join('\n')}`);
    if (!process.env.FAULT_POINTS && reports.length === points.length) {
      const covered = new Set(reports.map((r) => r.phase));
      expect(REQUIRED_PHASES.filter((phase) => !covered.has(phase)), 'phases no crash point hit').toEqual([]);
    }
  });
});
