// Benchmark 3: PTY and screen throughput.
//
// AGENTS agents print Claude-like full-screen redraws (bench/fixtures/redraw-agent.mjs: one
// synchronized-output frame per redraw, colours, spinner, input box) as fast as they can for
// FLOOD seconds. Measured:
//   - harness: PtyHost from dist/ (node-pty + raw log + sync frames + @xterm/headless) with the
//     Claude screen rules read as the agent session reads them, in a process of its own;
//     CPU from process.cpuUsage, RSS sampled every second;
//   - ccwave run --no-tui and ccwave run with the Ink TUI, both inside a PTY (node-pty, a real TTY),
//     claude adapter, the same agents; CPU and RSS of the ccwave process from /proc, bytes from the
//     agents' raw logs, over the window in which all agents are printing.
// Environment: BENCH_FLOOD_AGENTS (8), BENCH_FLOOD_SECONDS (10), BENCH_FLOOD_RUNS (3, harness),
// BENCH_FLOOD_CLI (1: also the two CLI variants), BENCH_FLOOD_TUI_PROD (0; 1: also the TUI with
// NODE_ENV=production, to see what React's production build would change).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { BENCH, CLI, ROOT, envInt, fmtMiB, gitEnv, load1, log, makeSampleRepo, median, rmrf, runAsMain, runTimed, table, tempDir } from './lib/common.mjs';
import { cpuMsOf, memOf } from './lib/proc.mjs';

const AGENTS = envInt('BENCH_FLOOD_AGENTS', 8);
const FLOOD_S = envInt('BENCH_FLOOD_SECONDS', 10);
const RUNS = envInt('BENCH_FLOOD_RUNS', 3);
const CLI_VARIANTS = envInt('BENCH_FLOOD_CLI', 1) === 1;
/** Whether the built CLI chooses React's production build itself (it names NODE_ENV where it loads the TUI). */
const CLI_SETS_NODE_ENV = readFileSync(path.join(path.dirname(CLI), '../run/presenters.js'), 'utf8').includes('NODE_ENV');
/** Also the TUI with NODE_ENV=production (React's production build): see the note under the table. */
const TUI_PROD = envInt('BENCH_FLOOD_TUI_PROD', 0) === 1;
const AGENT = path.join(BENCH, 'fixtures/redraw-agent.mjs');
/** Claude launches go one at a time, each 2 s at most (CLAUDE_LAUNCH_CAP_MS): the window starts after the last one. */
const LAUNCH_SLACK_MS = 7_000 + (AGENTS - 1) * 2_000;
const MiB = 1024 * 1024;

async function harness() {
  const r = await runTimed(process.execPath, ['--expose-gc', path.join(BENCH, 'lib/pty-harness.mjs'), JSON.stringify({ mode: 'flood', agents: AGENTS, floodMs: FLOOD_S * 1000 })]);
  if (r.code !== 0) throw new Error(`pty-harness failed: ${r.stderr}`);
  const result = JSON.parse(r.stdout);
  // The window: whole seconds in which every agent was printing (skip the first: they start up).
  const window = result.samples.filter((s) => s.t >= 1.5 && s.t <= FLOOD_S);
  return {
    bytesPerSec: median(window.map((s) => s.bytesPerSec)),
    cpuPct: median(window.map((s) => s.cpuPct)),
    peakRss: result.peakRss,
    rssBefore: result.rssBefore,
    rssSeries: result.samples.map((s) => s.rss),
    allIdle: result.allIdleAfter,
    reads: result.reads,
    replay: result.replay,
  };
}

function ptyLogBytes(repo) {
  const runs = path.join(repo, '.git/ccwave/runs');
  let total = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name === 'pty.log') total += statSync(p).size;
    }
  };
  try {
    walk(runs);
  } catch {
    // not created yet
  }
  return total;
}

