import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { Journal, JOURNAL_VERSION, JournalCorruptError, JournalVersionError, latestRun, listRuns, newRunId, type NewJournalEvent } from '../../src/journal/index.js';
import { tempDir } from '../helpers/temp.js';

const SHA = 'a'.repeat(40);
const RUN = '20261123-144501-ab12';
const fixedClock = () => new Date('2026-11-23T14:45:01.000Z');

let dataDir: string;
beforeEach(() => {
  dataDir = path.join(tempDir('ccwave-journal-'), 'ccwave');
});

const waveStarted = (wave: number): NewJournalEvent => ({ type: 'wave-started', wave, fromSha: SHA });

function journalWith(count: number): Journal {
  const journal = Journal.create(dataDir, RUN, { clock: fixedClock });
  for (let i = 1; i <= count; i += 1) journal.append(waveStarted(i));
  return journal;
}

function lines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n');
}

describe('Journal', () => {
  it('appends events with version, sequence and time, and reads them back', () => {
    const journal = Journal.create(dataDir, RUN, { clock: fixedClock });
    expect(journal.append(waveStarted(1))).toBe(1);
    expect(journal.append({ type: 'merge-skipped', task: 't', result: 'conflict' })).toBe(2);
    journal.close();
    expect(journal.path).toBe(path.join(dataDir, 'runs', RUN, 'journal.jsonl'));
    expect(lines(journal.path)[0]).toBe(`{"v":1,"seq":1,"at":"2026-11-23T14:45:01.000Z","type":"wave-started","wave":1,"fromSha":"${SHA}"}`);
    const { events, warnings } = Journal.read(dataDir, RUN);
    expect(warnings).toEqual([]);
    expect(events.map((e) => [e.seq, e.type])).toEqual([
      [1, 'wave-started'],
      [2, 'merge-skipped'],
    ]);
    expect(events[1]).toMatchObject({ conflictedPaths: [] });
  });

  it('refuses to create a run twice and continues numbering when reopened', () => {
    journalWith(2).close();
    expect(() => Journal.create(dataDir, RUN)).toThrow(/EEXIST/);
    const reopened = Journal.open(dataDir, RUN);
    expect(reopened.append(waveStarted(3))).toBe(3);
    expect(reopened.read().events).toHaveLength(3);
  });

  it('writes nothing for an invalid event', () => {
    const journal = journalWith(1);
    expect(() => journal.append({ type: 'wave-started', wave: 2, fromSha: 'not-a-sha' })).toThrow(/full commit sha/);
    expect(journal.append(waveStarted(2))).toBe(2);
    expect(journal.read().events).toHaveLength(2);
  });

  it('tolerates a torn last line, reports it, and appends on a fresh line', () => {
    journalWith(3).close();
    const file = path.join(dataDir, 'runs', RUN, 'journal.jsonl');
    appendFileSync(file, '{"v":1,"seq":4,"at":"2026-11-23T14:4');

    const torn = Journal.read(dataDir, RUN);
    expect(torn.events).toHaveLength(3);
    expect(torn.warnings).toEqual([{ line: 4, message: expect.stringContaining('incomplete last write ignored'), atEnd: true }]);

    const reopened = Journal.open(dataDir, RUN);
    expect(reopened.warnings).toHaveLength(1);
    expect(reopened.append(waveStarted(4))).toBe(4);
    expect(lines(file)[4]).toMatch(/^\{"v":1,"seq":4,/);

    const after = reopened.read();
    expect(after.events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(after.warnings).toEqual([{ line: 4, message: expect.stringContaining('the run carried on after it'), atEnd: false }]);
  });

  it('keeps a complete last event that only lacks its newline', () => {
    journalWith(1).close();
    const file = path.join(dataDir, 'runs', RUN, 'journal.jsonl');
    appendFileSync(file, JSON.stringify({ v: 1, seq: 2, at: '2026-11-23T14:45:02.000Z', type: 'wave-started', wave: 2, fromSha: SHA }));
    const reopened = Journal.open(dataDir, RUN);
    expect(reopened.append(waveStarted(3))).toBe(3);
    expect(reopened.read()).toMatchObject({ warnings: [], endsWithNewline: true });
    expect(reopened.read().events.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('reports corruption in the middle with the file and line number', () => {
    journalWith(3).close();
    const file = path.join(dataDir, 'runs', RUN, 'journal.jsonl');
    const content = lines(file);
    content[1] = '{"v":1,"seq":2,"at":"garbage';
    writeFileSync(file, content.join('\n'));
    const error = (() => {
      try {
        Journal.read(dataDir, RUN);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(JournalCorruptError);
    expect((error as JournalCorruptError).line).toBe(2);
    expect((error as Error).message).toContain(`${file}:2: the run journal is corrupt`);
    expect(() => Journal.open(dataDir, RUN)).toThrow(JournalCorruptError);
  });

  it.each([
    ['a gap in the numbering', (l: string[]) => [l[0], l[2], ''], 2, /expected event number 2, found 3/],
    ['an unknown event type', (l: string[]) => [l[0], l[1]?.replace('wave-started', 'wave-exploded'), l[2], ''], 2, /Invalid discriminator/],
    ['a bad field', (l: string[]) => [l[0], l[1]?.replace('"wave":2', '"wave":"two"'), l[2], ''], 2, /wave/],
  ])('rejects %s', (_name, edit, line, message) => {
    journalWith(3).close();
    const file = path.join(dataDir, 'runs', RUN, 'journal.jsonl');
    writeFileSync(file, edit(lines(file)).join('\n'));
    expect(() => Journal.read(dataDir, RUN)).toThrow(message);
    expect(() => Journal.read(dataDir, RUN)).toThrow(`journal.jsonl:${line}:`);
  });

  it('refuses events written by a newer ccwave', () => {
    journalWith(1).close();
    const file = path.join(dataDir, 'runs', RUN, 'journal.jsonl');
    const newer = JOURNAL_VERSION + 1;
    appendFileSync(file, `{"v":${newer},"seq":2,"at":"2026-11-23T14:45:01.000Z","type":"teleported"}\n`);
    expect(() => Journal.read(dataDir, RUN)).toThrow(JournalVersionError);
    expect(() => Journal.read(dataDir, RUN)).toThrow(`journal.jsonl:2: written by a newer ccwave (journal v${newer}`);
  });

  it('names the known runs when asked for an unknown one', () => {
    journalWith(0).close();
    expect(() => Journal.read(dataDir, 'nope')).toThrow(/there is no run nope/);
    // An id from the command line never reaches outside the runs folder.
    expect(() => Journal.read(dataDir, `../runs/${RUN}`)).toThrow(/there is no run/);
    try {
      Journal.read(dataDir, 'nope');
    } catch (error) {
      expect((error as { hint?: string }).hint).toBe(`known runs: ${RUN}`);
    }
  });
});

describe('run ids', () => {
  it('sort by time and list only runs with a journal', () => {
    const early = newRunId(new Date('2026-11-23T09:05:07Z'), 'ffff');
    const late = newRunId(new Date('2026-11-23T14:45:01Z'), '0000');
    expect(early).toBe('20261123-090507-ffff');
    expect(late).toBe('20261123-144501-0000');
    expect(newRunId()).toMatch(/^\d{8}-\d{6}-[0-9a-f]{4}$/);
    expect(listRuns(dataDir)).toEqual([]);
    expect(latestRun(dataDir)).toBeUndefined();
    Journal.create(dataDir, late).close();
    Journal.create(dataDir, early).close();
    expect(listRuns(dataDir)).toEqual([early, late]);
    expect(latestRun(dataDir)).toBe(late);
  });
});
