// Benchmark 7: the scale curve. One wave of N instant tasks (bench/fixtures/agent.sh), concurrency
// 32, `merge.gate: each`, for N = 32, 64, 128, 256: wall, git processes and runner CPU per task,
// and peak RSS. Every run counts its git processes with the logging shim of bench/lib/ccwave-run.mjs
// (one `sh` more per git process, the same share at every N). Per-task figures must stay flat: a
// cost that grows with the plan (O(N²) in the journal, the state, the merge queue) shows here as a
// per-task figure rising with N. Then the run's own journal is read back (parse + replay, what a
// resume and `ccwave status` do), and a synthetic journal of up to thousands of tasks is replayed,
// in this process, to show the curve beyond what a real run here can afford.
//
// Environment: BENCH_SCALE_NS ("32,64,128,256"), BENCH_SCALE_CONCURRENCY (32), BENCH_SCALE_RUNS (1),
// BENCH_REPLAY_NS ("256,1024").
import { performance } from 'node:perf_hooks';
import { COMMAND_AGENT_YAML, runCcwave, taskIds, waveFiles } from './lib/ccwave-run.mjs';
import { dist, envInt, fmtMiB, fmtMs, load1, log, median, runAsMain, table } from './lib/common.mjs';

const NS = (process.env.BENCH_SCALE_NS ?? '32,64,128,256').split(',').filter(Boolean).map(Number);
const CONCURRENCY = envInt('BENCH_SCALE_CONCURRENCY', 32);
const RUNS = envInt('BENCH_SCALE_RUNS', 1);
const REPLAY_NS = (process.env.BENCH_REPLAY_NS ?? '256,1024').split(',').filter(Boolean).map(Number);
const TEST_CMD = 'test -f README.md';
/** Per-task figures at the largest N may be this much above those at the smallest and still count as flat. */
export const FLAT_TOLERANCE = 1.25;

const { parseJournal, replay } = await dist('journal/index.js');

/** Median wall time (ms) of `fn` over `times` calls. */
function timeOf(fn, times) {
  return median(
    Array.from({ length: times }, () => {
      const start = performance.now();
      fn();
      return performance.now() - start;
    }),
  );
}

/**
 * A journal of a finished one-wave run of `n` tasks, as JSONL: what each task of a real run
 * records. `each`: a test after every merge; `batch`: one test of all the merges.
 */
function syntheticJournal(n, gate) {
  const ids = taskIds(n);
  const sha = (c) => c.repeat(40);
  const lines = [];
  const at = new Date(Date.UTC(2026, 0, 1)).toISOString();
  const add = (event) => lines.push(JSON.stringify({ v: 1, seq: lines.length + 1, at, ...event }));
  add({
    type: 'run-started',
    runId: '20260101-000000-beef',
    planFile: '/repo/WAVES.md',
    planName: 'Scale',
    base: { branch: 'main', sha: sha('a') },
    integration: { branch: 'ccwave/integration', worktree: '/wt/integration' },
    settings: {},
    waves: [{ index: 1, name: 'Wave 1', tasks: ids.map((id) => ({ id, title: id, promptPath: `f/${id}/PROMPT.md` })) }],
  });
  add({ type: 'wave-started', wave: 1, fromSha: sha('a') });
  for (const id of ids) {
    const worktree = { path: `/wt/${id}`, branch: `ccwave/${id}`, fromSha: sha('a') };
    add({ type: 'worktree-intent', task: id, ...worktree });
    add({ type: 'worktree-created', task: id, ...worktree });
  }
  for (const id of ids) {
    add({ type: 'agent-starting', task: id, attempt: 1, sessionId: `s-${id}`, resume: false, agent: 'command' });
    add({ type: 'agent-state', task: id, state: 'working' });
    add({ type: 'task-finished', task: id, status: 'done', tipSha: sha('b'), commits: 1 });
  }
  const test = (testId, tasks) => {
    add({ type: 'test-started', testId, wave: 1, tasks, sha: sha('c'), command: TEST_CMD });
    add({ type: 'test-finished', testId, wave: 1, tasks, sha: sha('c'), passed: true, exitCode: 0, durationMs: 1, outputTail: '' });
  };
  for (const id of ids) {
    add({ type: 'merge-intent', task: id, tip: sha('b'), into: sha('c') });
    if (gate === 'each') test(`t-${id}`, [id]);
    if (gate === 'each') add({ type: 'merge-done', task: id, result: 'merged', tip: sha('b'), mergeSha: sha('c'), integrationSha: sha('c') });
  }
  if (gate === 'batch') {
    test('t-all', ids);
    for (const id of ids) add({ type: 'merge-done', task: id, result: 'merged', tip: sha('b'), mergeSha: sha('c'), integrationSha: sha('c') });
  }
  add({ type: 'wave-finished', wave: 1, integrationSha: sha('c') });
  add({ type: 'run-finished', exitCode: 0 });
  return `${lines.join('\n')}\n`;
}

/** Parse + replay of a journal's text: ms in all, median of `times`. */
function replayMs(text, times = 3) {
  return timeOf(() => replay(parseJournal(text, 'journal.jsonl').events), times);
}

