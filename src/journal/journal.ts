import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { journalEventSchema, versionOf, type JournalEvent, type NewJournalEvent } from './events.js';
import { parseJournal, type JournalWarning, type ParsedJournal } from './parse-journal.js';
import { isRunId, journalPath, listRuns, runDir } from './runs.js';

export interface JournalOptions {
  /** Source of the events' `at` times; tests pass a fixed clock. */
  clock?: () => Date;
}

/**
 * A run's append-only event log, one JSON object per line. Every append is written and fsynced
 * before it returns: the runner appends an intent before acting and a confirmation after, so after
 * a crash the log says exactly what may have happened.
 */
export class Journal {
  readonly runId: string;
  readonly path: string;
  /** Incomplete writes found when the journal was opened. */
  readonly warnings: readonly JournalWarning[];
  #fd: number | undefined;
  #nextSeq: number;
  #needsNewline: boolean;
  readonly #clock: () => Date;

  private constructor(runId: string, file: string, parsed: ParsedJournal, options: JournalOptions) {
    this.runId = runId;
    this.path = file;
    this.warnings = parsed.warnings;
    this.#nextSeq = (parsed.events.at(-1)?.seq ?? 0) + 1;
    this.#needsNewline = !parsed.endsWithNewline;
    this.#clock = options.clock ?? (() => new Date());
    this.#fd = openSync(file, 'a');
  }

  /** Starts the journal of a new run; fails if that run already has one. */
  static create(dataDir: string, runId: string, options: JournalOptions = {}): Journal {
    if (!isRunId(runId)) throw new Error(`not a run id: ${JSON.stringify(runId)}`);
    const dir = runDir(dataDir, runId);
    mkdirSync(dir, { recursive: true });
    const file = journalPath(dataDir, runId);
    // O_EXCL: two runners can never both start the same run's journal.
    closeSync(openSync(file, 'ax'));
    fsyncDir(dir);
    fsyncDir(path.dirname(dir));
    return new Journal(runId, file, { events: [], warnings: [], endsWithNewline: true }, options);
  }

  /** Opens an existing run's journal to append to it (resume). */
  static open(dataDir: string, runId: string, options: JournalOptions = {}): Journal {
    const file = journalPath(dataDir, runId);
    return new Journal(runId, file, readJournalFile(file, dataDir, runId), options);
  }

  /** Reads a run's events without opening it for writing: safe while another process appends. */
  static read(dataDir: string, runId: string): ParsedJournal {
    return readJournalFile(journalPath(dataDir, runId), dataDir, runId);
  }

  /** Appends one event and returns its sequence number once it is on disk. */
  append(event: NewJournalEvent): number {
    return this.record(event).seq;
  }

  /** Appends one event and returns it as written (with `v`, `seq` and `at`) once it is on disk. */
  record(event: NewJournalEvent): JournalEvent {
    if (this.#fd === undefined) throw new Error(`journal ${this.path} is closed`);
    const seq = this.#nextSeq;
    const full = journalEventSchema.parse({ v: versionOf(event), seq, at: this.#clock().toISOString(), ...event });
    const line = `${this.#needsNewline ? '\n' : ''}${JSON.stringify(full)}\n`;
    // If the write fails halfway, the next append must still start on a fresh line.
    this.#needsNewline = true;
    writeFully(this.#fd, line);
    fsyncSync(this.#fd);
    this.#needsNewline = false;
    this.#nextSeq = seq + 1;
    return full;
  }

  read(): ParsedJournal {
    return parseJournal(readFileSync(this.path, 'utf8'), this.path);
  }

  close(): void {
    if (this.#fd === undefined) return;
    closeSync(this.#fd);
    this.#fd = undefined;
  }
}

function readJournalFile(file: string, dataDir: string, runId: string): ParsedJournal {
  // The id may come from the command line: checking its shape first keeps paths inside runs/.
  if (!isRunId(runId) || !existsSync(file)) {
    const known = listRuns(dataDir);
    throw new UserError(`there is no run ${runId}`, {
      hint: known.length > 0 ? `known runs: ${known.join(', ')}` : 'no runs have been started in this repository',
    });
  }
  return parseJournal(readFileSync(file, 'utf8'), file);
}

function writeFully(fd: number, text: string): void {
  const buffer = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < buffer.length) offset += writeSync(fd, buffer, offset, buffer.length - offset);
}

/** Makes a new directory entry durable. Some platforms cannot fsync a directory; that is fine there. */
function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Best effort: the file's own fsync still protects its contents.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
