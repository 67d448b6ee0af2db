import { readFileSync } from 'node:fs';

/**
 * The oldest Node.js ccwave runs on: package.json's `engines.node` (`>=X.Y.Z`), the highest floor
 * among its dependencies (commander needs 22.12; ink and p-queue 22). Read from there so npm's
 * check and ours never disagree.
 */
export function nodeFloor(): string {
  const { engines } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { engines: { node: string } };
  return engines.node.replace(/^>=\s*/, '');
}

/** Why this Node.js is too old, or undefined. npm only warns (EBADENGINE) and installs anyway. */
export function nodeVersionProblem(version: string): string | undefined {
  const floor = nodeFloor();
  const [have, need] = [version, floor].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) {
    const a = have![i] ?? 0;
    const b = need![i] ?? 0;
    if (a !== b) return a > b ? undefined : `ccwave needs Node.js ${floor} or newer; this is ${version}`;
  }
  return undefined;
}
