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

/**
 * What to tell the user when a write failed for lack of space. The journal is written before
 * each step is acted on, so whatever the write was, a run stops at a point it resumes from.
 */
export function diskFullMessage(error: NodeJS.ErrnoException): { message: string; hint: string } {
  const where = error.path ? ` writing ${error.path}` : '';
  const what = error.code === 'EDQUOT' ? 'the disk quota is used up' : 'the disk is full';
  return {
    message: `${what}${where} (${error.code}). ccwave stopped; a run in progress was left as it was and can be resumed: nothing it finished is lost.`,
    hint: 'free some space (see `df -h`; `ccwave clean` removes finished runs), then run the same command again: `ccwave run` resumes the run',
  };
}
