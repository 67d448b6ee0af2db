// Benchmark 1: orchestration overhead vs a plain script.
//
// The same TASKS tasks (an agent that writes one file and commits, at once or after a fixed sleep),
// CONCURRENCY at a time, on the same sample repository, run by
//   (a) `ccwave run --no-tui` with the command adapter (tiny script agent: bench/fixtures/agent.sh),
//       and with the claude adapter driving the scripted fake Claude in PTYs;
//   (b) bench/baseline.sh: `git worktree add` per task, `xargs -P`, then `git merge --no-ff` + the
//       test command after each merge, as a person would do by hand.
// Reports medians of wall time, ratios, the phases of a ccwave run (from its journal), the
// runner's own CPU time, and the overhead per task. One extra diagnostic run (not in the medians)
// counts the git processes the runner starts and takes a CPU profile.
//
// Environment: BENCH_TASKS (32), BENCH_CONCURRENCY (8), BENCH_RUNS (3; BENCH_SLEEP_RUNS, 2, for agents that sleep), BENCH_AGENT_SLEEPS ("0,1",
// seconds), BENCH_CLAUDE_RUNS (1), BENCH_CLAUDE_SLEEPS ("0"), BENCH_PROFILE (1 = diagnostic run).
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AGENT, COMMAND_AGENT_YAML, runCcwave as runWave, taskIds, waveFiles } from './lib/ccwave-run.mjs';
import { summarizeProfile } from './lib/cpuprofile.mjs';
import { BENCH, FAKE_AGENT, envInt, fmtMs, gitEnv, load1, log, makeSampleRepo, median, ratio, rmrf, runAsMain, runTimed, table, tempDir } from './lib/common.mjs';

const TASKS = envInt('BENCH_TASKS', 32);
const CONCURRENCY = envInt('BENCH_CONCURRENCY', 8);
const RUNS = envInt('BENCH_RUNS', 3);
/** Runs of the rows whose agents sleep: fewer by default, to keep `npm run bench` near 15 minutes. */
const SLEEP_RUNS = envInt('BENCH_SLEEP_RUNS', 2);
const CLAUDE_RUNS = envInt('BENCH_CLAUDE_RUNS', 1);
const SLEEPS = (process.env.BENCH_AGENT_SLEEPS ?? '0,1').split(',').filter(Boolean).map(Number);
const CLAUDE_SLEEPS = (process.env.BENCH_CLAUDE_SLEEPS ?? '0').split(',').filter(Boolean).map(Number);
const PROFILE = envInt('BENCH_PROFILE', 1) === 1;
/** Cheap on purpose: this benchmark is about the runner, not the project's tests. */
const TEST_CMD = 'test -f README.md';

const ids = taskIds(TASKS);

const repoFiles = (agentYaml) => waveFiles({ ids, agentYaml, concurrency: CONCURRENCY, test: TEST_CMD });

/** Phase durations of one ccwave run, from its journal's timestamps and the process's own times. */
function phasesOf(events, spawnedAt, exitedAt) {
  const at = (e) => Date.parse(e.at);
  const first = (type) => events.find((e) => e.type === type);
  const last = (type) => events.findLast((e) => e.type === type);
  const runStarted = at(first('run-started'));
  const waveStarted = at(first('wave-started'));
  const worktreesDone = at(last('worktree-created'));
  const agentsDone = at(last('task-finished'));
  const mergesDone = at(last('merge-done'));
  const waveDone = at(last('wave-finished'));
  const runDone = at(last('run-finished'));
  const agentSpans = ids.map((id) => {
    const start = events.find((e) => e.type === 'agent-starting' && e.task === id);
    const end = events.find((e) => e.type === 'task-finished' && e.task === id);
    return at(end) - at(start);
  });
  // The first CONCURRENCY launches wait for no slot: the gaps between them are the launch gate's own.
  const starts = events.filter((e) => e.type === 'agent-starting').slice(0, CONCURRENCY);
  const launchGaps = starts.slice(1).map((e, i) => at(e) - at(starts[i]));
  // Start-up: from an agent's launch to the first state it reported (it is up and drawing).
  const startups = starts.flatMap((s) => {
    const reported = events.find((e) => e.seq > s.seq && e.task === s.task && e.type === 'agent-state');
    return reported ? [at(reported) - at(s)] : [];
  });
  return {
    startup: runStarted - spawnedAt,
    openRun: waveStarted - runStarted,
    worktrees: worktreesDone - waveStarted,
    agents: agentsDone - worktreesDone,
    mergeQueue: mergesDone - agentsDone,
    retroLand: waveDone - mergesDone,
    finish: exitedAt - runDone + (runDone - waveDone),
    medianAgentSpan: median(agentSpans),
    launchGap: median(launchGaps),
    agentStartup: median(startups),
    launchSpan: at(events.findLast((e) => e.type === 'agent-starting')) - at(events.find((e) => e.type === 'agent-starting')),
    tests: events.filter((e) => e.type === 'test-finished').length,
    merged: events.filter((e) => e.type === 'merge-done' && e.result === 'merged').length,
    events: events.length,
  };
}

