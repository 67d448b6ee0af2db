import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { IPty } from 'node-pty';
import { KEYS, type KeyName } from './keys.js';
import { nodePty } from './node-pty.js';
import { ScreenModel, DEFAULT_SCREEN_SIZE, type ScreenSize } from './screen-model.js';
import { SyncFrameBuffer } from './sync-frames.js';

/**
 * Claude Code's input box treats a fast burst of characters as a paste; an Enter inside the burst
 * becomes a newline in the box instead of submitting. Sending Enter separately after this pause
 * submits reliably, even for long text.
 */
export const SUBMIT_PAUSE_MS = 250;
/** A redraw frame that has not closed by then is shown anyway: a stuck frame must not blind us. */
export const SYNC_FRAME_TIMEOUT_MS = 200;
/** After the polite request (e.g. `/exit`), how long the agent gets to save and leave. */
export const POLITE_STOP_MS = 5_000;
/** After SIGTERM, how long before SIGKILL: enough for a process to flush its files. */
export const TERM_GRACE_MS = 3_000;
/** Unparsed output above this pauses the agent until the screen model catches up (flow control). */
const PARSE_HIGH_WATER_BYTES = 4 * 1024 * 1024;
const PARSE_LOW_WATER_BYTES = 512 * 1024;
/**
 * node-pty destroys the PTY socket 200 ms after the child exits if it is still paused, dropping
 * the last output. While paused we look this often whether the child is still alive.
 */
const PAUSED_LIVENESS_CHECK_MS = 50;

export interface PtyLaunch {
  /** argv[0] is the program; no shell is involved. */
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  /** Every byte the agent prints is appended here, for replay. */
  rawLogPath: string;
  size?: ScreenSize;
}

export interface PtyExit {
  exitCode: number;
  signal: number | undefined;
}

export interface StopSteps {
  /** Text typed first (e.g. `/exit` for Claude); a key name sends that key instead. */
  polite?: { text: string } | { key: KeyName };
  politeMs?: number;
  termMs?: number;
}

/** One agent process in a pseudo-terminal, its raw log and its screen model. */
export class PtyHost {
  readonly pid: number;
  readonly screen: ScreenModel;
  readonly exited: Promise<PtyExit>;
  readonly #pty: IPty;
  readonly #log: WriteStream;
  readonly #frames = new SyncFrameBuffer();
  readonly #outputListeners = new Set<() => void>();
  #frameTimer: NodeJS.Timeout | undefined;
  #rawBytes = 0;
  #logFailed = false;
  #paused = { log: false, parse: false };
  #livenessTimer: NodeJS.Timeout | undefined;
  #exit: PtyExit | undefined;

