import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/plan/diagnostics.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import { tempDir } from '../helpers/temp.js';

const PROMPT = '# Feature: Alpha\n\n## Overview\nAlpha.\n\n## Acceptance Criteria\n- [ ] alpha works\n';

/** A repository with one feature, and a folder outside it holding a file and a feature of its own. */
function repoWithOutside(frontMatter: string): { root: string; outside: string; load: () => string[] } {
  const base = tempDir('ccwave-confined-');
  const root = path.join(base, 'repo');
  const outside = path.join(base, 'outside');
  mkdirSync(path.join(root, '.git'), { recursive: true });
  mkdirSync(path.join(root, 'feature-management/features/alpha'), { recursive: true });
  mkdirSync(path.join(outside, 'features/alpha'), { recursive: true });
  writeFileSync(path.join(root, 'feature-management/features/alpha/PROMPT.md'), PROMPT);
  writeFileSync(path.join(outside, 'features/alpha/PROMPT.md'), PROMPT);
  writeFileSync(path.join(outside, 'secret.env'), 'KEY=x\n');
  writeFileSync(path.join(root, 'WAVES.md'), `---\n${frontMatter}\n---\n## Wave 1\n\n- alpha\n`);
  const load = () => {
    const { plan, diagnostics } = loadPlan(path.join(root, 'WAVES.md'));
    const errors = diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d, root));
    expect(plan === undefined).toBe(errors.length > 0);
    return errors;
  };
  return { root, outside, load };
}

describe('paths that lead out of the repository through a symlink', () => {
  it('a copy entry that is a link to a file outside', () => {
    const { root, outside, load } = repoWithOutside('copy: [.env]');
    symlinkSync(path.join(outside, 'secret.env'), path.join(root, '.env'));
    expect(load()).toEqual([expect.stringMatching(/^WAVES\.md:2:8: error: `copy\.0`: "\.env" leads outside the repository through a symlink/)]);
  });

  it('a copy entry below a linked folder', () => {
    const { root, outside, load } = repoWithOutside('copy: [config/secret.env]');
    symlinkSync(outside, path.join(root, 'config'));
    expect(load()).toEqual([expect.stringMatching(/^WAVES\.md:2:8: error: `copy\.0`: .* through a symlink/)]);
  });

  it('the features folder and the retrospective folder', () => {
    const { root, outside, load } = repoWithOutside('features: specs\nretro: { dir: waves/retros }');
    symlinkSync(path.join(outside, 'features'), path.join(root, 'specs'));
    symlinkSync(outside, path.join(root, 'waves'));
    const errors = load();
    expect(errors).toContainEqual(expect.stringMatching(/^WAVES\.md:2:11: error: `features`: "specs" leads outside the repository through a symlink/));
    expect(errors).toContainEqual(expect.stringMatching(/^WAVES\.md:3:15: error: `retro\.dir`: "waves\/retros" leads outside/));
  });

  it('a PROMPT.md, or its feature folder, linked outside', () => {
    // A linked feature folder is not listed as a feature at all; a link to its PROMPT.md is refused.
    const linkedFile = repoWithOutside('concurrency: 1');
    const prompt = path.join(linkedFile.root, 'feature-management/features/alpha/PROMPT.md');
    writeFileSync(path.join(linkedFile.outside, 'PROMPT.md'), PROMPT);
    rmSync(prompt);
    symlinkSync(path.join(linkedFile.outside, 'PROMPT.md'), prompt);
    expect(linkedFile.load()).toEqual([expect.stringMatching(/^WAVES\.md:6:3: error: the PROMPT\.md of `alpha` leads outside the repository through a symlink/)]);

    const linkedFolder = repoWithOutside('concurrency: 1');
    const folder = path.join(linkedFolder.root, 'feature-management/features/alpha');
    rmSync(folder, { recursive: true });
    symlinkSync(path.join(linkedFolder.outside, 'features/alpha'), folder);
    expect(linkedFolder.load()).toEqual([expect.stringMatching(/^WAVES\.md:6:3: error: unknown feature `alpha`/)]);
  });

  it('links that stay inside the repository are fine', () => {
    const { root, load } = repoWithOutside('copy: [alias.env, shared/x.env]\nfeatures: specs');
    writeFileSync(path.join(root, '.env'), 'KEY=y\n');
    symlinkSync('.env', path.join(root, 'alias.env'));
    mkdirSync(path.join(root, 'real-shared'));
    symlinkSync('real-shared', path.join(root, 'shared'));
    symlinkSync('feature-management/features', path.join(root, 'specs'));
    expect(load()).toEqual([]);
  });
});
