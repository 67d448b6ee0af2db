import { describe, expect, it } from 'vitest';
import { buildRetroFacts, MAX_LAST_MESSAGE_CHARS, trimMessage, type RetroInputs } from '../../src/report/build-retro-facts.js';
import { code, durationOrDash } from '../../src/report/markdown-text.js';
import { renderRetro } from '../../src/report/retro-markdown.js';
import { BASE, INTEGRATION_SHA, MERGE_A, RUN, runStarted, stateOf, taskRun, test, TIP_A, TIP_C, TIP_D, type Step } from './events.js';

const BRANCH = `ccwave/${RUN}/w1`;

function render(steps: readonly Step[], inputs: RetroInputs = {}): string[] {
  return renderRetro(buildRetroFacts(stateOf(steps), 1, inputs)).split('\n');
}

const merged: Step[] = [
  ...runStarted(['a']),
  ...taskRun('a', 1, 751, { status: 'done', tipSha: TIP_A, commits: 2, lastMessage: '  Implemented slugify.\n\nAll tests pass.\n' }),
  [760, { type: 'merge-intent', task: 'a', tip: TIP_A, into: BASE }],
  ...test(790, 't1', ['a'], MERGE_A, { passed: true, seconds: 30 }),
  [791, { type: 'merge-done', task: 'a', tip: TIP_A, result: 'merged', mergeSha: MERGE_A, integrationSha: MERGE_A }],
  [800, { type: 'wave-finished', wave: 1, integrationSha: MERGE_A }],
];

const failed: Step[] = [
  ...runStarted(['b']),
  ...taskRun('b', 1, 301, { status: 'failed', reason: 'the agent exited with code 1 on both attempts', commits: 0 }, 2),
  [310, { type: 'wave-finished', wave: 1, integrationSha: BASE }],
];

const conflict: Step[] = [
  ...runStarted(['c']),
  ...taskRun('c', 1, 61, { status: 'done', tipSha: TIP_C, commits: 1 }),
  [62, { type: 'merge-intent', task: 'c', tip: TIP_C, into: BASE }],
  [63, { type: 'merge-skipped', task: 'c', tip: TIP_C, result: 'conflict', conflictedPaths: ['README.md', 'src/x.ts'] }],
  [64, { type: 'wave-finished', wave: 1, integrationSha: BASE }],
];

const testsFailed: Step[] = [
  ...runStarted(['d']),
  ...taskRun('d', 1, 121, { status: 'done', tipSha: TIP_D, commits: 3 }),
  [122, { type: 'merge-intent', task: 'd', tip: TIP_D, into: BASE }],
  ...test(142, 't2', ['d'], INTEGRATION_SHA, { passed: false, seconds: 20, outputTail: 'FAIL test/x.test.js\n  expected 1, got 2\n' }),
  [143, { type: 'merge-skipped', task: 'd', tip: TIP_D, result: 'tests-failed', reason: 'npm test failed (exit 1)' }],
  [150, { type: 'wave-finished', wave: 1, integrationSha: BASE }],
];

const baseFailing: Step[] = [...runStarted(['a']), ...test(5, 't0', [], BASE, { passed: false, seconds: 5 }), ...merged.slice(2)];

const timedOut: Step[] = [
  ...runStarted(['e']),
  ...taskRun('e', 1, 3601, { status: 'timeout', reason: 'no output for 10m', commits: 0 }),
  [3602, { type: 'wave-finished', wave: 1, integrationSha: BASE }],
];

