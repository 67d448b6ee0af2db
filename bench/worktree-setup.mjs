// Benchmark 6: a new worktree made ready, for a repository with a large node_modules.
//
// The sample repository depends on PACKAGES local packages (vendor/*.tgz, committed, with a
// package-lock.json) of FILES_PER_PACKAGE small files each: ~20k files in node_modules, which is
// git-ignored and installed in the user's checkout. Compared, each from a fresh worktree:
//   - worktree only: ccwave's ensureTaskWorktree (dist/run/worktree-setup.js), no copy, no setup;
//   - setup: npm ci — a real `npm ci --offline` from the local tarballs (no network needed), run
//     the way ccwave runs `setup` (runShell from dist/process/user-command.js);
//   - setup: cp -r — the "full install" stand-in: a plain copy of the checkout's node_modules;
//   - copy: [node_modules] — ccwave's `copy` setting (cp -a --reflink=auto, inside ensureTaskWorktree).
// Environment: BENCH_NM_PACKAGES (200), BENCH_NM_FILES (100), BENCH_SETUP_RUNS (3), BENCH_NPM_CI (1),
// BENCH_SETUP_CPR (0 while npm ci runs: the cp -r stand-in row).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { dist, envInt, fmtMs, gitEnv, load1, log, machine, makeSampleRepo, median, nowMs, ratio, rmrf, runAsMain, table, tempDir } from './lib/common.mjs';

const PACKAGES = envInt('BENCH_NM_PACKAGES', 200);
const FILES = envInt('BENCH_NM_FILES', 100);
const RUNS = envInt('BENCH_SETUP_RUNS', 3);
const NPM_CI = envInt('BENCH_NPM_CI', 1) === 1;
/** The cp -r stand-in: only needed where a real `npm ci` cannot run (BENCH_NPM_CI=0 turns it on too). */
const CP_R = envInt('BENCH_SETUP_CPR', NPM_CI ? 0 : 1) === 1;
const RUN_ID = '20260101-000000-cafe';

const { Repo, defaultWorktreeRoot } = await dist('git/index.js');
const { Journal, initialRunState } = await dist('journal/index.js');
const { RunRecorder } = await dist('journal/recorder.js');
const { ensureTaskWorktree } = await dist('run/worktree-setup.js');
const { runShell } = await dist('process/user-command.js');

function npmAvailable() {
  try {
    execFileSync('npm', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The sample project: local tarball dependencies, a lockfile, node_modules installed and ignored. */
function makeProject(dir, home) {
  const repo = path.join(dir, 'repo');
  const stage = path.join(dir, 'stage');
  mkdirSync(path.join(repo, 'vendor'), { recursive: true });
  const deps = {};
  for (let p = 0; p < PACKAGES; p++) {
    const name = `dep-${String(p).padStart(3, '0')}`;
    const pkg = path.join(stage, name, 'package');
    mkdirSync(path.join(pkg, 'lib'), { recursive: true });
    writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name, version: '1.0.0', main: 'lib/f0.js' }));
    for (let f = 0; f < FILES - 1; f++) writeFileSync(path.join(pkg, 'lib', `f${f}.js`), `module.exports = ${f}; // ${'x'.repeat(150)}\n`);
    execFileSync('tar', ['czf', path.join(repo, 'vendor', `${name}.tgz`), '-C', path.join(stage, name), 'package']);
    deps[name] = `file:vendor/${name}.tgz`;
  }
  rmrf(stage);
  writeFileSync(path.join(repo, 'package.json'), JSON.stringify({ name: 'sample', version: '1.0.0', private: true, dependencies: deps }, null, 2));
  writeFileSync(path.join(repo, '.gitignore'), 'node_modules/\n');
  const npmEnv = { ...gitEnv(home), npm_config_cache: path.join(dir, 'npm-cache') };
  // Untimed: the user's own install (the lockfile first, then `npm ci`: faster than `npm install`).
  const npmFlags = ['--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'];
  execFileSync('npm', ['install', '--package-lock-only', ...npmFlags], { cwd: repo, env: npmEnv, stdio: 'ignore' });
  execFileSync('npm', ['ci', ...npmFlags], { cwd: repo, env: npmEnv, stdio: 'ignore' });
  makeSampleRepo(repo);
  const files = Number(execFileSync('sh', ['-c', 'find node_modules -type f | wc -l'], { cwd: repo, encoding: 'utf8' }).trim());
  const bytes = Number(execFileSync('du', ['-sb', 'node_modules'], { cwd: repo, encoding: 'utf8' }).split('\t')[0]);
  return { repo, npmEnv, files, bytes };
}

async function context(repoDir, copy) {
  const repo = await Repo.open(repoDir);
  const base = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repoDir, encoding: 'utf8' }).trim();
  const runId = `${RUN_ID.slice(0, -4)}${Math.random().toString(16).slice(2, 6)}`;
  const recorder = new RunRecorder(Journal.create(repo.dataDir, runId), initialRunState());
  recorder.record({
    type: 'run-started',
    runId,
    planFile: 'WAVES.md',
    planName: 'setup bench',
    base: { branch: 'main', sha: base },
    integration: { branch: `ccwave/${runId}/integration`, worktree: path.join(repoDir, '..', 'integration') },
    settings: {},
    waves: [{ index: 1, name: 'Wave 1', tasks: [{ id: 'task', title: 'task', promptPath: 'f/task/PROMPT.md' }] }],
  });
  recorder.record({ type: 'wave-started', wave: 1, fromSha: base });
  const ctx = { repo, recorder, runId, worktreeRoot: await defaultWorktreeRoot(repo), plan: { root: repoDir, settings: { copy } } };
  return { ctx, base, task: { id: 'task', wave: 1 } };
}

