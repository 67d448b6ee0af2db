import { afterAll, describe, it } from 'vitest';
import { checkPoint, crashAndResume, formatReport } from './crash-resume.js';
import { expectedTree, makeTemplate, removeTemplate } from './harness.js';

/**
 * A short sample of the crash-and-resume suite for every `npm test`: a few crash points across a
 * run, compared with the expected end state (the full suite, `npm run test:faults`, checks that
 * against a fresh uninterrupted run, crashes at ~41 points and tries other faults).
 *
 * K from an uninterrupted run's journal (65 events; the event at K can shift by one or two as
 * agents run concurrently, and each point logs which it was).
 */
const SAMPLE = [
  { k: 11, phase: "wave 1's agents working" },
  { k: 22, phase: 'merge queue: the merge-intent of the conflicting task' },
  { k: 29, phase: 'the conflict handed back to its agent' },
  { k: 48, phase: "wave 2's agents (wave 1 landed)" },
];

const template = makeTemplate();
const tree = expectedTree();
afterAll(() => removeTemplate(template));

describe('crash at K and resume (sample; the full suite is npm run test:faults)', () => {
  it.each(SAMPLE)('K=$k: $phase', { timeout: 180_000 }, async ({ k }) => {
    const report = await crashAndResume(template, k, tree);
    console.log(formatReport(report));
    checkPoint(report);
  });
});