const cases: Array<{ name: string; steps: Step[]; lines: string[] }> = [
  {
    name: 'a merged task',
    steps: merged,
    lines: [
      '# Wave 1 retrospective: building blocks',
      '- Plan: Textkit (`WAVES.md`)',
      `- Run: \`${RUN}\``,
      '- Started: 2026-11-23 14:45:01 UTC',
      '- Finished: 2026-11-23 14:58:21 UTC (13m20s)',
      '- Integration: `1111111` → `3333333`',
      '| `a` | done | 12m30s | 2 | merged | passed |',
      '### `a`: Task a',
      '- Status: done',
      '- Attempts: 1',
      '- Time: 12m30s',
      `- Commits: 2 on \`${BRANCH}/a\` (tip \`aaaaaaa\`)`,
      '- Merge: merged as `3333333`',
      '- Tests: `t1` on `3333333` passed in 30s',
      '> Implemented slugify.',
      '>',
      '> All tests pass.',
      '- Tasks: 1 (1 done)',
      '- Merges: 1 merged',
      '- Commits: 2',
      '| Agents | 12m31s |',
      '| Merge queue | 40s |',
      '| Tests | 30s (1 run) |',
      '| Whole wave | 13m20s |',
      'None.',
      '1 run, 0 failed.',
      'Command: `npm test`',
      '- `t1` on `3333333` for `a`: passed in 30s',
      '- Nothing stood out.',
    ],
  },
  {
    name: 'a failed task with its reason',
    steps: failed,
    lines: [
      '| `b` | failed | 5m00s | 0 | — | — |',
      '- Status: failed (the agent exited with code 1 on both attempts)',
      '- Attempts: 2',
      '- Merge: not merged',
      '- Tests: none ran with this task',
      '- Merges: 1 not merged',
      'No test runs.',
      '- `b` failed: the agent exited with code 1 on both attempts.',
    ],
  },
  {
    name: 'a conflict with its paths',
    steps: conflict,
    lines: [
      '| `c` | done | 1m00s | 1 | conflict | — |',
      '- Merge: conflict in `README.md`, `src/x.ts`; not merged',
      '- `c`: `README.md`, `src/x.ts`: not merged',
      `- \`c\` conflicted with the merged work in \`README.md\` and \`src/x.ts\`; its commits are kept on \`${BRANCH}/c\`: resolve it, or plan it again on top of this wave.`,
    ],
  },
  {
    name: 'a merge whose tests failed',
    steps: testsFailed,
    lines: [
      '| `d` | done | 2m00s | 3 | tests-failed | failed (exit 1) |',
      '- Merge: not merged, the tests failed: npm test failed (exit 1)',
      '- Tests: `t2` on `4444444` failed (exit 1) in 20s',
      '1 run, 1 failed.',
      '- `t2` on `4444444` for `d`: failed (exit 1) in 20s',
      '### Output of `t2` (last lines)',
      '```text',
      'FAIL test/x.test.js',
      '  expected 1, got 2',
      '```',
      '- `d` was not merged because the tests failed with it: npm test failed (exit 1).',
    ],
  },
  {
    name: 'a base that was already failing',
    steps: baseFailing,
    lines: [
      '2 runs, 1 failed.',
      "**The tests were already failing on the wave's base**, before any task was merged.",
      "- `t0` on `1111111` for the wave's base: failed (exit 1) in 5s",
      '| Tests | 35s (2 runs) |',
      "- **The tests were already failing on the wave's base** (`1111111`, `npm test`): fix them first, or every merge is judged against a red baseline.",
    ],
  },
  {
    name: 'a timeout',
    steps: timedOut,
    lines: ['| `e` | timeout | 1h00m | 0 | — | — |', '- `e` timed out: no output for 10m: split the task or raise its `timeout`.'],
  },
];

/** The base failed once and passed on its retry; so did the merge of `a`. */
const passedOnRetry: Step[] = [
  ...runStarted(['a']),
  ...withAttempt(test(5, 't0', [], BASE, { passed: false, seconds: 5 }), 1),
  ...withAttempt(test(10, 't0r', [], BASE, { passed: true, seconds: 5 }), 2),
  // The task's run, then its merge-intent.
  ...merged.slice(2, 6),
  ...withAttempt(test(780, 't1', ['a'], MERGE_A, { passed: false, seconds: 5 }), 1),
  ...withAttempt(test(790, 't1r', ['a'], MERGE_A, { passed: true, seconds: 5 }), 2),
  // merge-done, wave-finished.
  ...merged.slice(8),
];

function withAttempt(steps: Step[], attempt: number): Step[] {
  return steps.map(([at, event]) => [at, { ...event, attempt } as Step[1]]);
}