export async function main() {
  const loads = [load1()];
  const points = [];
  for (const n of NS) {
    const runs = [];
    for (let r = 0; r < RUNS; r++) {
      log(`scale: ${n} tasks, concurrency ${CONCURRENCY}, run ${r + 1}/${RUNS}`);
      const ids = taskIds(n);
      const run = await runCcwave({ files: waveFiles({ ids, agentYaml: COMMAND_AGENT_YAML, concurrency: CONCURRENCY, test: TEST_CMD }), env: { BENCH_AGENT_SLEEP: '0' }, countGit: true });
      const merged = run.events.filter((e) => e.type === 'merge-done' && e.result === 'merged').length;
      if (merged !== n) throw new Error(`ccwave merged ${merged} of ${n} tasks`);
      runs.push({ ...run, replay: replayMs(run.journal) });
      log(
        `scale: ${n} tasks in ${fmtMs(run.wall)}: ${(run.git.runner / n).toFixed(1)} git processes and ${Math.round(run.cpuMs / n)} ms runner CPU per task, peak RSS ${fmtMiB(run.maxRssKiB * 1024)}`,
      );
      loads.push(load1());
    }
    const med = (pick) => median(runs.map(pick));
    points.push({
      n,
      wallPerTask: med((r) => r.wall) / n,
      wall: med((r) => r.wall),
      gitPerTask: med((r) => r.git.runner) / n,
      cpuPerTask: med((r) => r.cpuMs) / n,
      peakRss: med((r) => r.maxRssKiB * 1024),
      eventsPerTask: med((r) => r.events.length) / n,
      replayPerTask: med((r) => r.replay) / n,
      load: loads.at(-1),
      gitBySub: runs[0].git.bySub,
    });
  }
  const first = points[0];
  const last = points.at(-1);
  const growth = (key) => last[key] / first[key];
  const judged = ['wallPerTask', 'gitPerTask', 'cpuPerTask'];
  const flat = judged.every((key) => growth(key) <= FLAT_TOLERANCE);

  const replays = REPLAY_NS.map((n) => {
    log(`scale: replay of synthetic ${n}-task journals`);
    return { n, each: replayMs(syntheticJournal(n, 'each'), 1), batch: replayMs(syntheticJournal(n, 'batch'), 1) };
  });

  const headline = {
    points,
    growth: Object.fromEntries([...judged, 'replayPerTask'].map((key) => [key, growth(key)])),
    flat,
    tolerance: FLAT_TOLERANCE,
    concurrency: CONCURRENCY,
    replays,
    load: [Math.min(...loads), Math.max(...loads)],
  };
  const markdown = [
    '## 7. Scale: one wave of 32 to 256 tasks',
    '',
    `One wave of N instant tasks (\`bench/fixtures/agent.sh\`), concurrency ${CONCURRENCY}, \`merge.gate: each\`, test \`${TEST_CMD}\` after every merge, ` +
      `\`ccwave run --no-tui\`, ${RUNS === 1 ? 'one run per N' : `medians of ${RUNS} runs`}. Git processes counted by a logging \`git\` shim in every run (one \`sh\` more per git process, the same share at every N). ` +
      `Runner CPU and peak RSS: the runner process itself (\`process.resourceUsage\`), its children excluded. Journal replay: the run's own journal parsed and reduced again (what a resume and \`ccwave status\` do), median of 3. ` +
      `Load average (1 min): ${headline.load[0].toFixed(2)}–${headline.load[1].toFixed(2)}.`,
    '',
    table(
      ['tasks', 'wall', 'wall / task', 'git processes / task', 'runner CPU / task', 'peak RSS', 'journal events / task', 'journal replay / task', 'load (1 min) after'],
      points.map((p) => [
        String(p.n),
        fmtMs(p.wall),
        `${Math.round(p.wallPerTask)} ms`,
        p.gitPerTask.toFixed(1),
        `${Math.round(p.cpuPerTask)} ms`,
        fmtMiB(p.peakRss),
        p.eventsPerTask.toFixed(1),
        `${p.replayPerTask.toFixed(2)} ms`,
        p.load.toFixed(2),
      ]),
    ),
    '',
    `**Flat** means: at ${last.n} tasks, wall, git processes and runner CPU per task are each at most ${FLAT_TOLERANCE}× their value at ${first.n} tasks. ` +
      `This run: wall/task ${growth('wallPerTask').toFixed(2)}×, git/task ${growth('gitPerTask').toFixed(2)}×, CPU/task ${growth('cpuPerTask').toFixed(2)}× (journal replay/task ${growth('replayPerTask').toFixed(2)}×): **${flat ? 'flat' : 'not flat'}**.`,
    '',
    `The runner's git processes at ${last.n} tasks, by subcommand (per task): ${Object.entries(last.gitBySub)
      .sort((a, b) => b[1] - a[1])
      .map(([sub, count]) => `${sub} ${(count / last.n).toFixed(1)}`)
      .join(', ')}.`,
    '',
    `Journal replay alone (parse + reduce of a synthetic finished one-wave run of N tasks, in this process, one timing each): ` +
      `\`each\`: a test after every merge (9 events per task); \`batch\`: one test of all N merges (its two test events name every task).`,
    '',
    table(
      ['tasks', 'replay: each', 'per task', 'replay: batch', 'per task'],
      replays.map((r) => [String(r.n), fmtMs(r.each), `${(r.each / r.n).toFixed(3)} ms`, fmtMs(r.batch), `${(r.batch / r.n).toFixed(3)} ms`]),
    ),
  ].join('\n');
  return { name: 'scale', markdown, headline };
}

await runAsMain(import.meta.url, main);
