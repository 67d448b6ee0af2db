import { existsSync, lstatSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergedTasks, planRepo, runCcwave, runState } from '../run/plan-repo.js';

const AGENT = path.join(import.meta.dirname, 'integration-worktree-agent.mjs');

function hostilePlan(mode: 'delete' | 'symlink' | 'gitfile') {
  // A test command: the merge queue checks out and cleans in the integration worktree.
  const repo = planRepo([[{ id: 'one' }]], { test: 'test -f README.md', land: false });
  const waves = path.join(repo.dir, 'WAVES.md');
  const agent = `agent: [node, ${JSON.stringify(AGENT)}, ${mode}, ${JSON.stringify(repo.dir)}]\n`;
  writeFileSync(waves, readFileSync(waves, 'utf8').replace(/^agent:[\s\S]*?(?=^\w)/m, agent));
  repo.git('commit', '-qam', 'hostile agent');
  return repo;
}

describe('an agent that goes after the integration worktree', () => {
  it('deleting it: ccwave makes it again, detached, and the run finishes', async () => {
    const repo = hostilePlan('delete');
    const result = await runCcwave(repo, ['run', '--no-tui']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const state = runState(repo);
    expect(mergedTasks(repo, state.integration!.branch)).toEqual(['one']);
    expect(state.repairs.map((r) => r.action)).toContain('integration-worktree-recreated');
    expect(lstatSync(state.integration!.worktree).isDirectory()).toBe(true);
  });

  it("replacing it with a symlink to the user's checkout: nothing of the user's is touched", async () => {
    const repo = hostilePlan('symlink');
    writeFileSync(path.join(repo.dir, 'README.md'), '# sample\nmy own edit\n');
    writeFileSync(path.join(repo.dir, 'draft.txt'), 'not committed\n');
    const head = repo.git('rev-parse', 'HEAD');
    const result = await runCcwave(repo, ['run', '--no-tui']);
    expect(result.status).toBe(0);
    expect(readFileSync(path.join(repo.dir, 'README.md'), 'utf8')).toBe('# sample\nmy own edit\n');
    expect(readFileSync(path.join(repo.dir, 'draft.txt'), 'utf8')).toBe('not committed\n');
    expect(repo.git('symbolic-ref', 'HEAD')).toBe('refs/heads/main');
    expect(repo.git('rev-parse', 'HEAD')).toBe(head);
    const state = runState(repo);
    expect(mergedTasks(repo, state.integration!.branch)).toEqual(['one']);
    // The symlink itself was replaced; what it pointed at is still there.
    expect(lstatSync(state.integration!.worktree).isSymbolicLink()).toBe(false);
    expect(existsSync(path.join(repo.dir, '.git'))).toBe(true);
  });

  it("replacing it with a folder wired to the user's repository: refused, the user's HEAD and index untouched", async () => {
    const repo = hostilePlan('gitfile');
    writeFileSync(path.join(repo.dir, 'README.md'), '# sample\nstaged edit\n');
    repo.git('add', 'README.md');
    const head = repo.git('rev-parse', 'HEAD');
    const result = await runCcwave(repo, ['run', '--no-tui']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("is no longer the run's integration worktree");
    expect(repo.git('symbolic-ref', 'HEAD')).toBe('refs/heads/main');
    expect(repo.git('rev-parse', 'HEAD')).toBe(head);
    expect(repo.git('diff', '--cached', '--name-only')).toBe('README.md');
    expect(readFileSync(path.join(repo.dir, 'README.md'), 'utf8')).toBe('# sample\nstaged edit\n');
  });
});
