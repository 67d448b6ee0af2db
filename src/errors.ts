/** Exit codes, documented in the README. */
export const EXIT = {
  ok: 0,
  /** The run finished, but some task failed, conflicted or was not verified. */
  tasksFailed: 1,
  /** Bad input or environment: nothing was changed. */
  usage: 2,
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
