import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, statSync, unlinkSync, writeSync } from 'node:fs';

/** A takeover (read, compare, delete) takes milliseconds; a guard this old was left by a crash. */
const TAKEOVER_GUARD_STALE_MS = 10_000;
/** Pause between attempts while another process is mid-takeover. */
const TAKEOVER_RETRY_MS = 25;

/**
 * Creates the file only if it does not exist (the O_EXCL guarantee), complete or not at all: the
 * content goes to a private file first and is hard-linked into place, so a reader can never see a
 * half-written lock and mistake it for a stale one.
 */
export function createExclusive(file: string, content: string): boolean {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeDurably(temp, content, 'wx');
  try {
    linkSync(temp, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw error;
    // A file system without hard links: fall back to a plain O_EXCL create.
    try {
      writeDurably(file, content, 'wx');
      return true;
    } catch (fallbackError) {
      if ((fallbackError as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw fallbackError;
    }
  } finally {
    unlinkSync(temp);
  }
}

function writeDurably(file: string, content: string, flags: string): void {
  const fd = openSync(file, flags);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Deletes a stale lock only if it is still the one we judged stale. A guard file makes the
 * read-compare-delete atomic between processes taking over at the same moment; without it, one
 * could delete the fresh lock the other has just written.
 */
export function removeIfUnchanged(file: string, judgedRaw: string, readRaw: () => string | undefined): boolean {
  const guard = `${file}.takeover`;
  try {
    closeSync(openSync(guard, 'wx'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (ageMs(guard) > TAKEOVER_GUARD_STALE_MS) unlinkQuietly(guard);
    else sleepSync(TAKEOVER_RETRY_MS);
    return false;
  }
  try {
    if (readRaw() !== judgedRaw) return false;
    unlinkSync(file);
    return true;
  } finally {
    unlinkQuietly(guard);
  }
}

function ageMs(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone: that is what we wanted.
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
