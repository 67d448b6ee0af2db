import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTokenCount, parseUsdAmount } from '../../src/plan/budget-values.js';
import { formatDiagnostic } from '../../src/plan/diagnostics.js';
import { formatPlan } from '../../src/plan/format-plan.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import { tempDir } from '../helpers/temp.js';

const PROMPT = '# Feature: A\n\n## Acceptance Criteria\n- [ ] works\n';

function planWith(frontMatter: string, promptFrontMatter = ''): string {
  const root = tempDir();
  mkdirSync(path.join(root, '.git'));
  mkdirSync(path.join(root, 'feature-management/features/feature-001-a'), { recursive: true });
  writeFileSync(path.join(root, 'feature-management/features/feature-001-a/PROMPT.md'), `${promptFrontMatter ? `---\n${promptFrontMatter}\n---\n` : ''}${PROMPT}`);
  writeFileSync(path.join(root, 'WAVES.md'), `${frontMatter ? `---\n${frontMatter}\n---\n` : ''}## Wave 1\n\n- feature-001\n`);
  return path.join(root, 'WAVES.md');
}

function errorsOf(file: string): string[] {
  return loadPlan(file)
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => formatDiagnostic(d, path.dirname(file)));
}

describe('token counts and dollar amounts', () => {
  it.each([
    ['2M', 2_000_000],
    ['500k', 500_000],
    ['1.5M', 1_500_000],
    ['250000', 250_000],
    [' 40K ', 40_000],
    [1200, 1200],
  ])('reads %j as %d tokens', (text, count) => {
    expect(parseTokenCount(text)).toBe(count);
  });

  it.each(['', '2G', '-5k', '0', 'k', '1e9', '2 millions', 0, -1, Number.NaN, Number.POSITIVE_INFINITY, 1e15])('refuses %j as a token count', (value) => {
    expect(parseTokenCount(value)).toBeUndefined();
  });

  it.each([
    [40, 40],
    [5.5, 5.5],
    ['$5.50', 5.5],
    ['12', 12],
  ])('reads %j as %d dollars', (value, usd) => {
    expect(parseUsdAmount(value)).toBe(usd);
  });

  it.each(['', '$', '-5', '5 USD', 0, -3, Number.NaN, 1e9])('refuses %j as dollars', (value) => {
    expect(parseUsdAmount(value)).toBeUndefined();
  });
});

describe('budget (the whole run)', () => {
  it('is none by default', () => {
    const { plan } = loadPlan(planWith(''));
    expect(plan!.settings.budget).toBeUndefined();
    expect(formatPlan(plan!)).toMatch(/^ {2}budget +none$/m);
  });

  it('takes dollars and tokens, shown by validate', () => {
    const { plan } = loadPlan(planWith('budget: { usd: 40, tokens: 20M }'));
    expect(plan!.settings.budget).toEqual({ usd: 40, tokens: 20_000_000 });
    expect(formatPlan(plan!)).toMatch(/^ {2}budget +\$40 or 20M tokens {2}\[WAVES\.md\]$/m);
  });

  it('takes either one alone', () => {
    expect(loadPlan(planWith('budget: { tokens: 500k }')).plan!.settings.budget).toEqual({ tokens: 500_000 });
    expect(loadPlan(planWith('budget:\n  usd: "$12.50"')).plan!.settings.budget).toEqual({ usd: 12.5 });
  });

  it('says where a wrong figure is and what it expects', () => {
    const errors = errorsOf(planWith('concurrency: 2\nbudget: { usd: -5, tokens: 2G }'));
    expect(errors).toEqual([
      expect.stringMatching(/WAVES\.md:3:16: error: `budget\.usd`: -5 is not an amount of dollars[\s\S]*expected dollars of Claude Code's estimate/),
      expect.stringMatching(/WAVES\.md:3:28: error: `budget\.tokens`: "2G" is not a token count[\s\S]*expected a token count like 2M, 500k or 250000/),
    ]);
  });

  it('an empty budget, a wrong key or a bare number is refused', () => {
    expect(errorsOf(planWith('budget: {}')).join('\n')).toMatch(/WAVES\.md:2:9: error: `budget`: a budget needs usd, tokens or both/);
    expect(errorsOf(planWith('budget: { dollars: 5 }')).join('\n')).toMatch(/WAVES\.md:2:11: error: unknown setting `budget\.dollars`[\s\S]*valid keys of `budget`: usd, tokens/);
    expect(errorsOf(planWith('budget: 40')).join('\n')).toMatch(/`budget` must be a map like \{ usd: 40, tokens: 20M \}, not 40/);
  });

  it('is run-wide: a PROMPT.md cannot set it', () => {
    expect(errorsOf(planWith('', 'budget: { usd: 5 }')).join('\n')).toMatch(/PROMPT\.md:2:1: error: `budget` is a run setting and cannot be set per task/);
  });
});

describe('taskBudget (each task)', () => {
  it('set in WAVES.md applies to every task', () => {
    const { plan } = loadPlan(planWith('taskBudget: { usd: 5 }'));
    expect(plan!.waves[0]!.tasks[0]!.settings.taskBudget).toEqual({ usd: 5 });
    expect(formatPlan(plan!)).toMatch(/^ {2}taskBudget +\$5 {2}\[WAVES\.md\]$/m);
  });

  it('a PROMPT.md sets its own', () => {
    const { plan } = loadPlan(planWith('', 'taskBudget: { tokens: 2M, usd: 2.5 }'));
    const task = plan!.waves[0]!.tasks[0]!;
    expect(task.settings.taskBudget).toEqual({ tokens: 2_000_000, usd: 2.5 });
    expect(task.sources.taskBudget).toBe('prompt');
    expect(formatPlan(plan!)).toMatch(/overrides: taskBudget \$2\.50 or 2M tokens/);
  });

  it('a wrong figure in a PROMPT.md is reported there', () => {
    expect(errorsOf(planWith('', 'taskBudget:\n  tokens: lots')).join('\n')).toMatch(/PROMPT\.md:3:11: error: `taskBudget\.tokens`: "lots" is not a token count/);
  });
});

describe('fiveHourPause', () => {
  it('is 95 % by default', () => {
    const { plan } = loadPlan(planWith(''));
    expect(plan!.settings.fiveHourPause).toBe(95);
    expect(formatPlan(plan!)).toMatch(/^ {2}fiveHourPause +95%$/m);
  });

  it('takes another percentage', () => {
    expect(loadPlan(planWith('fiveHourPause: 80')).plan!.settings.fiveHourPause).toBe(80);
  });

  it.each(['false', '100'])('%s turns it off', (value) => {
    const { plan } = loadPlan(planWith(`fiveHourPause: ${value}`));
    expect(plan!.settings.fiveHourPause).toBe(false);
    expect(formatPlan(plan!)).toMatch(/^ {2}fiveHourPause +off {2}\[WAVES\.md\]$/m);
  });

  it.each(['0', '101', 'true', '"95%"'])('%s is refused with what is expected', (value) => {
    expect(errorsOf(planWith(`fiveHourPause: ${value}`)).join('\n')).toMatch(/WAVES\.md:2:16: error: `fiveHourPause` must be a percentage of the five-hour window from 1 to 100, or false/);
  });
});
