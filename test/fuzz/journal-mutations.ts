import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { REPO_ROOT } from '../helpers/cli.js';

/** A real journal of a finished two-wave run (a conflict skipped, tests, retros, landings). */
export const JOURNAL_SEED = readFileSync(path.join(REPO_ROOT, 'fixtures/journals/finished-run.jsonl'), 'utf8');
export const SEED_RUN_ID = '20261202-020958-90d3';

/** Values of every JSON type and some hostile ones, for a field of an event. */
const ODD_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  ' ',
  'x'.repeat(10_000),
  '\u0000',
  '\uD800',
  '\u202E',
  '\x1b[2J',
  '../../../etc/passwd',
  '-rf',
  [],
  [null],
  [''],
  {},
  { a: 1 },
  { __proto__: { polluted: true } },
  'constructor',
  '__proto__',
  'running',
  'done',
  'failed',
  'pending',
  'finished',
  '2026-13-45T99:99:99Z',
  'not a date',
  'f1-alpha',
  'f9-unknown',
  99,
  2,
  1,
];
const EVENT_TYPES = [
  'run-started',
  'wave-started',
  'worktree-intent',
  'worktree-created',
  'agent-starting',
  'task-finished',
  'test-started',
  'test-finished',
  'merge-intent',
  'merge-done',
  'merge-skipped',
  'retro-written',
  'land-intent',
  'land-done',
  'wave-finished',
  'run-finished',
  'no-such-event',
];
const GARBAGE_LINES = ['', ' ', '{', '}', '[]', 'null', '"string"', '42', '{}', '{"v":1}', '{"v":99,"seq":1}', '{"v":-1}', '\u0000\u0000', '\uFEFF{}', 'x'.repeat(100_000)];

export type JournalMutation =
  | { op: 'tear'; line: number; at: number }
  | { op: 'delete'; line: number }
  | { op: 'duplicate'; line: number }
  | { op: 'swap'; line: number; other: number }
  | { op: 'garbage'; line: number; text: number }
  | { op: 'set-field'; line: number; key: number; value: number }
  | { op: 'drop-field'; line: number; key: number }
  | { op: 'retype'; line: number; type: number }
  | { op: 'renumber'; line: number; seq: number }
  | { op: 'truncate-file'; at: number }
  | { op: 'bytes'; at: number; bytes: number[] };

const SCALE = 1_000_000;
const line = fc.nat(60);
const at = fc.integer({ min: 0, max: SCALE });

export const journalMutation: fc.Arbitrary<JournalMutation> = fc.oneof(
  fc.record({ op: fc.constant('tear' as const), line, at }),
  fc.record({ op: fc.constant('delete' as const), line }),
  fc.record({ op: fc.constant('duplicate' as const), line }),
  fc.record({ op: fc.constant('swap' as const), line, other: line }),
  fc.record({ op: fc.constant('garbage' as const), line, text: fc.nat(GARBAGE_LINES.length - 1) }),
  { weight: 4, arbitrary: fc.record({ op: fc.constant('set-field' as const), line, key: fc.nat(20), value: fc.nat(ODD_VALUES.length - 1) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('drop-field' as const), line, key: fc.nat(20) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('retype' as const), line, type: fc.nat(EVENT_TYPES.length - 1) }) },
  fc.record({ op: fc.constant('renumber' as const), line, seq: fc.integer({ min: -2, max: 60 }) }),
  fc.record({ op: fc.constant('truncate-file' as const), at }),
  fc.record({ op: fc.constant('bytes' as const), at, bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 4 }) }),
);

/** Edits one event as JSON, keeping the line valid JSON: only the reader's checks can catch it. */
function editEvent(text: string, edit: (event: Record<string, unknown>, keys: string[]) => void): string {
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch {
    return text;
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return text;
  edit(event as Record<string, unknown>, Object.keys(event));
  return JSON.stringify(event);
}

export function applyJournalMutations(seed: string, mutations: readonly JournalMutation[]): Buffer {
  const lines = seed.split('\n');
  const index = (n: number): number => n % Math.max(1, lines.length);
  for (const m of mutations) {
    if (m.op === 'bytes' || m.op === 'truncate-file') continue;
    const i = index(m.line);
    const text = lines[i] ?? '';
    switch (m.op) {
      case 'tear':
        lines[i] = text.slice(0, Math.floor((m.at / SCALE) * text.length));
        break;
      case 'delete':
        lines.splice(i, 1);
        break;
      case 'duplicate':
        lines.splice(i, 0, text);
        break;
      case 'swap': {
        const j = index(m.other);
        [lines[i], lines[j]] = [lines[j] ?? '', text];
        break;
      }
      case 'garbage':
        lines.splice(i, 0, GARBAGE_LINES[m.text]!);
        break;
      case 'set-field':
        lines[i] = editEvent(text, (event, keys) => {
          const key = keys[m.key % keys.length]!;
          event[key] = ODD_VALUES[m.value];
        });
        break;
      case 'drop-field':
        lines[i] = editEvent(text, (event, keys) => {
          delete event[keys[m.key % keys.length]!];
        });
        break;
      case 'retype':
        lines[i] = editEvent(text, (event) => {
          event.type = EVENT_TYPES[m.type];
        });
        break;
      case 'renumber':
        lines[i] = editEvent(text, (event) => {
          event.seq = m.seq;
        });
        break;
    }
  }
  let bytes = Buffer.from(lines.join('\n'), 'utf8');
  for (const m of mutations) {
    if (m.op === 'truncate-file') bytes = bytes.subarray(0, Math.floor((m.at / SCALE) * bytes.length));
    if (m.op === 'bytes') {
      const i = Math.floor((m.at / SCALE) * bytes.length);
      bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from(m.bytes), bytes.subarray(i)]);
    }
  }
  return bytes;
}

export const mutatedJournal: fc.Arbitrary<Buffer> = fc.array(journalMutation, { minLength: 1, maxLength: 4 }).map((mutations) => applyJournalMutations(JOURNAL_SEED, mutations));
