// `npm run bench`: every benchmark, each in its own process, then bench/RESULTS.md.
//   node bench/run.mjs                      all of them
//   node bench/run.mjs startup merge-queue  some of them (results of the others are left out)
// Each benchmark also runs alone (`node bench/orchestration.mjs`) and prints its Markdown.
// Benchmarks print figures; nothing here fails on timing. Needs a build (dist/) first.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

import path from 'node:path';
import { BENCH, CLI, fmtMs, log, machine, tempDir, rmrf } from './lib/common.mjs';
import { targetsSection } from './lib/targets.mjs';

const ALL = ['startup', 'orchestration', 'merge-queue', 'pty-throughput', 'memory-scale', 'worktree-setup', 'scale'];
const DOC_ORDER = ['orchestration', 'merge-queue', 'pty-throughput', 'memory-scale', 'startup', 'worktree-setup', 'scale'];
const chosen = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = chosen.length ? chosen : ALL;
for (const name of names) if (!ALL.includes(name)) throw new Error(`unknown benchmark ${name}; one of ${ALL.join(', ')}`);
if (!existsSync(CLI)) throw new Error('dist/ is missing: build first (npx tsc -p tsconfig.json)');

function runOne(name, out) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(BENCH, `${name}.mjs`), '--json', out], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
}

const uptime = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const started = Date.now();
const m = machine();
const loadBefore = uptime();
const tmp = tempDir('ccwave-bench-results-');
const results = {};
const failures = [];
for (const name of names) {
  const t = Date.now();
  log(`=== ${name}`);
  const file = path.join(tmp, `${name}.json`);
  let { code, signal } = await runOne(name, file);
  if (signal) {
    // Killed from outside (the machine is shared): one more try rather than a hole in the results.
    log(`${name} was killed by ${signal}; running it once more`);
    ({ code, signal } = await runOne(name, file));
  }
  if (code === 0 && existsSync(file)) {
    results[name] = JSON.parse(readFileSync(file, 'utf8'));
    results[name].seconds = (Date.now() - t) / 1000;
  } else {
    failures.push(name);
    log(`${name} failed (${signal ? `killed by ${signal}` : `exit ${code}`})`);
  }
}
rmrf(tmp);
const loadAfter = uptime();
const totalS = (Date.now() - started) / 1000;

let commit = '';
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: path.dirname(BENCH), encoding: 'utf8' }).trim();
  const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: path.dirname(BENCH), encoding: 'utf8' }).trim();
  if (dirty) commit += ' + uncommitted changes in src/';
} catch {
  // not a checkout
}

