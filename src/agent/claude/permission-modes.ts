import { execFile } from 'node:child_process';
import { nearest } from '../../plan/suggest.js';

/**
 * Which permission modes a Claude Code accepts. Versions differ (`auto` and `manual` are newer;
 * `manual` is the CLI's name for `default`), so the installed program is asked: given a mode it
 * lacks, `claude --permission-mode <mode> --version` fails with the list of the modes it has, before
 * it touches any account or network (checked on 2.1.330 and 2.1.332). When the program does not
 * answer like Claude Code, the table of its version family decides.
 */
export const CLAUDE_2_1_PERMISSION_MODES = ['acceptEdits', 'auto', 'bypassPermissions', 'default', 'dontAsk', 'manual', 'plan'] as const;

const ASK_TIMEOUT_MS = 15_000;
const VERSION = /^(\S+) \(Claude Code\)/m;
const REFUSED = /argument '([^']*)' is invalid\. Allowed choices are ([^.\n]+)\./;

export type ModeAnswer =
  | { kind: 'accepted'; version: string }
  | { kind: 'refused'; choices: string[] }
  /** Not Claude Code, or no usable answer: the version family's table decides. */
  | { kind: 'unknown' };

export async function askClaudeAboutMode(command: readonly string[], mode: string): Promise<ModeAnswer> {
  const [program, ...args] = command;
  if (!program) return { kind: 'unknown' };
  const { stdout, stderr, ok } = await run(program, [...args, '--permission-mode', mode, '--version']);
  const version = VERSION.exec(stdout)?.[1];
  if (ok && version) return { kind: 'accepted', version };
  const refused = REFUSED.exec(stderr);
  if (!ok && refused && refused[1] === mode) return { kind: 'refused', choices: refused[2]!.split(/,\s*/) };
  return { kind: 'unknown' };
}

/** Why `mode` will not work with this Claude, or undefined when it will. */
export async function permissionModeProblem(command: readonly string[], mode: string): Promise<{ message: string; hint: string } | undefined> {
  const answer = await askClaudeAboutMode(command, mode);
  if (answer.kind === 'accepted') return undefined;
  const hint = (modes: readonly string[]): string => {
    const guess = nearest(mode, modes);
    return guess ? `did you mean \`${guess}\`?` : 'set `permissionMode:` to one of those, or update Claude Code';
  };
  if (answer.kind === 'refused') {
    return {
      message: `the installed Claude Code (${command.join(' ')}) has no permission mode "${mode}"; it has ${answer.choices.join(', ')}`,
      hint: hint(answer.choices),
    };
  }
  if ((CLAUDE_2_1_PERMISSION_MODES as readonly string[]).includes(mode)) return undefined;
  return {
    message: `"${mode}" is not a permission mode of Claude Code 2.1 (${CLAUDE_2_1_PERMISSION_MODES.join(', ')}), and \`${command.join(' ')}\` did not say which modes it has`,
    hint: hint(CLAUDE_2_1_PERMISSION_MODES),
  };
}

function run(program: string, args: string[]): Promise<{ stdout: string; stderr: string; ok: boolean }> {
  return new Promise((resolve) => {
    execFile(program, args, { timeout: ASK_TIMEOUT_MS, encoding: 'utf8', maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      resolve({ stdout: String(stdout ?? ''), stderr: String(stderr ?? ''), ok: !error });
    });
  });
}
