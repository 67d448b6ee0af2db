// Benchmark 4: memory at scale. 64 idle tasks held open: 64 fake Claude agents sitting at their
// `❯` prompt, each with a PtyHost and its @xterm/headless screen model in the runner.
//   - harness: PtyHost + Claude screen rules from dist/ in a process of its own, agents added in
//     steps (16, 32, 48, 64); RSS and heap after a GC at each step;
//   - ccwave run --no-tui with 64 tasks at concurrency 64 (command adapter running the fake agent,
//     which then sits at its prompt): the ccwave process's RSS from /proc before the first launch
//     and once every agent has drawn its screen; then the run is stopped with SIGTERM.
// Environment: BENCH_MEM_TASKS (64), BENCH_MEM_CLI (1).
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { BENCH, CLI, FAKE_AGENT, envInt, fmtMiB, gitEnv, load1, log, makeSampleRepo, median, rmrf, runAsMain, runTimed, table, tempDir } from './lib/common.mjs';
import { memOf } from './lib/proc.mjs';

const TASKS = envInt('BENCH_MEM_TASKS', 64);
const CLI_VARIANT = envInt('BENCH_MEM_CLI', 1) === 1;
const MiB = 1024 * 1024;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function harness() {
  const steps = [TASKS / 4, TASKS / 2, (3 * TASKS) / 4, TASKS].map(Math.round);
  const r = await runTimed(process.execPath, ['--expose-gc', path.join(BENCH, 'lib/pty-harness.mjs'), JSON.stringify({ mode: 'idle', steps })]);
  if (r.code !== 0) throw new Error(`pty-harness failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Sizes of every task's pty.log: an agent has drawn its prompt once its log is non-empty. */
function drawnAgents(repo) {
  const runs = path.join(repo, '.git/ccwave/runs');
  if (!existsSync(runs)) return 0;
  let n = 0;
  for (const run of readdirSync(runs)) {
    const tasks = path.join(runs, run, 'tasks');
    if (!existsSync(tasks)) continue;
    for (const t of readdirSync(tasks)) {
      const log = path.join(tasks, t, 'pty.log');
      if (existsSync(log) && statSync(log).size > 0) n++;
    }
  }
  return n;
}

function journalOf(repo) {
  const runs = path.join(repo, '.git/ccwave/runs');
  if (!existsSync(runs)) return [];
  const [run] = readdirSync(runs);
  const file = path.join(runs, run, 'journal.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

async function cliRun() {
  const dir = tempDir('ccwave-bench-mem-');
  let child;
  try {
    const home = path.join(dir, 'home');
    mkdirSync(home);
    const repo = path.join(dir, 'repo');
    const ids = Array.from({ length: TASKS }, (_, i) => `idle-${String(i + 1).padStart(2, '0')}`);
    const files = {
      'WAVES.md': [
        '---',
        `agent: { kind: command, command: [node, ${JSON.stringify(FAKE_AGENT)}] }`,
        `concurrency: ${TASKS}`,
        'retries: 0',
        '---',
        '# Idle',
        '',
        '## Wave 1',
        '',
        ...ids.map((id) => `- ${id}`),
        '',
      ].join('\n'),
    };
    for (const id of ids) files[`feature-management/features/${id}/PROMPT.md`] = `# Feature: ${id}\n\n## Overview\nWait.\n\n## Acceptance Criteria\n- [ ] done\n`;
    makeSampleRepo(repo, { files });
    const script = path.join(dir, 'idle.json');
    writeFileSync(script, JSON.stringify({ turns: [] }));
    const env = { ...gitEnv(home), FAKE_AGENT_SCRIPT: script, FAKE_AGENT_STATE_DIR: path.join(dir, 'state') };
    child = spawn(process.execPath, [CLI, 'run', 'WAVES.md', '--no-tui'], { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out = (out + d).slice(-4000)));
    child.stderr.on('data', (d) => (out = (out + d).slice(-4000)));
    const exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
    const samples = [];
    let firstLaunch;
    const deadline = Date.now() + 240_000;
    while (Date.now() < deadline) {
      const mem = memOf(child.pid);
      if (!mem) throw new Error(`ccwave exited early:\n${out}`);
      samples.push({ at: Date.now(), ...mem });
      const journal = journalOf(repo);
      if (!firstLaunch) firstLaunch = journal.find((e) => e.type === 'agent-starting');
      if (drawnAgents(repo) >= TASKS) break;
      await sleep(250);
    }
    if (drawnAgents(repo) < TASKS) throw new Error(`only ${drawnAgents(repo)} of ${TASKS} agents drew their prompt:\n${out}`);
    // All at their prompt: let the start-up garbage go, then read RSS a few times.
    await sleep(3000);
    const idle = [];
    for (let i = 0; i < 5; i++) {
      idle.push(memOf(child.pid).rss);
      await sleep(400);
    }
    const before = samples.filter((s) => firstLaunch && s.at < Date.parse(firstLaunch.at)).at(-1) ?? samples[0];
    const agentPids = []; // not needed: the agents' own memory is reported by the harness
    void agentPids;
    child.kill('SIGTERM');
    const code = await Promise.race([exited, sleep(30_000).then(() => 'timeout')]);
    if (code === 'timeout') child.kill('SIGKILL');
    return { rssBefore: before.rss, rssIdle: median(idle), hwm: memOf(child.pid)?.hwm ?? Math.max(...samples.map((s) => s.hwm)), stopCode: code };
  } finally {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await sleep(500);
    rmrf(dir);
  }
}

