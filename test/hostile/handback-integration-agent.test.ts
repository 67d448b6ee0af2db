import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergedTasks, planRepo, runCcwave } from '../run/plan-repo.js';

const AGENT = path.join(import.meta.dirname, 'handback-agent.mjs');

describe('an agent handed a merge conflict back', () => {
  it("that leaves a symlink to the user's checkout where the integration worktree was: the user's files are untouched", async () => {
    // One wave, two tasks writing the same file: the second conflicts and goes back to its agent.
    const repo = planRepo([[{ id: 'first' }, { id: 'second' }]], { test: 'test -f README.md', land: false, concurrency: 1 });
    const waves = path.join(repo.dir, 'WAVES.md');
    const agent = `agent: [node, ${JSON.stringify(AGENT)}, ${JSON.stringify(repo.dir)}]\n`;
    writeFileSync(waves, readFileSync(waves, 'utf8').replace(/^agent:[\s\S]*?(?=^\w)/m, agent));
    repo.git('commit', '-qam', 'hostile agent');
    writeFileSync(path.join(repo.dir, 'README.md'), '# sample\nmy own edit\n');
    writeFileSync(path.join(repo.dir, 'draft.txt'), 'not committed\n');
    const head = repo.git('rev-parse', 'HEAD');

    const result = await runCcwave(repo, ['run', '--no-tui']);

    expect(readFileSync(path.join(repo.dir, 'README.md'), 'utf8')).toBe('# sample\nmy own edit\n');
    expect(readFileSync(path.join(repo.dir, 'draft.txt'), 'utf8')).toBe('not committed\n');
    expect(repo.git('symbolic-ref', 'HEAD')).toBe('refs/heads/main');
    expect(repo.git('rev-parse', 'HEAD')).toBe(head);
    expect(result.status).toBe(0);
    const integration = repo.git('for-each-ref', '--format=%(refname:short)', 'refs/heads/ccwave/*/integration');
    expect(mergedTasks(repo, integration)).toEqual(['first', 'second']);
  });
});
