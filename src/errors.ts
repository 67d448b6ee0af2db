/** Exit codes, documented in the README. */
export const EXIT = {
  ok: 0,
  /** The run finished, but some task failed, conflicted or was not verified. */
  tasksFailed: 1,
  /** Bad input or environment: nothing was changed. */
  usage: 2,
  /** Stopped at a budget (the run's, or a task's): resumable once the budget is raised. */
  overBudget: 3,
  /** Interrupted; the run can be resumed. */
  interrupted: 130,
  /** A bug in ccwave itself. */
  internal: 70,
  /** The disk (or quota) is full: free space, then run again (sysexits' EX_IOERR). */
  diskFull: 74,
} as const;

/**
 * A problem the user can fix: printed as a message and a hint, never as a stack trace.
 */
export class UserError extends Error {
  readonly hint: string | undefined;
  readonly exitCode: number;

  constructor(message: string, options: { hint?: string; exitCode?: number } = {}) {
    super(message);
    this.name = 'UserError';
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? EXIT.usage;
  }
}

/**
 * Thrown by a step cut short because the run is stopping (a test command killed, a conflict
 * hand-back interrupted). The step recorded no verdict, so the run ends resumable and the step is
 * taken again on resume; the merge queue and the scheduler turn it into a stopped wave.
 */
export class StopRequested extends Error {
  constructor(what: string) {
    super(`${what} was interrupted by a stop`);
    this.name = 'StopRequested';
  }
}

/** Errno codes that mean "no room left": a full disk, or the user's quota used up. */
const NO_SPACE = new Set(['ENOSPC', 'EDQUOT']);

/** The no-space error in `error` or anything it wraps (`cause`), if that is what it is. */
export function noSpaceError(error: unknown): NodeJS.ErrnoException | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 10; current = current.cause, depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (code && NO_SPACE.has(code)) return current as NodeJS.ErrnoException;
  }
  return undefined;
}