function summary() {
  const rows = [];
  const o = results.orchestration?.headline;
  if (o?.sleep0)
    rows.push([
      `32 tasks, instant agents, concurrency 8 (command adapter)`,
      `${fmtMs(o.sleep0.ccwave)} vs ${fmtMs(o.sleep0.baseline)} by hand (${(o.sleep0.ccwave / o.sleep0.baseline).toFixed(1)}×); ${Math.round(o.sleep0.beyondBaselinePerTask)} ms/task more than the script`,
    ]);
  for (const [k, v] of Object.entries(o ?? {})) {
    if (!k.startsWith('sleep') || k === 'sleep0') continue;
    rows.push([
      `32 tasks, ${k.slice(5)} s agents, concurrency 8`,
      `${fmtMs(v.ccwave)} vs ${fmtMs(v.baseline)} by hand (${(v.ccwave / v.baseline).toFixed(1)}×); ${Math.round(v.beyondBaselinePerTask)} ms/task more than the script`,
    ]);
  }
  if (o?.claude0)
    rows.push([
      '32 tasks, fake Claude in PTYs (claude adapter)',
      `${fmtMs(o.claude0.ccwave)}; launches a median ${fmtMs(o.claude0.launchGap)} apart (an agent's start-up: ${fmtMs(o.claude0.agentStartup)})`,
    ]);
  const q = results['merge-queue']?.headline;
  for (const key of ['N32k0', 'N32k1', 'N32k3']) {
    const v = q?.[key];
    if (v)
      rows.push([`merge queue, 32 branches, ${key.slice(4)} bad, 0.5 s tests`, `each: ${v.each.tests} test runs, ${fmtMs(v.each.wall)}; batch: ${v.batch.tests} test runs, ${fmtMs(v.batch.wall)}`]);
  }
  const p = results['pty-throughput']?.headline;
  if (p?.harness)
    rows.push([
      '8 agents redrawing full screens flat out',
      `${(p.harness.bytesPerSec / 2 ** 20).toFixed(1)} MiB/s into the screen models at ${p.harness.cpuPct.toFixed(0)} % of one core; peak RSS ${(p.harness.peakRss / 2 ** 20).toFixed(0)} MiB, flat`,
    ]);
  const mibs = (c) => `${(c.bytesPerSec / 2 ** 20).toFixed(1)} MiB/s at ${c.cpuPct.toFixed(0)} % CPU, peak RSS ${(c.peakRss / 2 ** 20).toFixed(0)} MiB`;
  if (p?.cli?.plain) rows.push(['the same through `ccwave run --no-tui`', mibs(p.cli.plain)]);
  if (p?.cli?.tui) rows.push(['the same through `ccwave run` with the TUI', `${mibs(p.cli.tui)}${p.cli.tuiProd ? `; with NODE_ENV=production ${mibs(p.cli.tuiProd)}` : ''}`]);
  const mem = results['memory-scale']?.headline;
  if (mem)
    rows.push([
      '64 idle agents held open',
      `${mem.harnessPerTaskMiB.toFixed(2)} MiB runner RSS per task (harness)${mem.cli ? `; ccwave run: ${mem.cli.perTaskMiB.toFixed(2)} MiB/task, ${(mem.cli.rssIdle / 2 ** 20).toFixed(0)} MiB total` : ''}`,
    ]);
  const s = results.startup?.headline;
  if (s) {
    const get = (prefix) => Object.entries(s).find(([k]) => k.startsWith(prefix))?.[1];
    rows.push([
      'start-up',
      `\`ccwave --help\` ${Math.round(get('ccwave --help'))} ms; \`ccwave validate\` on 500 tasks ${Math.round(get('ccwave validate ('))} ms (node -e 0: ${Math.round(get('node -e 0'))} ms)`,
    ]);
  }
  const w = results['worktree-setup']?.headline;
  if (w)
    rows.push([
      `worktree ready, ${w.files} files in node_modules`,
      `${w.npmCi ? `setup: npm ci ${fmtMs(w.npmCi)}; ` : ''}copy setting ${fmtMs(w.copy)}; ${w.cpR ? `cp -r ${fmtMs(w.cpR)}; ` : ''}bare worktree ${fmtMs(w.worktree)}`,
    ]);
  const sc = results.scale?.headline;
  if (sc?.points?.length) {
    const [a, b] = [sc.points[0], sc.points.at(-1)];
    rows.push([
      `one wave of ${a.n} → ${b.n} instant tasks, concurrency ${sc.concurrency}`,
      `per task: wall ${Math.round(a.wallPerTask)} → ${Math.round(b.wallPerTask)} ms, git processes ${a.gitPerTask.toFixed(1)} → ${b.gitPerTask.toFixed(1)}, runner CPU ${Math.round(a.cpuPerTask)} → ${Math.round(b.cpuPerTask)} ms; peak RSS ${(a.peakRss / 2 ** 20).toFixed(0)} → ${(b.peakRss / 2 ** 20).toFixed(0)} MiB (${sc.flat ? 'flat' : 'not flat'})`,
    ]);
  }
  return rows.length ? ['| benchmark | result |', '| --- | --- |', ...rows.map((r) => `| ${r[0]} | ${r[1]} |`)].join('\n') : '';
}

