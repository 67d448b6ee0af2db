import path from 'node:path';

/** Keeps file names readable and well below path limits. */
const MAX_SLUG_LENGTH = 60;

/** `Textkit: the CLI` → `textkit-the-cli`: a file-name-safe form of the plan's name. */
export function planSlug(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/^-+|-+$/g, '');
  return slug || 'plan';
}

/** `<dir>/<plan-slug>-wave-<n>.md`, relative to the repository root, with forward slashes. */
export function defaultRetroPath(dir: string, planName: string, wave: number): string {
  return repoRelativePath(path.posix.join(dir.replaceAll('\\', '/'), `${planSlug(planName)}-wave-${wave}.md`));
}

/**
 * Checks a path that will be written inside a worktree and committed: relative, inside the tree,
 * not in a `.git` folder. Returns it normalised with forward slashes.
 */
export function repoRelativePath(file: string): string {
  const normal = path.posix.normalize(file.replaceAll('\\', '/'));
  const parts = normal.split('/');
  if (path.posix.isAbsolute(normal) || /^[A-Za-z]:/.test(normal) || parts[0] === '..' || normal === '.' || normal.endsWith('/')) {
    throw new Error(`retrospective path ${JSON.stringify(file)} must be a file path inside the repository`);
  }
  if (parts.some((part) => part.toLowerCase() === '.git')) {
    throw new Error(`retrospective path ${JSON.stringify(file)} must not be inside a .git folder`);
  }
  return normal;
}
