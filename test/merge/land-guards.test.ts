import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Repo } from '../../src/git/index.js';
import { Journal, initialRunState } from '../../src/journal/index.js';
import { landBase } from '../../src/merge/land.js';
import { RunRecorder } from '../../src/journal/recorder.js';
import { git } from '../helpers/git.js';
import { makeRepo, type TestRepo } from '../helpers/repo.js';

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

const IGNORES = '.env\n*.local\nbuild/\nout\ndata\ncache/\n';

/**
 * A repository whose `main` ignores a few paths, and a `result` branch one commit ahead that
 * (as a hostile agent could) force-adds `files` and removes `remove`.
 */
async function setup(files: Record<string, string | { symlink: string }>, options: { onMain?: Record<string, string>; remove?: string[] } = {}) {
  const r = makeRepo();
  repos.push(r);
  r.commit({ '.gitignore': IGNORES, ...options.onMain }, 'ignores');
  const remove = options.remove ?? [];
  const start = r.sha('main');
  const work = path.join(r.tmp, 'work');
  r.git('worktree', 'add', '--quiet', '-b', 'result', work, 'main');
  if (remove.length > 0) git(work, 'rm', '--quiet', '-r', '--', ...remove);
  for (const [file, content] of Object.entries(files)) {
    const absolute = path.join(work, file);
    mkdirSync(path.dirname(absolute), { recursive: true });
    if (typeof content === 'string') writeFileSync(absolute, content);
    else symlinkSync(content.symlink, absolute);
  }
  if (Object.keys(files).length > 0) git(work, 'add', '--force', '--', ...Object.keys(files));
  git(work, 'commit', '--quiet', '--allow-empty', '-m', 'the wave');
  const tip = r.sha('HEAD', work);
  // The worktree has done its job; `result` stays as the integration branch.
  r.git('worktree', 'remove', '--force', work);
  const repo = await Repo.open(r.dir);
  const recorder = new RunRecorder(Journal.create(repo.dataDir, '20261123-160000-abcd'), initialRunState());
  return { r, repo, recorder, tip, start };
}