/** What the figures of this run say about where the time goes; only measured values, no verdicts. */
function findings() {
  const out = [];
  const o = results.orchestration?.headline;
  if (o?.sleep0) {
    const goal = o.sleep0.ccwave <= o.sleep0.baseline && o.sleep0.beyondBaselinePerTask < 100;
    out.push(
      `- **Goal (ccwave total ≤ baseline; < 100 ms overhead per task beyond git's own work): ${goal ? 'met' : 'not met'} in this run.** ` +
        `Instant agents: ccwave ${fmtMs(o.sleep0.ccwave)} vs ${fmtMs(o.sleep0.baseline)}, ${Math.round(o.sleep0.beyondBaselinePerTask)} ms per task beyond the by-hand script (whose own non-agent time is git and the test).`,
    );
  }
  const d = o?.diagnostic;
  if (d) {
    const spawn = d.profile.areas.find((a) => a.name === 'node:child_process');
    out.push(
      `- The runner starts ${d.gitPerTask.toFixed(1)} git processes per task (the script: about 2). ` +
        (spawn ? `\`child_process.spawn\` (fork + exec, synchronous on the main thread) is ${(spawn.share * 100).toFixed(0)} % of the runner's busy main-thread time in the profile, ` : '') +
        `so the runner is CPU-bound on starting git, and each wait for git is on the path of the worktree loop and the merge queue.`,
    );
  }
  const tui = results['pty-throughput']?.headline?.cli;
  if (tui?.tui && tui?.plain) {
    out.push(
      `- With the TUI, the same flood reaches the screen models at ${(tui.tui.bytesPerSec / 2 ** 20).toFixed(1)} MiB/s instead of ${(tui.plain.bytesPerSec / 2 ** 20).toFixed(1)} MiB/s (the runner's CPU is shared with rendering)` +
        (tui.tuiProd ? `; with NODE_ENV=production ${(tui.tuiProd.bytesPerSec / 2 ** 20).toFixed(1)} MiB/s.` : '.'),
    );
  }
  return out.join('\n');
}

const doc = [
  '# ccwave benchmarks',
  '',
  `Written by \`npm run bench\` (\`bench/run.mjs\`); every figure below comes from that run. Timings are printed, never judged: nothing fails on a number.`,
  '',
  '| machine | |',
  '| --- | --- |',
  `| date | ${m.date} |`,
  `| CPU | ${m.cpu}, ${m.cores} cores |`,
  `| memory | ${m.memoryGiB.toFixed(1)} GiB |`,
  `| OS | ${m.os}; temp folder on ${m.tmpFs || '?'} |`,
  `| Node | ${m.node} |`,
  `| git | ${m.git} |`,
  `| ccwave | ${commit || '?'} (dist/ as built before the run) |`,
  `| load average (1, 5, 15 min) | before ${loadBefore}; after ${loadAfter} (the machine is shared: figures under load are noisier and slower) |`,
  `| duration | ${Math.round(totalS)} s for: ${names.join(', ')} |`,
  '',
  targetsSection(results),
  '',
  '## Summary',
  '',
  summary(),
  '',
  findings(),
  '',
  // In the order of their numbers (start-up runs first because it is quick, but reads as number 5).
  ...DOC_ORDER.filter((n) => results[n]).map((n) => `${results[n].markdown}\n\n_(${Math.round(results[n].seconds)} s)_\n`),
  failures.length ? `**Failed:** ${failures.join(', ')} (see the console output).\n` : '',
].join('\n');

const target = path.join(BENCH, 'RESULTS.md');
writeFileSync(target, doc);
log(`wrote ${target} in ${Math.round(totalS)} s${failures.length ? `; FAILED: ${failures.join(', ')}` : ''}`);
process.stdout.write(`\n${targetsSection(results)}\n\n${summary()}\n`);
process.exitCode = failures.length ? 1 : 0;
