import { Journal, journalEventSchema, versionOf, replay, type JournalEvent, type NewJournalEvent, type RunState } from '../../src/journal/index.js';

/** One entry of a scripted run: when the runner appended it, and the event. */
export type TimedEvent = [at: Date, event: NewJournalEvent];

/**
 * What `Journal.record` stores for each event: numbered from 1, stamped, and checked and
 * defaulted by the real schema, so a fixture that ccwave could not have written fails here.
 */
export function journalOf(entries: readonly TimedEvent[]): JournalEvent[] {
  return entries.map(([at, event], index) => journalEventSchema.parse({ v: versionOf(event), seq: index + 1, at: at.toISOString(), ...event }));
}

/** The `main` every fixture run starts from. */
export const BASE_SHA = '1'.repeat(40);

/** A fixed moment runs start at in tests, so times on screen never change. */
export const TEST_START = new Date('2026-11-23T14:00:00.000Z');

/** `journalOf` for events one second apart from `start`, when their times do not matter. */
export function journalFrom(events: readonly NewJournalEvent[], start: Date = TEST_START): JournalEvent[] {
  return journalOf(events.map((event, i): TimedEvent => [new Date(start.getTime() + i * 1000), event]));
}

export type RunStartedEvent = Extract<NewJournalEvent, { type: 'run-started' }>;

/**
 * The `run-started` event of a plan with these waves of tasks (ids, or ids with titles), based on
 * `main` at `BASE_SHA`; `overrides` replace whole fields.
 */
export function runStartedEvent(waves: ReadonlyArray<ReadonlyArray<string | { id: string; title: string }>>, overrides: Partial<RunStartedEvent> = {}): RunStartedEvent {
  const runId = overrides.runId ?? 'r1';
  return {
    type: 'run-started',
    runId,
    planFile: 'WAVES.md',
    planName: 'Plan',
    base: { branch: 'main', sha: BASE_SHA },
    integration: { branch: `ccwave/${runId}/integration`, worktree: '/repo.ccwave/_integration' },
    settings: {},
    waves: waves.map((tasks, i) => ({
      index: i + 1,
      name: `Wave ${i + 1}`,
      tasks: tasks.map((task) => (typeof task === 'string' ? { id: task, title: `Task ${task}` } : task)).map((task) => ({ ...task, promptPath: `f/${task.id}/PROMPT.md` })),
    })),
    ...overrides,
  };
}

/** The run as `ccwave status`, the UI and the retrospectives see it: the events folded by the real reducer. */
export function stateOf(events: readonly JournalEvent[]): RunState {
  return replay(events);
}

/** Writes the entries to run `runId`'s journal file under `dataDir` through the real journal, at their times. */
export function writeJournal(dataDir: string, runId: string, entries: readonly TimedEvent[]): string {
  let now = new Date(0);
  const journal = Journal.create(dataDir, runId, { clock: () => now });
  for (const [at, event] of entries) {
    now = at;
    journal.record(event);
  }
  journal.close();
  return journal.path;
}

/**
 * A journal kept in memory that validates like the real one, for tests about decisions rather than
 * durability (no file, no fsync per event). Stands in wherever a `Journal` is recorded to.
 */
export function memoryJournal(clock: () => Date = () => new Date()): Journal & { events: JournalEvent[] } {
  const events: JournalEvent[] = [];
  const record = (event: NewJournalEvent): JournalEvent => {
    const written = journalEventSchema.parse({ v: versionOf(event), seq: events.length + 1, at: clock().toISOString(), ...event });
    events.push(written);
    return written;
  };
  return { events, record, append: (event: NewJournalEvent) => record(event).seq } as unknown as Journal & { events: JournalEvent[] };
}
