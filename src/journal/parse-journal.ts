import { z } from 'zod';
import { UserError } from '../errors.js';
import { JOURNAL_VERSION, journalEventSchema, type JournalEvent } from './events.js';

export interface JournalWarning {
  line: number;
  message: string;
  /** At the very end of the file: while a run is live, this is usually a write in progress. */
  atEnd: boolean;
}

export interface ParsedJournal {
  events: JournalEvent[];
  /** Lines that were skipped as incomplete writes (a crash or power loss mid-append). */
  warnings: JournalWarning[];
  /** False when the last line has no newline: the next append must start a fresh line. */
  endsWithNewline: boolean;
}

/** A damaged line in the middle of a journal: its history cannot be trusted. */
export class JournalCorruptError extends UserError {
  readonly file: string;
  readonly line: number;

  constructor(file: string, line: number, detail: string) {
    super(`${file}:${line}: the run journal is corrupt: ${detail}`, {
      hint: "ccwave cannot trust this run's history; keep the file for inspection and start a new run (move its folder away first)",
    });
    this.name = 'JournalCorruptError';
    this.file = file;
    this.line = line;
  }
}

export class JournalVersionError extends UserError {
  constructor(file: string, line: number, version: number) {
    super(`${file}:${line}: written by a newer ccwave (journal v${version}; this ccwave reads up to v${JOURNAL_VERSION})`, {
      hint: 'upgrade ccwave to read or resume this run',
    });
    this.name = 'JournalVersionError';
  }
}

type LineResult = { ok: true; event: JournalEvent } | { ok: false; reason: string };

function parseLine(text: string, file: string, line: number): LineResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not valid JSON' };
  }
  if (typeof raw !== 'object' || raw === null) return { ok: false, reason: 'not a JSON object' };
  const version = (raw as { v?: unknown }).v;
  // Checked before the schema so an upgrade is asked for instead of "corrupt".
  if (typeof version === 'number' && version > JOURNAL_VERSION) throw new JournalVersionError(file, line, version);
  const parsed = journalEventSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: z.prettifyError(parsed.error).replaceAll('\n', ' ') };
  return { ok: true, event: parsed.data };
}

/**
 * Parses a journal's text. Events must count 1, 2, 3, ... without gaps.
 *
 * Bad lines are tolerated only where a crash can leave them: at the end of the file (a torn last
 * write), or just before an event that continues the count (the runner restarted and re-wrote
 * that sequence number on a fresh line). Anything else is corruption, reported with its line.
 */
export function parseJournal(text: string, file: string): ParsedJournal {
  const lines = text.split('\n');
  const endsWithNewline = text.length === 0 || text.endsWith('\n');
  if (endsWithNewline) lines.pop();

  const events: JournalEvent[] = [];
  const warnings: JournalWarning[] = [];
  let pendingBad: Array<{ line: number; reason: string }> = [];

  lines.forEach((text, index) => {
    const line = index + 1;
    if (text.trim() === '') return;
    const result = parseLine(text, file, line);
    if (!result.ok) {
      pendingBad.push({ line, reason: result.reason });
      return;
    }
    const expected = (events.at(-1)?.seq ?? 0) + 1;
    const firstBad = pendingBad[0];
    if (firstBad) {
      if (result.event.seq !== expected) throw new JournalCorruptError(file, firstBad.line, firstBad.reason);
      for (const bad of pendingBad) {
        warnings.push({ line: bad.line, message: `incomplete write skipped (${bad.reason}); the run carried on after it`, atEnd: false });
      }
      pendingBad = [];
    }
    if (result.event.seq !== expected) {
      throw new JournalCorruptError(file, line, `expected event number ${expected}, found ${result.event.seq}`);
    }
    events.push(result.event);
  });

  for (const bad of pendingBad) {
    warnings.push({ line: bad.line, message: `incomplete last write ignored (${bad.reason}); ccwave was probably stopped mid-write`, atEnd: true });
  }
  return { events, warnings, endsWithNewline };
}
