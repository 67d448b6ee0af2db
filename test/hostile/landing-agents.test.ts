import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ccwave } from '../helpers/cli.js';
import { mergedTasks, planRepo, runCcwave, type PlanRepo } from '../run/plan-repo.js';

const AGENT = path.join(import.meta.dirname, 'landing-agent.mjs');

/** The user's own files and branches, made before the run; none of them may change. */
interface UserSide {
  files: Record<string, string>;
  branches: Record<string, string>;
}

function hostileRepo(tasks: string[], user: { ignored?: Record<string, string>; untracked?: Record<string, string> }) {
  const repo = planRepo([tasks.map((id) => ({ id }))], { concurrency: 4, retro: false });
  const log = path.join(path.dirname(repo.dir), 'commits.log');
  writeFileSync(log, '');
  // The plan's agent: our hostile script, whatever the task (set after planRepo's default).
  const waves = path.join(repo.dir, 'WAVES.md');
  writeFileSync(waves, readFileSync(waves, 'utf8').replace(/^agent:[\s\S]*?(?=^\w)/m, `agent: [node, ${JSON.stringify(AGENT)}, ${JSON.stringify(log)}]\n`));
  writeFileSync(path.join(repo.dir, '.gitignore'), '.env\n*.cfg\n');
  repo.git('add', '.gitignore', 'WAVES.md');
  repo.git('commit', '-qm', 'ignore local files');
  const files = { ...user.ignored, ...user.untracked };
  for (const [file, content] of Object.entries(files)) writeFileSync(path.join(repo.dir, file), content);
  // The user's own branches in ccwave's namespace, one shaped exactly like a run's.
  repo.git('branch', 'ccwave/my-own/topic');
  repo.git('branch', 'ccwave/20260101-120000-abcd/w1/mine');
  const side: UserSide = { files, branches: branchShas(repo, ['main', 'ccwave/my-own/topic', 'ccwave/20260101-120000-abcd/w1/mine']) };
  return { repo, log, side };
}

function branchShas(repo: PlanRepo, names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, repo.git('rev-parse', `refs/heads/${name}`)]));
}

function expectUserSideUnchanged(repo: PlanRepo, side: UserSide): void {
  for (const [file, content] of Object.entries(side.files)) expect(readFileSync(path.join(repo.dir, file), 'utf8')).toBe(content);
  expect(branchShas(repo, Object.keys(side.branches))).toEqual(side.branches);
  expect(repo.git('symbolic-ref', 'HEAD')).toBe('refs/heads/main');
}

function expectAllReachable(repo: PlanRepo, log: string): void {
  const commits = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  expect(commits.length).toBeGreaterThan(0);
  for (const sha of commits) expect(repo.git('for-each-ref', '--contains', sha, '--format=%(refname)'), sha).not.toBe('');
}

describe('hostile agents never get a user file overwritten by landing', () => {
  it('force-added ignored files, a file over an untracked one, ccwave-named branches: base not landed, nothing of the user lost', async () => {
    const ignored = hostileRepo(['force-env', 'force-cfg', 'ccwave-branches'], { ignored: { '.env': 'SECRET=mine\n', 'local.cfg': 'owner=me\n' } });
    const untracked = hostileRepo(['over-untracked'], { untracked: { 'notes.txt': 'my notes\n' } });
    const [first, second] = await Promise.all([runCcwave(ignored.repo, ['run', '--no-tui']), runCcwave(untracked.repo, ['run', '--no-tui'])]);

    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/wave 1 was not landed on main: landing would overwrite files in .* that git does not track \(\.env, local\.cfg\); move them away first/);
    expect(first.stdout).toMatch(/to land it: git -C \S+ merge --ff-only --no-overwrite-ignore ccwave\/\S+\/integration/);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/wave 1 was not landed on main: landing would overwrite files in .* that git does not track \(notes\.txt\); move them away first/);
    expect(second.stdout).toMatch(/to land it: git -C \S+ merge --ff-only --no-overwrite-ignore ccwave\/\S+\/integration/);

    for (const { repo, side, log } of [ignored, untracked]) {
      expectUserSideUnchanged(repo, side);
      expectAllReachable(repo, log);
    }
    // Read in the morning: status says it too.
    const status = ccwave(['status'], { cwd: ignored.repo.dir });
    expect(status.stdout).toMatch(/Not landed on main: landing would overwrite files in .* \(\.env, local\.cfg\)/);
    expect(status.stdout).toMatch(/to land it: git -C \S+ merge --ff-only --no-overwrite-ignore ccwave\//);
    // Every agent's work was merged on the integration branch: only landing was held back.
    const integration = (repo: PlanRepo): string =>
      repo
        .git('for-each-ref', '--format=%(refname:short)', 'refs/heads/ccwave/*/integration')
        .split('\n')
        .filter((b) => !b.startsWith('ccwave/20990101'))[0]!;
    expect(mergedTasks(ignored.repo, integration(ignored.repo)).sort()).toEqual(['ccwave-branches', 'force-cfg', 'force-env']);
    expect(mergedTasks(untracked.repo, integration(untracked.repo))).toEqual(['over-untracked']);

    // The agent's ccwave-looking branches are not ccwave's either: clean keeps them, --force or not.
    const agentBranches = ['ccwave/20990101-000000-beef/integration', 'ccwave/agent/made-this'];
    const stray = ignored.repo.git('for-each-ref', '--format=%(refname:short)', 'refs/heads/ccwave/*/w1/stray');
    const before = branchShas(ignored.repo, [...agentBranches, stray]);
    for (const { repo, side, log } of [ignored, untracked]) {
      const cleaned = ccwave(['clean', '--force'], { cwd: repo.dir });
      expect(cleaned.status).toBe(0);
      expect(cleaned.stdout).toContain("kept branch ccwave/my-own/topic: not ccwave's");
      expect(cleaned.stdout).toContain('Not cleaning run 20260101-120000-abcd');
      expectUserSideUnchanged(repo, side);
      expectAllReachable(repo, log);
    }
    expect(branchShas(ignored.repo, Object.keys(before))).toEqual(before);
  });
});
