import { describe, expect, it } from 'vitest';
import { firstProgram, testCommandCheck } from '../../src/doctor/test-command.js';

describe('firstProgram', () => {
  it.each([
    ['npm test', { program: 'npm' }],
    ['  CI=1 FORCE_COLOR=0 npx vitest run', { program: 'npx' }],
    ["'./my tests/run.sh' --fast", { program: './my tests/run.sh' }],
    ['"node" test.js', { program: 'node' }],
    ['$RUNNER test', { unknown: 'its first word `$RUNNER` is expanded by the shell' }],
    ['X=1', { unknown: 'it runs no program' }],
  ])('%s', (command, expected) => {
    expect(firstProgram(command)).toEqual(expected);
  });
});

describe('testCommandCheck', () => {
  const onPath = (program: string): boolean => program === 'npm';
  it.each([
    ['npm test', 'ok'],
    ['make test', 'failed'],
    ['true && npm test', 'ok'],
    ['if true; then make; fi', 'ok'],
    ['$CMD', 'ok'],
  ])('%s: %s', (test, status) => {
    expect(testCommandCheck(test, '/repo', onPath).status).toBe(status);
  });

  it('is fine without a test command', () => {
    expect(testCommandCheck(undefined, '/repo', onPath)).toEqual({ id: 'env.test-command', title: 'test command: none in the plan, so merges are not tested', status: 'ok' });
  });
});
