import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeFloor, nodeVersionProblem } from '../../src/cli/node-version.js';
import { REPO_ROOT } from '../helpers/cli.js';

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { engines?: { node?: string }; dependencies?: Record<string, string> };

/** `>=22.12.0` → [22, 12, 0]; anything else (`>= 14.6`, `>=0.10.0`) the same way. */
function floorOf(range: string): number[] {
  const match = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(range.trim());
  if (!match) throw new Error(`not a plain floor: ${range}`);
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

const atLeast = (a: number[], b: number[]) => (a[0]! !== b[0]! ? a[0]! > b[0]! : a[1]! !== b[1]! ? a[1]! > b[1]! : a[2]! >= b[2]!);

describe('the Node.js floor', () => {
  it('is no lower than any runtime dependency needs, so npm has nothing to warn about', () => {
    const ours = floorOf(readJson(path.join(REPO_ROOT, 'package.json')).engines!.node!);
    for (const name of Object.keys(readJson(path.join(REPO_ROOT, 'package.json')).dependencies!)) {
      const theirs = readJson(path.join(REPO_ROOT, 'node_modules', name, 'package.json')).engines?.node;
      if (theirs) expect({ name, ok: atLeast(ours, floorOf(theirs)) }).toEqual({ name, ok: true });
    }
    expect(nodeFloor()).toEqual(ours.join('.'));
  });

  it.each([
    ['20.19.0', true],
    ['22.11.0', true],
    ['22.12.0', false],
    ['22.23.5', false],
    ['24.1.0', false],
  ])('Node %s is refused: %s', (version, refused) => {
    const problem = nodeVersionProblem(version);
    expect(problem !== undefined).toBe(refused);
    if (problem) expect(problem).toContain(`Node.js ${nodeFloor()} or newer`);
  });
});
