// Benchmark 2: the merge queue, `merge.gate: each` vs `batch`.
//
// N finished task branches (one commit each, made with one `git fast-import`), k of which break
// the tests (they add tasks/bad-<id>.txt; the test command sleeps TEST_SLEEP then fails while such
// a file exists). `runMergeQueue` from dist/merge/queue.js runs on a real repository with a real
// journal; the test runs are counted from the journal's `test-finished` events (the base test of
// the wave's starting point included). Wall time and the queue's own time per merge
// ((wall − time inside the test command) / N), median of RUNS runs. Every git process the queue
// starts is counted by the logging `git` shim of bench/lib/ccwave-run.mjs (first in this process's
// PATH, so also in that of the git commands dist/ runs), per merged branch.
// Environment: BENCH_MERGE_NS ("16,32"), BENCH_MERGE_KS ("0,1,3"), BENCH_MERGE_RUNS (1),
// BENCH_TEST_SLEEP (0.5 seconds).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { countGitLog, gitShim } from './lib/ccwave-run.mjs';
import { dist, envInt, fmtMs, load1, log, makeSampleRepo, median, nowMs, rmrf, runAsMain, table, tempDir } from './lib/common.mjs';

const NS = (process.env.BENCH_MERGE_NS ?? '16,32').split(',').map(Number);
const KS = (process.env.BENCH_MERGE_KS ?? '0,1,3').split(',').map(Number);
// One run by default: the test-run counts are deterministic and the wall time is mostly the tests'
// fixed sleeps, so extra runs mostly cost time (BENCH_MERGE_RUNS=3 for medians).
const RUNS = envInt('BENCH_MERGE_RUNS', 1);
const TEST_SLEEP = Number(process.env.BENCH_TEST_SLEEP ?? 0.5);
const TEST_CMD = `sleep ${TEST_SLEEP}; test -z "$(ls tasks/bad-* 2>/dev/null)"`;
const RUN_ID = '20260101-000000-beef';

// Before dist/ loads: its git commands take their environment from this process's.
const shimDir = tempDir('ccwave-bench-mq-shim-');
const GIT_LOG = path.join(shimDir, 'git.log');
process.env.PATH = `${gitShim(shimDir)}:${process.env.PATH}`;
process.env.BENCH_GIT_LOG = GIT_LOG;
process.on('exit', () => rmrf(shimDir));

const { Repo, defaultWorktreeRoot, planIntegrationWorktree, addWorktree } = await dist('git/index.js');
const { Journal, initialRunState } = await dist('journal/index.js');
const { RunRecorder } = await dist('journal/recorder.js');
const { runMergeQueue } = await dist('merge/queue.js');

/** k bad branches spread evenly over N (1-based positions). */
function badPositions(n, k) {
  return new Set(Array.from({ length: k }, (_, j) => Math.floor(((j + 1) * n) / (k + 1))));
}

/** N branches, one commit each on `base`, in one fast-import. Returns their tips in order. */
function makeBranches(dir, base, n, bad) {
  const ids = Array.from({ length: n }, (_, i) => `task-${String(i + 1).padStart(3, '0')}`);
  let stream = '';
  ids.forEach((id, i) => {
    const file = bad.has(i + 1) ? `tasks/bad-${id}.txt` : `tasks/${id}.txt`;
    const msg = `${id}: add ${file}\n`;
    const content = `${id}\n`;
    stream += `commit refs/heads/bench/${id}\nmark :${i + 1}\ncommitter Bench <bench@example.invalid> 1767225600 +0000\ndata ${Buffer.byteLength(msg)}\n${msg}from ${base}\nM 100644 inline ${file}\ndata ${Buffer.byteLength(content)}\n${content}\n`;
  });
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, input: stream });
  const tips = execFileSync('git', ['rev-parse', ...ids.map((id) => `refs/heads/bench/${id}`)], { cwd: dir, encoding: 'utf8' })
    .trim()
    .split('\n');
  return ids.map((id, i) => ({ id, tip: tips[i] }));
}

