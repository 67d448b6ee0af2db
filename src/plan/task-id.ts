/**
 * Why `id` cannot be used in a git branch name (`ccwave/<run>/<id>`), or undefined when it can.
 * Stricter than `git check-ref-format`: portable folder names that never need quoting.
 */
export function branchNameProblem(id: string): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id)) {
    return 'may only use letters, digits, `.`, `_` and `-`, and must start with a letter or digit';
  }
  if (id.includes('..')) return 'must not contain `..`';
  if (id.endsWith('.lock') || id.endsWith('.')) return 'must not end with `.` or `.lock`';
  return undefined;
}
