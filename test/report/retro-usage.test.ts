import { describe, expect, it } from 'vitest';
import type { NewJournalEvent } from '../../src/journal/index.js';
import { buildRetroFacts } from '../../src/report/build-retro-facts.js';
import { renderRetro } from '../../src/report/retro-markdown.js';
import { BASE, MERGE_A, RUN, runStarted, stateOf, taskRun, TIP_A, TIP_C, type Step } from './events.js';

const usage = (task: string, attempt: number, input: number, output: number, cacheRead: number, costUsd: number, model?: string): NewJournalEvent => ({
  type: 'agent-usage',
  task,
  attempt,
  sessionId: `s-${task}-1`,
  usage: { tokens: { input, output, cacheCreation: 0, cacheRead }, costUsd },
  ...(model ? { model } : {}),
});

/** Wave 1 (task a) is done; wave 2 has b, which reported usage, and c, a plain command that did not. */
const twoWaves: Step[] = [
  [
    0,
    {
      type: 'run-started',
      runId: RUN,
      planFile: 'WAVES.md',
      planName: 'Textkit',
      base: { branch: 'main', sha: BASE },
      integration: { branch: `ccwave/${RUN}/integration`, worktree: '/tmp/repo.ccwave/_integration' },
      settings: {},
      waves: [
        { index: 1, name: 'Wave 1', tasks: [{ id: 'a', title: 'Task a', promptPath: 'f/a/PROMPT.md' }] },
        {
          index: 2,
          name: 'Wave 2',
          tasks: [
            { id: 'b', title: 'Task b', promptPath: 'f/b/PROMPT.md' },
            { id: 'c', title: 'Task c', promptPath: 'f/c/PROMPT.md' },
          ],
        },
      ],
    },
  ],
  [0, { type: 'wave-started', wave: 1, fromSha: BASE }],
  ...taskRun('a', 1, 100, { status: 'done', tipSha: TIP_A, commits: 1 }).flatMap((step): Step[] => (step[1].type === 'task-finished' ? [[90, usage('a', 1, 100_000, 20_000, 0, 1)], step] : [step])),
  [101, { type: 'merge-intent', task: 'a', tip: TIP_A, into: BASE }],
  [102, { type: 'merge-done', task: 'a', tip: TIP_A, result: 'merged', mergeSha: MERGE_A, integrationSha: MERGE_A }],
  [103, { type: 'wave-finished', wave: 1, integrationSha: MERGE_A }],
  [104, { type: 'wave-started', wave: 2, fromSha: MERGE_A }],
  [105, { type: 'worktree-created', task: 'b', path: '/tmp/repo.ccwave/b', branch: `ccwave/${RUN}/w2/b`, fromSha: MERGE_A }],
  [105, { type: 'agent-starting', task: 'b', attempt: 1, sessionId: 's-b-1', resume: false, agent: 'claude' }],
  [150, usage('b', 1, 2_000, 500, 30_000, 0.25, 'claude-sonnet-4-5')],
  [160, { type: 'task-finished', task: 'b', status: 'done', tipSha: TIP_C, commits: 1 }],
  [105, { type: 'worktree-created', task: 'c', path: '/tmp/repo.ccwave/c', branch: `ccwave/${RUN}/w2/c`, fromSha: MERGE_A }],
  [105, { type: 'agent-starting', task: 'c', attempt: 1, sessionId: 's-c-1', resume: false, agent: 'command' }],
  [170, { type: 'task-finished', task: 'c', status: 'failed', reason: 'exit 1', commits: 0 }],
];

describe('usage in the retrospective', () => {
  it('gives each task its tokens and estimate, and the wave and run totals so far', () => {
    const text = renderRetro(buildRetroFacts(stateOf(twoWaves), 2));
    expect(text).toContain('| Task | Status | Time | Commits | Merge | Tests | Tokens | Est. cost |\n| --- | --- | --- | --- | --- | --- | --- | --- |');
    expect(text).toMatch(/^\| `b` \| done \| .* \| 32\.5k \| ~\$0\.25 \|$/m);
    expect(text).toMatch(/^\| `c` \| failed \| .* \| — \| — \|$/m);
    expect(text).toContain('- Usage: 32.5k tokens, ~$0.25 estimated (`claude-sonnet-4-5`)');
    expect(text).toContain('- Tokens: 32.5k (input 2k, output 500, cache writes 0, cache reads 30k)');
    expect(text).toContain('- Estimated cost: ~$0.25');
    expect(text).toContain('- Run so far: 153k tokens, ~$1.25 estimated');
    expect(text).toContain("Claude Code's own estimate at API list prices; a subscription is not billed it.");
    // Rendered again later, wave 1 still says what the run had used when it ended.
    expect(renderRetro(buildRetroFacts(stateOf(twoWaves), 1))).toContain('- Run so far: 120k tokens, ~$1.00 estimated');
    // The plain command's task says nothing about usage it never had.
    const c = text.slice(text.indexOf('### `c`'));
    expect(c.slice(0, c.indexOf('**Acceptance'))).not.toContain('Usage');
  });

  it('never shows a Codex task, which reports no cost, as $0.00: its cost is unknown, and the totals say what they leave out', () => {
    // Task b of wave 2 is a Codex task: tokens, no cost.
    const codex = twoWaves.map((step): Step => {
      const event = step[1];
      return event.type === 'agent-usage' && event.task === 'b' ? [step[0], { ...event, usage: { ...event.usage, costUsd: 0, costUnknown: true } }] : step;
    });
    const text = renderRetro(buildRetroFacts(stateOf(codex), 2));
    expect(text).toMatch(/^\| `b` \| done \| .* \| 32\.5k \| \? \|$/m);
    expect(text).toContain('- Usage: 32.5k tokens, cost unknown (`claude-sonnet-4-5`)');
    expect(text).toContain('- Estimated cost: ? (Codex reports no cost)');
    // The run mixes a Claude task's estimate with the Codex task's tokens: the dollars are a lower bound.
    expect(text).toContain('- Run so far: 153k tokens, ~$1.00+ estimated (Codex reports no cost)');
    expect(text).not.toContain('$0.00');
  });

  it('has no usage columns or lines when no agent of the run reported any', () => {
    const steps: Step[] = [...runStarted(['a']), ...taskRun('a', 1, 100, { status: 'failed', reason: 'exit 1', commits: 0 }), [101, { type: 'wave-finished', wave: 1, integrationSha: BASE }]];
    const text = renderRetro(buildRetroFacts(stateOf(steps), 1));
    expect(text).not.toMatch(/Tokens|tokens|Est\. cost|Estimated cost|~\$/);
  });

  it('counts an over-budget task among the wave totals and says how to continue it', () => {
    const steps: Step[] = [
      ...runStarted(['a']),
      ...taskRun('a', 1, 100, { status: 'over-budget', reason: '$5.12 of $5', commits: 0 }),
      [101, { type: 'wave-finished', wave: 1, integrationSha: BASE }],
    ];
    const text = renderRetro(buildRetroFacts(stateOf(steps), 1));
    expect(text).toContain('- Tasks: 1 (1 over-budget)');
    expect(text).toContain('- `a` stopped at its budget: $5.12 of $5: a run with a larger `taskBudget` or `budget` continues its session.');
  });
});