/** Every file under `dir` (symlinks not followed) with its content, so "unchanged" is byte-for-byte. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string): void => {
    const absolute = path.join(dir, rel);
    const stat = lstatSync(absolute);
    if (stat.isSymbolicLink()) out[rel] = `-> ${readlinkSync(absolute)}`;
    else if (stat.isDirectory()) for (const name of execFileSync('ls', ['-A', absolute], { encoding: 'utf8' }).split('\n').filter(Boolean)) walk(path.join(rel, name));
    else out[rel] = readFileSync(absolute, 'latin1');
  };
  walk('.');
  return out;
}

function userFiles(r: TestRepo): Record<string, string> {
  return Object.fromEntries(Object.entries(snapshot(r.dir)).filter(([file]) => !file.startsWith('.git/')));
}

describe('landing never overwrites a file git does not track', () => {
  const refusals: Array<{
    name: string;
    agent: Record<string, string | { symlink: string }>;
    options?: Parameters<typeof setup>[1];
    user: (r: TestRepo) => void;
    named: string;
  }> = [
    {
      name: 'an ignored file inside a tracked folder the agent turned into a file',
      agent: { tools: 'now a file\n' },
      options: { onMain: { 'tools/run.sh': 'echo\n' }, remove: ['tools'] },
      user: (r) => writeFileSync(path.join(r.dir, 'tools/my.local'), 'mine\n'),
      named: 'tools/my.local',
    },
    {
      name: 'an ignored .env the agent force-added',
      agent: { '.env': 'SECRET=agent\n' },
      user: (r) => writeFileSync(path.join(r.dir, '.env'), 'SECRET=mine\n'),
      named: '.env',
    },
    {
      name: 'an ignored local file the agent committed over',
      agent: { 'app/settings.local': 'agent\n' },
      user: (r) => {
        mkdirSync(path.join(r.dir, 'app'));
        writeFileSync(path.join(r.dir, 'app/settings.local'), 'mine\n');
      },
      named: 'app/settings.local',
    },
    {
      name: 'an ignored directory where the agent put a file',
      agent: { build: 'not a folder\n' },
      user: (r) => {
        mkdirSync(path.join(r.dir, 'build'));
        writeFileSync(path.join(r.dir, 'build/output.bin'), 'compiled\n');
      },
      named: 'build/output.bin',
    },
    {
      name: 'an ignored file where the agent needs a directory',
      agent: { 'out/report.txt': 'agent\n' },
      user: (r) => writeFileSync(path.join(r.dir, 'out'), 'my notes\n'),
      named: 'out',
    },
    {
      name: 'an ignored symlink the agent would write through',
      agent: { 'data/x.txt': 'agent\n' },
      user: (r) => {
        mkdirSync(path.join(r.tmp, 'elsewhere'));
        writeFileSync(path.join(r.tmp, 'elsewhere/keep.txt'), 'outside\n');
        symlinkSync(path.join(r.tmp, 'elsewhere'), path.join(r.dir, 'data'));
      },
      named: 'data',
    },
    {
      name: 'an ignored file the agent replaces with a symlink',
      agent: { 'cache/key': { symlink: '/etc/passwd' } },
      user: (r) => {
        mkdirSync(path.join(r.dir, 'cache'));
        writeFileSync(path.join(r.dir, 'cache/key'), 'my key\n');
      },
      named: 'cache/key',
    },
  ];

  for (const { name, agent, options, user, named } of refusals) {
    it(`refuses ${name}, leaving base and the file as they were`, async () => {
      const { r, repo, recorder, start } = await setup(agent, options);
      user(r);
      const before = userFiles(r);
      const outside = existsSync(path.join(r.tmp, 'elsewhere')) ? snapshot(path.join(r.tmp, 'elsewhere')) : undefined;
      const outcome = await landBase(repo, recorder, 'main', 'result');
      expect(outcome).toMatchObject({ landed: false, command: expect.stringContaining('result') });
      expect(outcome.landed === false && outcome.why).toContain(named);
      expect(r.sha('main')).toBe(start);
      expect(userFiles(r)).toEqual(before);
      if (outside) expect(snapshot(path.join(r.tmp, 'elsewhere'))).toEqual(outside);
      expect(recorder.state.land).toBeUndefined();
      // The journal says so, for `ccwave status` and whoever reads the run later.
      expect(recorder.state.landRefusal).toEqual({ branch: 'main', why: outcome.landed ? '' : outcome.why, command: outcome.landed ? '' : outcome.command, at: expect.any(String) });
    });
  }

  it('refuses when git was told to look away from local changes (assume-unchanged, skip-worktree)', async () => {
    for (const flag of ['--assume-unchanged', '--skip-worktree']) {
      const { r, repo, recorder, start } = await setup({ 'config.json': '{"owner":"agent"}\n' }, { onMain: { 'config.json': '{}\n' } });
      writeFileSync(path.join(r.dir, 'config.json'), '{"secret":"mine"}\n');
      r.git('update-index', flag, 'config.json');
      expect(r.git('status', '--porcelain')).toBe('');
      const outcome = await landBase(repo, recorder, 'main', 'result');
      expect(outcome).toMatchObject({ landed: false, why: expect.stringContaining('config.json') });
      expect(r.sha('main')).toBe(start);
      expect(readFileSync(path.join(r.dir, 'config.json'), 'utf8')).toBe('{"secret":"mine"}\n');
      expect(recorder.state.land).toBeUndefined();
    }
  });

  it('still lands when ignored files are only beside what changes', async () => {
    const { r, repo, recorder, tip } = await setup({ 'build/readme.txt': 'tracked now\n', 'src/new.ts': 'x\n' });
    mkdirSync(path.join(r.dir, 'build'));
    writeFileSync(path.join(r.dir, 'build/output.bin'), 'compiled\n');
    writeFileSync(path.join(r.dir, '.env'), 'SECRET=mine\n');
    expect(await landBase(repo, recorder, 'main', 'result')).toMatchObject({ landed: true, how: 'checkout' });
    expect(r.sha('main')).toBe(tip);
    expect(readFileSync(path.join(r.dir, 'build/output.bin'), 'utf8')).toBe('compiled\n');
    expect(readFileSync(path.join(r.dir, '.env'), 'utf8')).toBe('SECRET=mine\n');
  });

  it('lands a tracked file turned into a folder: nothing of the user is in the way', async () => {
    const { r, repo, recorder, tip } = await setup({ 'notes/today.txt': 'folder now\n' }, { onMain: { notes: 'a file\n' }, remove: ['notes'] });
    expect(await landBase(repo, recorder, 'main', 'result')).toMatchObject({ landed: true, how: 'checkout' });
    expect(r.sha('main')).toBe(tip);
    expect(readFileSync(path.join(r.dir, 'notes/today.txt'), 'utf8')).toBe('folder now\n');
  });
});

describe('a git operation on base in any worktree holds it', () => {
  /** `main` checked out in a second worktree; the user's own checkout is on another branch. */
  async function withSecondCheckout(folder = 'second') {
    const s = await setup({ 'feature.txt': 'done\n' });
    s.r.git('switch', '--quiet', '-c', 'elsewhere');
    const second = path.join(s.r.tmp, folder);
    s.r.git('worktree', 'add', '--quiet', second, 'main');
    return { ...s, second };
  }

  /** Runs git where it is expected to stop half-way (a non-zero exit is the point). */
  function gitStops(cwd: string, args: string[]): void {
    expect(() => git(cwd, ...args)).toThrow();
  }

  async function expectRefused(s: Awaited<ReturnType<typeof setup>>, words: string) {
    const outcome = await landBase(s.repo, s.recorder, 'main', 'result');
    expect(outcome).toMatchObject({ landed: false, command: expect.stringContaining('result') });
    expect(outcome.landed === false && outcome.why).toContain(words);
    expect(s.r.sha('main')).toBe(s.start);
    expect(s.recorder.state.land).toBeUndefined();
  }

  it('a rebase of base stopped half-way, HEAD detached, in a folder named with a newline', async () => {
    const s = await withSecondCheckout('my\nwork tree');
    // --exec false stops after the first pick, as a conflict would, with HEAD detached.
    gitStops(s.second, ['rebase', '--exec', 'false', 'HEAD~1']);
    expect(s.r.git('worktree', 'list', '--porcelain')).toContain('detached');
    await expectRefused(s, 'rebase');
    git(s.second, 'rebase', '--abort');
    expect(git(s.second, 'symbolic-ref', 'HEAD')).toBe('refs/heads/main');
  });

  it('a rebase of another branch that will update base (--update-refs)', async () => {
    const s = await withSecondCheckout();
    git(s.second, 'switch', '--quiet', '--detach');
    git(s.second, 'switch', '--quiet', '-c', 'topic');
    s.r.commit({ 'topic.txt': 'x\n' }, 'topic', s.second);
    gitStops(s.second, ['rebase', '--update-refs', '--exec', 'false', 'HEAD~2']);
    expect(readFileSync(path.join(s.r.dir, '.git/worktrees/second/rebase-merge/update-refs'), 'utf8')).toContain('refs/heads/main');
    await expectRefused(s, 'rebase');
  });

  it('a bisect started from base, the user testing an older commit (HEAD detached)', async () => {
    const s = await withSecondCheckout();
    git(s.second, 'bisect', 'start');
    git(s.second, 'bisect', 'bad');
    git(s.second, 'checkout', '--quiet', '--detach', 'HEAD~1');
    await expectRefused(s, 'bisect');
  });

  it('a merge stopped in a checkout of base', async () => {
    const s = await withSecondCheckout();
    git(s.r.dir, 'switch', '--quiet', '-c', 'side', 'main~1');
    s.r.commit({ '.gitignore': 'other\n' }, 'clash', s.r.dir);
    gitStops(s.second, ['merge', 'side']);
    await expectRefused(s, 'merge');
  });

  it('base checked out in two worktrees at once', async () => {
    const s = await withSecondCheckout();
    const third = path.join(s.r.tmp, 'third');
    s.r.git('worktree', 'add', '--quiet', '--force', third, 'main');
    await expectRefused(s, 'checked out in 2 places');
  });
});

