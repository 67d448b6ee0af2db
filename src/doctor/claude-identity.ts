import { execFile } from 'node:child_process';

/** `claude --version` answers at once; a program that takes longer is not answering like Claude Code. */
const VERSION_TIMEOUT_MS = 15_000;
const CLAUDE_VERSION = /^(\S+) \(Claude Code\)/m;

export type AgentIdentity =
  | { kind: 'claude'; version: string }
  /** It ran and answered, but not as Claude Code does (the fake agent says what it is). */
  | { kind: 'other'; said: string }
  | { kind: 'unavailable'; why: string };

/** What the agent program says it is, asked the way Claude Code answers: `<program> --version`. */
export function identifyAgent(command: readonly string[]): Promise<AgentIdentity> {
  const [program, ...args] = command;
  if (!program) return Promise.resolve({ kind: 'unavailable', why: 'no program' });
  return new Promise((resolve) => {
    execFile(program, [...args, '--version'], { timeout: VERSION_TIMEOUT_MS, encoding: 'utf8', maxBuffer: 1 << 20 }, (error, stdout) => {
      const version = CLAUDE_VERSION.exec(String(stdout ?? ''))?.[1];
      if (version) resolve({ kind: 'claude', version });
      else if (error) resolve({ kind: 'unavailable', why: error.message.split('\n')[0]! });
      else resolve({ kind: 'other', said: String(stdout).trim().split('\n')[0] ?? '' });
    });
  });
}

/** Compares dotted version numbers ("2.1.332" > "2.1.330"); a part that is not a number counts as 0. */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [a, b].map((v) => v.split(/[.-]/).map((part) => Number(part) || 0));
  for (let i = 0; i < Math.max(x!.length, y!.length); i++) {
    const diff = (x![i] ?? 0) - (y![i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}
