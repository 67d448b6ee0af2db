import { existsSync, lstatSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { addDetachedWorktree, Repo } from '../../src/git/index.js';
import { Journal, initialRunState } from '../../src/journal/index.js';
import { RunRecorder } from '../../src/journal/recorder.js';
import { ensureIntegrationWorktree } from '../../src/run/integration-worktree.js';
import { git } from '../helpers/git.js';
import { makeRepo, type TestRepo } from '../helpers/repo.js';

const RUN = '20261123-170000-abcd';
const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

async function setup() {
  const r = makeRepo();
  repos.push(r);
  const repo = await Repo.open(r.dir);
  const integration = { branch: `ccwave/${RUN}/integration`, worktree: path.join(r.tmp, 'repo.ccwave', RUN, '_integration') };
  await addDetachedWorktree(repo, { path: integration.worktree, branch: integration.branch, fromSha: r.sha('main') });
  const recorder = new RunRecorder(Journal.create(repo.dataDir, RUN), initialRunState());
  recorder.record({ type: 'run-started', runId: RUN, planFile: 'WAVES.md', planName: 'plan', base: { branch: 'main', sha: r.sha('main') }, integration, settings: {}, waves: [] });
  return { r, repo, integration, recorder };
}

describe('ensureIntegrationWorktree', () => {
  it('makes a deleted one again, detached, dropping only its own stale entry', async () => {
    const { r, repo, integration, recorder } = await setup();
    // One of the user's worktrees, on a drive that is not there right now.
    const away = path.join(r.tmp, 'usb-work');
    r.git('worktree', 'add', '--quiet', '-b', 'usb', away);
    rmSync(away, { recursive: true, force: true });
    rmSync(integration.worktree, { recursive: true, force: true });
    await ensureIntegrationWorktree(repo, recorder, integration);
    expect(lstatSync(integration.worktree).isDirectory()).toBe(true);
    expect(git(integration.worktree, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('HEAD');
    expect(r.git('worktree', 'list', '--porcelain')).toContain(`worktree ${away}`);
    expect(recorder.state.repairs.map((x) => x.action)).toEqual(['integration-worktree-recreated']);
  });

  it('refuses, with what to do, when the missing one is locked', async () => {
    const { r, repo, integration, recorder } = await setup();
    r.git('worktree', 'lock', integration.worktree);
    rmSync(integration.worktree, { recursive: true, force: true });
    const error = await ensureIntegrationWorktree(repo, recorder, integration).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).hint).toContain('git worktree unlock');
    expect(existsSync(integration.worktree)).toBe(false);
  });

  it('removes a symlink put in its place, never what it points at', async () => {
    const { r, repo, integration, recorder } = await setup();
    rmSync(integration.worktree, { recursive: true, force: true });
    symlinkSync(r.dir, integration.worktree);
    await ensureIntegrationWorktree(repo, recorder, integration);
    expect(lstatSync(integration.worktree).isSymbolicLink()).toBe(false);
    expect(existsSync(path.join(r.dir, 'README.md'))).toBe(true);
    expect(recorder.state.repairs.map((x) => x.action)).toEqual(['integration-worktree-replaced', 'integration-worktree-recreated']);
  });

  it('stops at a folder that is not the registered worktree', async () => {
    const { r, repo, integration, recorder } = await setup();
    rmSync(integration.worktree, { recursive: true, force: true });
    mkdirSync(integration.worktree);
    writeFileSync(path.join(integration.worktree, '.git'), `gitdir: ${path.join(r.dir, '.git')}\n`);
    await expect(ensureIntegrationWorktree(repo, recorder, integration)).rejects.toThrow(/no longer the run's integration worktree/);
  });

  it('stops when someone has the integration branch checked out: moving it would change their checkout under them', async () => {
    const { r, repo, integration, recorder } = await setup();
    r.git('switch', '--quiet', integration.branch);
    const error = await ensureIntegrationWorktree(repo, recorder, integration).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(`${integration.branch} is checked out in ${r.dir}; ccwave moves that branch as it merges`);
    expect(r.git('symbolic-ref', 'HEAD')).toBe(`refs/heads/${integration.branch}`);
  });

  it('makes the integration branch again at its last tip in the journal when an agent deleted it', async () => {
    const { r, repo, integration, recorder } = await setup();
    // A merge the journal knows about moved the branch; then the branch is deleted.
    const merged = r.commit({ 'merged.txt': 'm\n' }, 'merge', integration.worktree);
    r.git('update-ref', `refs/heads/${integration.branch}`, merged);
    recorder.record({ type: 'wave-finished', wave: 1, integrationSha: merged });
    r.git('branch', '-D', integration.branch);
    await ensureIntegrationWorktree(repo, recorder, integration);
    expect(r.sha(integration.branch)).toBe(merged);
    expect(recorder.state.repairs.map((x) => x.action)).toEqual(['integration-branch-restored']);
  });

  it('puts the branch back when it has a commit ccwave did not make, or lost one it did, keeping that commit', async () => {
    const { r, repo, integration, recorder } = await setup();
    const known = r.sha(integration.branch);
    // A merge of ccwave's own (with the run's trailer) not journaled yet, as after a crash: fine.
    const ours = r.commit({ 'ours.txt': 'o\n' }, `Merge x\n\nCcwave-Task: x\nCcwave-Run: ${RUN}\nCcwave-Tip: ${known}`, integration.worktree);
    r.git('update-ref', `refs/heads/${integration.branch}`, ours);
    await ensureIntegrationWorktree(repo, recorder, integration);
    expect(r.sha(integration.branch)).toBe(ours);
    recorder.record({ type: 'wave-finished', wave: 1, integrationSha: ours });
    // An agent's commit on top: it would be tested and landed as the run's work.
    const foreign = r.commit({ 'evil.txt': 'e\n' }, 'not a merge', integration.worktree);
    r.git('update-ref', `refs/heads/${integration.branch}`, foreign);
    await ensureIntegrationWorktree(repo, recorder, integration);
    expect(r.sha(integration.branch)).toBe(ours);
    expect(r.git('for-each-ref', '--format=%(objectname)', `refs/ccwave/kept/${RUN}/integration/`)).toContain(foreign);
    // Reset to before what the journal knows: merged work would silently go missing.
    r.git('update-ref', `refs/heads/${integration.branch}`, known);
    await ensureIntegrationWorktree(repo, recorder, integration);
    expect(r.sha(integration.branch)).toBe(ours);
    expect(recorder.state.repairs.map((x) => x.action)).toEqual(['integration-restored', 'integration-restored']);
  });
});
