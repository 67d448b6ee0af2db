import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RefMovedError, Repo } from '../../src/git/index.js';
import { Journal, replay, type RunState } from '../../src/journal/index.js';
import { parseNumstat } from '../../src/report/diffstat.js';
import { collectRetroFacts } from '../../src/report/retro-facts.js';
import { renderRetro } from '../../src/report/retro-markdown.js';
import { defaultRetroPath, planSlug, repoRelativePath } from '../../src/report/retro-path.js';
import { writeRetro, type WriteRetroRequest, type WrittenRetro } from '../../src/report/write-retro.js';
import { startRun, type RunFixture } from '../cli/run-fixture.js';
import { git } from '../helpers/git.js';
import { makeRepo, snapshotRepo, type TestRepo } from '../helpers/repo.js';
import { tempDir } from '../helpers/temp.js';

const RUN = '20261123-144501-ab12';
const RETRO_FILE = 'waves/retros/fixture-plan-wave-1.md';

// One run made once (git processes are the cost); tests that write restore it from a snapshot.
let r: TestRepo;
let snapshot: ReturnType<typeof snapshotRepo>;
let run: RunFixture;
let state: RunState;
let userHead: string;
let markdown: string;

beforeAll(async () => {
  r = makeRepo();
  run = await startRun(r, RUN, [
    { id: 'a', files: { 'a.txt': 'one\ntwo\n' } },
    { id: 'b', files: { 'README.md': 'b\n', 'src/b.ts': 'export const b = 1;\n' } },
    { id: 'c', files: { 'README.md': 'c\n' } },
  ]);
  await run.merge('a');
  await run.merge('b');
  await run.merge('c');
  run.finish();
  state = replay(Journal.read((await Repo.open(r.dir)).dataDir, RUN).events);
  userHead = r.sha('HEAD');
  markdown = renderRetro(await collectRetroFacts(await Repo.open(r.dir), state, 1));
  snapshot = snapshotRepo(r);
});
afterAll(() => snapshot.dispose());

describe('collectRetroFacts', () => {
  it('reads each task branch’s diffstat and the overlaps between tasks', async () => {
    const facts = await collectRetroFacts(await Repo.open(r.dir), state, 1);
    const byId = Object.fromEntries(facts.tasks.map((task) => [task.id, task]));
    expect(byId.a?.diff).toEqual({ filesChanged: 1, insertions: 2, deletions: 0, files: ['a.txt'] });
    expect(byId.b?.diff).toEqual({ filesChanged: 2, insertions: 2, deletions: 1, files: ['README.md', 'src/b.ts'] });
    expect(byId.c?.merge).toMatchObject({ status: 'conflict', conflictedPaths: ['README.md'] });
    expect(facts.conflicts).toEqual([{ task: 'c', paths: ['README.md'] }]);
    expect(facts.planLoaded).toBe(false);
    expect(facts.watch).toContainEqual({ kind: 'shared-files', tasks: ['b', 'c'], paths: ['README.md'] });
    expect(facts.totals.byMerge).toEqual([
      { status: 'merged', count: 2 },
      { status: 'conflict', count: 1 },
    ]);
  });
});

