import { describe, expect, it } from 'vitest';
import { ccwave } from '../helpers/cli.js';
import { failingRepo, runIds } from '../run/rerun-repo.js';
import { runCcwave } from '../run/plan-repo.js';
import { makeRepo } from '../helpers/repo.js';

describe('ccwave runs', () => {
  it('lists the runs newest first: id, plan, start, outcome; --json the same', async () => {
    const { repo, env, fix } = failingRepo([['a', 'b']]);
    expect((await runCcwave(repo, ['run', '--no-tui'], env)).status).toBe(1);
    fix('b');
    expect((await runCcwave(repo, ['run', '--no-tui', '--only-failed'], env)).status).toBe(0);
    const [first, second] = runIds(repo);

    const listed = ccwave(['runs'], { cwd: repo.dir });
    expect(listed.status).toBe(0);
    const lines = listed.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^RUN +PLAN +STARTED +OUTCOME$/);
    expect(lines[1]).toMatch(new RegExp(`^${second} +WAVES\\.md +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d +exit 0 · 1 merged · only b$`));
    expect(lines[2]).toMatch(new RegExp(`^${first} +WAVES\\.md +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d +exit 1 · 1 merged · 1 failed$`));
    expect(lines).toHaveLength(3);

    const json = JSON.parse(ccwave(['runs', '--json'], { cwd: repo.dir }).stdout) as { runs: Array<Record<string, unknown>> };
    expect(json.runs.map((run) => run.runId)).toEqual([second, first]);
    expect(json.runs[1]).toMatchObject({ plan: 'WAVES.md', outcome: 'finished', exitCode: 1, tasks: { merged: 1, failed: 1 } });
    expect(json.runs[0]).toMatchObject({ only: ['b'], rerunOf: first });
  });

  it('says so when there are none', () => {
    const result = ccwave(['runs'], { cwd: makeRepo().dir });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('No ccwave runs in this repository yet. Start one with: ccwave run WAVES.md\n');
  });
});