describe('renderRetro', () => {
  it('shows a pass on retry as such, and a base that passed on its retry as not failing', () => {
    const text = render(passedOnRetry);
    expect(text).toContain("- `t0r` on `1111111` for the wave's base: passed on retry (run 2) in 5s");
    expect(text.join('\n')).not.toMatch(/already failing/);
    expect(text).toContain('| `a` | done | 12m30s | 2 | merged | passed on retry (run 2) |');
    expect(text.join('\n')).toMatch(/look flaky/);
  });

  it.each(cases)('shows $name', ({ steps, lines }) => {
    const text = render(steps);
    for (const line of lines) expect(text).toContain(line);
  });

  it('puts the sections in order and ends with one newline', () => {
    const text = renderRetro(buildRetroFacts(stateOf(merged), 1));
    const headings = text.split('\n').filter((line) => /^##? /.test(line));
    expect(headings).toEqual([
      '# Wave 1 retrospective: building blocks',
      '## Summary',
      '## Tasks',
      '## Wave totals',
      '## Time per phase',
      '## Conflicts',
      '## Test runs',
      '## What to watch next wave',
    ]);
    expect(text.endsWith('.\n')).toBe(true);
    expect(text).toContain('| Task | Status | Time | Commits | Merge | Tests |\n| --- | --- | --- | --- | --- | --- |\n| `a` |');
  });

  it('treats a wave whose merge queue is done as ended, before `wave-finished` is journaled', () => {
    // The runner commits the retrospective first, then journals wave-finished with the new tip.
    const text = render(merged.slice(0, -1));
    expect(text).toContain('- Finished: 2026-11-23 14:58:12 UTC (13m11s)');
    expect(text).toContain('- Integration: `1111111` → `3333333`');
    expect(text).toContain('| Merge queue | 40s |');
    expect(text).toContain('| Whole wave | 13m11s |');
    expect(render(failed.slice(0, -1))).toContain('- Finished: 2026-11-23 14:50:02 UTC (5m01s)');
    const merging = render(merged.slice(0, -2));
    expect(merging).toContain('- Finished: not yet (the wave is merging; this retrospective is partial)');
    expect(merging).toContain('- Integration: `1111111` → —');
  });

  it('is deterministic: the same events give the same bytes', () => {
    const first = renderRetro(buildRetroFacts(stateOf(baseFailing), 1));
    const second = renderRetro(buildRetroFacts(stateOf(baseFailing), 1));
    expect(second).toBe(first);
  });

  it('lists acceptance criteria from the plan, and says why when there are none', () => {
    const criteria = new Map([
      [
        'a',
        [
          { text: '`slugify()` returns `hello-world`', done: false },
          { text: 'Docs\nupdated', done: true },
        ],
      ],
    ]);
    expect(render(merged, { criteria })).toEqual(expect.arrayContaining(['**Acceptance criteria**', '- [ ] `slugify()` returns `hello-world`', '- [x] Docs updated']));
    expect(render(merged, { criteria: new Map() })).toContain('_Not shown: the plan no longer lists this task._');
    expect(render(merged, { criteria: new Map([['a', []]]) })).toContain('_None listed in its PROMPT.md._');
    expect(render(merged)).toContain('_Not shown: the plan could not be read when this retrospective was made._');
  });

  it('shows the diffstat, bounded, and the files two tasks both changed', () => {
    const steps: Step[] = [
      ...runStarted(['a', 'c'], 'Wave 1'),
      ...taskRun('a', 1, 11, { status: 'done', tipSha: TIP_A, commits: 1 }),
      ...taskRun('c', 1, 21, { status: 'done', tipSha: TIP_C, commits: 1 }),
    ];
    const many = Array.from({ length: 20 }, (_, i) => `src/f${String(i).padStart(2, '0')}.ts`);
    const diffs = new Map([
      ['a', { filesChanged: 21, insertions: 30, deletions: 1, files: ['README.md', ...many] }],
      ['c', { filesChanged: 1, insertions: 1, deletions: 0, files: ['README.md'] }],
    ]);
    const text = render(steps, { diffs });
    expect(text[0]).toBe('# Wave 1 retrospective');
    expect(text).toContain('- Changes: 21 files changed, 30 insertions(+), 1 deletion(-)');
    expect(text).toContain('  - `src/f13.ts`');
    expect(text).not.toContain('  - `src/f14.ts`');
    expect(text).toContain('  - … and 6 more files');
    expect(text).toContain('- Changes: 1 file changed, 1 insertion(+), 0 deletions(-)');
    expect(text).toContain('- `a` and `c` all changed `README.md`: next-wave tasks touching these files are the likeliest to conflict.');
    expect(text).toContain('- Finished: not yet (the wave is running; this retrospective is partial)');
  });

  it('flags agents that said done without committing, and tasks still running', () => {
    const steps: Step[] = [
      ...runStarted(['a', 'b']),
      ...taskRun('a', 1, 11, { status: 'done', tipSha: BASE, commits: 0 }),
      [12, { type: 'agent-starting', task: 'b', attempt: 1, sessionId: 's-b', resume: false, agent: 'claude' }],
    ];
    const text = render(steps);
    expect(text).toContain('- `a` finished without committing anything: check its worktree for uncommitted work, and whether the task was needed.');
    expect(text).toContain('- `b` did not finish (running) when this retrospective was written.');
    expect(text).toContain('| `b` | running | — | — | — | — |');
  });
});

describe('what ccwave did for an agent', () => {
  const act = (seconds: number, action: Extract<Step[1], { type: 'agent-action' }>['action'], detail?: string): Step => [
    seconds,
    { type: 'agent-action', task: 'a', attempt: 1, action, ...(detail ? { detail } : {}) },
  ];

  it('lists the nudges, dialog answers, auto commits, API retries and pauses of each task', () => {
    const steps: Step[] = [
      ...runStarted(['a', 'b']),
      act(5, 'dialog', 'trust this folder'),
      act(100, 'nudge', 'stop'),
      act(200, 'nudge', 'stop'),
      act(300, 'api-retry', '30s'),
      act(400, 'paused', 'usage limit until 2026-11-23T16:00:00.000Z'),
      act(500, 'resumed', 'usage limit reset'),
      act(700, 'auto-commit', TIP_A),
      ...taskRun('a', 1, 751, { status: 'done', tipSha: TIP_A, commits: 2 }),
      ...taskRun('b', 1, 751, { status: 'done', tipSha: TIP_C, commits: 1 }),
    ];
    const text = render(steps);
    const sectionOf = (id: string): string[] => text.slice(text.indexOf(`### ${code(id)}: Task ${id}`), text.indexOf('**Acceptance criteria**', text.indexOf(`### ${code(id)}: Task ${id}`)));
    expect(sectionOf('a')).toContain('- ccwave stepped in: 2 nudges, 1 dialog answered, 1 auto commit, 1 API retry, 1 usage-limit pause');
    expect(sectionOf('b').some((line) => line.includes('stepped in'))).toBe(false);
  });
});

describe('the text helpers', () => {
  it.each([
    [undefined, '—'],
    [0, '0s'],
    [45_000, '45s'],
    [750_000, '12m30s'],
    [3_599_600, '59m59s'],
    [3_900_000, '1h05m'],
  ])('formats %s ms as %s', (ms, text) => {
    expect(durationOrDash(ms)).toBe(text);
  });

  it('keeps backticks inside inline code', () => {
    expect(code('a.ts')).toBe('`a.ts`');
    expect(code('we`ird')).toBe('``we`ird``');
    expect(code('`x`')).toBe('`` `x` ``');
  });

  it("trims the agent's last message at a word boundary", () => {
    const long = `${'word '.repeat(400)}end`;
    const trimmed = trimMessage(long);
    expect(trimmed.length).toBeLessThanOrEqual(MAX_LAST_MESSAGE_CHARS + 2);
    expect(trimmed.endsWith('word …')).toBe(true);
    expect(trimMessage('  short\n')).toBe('short');
  });
});
