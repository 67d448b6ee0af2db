// Start-up and validation speed: `ccwave --help`, and `ccwave validate` on a generated 500-task plan.
// Prints medians; not a test (timings never decide pass or fail).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const CLI = path.resolve(import.meta.dirname, '../dist/cli/main.js');
const RUNS = 7;
const TASKS = 500;
const WAVES = 10;

function makePlan(dir) {
  mkdirSync(path.join(dir, '.git'));
  const lines = ['---', 'concurrency: 8', 'test: npm test', '---', '# 500 tasks', ''];
  for (let w = 0; w < WAVES; w++) {
    lines.push(`## Wave ${w + 1}`, '');
    for (let t = 0; t < TASKS / WAVES; t++) {
      const id = `feature-${String(w * (TASKS / WAVES) + t + 1).padStart(3, '0')}-task`;
      const requires = w > 0 ? `feature-${String((w - 1) * (TASKS / WAVES) + t + 1).padStart(3, '0')}-task` : 'none';
      const folder = path.join(dir, 'feature-management/features', id);
      mkdirSync(folder, { recursive: true });
      writeFileSync(path.join(folder, 'PROMPT.md'), `---\ntimeout: 20m\n---\n# Feature: Task ${id}\n\n## Overview\nDo the thing.\n\n## Dependencies\n- Requires: ${requires}\n\n## Acceptance Criteria\n- [ ] one\n- [ ] two\n`);
      lines.push(`- ${id} — Task ${id}`);
    }
    lines.push('');
  }
  writeFileSync(path.join(dir, 'WAVES.md'), lines.join('\n'));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(args, cwd) {
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (result.status !== 0) throw new Error(`ccwave ${args.join(' ')} failed: ${result.stderr}`);
  }
  return median(samples);
}

const dir = mkdtempSync(path.join(tmpdir(), 'ccwave-bench-'));
try {
  makePlan(dir);
  const baseline = median(Array.from({ length: RUNS }, () => {
    const start = process.hrtime.bigint();
    execFileSync(process.execPath, ['-e', '0']);
    return Number(process.hrtime.bigint() - start) / 1e6;
  }));
  const rows = [
    ['node -e 0 (floor)', baseline],
    ['ccwave --help', time(['--help'], dir)],
    [`ccwave validate (${TASKS} tasks, ${WAVES} waves)`, time(['validate'], dir)],
    [`ccwave validate --json (${TASKS} tasks)`, time(['validate', '--json'], dir)],
  ];
  console.log(`| start-up (median of ${RUNS}) | ms |\n|---|---:|`);
  for (const [name, ms] of rows) console.log(`| ${name} | ${ms.toFixed(0)} |`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