async function once(n, k, gate) {
  const dir = tempDir('ccwave-bench-mq-');
  try {
    const repoDir = makeSampleRepo(path.join(dir, 'repo'));
    const repo = await Repo.open(repoDir);
    const base = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repoDir, encoding: 'utf8' }).trim();
    const tasks = makeBranches(repoDir, base, n, badPositions(n, k));
    const root = await defaultWorktreeRoot(repo);
    const integration = await planIntegrationWorktree(repo, { root, runId: RUN_ID, baseSha: base });
    const journal = Journal.create(repo.dataDir, RUN_ID);
    const recorder = new RunRecorder(journal, initialRunState());
    recorder.record({
      type: 'run-started',
      runId: RUN_ID,
      planFile: 'WAVES.md',
      planName: 'Merge queue benchmark',
      base: { branch: 'main', sha: base },
      integration: { branch: integration.branch, worktree: integration.path },
      settings: {},
      waves: [{ index: 1, name: 'Wave 1', tasks: tasks.map((t) => ({ id: t.id, title: t.id, promptPath: `f/${t.id}/PROMPT.md` })) }],
    });
    await addWorktree(repo, integration);
    recorder.record({ type: 'wave-started', wave: 1, fromSha: base });
    for (const [i, t] of tasks.entries()) {
      const wt = { path: path.join(root, 'none', t.id), branch: `bench/${t.id}`, fromSha: base };
      recorder.record({ type: 'worktree-intent', task: t.id, ...wt });
      recorder.record({ type: 'worktree-created', task: t.id, ...wt });
      recorder.record({ type: 'agent-starting', task: t.id, attempt: 1, sessionId: `s-${i}`, resume: false, agent: 'bench' });
      recorder.record({ type: 'task-finished', task: t.id, status: 'done', tipSha: t.tip, commits: 1 });
    }
    const ctx = {
      repo,
      recorder,
      runId: RUN_ID,
      integration: { branch: integration.branch, worktree: integration.path },
      settings: { test: TEST_CMD, merge: { gate, onConflict: 'skip' } },
      logDir: mkdtempSync(path.join(dir, 'logs-')),
    };
    writeFileSync(GIT_LOG, '');
    const start = nowMs();
    await runMergeQueue(ctx, recorder.state.waves[0]);
    const wall = nowMs() - start;
    const git = countGitLog(readFileSync(GIT_LOG, 'utf8'));
    journal.close();
    const events = readFileSync(journal.path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const tests = events.filter((e) => e.type === 'test-finished');
    const merged = events.filter((e) => e.type === 'merge-done' && e.result === 'merged').length;
    const failed = events.filter((e) => e.type === 'merge-skipped' && e.result === 'tests-failed').length;
    if (merged !== n - k || failed !== k) throw new Error(`${gate} N=${n} k=${k}: merged ${merged}, tests-failed ${failed}`);
    const testMs = tests.reduce((s, e) => s + e.durationMs, 0);
    return { wall, tests: tests.length, testMs, gitPerMerged: git.runner / merged, gitBySub: git.bySub };
  } finally {
    rmrf(dir);
  }
}

export async function main() {
  const loads = [load1()];
  const rows = [];
  const headline = {};
  for (const n of NS) {
    for (const k of KS) {
      const result = {};
      for (const gate of ['each', 'batch']) {
        const runs = [];
        for (let r = 0; r < RUNS; r++) {
          log(`merge-queue: N=${n} k=${k} ${gate} run ${r + 1}/${RUNS}`);
          runs.push(await once(n, k, gate));
          loads.push(load1());
        }
        result[gate] = {
          wall: median(runs.map((x) => x.wall)),
          tests: runs[0].tests,
          testsVary: new Set(runs.map((x) => x.tests)).size > 1,
          own: median(runs.map((x) => (x.wall - x.testMs) / n)),
          gitPerMerged: median(runs.map((x) => x.gitPerMerged)),
          gitBySub: runs[0].gitBySub,
        };
      }
      const { each, batch } = result;
      const formula = 1 + 1 + k * (Math.log2(n) + 1);
      rows.push([
        String(n),
        String(k),
        `${each.tests}${each.testsVary ? '*' : ''}`,
        `${batch.tests}${batch.testsVary ? '*' : ''}`,
        `≈ ${Math.round(formula)}`,
        fmtMs(each.wall),
        fmtMs(batch.wall),
        `${(each.wall / batch.wall).toFixed(1)}×`,
        `${Math.round(each.own)} ms`,
        `${Math.round(batch.own)} ms`,
        each.gitPerMerged.toFixed(1),
        batch.gitPerMerged.toFixed(1),
      ]);
      headline[`N${n}k${k}`] = { each, batch };
    }
  }
  const markdown = [
    '## 2. Merge queue: `each` vs `batch`',
    '',
    `\`runMergeQueue\` (dist/merge/queue.js) on a real repository and journal; N task branches with one commit each, k of them break the tests. ` +
      `Test command: \`${TEST_CMD}\`. Test runs counted from the journal's \`test-finished\` events, including the one base test of the wave's starting point. ` +
      `Wall: ${RUNS === 1 ? 'one run (the test-run counts are deterministic: the same in every run; BENCH_MERGE_RUNS=3 for medians)' : `median of ${RUNS} runs`}. "Queue's own time per merge" = (wall − time inside the test command) / N: merge pre-check, \`merge-tree\`/\`commit-tree\`, ` +
      `the checkout of each tested commit in the integration worktree, journal fsyncs. ` +
      `Git processes: all those the queue started (this test command starts none), counted by a logging \`git\` shim (one \`sh\` more per git process, in the queue's own time too), divided by the branches merged. Load average (1 min): ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}.`,
    '',
    table(
      [
        'N',
        'k bad',
        'test runs: each',
        'test runs: batch',
        'batch estimate 1 + 1 + k(log₂N + 1)',
        'wall: each',
        'wall: batch',
        'each / batch',
        "queue's own time per merge: each",
        'batch',
        'git processes / merged branch: each',
        'batch',
      ],
      rows,
    ),
  ].join('\n');
  headline.load = [Math.min(...loads), Math.max(...loads)];
  return { name: 'merge-queue', markdown, headline };
}

await runAsMain(import.meta.url, main);
