import { describe, expect, it } from 'vitest';
import { JsonReporter } from '../../src/ui/json-reporter.js';
import { PlainReporter } from '../../src/ui/plain-reporter.js';
import { iso } from './helpers/journal.js';
import { overnight } from './helpers/overnight.js';
import { report } from './helpers/plain-log.js';

function plainLog(options: { summary?: boolean } = {}): string {
  let out = '';
  const reporter = new PlainReporter({
    write: (text) => (out += text),
    timeZone: 'UTC',
    now: () => new Date(iso('22:12:01')),
    summary: options.summary ? { logsDir: '/repo/.git/ccwave/r1/logs' } : undefined,
  });
  for (const event of overnight()) {
    report(reporter, [event]);
    if (event.type === 'agent-state' && event.state === 'paused') reporter.onPause(event.until);
  }
  return out;
}

describe('PlainReporter', () => {
  it('tells the night’s story one line per change', () => {
    expect(plainLog().split('\n')).toEqual([
      '22:00:00 run r1 started: Textkit, 2 waves, 4 tasks',
      '22:00:01 wave 1/2 started: 3 tasks',
      '22:00:25 feature-001-slugify  ▸ working',
      '22:00:26 feature-002-wordcount  ▸ working',
      '22:02:00 feature-002-wordcount  ! waiting: permission',
      '22:02:30 feature-002-wordcount  ▸ working',
      '22:09:00 feature-001-slugify  ◦ idle',
      '22:09:31 feature-001-slugify  ✓ done: 3 commits in 9m10s',
      '22:09:45 feature-003-truncate  ◎ retrying (attempt 2)',
      '22:10:00 feature-003-truncate  ▸ working',
      '22:12:00 feature-003-truncate  ‖ paused until 23:00 (usage limit)',
      '22:12:01 paused until 23:00 (usage limit)',
      '22:40:00 feature-002-wordcount  ◷ failed: idle timeout (10m) in 39m38s · 2 commits kept on ccwave/r1/feature-002-wordcount',
      '23:00:05 feature-003-truncate  ▸ working',
      '23:20:00 feature-003-truncate  ✓ done: 1 commit in 1h10m',
      '23:20:02 merge feature-001-slugify → ● merged (a1b2c3d)',
      '23:20:04 merge feature-003-truncate → ≠ conflict: src/truncate.ts, src/index.ts',
      '23:20:43 tests on a1b2c3d passed (38s)',
      '23:21:00 wave 1/2 retrospective: waves/retro-wave-1.md',
      '23:21:01 wave 1/2 finished: 1 merged · 2 failed (1h21m)',
      '23:21:02 wave 2/2 started: 1 task',
      '23:21:08 feature-005-csv  ▸ working',
      '23:40:00 feature-005-csv  ✓ done: 4 commits in 18m56s',
      '23:41:00 tests on f0f0f0f failed (exit 1, 57s)',
      '23:41:00     | FAIL test/csv.test.ts',
      '23:41:00     |   expected 3 rows, got 2',
      '23:41:00     | 1 failed, 38 passed',
      '23:41:01 merge feature-005-csv → ⊗ tests failed: the tests failed with this branch merged',
      '23:41:30 wave 2/2 retrospective: waves/retro-wave-2.md',
      '23:41:31 wave 2/2 finished: 1 failed (20m29s)',
      '23:41:32 repair: pruned-worktree feature-002-wordcount: worktree kept: branch has 2 unmerged commits',
      '23:41:33 run finished (exit 1) after 1h41m',
      '',
    ]);
  });

  it('ends with the summary table when told where the logs are', () => {
    expect(plainLog({ summary: true })).toContain('run finished (exit 1) after 1h41m\n\nTextkit: finished (exit 1)');
  });

  it('logs a global pause only when it changes', () => {
    let out = '';
    const reporter = new PlainReporter({ write: (t) => (out += t), timeZone: 'UTC', now: () => new Date(iso('14:00:00')) });
    reporter.onPause(iso('15:00:00'));
    reporter.onPause(iso('15:00:00'));
    reporter.onPause(undefined);
    expect(out).toBe('14:00:00 paused until 15:00 (usage limit)\n14:00:00 usage-limit pause over, continuing\n');
  });
});

describe('JsonReporter', () => {
  it('writes each journal event as one line that parses back to it', () => {
    let out = '';
    const reporter = new JsonReporter((text) => (out += text));
    const events = overnight();
    for (const event of events) reporter.onEvent(event);
    const lines = out.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual(events);
  });
});
