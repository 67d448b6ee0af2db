// Shared helpers for the benchmarks: timing, medians, machine facts, sample repositories, Markdown.
// Benchmarks print figures; nothing here passes or fails on timing.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const BENCH = path.join(ROOT, 'bench');
export const DIST = path.join(ROOT, 'dist');
export const CLI = path.join(DIST, 'cli/main.js');
export const FAKE_AGENT = path.join(ROOT, 'fixtures/fake-agent/fake-agent.mjs');

/** A module of dist/, imported by path (the benchmarks measure the built code). */
export function dist(relative) {
  return import(pathToFileURL(path.join(DIST, relative)).href);
}

/** True when `import.meta.url` is the script node was started with (the module runs alone). */
export function isMain(metaUrl) {
  return process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(metaUrl);
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

export function tempDir(prefix) {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function rmrf(dir) {
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** The 1-minute load average, for "figures were taken under this load". */
export function load1() {
  return os.loadavg()[0];
}

/** Integer env var with a default, so a quick pass can shrink any benchmark. */
export function envInt(name, fallback) {
  const n = Number(process.env[name]);
  return Number.isFinite(n) && process.env[name] !== '' && process.env[name] !== undefined ? n : fallback;
}

export function git(cwd, ...args) {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** The environment every git call in a benchmark gets: a fixed identity, no user config. */
export function gitEnv(home) {
  return {
    ...process.env,
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Bench',
    GIT_AUTHOR_EMAIL: 'bench@example.invalid',
    GIT_COMMITTER_NAME: 'Bench',
    GIT_COMMITTER_EMAIL: 'bench@example.invalid',
  };
}

/** A git repository on `main` with a README, a small source tree and one commit. */
export function makeSampleRepo(dir, { files = {} } = {}) {
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Bench');
  git(dir, 'config', 'user.email', 'bench@example.invalid');
  git(dir, 'config', 'commit.gpgsign', 'false');
  writeFileSync(path.join(dir, 'README.md'), '# sample\n');
  mkdirSync(path.join(dir, 'src'), { recursive: true });
  // A little weight, so worktree checkouts are not trivially empty (about 200 files).
  for (let i = 0; i < 200; i++) writeFileSync(path.join(dir, 'src', `module-${i}.js`), `export const v${i} = ${i};\n`.repeat(20));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'sample project');
  return dir;
}

/** Runs a command, resolving with wall time, exit code and output (never rejects on exit code). */
export function runTimed(file, args, options = {}) {
  return new Promise((resolve, reject) => {
    const start = nowMs();
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ ms: nowMs() - start, code, signal, stdout, stderr }));
  });
}

export function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  const gitVersion = execFileSync('git', ['--version'], { encoding: 'utf8' })
    .trim()
    .replace(/^git version /, '');
  let fs = '';
  try {
    fs = execFileSync('df', ['-T', os.tmpdir()], { encoding: 'utf8' }).trim().split('\n')[1]?.split(/\s+/)[1] ?? '';
  } catch {
    // not important
  }
  return {
    cores: os.cpus().length,
    memoryGiB: os.totalmem() / 1024 ** 3,
    cpu: model,
    node: process.version,
    git: gitVersion,
    os: `${os.type()} ${os.release()}`,
    tmpFs: fs,
    date: new Date().toISOString(),
  };
}

/** A Markdown table from a header row and rows of cells. Numbers are printed as given. */
export function table(header, rows, align) {
  const a = align ?? header.map((_, i) => (i === 0 ? 'l' : 'r'));
  const sep = a.map((x) => (x === 'r' ? '---:' : '---'));
  return [header, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

export const fmtMs = (ms) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
export const fmtMiB = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
export const ratio = (a, b) => `${(a / b).toFixed(2)}×`;

/**
 * The standard shape of a benchmark module's result: a Markdown section (title, table, notes) and
 * the headline figures. `--json FILE` writes it for bench/run.mjs; alone it prints the Markdown.
 */
export async function runAsMain(metaUrl, fn) {
  if (!isMain(metaUrl)) return;
  const jsonAt = process.argv.indexOf('--json');
  try {
    const result = await fn();
    if (jsonAt !== -1) writeFileSync(process.argv[jsonAt + 1], JSON.stringify(result));
    else process.stdout.write(`${result.markdown}\n`);
    process.exit(0);
  } catch (error) {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  }
}

/** Progress lines go to stderr, so stdout stays the result. */
export function log(...parts) {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${parts.join(' ')}\n`);
}
