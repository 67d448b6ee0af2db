import { execFile } from 'node:child_process';
import { BatchCheck, type Lookup } from './batch-check.js';

/** One finished git process, for commands whose non-zero exit codes carry meaning. */
export interface GitResult {
  stdout: string;
  exitCode: number;
}

/** A git command that exited non-zero (or could not start). */
export class GitCommandError extends Error {
  readonly args: readonly string[];
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;

  constructor(args: readonly string[], exitCode: number, stdout: string, stderr: string) {
    super(`git ${args.join(' ')} failed (exit ${exitCode}): ${stderr.trim() || stdout.trim()}`);
    this.name = 'GitCommandError';
    this.args = args;
    this.exitCode = exitCode;
    this.stdout = stdout;
    this.stderr = stderr;
  }
}

/** Big outputs (a long `git log`) must not be cut off; this only bounds memory. */
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

/**
 * Variables that point git at another repository, index or object store. A hook or an outer git
 * command may have set them; inherited, they would make our commands act on the wrong repository.
 */
const REPO_LOCATING_ENV = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_COMMON_DIR',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_NAMESPACE',
  'GIT_PREFIX',
  'GIT_QUARANTINE_PATH',
];

/**
 * Config that runs programs on its own: hooks (even `update-ref` runs reference-transaction) and
 * the fsmonitor (every `git status`). An agent can set them in the shared repository config; a
 * hanging fsmonitor it set once froze ccwave for good. ccwave's own git commands run neither. The
 * variables have the command line's precedence over every config file.
 */
const NEUTRAL_CONFIG: readonly (readonly [string, string])[] = [
  ['core.hooksPath', '/dev/null'],
  ['core.fsmonitor', 'false'],
];

/**
 * The environment of every git process ccwave starts (the agent's probe included). `extra` is set
 * on purpose by the caller (e.g. `GIT_INDEX_FILE` for a private index), after the inherited
 * repository-locating variables are cleared.
 */
export function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of REPO_LOCATING_ENV) delete env[name];
  // Unattended: never wait for a password prompt or an editor.
  env.GIT_TERMINAL_PROMPT = '0';
  env.GIT_EDITOR = 'true';
  // Added after any the user set in GIT_CONFIG_COUNT (later entries win).
  const first = Number.parseInt(env.GIT_CONFIG_COUNT ?? '0', 10) || 0;
  NEUTRAL_CONFIG.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${first + i}`] = key;
    env[`GIT_CONFIG_VALUE_${first + i}`] = value;
  });
  env.GIT_CONFIG_COUNT = String(first + NEUTRAL_CONFIG.length);
  return { ...env, ...extra };
}

/**
 * Runs git in one directory, always with an argv array (never a shell string).
 *
 * Why not simple-git here: it sleeps a fixed 50 ms after every git process that prints nothing
 * (update-ref, merge-base --is-ancestor, ...), measured at 74 ms instead of 16 ms per call, and we
 * make many such calls. This class is the only place that spawns git, so the choice stays local.
 */
export class GitExec {
  readonly cwd: string;
  #batch: BatchCheck | undefined;

  constructor(cwd: string) {
    this.cwd = cwd;
  }

  /** The object a name resolves to, read by one long-lived `git cat-file --batch-check` (see BatchCheck). */
  lookup(name: string): Promise<Lookup> {
    this.#batch ??= new BatchCheck(this.cwd, () => gitEnv());
    return this.#batch.lookup(name);
  }

  /**
   * Runs git; exit codes listed in `okExitCodes` (besides 0) are returned instead of thrown.
   * `input` is written to git's stdin (e.g. an `update-ref --stdin` transaction). `env` is set on
   * purpose by the caller (e.g. `GIT_INDEX_FILE` for a private index), after the inherited ones
   * are cleared.
   */
  run(args: readonly string[], okExitCodes: readonly number[] = [], input?: string, env?: Record<string, string>): Promise<GitResult> {
    return new Promise((resolve, reject) => {
      const child = execFile('git', [...args], { cwd: this.cwd, env: gitEnv(env), encoding: 'utf8', maxBuffer: MAX_OUTPUT_BYTES, windowsHide: true }, (error, stdout, stderr) => {
        if (!error) {
          resolve({ stdout, exitCode: 0 });
          return;
        }
        // A number is git's exit code; a string (ENOENT, ...) means git did not run at all.
        const exitCode = typeof error.code === 'number' ? error.code : -1;
        if (okExitCodes.includes(exitCode)) resolve({ stdout, exitCode });
        else reject(new GitCommandError(args, exitCode, stdout, stderr || error.message));
      });
      // If git exits without reading its input, the write fails with EPIPE; the exit code says why.
      child.stdin?.on('error', () => undefined);
      // Without input, close stdin at once so git never waits on it.
      child.stdin?.end(input);
    });
  }

  /** Runs git and returns stdout without the trailing newline. */
  async text(args: readonly string[]): Promise<string> {
    const { stdout } = await this.run(args);
    return stdout.replace(/\n$/, '');
  }

  /** Runs git and returns its stdout split into non-empty lines. */
  async lines(args: readonly string[]): Promise<string[]> {
    const { stdout } = await this.run(args);
    return stdout.split('\n').filter((line) => line.length > 0);
  }

  /** Runs git with -z style output and returns the NUL-separated fields. */
  async fields(args: readonly string[]): Promise<string[]> {
    const { stdout } = await this.run(args);
    return splitNul(stdout);
  }
}

export function splitNul(text: string): string[] {
  const parts = text.split('\0');
  if (parts.at(-1) === '') parts.pop();
  return parts;
}
