import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostics } from './diagnostics.js';
import type { TaskRef } from './parse-waves.js';
import { isInside, realOr } from './repo-root.js';
import { closestFew, nearest } from './suggest.js';

export const PROMPT_FILE = 'PROMPT.md';

export interface ResolvedRef {
  id: string;
  promptFile: string;
  title?: string;
}

/** The feature folders of a plan, listed once. */
export class FeatureFolders {
  readonly names: string[];
  readonly missing: boolean;
  reported = false;

  constructor(readonly dir: string) {
    let names: string[] = [];
    let missing = false;
    try {
      names = readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort();
    } catch {
      missing = true;
    }
    this.names = names;
    this.missing = missing;
  }

  /** A folder by exact name or unique prefix (`feature-004` for `feature-004-worktree-aware`). */
  lookup(id: string): { found: string } | { candidates: string[] } {
    return lookupId(this.names, id);
  }
}

/**
 * An exact name, or a unique prefix of one. A prefix ending at a `-` wins over longer numbers
 * (`feature-1` means `feature-1-x`, not `feature-10-y`).
 */
export function lookupId(names: readonly string[], id: string): { found: string } | { candidates: string[] } {
  if (names.includes(id)) return { found: id };
  const prefixed = names.filter((name) => name.startsWith(id));
  if (prefixed.length === 1) return { found: prefixed[0]! };
  const atBoundary = prefixed.filter((name) => name.startsWith(`${id}-`));
  if (atBoundary.length === 1) return { found: atBoundary[0]! };
  return { candidates: prefixed };
}

/** Finds the PROMPT.md a task reference names, or reports why it cannot. */
export function resolveTaskRef(ref: TaskRef, context: { planFile: string; root: string; features: FeatureFolders }, diagnostics: Diagnostics): ResolvedRef | undefined {
  const { planFile, features } = context;
  const title = ref.title ? { title: ref.title } : {};
  if (ref.kind === 'id') {
    if (features.missing) {
      // One message for the folder, not one per task.
      if (!features.reported) {
        features.reported = true;
        diagnostics.error(
          planFile,
          ref.at,
          `cannot look up \`${ref.id}\`: the features folder \`${path.relative(context.root, features.dir)}\` does not exist`,
          'set `features:` in the front matter, or link the PROMPT.md: `- [Title](path/to/PROMPT.md)`',
        );
      }
      return undefined;
    }
    const result = features.lookup(ref.id);
    if ('candidates' in result) {
      if (result.candidates.length > 1) {
        diagnostics.error(planFile, ref.at, `\`${ref.id}\` matches ${result.candidates.length} features`, `write one of: ${result.candidates.slice(0, 8).join(', ')}`);
      } else {
        const guess = nearest(ref.id, features.names);
        const hint = guess
          ? `did you mean \`${guess}\`?`
          : features.names.length
            ? `known features: ${closestFew(ref.id, features.names).join(', ')}${features.names.length > 3 ? ', …' : ''}`
            : 'the features folder is empty';
        diagnostics.error(planFile, ref.at, `unknown feature \`${ref.id}\`: no folder of that name in \`${path.relative(context.root, features.dir) || '.'}\``, hint);
      }
      return undefined;
    }
    return { id: result.found, promptFile: path.join(features.dir, result.found, PROMPT_FILE), ...title };
  }
  return resolveLink(ref, context, diagnostics);
}

function resolveLink(ref: Extract<TaskRef, { kind: 'link' }>, context: { planFile: string; root: string }, diagnostics: Diagnostics): ResolvedRef | undefined {
  const { planFile, root } = context;
  if (/^[a-z][a-z0-9+.-]*:/i.test(ref.href)) {
    diagnostics.error(planFile, ref.at, `link \`${ref.href}\` is not a local file`, 'link the PROMPT.md by a path relative to WAVES.md');
    return undefined;
  }
  let href: string;
  try {
    href = decodeURIComponent(ref.href.split('#')[0]!);
  } catch {
    href = ref.href;
  }
  if (href === '') {
    diagnostics.error(planFile, ref.at, 'link has no target', 'write `- [Title](path/to/PROMPT.md)`');
    return undefined;
  }
  // A leading `/` means the repository root, as on code hosts.
  let target = href.startsWith('/') ? path.join(root, href) : path.resolve(path.dirname(planFile), href);
  if (!isInside(root, target) || !isInside(realOr(root), realOr(target))) {
    diagnostics.error(planFile, ref.at, `link \`${ref.href}\` points outside the repository`, 'task specs must live in the repository the run works on');
    return undefined;
  }
  if (isDirectory(target)) target = path.join(target, PROMPT_FILE);
  return { id: path.basename(path.dirname(target)), promptFile: target, ...(ref.title ? { title: ref.title } : {}) };
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