async function once(project, variant) {
  const { ctx, base, task } = await context(project.repo, variant === 'copy' ? ['node_modules'] : []);
  const start = nowMs();
  await ensureTaskWorktree(ctx, task, base);
  const worktree = ctx.recorder.state.tasks.task.worktree.path;
  const afterWorktree = nowMs();
  if (variant === 'npm-ci' || variant === 'cp-r') {
    const command = variant === 'npm-ci' ? 'npm ci --offline --no-audit --no-fund --ignore-scripts --loglevel=error' : `cp -r ${JSON.stringify(path.join(project.repo, 'node_modules'))} node_modules`;
    const outcome = await runShell(command, worktree, path.join(ctx.repo.dataDir, `setup-${ctx.runId}.log`), { timeoutMs: 30 * 60_000, env: project.npmEnv });
    if (!outcome.passed) throw new Error(`${command} failed: ${outcome.outputTail}`);
  }
  const total = nowMs() - start;
  const files = variant === 'worktree' ? 0 : Number(execFileSync('sh', ['-c', 'find node_modules -type f | wc -l'], { cwd: worktree, encoding: 'utf8' }).trim());
  ctx.recorder.journal.close();
  // Remove it so every run starts from the same state (not timed).
  execFileSync('git', ['worktree', 'remove', '--force', worktree], { cwd: project.repo });
  return { total, worktree: afterWorktree - start, files };
}

export async function main() {
  const loads = [load1()];
  const dir = tempDir('ccwave-bench-setup-');
  try {
    mkdirSync(path.join(dir, 'home'));
    log(`worktree-setup: generating ${PACKAGES} packages × ${FILES} files and installing them (not timed)`);
    const useNpm = NPM_CI && npmAvailable();
    if (!useNpm) throw new Error('npm is needed to build the sample project (set BENCH_NPM_CI=0 to skip only the npm ci row)');
    const project = makeProject(dir, path.join(dir, 'home'));
    const variants = [
      ['worktree', 'worktree only (`git worktree add` via ensureTaskWorktree)'],
      ...(NPM_CI ? [['npm-ci', '`setup: npm ci --offline` (real npm ci from local tarballs)']] : []),
      ...(CP_R ? [['cp-r', '`setup: cp -r <checkout>/node_modules .` (full-install stand-in)']] : []),
      ['copy', '`copy: [node_modules]` (cp -a --reflink=auto)'],
    ];
    const results = {};
    for (let r = 0; r < RUNS; r++) {
      // Rotate the order: the disk is shared, and a busy moment should not always hit the same variant.
      const order = variants.map((_, i) => variants[(i + r) % variants.length]);
      for (const [variant] of order) {
        log(`worktree-setup: ${variant} run ${r + 1}/${RUNS}`);
        (results[variant] ??= []).push(await once(project, variant));
        loads.push(load1());
      }
    }
    const floor = median(results.worktree.map((x) => x.total));
    const npm = results['npm-ci'] ? median(results['npm-ci'].map((x) => x.total)) : undefined;
    const rows = variants.map(([variant, label]) => {
      const total = median(results[variant].map((x) => x.total));
      const all = results[variant].map((x) => x.total);
      return [label, fmtMs(total), `${fmtMs(Math.min(...all))} – ${fmtMs(Math.max(...all))}`, fmtMs(total - floor), npm ? ratio(total, npm) : '–', String(results[variant][0].files)];
    });
    let reflink = 'unknown';
    const fs = machine().tmpFs;
    reflink = ['btrfs', 'xfs', 'bcachefs', 'zfs'].includes(fs) ? `${fs}: copy-on-write clones possible` : `${fs || 'this filesystem'}: no reflink, so \`--reflink=auto\` falls back to a full copy`;
    const markdown = [
      '## 6. Worktree set-up with a large node_modules',
      '',
      `Sample project: ${PACKAGES} local packages (committed tarballs + package-lock.json), ${project.files} files / ${(project.bytes / 1024 / 1024).toFixed(0)} MiB in node_modules, ` +
        `installed and git-ignored in the user's checkout. Each run makes a fresh task worktree; medians of ${RUNS}. ` +
        `\`npm ci\` is real and offline (the packages are local tarballs; npm ${execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim()}, warm cache), so it measures extraction and linking, not downloads: a real project's \`npm ci\` also fetches. ` +
        `Temp folder filesystem: ${reflink}. Load average (1 min): ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}.`,
      '',
      `Without reflink, \`copy\` is a plain copy: it skips what an install adds on top of writing the files (resolution, downloads, scripts), not the cost of creating ${project.files} files, which is what dominates here.`,
      '',
      table(['worktree ready by', 'wall (median)', 'min – max', 'beyond the worktree', 'vs npm ci', 'files in node_modules'], rows),
    ].join('\n');
    const med = (v) => median(results[v].map((x) => x.total));
    return { name: 'worktree-setup', markdown, headline: { worktree: floor, npmCi: npm, cpR: results['cp-r'] ? med('cp-r') : undefined, copy: med('copy'), files: project.files } };
  } finally {
    rmrf(dir);
  }
}

await runAsMain(import.meta.url, main);
