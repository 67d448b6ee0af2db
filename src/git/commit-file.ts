import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { GitExec } from './exec.js';
import { treeOf } from './refs.js';

const SYMLINK_MODE = '120000';
const GITLINK_MODE = '160000';
const TREE_MODE = '040000';
const FILE_MODE = '100644';

export interface CommitFileRequest {
  parent: string;
  /** Relative to the repository root, forward slashes, already checked by the caller. */
  file: string;
  content: string;
  message: string;
}

export type CommitFileResult =
  | { sha: string; created: boolean }
  /** The file cannot go there: a folder on its way (or the file itself) is a symlink or not a folder. */
  | { refused: string };

/**
 * Why `file` cannot be written into `commit`'s tree without going through something an agent may
 * have committed: a symlink (or a file, or a submodule) where a folder must be, or a symlink, folder
 * or submodule where the file goes. Undefined when it can.
 */
export async function treePathProblem(exec: GitExec, commit: string, file: string): Promise<string | undefined> {
  const parts = file.split('/');
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  // -t lists the folders on the way too; ls-tree matches these names literally, never as globs.
  const fields = await exec.fields(['ls-tree', '-t', '-z', '--full-tree', commit, '--', ...prefixes]);
  const modes = new Map<string, string>();
  for (const field of fields) {
    const tab = field.indexOf('\t');
    if (tab > 0) modes.set(field.slice(tab + 1), field.slice(0, field.indexOf(' ')));
  }
  for (const [i, prefix] of prefixes.entries()) {
    const mode = modes.get(prefix);
    if (mode === undefined) return undefined;
    const last = i === prefixes.length - 1;
    if (mode === SYMLINK_MODE) return `\`${prefix}\` is a symlink in the committed tree`;
    if (mode === GITLINK_MODE) return `\`${prefix}\` is a submodule in the committed tree`;
    if (!last && mode !== TREE_MODE) return `\`${prefix}\` is a file in the committed tree, not a folder`;
    if (last && mode === TREE_MODE) return `\`${prefix}\` is a folder in the committed tree`;
  }
  return undefined;
}

/**
 * Commits `content` as `file` on top of `parent` from git objects alone: a blob, a private index,
 * a tree and a commit. Nothing is written to any working tree, so nothing an agent committed there
 * (a symlinked folder, a symlinked file) can redirect the write. Returns the new commit, the parent
 * itself when the tree already holds that content, or why the path was refused. Moves no ref.
 */
export async function commitFile(exec: GitExec, request: CommitFileRequest): Promise<CommitFileResult> {
  const problem = await treePathProblem(exec, request.parent, request.file);
  if (problem) return { refused: problem };
  const blob = (await exec.run(['hash-object', '-w', '--stdin'], [], request.content)).stdout.trim();
  const scratch = mkdtempSync(path.join(tmpdir(), 'ccwave-index-'));
  try {
    const env = { GIT_INDEX_FILE: path.join(scratch, 'index') };
    await exec.run(['read-tree', request.parent], [], undefined, env);
    await exec.run(['update-index', '--add', '--cacheinfo', `${FILE_MODE},${blob},${request.file}`], [], undefined, env);
    const tree = (await exec.run(['write-tree'], [], undefined, env)).stdout.trim();
    if (tree === (await treeOf(exec, request.parent))) return { sha: request.parent, created: false };
    const sha = (await exec.run(['commit-tree', tree, '-p', request.parent, '-F', '-'], [], request.message)).stdout.trim();
    return { sha, created: true };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
