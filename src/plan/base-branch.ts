/**
 * Why `name` cannot be a branch that ccwave moves (`refs/heads/<name>`), or undefined when it can.
 * The rules of `git check-ref-format --branch`, plus no leading `-` (git reads it as an option).
 * A revision like `main~1` would pass a lookup and then fail when the run moves the branch.
 */
export function baseBranchProblem(name: string): string | undefined {
  if (name.startsWith('-')) return 'must not start with `-`';
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) return 'must not contain white space, control characters or any of `~ ^ : ? * [ \\`';
  if (name.includes('..') || name.includes('@{') || name === '@') return 'must not contain `..` or `@{`, or be `@`';
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//')) return 'must not start or end with `/` or contain `//`';
  if (name.endsWith('.') || name.split('/').some((part) => part.startsWith('.') || part.endsWith('.lock'))) {
    return 'must not end with `.`, and no part may start with `.` or end with `.lock`';
  }
  return undefined;
}
