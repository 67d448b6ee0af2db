import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { expect } from 'vitest';
import { Repo } from '../../src/git/index.js';
import { initialRunState } from '../../src/journal/index.js';
import { runMergeQueue } from '../../src/merge/queue.js';
import { RunRecorder } from '../../src/journal/recorder.js';
import { git, gitWithInput } from '../helpers/git.js';
import { memoryJournal } from '../helpers/journal.js';
import { tempDir } from '../helpers/temp.js';

/**
 * The property behind the batch gate: merging all, testing once and bisecting must end exactly
 * where merging and testing one at a time ends. Checked on real repositories built from random
 * branch sets: conflicts (two branches writing different content to one file), duplicates (a
 * branch whose change equals another's, or a part of it), aliases (a branch at another's very
 * commit) and breakers (the test command fails while the marker file exists). Branches only add
 * or change files, never delete the marker: a merge that breaks the tests keeps them broken, the
 * assumption under which batch and each must agree (see gateBatch).
 */

/** The test command of every case: fails while the marker is in the tree. */
export const MARKER = 'BREAK';
const TEST_COMMAND = `test ! -e ${MARKER}`;
/** Fixed, so a failure found once is found again. */
export const PROPERTY_SEED = 20261202;

/**
 * A task branch: its writes (and the marker when it breaks the tests) committed on the base, on
 * an earlier task's tip (`on`: an agent that rebased onto another branch), or on no parent at all
 * (`on: 'root'`: an agent that started an orphan branch); or an alias of an earlier task's tip.
 */
export type BranchSpec = { writes: Array<[file: string, content: string]>; breaks: boolean; on?: number | 'root' } | { aliasOf: number };

/** A few shared files and contents, so that collisions (conflicts and duplicates) are common. */
const write = fc.tuple(fc.constantFrom('a.txt', 'b.txt', 'c.txt', 'own.txt'), fc.constantFrom('0', '1', '2'));
const writes = fc.uniqueArray(write, { minLength: 1, maxLength: 2, selector: ([file]) => file });
const breaks = fc.integer({ min: 0, max: 3 }).map((n) => n === 0);
const branch: fc.Arbitrary<BranchSpec> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ writes, breaks }) },
  { weight: 2, arbitrary: fc.record({ aliasOf: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ writes, breaks, on: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ writes, breaks, on: fc.constant('root' as const) }) },
);
export const branchSets = fc.array(branch, { minLength: 2, maxLength: 7 });

export interface GateCase {
  dir: string;
  repo: Repo;
  /** Task ids in plan order with their tips. */
  tasks: Array<{ id: string; tip: string }>;
  cleanup(): void;
}

