import { afterEach, describe, expect, it } from 'vitest';
import {
  casUpdateRef,
  commitsOnlyIn,
  currentBranch,
  deleteRef,
  isAncestor,
  isValidRefName,
  listRefs,
  readRef,
  RefMovedError,
  refsContaining,
  Repo,
  revParse,
  sanitizeComponent,
  taskBranchName,
  integrationBranchName,
  archiveRefName,
  runIdOfBranch,
  uniqueBranchName,
  updateRef,
  Mutex,
} from '../../src/git/index.js';
import { git } from '../helpers/git.js';
import { makeRepo, type TestRepo } from '../helpers/repo.js';

let repo: TestRepo | undefined;
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
});

async function setup(): Promise<{ r: TestRepo; opened: Repo; first: string; second: string }> {
  const r = makeRepo();
  repo = r;
  const first = r.sha('HEAD');
  const second = r.commit({ 'b.txt': 'b\n' }, 'second');
  return { r, opened: await Repo.open(r.dir), first, second };
}

describe('compare-and-swap refs', () => {
  it('creates, moves and deletes a ref only from the expected value', async () => {
    const { r, opened, first, second } = await setup();
    await updateRef(opened, { ref: 'refs/heads/x', newSha: first, oldSha: null, reason: 'test' });
    expect(r.sha('x')).toBe(first);
    await updateRef(opened, { ref: 'refs/heads/x', newSha: second, oldSha: first, reason: 'test' });
    expect(r.sha('x')).toBe(second);
    await deleteRef(opened, 'refs/heads/x', second, 'test');
    expect(await readRef(opened.git, 'refs/heads/x')).toBeUndefined();
  });

  it('refuses to move a ref whose old value is wrong', async () => {
    const { r, opened, first, second } = await setup();
    r.git('branch', 'x', first);
    const error = await updateRef(opened, { ref: 'refs/heads/x', newSha: second, oldSha: second, reason: 't' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefMovedError);
    expect((error as RefMovedError).actual).toBe(first);
    expect(r.sha('x')).toBe(first);
  });

  it('refuses to create a ref that already exists, and to delete a moved one', async () => {
    const { r, opened, first, second } = await setup();
    r.git('branch', 'x', first);
    await expect(casUpdateRef(opened.git, { ref: 'refs/heads/x', newSha: second, oldSha: null, reason: 't' })).rejects.toBeInstanceOf(RefMovedError);
    await expect(deleteRef(opened, 'refs/heads/x', second, 't')).rejects.toBeInstanceOf(RefMovedError);
    expect(r.sha('x')).toBe(first);
  });
});

describe('read helpers', () => {
  it('answers ancestry, branch, listing and containment', async () => {
    const { r, opened, first, second } = await setup();
    expect(await isAncestor(opened.git, first, second)).toBe(true);
    expect(await isAncestor(opened.git, second, first)).toBe(false);
    expect(await currentBranch(opened.git)).toBe('main');
    expect(await revParse(opened.git, 'no-such-thing')).toBeUndefined();
    r.git('branch', 'ccwave/run1/w1/a', first);
    r.git('branch', 'ccwave/run1/integration', second);
    const refs = await listRefs(opened.git, 'refs/heads/ccwave/');
    expect(refs).toEqual([
      { ref: 'refs/heads/ccwave/run1/integration', sha: second },
      { ref: 'refs/heads/ccwave/run1/w1/a', sha: first },
    ]);
    expect(await refsContaining(opened.git, second)).toEqual(['refs/heads/ccwave/run1/integration', 'refs/heads/main']);
    r.git('checkout', '--quiet', '--detach');
    expect(await currentBranch(opened.git)).toBeUndefined();
  });

  it('counts commits that only ccwave branches hold', async () => {
    const { r, opened } = await setup();
    r.git('checkout', '--quiet', '-b', 'ccwave/run1/w1/a');
    const tip = r.commit({ 'c.txt': 'c\n' }, 'c');
    r.commit({ 'd.txt': 'd\n' }, 'd');
    const tip2 = r.sha('HEAD');
    r.git('checkout', '--quiet', 'main');
    expect(await commitsOnlyIn(opened.git, tip2, ['ccwave/run1/w1/a'])).toBe(2);
    r.git('merge', '--quiet', '--ff-only', tip);
    expect(await commitsOnlyIn(opened.git, tip2, ['ccwave/run1/w1/a'])).toBe(1);
    // Without ignoring the branch itself, everything is "held elsewhere".
    expect(await commitsOnlyIn(opened.git, tip2, [])).toBe(0);
  });
});

describe('branch names', () => {
  const weirdIds = [
    'feature-001-login',
    'Feature 002: Add OAuth (v2)!',
    '../../etc/passwd',
    'a..b',
    'x.lock',
    '.hidden',
    '-dash',
    'ünïcødé-名前',
    'with~tilde^caret:colon?*[',
    'trailing.',
    '@{u}',
    '',
    'a'.repeat(300),
  ];

  it.each(weirdIds)('turns %j into a valid, git-accepted branch', (id) => {
    const name = taskBranchName('20261123-144501-ab12', 2, id);
    expect(name.startsWith('ccwave/20261123-144501-ab12/w2/')).toBe(true);
    expect(isValidRefName(`refs/heads/${name}`)).toBe(true);
    // The real arbiter: git itself.
    expect(() => git(process.cwd(), 'check-ref-format', '--branch', name)).not.toThrow();
    expect(sanitizeComponent(id)).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
  });

  it('agrees with git check-ref-format on tricky refs', () => {
    const cases = [
      'refs/heads/ok',
      'refs/heads/a..b',
      'refs/heads/a.lock',
      'refs/heads/.x',
      'refs/heads/a b',
      'refs/heads/x@{1}',
      'refs/heads/x/',
      'refs/heads//x',
      'refs/heads/a~1',
      'refs/heads/ok.',
      'refs/heads/ok-1.2',
    ];
    for (const ref of cases) {
      let gitSays = true;
      try {
        git(process.cwd(), 'check-ref-format', ref);
      } catch {
        gitSays = false;
      }
      expect(isValidRefName(ref), ref).toBe(gitSays);
    }
  });

  it('names integration and archive refs and finds the run of a branch', () => {
    expect(integrationBranchName('20261123-144501-ab12')).toBe('ccwave/20261123-144501-ab12/integration');
    expect(archiveRefName('ccwave/r1/w1/task')).toBe('refs/ccwave/archive/r1/w1/task');
    expect(archiveRefName('refs/heads/ccwave/r1/integration')).toBe('refs/ccwave/archive/r1/integration');
    expect(runIdOfBranch('refs/heads/ccwave/r1/w1/t')).toBe('r1');
    expect(runIdOfBranch('main')).toBeUndefined();
  });

  it('adds a suffix when the branch exists', async () => {
    const { r, opened } = await setup();
    expect(await uniqueBranchName(opened.git, 'ccwave/r/w1/t')).toBe('ccwave/r/w1/t');
    r.git('branch', 'ccwave/r/w1/t');
    r.git('branch', 'ccwave/r/w1/t-2');
    expect(await uniqueBranchName(opened.git, 'ccwave/r/w1/t')).toBe('ccwave/r/w1/t-3');
  });
});

describe('Mutex', () => {
  it('runs tasks one at a time in order, even when one fails', async () => {
    const mutex = new Mutex();
    const log: string[] = [];
    const task =
      (name: string, fail = false) =>
      async () => {
        log.push(`start ${name}`);
        await new Promise((resolve) => setImmediate(resolve));
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([mutex.run(task('a')), mutex.run(task('b', true)), mutex.run(task('c'))]);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});
