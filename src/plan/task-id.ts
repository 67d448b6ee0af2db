/** Characters a task id may use: portable in folder and branch names, never in need of quoting. */
const ID_CHARS = /^[A-Za-z0-9._-]$/;

/**
 * Why `id` cannot be used in a git branch name (`ccwave/<run>/<id>`), or undefined when it can.
 * Stricter than `git check-ref-format`: portable folder names that never need quoting.
 */
export function branchNameProblem(id: string): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id)) {
    // Name the character: "letters" alone reads as if `ü` were allowed.
    const bad = [...id].find((char) => !ID_CHARS.test(char));
    const which = bad === undefined ? '' : `has ${bad.trim() === '' ? 'a space' : `\`${bad}\``}; it `;
    return `${which}may only use ASCII letters (a-z, A-Z), digits, \`.\`, \`_\` and \`-\`, and must start with a letter or digit`;
  }
  if (id.includes('..')) return 'must not contain `..`';
  if (id.endsWith('.lock') || id.endsWith('.')) return 'must not end with `.` or `.lock`';
  return undefined;
}
