import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { journal, spawnCcwave } from '../run/plan-repo.js';
import { outcomes, hostileRepo, unreachable } from './hostile-repo.js';

const HOOKS = ['pre-commit', 'post-commit', 'post-checkout', 'post-merge', 'reference-transaction', 'pre-auto-gc', 'post-rewrite'];

describe("agents that change the repository's git config, hooks or commit git internals", () => {
  it("ccwave's own git commands run none of it, the config and hooks are restored, and the tasks say so", async () => {
    const agents = [
      {
        id: 'reconfig',
        script: `
commit('reconfig.txt');
const pwned = path.join(notes, 'pwned');
// Each notes when a process that is not the agent (ccwave, or the user later) runs it.
const mark = '#!/bin/sh\\n[ -n "$CCWAVE_TASK_ID" ] || echo "$PWD $0" >> ' + JSON.stringify(pwned) + '\\n';
const hook = mark + 'exit 0\\n';
const dir = path.join(notes, 'hooks');
fs.mkdirSync(dir, { recursive: true });
for (const name of ${JSON.stringify(HOOKS)}) fs.writeFileSync(path.join(dir, name), hook, { mode: 0o755 });
// An fsmonitor that never answers ccwave: it once froze the run for good.
const fsmonitor = path.join(notes, 'fsmonitor');
fs.writeFileSync(fsmonitor, mark + '[ -n "$CCWAVE_TASK_ID" ] || sleep 1000\\n', { mode: 0o755 });
const filter = path.join(notes, 'filter');
fs.writeFileSync(filter, mark + 'exec cat\\n', { mode: 0o755 });
const common = path.resolve(git('rev-parse', '--git-common-dir'));
for (const name of ${JSON.stringify(HOOKS)}) fs.writeFileSync(path.join(common, 'hooks', name), hook, { mode: 0o755 });
git('config', 'core.hooksPath', dir);
git('config', 'core.fsmonitor', fsmonitor);
git('config', 'user.email', 'evil@example.com');
git('config', 'filter.evil.smudge', filter);
git('config', 'filter.evil.clean', filter);
// Lets \`filtered\` commit under this config, and stays until it has.
fs.writeFileSync(path.join(notes, 'configured'), '');
while (!fs.existsSync(path.join(notes, 'filtered-done'))) await new Promise((r) => setTimeout(r, 20));`,
      },
      // A tree git refuses to check out (a .git folder inside), built by hand: its index can never
      // match it, so it ends with uncommitted changes, and is never merged.
      {
        id: 'dot-git-tree',
        script:
          `
const blob = git('hash-object', '-w', '--stdin', '--path=x'); 
`.replace("git('hash-object', '-w', '--stdin', '--path=x')", "cp.execFileSync('git', ['hash-object', '-w', '--stdin'], { input: '[core]\\\\n\\\\thooksPath = /tmp\\\\n', encoding: 'utf8' }).trim()") +
          `
const inner = cp.execFileSync('git', ['mktree'], { input: '100644 blob ' + blob + '\\tconfig\\n', encoding: 'utf8' }).trim();
const dotgit = cp.execFileSync('git', ['mktree', '--missing'], { input: '040000 tree ' + inner + '\\t.git\\n', encoding: 'utf8' }).trim();
const head = git('rev-parse', 'HEAD');
const top = git('ls-tree', 'HEAD');
const tree = cp.execFileSync('git', ['mktree'], { input: top + '\\n040000 tree ' + dotgit + '\\tsub\\n', encoding: 'utf8' }).trim();
const sha = made(git('commit-tree', tree, '-p', head, '-m', 'a .git folder inside'));
git('update-ref', 'HEAD', sha);
// Ends after \`filtered\` has committed: the config is restored when the first of them ends.
while (!fs.existsSync(path.join(notes, 'filtered-done'))) await new Promise((r) => setTimeout(r, 20));`,
      },
      {
        id: 'filtered',
        script: `
while (!fs.existsSync(path.join(notes, 'configured'))) await new Promise((r) => setTimeout(r, 20));
commit('.gitattributes', '* filter=evil\\n');
commit('filtered.txt');
fs.writeFileSync(path.join(notes, 'filtered-done'), '');`,
      },
    ];
    // Submodules whose URL and update command would run programs, were anything to update them.
    const submodule = (update: string) => `
const marker = path.join(notes, 'pwned-submodule');
write('.gitmodules', '[submodule "x"]\\n\\tpath = x\\n\\turl = ext::sh -c touch% ' + marker + '\\n${update}');
git('add', '.gitmodules');
fs.mkdirSync('x');
git('update-index', '--add', '--cacheinfo', '160000,' + git('rev-parse', 'HEAD') + ',x');
git('commit', '-q', '--no-verify', '-m', 'a submodule');
made(git('rev-parse', 'HEAD'));
while (!fs.existsSync(path.join(notes, 'filtered-done'))) await new Promise((r) => setTimeout(r, 20));`;
    agents.push({ id: 'submodule', script: submodule('') });
    // git refuses a command in .gitmodules: even \`git status\` fails in that worktree.
    agents.push({ id: 'bad-gitmodules', script: submodule('\\tupdate = !touch ' + "' + marker + '" + '\\n') });
    const repo = hostileRepo([agents, [{ id: 'after', script: `commit('after.txt');` }]]);
    // The identity git gives the user's commits before any agent runs: the repository's config,
    // or GIT_AUTHOR_*/GIT_COMMITTER_* where the environment sets them (CI does).
    const email = (ident: string) => /<([^>]*)>/.exec(repo.git('var', ident))![1];
    const userIdentity = `${email('GIT_AUTHOR_IDENT')} ${email('GIT_COMMITTER_IDENT')}`;
    const result = await repo.run();
    expect(result.stderr).toBe('');
    const state = repo.runState();
    const outcome = outcomes(state);
    expect(outcome).toEqual({
      reconfig: expect.stringMatching(/^done/),
      'dot-git-tree': 'failed: the command exited leaving uncommitted changes',
      filtered: expect.stringMatching(/^done/),
      submodule: expect.stringMatching(/^done/),
      'bad-gitmodules': "failed: git failed in its worktree: fatal: invalid value for 'submodule.x.update'",
      after: expect.stringMatching(/^done/),
    });
    // While an agent runs, git in the worktrees of its wave (its own commands, ccwave's checks of
    // them) obeys the config it wrote; nowhere else, and never after its attempt ended.
    const ran = existsSync(path.join(repo.outside, 'pwned')) ? readFileSync(path.join(repo.outside, 'pwned'), 'utf8').split('\n').filter(Boolean) : [];
    expect(existsSync(path.join(repo.outside, 'pwned-submodule'))).toBe(false);
    expect(repo.git('ls-tree', 'main', 'x')).toMatch(/^160000 commit /);
    const wave1 = ['reconfig', 'dot-git-tree', 'filtered', 'submodule', 'bad-gitmodules'].map((id) => state.tasks[id]!.worktree!.path);
    expect(ran.filter((line) => !wave1.some((dir) => line.startsWith(`${dir} `)))).toEqual([]);
    expect(repo.git('config', '--list', '--local')).not.toMatch(/hookspath|fsmonitor|filter\.|evil/i);
    expect(repo.git('config', 'user.email')).toBe('test@example.com');
    // ccwave's own commits (merges, retrospectives) keep the user's identity.
    expect(userIdentity).not.toMatch(/evil/);
    expect([...new Set(repo.git('log', '--merges', '--format=%ae %ce', 'main').split('\n'))]).toEqual([userIdentity]);
    const hooks = readdirSync(path.join(repo.dir, '.git/hooks')).filter((name) => !name.endsWith('.sample'));
    expect(hooks).toEqual([]);
    // Agents run side by side: the change is noticed when the first of them ends, and said so.
    expect(result.stdout).toMatch(
      /repair: git-config-restored [a-z-]+: the repository's git config changed while it ran \(core\.hookspath, core\.fsmonitor, user\.email, filter\.evil\.smudge, filter\.evil\.clean\)/,
    );
    expect(result.stdout).toMatch(/repair: git-hooks-removed [a-z-]+: git hooks changed while it ran \(post-checkout, /);
    expect(repo.git('show', 'main:after.txt')).toBe('after.txt');
    expect(repo.git('status', '--porcelain')).toBe('');
    expect(
      unreachable(
        repo,
        agents.map((a) => a.id),
      ),
    ).toEqual([]);
  });

  it("an agent that starts while another agent's change is in force does not put that change back when it ends", async () => {
    const poisoned = `
const EVIL = '/nonexistent/evil-hooks';
const poisoned = () => { try { return git('config', 'core.hooksPath') === EVIL; } catch { return false; } };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const note = (name) => fs.writeFileSync(path.join(notes, name), '');
const noted = (name) => fs.existsSync(path.join(notes, name));`;
    const repo = hostileRepo(
      [
        [
          {
            id: 'poisoner',
            script: `${poisoned}
git('config', 'core.hooksPath', EVIL);
note('configured');
// Puts it back at once whenever ccwave takes it away, until the late agent has started under it.
while (!noted('late-started')) {
  if (!poisoned()) git('config', 'core.hooksPath', EVIL);
  await sleep(2);
}
commit('poisoner.txt');
note('poisoner-done');`,
          },
          {
            id: 'quick',
            script: `${poisoned}
while (!noted('configured')) await sleep(10);
commit('quick.txt');`,
          },
          {
            id: 'late',
            script: `${poisoned}
while (!poisoned()) await sleep(2);
note('late-started');
// Ends after the poisoner's end has put the config back.
while (!noted('poisoner-done') || poisoned()) await sleep(10);
commit('late.txt');`,
          },
        ],
      ],
      { concurrency: 2 },
    );
    const result = await repo.run();
    expect(result.stderr).toBe('');
    expect(outcomes(repo.runState())).toEqual({ poisoner: expect.stringMatching(/^done/), quick: expect.stringMatching(/^done/), late: expect.stringMatching(/^done/) });
    expect(repo.git('config', '--list', '--local')).not.toMatch(/hookspath/i);
    expect(result.stdout).toMatch(/repair: git-config-restored poisoner: the repository's git config changed while it ran \(core\.hookspath\)/);
  });

  it('a run resumed after a crash puts back the config a killed agent left in force before it checks anything out', async () => {
    const repo = hostileRepo([
      [
        {
          id: 'crasher',
          script: `
const mark = path.join(notes, 'poisoned');
if (!fs.existsSync(mark)) {
  git('config', 'core.hooksPath', '/nonexistent/evil-hooks');
  fs.writeFileSync(mark, '');
  setInterval(() => {}, 1 << 30);
} else {
  commit('crasher.txt');
}`,
        },
      ],
    ]);
    const first = spawnCcwave(repo, ['run', '--no-tui']);
    while (!existsSync(path.join(repo.outside, 'poisoned'))) await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGKILL');
    await first.exited;
    expect(repo.git('config', 'core.hooksPath')).toBe('/nonexistent/evil-hooks');
    const result = await repo.run();
    expect(result.stderr).toMatch(/^resuming run /);
    expect(result.status).toBe(0);
    expect(repo.git('config', '--list', '--local')).not.toMatch(/hookspath/i);
    const events = journal(repo);
    const resumed = events.findIndex((e) => e.type === 'run-resumed');
    const after = events.slice(resumed);
    const restored = after.findIndex((e) => e.type === 'repair' && e.action === 'git-config-restored');
    expect(after[restored]).toMatchObject({ detail: expect.stringMatching(/^the repository's git config changed since the run began \(core\.hookspath\): restored; the changed file is in /) });
    expect(after[restored]).not.toHaveProperty('task');
    // Before the resumed run did anything in a worktree.
    expect(after.slice(0, restored).map((e) => e.type)).toEqual(['run-resumed']);
  });

  it("the retrospective's lessons agent is held to the same: its processes die, the repository's config comes back", async () => {
    const repo = hostileRepo([[{ id: 'plain', script: `commit('plain.txt');` }]], { retro: { agent: true } });
    writeFileSync(
      path.join(repo.scripts, 'retro-wave-1.mjs'),
      `import cp from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
const sleeper = cp.spawn('sleep', ['1000'], { detached: true, stdio: 'ignore' });
sleeper.unref();
fs.writeFileSync(${JSON.stringify(path.join(repo.outside, 'retro-pid'))}, String(sleeper.pid));
// Its scratch repository lives inside the project's git dir: five folders up.
const gitDir = path.resolve(process.cwd(), '../../../../..');
cp.execFileSync('git', ['--git-dir=' + gitDir, 'config', 'core.hooksPath', '/tmp']);
fs.writeFileSync('LESSONS.md', '- Keep it small.\\n');
cp.execFileSync('git', ['add', 'LESSONS.md']);
cp.execFileSync('git', ['-c', 'user.name=a', '-c', 'user.email=a@b', 'commit', '-qm', 'lessons']);
`,
    );
    const result = await repo.run();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(repo.git('show', 'main:waves/retros/hostile-plan-wave-1.md')).toMatch(/Keep it small/);
    const pid = Number(readFileSync(path.join(repo.outside, 'retro-pid'), 'utf8'));
    expect(existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0] : 'gone').toMatch(/gone|Z/);
    expect(repo.git('config', '--list', '--local')).not.toMatch(/hookspath/i);
    expect(result.stdout).toMatch(/repair: agent-processes-killed retro-wave-1: killed 1 process/);
    expect(result.stdout).toMatch(/repair: git-config-restored retro-wave-1: .*core\.hookspath/);
  });
});
