import { existsSync, lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { GitExec } from '../git/exec.js';
import { hasUncommittedOrIgnored } from '../git/repo-state.js';
import type { RunState, WaveState } from '../journal/run-state.js';
import { DEFAULT_RUN_SETTINGS } from '../plan/defaults.js';
import { defaultRetroPath, repoRelativePath } from './retro-path.js';

export type RetroDestination = { file: string; unchanged?: boolean } | { file: string; refused: string };

/**
 * Where `ccwave retro` writes a wave's retrospective in the checkout: where the run committed it,
 * else `<retro.dir>/<plan>-wave-<n>.md`. `retroDir` is the plan's setting when the plan loads.
 */
export function retroFileOf(state: RunState, wave: WaveState, retroDir: string | undefined): string {
  // A damaged journal's path is not one to write at: the next candidate is.
  const candidates = [() => repoRelativePath(wave.retro?.path ?? ''), () => defaultRetroPath(retroDir ?? journaledRetroDir(state) ?? DEFAULT_RUN_SETTINGS.retro.dir, state.planName, wave.index)];
  for (const candidate of candidates) {
    try {
      return candidate();
    } catch {
      // Not a path inside the repository: try the next.
    }
  }
  return defaultRetroPath(DEFAULT_RUN_SETTINGS.retro.dir, state.planName, wave.index);
}

function journaledRetroDir(state: RunState): string | undefined {
  const retro = state.settings.retro;
  if (retro && typeof retro === 'object' && !Array.isArray(retro) && typeof retro.dir === 'string') return retro.dir;
  return undefined;
}

/**
 * Whether `text` may be written at `relative` in the checkout at `top`. Never through a symlink
 * (an agent may have committed one leading anywhere), never over a file with changes git does not
 * have (the user's edits): a tracked file git holds as it is can be overwritten, git keeps it.
 */
export async function checkRetroDestination(git: GitExec, top: string, relative: string, text: string): Promise<RetroDestination> {
  const file = path.join(top, relative);
  let at = top;
  for (const part of relative.split('/')) {
    at = path.join(at, part);
    if (!existsSync(at) && !isSymlink(at)) break;
    if (isSymlink(at)) return { file, refused: `${path.relative(top, at)} is a symlink; nothing is written through one` };
    if (at !== file && !lstatSync(at).isDirectory()) return { file, refused: `${path.relative(top, at)} is not a folder` };
  }
  if (!existsSync(file)) return { file };
  if (!lstatSync(file).isFile()) return { file, refused: 'something other than a file is there' };
  if (readFileSync(file, 'utf8') === text) return { file, unchanged: true };
  if (await hasUncommittedOrIgnored(git, relative)) return { file, refused: 'it has changes git does not have; commit or move them, or use --stdout' };
  return { file };
}

function isSymlink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}
