import { existsSync, lstatSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergedTasks, planRepo, runCcwave, runState } from '../run/plan-repo.js';

const AGENT = path.join(import.meta.dirname, 'task-worktree-agent.mjs');

describe("an agent that replaces another task's worktree with a symlink to the user's checkout", () => {
  it("the other task gets its worktree back; the user's checkout is untouched", async () => {
    // One agent at a time: the planter finishes before the victim's agent starts.
    const repo = planRepo([[{ id: 'planter' }, { id: 'victim' }]], { land: false, concurrency: 1, setup: 'touch setup-ran' });
    const waves = path.join(repo.dir, 'WAVES.md');
    const agent = `agent: [node, ${JSON.stringify(AGENT)}, victim, ${JSON.stringify(repo.dir)}]\n`;
    writeFileSync(waves, readFileSync(waves, 'utf8').replace(/^agent:[\s\S]*?(?=^\w)/m, agent));
    repo.git('commit', '-qam', 'hostile agent');
    writeFileSync(path.join(repo.dir, 'draft.txt'), 'not committed\n');
    const head = repo.git('rev-parse', 'HEAD');

    const result = await runCcwave(repo, ['run', '--no-tui']);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    // Nothing of the victim's work reached the user's checkout: no file, no commit, no staged change.
    expect(existsSync(path.join(repo.dir, 'victim.txt'))).toBe(false);
    expect(existsSync(path.join(repo.dir, 'setup-ran'))).toBe(false);
    expect(repo.git('rev-parse', 'HEAD')).toBe(head);
    expect(repo.git('status', '--porcelain')).toBe('?? draft.txt');
    expect(readFileSync(path.join(repo.dir, 'draft.txt'), 'utf8')).toBe('not committed\n');
    const state = runState(repo);
    expect(mergedTasks(repo, state.integration!.branch)).toEqual(['planter', 'victim']);
    // The link was removed (never what it pointed at), and the repair says so.
    const worktree = state.tasks.victim!.worktree!.path;
    expect(lstatSync(worktree).isDirectory()).toBe(true);
    expect(state.repairs.map((r) => r.action)).toContain('task-worktree-replaced');
  });
});
