import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_SCREEN_SIZE, ScreenModel } from '../../agent/screen-model.js';
import { SyncFrameBuffer } from '../../agent/sync-frames.js';
import { EXIT } from '../../errors.js';
import { inspectLock } from '../../journal/lock.js';
import { runDir } from '../../journal/runs.js';
import { processIO, type CommandIO } from '../command-io.js';
import { findRunTask } from '../run-task.js';

export interface LogsOptions {
  /** The task id, or a unique prefix. */
  task: string;
  raw?: boolean;
  follow?: boolean;
  run?: string;
  cwd?: string;
}

/** Lines of history the text view keeps: a long session's whole transcript, within reason. */
const TEXT_SCROLLBACK_LINES = 20_000;
/** How often --follow looks for new output. */
const FOLLOW_POLL_MS = 250;
const CHUNK_BYTES = 64 * 1024;
/** Small enough that most redraws are seen one by one when replaying. */
const FRAME_BYTES = 4 * 1024;
/** Blank and box-drawing lines, and spinner lines, which change with every frame. */
const NOISE = /^[\s─━╌┄═│┃╭╮╰╯┌┐└┘├┤▔▁❯>]*$|esc to interrupt/u;
/** CSI, OSC and single-character escapes: enough to make a live tail readable. */
const ANSI = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/g;

/** `ccwave logs`: a task's PTY log, rendered through a terminal emulator or raw. */
export async function logsCommand(options: LogsOptions, io: CommandIO = processIO): Promise<number> {
  const { repo, runId, task } = await findRunTask(options.task, options);
  const file = path.join(runDir(repo.dataDir, runId), 'tasks', task.id, 'pty.log');
  if (!existsSync(file)) {
    io.err(`${task.id} has no terminal output yet (it has not started)\n`);
    return EXIT.ok;
  }
  const shown = options.raw ? { offset: copyRaw(file, 0), lines: statSync(file).size } : await printText(file);
  let offset = shown.offset;
  if (!options.follow) {
    // An empty answer looks like a broken command: say what it means.
    if (shown.lines === 0) io.err(`${task.id} printed nothing to its terminal\n`);
    return EXIT.ok;
  }
  // Follows until the run is over (its lock released) or the user presses Ctrl-C.
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, FOLLOW_POLL_MS));
    const size = statSync(file).size;
    if (size > offset) offset = copyRaw(file, offset, options.raw ? undefined : (text) => text.replace(ANSI, ''));
    if (!inspectLock(repo.dataDir)) return EXIT.ok;
  }
}

/** Writes the file's bytes from `offset` to stdout; returns the new offset. */
function copyRaw(file: string, offset: number, filter?: (text: string) => string): number {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(CHUNK_BYTES);
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK_BYTES, offset);
      if (n === 0) return offset;
      const chunk = buffer.subarray(0, n);
      process.stdout.write(filter ? filter(chunk.toString('utf8')) : Buffer.from(chunk));
      offset += n;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Replays the log through a headless terminal and prints every line that appeared on its screen,
 * once, in the order it first appeared: agents redraw in place, so the last screen alone would
 * lose the story. Spinner lines (they change every frame) and empty chrome are left out.
 * Returns where it stopped reading and how many lines it printed.
 */
async function printText(file: string): Promise<{ offset: number; lines: number }> {
  // The agents' own terminal size, so a screen redrawn in place looks as it did to them.
  const screen = new ScreenModel({ ...DEFAULT_SCREEN_SIZE, scrollback: TEXT_SCROLLBACK_LINES });
  const frames = new SyncFrameBuffer();
  const seen = new Set<string>();
  const emit = (lines: string[]): void => {
    for (const line of lines) {
      if (seen.has(line) || NOISE.test(line)) continue;
      // Every line printed is in `seen`: its size says whether anything was.
      seen.add(line);
      process.stdout.write(`${line}\n`);
    }
  };
  const fd = openSync(file, 'r');
  let offset = 0;
  try {
    const buffer = Buffer.alloc(FRAME_BYTES);
    for (;;) {
      const n = readSync(fd, buffer, 0, FRAME_BYTES, offset);
      if (n === 0) break;
      offset += n;
      const parts = frames.push(Buffer.from(buffer.subarray(0, n)));
      for (const part of parts) screen.write(part);
      // Half a synchronized frame is not what anyone saw: the buffer holds it back until it closes.
      if (parts.length === 0) continue;
      await screen.settled();
      emit(screen.writtenLines());
    }
    for (const part of frames.flush()) screen.write(part);
    await screen.settled();
    emit(screen.writtenLines(TEXT_SCROLLBACK_LINES));
  } finally {
    closeSync(fd);
    screen.dispose();
  }
  return { offset, lines: seen.size };
}
