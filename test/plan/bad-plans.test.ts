import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlan } from '../../src/plan/load-plan.js';
import { formatDiagnostic } from '../../src/plan/diagnostics.js';
import { fixtureRepo } from '../helpers/temp.js';

const CORPUS = path.resolve(import.meta.dirname, '../../fixtures/bad-plans');
const cases = readdirSync(CORPUS, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);

describe('the bad-plan corpus', () => {
  it('has at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)('%s is refused with the expected messages', (name) => {
    const root = fixtureRepo(path.join(CORPUS, name));
    const { plan, diagnostics } = loadPlan(path.join(root, 'WAVES.md'));
    const actual = diagnostics.map((d) => formatDiagnostic(d, root)).join('\n') + '\n';
    const expectedFile = path.join(CORPUS, name, 'expected.txt');
    // Regenerate with CCWAVE_UPDATE_EXPECTED=1, then read every changed line before committing.
    if (process.env.CCWAVE_UPDATE_EXPECTED === '1') writeFileSync(expectedFile, actual);
    expect(plan).toBeUndefined();
    expect(diagnostics.some((d) => d.severity === 'error')).toBe(true);
    expect(actual).toBe(readFileSync(expectedFile, 'utf8'));
  });
});
