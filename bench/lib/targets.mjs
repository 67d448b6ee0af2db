// The performance targets of ccwave, each judged against the figures of one `npm run bench` run:
// a "Targets" table (target | measured | limit | met? | load) and, for each target not met, where
// the time goes. Pure: everything comes from the benchmarks' headline figures.
import { fmtMs, table } from './common.mjs';

/** How much above an agent's own start-up the gap between two Claude launches may be: no fixed sleep. */
const LAUNCH_SLACK_MS = 250;

const loadText = (headline) => (headline?.load ? `${headline.load[0].toFixed(2)}–${headline.load[1].toFixed(2)}` : '–');
const pct = (x) => `${(x * 100).toFixed(0)} %`;
const times = (x) => `${x.toFixed(2)}×`;

/** The top `n` entries of a count-by-name object, as "name n, name n". */
function topCounts(counts, n = 5) {
  return Object.entries(counts ?? {})
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, count]) => `${name} ${count}`)
    .join(', ');
}

/** Where a ccwave run's wall time goes beyond the script's, phase by phase. */
function phaseGap(run) {
  if (!run?.phases || !run.basePhases) return '';
  const p = run.phases;
  const b = run.basePhases;
  return (
    `worktrees ${fmtMs(p.worktrees)} (script ${fmtMs(b.worktrees)}), agents ${fmtMs(p.agents)} (script ${fmtMs(b.agents)}), ` +
    `merge queue + tests ${fmtMs(p.mergeQueue)} (script ${fmtMs(b.mergeQueue)}), start-up ${fmtMs(p.startup)}, opening the run ${fmtMs(p.openRun)}, retro + land ${fmtMs(p.retroLand)}`
  );
}

/**
 * Every target of the performance work, in the order of the issue that set them. Each is
 * `{ target, measured, limit, met, load, where }`; `met` is undefined when its benchmark did not
 * run, and `where` says where the time goes when it is not met.
 */