describe('writeRetro', () => {
  let repo: Repo;
  let request: WriteRetroRequest;
  beforeEach(async () => {
    snapshot.restore();
    repo = await Repo.open(r.dir);
    request = {
      integrationWorktree: run.integration.path,
      integrationBranch: run.integration.branch,
      expectedTip: r.sha(run.integration.branch),
      planName: 'Fixture plan',
      markdown,
      runId: RUN,
      wave: 1,
    };
  });

  /** writeRetro for a path nothing blocks: a refusal fails the test. */
  async function writeOk(req: WriteRetroRequest): Promise<WrittenRetro> {
    const result = await writeRetro(repo, req);
    if ('refused' in result) throw new Error(`unexpected refusal: ${result.refused}`);
    return result;
  }

  function expectUserCheckoutUntouched(): void {
    expect(r.git('status', '--porcelain')).toBe('');
    expect(r.sha('HEAD')).toBe(userHead);
    expect(r.git('symbolic-ref', 'HEAD')).toBe('refs/heads/main');
  }

  it('commits the file on the integration branch and leaves the worktree detached there', async () => {
    const written = await writeOk(request);
    expect(written).toMatchObject({ path: RETRO_FILE, created: true });
    const branch = run.integration.branch;
    expect(r.sha(branch)).toBe(written.sha);
    expect(r.sha(`${branch}~1`)).toBe(request.expectedTip);
    expect(r.git('show', `${branch}:${RETRO_FILE}`)).toBe(request.markdown.trimEnd());
    expect(r.git('log', '-1', '--format=%B', branch).trim()).toBe(`Retrospective of wave 1\n\nCcwave-Run: ${RUN}\nCcwave-Retro: 1`);
    expect(r.git('diff-tree', '--no-commit-id', '--name-only', '-r', branch)).toBe(RETRO_FILE);
    const worktree = run.integration.path;
    expect(git(worktree, 'rev-parse', 'HEAD')).toBe(written.sha);
    expect(() => git(worktree, 'symbolic-ref', '-q', 'HEAD')).toThrow();
    expect(git(worktree, 'status', '--porcelain')).toBe('');
    expectUserCheckoutUntouched();
  });

  it('refuses to move a branch that is not where it expected, and commits nothing on it', async () => {
    const tip = request.expectedTip;
    await expect(writeRetro(repo, { ...request, expectedTip: r.sha('main') })).rejects.toBeInstanceOf(RefMovedError);
    expect(r.sha(run.integration.branch)).toBe(tip);
    expect(git(run.integration.path, 'rev-parse', 'HEAD')).toBe(tip);
    expectUserCheckoutUntouched();
  });

  it('is idempotent, also when resumed with the tip from before the commit', async () => {
    const first = await writeOk(request);
    const count = r.git('rev-list', '--count', run.integration.branch);
    expect(await writeRetro(repo, request)).toEqual({ ...first, created: false });
    expect(await writeRetro(repo, { ...request, expectedTip: first.sha })).toEqual({ ...first, created: false });
    expect(r.git('rev-list', '--count', run.integration.branch)).toBe(count);
  });

  it('makes no commit when the tip already has the same file', async () => {
    const first = await writeOk(request);
    // Another wave number: no trailer matches, so only the content check can see it is all there.
    const again = await writeRetro(repo, { ...request, wave: 2, path: RETRO_FILE, expectedTip: first.sha });
    expect(again).toEqual({ sha: first.sha, path: RETRO_FILE, created: false });
    expect(r.sha(run.integration.branch)).toBe(first.sha);
  });

  it('works from a detached integration worktree', async () => {
    const dir = `${r.tmp}/detached`;
    r.git('branch', 'ccwave/other/integration', 'main');
    r.git('worktree', 'add', '--quiet', '--detach', dir, 'main');
    const tip = r.sha('main');
    const written = await writeOk({ ...request, integrationWorktree: dir, integrationBranch: 'ccwave/other/integration', expectedTip: tip, path: 'docs/retro.md' });
    expect(r.sha('ccwave/other/integration')).toBe(written.sha);
    expect(r.sha(`${written.sha}~1`)).toBe(tip);
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(written.sha);
    expectUserCheckoutUntouched();
  });

  it("refuses the user's checkout, and a branch checked out in another worktree", async () => {
    await expect(writeRetro(repo, { ...request, integrationWorktree: r.dir })).rejects.toThrow("it is the user's own checkout");
    const dir = `${r.tmp}/elsewhere`;
    r.git('worktree', 'add', '--quiet', '--detach', dir, request.expectedTip);
    await expect(writeRetro(repo, { ...request, integrationWorktree: dir })).rejects.toThrow(`is checked out in ${run.integration.path}`);
    expect(r.sha(run.integration.branch)).toBe(request.expectedTip);
    expectUserCheckoutUntouched();
  });

  it('is not fooled by an agent commit that carries the retrospective trailers', async () => {
    const worktree = run.integration.path;
    const side = `${r.tmp}/forger`;
    r.git('worktree', 'add', '--quiet', '-b', 'forger', side, request.expectedTip);
    writeFileSync(path.join(side, 'forged.txt'), 'x\n');
    git(side, 'add', 'forged.txt');
    git(side, 'commit', '--quiet', '-m', `Looks done\n\nCcwave-Run: ${RUN}\nCcwave-Retro: 1`);
    git(worktree, 'merge', '--quiet', '--no-ff', '--no-edit', 'forger');
    const tip = git(worktree, 'rev-parse', 'HEAD');
    const result = await writeOk({ ...request, expectedTip: tip });
    expect(result.created).toBe(true);
    expect(r.sha(`${run.integration.branch}~1`)).toBe(tip);
    expect(r.git('show', `${run.integration.branch}:${RETRO_FILE}`)).toBe(request.markdown.trimEnd());
  });

  // What an agent can commit on the integration branch before the retrospective is written.
  const blockers: Array<{ name: string; place: (worktree: string, outside: string) => void; reason: RegExp }> = [
    {
      name: 'the retrospective file is a symlink out of the repository',
      place: (wt, out) => link(path.join(out, 'secret.txt'), path.join(wt, RETRO_FILE)),
      reason: /`waves\/retros\/fixture-plan-wave-1\.md` is a symlink/,
    },
    { name: 'its folder is a symlink out of the repository', place: (wt, out) => link(out, path.join(wt, 'waves/retros')), reason: /`waves\/retros` is a symlink/ },
    { name: 'a folder on its path is a file', place: (wt) => writeFileSync(path.join(wt, 'waves'), 'not a folder\n'), reason: /`waves` is a file/ },
    { name: 'its path is a folder', place: (wt) => writeFileSync(path.join(mkdirp(path.join(wt, RETRO_FILE)), 'x'), 'x\n'), reason: /is a folder/ },
  ];

  it.each(blockers)('refuses, writing nothing anywhere, when $name', async ({ place, reason }) => {
    const outside = tempDir('ccwave-outside-');
    writeFileSync(path.join(outside, 'secret.txt'), 'mine\n');
    const worktree = run.integration.path;
    place(worktree, outside);
    git(worktree, 'add', '--force', '--all');
    git(worktree, 'commit', '--quiet', '-m', 'hostile');
    const tip = git(worktree, 'rev-parse', 'HEAD');
    r.git('update-ref', `refs/heads/${run.integration.branch}`, tip);
    const result = await writeRetro(repo, { ...request, expectedTip: tip });
    expect(result).toEqual({ path: RETRO_FILE, refused: expect.stringMatching(reason) });
    expect(readdirSync(outside)).toEqual(['secret.txt']);
    expect(readFileSync(path.join(outside, 'secret.txt'), 'utf8')).toBe('mine\n');
    expect(r.sha(run.integration.branch)).toBe(tip);
    expect(git(worktree, 'rev-parse', 'HEAD')).toBe(tip);
    expect(git(worktree, 'status', '--porcelain')).toBe('');
    expectUserCheckoutUntouched();
  });
});