/** One repository per case, written by a single `git fast-import`: a base and one branch per task. */
export async function buildCase(specs: BranchSpec[]): Promise<GateCase> {
  const tmp = tempDir('ccwave-gate-prop-');
  const dir = path.join(tmp, 'repo');
  mkdirSync(dir);
  git(dir, 'init', '--quiet', '--initial-branch=main');
  git(dir, 'config', 'user.name', 'Test');
  git(dir, 'config', 'user.email', 'test@example.com');
  const data = (text: string): string => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const commit = (ref: string, mark: number, message: string, from: number | undefined, files: Array<[string, string]>): string =>
    [
      `commit ${ref}`,
      `mark :${mark}`,
      'committer Test <test@example.com> 1700000000 +0000',
      data(message).trimEnd(),
      ...(from ? [`from :${from}`] : []),
      ...files.flatMap(([file, content]) => [`M 100644 inline ${file}`, data(`${content}\n`).trimEnd()]),
      '',
    ].join('\n');
  const stream = [
    commit('refs/heads/main', 1, 'base', undefined, [
      ['README.md', '# base'],
      ['a.txt', '0'],
    ]),
  ];
  const ids = specs.map((_, i) => `t${i + 1}`);
  const marks: number[] = [];
  specs.forEach((spec, i) => {
    const own = (file: string): string => (file === 'own.txt' ? `${ids[i]}.txt` : file);
    if ('aliasOf' in spec) {
      // Points at an earlier task's very commit (or at the base when it is the first).
      marks.push(i === 0 ? 1 : marks[spec.aliasOf % i]!);
      stream.push(`reset refs/heads/task/${ids[i]}\nfrom :${marks[i]}\n`);
      return;
    }
    const files = spec.writes.map(([file, content]): [string, string] => [own(file), content]);
    if (spec.breaks) files.push([MARKER, 'x']);
    const from = spec.on === 'root' ? undefined : spec.on === undefined || i === 0 ? 1 : marks[spec.on % i]!;
    marks.push(2 + i);
    stream.push(commit(`refs/heads/task/${ids[i]}`, 2 + i, `work on ${ids[i]}`, from, files));
  });
  gitWithInput(dir, stream.join('\n'), 'fast-import', '--quiet');
  const tasks = ids.map((id) => ({ id, tip: git(dir, 'rev-parse', `refs/heads/task/${id}`) }));
  return { dir, repo: await Repo.open(dir), tasks, cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}

export interface GateOutcome {
  status: Record<string, string | undefined>;
  mergedInOrder: string[];
  tree: string;
  tip: string;
  testedTips: Map<string, boolean>;
}

/** Runs the real merge queue with one gate on its own integration branch and worktree. */
export async function runQueue(c: GateCase, gate: 'each' | 'batch'): Promise<GateOutcome> {
  const branch = `integration-${gate}`;
  const worktree = path.join(path.dirname(c.dir), branch);
  const base = git(c.dir, 'rev-parse', 'main');
  git(c.dir, 'worktree', 'add', '--quiet', '-b', branch, worktree, base);
  const runId = `20261202-000000-${gate === 'each' ? 'aaaa' : 'bbbb'}`;
  // In memory: the property is about the gate's decisions, not the journal's durability.
  const recorder = new RunRecorder(memoryJournal(), initialRunState());
  recorder.record({
    type: 'run-started',
    runId,
    planFile: 'WAVES.md',
    planName: 'property',
    base: { branch: 'main', sha: base },
    integration: { branch, worktree },
    settings: {},
    waves: [{ index: 1, name: 'Wave 1', tasks: c.tasks.map((t) => ({ id: t.id, title: t.id, promptPath: `f/${t.id}/PROMPT.md` })) }],
  });
  recorder.record({ type: 'wave-started', wave: 1, fromSha: base });
  for (const task of c.tasks) recorder.record({ type: 'task-finished', task: task.id, status: 'done', tipSha: task.tip, commits: 1 });
  const result = await runMergeQueue(
    {
      repo: c.repo,
      recorder,
      runId,
      integration: { branch, worktree },
      settings: { test: TEST_COMMAND, merge: { gate, onConflict: 'skip' } },
      logDir: path.join(path.dirname(c.dir), `logs-${gate}`),
    },
    recorder.state.waves[0]!,
  );
  const state = recorder.state;
  const testedTips = new Map<string, boolean>();
  for (const test of state.tests) if (test.passed !== undefined) testedTips.set(test.sha, test.passed || testedTips.get(test.sha) === true);
  return {
    status: Object.fromEntries(c.tasks.map((t) => [t.id, state.tasks[t.id]?.merge?.status])),
    mergedInOrder: git(c.dir, 'log', '--merges', '--reverse', '--format=%(trailers:key=Ccwave-Task,valueonly)', result.tip).split('\n').filter(Boolean),
    tree: git(c.dir, 'rev-parse', `${result.tip}^{tree}`),
    tip: result.tip,
    testedTips,
  };
}

/** Checks `numRuns` random cases: batch and each end with the same statuses, merges and tree. */
export async function checkBatchMatchesEach(numRuns: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(branchSets, async (specs) => {
      const c = await buildCase(specs);
      try {
        // Each gate on its own integration branch and worktree: they can run side by side.
        const [each, batch] = await Promise.all([runQueue(c, 'each'), runQueue(c, 'batch')]);
        expect(batch.status).toEqual(each.status);
        expect(batch.mergedInOrder).toEqual(each.mergedInOrder);
        expect(batch.tree).toBe(each.tree);
        for (const outcome of [each, batch]) {
          // Every task ends settled, and the tip kept passed its tests.
          expect(Object.values(outcome.status)).not.toContain(undefined);
          expect(Object.values(outcome.status)).not.toContain('merging');
          expect(outcome.testedTips.get(outcome.tip)).toBe(true);
        }
      } finally {
        c.cleanup();
      }
    }),
    { numRuns, seed: PROPERTY_SEED },
  );
}