  constructor(launch: PtyLaunch) {
    const [file, ...args] = launch.argv;
    if (!file) throw new Error('PtyHost: empty argv');
    const size = launch.size ?? DEFAULT_SCREEN_SIZE;
    mkdirSync(dirname(launch.rawLogPath), { recursive: true });
    this.#log = createWriteStream(launch.rawLogPath, { flags: 'a' });
    this.#log.on('drain', () => this.#setPaused('log', false));
    // A log that cannot be written (a full disk) must not kill the runner or stall the agent.
    this.#log.on('error', () => {
      this.#logFailed = true;
      this.#setPaused('log', false);
    });
    this.screen = new ScreenModel(size);
    this.#pty = nodePty().spawn(file, args, {
      name: 'xterm-256color',
      cols: size.cols,
      rows: size.rows,
      cwd: launch.cwd,
      env: { ...launch.env, TERM: 'xterm-256color' },
      // Raw bytes: the log must hold exactly what the agent printed, and UTF-8 may split across chunks.
      encoding: null,
    });
    this.pid = this.#pty.pid;
    this.#pty.onData((data) => this.#onData(data as unknown as Buffer));
    this.exited = new Promise((resolve) => {
      this.#pty.onExit(({ exitCode, signal }) => {
        this.#exit = { exitCode, signal: signal || undefined };
        this.#showHeldFrame();
        resolve(this.#exit);
      });
    });
  }

  get hasExited(): boolean {
    return this.#exit !== undefined;
  }

  /** Bytes received from the agent so far (all of them are in the raw log once it is closed). */
  get rawBytes(): number {
    return this.#rawBytes;
  }

  /** Called after each chunk has reached the screen model's input. Returns an unsubscribe function. */
  onOutput(listener: () => void): () => void {
    this.#outputListeners.add(listener);
    return () => this.#outputListeners.delete(listener);
  }

  write(data: string): void {
    if (!this.hasExited) this.#pty.write(data);
  }

  sendKey(key: KeyName): void {
    this.write(KEYS[key]);
  }

  /** Types a line and submits it: text first, Enter separately (see SUBMIT_PAUSE_MS). */
  async sendLine(text: string): Promise<void> {
    this.write(text);
    await delay(SUBMIT_PAUSE_MS);
    this.write(KEYS.enter);
  }

  /** Signals the whole process group: the agent's own children go too. */
  signalGroup(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.pid, signal);
    } catch {
      // ESRCH: the group is already gone.
    }
  }

  /** Polite request → SIGTERM → SIGKILL, each with its own wait. Always ends with no process left. */
  async stop(steps: StopSteps = {}): Promise<PtyExit> {
    if (!this.hasExited && steps.polite) {
      if ('key' in steps.polite) this.sendKey(steps.polite.key);
      else await this.sendLine(steps.polite.text);
      await waitOrTimeout(this.exited, steps.politeMs ?? POLITE_STOP_MS);
    }
    if (!this.hasExited) {
      this.signalGroup('SIGTERM');
      await waitOrTimeout(this.exited, steps.termMs ?? TERM_GRACE_MS);
    }
    if (!this.hasExited) this.signalGroup('SIGKILL');
    const exit = await this.exited;
    // Children that outlived the leader (background jobs) are still in the group.
    this.signalGroup('SIGKILL');
    return exit;
  }

  /** Flushes the raw log and frees the screen model's memory. Call once the process has exited. */
  async close(): Promise<void> {
    clearTimeout(this.#frameTimer);
    clearInterval(this.#livenessTimer);
    await this.screen.settled();
    if (!this.#logFailed) await new Promise<void>((resolve) => this.#log.end(resolve));
  }

  #onData(chunk: Buffer): void {
    this.#rawBytes += chunk.length;
    if (!this.#logFailed && !this.#log.write(chunk)) this.#setPaused('log', true);
    for (const part of this.#frames.push(chunk)) this.#toScreen(part);
    clearTimeout(this.#frameTimer);
    if (this.#frames.inFrame) {
      this.#frameTimer = setTimeout(() => this.#showHeldFrame(), SYNC_FRAME_TIMEOUT_MS);
    }
    for (const listener of this.#outputListeners) listener();
  }

  #showHeldFrame(): void {
    for (const part of this.#frames.flush()) this.#toScreen(part);
  }

  #toScreen(part: Buffer): void {
    this.screen.write(part, () => {
      if (this.screen.pendingBytes < PARSE_LOW_WATER_BYTES) this.#setPaused('parse', false);
    });
    if (this.screen.pendingBytes > PARSE_HIGH_WATER_BYTES) this.#setPaused('parse', true);
  }

  /** Flow control: the agent waits (its writes block) while the disk or the parser catches up. */
  #setPaused(reason: 'log' | 'parse', paused: boolean): void {
    const before = this.#paused.log || this.#paused.parse;
    this.#paused[reason] = paused;
    const after = this.#paused.log || this.#paused.parse;
    if (this.hasExited || before === after) return;
    clearInterval(this.#livenessTimer);
    if (!after) {
      this.#pty.resume();
      return;
    }
    this.#pty.pause();
    this.#livenessTimer = setInterval(() => {
      if (isAlive(this.pid)) return;
      clearInterval(this.#livenessTimer);
      this.#paused = { log: false, parse: false };
      this.#pty.resume();
    }, PAUSED_LIVENESS_CHECK_MS);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitOrTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
