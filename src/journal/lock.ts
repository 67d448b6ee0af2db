import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, unlinkSync } from 'node:fs';
import { createExclusive, removeIfUnchanged } from './exclusive-file.js';
import path from 'node:path';
import { UserError } from '../errors.js';
import { currentProcessIdentity, judgeLiveness, type Liveness, type ProcessIdentity } from '../process/process-identity.js';

export interface LockInfo extends ProcessIdentity {
  startedAt: string;
  /** The run being worked on, or null for commands that lock without a run. */
  runId: string | null;
  /** What the holder was started as, e.g. "ccwave run WAVES.md". */
  command: string;
  /** Tells our own lock file from one that replaced it, so release never deletes another's lock. */
  nonce: string;
}

/** Retries when another process takes or clears the lock at the same moment. */
const MAX_ACQUIRE_ATTEMPTS = 5;

export function lockPath(dataDir: string): string {
  return path.join(dataDir, 'lock');
}

type LockFile = { info: LockInfo; raw: string } | { info: undefined; raw: string };

function readLockFile(file: string): LockFile | undefined {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const info = JSON.parse(raw) as LockInfo;
    if (typeof info.pid === 'number' && typeof info.hostname === 'string') return { info, raw };
  } catch {
    // Unreadable: reported as such below.
  }
  return { info: undefined, raw };
}

export interface LockStatus {
  info: LockInfo;
  liveness: Liveness;
}

/** Who holds the lock and whether they are alive; read-only (for `ccwave status`). */
export function inspectLock(dataDir: string): LockStatus | undefined {
  const file = readLockFile(lockPath(dataDir));
  return file?.info ? { info: file.info, liveness: judgeLiveness(file.info) } : undefined;
}

export class RunLock {
  readonly file: string;
  readonly info: LockInfo;
  /** Set when a stale lock was taken over: say so to the user. */
  readonly takenOver: { from: LockInfo | undefined; why: string } | undefined;
  readonly #onExit = (): void => this.release();
  #held = true;

  constructor(file: string, info: LockInfo, takenOver: RunLock['takenOver'], releaseOnExit: boolean) {
    this.file = file;
    this.info = info;
    this.takenOver = takenOver;
    if (releaseOnExit) process.once('exit', this.#onExit);
  }

  /** Deletes the lock if it is still ours. Safe to call twice. */
  release(): void {
    if (!this.#held) return;
    this.#held = false;
    process.removeListener('exit', this.#onExit);
    const current = readLockFile(this.file);
    if (current?.info?.nonce === this.info.nonce) unlinkSync(this.file);
  }
}

export interface AcquireOptions {
  runId: string | null;
  command: string;
  /** Release when the process exits normally (default true). Signals are the caller's to handle. */
  releaseOnExit?: boolean;
}

/**
 * Takes `<data-dir>/lock` so only one ccwave works on a repository's runs at a time. A stale lock
 * (dead pid, reboot, recycled pid) is taken over; a live one is refused with the holder's name.
 */
export function acquireLock(dataDir: string, options: AcquireOptions): RunLock {
  mkdirSync(dataDir, { recursive: true });
  const file = lockPath(dataDir);
  const info: LockInfo = {
    ...currentProcessIdentity(),
    startedAt: new Date().toISOString(),
    runId: options.runId,
    command: options.command,
    nonce: randomBytes(8).toString('hex'),
  };
  let takenOver: RunLock['takenOver'];
  for (let attempt = 1; attempt <= MAX_ACQUIRE_ATTEMPTS; attempt += 1) {
    if (createExclusive(file, `${JSON.stringify(info)}\n`)) {
      return new RunLock(file, info, takenOver, options.releaseOnExit ?? true);
    }
    const holder = readLockFile(file);
    if (!holder) continue;
    const liveness: Liveness = holder.info ? judgeLiveness(holder.info) : { alive: false, why: 'the lock file is unreadable' };
    if (liveness.alive !== false && holder.info) throw busyError(file, holder.info, liveness);
    if (liveness.alive) continue;
    if (removeIfUnchanged(file, holder.raw, () => readLockFile(file)?.raw)) takenOver = { from: holder.info, why: liveness.why };
  }
  throw new UserError('could not take the ccwave lock: other ccwave processes keep taking it', {
    hint: `try again; the lock is ${file}`,
  });
}

function busyError(file: string, holder: LockInfo, liveness: Liveness): UserError {
  const who = `pid ${holder.pid}${liveness.alive === 'unknown' ? ` on ${holder.hostname}` : ''} (${holder.command})`;
  const what = holder.runId ? `run ${holder.runId} is being run by ${who}` : `ccwave is busy in this repository: ${who}`;
  return new UserError(`${what} since ${formatSince(holder.startedAt)}; wait for it or stop it`, {
    hint: liveness.alive === 'unknown' ? `${liveness.why}; if that process is gone, delete ${file}` : undefined,
  });
}

/** "14:45" today, "2026-11-22 14:45" on another day: enough to recognise one's own run. */
export function formatSince(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number): string => String(n).padStart(2, '0');
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  const sameDay = date.toDateString() === now.toDateString();
  return sameDay ? time : `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${time}`;
}
