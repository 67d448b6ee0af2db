import type { GitExec } from './exec.js';
import { readRef } from './refs.js';

/** Every branch ccwave creates lives under this namespace, so listing and cleaning never guess. */
export const BRANCH_NAMESPACE = 'ccwave';
export const ARCHIVE_REF_PREFIX = 'refs/ccwave/archive/';
/** Keeps branch and folder names readable in `git branch` and well below path limits. */
const MAX_COMPONENT_LENGTH = 80;
/** How many `-2`, `-3`, ... suffixes to try before giving up on a unique name. */
const MAX_NAME_SUFFIX = 100;

/**
 * Turns any task id into one path/ref component: letters, digits, `.`, `_` and `-`, starting with a
 * letter or digit, no `..`, no `.lock` ending. Such names are valid refs and safe folder names.
 */
export function sanitizeComponent(raw: string): string {
  let name = raw
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/-{2,}/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, MAX_COMPONENT_LENGTH);
  while (/[.-]$/.test(name) || name.endsWith('.lock')) {
    name = name.endsWith('.lock') ? name.slice(0, -'.lock'.length) : name.slice(0, -1);
  }
  return name.length > 0 ? name : 'task';
}

/** `ccwave/<run-id>/w<wave>/<task-id>`. */
export function taskBranchName(runId: string, wave: number, taskId: string): string {
  return `${BRANCH_NAMESPACE}/${sanitizeComponent(runId)}/w${wave}/${sanitizeComponent(taskId)}`;
}

/** `ccwave/<run-id>/integration`: the branch all of a run's merges go to. */
export function integrationBranchName(runId: string): string {
  return `${BRANCH_NAMESPACE}/${sanitizeComponent(runId)}/integration`;
}

/** The run id of a branch in our namespace (`ccwave/<run>/...`), or undefined. */
export function runIdOfBranch(branch: string): string | undefined {
  const short = branch.replace(/^refs\/heads\//, '');
  const [namespace, runId] = short.split('/');
  return namespace === BRANCH_NAMESPACE && runId ? runId : undefined;
}

/** Where a branch's tip is kept before the branch is deleted: `refs/ccwave/archive/<run>/...`. */
export function archiveRefName(branch: string): string {
  const short = branch.replace(/^refs\/heads\//, '').replace(new RegExp(`^${BRANCH_NAMESPACE}/`), '');
  return `${ARCHIVE_REF_PREFIX}${short}`;
}

/** Git's ref name rules (`git check-ref-format`), for a full ref name like refs/heads/x. */
export function isValidRefName(ref: string): boolean {
  if (ref.length === 0 || ref === '@' || ref.startsWith('/') || ref.endsWith('/') || ref.endsWith('.')) return false;
  // Control characters (including DEL) and the characters git reserves for revision syntax.
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(ref) || ref.includes('..') || ref.includes('@{') || ref.includes('//')) return false;
  const components = ref.split('/');
  if (components.length < 2) return false;
  return components.every((part) => part.length > 0 && !part.startsWith('.') && !part.endsWith('.lock'));
}

/** `name` if no such branch exists yet, else `name-2`, `name-3`, ... */
export async function uniqueBranchName(exec: GitExec, name: string): Promise<string> {
  for (let n = 1; n <= MAX_NAME_SUFFIX; n += 1) {
    const candidate = n === 1 ? name : `${name}-${n}`;
    if ((await readRef(exec, `refs/heads/${candidate}`)) === undefined) return candidate;
  }
  throw new Error(`no free branch name like ${name} after ${MAX_NAME_SUFFIX} tries`);
}