export async function cliRun(tui, { nodeArgs = [], extraEnv = {} } = {}) {
  const pty = createRequire(path.join(ROOT, 'package.json'))('node-pty');
  const dir = tempDir('ccwave-bench-flood-');
  try {
    const home = path.join(dir, 'home');
    const repo = path.join(dir, 'repo');
    const ids = Array.from({ length: AGENTS }, (_, i) => `flood-${i + 1}`);
    const files = {
      'WAVES.md': [
        '---',
        `agent: { kind: claude, command: [node, ${JSON.stringify(AGENT)}] }`,
        `concurrency: ${AGENTS}`,
        'retries: 0',
        '---',
        '# Flood',
        '',
        '## Wave 1',
        '',
        ...ids.map((id) => `- ${id}`),
        '',
      ].join('\n'),
    };
    for (const id of ids) files[`feature-management/features/${id}/PROMPT.md`] = `# Feature: ${id}\n\n## Overview\nPrint a lot.\n\n## Acceptance Criteria\n- [ ] done\n`;
    makeSampleRepo(repo, { files });
    (await import('node:fs')).mkdirSync(home, { recursive: true });
    const spawnedAt = Date.now();
    const windowStart = spawnedAt + LAUNCH_SLACK_MS;
    const windowEnd = windowStart + FLOOD_S * 1000;
    const env = { ...gitEnv(home), BENCH_FLOOD_UNTIL: String(windowEnd), BENCH_COMMIT: '1', TERM: 'xterm-256color', ...extraEnv };
    const args = [...nodeArgs, CLI, 'run', 'WAVES.md', ...(tui ? [] : ['--no-tui'])];
    const child = pty.spawn(process.execPath, args, { name: 'xterm-256color', cols: 160, rows: 48, cwd: repo, env });
    let screenBytes = 0;
    let tail = '';
    child.onData((d) => {
      screenBytes += Buffer.byteLength(d);
      tail = (tail + d).slice(-4000);
    });
    const exited = new Promise((resolve) => child.onExit(resolve));
    const samples = [];
    const sample = () => {
      const cpu = cpuMsOf(child.pid);
      const mem = memOf(child.pid);
      if (cpu === undefined || !mem) return;
      samples.push({ at: Date.now(), cpu, rss: mem.rss, hwm: mem.hwm, bytes: ptyLogBytes(repo), screenBytes });
    };
    const timer = setInterval(sample, 1000);
    sample();
    const exit = await exited;
    clearInterval(timer);
    const journal = readFileSync(path.join(repo, '.git/ccwave/runs', readdirSync(path.join(repo, '.git/ccwave/runs'))[0], 'journal.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const lastStart = Math.max(...journal.filter((e) => e.type === 'agent-starting').map((e) => Date.parse(e.at)));
    const done = journal.filter((e) => e.type === 'task-finished' && e.status === 'done').length;
    if (exit.exitCode !== 0 || done !== AGENTS) throw new Error(`ccwave run (tui ${tui}) exited ${exit.exitCode} with ${done}/${AGENTS} done:\n${tail}`);
    const from = Math.max(windowStart, lastStart + 1000);
    const inWindow = samples.filter((s) => s.at >= from && s.at <= windowEnd);
    const a = inWindow[0];
    const b = inWindow.at(-1);
    const secs = (b.at - a.at) / 1000;
    return {
      bytesPerSec: (b.bytes - a.bytes) / secs,
      cpuPct: ((b.cpu - a.cpu) / (b.at - a.at)) * 100,
      peakRss: Math.max(...samples.map((s) => s.hwm)),
      rssSeries: samples.map((s) => s.rss),
      windowSecs: secs,
      screenBytesPerSec: (b.screenBytes - a.screenBytes) / secs,
      allStartedBeforeWindow: lastStart <= windowStart,
    };
  } finally {
    rmrf(dir);
  }
}

const series = (values) => {
  // Every other sample at most, as MiB: enough to see whether RSS stays flat.
  const step = Math.max(1, Math.ceil(values.length / 14));
  return values
    .filter((_, i) => i % step === 0 || i === values.length - 1)
    .map((v) => (v / MiB).toFixed(0))
    .join(' → ');
};

export async function main() {
  const loads = [load1()];
  const h = [];
  for (let r = 0; r < RUNS; r++) {
    log(`pty-throughput: harness run ${r + 1}/${RUNS} (${AGENTS} agents × ${FLOOD_S} s)`);
    h.push(await harness());
    loads.push(load1());
  }
  const rows = [];
  const pick = (arr, f) => median(arr.map(f));
  const hb = pick(h, (x) => x.bytesPerSec);
  rows.push([
    `PtyHost + screen model + Claude screen rules (harness, median of ${RUNS})`,
    `${(hb / MiB).toFixed(1)} MiB/s`,
    `${(hb / AGENTS / MiB).toFixed(2)} MiB/s`,
    `${pick(h, (x) => x.cpuPct).toFixed(0)} %`,
    `${(((pick(h, (x) => x.cpuPct) / 100) * 1000) / (hb / MiB)).toFixed(0)} ms`,
    fmtMiB(pick(h, (x) => x.peakRss)),
    series(h[0].rssSeries),
  ]);
  const cli = {};
  if (CLI_VARIANTS) {
    const variants = [
      ['plain', false, {}, '--no-tui (in a PTY)'],
      ['tui', true, {}, 'with the Ink TUI (in a 160×48 PTY)'],
      ...(TUI_PROD ? [['tuiProd', true, { NODE_ENV: 'production' }, 'with the Ink TUI, NODE_ENV=production ⁵']] : []),
    ];
    for (const [key, tui, extraEnv, label] of variants) {
      log(`pty-throughput: ccwave run ${label} (${AGENTS} agents, claude adapter)`);
      const c = await cliRun(tui, { extraEnv });
      loads.push(load1());
      cli[key] = c;
      rows.push([
        `ccwave run ${label}, claude adapter, 1 run${c.allStartedBeforeWindow ? '' : ' ⁴'}`,
        `${(c.bytesPerSec / MiB).toFixed(1)} MiB/s`,
        `${(c.bytesPerSec / AGENTS / MiB).toFixed(2)} MiB/s`,
        `${c.cpuPct.toFixed(0)} %`,
        `${(((c.cpuPct / 100) * 1000) / (c.bytesPerSec / MiB)).toFixed(0)} ms`,
        fmtMiB(c.peakRss),
        series(c.rssSeries),
      ]);
    }
  }
  const rp = h[0].replay;
  const markdown = [
    '## 3. PTY and screen throughput',
    '',
    `${AGENTS} agents (\`bench/fixtures/redraw-agent.mjs\`) redraw a 120×40 Claude-like screen as fast as they can for ${FLOOD_S} s. ` +
      `Throughput is what reached the runner (the PTY host pauses an agent when its parser falls behind, so the agents wait rather than memory growing). ` +
      `CPU is the runner process only (harness: \`process.cpuUsage\`; CLI: /proc), over the seconds in which all agents print. ` +
      `The agents themselves need CPU too: on ${(await import('node:os')).cpus().length} cores, producer and consumer share the machine. Load average (1 min): ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}.`,
    '',
    table(['runner', 'bytes/s (all agents)', 'per agent', 'runner CPU (% of one core)', 'CPU ms per MiB', 'peak RSS', 'RSS every ~second (MiB)'], rows),
    '',
    `Screen model alone (one agent's recorded output replayed into an @xterm/headless ScreenModel on one core, no PTY): ` +
      `${(rp.bytes / MiB).toFixed(1)} MiB in ${rp.ms.toFixed(0)} ms = **${(rp.bytes / MiB / (rp.ms / 1000)).toFixed(1)} MiB/s**. ` +
      `Harness screen reads (classify + summarize) per run: ${h[0].reads}; scrollback stays bounded (1000 lines).`,
    CLI_VARIANTS && cli.tui
      ? `\nThe TUI wrote ${(cli.tui.screenBytesPerSec / 1024).toFixed(0)} KiB/s to its terminal during the flood (plain: ${(cli.plain.screenBytesPerSec / 1024).toFixed(1)} KiB/s).`
      : null,
    CLI_VARIANTS && !Object.values(cli).every((c) => c.allStartedBeforeWindow) ? '\n⁴ the last agent started after the planned window began; the window was shortened to start 1 s after it.' : null,
    CLI_VARIANTS && CLI_SETS_NODE_ENV
      ? "\nThe built CLI sets `NODE_ENV` itself while React loads (dist/run/presenters.js), so the TUI runs on React's production build unless the environment says otherwise."
      : null,
    CLI_VARIANTS && !TUI_PROD && !CLI_SETS_NODE_ENV
      ? "\nThe TUI run uses React's *development* build: ccwave does not set `NODE_ENV`, so Ink loads `react.development.js` (with `console.createTask` for owner stacks). `BENCH_FLOOD_TUI_PROD=1` adds a row with `NODE_ENV=production` for comparison."
      : null,
    TUI_PROD && cli.tuiProd && CLI_SETS_NODE_ENV ? '\n⁵ The same run with `NODE_ENV=production` in its environment, which the CLI sets anyway: the two rows should agree.' : null,
    TUI_PROD && cli.tuiProd && !CLI_SETS_NODE_ENV
      ? "\n⁵ The same run with `NODE_ENV=production` in its environment. ccwave does not set it, so Ink renders with React's *development* build " +
        "(`react.development.js`, `console.createTask` for owner stacks); a CPU profile of the TUI run shows React + react-reconciler + createTask at about a fifth of the runner's busy time, " +
        "most of which goes with the production build. Setting `process.env.NODE_ENV ??= 'production'` in the CLI entry before Ink/React load would do it."
      : null,
  ]
    .filter((part) => part !== null)
    .join('\n');
  return {
    name: 'pty-throughput',
    markdown,
    headline: { harness: { bytesPerSec: hb, cpuPct: pick(h, (x) => x.cpuPct), peakRss: pick(h, (x) => x.peakRss) }, cli, load: [Math.min(...loads), Math.max(...loads)] },
  };
}

await runAsMain(import.meta.url, main);
