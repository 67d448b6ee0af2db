import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, realpathSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { planRepo, type PlanRepo } from '../run/plan-repo.js';

/**
 * An installed ccwave whose node-pty was never built, as npm leaves it when install scripts are
 * skipped: the package's JavaScript is there, its native pty.node is not. Every other dependency
 * is the real one, linked; the shared node_modules is not touched.
 */
function installWithUnbuiltPty(): string {
  const root = path.join(tempDir('ccwave-install-'), 'ccwave');
  mkdirSync(root);
  cpSync(path.join(REPO_ROOT, 'dist'), path.join(root, 'dist'), { recursive: true });
  cpSync(path.join(REPO_ROOT, 'package.json'), path.join(root, 'package.json'));
  for (const folder of ['fixtures', 'feature-management']) symlinkSync(path.join(REPO_ROOT, folder), path.join(root, folder));
  const modules = realpathSync(path.join(REPO_ROOT, 'node_modules'));
  mkdirSync(path.join(root, 'node_modules'));
  for (const name of readdirSync(modules)) {
    if (name !== 'node-pty') symlinkSync(path.join(modules, name), path.join(root, 'node_modules', name));
  }
  const pty = path.join(root, 'node_modules/node-pty');
  mkdirSync(pty);
  for (const part of ['package.json', 'lib', 'typings']) cpSync(path.join(modules, 'node-pty', part), path.join(pty, part), { recursive: true });
  return root;
}

function ccwaveFrom(install: string, args: string[], repo: PlanRepo) {
  return spawnSync(process.execPath, [path.join(install, 'dist/cli/main.js'), ...args], {
    cwd: repo.dir,
    env: { ...process.env, NO_COLOR: '1', FAKE_AGENT_SCRIPT_DIR: repo.scripts, FAKE_AGENT_STATE_DIR: repo.state },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('a node-pty that failed to build', () => {
  it('stops run and demo with what to run, exit 2, no stack trace and nothing created', () => {
    const install = installWithUnbuiltPty();
    const repo = planRepo([[{ id: 'task-a' }]]);
    const refs = repo.git('for-each-ref');

    const run = ccwaveFrom(install, ['run', '--no-tui'], repo);
    expect(run.stderr).toContain('npm rebuild node-pty');
    expect(run.stderr).toContain(install);
    expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(run.status).toBe(2);
    expect(repo.git('for-each-ref')).toBe(refs);
    expect(
      repo
        .git('worktree', 'list', '--porcelain')
        .split('\n')
        .filter((l) => l.startsWith('worktree ')),
    ).toHaveLength(1);
    expect(existsSync(path.join(repo.dir, '.git/ccwave'))).toBe(false);

    const demoDir = path.join(tempDir('ccwave-demo-'), 'sample');
    const demo = ccwaveFrom(install, ['demo', '--no-tui', '--dir', demoDir], repo);
    expect(demo.stderr).toContain('npm rebuild node-pty');
    expect(demo.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(demo.status).toBe(2);
    expect(existsSync(demoDir)).toBe(false);

    // Commands that start no agent keep working.
    const validate = ccwaveFrom(install, ['validate'], repo);
    expect(validate.stderr).toBe('');
    expect(validate.status).toBe(0);
  });
});
