// Benchmark 5: start-up. `ccwave --help`, `ccwave --version`, and `ccwave validate` (text and
// --json) on a generated 500-task, 10-wave plan; `node -e 0` is the floor. Medians of RUNS runs.
// (Formerly bench/validate-plan.mjs, which now runs this.)
// Environment: BENCH_STARTUP_RUNS (5), BENCH_STARTUP_TASKS (500), BENCH_STARTUP_WAVES (10).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CLI, envInt, load1, log, median, nowMs, rmrf, runAsMain, table, tempDir } from './lib/common.mjs';

const RUNS = envInt('BENCH_STARTUP_RUNS', 5);
const TASKS = envInt('BENCH_STARTUP_TASKS', 500);
const WAVES = envInt('BENCH_STARTUP_WAVES', 10);

function makePlan(dir) {
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  const perWave = TASKS / WAVES;
  const lines = ['---', 'concurrency: 8', 'test: npm test', '---', `# ${TASKS} tasks`, ''];
  for (let w = 0; w < WAVES; w++) {
    lines.push(`## Wave ${w + 1}`, '');
    for (let t = 0; t < perWave; t++) {
      const id = `feature-${String(w * perWave + t + 1).padStart(3, '0')}-task`;
      const requires = w > 0 ? `feature-${String((w - 1) * perWave + t + 1).padStart(3, '0')}-task` : 'none';
      const folder = path.join(dir, 'feature-management/features', id);
      mkdirSync(folder, { recursive: true });
      writeFileSync(
        path.join(folder, 'PROMPT.md'),
        `---\ntimeout: 20m\n---\n# Feature: Task ${id}\n\n## Overview\nDo the thing.\n\n## Dependencies\n- Requires: ${requires}\n\n## Acceptance Criteria\n- [ ] one\n- [ ] two\n`,
      );
      lines.push(`- ${id} — Task ${id}`);
    }
    lines.push('');
  }
  writeFileSync(path.join(dir, 'WAVES.md'), lines.join('\n'));
}

function time(argv, cwd) {
  const samples = [];
  // One untimed run first: the file cache, not ccwave, would otherwise decide the first sample.
  for (let i = 0; i <= RUNS; i++) {
    const start = nowMs();
    const result = spawnSync(process.execPath, argv, { cwd, encoding: 'utf8' });
    if (i > 0) samples.push(nowMs() - start);
    if (result.status !== 0) throw new Error(`${argv.join(' ')} failed (${result.status}): ${result.stderr}`);
  }
  return { median: median(samples), min: Math.min(...samples), max: Math.max(...samples) };
}

export async function main() {
  const dir = tempDir('ccwave-bench-startup-');
  const loads = [load1()];
  try {
    makePlan(dir);
    log(`startup: ${RUNS} runs each`);
    const rows = [
      ['node -e 0 (floor)', time(['-e', '0'], dir)],
      ['ccwave --version', time([CLI, '--version'], dir)],
      ['ccwave --help', time([CLI, '--help'], dir)],
      [`ccwave validate (${TASKS} tasks, ${WAVES} waves)`, time([CLI, 'validate'], dir)],
      [`ccwave validate --json (${TASKS} tasks)`, time([CLI, 'validate', '--json'], dir)],
    ];
    loads.push(load1());
    const floor = rows[0][1].median;
    const markdown = [
      '## 5. Start-up',
      '',
      `Wall time of the whole process, median of ${RUNS} (after one warm-up run); the plan has ${TASKS} tasks in ${WAVES} waves, each with a PROMPT.md with front matter, dependencies and criteria. ` +
        `Load average (1 min): ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}.`,
      '',
      table(
        ['command', 'median', 'min – max', 'above node -e 0'],
        rows.map(([name, t]) => [name, `${t.median.toFixed(0)} ms`, `${t.min.toFixed(0)} – ${t.max.toFixed(0)} ms`, `${(t.median - floor).toFixed(0)} ms`]),
      ),
    ].join('\n');
    return { name: 'startup', markdown, headline: { ...Object.fromEntries(rows.map(([name, t]) => [name, t.median])), load: [Math.min(...loads), Math.max(...loads)] } };
  } finally {
    rmrf(dir);
  }
}

await runAsMain(import.meta.url, main);
