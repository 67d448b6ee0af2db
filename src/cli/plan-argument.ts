import path from 'node:path';
import { shellWord } from '../shell-word.js';

/**
 * The plan file as the user would type it in a suggested command: relative to the working folder
 * when that is shorter, and quoted when a shell would split or expand it.
 */
export function planArgument(planFile: string, cwd: string = process.cwd()): string {
  const relative = path.relative(cwd, planFile);
  const shown = relative && !relative.startsWith(`..${path.sep}..`) ? relative : planFile;
  return shellWord(shown);
}
