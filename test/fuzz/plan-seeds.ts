import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { REPO_ROOT } from '../helpers/cli.js';

/** A repository's plan files: WAVES.md (at `plan`) and the PROMPT.md files it names, by relative path. */
export interface PlanCase {
  plan: string;
  files: Record<string, string>;
}

export const FEATURES_DIR = 'feature-management/features';

/** Every Markdown file under `dir`, by path relative to `dir`. */
function markdownUnder(dir: string, prefix = ''): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) Object.assign(files, markdownUnder(dir, rel));
    else if (entry.name.endsWith('.md')) files[rel] = readFileSync(path.join(dir, rel), 'utf8');
  }
  return files;
}

function promptsOf(dir: string, into = FEATURES_DIR): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [rel, text] of Object.entries(markdownUnder(dir))) files[`${into}/${rel}`] = text;
  return files;
}

/** The plans shipped with the project and the bad-plan corpus: the starting points of the fuzzer. */
export function diskSeeds(): PlanCase[] {
  const seeds: PlanCase[] = [];
  const features = promptsOf(path.join(REPO_ROOT, FEATURES_DIR));
  seeds.push({ plan: 'waves/example.md', files: { 'waves/example.md': readFileSync(path.join(REPO_ROOT, 'waves/example.md'), 'utf8'), ...features } });
  seeds.push({ plan: 'WAVES.md', files: { 'WAVES.md': readFileSync(path.join(REPO_ROOT, 'fixtures/demo/WAVES.md'), 'utf8'), ...features } });
  seeds.push({
    plan: 'WAVES.md',
    files: { 'WAVES.md': readFileSync(path.join(REPO_ROOT, 'fixtures/faults/WAVES.md'), 'utf8'), ...promptsOf(path.join(REPO_ROOT, 'fixtures/faults/features')) },
  });
  const corpus = path.join(REPO_ROOT, 'fixtures/bad-plans');
  for (const name of readdirSync(corpus).sort()) {
    const dir = path.join(corpus, name);
    if (!statSync(dir).isDirectory()) continue;
    const files = markdownUnder(dir);
    if (files['WAVES.md'] !== undefined) seeds.push({ plan: 'WAVES.md', files });
  }
  return seeds;
}

const WORDS = ['login', 'slugify', 'cli', 'docs', 'api', 'cache', 'auth', 'report'];

/** Valid front-matter settings, one value per key, so that mutations start from something that loads. */
const planSetting = fc.record(
  {
    concurrency: fc.integer({ min: 1, max: 64 }),
    base: fc.constantFrom('main', 'develop'),
    test: fc.constantFrom('npm test', 'node test/all.mjs', 'true'),
    setup: fc.constant('npm ci'),
    timeout: fc.constantFrom('90s', '45m', '1h30m'),
    idleTimeout: fc.constantFrom('5m', '10m'),
    retries: fc.integer({ min: 0, max: 10 }),
    nudges: fc.integer({ min: 0, max: 10 }),
    land: fc.boolean(),
    agent: fc.constantFrom<unknown>('claude', 'node agent.mjs', ['node', 'agent.mjs'], { kind: 'command', command: ['sh', '-c', 'true'] }),
    permissionMode: fc.constantFrom('default', 'acceptEdits', 'plan'),
    allowedTools: fc.constant(['Edit', 'Bash(npm test:*)']),
    merge: fc.record({ gate: fc.constantFrom('each', 'batch', 'auto'), onConflict: fc.constantFrom('agent', 'skip', 'stop') }, { requiredKeys: [] }),
    retro: fc.oneof(fc.boolean(), fc.record({ dir: fc.constant('waves/retros'), agent: fc.boolean() }, { requiredKeys: [] })),
    copy: fc.constant(['.env']),
  },
  { requiredKeys: [] },
);

const promptSetting = fc.record(
  { timeout: fc.constantFrom('30m', '2h'), verify: fc.constant('npm test'), model: fc.constantFrom('opus', 'sonnet'), retries: fc.integer({ min: 0, max: 3 }) },
  { requiredKeys: [] },
);

function frontMatter(settings: object): string {
  return Object.keys(settings).length ? `---\n${stringify(settings)}---\n` : '';
}

/**
 * A valid plan built from scratch: waves of features whose PROMPT.md files follow the featmgmt
 * template, each depending only on features of earlier waves. `maxTasks` makes huge plans possible.
 */
export function generatedPlan(maxWaves = 4, maxTasks = 5): fc.Arbitrary<PlanCase> {
  return fc
    .record({
      settings: planSetting,
      waves: fc.array(fc.integer({ min: 1, max: maxTasks }), { minLength: 1, maxLength: maxWaves }),
      linkEvery: fc.integer({ min: 2, max: 5 }),
      prompts: fc.array(fc.tuple(promptSetting, fc.integer({ min: 0, max: 3 }), fc.nat()), { minLength: maxWaves * maxTasks, maxLength: maxWaves * maxTasks }),
    })
    .map(({ settings, waves, linkEvery, prompts }) => {
      const files: Record<string, string> = {};
      const sections: string[] = [];
      let n = 0;
      const earlier: string[] = [];
      waves.forEach((count, w) => {
        const items: string[] = [];
        const thisWave: string[] = [];
        for (let t = 0; t < count; t++) {
          n++;
          const id = `feature-${String(n).padStart(3, '0')}-${WORDS[n % WORDS.length]}`;
          const [overrides, criteria, pick] = prompts[n - 1]!;
          const requires = earlier.length ? earlier[pick % earlier.length]! : 'none';
          files[`${FEATURES_DIR}/${id}/PROMPT.md`] =
            `${frontMatter(overrides)}# Feature: ${id}\n\n## Overview\nBuild ${id}.\n\n## Dependencies\n- Requires: ${requires}\n\n` +
            `## Implementation Details\n\`\`\`js\n# not a heading\n\`\`\`\n\n## Acceptance Criteria\n${Array.from({ length: criteria }, (_, i) => `- [ ] criterion ${i + 1}\n`).join('')}\n## Notes\nNone.\n`;
          items.push(n % linkEvery === 0 ? `- [Feature ${n}](${FEATURES_DIR}/${id}/PROMPT.md)` : `- ${id} — title ${n}`);
          thisWave.push(id);
        }
        earlier.push(...thisWave);
        sections.push(`## Wave ${w + 1}: part ${w + 1}\n\n${items.join('\n')}\n`);
      });
      files['WAVES.md'] = `${frontMatter(settings)}# Generated plan\n\nSome prose.\n\n${sections.join('\n')}`;
      return { plan: 'WAVES.md', files };
    });
}
