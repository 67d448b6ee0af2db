import { mkdirSync, writeFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatPlan } from '../../src/plan/format-plan.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import { MAX_TEXT_BYTES } from '../../src/plan/read-text.js';
import { tempDir } from '../helpers/temp.js';

const REPO = path.resolve(import.meta.dirname, '../..');

function repo(files: Record<string, string>): string {
  const root = tempDir();
  mkdirSync(path.join(root, '.git'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

const feature = (title: string, frontMatter = '', requires = 'none') =>
  `${frontMatter ? `---\n${frontMatter}\n---\n` : ''}# Feature: ${title}\n\n## Dependencies\n- Requires: ${requires}\n\n## Acceptance Criteria\n- [ ] works\n`;

describe('loadPlan', () => {
  it('resolves the bundled example plan', () => {
    const { plan, diagnostics } = loadPlan(path.join(REPO, 'waves/example.md'));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(plan!.name).toBe('textkit');
    expect(plan!.waves.map((w) => w.tasks.map((t) => t.id))).toEqual([
      ['feature-001-slugify', 'feature-002-word-stats'],
      ['feature-003-cli', 'feature-004-usage-docs'],
    ]);
    const cli = plan!.waves[1]!.tasks[0]!;
    expect(cli.title).toBe('Command-line interface');
    expect(cli.promptPath).toBe('feature-management/features/feature-003-cli/PROMPT.md');
    expect(cli.requires).toEqual(['feature-001-slugify', 'feature-002-word-stats']);
    expect(cli.criteria).toHaveLength(4);
    expect(cli.settings.verify).toBe('npm test');
    expect(plan!.settings.test).toBe('npm test');
  });

  it('applies settings with flags over WAVES.md over PROMPT.md over defaults', () => {
    const root = repo({
      'WAVES.md': '---\nmodel: sonnet\nconcurrency: 3\n---\n## Wave 1\n\n- feature-001\n- feature-002\n',
      'feature-management/features/feature-001-a/PROMPT.md': feature('A', 'model: opus\ntimeout: 20m\nretries: 3'),
      'feature-management/features/feature-002-b/PROMPT.md': feature('B'),
    });
    const { plan } = loadPlan(path.join(root, 'WAVES.md'), { concurrency: 1 });
    const [a, b] = plan!.waves[0]!.tasks;
    expect(plan!.settings.concurrency).toBe(1);
    expect(plan!.sources.concurrency).toBe('flag');
    expect(a!.settings).toMatchObject({ model: 'sonnet', timeout: 20 * 60_000, retries: 3 });
    expect(a!.sources).toMatchObject({ model: 'plan', timeout: 'prompt', retries: 'prompt', nudges: 'default' });
    expect(b!.settings).toMatchObject({ model: 'sonnet', timeout: 60 * 60_000, retries: 1 });
    const flagged = loadPlan(path.join(root, 'WAVES.md'), { model: 'haiku' }).plan!;
    expect(flagged.waves[0]!.tasks[0]!.settings.model).toBe('haiku');
  });

  it('resolves testRetries (default 1) and shows it with where it came from', () => {
    const root = repo({
      'WAVES.md': '---\ntest: npm test\ntestRetries: 3\n---\n## Wave 1\n\n- feature-001\n',
      'feature-management/features/feature-001-a/PROMPT.md': feature('A'),
    });
    const { plan } = loadPlan(path.join(root, 'WAVES.md'));
    expect(plan!.settings.testRetries).toBe(3);
    expect(plan!.sources.testRetries).toBe('plan');
    expect(formatPlan(plan!, { cwd: root })).toMatch(/^ {2}testRetries +3 {2}\[WAVES\.md\]$/m);
    const plain = repo({ 'WAVES.md': '## Wave 1\n\n- feature-001\n', 'feature-management/features/feature-001-a/PROMPT.md': feature('A') });
    const defaults = loadPlan(path.join(plain, 'WAVES.md')).plan!;
    expect([defaults.settings.testRetries, defaults.sources.testRetries]).toEqual([1, 'default']);
    // A run setting: a PROMPT.md cannot set it for one task.
    const prompt = repo({ 'WAVES.md': '## Wave 1\n\n- feature-001\n', 'feature-management/features/feature-001-a/PROMPT.md': feature('A', 'testRetries: 2') });
    expect(loadPlan(path.join(prompt, 'WAVES.md')).diagnostics.some((d) => d.severity === 'error' && d.message.includes('testRetries'))).toBe(true);
  });

  it('normalises every agent form', () => {
    const root = repo({
      'WAVES.md': '## Wave 1\n\n- f-1\n- f-2\n- f-3\n- f-4\n',
      'feature-management/features/f-1/PROMPT.md': feature('1', 'agent: claude'),
      'feature-management/features/f-2/PROMPT.md': feature('2', 'agent: ./my-agent --fast'),
      'feature-management/features/f-3/PROMPT.md': feature('3', 'agent: [node, agent.js]'),
      'feature-management/features/f-4/PROMPT.md': feature('4', 'agent: { kind: claude, command: /opt/claude }'),
    });
    const tasks = loadPlan(path.join(root, 'WAVES.md')).plan!.waves[0]!.tasks;
    expect(tasks.map((t) => t.settings.agent)).toEqual([
      { kind: 'claude', command: ['claude'] },
      { kind: 'command', shell: './my-agent --fast' },
      { kind: 'command', command: ['node', 'agent.js'] },
      { kind: 'claude', command: ['/opt/claude'] },
    ]);
  });

  it('accepts a link to a feature folder and takes the id from it', () => {
    const root = repo({
      'plans/WAVES.md': '## Wave 1\n\n- [Login](../specs/login-page/)\n',
      'specs/login-page/PROMPT.md': feature('Login page'),
    });
    const { plan, diagnostics } = loadPlan(path.join(root, 'plans/WAVES.md'));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(plan!.waves[0]!.tasks[0]).toMatchObject({ id: 'login-page', title: 'Login', promptPath: 'specs/login-page/PROMPT.md' });
  });

  it('refuses a link through a symlink that leaves the repository', () => {
    const outside = tempDir();
    writeFileSync(path.join(outside, 'PROMPT.md'), feature('Outside'));
    const root = repo({ 'WAVES.md': '## Wave 1\n\n- [Out](linked/PROMPT.md)\n' });
    symlinkSync(outside, path.join(root, 'linked'));
    const { plan, diagnostics } = loadPlan(path.join(root, 'WAVES.md'));
    expect(plan).toBeUndefined();
    expect(diagnostics[0]!.message).toMatch(/points outside the repository/);
  });

  it('warns, without failing, about a dependency outside the plan and missing criteria', () => {
    const root = repo({
      'WAVES.md': '## Wave 1\n\n- feature-002\n',
      'feature-management/features/feature-001-old/PROMPT.md': feature('Old'),
      'feature-management/features/feature-002-new/PROMPT.md': '# Feature: New\n\n## Dependencies\nRequires: feature-001-old\n',
    });
    const { plan, diagnostics } = loadPlan(path.join(root, 'WAVES.md'));
    expect(plan).toBeDefined();
    expect(diagnostics.map((d) => `${d.severity}: ${d.message}`)).toEqual(['warning: no acceptance criteria', 'warning: `feature-002-new` requires `feature-001-old`, which is not in this plan']);
  });

  it('refuses a 10 MB plan quickly instead of parsing it', () => {
    const root = repo({});
    const file = path.join(root, 'WAVES.md');
    writeFileSync(file, `## Wave 1\n\n${'- feature-001\n'.repeat(800_000)}`);
    const { plan, diagnostics } = loadPlan(file);
    expect(plan).toBeUndefined();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.message).toMatch(new RegExp(`plan is 10\\.\\d MB; the limit is ${MAX_TEXT_BYTES / 1024 / 1024} MB`));
  });

  it('reports a missing plan file', () => {
    const root = repo({});
    const { diagnostics } = loadPlan(path.join(root, 'WAVES.md'));
    expect(diagnostics).toMatchObject([{ severity: 'error', line: 1, column: 1, message: 'plan not found' }]);
  });
});
