import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { formatSettingDuration } from '../format/duration.js';
import { GROUP_KILL_GRACE_MS, groupIdentity, groupSurvives, signalGroup, type GroupIdentity } from './process-group.js';

/** Enough of a failing command's output to see why, in the journal and the retrospective. */
export const OUTPUT_TAIL_BYTES = 4096;
/**
 * After the command's shell exits, how long its output may still arrive (from a process it left
 * behind holding the pipe) before ccwave stops reading: a leftover must not hold the run.
 */
const OUTPUT_DRAIN_MS = 2_000;

export interface ShellOutcome {
  passed: boolean;
  exitCode: number | null;
  durationMs: number;
  outputTail: string;
  /** `timeout`: killed at the time limit (a failure). `interrupted`: killed by the run's stop (no verdict). */
  end: 'exited' | 'timeout' | 'interrupted';
}

/** What a live command's group must offer to be killed at once on a forced stop or ccwave's exit. */
export interface GroupTracker {
  add(group: { readonly pid: number; signalGroup(signal: NodeJS.Signals): void }): () => void;
}

export interface ShellOptions {
  /** The command's process group is ended after this long and the outcome is `timeout`. */
  timeoutMs: number;
  /** The run's stop: the command's process group is ended and the outcome is `interrupted`. */
  signal?: AbortSignal | undefined;
  /** Told the group as soon as the command runs, so it can be journaled before anything else. */
  onSpawn?: ((group: GroupIdentity) => void) | undefined;
  /** Tracks the live group, so a second Ctrl-C or ccwave's exit kills it at once. */
  tracker?: GroupTracker | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}

/**
 * Runs a command the user wrote (test, setup, verify) through the shell in its own process group,
 * logging all output and keeping the tail. The group, everything the command started, is ended
 * (SIGTERM, then SIGKILL after a grace period) at the time limit, on the run's stop, and when the
 * command exits leaving processes behind.
 */
export function runShell(command: string, cwd: string, logFile: string, options: ShellOptions): Promise<ShellOutcome> {
  const started = Date.now();
  // Stopped before it began (e.g. during a test's checkout): nothing to start, nor to journal.
  if (options.signal?.aborted) return Promise.resolve({ passed: false, exitCode: null, durationMs: 0, outputTail: '', end: 'interrupted' });
  const log = createWriteStream(logFile, { flags: 'a' });
  // A log that cannot be written (a full disk) must not kill the runner: the tail is kept anyway.
  log.on('error', () => undefined);
  let tail = Buffer.alloc(0);
  const keep = (chunk: Buffer): void => {
    log.write(chunk);
    tail = Buffer.concat([tail, chunk]);
    if (tail.length > OUTPUT_TAIL_BYTES * 2) tail = tail.subarray(tail.length - OUTPUT_TAIL_BYTES);
  };
  return new Promise((resolve, reject) => {
    // detached: the command gets its own process group, so a stop can end all it started.
    const child = spawn('sh', ['-c', command], { cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const group = child.pid !== undefined ? groupIdentity(child.pid) : undefined;
    let end: ShellOutcome['end'] = 'exited';
    let killTimer: NodeJS.Timeout | undefined;
    let drainTimer: NodeJS.Timeout | undefined;
    /** Signals the group only while it is still this command's (its number is not reused yet). */
    const signalIfOurs = (sig: NodeJS.Signals): void => {
      if (group && groupSurvives(group)) signalGroup(group.pid, sig);
    };
    const untrack = group ? options.tracker?.add({ pid: group.pid, signalGroup: signalIfOurs }) : undefined;
    // Outlives `finish`: a process that ignores SIGTERM and let go of the pipes still gets SIGKILL
    // (or, if ccwave exits first, the tracker's kill on exit).
    const endGroup = (): void => {
      if (killTimer) return;
      signalIfOurs('SIGTERM');
      killTimer = setTimeout(() => {
        signalIfOurs('SIGKILL');
        untrack?.();
      }, GROUP_KILL_GRACE_MS);
      killTimer.unref();
    };
    const timeout = setTimeout(() => {
      end = 'timeout';
      keep(Buffer.from(`\nccwave: timed out after ${formatSettingDuration(options.timeoutMs)}\n`));
      endGroup();
    }, options.timeoutMs);
    const onAbort = (): void => {
      if (end === 'exited') end = 'interrupted';
      endGroup();
    };
    let finished = false;
    const finish = (exitCode: number | null, error?: Error): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timeout);
      clearTimeout(drainTimer);
      options.signal?.removeEventListener('abort', onAbort);
      if (!killTimer) untrack?.();
      if (error) keep(Buffer.from(`\n${error.message}\n`));
      const text = tail.subarray(Math.max(0, tail.length - OUTPUT_TAIL_BYTES)).toString('utf8');
      const outcome: ShellOutcome = { passed: end === 'exited' && exitCode === 0, exitCode, durationMs: Date.now() - started, outputTail: text, end };
      // The log is complete (or known unwritable) when the outcome is: a reader may open it next.
      if (log.closed) resolve(outcome);
      else {
        log.once('close', () => resolve(outcome));
        log.end();
      }
    };
    child.on('error', (error) => finish(null, error));
    child.on('exit', () => {
      // What the command left running in its group is ended too; output still in the pipe is read
      // until the pipes close, or for a short while if something outside the group holds them.
      if (!killTimer && group && groupSurvives(group)) endGroup();
      drainTimer = setTimeout(
        () => {
          child.stdout.destroy();
          child.stderr.destroy();
          finish(child.exitCode);
        },
        OUTPUT_DRAIN_MS + (killTimer ? GROUP_KILL_GRACE_MS : 0),
      );
    });
    child.on('close', (code) => finish(code));
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (group) options.onSpawn?.(group);
    } catch (error) {
      // Not journaled (e.g. a full disk): a command nobody could find after a crash must not run.
      signalIfOurs('SIGKILL');
      reject(error as Error);
    }
  });
}

/** The reason a failed command gives, for a task's outcome: "setup timed out after 30m". */
export function describeFailure(what: string, outcome: ShellOutcome, timeoutMs: number): string {
  if (outcome.end === 'timeout') return `${what} timed out after ${formatSettingDuration(timeoutMs)}`;
  const lastLine = outcome.outputTail.trim().split('\n').at(-1) ?? '';
  return `${what} failed (exit ${outcome.exitCode ?? 'signal'}): ${lastLine}`.trim();
}
