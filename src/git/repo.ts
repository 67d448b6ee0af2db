import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { GitCommandError, GitExec } from './exec.js';
import { Mutex } from './mutex.js';
import { checkGitVersion, type GitVersion } from './version.js';

/** Where ccwave keeps its run data inside the git dir: never in a working tree. */
export const DATA_DIR_NAME = 'ccwave';

/**
 * One repository, opened from any folder inside it. It owns the write mutex: create one Repo per
 * repository and pass it around, so all of ccwave's ref, worktree and index writes go through it.
 */
export class Repo {
  /** Top of the working tree ccwave was started in (the user's checkout). */
  readonly topLevel: string;
  /** The git dir of that working tree (differs from commonDir inside a linked worktree). */
  readonly gitDir: string;
  /** The git dir shared by all worktrees: refs, objects, and ccwave's run data live here. */
  readonly commonDir: string;
  readonly gitVersion: GitVersion;
  readonly #mutex = new Mutex();
  readonly #execs = new Map<string, GitExec>();

  private constructor(fields: { topLevel: string; gitDir: string; commonDir: string; gitVersion: GitVersion }) {
    this.topLevel = fields.topLevel;
    this.gitDir = fields.gitDir;
    this.commonDir = fields.commonDir;
    this.gitVersion = fields.gitVersion;
  }

  /** Opens the repository containing `dir`, checking git's version once. */
  static async open(dir: string): Promise<Repo> {
    const absolute = path.resolve(dir);
    if (!existsSync(absolute) || !statSync(absolute).isDirectory()) {
      throw new UserError(`${absolute} is not a directory`, { hint: 'pass an existing folder with -C <dir>' });
    }
    const exec = new GitExec(absolute);
    const gitVersion = await checkGitVersion(exec);
    const { gitDir, commonDir, topLevel } = await revParseOrExplain(exec, absolute);
    const repo = new Repo({ topLevel, gitDir, commonDir, gitVersion });
    repo.#execs.set(absolute, exec);
    return repo;
  }

  /** `<git-common-dir>/ccwave`: journal, lock, logs. */
  get dataDir(): string {
    return path.join(this.commonDir, DATA_DIR_NAME);
  }

  /** Git in the user's checkout. Read-only use: ccwave never writes there. */
  get git(): GitExec {
    return this.at(this.topLevel);
  }

  /** Git in another worktree of this repository. */
  at(dir: string): GitExec {
    const key = path.resolve(dir);
    let exec = this.#execs.get(key);
    if (!exec) {
      exec = new GitExec(key);
      this.#execs.set(key, exec);
    }
    return exec;
  }

  /** Runs a writing operation (refs, worktrees, an index) after the previous one has finished. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    return this.#mutex.run(task);
  }
}

/** One rev-parse on the happy path; a second, only on failure, to say what is wrong. */
async function revParseOrExplain(exec: GitExec, dir: string): Promise<{ gitDir: string; commonDir: string; topLevel: string }> {
  const args = ['rev-parse', '--path-format=absolute', '--git-dir', '--git-common-dir', '--show-toplevel'];
  const { stdout, exitCode } = await exec.run(args, [128]);
  const [gitDir, commonDir, topLevel] = stdout.split('\n');
  if (exitCode === 0 && gitDir && commonDir && topLevel) return { gitDir, commonDir, topLevel };

  const probe = await exec.run(['rev-parse', '--is-bare-repository', '--is-inside-work-tree'], [128]);
  const [bare, inside] = probe.stdout.split('\n');
  if (probe.exitCode !== 0) {
    const why = await exec.run(['rev-parse', '--git-dir']).then(
      () => '',
      (error: unknown) => (error instanceof GitCommandError ? error.stderr.trim() : String(error)),
    );
    throw new UserError(`${dir} is not inside a git repository`, {
      hint: `run ccwave from your project's folder or pass -C <dir>${why ? ` (${why})` : ''}`,
    });
  }
  if (bare === 'true') {
    throw new UserError(`${dir} is a bare repository`, { hint: 'ccwave needs a repository with a working tree; run it from a clone' });
  }
  if (inside !== 'true') throw new UserError(`${dir} is inside a git dir, not a working tree`, { hint: 'run ccwave from your project folder' });
  throw new Error(`unexpected git rev-parse output: ${JSON.stringify(stdout)}`);
}