export async function main() {
  const loads = [load1()];
  log(`memory-scale: harness, ${TASKS} idle fake agents`);
  const h = await harness();
  loads.push(load1());
  const p0 = h.points[0];
  const rows = h.points
    .slice(1)
    .map((p) => [
      `harness: PtyHost + screen model + screen rules`,
      String(p.tasks),
      fmtMiB(p.rss),
      fmtMiB(p.rss - p0.rss),
      `${((p.rss - p0.rss) / p.tasks / MiB).toFixed(2)} MiB`,
      `${((p.heapUsed - p0.heapUsed) / p.tasks / 1024).toFixed(0)} KiB`,
      fmtMiB(p.agentRss / p.tasks),
    ]);
  const last = h.points.at(-1);
  const headline = { harnessPerTaskMiB: (last.rss - p0.rss) / last.tasks / MiB, agentMiB: last.agentRss / last.tasks / MiB };
  if (CLI_VARIANT) {
    log(`memory-scale: ccwave run --no-tui with ${TASKS} idle agents (concurrency ${TASKS})`);
    const c = await cliRun();
    loads.push(load1());
    rows.push([
      'ccwave run --no-tui (command adapter, fake agent at its prompt)',
      String(TASKS),
      fmtMiB(c.rssIdle),
      fmtMiB(c.rssIdle - c.rssBefore),
      `${((c.rssIdle - c.rssBefore) / TASKS / MiB).toFixed(2)} MiB`,
      '–',
      '–',
    ]);
    headline.cli = { rssIdle: c.rssIdle, rssBefore: c.rssBefore, perTaskMiB: (c.rssIdle - c.rssBefore) / TASKS / MiB };
  }
  const markdown = [
    '## 4. Memory at scale',
    '',
    `${TASKS} tasks held open: fake Claude agents (\`fixtures/fake-agent/fake-agent.mjs\`, no turns) sitting at their \`❯\` prompt, each with a PtyHost and a 120×40 screen model (1000 lines of scrollback) in the runner. ` +
      `Runner RSS after a GC (harness) or the median of 5 readings after all agents drew their screen (CLI). "Added" is against the same process before the first agent. ` +
      `Load average (1 min): ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}.`,
    '',
    table(['runner', 'tasks', 'runner RSS', 'added', 'runner RSS per task', 'JS heap per task', 'each agent process (not the runner)'], rows),
    '',
    `The harness process starts at ${fmtMiB(p0.rss)}; from ${h.points[1].tasks} to ${last.tasks} tasks each further task adds ${((last.rss - h.points[1].rss) / (last.tasks - h.points[1].tasks) / MiB).toFixed(2)} MiB (the first ones also pay for loading node-pty and xterm). ` +
      (headline.cli ? `The ccwave process already holds ${fmtMiB(headline.cli.rssBefore)} before its first agent (its modules, the Ink TUI code included even with --no-tui). ` : '') +
      `An agent's own memory is its business (real Claude Code takes ~400 MB each, DESIGN.md); the runner's share per task is the column that matters here.`,
  ].join('\n');
  return { name: 'memory-scale', markdown, headline };
}

await runAsMain(import.meta.url, main);
