import { UserError } from '../errors.js';
import type { GitExec } from './exec.js';

export interface GitVersion {
  major: number;
  minor: number;
  patch: number;
  text: string;
}

/** `git merge-tree --write-tree` (conflict checks without a worktree) arrived in git 2.38. */
export const MIN_GIT_VERSION = { major: 2, minor: 38, patch: 0 } as const;

/** Parses `git version` output such as "git version 2.39.5" or "git version 2.43.0.windows.1". */
export function parseGitVersion(output: string): GitVersion | undefined {
  const match = /git version (\d+)\.(\d+)(?:\.(\d+))?/.exec(output);
  if (!match) return undefined;
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3] ?? 0),
    text: `${match[1]}.${match[2]}${match[3] === undefined ? '' : `.${match[3]}`}`,
  };
}

export function isAtLeast(version: GitVersion, min: { major: number; minor: number; patch: number }): boolean {
  if (version.major !== min.major) return version.major > min.major;
  if (version.minor !== min.minor) return version.minor > min.minor;
  return version.patch >= min.patch;
}

/**
 * The git on PATH does not change while we run, and every Repo.open asks: remember the answer
 * (a failed check is not remembered, so a fixed PATH is seen on the next try).
 */
let detected: Promise<GitVersion> | undefined;

/** Detects the installed git once per process and refuses one that is too old, with a clear message. */
export function checkGitVersion(exec: GitExec): Promise<GitVersion> {
  detected ??= detectGitVersion(exec).catch((error: unknown) => {
    detected = undefined;
    throw error;
  });
  return detected;
}

async function detectGitVersion(exec: GitExec): Promise<GitVersion> {
  let output: string;
  try {
    output = await exec.text(['version']);
  } catch (error) {
    throw new UserError('could not run git', {
      hint: `install git ${MIN_GIT_VERSION.major}.${MIN_GIT_VERSION.minor} or newer and put it on PATH (${String(error)})`,
    });
  }
  const version = parseGitVersion(output);
  if (!version) throw new UserError(`could not read the git version from "${output}"`);
  if (!isAtLeast(version, MIN_GIT_VERSION)) {
    throw new UserError(`git ${version.text} is too old for ccwave`, {
      hint: `ccwave needs git ${MIN_GIT_VERSION.major}.${MIN_GIT_VERSION.minor} or newer (for merge-tree --write-tree); please upgrade git`,
    });
  }
  return version;
}
