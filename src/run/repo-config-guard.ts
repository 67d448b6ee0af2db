import { lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, renameSync, symlinkSync, writeFileSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { Repo } from '../git/repo.js';
import { isRecord } from '../is-record.js';

/**
 * What an agent could change in the shared git dir to make code run outside its worktree later:
 * the repository config (hooks path, fsmonitor, filter drivers, identity, includes) and the hooks
 * folder. ccwave's own git commands ignore hooks and the fsmonitor (gitEnv); the user's don't.
 */
export interface RepoConfigSnapshot {
  /** Undefined when the config is not a regular file (then it is not guarded). */
  config: Buffer | undefined;
  hooks: Map<string, Entry>;
}

/** A hook as found: a file's bytes or a symlink's target (some setups link their hooks). */
type Entry = { file: Buffer } | { link: string };

export interface RepoConfigChanges {
  /** `key=value` lines added, changed or removed in the config; undefined when it did not change. */
  configLines?: string[];
  /** Hook files added, changed or removed. */
  hooks: string[];
}

/** Where a run keeps the config and hooks it began with. */
const BASELINE_FILE = 'repo-config-baseline.json';

/**
 * The config and hooks as they were when the run began: what the end of every agent puts back. One
 * for the whole run, never one per agent: an agent that started while another's change was in force
 * would take that change for the user's and put it back at its own end. Kept in the run's folder,
 * so a run resumed after a crash restores the same, not what a killed agent left in force.
 */
export function runConfigBaseline(repo: Repo, runDir: string): RepoConfigSnapshot {
  const file = path.join(runDir, BASELINE_FILE);
  const stored = readBaseline(file);
  if (stored) return stored;
  const snapshot = snapshotRepoConfig(repo);
  mkdirSync(runDir, { recursive: true });
  replaceFile(file, Buffer.from(JSON.stringify(serialize(snapshot))));
  return snapshot;
}

type StoredEntry = { file: string } | { link: string };
interface StoredBaseline {
  config: string | null;
  hooks: Record<string, StoredEntry>;
}

function serialize(snapshot: RepoConfigSnapshot): StoredBaseline {
  const hooks: Record<string, StoredEntry> = {};
  for (const [name, entry] of snapshot.hooks) hooks[name] = 'file' in entry ? { file: entry.file.toString('base64') } : { link: entry.link };
  return { config: snapshot.config?.toString('base64') ?? null, hooks };
}

/** The stored baseline; undefined when there is none (a run from before it was kept) or it is not one. */
function readBaseline(file: string): RepoConfigSnapshot | undefined {
  let stored: unknown;
  try {
    stored = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (!isRecord(stored) || !isRecord(stored.hooks) || (stored.config !== null && typeof stored.config !== 'string')) return undefined;
  const hooks = new Map<string, Entry>();
  for (const [name, entry] of Object.entries(stored.hooks)) {
    // A hook name is one file in the hooks folder, nothing else.
    if (name === '' || name.includes('/') || name === '.' || name === '..' || !isRecord(entry)) return undefined;
    if (typeof entry.file === 'string') hooks.set(name, { file: Buffer.from(entry.file, 'base64') });
    else if (typeof entry.link === 'string') hooks.set(name, { link: entry.link });
    else return undefined;
  }
  return { config: stored.config === null ? undefined : Buffer.from(stored.config, 'base64'), hooks };
}

export function snapshotRepoConfig(repo: Repo): RepoConfigSnapshot {
  const hooks = new Map<string, Entry>();
  for (const name of hookFiles(repo)) {
    const entry = readEntry(path.join(hooksDir(repo), name));
    if (entry) hooks.set(name, entry);
  }
  return { config: readIfFile(configPath(repo)), hooks };
}

/**
 * Puts the config and hooks back as they were in `snapshot`. What was changed is moved (never
 * deleted) into `saveDir`, so a person can see it and take back what they meant to keep.
 */
export function restoreRepoConfig(repo: Repo, snapshot: RepoConfigSnapshot, saveDir: string): RepoConfigChanges {
  const changes: RepoConfigChanges = { hooks: [] };
  const file = configPath(repo);
  const now = readIfFile(file);
  if (snapshot.config && !sameBytes(now, snapshot.config)) {
    mkdirSync(saveDir, { recursive: true });
    if (now) writeFileSync(path.join(saveDir, 'config'), now);
    changes.configLines = changedLines(now?.toString('utf8') ?? '', snapshot.config.toString('utf8'));
    replaceFile(file, snapshot.config);
  }
  const dir = hooksDir(repo);
  const names = new Set([...hookFiles(repo), ...snapshot.hooks.keys()]);
  for (const name of [...names].sort()) {
    const file = path.join(dir, name);
    const before = snapshot.hooks.get(name);
    if (sameEntry(before, readEntry(file))) continue;
    mkdirSync(path.join(saveDir, 'hooks'), { recursive: true });
    if (lstatOrUndefined(file)) renameSync(file, path.join(saveDir, 'hooks', name));
    if (before && 'file' in before) writeFileSync(file, before.file, { mode: 0o755 });
    else if (before) symlinkSync(before.link, file);
    changes.hooks.push(name);
  }
  return changes;
}

function configPath(repo: Repo): string {
  return path.join(repo.commonDir, 'config');
}

function hooksDir(repo: Repo): string {
  return path.join(repo.commonDir, 'hooks');
}

/** The hooks folder's entries but git's own `*.sample` files, which never run. */
function hookFiles(repo: Repo): string[] {
  try {
    return readdirSync(hooksDir(repo)).filter((name) => !name.endsWith('.sample'));
  } catch {
    return [];
  }
}

function readIfFile(file: string): Buffer | undefined {
  return lstatOrUndefined(file)?.isFile() ? readFileSync(file) : undefined;
}

function readEntry(file: string): Entry | undefined {
  const stat = lstatOrUndefined(file);
  if (stat?.isSymbolicLink()) return { link: readlinkSync(file) };
  return stat?.isFile() ? { file: readFileSync(file) } : undefined;
}

function sameEntry(a: Entry | undefined, b: Entry | undefined): boolean {
  if (!a || !b) return a === b;
  if ('file' in a) return 'file' in b && a.file.equals(b.file);
  return 'link' in b && a.link === b.link;
}

function lstatOrUndefined(file: string): Stats | undefined {
  try {
    return lstatSync(file);
  } catch {
    return undefined;
  }
}

/** Written beside and renamed over: a symlink planted at `file` is replaced, never followed. */
function replaceFile(file: string, content: Buffer): void {
  const temp = `${file}.ccwave-restore`;
  writeFileSync(temp, content, { flag: 'w', mode: 0o644 });
  renameSync(temp, file);
}

function sameBytes(a: Buffer | undefined, b: Buffer | undefined): boolean {
  return a !== undefined && b !== undefined && a.equals(b);
}

/** The config's settings as `section.key=value` lines, and which differ between the two texts. */
function changedLines(now: string, before: string): string[] {
  const a = settingLines(now);
  const b = settingLines(before);
  return [...a.filter((line) => !b.includes(line)), ...b.filter((line) => !a.includes(line)).map((line) => `-${line}`)];
}

function settingLines(text: string): string[] {
  const lines: string[] = [];
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const header = /^\[([^\]\s"]+)(?:\s+"(.*)")?\]/.exec(line);
    if (header) section = header[2] === undefined ? header[1]!.toLowerCase() : `${header[1]!.toLowerCase()}.${header[2]}`;
    else if (line && !line.startsWith('#') && !line.startsWith(';')) {
      const [key, ...value] = line.split('=');
      lines.push(`${section}.${key!.trim().toLowerCase()}=${value.join('=').trim()}`);
    }
  }
  return lines;
}
