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