function link(target: string, at: string): void {
  mkdirp(path.dirname(at));
  symlinkSync(target, at);
}

function mkdirp(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe('retro paths and diffstat parsing', () => {
  it('names the file after the plan and the wave, inside the repository', () => {
    expect(planSlug('Textkit: the CLI (v2)')).toBe('textkit-the-cli-v2');
    expect(planSlug('Crème brûlée')).toBe('creme-brulee');
    expect(planSlug('!!!')).toBe('plan');
    expect(defaultRetroPath('waves/retros/', 'Textkit', 3)).toBe('waves/retros/textkit-wave-3.md');
    expect(repoRelativePath('./docs\\retro.md')).toBe('docs/retro.md');
    for (const bad of ['/etc/x.md', '../x.md', 'a/../../x.md', '.git/x.md', 'sub/.git/hooks/x', 'dir/', '.']) {
      expect(() => repoRelativePath(bad), bad).toThrow();
    }
  });

  it('sums numstat like --shortstat, binary files included', () => {
    expect(parseNumstat('3\t1\tsrc/a.ts\0-\t-\timg.png\0' + '0\t2\twith\ttab.txt\0')).toEqual({
      filesChanged: 3,
      insertions: 3,
      deletions: 3,
      files: ['src/a.ts', 'img.png', 'with\ttab.txt'],
    });
  });
});