function fakeClaudeScripts(dir, sleep) {
  mkdirSync(dir, { recursive: true });
  for (const id of ids) {
    const steps = [...(sleep > 0 ? [{ work: sleep * 1000 }] : []), { write: `tasks/${id}.txt`, content: `${id}\n` }, { commit: `${id}: add tasks/${id}.txt` }];
    writeFileSync(path.join(dir, `${id}.json`), JSON.stringify({ turns: [{ steps, reply: 'Done.' }] }));
  }
}

async function runCcwave({ adapter, sleep, profileDir, countGit }) {
  const agentYaml = adapter === 'claude' ? `{ kind: claude, command: [node, ${JSON.stringify(FAKE_AGENT)}] }` : COMMAND_AGENT_YAML;
  const prepare =
    adapter === 'claude'
      ? (dir) => {
          fakeClaudeScripts(path.join(dir, 'scripts'), sleep);
          return { FAKE_AGENT_SCRIPT_DIR: path.join(dir, 'scripts'), FAKE_AGENT_STATE_DIR: path.join(dir, 'fake-state') };
        }
      : undefined;
  const run = await runWave({ files: repoFiles(agentYaml), env: { BENCH_AGENT_SLEEP: String(sleep) }, prepare, countGit, profileDir });
  const phases = phasesOf(run.events, run.spawnedAt, run.exitedAt);
  if (phases.merged !== TASKS) throw new Error(`ccwave merged ${phases.merged} of ${TASKS} tasks`);
  return { ...run, phases };
}

async function runBaseline(sleep) {
  const dir = tempDir('ccwave-bench-base-');
  try {
    const home = path.join(dir, 'home');
    mkdirSync(home);
    const repo = path.join(dir, 'repo');
    makeSampleRepo(repo, { files: repoFiles(COMMAND_AGENT_YAML) });
    const env = { ...gitEnv(home), BENCH_AGENT_SLEEP: String(sleep) };
    const result = await runTimed('sh', [path.join(BENCH, 'baseline.sh'), repo, path.join(dir, 'worktrees'), String(CONCURRENCY), TEST_CMD, `sh ${AGENT}`, ...ids], { env });
    if (result.code !== 0) throw new Error(`baseline.sh exited ${result.code}: ${result.stderr.slice(-2000)}`);
    const fields = Object.fromEntries(
      result.stdout
        .trim()
        .split(/\s+/)
        .map((kv) => kv.split('='))
        .map(([k, v]) => [k, Number(v)]),
    );
    if (fields.merged !== TASKS) throw new Error(`baseline merged ${fields.merged} of ${TASKS}`);
    return { wall: result.ms, ...fields };
  } finally {
    rmrf(dir);
  }
}

const med = (runs, pick) => median(runs.map(pick));