export function judgeTargets(results) {
  const o = results.orchestration?.headline;
  const q = results['merge-queue']?.headline;
  const p = results['pty-throughput']?.headline;
  const s = results.startup?.headline;
  const sc = results.scale?.headline;
  const profileTop = o?.diagnostic?.profile?.areas
    ?.slice(0, 3)
    .map((a) => `${a.name} ${pct(a.share)}`)
    .join(', ');
  const rows = [];
  const add = (target, limit, figure, headline, judge) => rows.push({ target, limit, load: loadText(headline), ...(figure ? judge(figure) : { measured: 'not measured in this run' }) });

  add('32 tasks, instant command agents, concurrency 8, `gate: each`: wall vs the by-hand script', '≤ 1.00×', o?.sleep0, o, (r) => ({
    measured: `${fmtMs(r.ccwave)} vs ${fmtMs(r.baseline)}: ${times(r.ccwave / r.baseline)} (${Math.round(r.beyondBaselinePerTask)} ms/task more)`,
    met: r.ccwave <= r.baseline,
    where: phaseGap(r),
  }));
  add('the same: git processes started by the runner, per task (worktree, merge, test, landing)', '≤ 5', o?.diagnostic, o, (d) => ({
    measured: `${d.gitPerTask.toFixed(1)} (one run with a logging git shim)`,
    met: d.gitPerTask <= 5,
    where: `by subcommand: ${topCounts(d.bySub)}`,
  }));
  add('the same: runner CPU per task (user + system, its children excluded)', '≤ 60 ms', o?.sleep0, o, (r) => ({
    measured: `${Math.round(r.cpuPerTask)} ms`,
    met: r.cpuPerTask <= 60,
    where: profileTop ? `main thread, self time: ${profileTop}` : '',
  }));
  add('32 tasks, 1 s agents: wall vs the by-hand script', '≤ 1.00×', o?.sleep1, o, (r) => ({
    measured: `${fmtMs(r.ccwave)} vs ${fmtMs(r.baseline)}: ${times(r.ccwave / r.baseline)}`,
    met: r.ccwave <= r.baseline,
    where: phaseGap(r),
  }));
  add('32 fake-Claude tasks: no fixed sleep between launches (the next starts at the previous SessionStart)', `gap ≤ start-up + ${LAUNCH_SLACK_MS} ms`, o?.claude0, o, (c) => ({
    measured: `launch gap ${fmtMs(c.launchGap)}, an agent's start-up (launch → first reported state) ${fmtMs(c.agentStartup)}; all 32 launched within ${fmtMs(c.launchSpan)}; wall ${fmtMs(c.ccwave)}`,
    met: c.launchGap <= c.agentStartup + LAUNCH_SLACK_MS,
    where: `launches wait ${fmtMs(c.launchGap - c.agentStartup)} beyond an agent's start-up`,
  }));
  add('flood, 8 agents redrawing flat out: throughput the TUI costs vs `--no-tui`', '≤ 10 %', p?.cli?.tui && p?.cli?.plain ? p.cli : undefined, p, (c) => {
    const cost = 1 - c.tui.bytesPerSec / c.plain.bytesPerSec;
    return {
      measured: `${pct(cost)} (${(c.tui.bytesPerSec / 2 ** 20).toFixed(1)} vs ${(c.plain.bytesPerSec / 2 ** 20).toFixed(1)} MiB/s)`,
      met: cost <= 0.1,
      where: `runner CPU ${c.tui.cpuPct.toFixed(0)} % with the TUI vs ${c.plain.cpuPct.toFixed(0)} % without: rendering shares the runner's one thread with the screen models`,
    };
  });
  const startup = (prefix) => (s ? Object.entries(s).find(([k]) => k.startsWith(prefix))?.[1] : undefined);
  const floor = startup('node -e 0');
  add('`ccwave validate` on a 500-task plan', '≤ 400 ms', startup('ccwave validate ('), s, (ms) => ({
    measured: `${Math.round(ms)} ms`,
    met: ms <= 400,
    where: floor ? `${Math.round(ms - floor)} ms above \`node -e 0\` (${Math.round(floor)} ms): loading modules and reading the plan` : '',
  }));
  add('`ccwave --help`', '≤ 150 ms', startup('ccwave --help'), s, (ms) => ({
    measured: `${Math.round(ms)} ms`,
    met: ms <= 150,
    where: floor ? `${Math.round(ms - floor)} ms above \`node -e 0\` (${Math.round(floor)} ms): loading modules` : '',
  }));
  add(
    'scale curve, one wave of 32 → 256 instant tasks, concurrency 32: per-task cost flat',
    `each per-task figure at the largest N ≤ ${sc?.tolerance ?? 1.25}× that at the smallest`,
    sc?.points?.length > 1 ? sc : undefined,
    sc,
    (c) => {
      const [first, last] = [c.points[0], c.points.at(-1)];
      const grown = Object.entries({ 'wall/task': c.growth.wallPerTask, 'git/task': c.growth.gitPerTask, 'CPU/task': c.growth.cpuPerTask }).filter(([, g]) => g > c.tolerance);
      return {
        measured: `${first.n} → ${last.n} tasks: wall/task ${times(c.growth.wallPerTask)}, git/task ${times(c.growth.gitPerTask)}, CPU/task ${times(c.growth.cpuPerTask)}`,
        met: c.flat,
        where: grown.length ? `grows with N: ${grown.map(([k, g]) => `${k} ${times(g)}`).join(', ')}` : '',
      };
    },
  );
  add('`batch` gate, 32 branches, none bad: git processes per merged branch', '≤ 3', q?.N32k0?.batch?.gitPerMerged === undefined ? undefined : q, q, (h) => ({
    measured:
      `${h.N32k0.batch.gitPerMerged.toFixed(1)} (each: ${h.N32k0.each.gitPerMerged.toFixed(1)})` +
      ['N32k1', 'N32k3'].flatMap((k) => (h[k]?.batch ? [`; ${k.slice(4)} bad, re-merged after the cut: ${h[k].batch.gitPerMerged.toFixed(1)}`] : [])).join(''),
    met: h.N32k0.batch.gitPerMerged <= 3,
    where: `by subcommand: ${topCounts(h.N32k0.batch.gitBySub)}`,
  }));
  return rows;
}

/** The "Targets" section of bench/RESULTS.md: the table, then each target not met and where its time goes. */
export function targetsSection(results) {
  const rows = judgeTargets(results);
  const verdict = (met) => (met === undefined ? '–' : met ? 'met' : '**not met**');
  const missed = rows.filter((r) => r.met === false);
  return [
    '## Targets',
    '',
    'Every target of the performance work, judged on this run alone (medians as the sections below say; ratios from the same run; the machine is shared, so the load average during each benchmark is beside its figure).',
    '',
    table(
      ['target', 'measured', 'limit', 'met?', 'load (1 min)'],
      rows.map((r) => [r.target, r.measured, r.limit, verdict(r.met), r.load]),
      ['l', 'l', 'l', 'l', 'r'],
    ),
    '',
    missed.length ? `Not met in this run (${missed.length} of ${rows.length}), and where the time goes:` : `All ${rows.filter((r) => r.met).length} measured targets met in this run.`,
    ...missed.map((r) => `- ${r.target}: ${r.measured}.${r.where ? ` ${r.where}.` : ''}`),
  ].join('\n');
}
