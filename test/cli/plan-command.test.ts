import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ccwave, REPO_ROOT } from '../helpers/cli.js';
import { makeRepo, type TestRepo } from '../helpers/repo.js';

const FIXTURE = path.join(REPO_ROOT, 'fixtures/plan-notes/features');
const FAKE_AGENT = path.join(REPO_ROOT, 'fixtures/fake-agent/fake-agent.mjs');

/** The 20-feature fixture committed in the default features folder of a real repository. */
function notesRepo(): TestRepo {
  const repo = makeRepo();
  cpSync(FIXTURE, path.join(repo.dir, 'feature-management/features'), { recursive: true });
  repo.git('add', '--all');
  repo.git('commit', '--quiet', '-m', 'features');
  return repo;
}

/** A merge on main made the way ccwave makes one: `--no-ff`, with its three trailers. */
function mergeAsCcwave(repo: TestRepo, task: string, runId: string): string {
  repo.git('checkout', '--quiet', '-b', `work-${task}`);
  const tip = repo.commit({ [`${task}.txt`]: 'done\n' }, `Build ${task}`);
  repo.git('checkout', '--quiet', 'main');
  repo.git('merge', '--quiet', '--no-ff', '-m', `Merge ${task}\n\nCcwave-Task: ${task}\nCcwave-Run: ${runId}\nCcwave-Tip: ${tip}`, `work-${task}`);
  return repo.sha('HEAD');
}

describe('ccwave plan', () => {
  it('writes a plan that validate and a dry run accept unchanged, leaving out what is merged', () => {
    const repo = notesRepo();
    const mergeSha = mergeAsCcwave(repo, 'feature-001-config-loader', 'run-1');
    // An agent's commit on a task branch that forges the trailers does not count.
    repo.git('checkout', '--quiet', '-b', 'forged');
    repo.commit({ 'x.txt': 'x\n' }, 'Forged\n\nCcwave-Task: feature-004-note-model\nCcwave-Run: r\nCcwave-Tip: 0000000000000000000000000000000000000000');
    repo.git('checkout', '--quiet', 'main');
    repo.git('merge', '--quiet', '--no-ff', '-m', 'Merge forged', 'forged');
    writeFileSync(path.join(repo.dir, 'WAVES.md'), `---\nagent: [node, ${JSON.stringify(FAKE_AGENT)}]\nmaxWaveSize: 5\n---\n\n# Notes\n\nHand-written notes stay.\n`);

    const result = ccwave(['plan', '--explain'], { cwd: repo.dir });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`feature-001-config-loader → left out: already merged in ${mergeSha.slice(0, 7)} (run run-1)`);
    expect(result.stdout).toContain('feature-019-config-validation (P2) → wave 1: needs nothing still to build');
    expect(result.stdout).toMatch(/wrote WAVES\.md: 19 features in \d+ waves; 1 feature already merged left out\n$/);
    const written = readFileSync(path.join(repo.dir, 'WAVES.md'), 'utf8');
    expect(written).toMatch(/^---\nagent: \[node, ".*"\]\nmaxWaveSize: 5\n---\n\n# Notes\n\nHand-written notes stay.\n\n## Wave 1\n/);
    expect(written).toContain('- feature-004-note-model — Note model');

    const validate = ccwave(['validate'], { cwd: repo.dir });
    expect(validate.stderr).toBe('');
    expect(validate.status).toBe(0);
    const dryRun = ccwave(['run', '--dry-run'], { cwd: repo.dir });
    expect(dryRun.status, dryRun.stderr).toBe(0);

    // The same inputs: the same bytes, to a file or printed.
    expect(ccwave(['plan'], { cwd: repo.dir }).status).toBe(0);
    expect(readFileSync(path.join(repo.dir, 'WAVES.md'), 'utf8')).toBe(written);
    const printed = ccwave(['plan', '--out', '-'], { cwd: repo.dir });
    expect(printed.stdout).toBe(written);
  });

  it('prints the plan as JSON', () => {
    const repo = notesRepo();
    const result = ccwave(['plan', '--json', '--out', '-'], { cwd: repo.dir });
    expect(result.status).toBe(0);
    const json = JSON.parse(result.stdout) as { schemaVersion: number; ok: boolean; written: null; waves: { index: number; features: { id: string; priority: string }[] }[] };
    expect(json).toMatchObject({ schemaVersion: 1, ok: true, written: null });
    expect(json.waves.flatMap((w) => w.features)).toHaveLength(20);
    expect(json.waves[0]!.features[0]).toMatchObject({ id: 'feature-001-config-loader', priority: 'P0' });
  });

  it('exits 2 with located problems and writes nothing when the features have a cycle', () => {
    const repo = notesRepo();
    const file = path.join(repo.dir, 'feature-management/features/feature-001-config-loader/PROMPT.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('- Requires: none', '- Requires: feature-003-storage'));
    const result = ccwave(['plan'], { cwd: repo.dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      'feature-management/features/feature-001-config-loader/PROMPT.md:10:13: error: dependency cycle: feature-001-config-loader → feature-003-storage → feature-001-config-loader',
    );
    expect(result.stderr).toMatch(/error: `feature-006-add-command` is blocked: it requires `feature-003-storage`, which cannot be planned \(it is on a dependency cycle\)/);
    // Only the direct dependants: search-command waits for search-index, which is named already.
    expect(result.stderr).not.toContain('`feature-009-search-command` is blocked');
    expect(result.stderr).toMatch(/\d+ errors: no plan written\n$/);
    expect(() => readFileSync(path.join(repo.dir, 'WAVES.md'))).toThrow();
  });

  it('records a features folder outside the default in a new plan, so a run finds it', () => {
    const repo = makeRepo();
    cpSync(FIXTURE, path.join(repo.dir, 'specs'), { recursive: true });
    const result = ccwave(['plan', '--features', 'specs', '--out', 'plan.md'], { cwd: repo.dir });
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(path.join(repo.dir, 'plan.md'), 'utf8')).toMatch(/^---\nfeatures: "specs"\n---\n/);
    expect(ccwave(['validate', 'plan.md'], { cwd: repo.dir }).status).toBe(0);
  });
});

describe('ccwave plan with every feature merged', () => {
  it('says so and writes no plan, which would have no wave', () => {
    const repo = makeRepo();
    for (const id of ['f-a', 'f-b']) repo.commit({ [`feature-management/features/${id}/PROMPT.md`]: `# Feature: ${id}\n\n## Acceptance Criteria\n- [ ] works\n` }, `spec ${id}`);
    mergeAsCcwave(repo, 'f-a', 'r1');
    mergeAsCcwave(repo, 'f-b', 'r2');
    const result = ccwave(['plan'], { cwd: repo.dir });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('nothing left to plan: all 2 features already merged; WAVES.md not written\n');
    expect(() => readFileSync(path.join(repo.dir, 'WAVES.md'))).toThrow();
  });
});