export async function main() {
  const loads = [load1()];
  const rows = [];
  const phaseRows = [];
  const headline = {};
  let launchNote = '';
  for (const sleep of SLEEPS) {
    const base = [];
    const cmd = [];
    const runs = sleep > 0 ? SLEEP_RUNS : RUNS;
    for (let r = 0; r < runs; r++) {
      // Alternate the order, so a burst of load from other users hits both sides alike.
      const order = r % 2 === 0 ? ['ccwave', 'baseline'] : ['baseline', 'ccwave'];
      for (const which of order) {
        log(`orchestration: agent sleep ${sleep}s, run ${r + 1}/${runs}, ${which}`);
        if (which === 'ccwave') cmd.push(await runCcwave({ adapter: 'command', sleep }));
        else base.push(await runBaseline(sleep));
        loads.push(load1());
      }
    }
    const baseWall = med(base, (b) => b.wall);
    const agentTime = med(base, (b) => b.agents_ms);
    const baseGit = med(base, (b) => b.worktrees_ms + b.merges_ms);
    const ccWall = med(cmd, (c) => c.wall);
    rows.push([
      `baseline.sh (worktree add, xargs -P ${CONCURRENCY}, merge --no-ff + test)`,
      `${sleep} s`,
      fmtMs(baseWall),
      '1.00×',
      fmtMs(agentTime),
      `${Math.round((baseWall - agentTime) / TASKS)} ms`,
      '–',
      '–',
    ]);
    rows.push([
      'ccwave run --no-tui, command adapter (script agent in a PTY)',
      `${sleep} s`,
      fmtMs(ccWall),
      ratio(ccWall, baseWall),
      fmtMs(agentTime),
      `${Math.round((ccWall - agentTime) / TASKS)} ms`,
      `${Math.round((ccWall - baseWall) / TASKS)} ms`,
      `${Math.round(med(cmd, (c) => c.cpuMs) / TASKS)} ms`,
    ]);
    phaseRows.push(phaseRow(`command adapter, sleep ${sleep} s`, cmd));
    phaseRows.push([`baseline.sh, sleep ${sleep} s`, '–', '–', fmtMs(med(base, (b) => b.worktrees_ms)), fmtMs(agentTime), fmtMs(med(base, (b) => b.merges_ms)), '–', '–', '–']);
    const phaseMedians = Object.fromEntries(['startup', 'openRun', 'worktrees', 'agents', 'mergeQueue', 'retroLand'].map((k) => [k, med(cmd, (c) => c.phases[k])]));
    const basePhases = { worktrees: med(base, (b) => b.worktrees_ms), agents: agentTime, mergeQueue: med(base, (b) => b.merges_ms) };
    headline[`sleep${sleep}`] = {
      baseline: baseWall,
      ccwave: ccWall,
      cpuPerTask: med(cmd, (c) => c.cpuMs) / TASKS,
      phases: phaseMedians,
      basePhases,
      agentTime,
      baseGit,
      overheadPerTask: (ccWall - agentTime) / TASKS,
      beyondBaselinePerTask: (ccWall - baseWall) / TASKS,
    };
  }
  for (const sleep of CLAUDE_SLEEPS) {
    const runs = [];
    for (let r = 0; r < CLAUDE_RUNS; r++) {
      log(`orchestration: fake Claude (claude adapter, PTY), work ${sleep}s, run ${r + 1}/${CLAUDE_RUNS}`);
      runs.push(await runCcwave({ adapter: 'claude', sleep }));
      loads.push(load1());
    }
    const wall = med(runs, (c) => c.wall);
    const baseWall = headline[`sleep${sleep}`]?.baseline;
    const gap = med(runs, (c) => c.phases.launchGap);
    const startup = med(runs, (c) => c.phases.agentStartup);
    rows.push([
      `ccwave run --no-tui, claude adapter (fake Claude in a PTY, screen rules, hooks) ¹ ²`,
      `${sleep} s`,
      fmtMs(wall),
      baseWall ? ratio(wall, baseWall) : '–',
      '–',
      '–',
      baseWall ? `${Math.round((wall - baseWall) / TASKS)} ms` : '–',
      `${Math.round(med(runs, (c) => c.cpuMs) / TASKS)} ms`,
    ]);
    launchNote =
      `² fake Claude launches: the first ${CONCURRENCY} (no slot to wait for) start a median ${fmtMs(gap)} apart; an agent reports its first state (it is up) a median ${fmtMs(startup)} after its launch; ` +
      `first to last of the ${TASKS} launches: ${fmtMs(med(runs, (c) => c.phases.launchSpan))}. A fixed stagger shows as gaps well above the start-up time (the 2 s stagger made 32 tasks take at least 62 s).`;
    phaseRows.push(phaseRow(`claude adapter, work ${sleep} s`, runs));
    headline[`claude${sleep}`] = {
      ccwave: wall,
      launchGap: gap,
      agentStartup: startup,
      launchSpan: med(runs, (c) => c.phases.launchSpan),
      medianAgentSpan: med(runs, (c) => c.phases.medianAgentSpan),
    };
  }

  let diagnosis = '';
  if (PROFILE) {
    log('orchestration: diagnostic run (git call count + CPU profile), not part of the medians');
    const profileDir = tempDir('ccwave-bench-prof-');
    try {
      const d = await runCcwave({ adapter: 'command', sleep: 0, profileDir, countGit: true });
      const [file] = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
      const prof = summarizeProfile(path.join(profileDir, file));
      const subs = Object.entries(d.git.bySub)
        .sort((a, b) => b[1] - a[1])
        .map(([s, n]) => `${s} ${n}`)
        .join(', ');
      diagnosis = [
        `**Diagnostic run** (command adapter, sleep 0, with a logging \`git\` shim and \`--cpu-prof\`; not in the medians): wall ${fmtMs(d.wall)}; ` +
          `the runner started **${d.git.runner} git processes (${(d.git.runner / TASKS).toFixed(1)} per task)**: ${subs}; the agents ${d.git.agents}. ` +
          `baseline.sh starts ${2 * TASKS + 1} (+ ${2 * TASKS} by the agents). Runner CPU ${fmtMs(d.userMs)} user + ${fmtMs(d.systemMs)} system; ` +
          `profile: ${fmtMs(prof.busyMs)} busy of ${fmtMs(prof.totalMs)} on the main thread.`,
        '',
        table(
          ['runner main thread, self time by area', 'ms', 'share of busy'],
          prof.areas.slice(0, 10).map((a) => [a.name, a.ms.toFixed(0), `${(a.share * 100).toFixed(1)} %`]),
        ),
        '',
        table(
          ['top functions (self time)', 'ms', 'share of busy'],
          prof.functions.slice(0, 10).map((a) => [`\`${a.name}\``, a.ms.toFixed(0), `${(a.share * 100).toFixed(1)} %`]),
        ),
      ].join('\n');
      headline.diagnostic = { gitPerTask: d.git.runner / TASKS, bySub: d.git.bySub, cpuMs: d.cpuMs, profile: prof };
    } finally {
      rmrf(profileDir);
    }
  }

  headline.load = [Math.min(...loads), Math.max(...loads)];
  const markdown = [
    `## 1. Orchestration overhead vs a plain script`,
    '',
    `${TASKS} tasks, concurrency ${CONCURRENCY}, one wave, \`merge.gate: each\`, test command \`${TEST_CMD}\` after every merge; ` +
      `sample repository of ~200 files. Agent: \`bench/fixtures/agent.sh\` (writes one file, commits; sleeps BENCH_AGENT_SLEEP first). ` +
      `Medians of ${RUNS} runs (agents that sleep: ${SLEEP_RUNS}${SLEEP_RUNS === 2 ? ', i.e. the mean' : ''}; fake Claude: ${CLAUDE_RUNS}), ccwave and baseline alternating. Load average (1 min) during the runs: ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}.`,
    '',
    table(['runner', 'agent sleep', 'wall', 'vs baseline', 'agent time ³', '(wall − agent time) / task', '(wall − baseline wall) / task', 'runner CPU / task'], rows),
    '',
    ...(CLAUDE_SLEEPS.length ? [`¹ ${CLAUDE_RUNS > 1 ? `median of ${CLAUDE_RUNS} runs` : 'a single run'}; see ² for its launches.`, launchNote] : []),
    `³ agent time: the wall time of the baseline's \`xargs -P ${CONCURRENCY}\` phase (the agents' critical path on this machine).`,
    '',
    'Where the time goes (medians, from the journal timestamps):',
    '',
    table(['run', 'process start → run-started', 'open run', 'worktrees', 'agents', 'merge queue + tests', 'retro + land', 'finish', 'median agent span'], phaseRows),
    '',
    diagnosis,
  ].join('\n');
  return { name: 'orchestration', markdown, headline };
}

function phaseRow(label, runs) {
  const p = (k) => fmtMs(med(runs, (c) => c.phases[k]));
  return [label, p('startup'), p('openRun'), p('worktrees'), p('agents'), `${p('mergeQueue')} (${runs[0].phases.tests} tests)`, p('retroLand'), p('finish'), p('medianAgentSpan')];
}

await runAsMain(import.meta.url, main);
