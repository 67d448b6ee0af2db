import { existsSync } from 'node:fs';
import path from 'node:path';

/** `dir`, or its nearest parent that exists: where git will make the folders a run needs. */
export function nearestExisting(dir: string): string {
  let current = path.resolve(dir);
  while (!existsSync(current) && path.dirname(current) !== current) current = path.dirname(current);
  return current;
}
