import xtermHeadless from '@xterm/headless';

const { Terminal } = xtermHeadless;
type HeadlessTerminal = InstanceType<typeof Terminal>;

export interface ScreenSize {
  cols: number;
  rows: number;
  /** Lines kept above the screen. Bounded so memory stays flat however long a task runs. */
  scrollback: number;
}

export const DEFAULT_SCREEN_SIZE: ScreenSize = { cols: 120, rows: 40, scrollback: 1000 };

/** Lines made only of box-drawing and blank characters carry no information for a person. */
const CHROME_LINE = /^[\s─━╌┄═│┃╭╮╰╯┌┐└┘├┤▔▁❯>]*$/u;

/** A terminal emulator without a display: what a person would see in the agent's window. */
export class ScreenModel {
  readonly size: ScreenSize;
  readonly #term: HeadlessTerminal;
  #pendingBytes = 0;

  constructor(size: ScreenSize = DEFAULT_SCREEN_SIZE) {
    this.size = size;
    this.#term = new Terminal({
      cols: size.cols,
      rows: size.rows,
      scrollback: size.scrollback,
      allowProposedApi: true,
    });
  }

  /** Feeds output; `parsed` runs once xterm has applied it (xterm parses asynchronously). */
  write(data: Uint8Array | string, parsed?: () => void): void {
    const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    this.#pendingBytes += bytes;
    this.#term.write(data, () => {
      this.#pendingBytes -= bytes;
      parsed?.();
    });
  }

  /** Bytes written but not yet parsed: the PTY host pauses the agent when this grows. */
  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  /** Resolves when everything written so far has been parsed. */
  settled(): Promise<void> {
    return new Promise((resolve) => this.#term.write('', resolve));
  }

  /** The visible screen, one string per row, right-trimmed. */
  visibleLines(): string[] {
    const buffer = this.#term.buffer.active;
    const lines: string[] = [];
    for (let row = 0; row < this.#term.rows; row++) {
      lines.push(buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '');
    }
    return lines;
  }

  /** The last line with something to read, for a one-line progress display. */
  lastMeaningfulLine(): string | undefined {
    const lines = this.visibleLines();
    for (let i = lines.length - 1; i >= 0; i--) {
      const line = lines[i]?.trim() ?? '';
      if (line !== '' && !CHROME_LINE.test(line)) return line;
    }
    return undefined;
  }

  /** Scrollback tail plus the screen, as text: saved next to a failed task for a person to read. */
  snapshot(scrollbackLines = 200): string {
    const buffer = this.#term.buffer.active;
    const first = Math.max(0, buffer.viewportY - scrollbackLines);
    const lines: string[] = [];
    for (let y = first; y < buffer.viewportY + this.#term.rows; y++) {
      lines.push(buffer.getLine(y)?.translateToString(true) ?? '');
    }
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines.join('\n') + '\n';
  }

  /**
   * The scrollback tail plus the screen as the lines the program wrote: rows the terminal wrapped
   * at its width are joined again, so a long line stays one line. Right-trimmed.
   */
  writtenLines(scrollbackLines = 0): string[] {
    const buffer = this.#term.buffer.active;
    let y = Math.max(0, buffer.viewportY - scrollbackLines);
    // Start where a line starts, even when that is just above the requested rows.
    while (y > 0 && buffer.getLine(y)?.isWrapped) y--;
    const end = buffer.viewportY + this.#term.rows;
    const lines: string[] = [];
    for (; y < end; y++) {
      const line = buffer.getLine(y);
      // A row the next one continues is full: its trailing blanks are part of the text.
      const continued = y + 1 < end && buffer.getLine(y + 1)?.isWrapped === true;
      const text = line?.translateToString(!continued) ?? '';
      if (line?.isWrapped && lines.length > 0) lines[lines.length - 1] += text;
      else lines.push(text);
    }
    return lines;
  }

  /** Lines held in memory (scrollback + screen); never more than rows + scrollback. */
  get bufferLength(): number {
    return this.#term.buffer.active.length;
  }

  dispose(): void {
    this.#term.dispose();
  }
}
