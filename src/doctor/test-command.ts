import type { CheckResult } from './check.js';

/**
 * Words a POSIX shell runs itself: a test command starting with one needs nothing on PATH.
 * Keywords are here too (`if`, `for`, `!`), since a command may start with them.
 */
const SHELL_BUILTINS = new Set([
  ...[':', '.', '[', 'alias', 'bg', 'break', 'cd', 'command', 'continue', 'echo', 'eval', 'exec', 'exit', 'export', 'false', 'fg', 'getopts', 'hash'],
  ...['jobs', 'kill', 'printf', 'pwd', 'read', 'readonly', 'return', 'set', 'shift', 'test', 'times', 'trap', 'true', 'type', 'ulimit', 'umask', 'unalias', 'unset', 'wait'],
  ...['!', '{', '(', 'case', 'for', 'if', 'until', 'while'],
]);

/** The program a shell command line starts, or why it cannot be told without running the shell. */
export function firstProgram(command: string): { program: string } | { unknown: string } {
  // Leading `NAME=value` assignments set the environment of the program that follows them.
  const words = command.trim().match(/(?:[^\s'"]+|'[^']*'|"[^"]*")+/g) ?? [];
  const word = words.find((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
  if (word === undefined) return { unknown: 'it runs no program' };
  if (/[$`*?]/.test(word)) return { unknown: `its first word \`${word}\` is expanded by the shell` };
  return { program: word.replace(/'([^']*)'|"([^"]*)"/g, '$1$2') };
}

/** The plan's test command can start: its first word is a shell builtin, a file, or on PATH. */
export function testCommandCheck(test: string | undefined, root: string, findProgram: (program: string, root: string) => boolean): CheckResult {
  const id = 'env.test-command';
  if (test === undefined) return { id, title: 'test command: none in the plan, so merges are not tested', status: 'ok' };
  const first = firstProgram(test);
  if ('unknown' in first) return { id, title: `test command \`${test}\`: not checked`, status: 'ok', detail: `${first.unknown}; only running it can tell` };
  if (SHELL_BUILTINS.has(first.program)) return { id, title: `test command \`${test}\` starts with a shell builtin`, status: 'ok' };
  if (findProgram(first.program, root)) return { id, title: `test command \`${test}\` found`, status: 'ok' };
  return {
    id,
    title: `test command \`${test}\` not found`,
    status: 'failed',
    detail: first.program.includes('/')
      ? `${first.program} is not an executable file in ${root}; a run's test gate would fail every merge`
      : `${first.program} is not on PATH; a run's test gate would fail every merge`,
  };
}
