import path from 'node:path';
import { isInside, realOr } from './repo-root.js';
import { isRecord } from '../is-record.js';

/** A setting's value that is well-typed but not allowed, at its place in the front matter. */
export interface ValueProblem {
  path: Array<string | number>;
  message: string;
  hint: string;
}

const IN_REPO_HINT = 'write a path relative to the repository root, inside it';
const OPTION_LIKE = /^-/;

/**
 * Values that must stay inside the repository (`copy`, `features`, `retro.dir`), after symlinks
 * too, and values that reach a command line as arguments (`model`, `allowedTools`) and so must
 * not look like options (`base` is checked as a branch name by the schema). Reads the raw front matter defensively: wrong types are the schema's
 * to report, so that every problem is found in one pass.
 */
export function confinedValueProblems(raw: unknown, root: string, kind: 'plan' | 'prompt'): ValueProblem[] {
  if (!isRecord(raw)) return [];
  const problems: ValueProblem[] = [];
  const inRepo = (value: unknown, at: Array<string | number>, what: string): void => {
    if (typeof value !== 'string' || value === '') return;
    const problem = repoPathProblem(value, root, what) ?? (what === 'copied' && path.posix.normalize(value) === '.' ? 'the whole repository cannot be copied' : undefined);
    if (problem) problems.push({ path: at, message: `\`${at.join('.')}\`: ${problem}`, hint: IN_REPO_HINT });
  };
  const notAnOption = (value: unknown, at: Array<string | number>, why: string, hint: string): void => {
    if (typeof value === 'string' && OPTION_LIKE.test(value)) {
      problems.push({ path: at, message: `\`${at.join('.')}\` must not start with \`-\`: ${JSON.stringify(value)} ${why}`, hint });
    }
  };
  // In a PROMPT.md these keys are refused as run settings already.
  if (kind === 'plan') {
    if (Array.isArray(raw.copy)) raw.copy.forEach((entry, i) => inRepo(entry, ['copy', i], 'copied'));
    inRepo(raw.features, ['features'], 'read');
    if (isRecord(raw.retro)) inRepo(raw.retro.dir, ['retro', 'dir'], 'written');
  }
  notAnOption(raw.model, ['model'], 'would reach claude as an option', 'write a model name, like sonnet');
  if (Array.isArray(raw.allowedTools)) {
    raw.allowedTools.forEach((tool, i) => notAnOption(tool, ['allowedTools', i], 'would reach claude as an option', 'write a tool rule, like Edit or "Bash(npm test:*)"'));
  }
  return problems;
}

/** Why `value` is not a path inside the repository (as written, and after symlinks), if it is not. */
function repoPathProblem(value: string, root: string, what: string): string | undefined {
  const posix = value.replaceAll('\\', '/');
  if (path.posix.isAbsolute(posix) || /^[A-Za-z]:/.test(posix)) return `${JSON.stringify(value)} is an absolute path; only paths inside the repository are ${what}`;
  const parts = path.posix.normalize(posix).split('/');
  if (parts[0] === '..') return `${JSON.stringify(value)} leads outside the repository`;
  if (parts.some((part) => part.toLowerCase() === '.git')) return `${JSON.stringify(value)} is inside a .git folder`;
  const real = realOr(path.resolve(root, value));
  if (!isInside(realOr(root), real)) return `${JSON.stringify(value)} leads outside the repository through a symlink (to ${real})`;
  return undefined;
}
