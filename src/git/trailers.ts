/** Trailers on every merge commit ccwave makes, so a resumed run can find merges it already did. */
export const TRAILER_KEYS = {
  task: 'Ccwave-Task',
  run: 'Ccwave-Run',
  tip: 'Ccwave-Tip',
} as const;

export interface MergeTrailers {
  task: string;
  run: string;
  tip: string;
}

/** A commit message: subject, blank line, then the trailer block git recognises. */
export function mergeMessage(subject: string, trailers: MergeTrailers): string {
  for (const [key, value] of Object.entries(trailers)) {
    // A newline would end the trailer block early and let a task id forge other trailers.
    if (/[\r\n]/.test(value) || value.trim() === '') throw new Error(`invalid ${key} trailer value: ${JSON.stringify(value)}`);
  }
  const firstLine = subject.split(/\r?\n/)[0]?.trim() || `Merge ccwave task ${trailers.task}`;
  return [firstLine, '', `${TRAILER_KEYS.task}: ${trailers.task}`, `${TRAILER_KEYS.run}: ${trailers.run}`, `${TRAILER_KEYS.tip}: ${trailers.tip}`].join('\n');
}

/** Reads `Key: value` lines (as printed by `%(trailers:only,unfold)`) into our trailers, if all present. */
export function parseMergeTrailers(block: string): MergeTrailers | undefined {
  const values = new Map<string, string>();
  for (const line of block.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    // The last value wins, as with git's own trailer handling of repeated keys.
    values.set(key, line.slice(colon + 1).trim());
  }
  const task = values.get(TRAILER_KEYS.task.toLowerCase());
  const run = values.get(TRAILER_KEYS.run.toLowerCase());
  const tip = values.get(TRAILER_KEYS.tip.toLowerCase());
  return task && run && tip ? { task, run, tip } : undefined;
}
