import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { statSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';

/** What `git cat-file --batch-check` said of one name: the object it names, or nothing. */
export type Lookup = { sha: string; type: string } | undefined;

interface Waiting {
  resolve: (found: Lookup) => void;
  reject: (error: Error) => void;
}

/**
 * One long-lived `git cat-file --batch-check` that resolves names to objects, a line each, in the
 * order asked: a ref read costs a line on a pipe instead of a git process. git reads the ref (and
 * finds new objects) afresh for every line, so an answer is as current as a `git rev-parse` started
 * at the same moment. Idle, it does not keep ccwave running; it ends with ccwave (its stdin closes).
 * A process that died is started again on the next question, and so is one whose folder was
 * replaced since it started (git found the repository from that folder).
 */
export class BatchCheck {
  readonly #cwd: string;
  readonly #env: () => NodeJS.ProcessEnv;
  #process: CheckProcess | undefined;

  constructor(cwd: string, env: () => NodeJS.ProcessEnv) {
    this.#cwd = cwd;
    this.#env = env;
  }

  /** The object `name` names (as `git rev-parse --verify` resolves it); a name with a line break is refused. */
  lookup(name: string): Promise<Lookup> {
    if (/[\r\n\0]/.test(name)) return Promise.reject(new Error(`not a name git can read from a line: ${JSON.stringify(name)}`));
    const folder = folderId(this.#cwd);
    if (!this.#process?.alive || this.#process.folder !== folder) {
      // What the old one was asked, it still answers: it ends once its stdin closes.
      this.#process?.retire();
      this.#process = new CheckProcess(this.#cwd, folder, this.#env());
    }
    return this.#process.ask(name);
  }
}

/** One `git cat-file --batch-check` and the questions it has not answered yet, in order. */
class CheckProcess {
  readonly folder: string;
  alive = true;
  readonly #child: ChildProcessByStdio<Writable, Readable, null>;
  readonly #waiting: Waiting[] = [];
  #partial = '';

  constructor(cwd: string, folder: string, env: NodeJS.ProcessEnv) {
    this.folder = folder;
    const child = spawn('git', ['cat-file', '--batch-check=%(objectname) %(objecttype)'], { cwd, env, stdio: ['pipe', 'pipe', 'ignore'], windowsHide: true });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => this.#read(chunk));
    // A write after git died fails with EPIPE: the exit below answers the waiting.
    child.stdin.on('error', () => undefined);
    const gone = (error: Error): void => {
      this.alive = false;
      for (const waiting of this.#waiting.splice(0)) waiting.reject(error);
    };
    child.on('error', gone);
    child.on('exit', (code, signal) => gone(new Error(`git cat-file --batch-check ended (${signal ?? `exit ${code}`}) in ${cwd}`)));
    // Idle, neither the process nor its pipes keep ccwave running.
    for (const stream of [child.stdin, child.stdout] as unknown as { unref?: () => void }[]) stream.unref?.();
    child.unref();
    this.#child = child;
  }

  ask(name: string): Promise<Lookup> {
    return new Promise<Lookup>((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      if (this.#waiting.length === 1) this.#child.ref();
      this.#child.stdin.write(`${name}\n`);
    });
  }

  /** No new questions: git ends after answering the ones it has. */
  retire(): void {
    this.alive = false;
    this.#child.stdin.end();
  }

  #read(chunk: string): void {
    const lines = (this.#partial + chunk).split('\n');
    this.#partial = lines.pop() ?? '';
    for (const line of lines) {
      // `<name> missing` or `<name> ambiguous` for a name that resolves to no single object.
      const match = /^([0-9a-f]{40}|[0-9a-f]{64}) ([a-z]+)$/.exec(line);
      this.#waiting.shift()?.resolve(match ? { sha: match[1]!, type: match[2]! } : undefined);
    }
    if (this.#waiting.length === 0) this.#child.unref();
  }
}

function folderId(folder: string): string {
  try {
    const stat = statSync(folder);
    return `${stat.dev}:${stat.ino}`;
  } catch {
    return '';
  }
}