describe('base must still be where the run left it', () => {
  function started(s: Awaited<ReturnType<typeof setup>>): void {
    s.recorder.record({
      type: 'run-started',
      runId: '20261123-160000-abcd',
      planFile: 'WAVES.md',
      planName: 'plan',
      base: { branch: 'main', sha: s.start },
      integration: { branch: 'result', worktree: path.join(s.r.tmp, 'integration') },
      settings: {},
      waves: [],
    });
  }

  it('refuses a base deleted and made again at an older commit during the run', async () => {
    const s = await setup({ 'feature.txt': 'done\n' });
    started(s);
    s.r.git('switch', '--quiet', '-c', 'elsewhere');
    s.r.git('branch', '-D', 'main');
    s.r.git('branch', 'main', `${s.start}~1`);
    const outcome = await landBase(s.repo, s.recorder, 'main', 'result');
    expect(outcome).toMatchObject({ landed: false, why: expect.stringContaining('moved back during the run') });
    expect(s.r.sha('main')).toBe(s.r.sha(`${s.start}~1`));
  });

  it('lands a base made again at the same commit, and after an earlier landing', async () => {
    const s = await setup({ 'feature.txt': 'done\n' });
    started(s);
    s.r.git('switch', '--quiet', '-c', 'elsewhere');
    s.r.git('branch', '-D', 'main');
    s.r.git('branch', 'main', s.start);
    expect(await landBase(s.repo, s.recorder, 'main', 'result')).toMatchObject({ landed: true, how: 'ref' });
    s.r.git('switch', '--quiet', '--detach', 'result');
    const next = s.r.commit({ 'wave2.txt': '2\n' }, 'wave 2');
    s.r.git('branch', '--force', 'result', next);
    expect(await landBase(s.repo, s.recorder, 'main', 'result')).toMatchObject({ landed: true, sha: next });
  });

  it("refuses when base's checkout folder was deleted by hand", async () => {
    const s = await setup({ 'feature.txt': 'done\n' });
    s.r.git('switch', '--quiet', '-c', 'elsewhere');
    const second = path.join(s.r.tmp, 'second');
    s.r.git('worktree', 'add', '--quiet', second, 'main');
    execFileSync('rm', ['-rf', second]);
    expect(await landBase(s.repo, s.recorder, 'main', 'result')).toMatchObject({ landed: false, why: expect.stringContaining('folder is gone') });
    expect(s.r.sha('main')).toBe(s.start);
  });
});

describe('only the tip the wave ended with lands', () => {
  it('refuses when the integration branch moved after the merge queue and retrospective', async () => {
    const s = await setup({ 'feature.txt': 'done\n' });
    s.r.git('switch', '--quiet', '-c', 'elsewhere');
    // Something left running (an agent's background process) moves the branch to an untested commit.
    s.r.git('switch', '--quiet', '--detach', s.tip);
    const untested = s.r.commit({ 'evil.txt': 'x\n' }, 'untested');
    s.r.git('update-ref', 'refs/heads/result', untested, s.tip);
    const outcome = await landBase(s.repo, s.recorder, 'main', 'result', { expectedTip: s.tip });
    expect(outcome).toMatchObject({ landed: false, why: expect.stringContaining('moved after the wave') });
    expect(s.r.sha('main')).toBe(s.start);
    expect(s.recorder.state.land).toBeUndefined();
    expect(await landBase(s.repo, s.recorder, 'main', 'result', { expectedTip: untested })).toMatchObject({ landed: true, sha: untested });
  });
});
