import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ccwave } from '../helpers/cli.js';
import { planRepo } from '../run/plan-repo.js';

describe('ccwave validate, what it reports', () => {
  it('shows where the worktrees will go, resolved', () => {
    const repo = planRepo([[{ id: 'task-a' }]]);
    const result = ccwave(['validate'], { cwd: repo.dir });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`\\n  worktrees +${path.join(path.dirname(repo.dir), 'repo.ccwave').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
    const custom = planRepo([[{ id: 'task-a' }]], { worktrees: '../elsewhere' });
    expect(ccwave(['validate'], { cwd: custom.dir }).stdout).toContain(`../elsewhere (${path.join(path.dirname(custom.dir), 'elsewhere')})`);
  });
});
