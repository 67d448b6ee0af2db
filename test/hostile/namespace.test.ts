import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { outcomes, hostileRepo, unreachable } from './hostile-repo.js';

/** Waits (polling a file, bounded by the task's timeout) for another agent to get somewhere. */
const WAIT_FOR = `
async function waitFor(file) {
  while (!fs.existsSync(file)) await new Promise((r) => setTimeout(r, 20));
}`;

describe("agents that delete their worktree or write refs in ccwave's namespaces", () => {
  it("each ends in a named status; other tasks, the integration branch and the user's files are unharmed", async () => {
    const wave1 = [
      { id: 'rm-worktree', script: `commit('a.txt');\nconst here = process.cwd();\nprocess.chdir('/');\nfs.rmSync(here, { recursive: true, force: true });` },
      { id: 'worktree-remove', script: `commit('b.txt');\ngit('worktree', 'remove', '--force', process.cwd());` },
      { id: 'worktree-lock', script: `commit('c.txt');\ngit('worktree', 'lock', '--reason', 'mine now', process.cwd());` },
      // Commits, then waits until its branch has been moved by `mover`, and fails.
      { id: 'victim', script: `${WAIT_FOR}\ncommit('victim.txt');\nawait waitFor(path.join(notes, 'moved'));\nprocess.exit(1);` },
      {
        id: 'mover',
        script: `${WAIT_FOR}
await waitFor(path.join(notes, 'made', 'victim'));
const run = env.CCWAVE_RUN_ID;
const branches = git('for-each-ref', '--format=%(refname)', 'refs/heads/ccwave/').split('\\n');
const victimBranch = branches.find((b) => b.endsWith('/w1/victim'));
const integration = branches.find((b) => b.endsWith('/integration'));
const fork = git('rev-parse', 'HEAD');
const victimSha = fs.readFileSync(path.join(notes, 'made', 'victim'), 'utf8').trim();
const mine = commit('smuggled.txt', 'not reviewed, not tested\\n');
// Another task's branch back to the fork point, the integration branch onto unmerged work,
// the branch the next wave's task would get, and refs in ccwave's own namespace.
git('update-ref', victimBranch, fork);
git('update-ref', integration, mine);
git('update-ref', victimBranch.replace('/w1/victim', '/w2/later'), mine);
git('update-ref', 'refs/ccwave/kept/' + run + '/victim/' + victimSha, fork);
git('update-ref', 'refs/ccwave/archive/ccwave/' + run + '/w1/victim', fork);
fs.writeFileSync(path.join(notes, 'moved'), '');
git('reset', '-q', '--hard', fork);
commit('mover.txt');`,
      },
    ];
    const repo = hostileRepo([wave1, [{ id: 'later', script: `commit('later.txt');` }]]);
    const result = await repo.run();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    const state = repo.runState();
    const outcome = outcomes(state);
    expect(outcome).toEqual({
      'rm-worktree': expect.stringMatching(/^failed: its worktree was deleted/),
      'worktree-remove': expect.stringMatching(/^failed: its worktree was deleted/),
      'worktree-lock': expect.stringMatching(/^done/),
      victim: expect.stringMatching(/^failed: the command exited with code 1/),
      mover: expect.stringMatching(/^done/),
      later: expect.stringMatching(/^done/),
    });
    // The integration branch (and so main) holds only merged, tested work.
    expect(repo.git('ls-tree', '--name-only', 'main')).not.toMatch(/smuggled/);
    expect(repo.git('log', '--format=%s', 'main')).not.toMatch(/smuggled/);
    expect(repo.git('show', 'main:later.txt')).toBe('later.txt');
    expect(repo.git('show', 'main:mover.txt')).toBe('mover.txt');
    expect(result.stdout).toMatch(/repair: integration-restored/);
    expect(readFileSync(repo.sentinel, 'utf8')).toBe("the user's own file\n");
    expect(repo.git('status', '--porcelain')).toBe('');
    expect(existsSync(path.join(repo.dir, 'smuggled.txt'))).toBe(false);
    expect(unreachable(repo, ['rm-worktree', 'worktree-remove', 'worktree-lock', 'victim', 'mover', 'later'])).toEqual([]);
  });

  it('an agent that moves the integration branch while resolving a merge conflict cannot smuggle work in', async () => {
    const second = `
const prompt = fs.readFileSync(env.CCWAVE_PROMPT_FILE, 'utf8');
const handBack = /could not merge your branch[^]*commit ([0-9a-f]{40})/.exec(prompt);
if (!handBack) {
  commit('shared.txt', 'two\\n');
} else {
  const integration = git('for-each-ref', '--format=%(refname)', 'refs/heads/ccwave/').split('\\n').find((b) => b.endsWith('/integration'));
  const mine = commit('smuggled.txt', 'not reviewed\\n');
  git('update-ref', integration, mine);
  git('reset', '-q', '--hard', 'HEAD~1');
  try { git('merge', '-q', '--no-edit', handBack[1]); } catch {}
  write('shared.txt', 'one and two\\n');
  git('add', 'shared.txt');
  git('commit', '-q', '--no-edit', '--no-verify');
  made(git('rev-parse', 'HEAD'));
}`;
    const repo = hostileRepo(
      [
        [
          { id: 'first', script: `commit('shared.txt', 'one\\n');` },
          { id: 'second', script: second },
        ],
      ],
      { concurrency: 2, merge: { onConflict: 'agent' } },
    );
    const result = await repo.run();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(repo.runState().tasks.second).toMatchObject({ status: 'done', merge: { status: 'merged' } });
    expect(repo.git('show', 'main:shared.txt')).toBe('one and two');
    expect(repo.git('ls-tree', '--name-only', 'main')).not.toMatch(/smuggled/);
    expect(result.stdout).toMatch(/repair: integration-restored/);
    expect(unreachable(repo, ['first', 'second'])).toEqual([]);
  });

  it('an agent that writes into the integration worktree changes nothing that lands', async () => {
    const intruder = `
const list = git('worktree', 'list', '--porcelain').split('\\n\\n');
const integration = list.map((w) => w.split('\\n')[0].slice('worktree '.length)).find((p) => p.includes('integration'));
fs.writeFileSync(path.join(integration, 'README.md'), 'defaced\\n');
fs.writeFileSync(path.join(integration, 'clash.txt'), 'planted\\n');
fs.writeFileSync(path.join(integration, 'extra.txt'), 'planted\\n');
commit('intruder.txt');`;
    const repo = hostileRepo(
      [
        [
          { id: 'intruder', script: intruder },
          { id: 'clash', script: `commit('clash.txt', 'real\\n');` },
        ],
      ],
      {
        concurrency: 2,
        test: 'test "$(cat README.md)" = "# sample"',
      },
    );
    const result = await repo.run();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(repo.git('show', 'main:README.md')).toBe('# sample');
    expect(repo.git('show', 'main:clash.txt')).toBe('real');
    expect(repo.git('ls-tree', '--name-only', 'main')).not.toMatch(/extra/);
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it("lock files an agent leaves in the user's repository stop the landing, not the run", async () => {
    const locker = `
const common = path.resolve(git('rev-parse', '--git-common-dir'));
fs.writeFileSync(path.join(common, 'index.lock'), '');
commit('locker.txt');`;
    const repo = hostileRepo([[{ id: 'locker', script: locker }]]);
    const before = repo.git('rev-parse', 'main');
    const result = await repo.run();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/wave 1 was not landed on main: git refused: .*index\.lock': File exists/);
    expect(result.stdout).toMatch(/to land it: git -C \S+ merge --ff-only ccwave\//);
    expect(repo.git('rev-parse', 'main')).toBe(before);
    expect(repo.runState().tasks.locker).toMatchObject({ status: 'done', merge: { status: 'merged' } });
  });
});
