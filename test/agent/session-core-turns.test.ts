import { describe, expect, it } from 'vitest';
import { UNRELATED_HISTORY, WORKTREE_DELETED } from '../../src/agent/session-core.js';
import { HOOK_SCREEN_CATCHUP_MS, INPUT_UNANSWERED_MS, SCREEN_IDLE_CONFIRM_MS } from '../../src/agent/session-timing.js';
import { MESSAGES } from '../../src/agent/turn-policy.js';
import { playRow, type CoreRow } from './helpers/core-case.js';
import { busy, hook, idle, launched } from './helpers/core-driver.js';

const done = '1 commit(s), clean worktree';
const stop = (message?: string) => hook('Stop', message ? { last_assistant_message: message } : {});
const clean = { dirty: false, newCommits: 1 };
const dirty = { dirty: true, newCommits: 0 };
const nothing = { dirty: false, newCommits: 0 };

const turns: CoreRow[] = [
  {
    name: 'clean finish: a turn with a commit ends done, the agent is stopped, the state ends done',
    steps: [
      [0, launched],
      [100, hook('UserPromptSubmit', { transcript_path: '/t/s.jsonl' })],
      [200, 'show', busy],
      [2_000, stop('Done: a.txt.')],
    ],
    world: { turnFacts: [clean] },
    outcome: { status: 'done', reason: done },
    actions: ['turn-end:done: turn-end', `finish: done: ${done}`],
    inputs: [],
    states: ['working', 'idle', 'done'],
    check: (d) => {
      expect(d.state.lastMessage).toBe('Done: a.txt.');
      expect(d.state.transcriptPath).toBe('/t/s.jsonl');
      expect(d.requests).toEqual(['classify', 'probe-turn', 'check-worktree']);
      // The hook is read before the screen catches up: the screen is looked at after a short wait.
      expect(d.effects).toContainEqual({ type: 'classify', afterMs: HOOK_SCREEN_CATCHUP_MS });
      expect(d.effects.filter((e) => e.type === 'stop-agent')).toEqual([{ type: 'stop-agent', polite: false }]);
      expect(d.effects.at(-1)?.type).toBe('settle');
    },
  },
  {
    name: 'what the agent is doing is reported once per change of the line',
    steps: [
      [0, launched],
      [100, 'show', busy, 'Reading a.ts'],
      [200, 'show', busy, 'Reading a.ts'],
      [300, 'show', busy, 'Writing b.ts'],
    ],
    check: (d) => expect(d.effects.flatMap((e) => (e.type === 'emit' && e.event.type === 'activity' ? [e.event.line] : []))).toEqual(['Reading a.ts', 'Writing b.ts']),
  },
  {
    name: 'the launch is reported with its argv, pid and whether it resumed',
    config: { resumed: true },
    steps: [[0, launched]],
    outcome: undefined,
    check: (d) => expect(d.effects).toContainEqual({ type: 'emit', event: { type: 'launch', argv: ['claude'], pid: 42, resumed: true } }),
  },
  {
    name: 'uncommitted changes: asks the agent to commit, then done',
    steps: [
      [0, launched],
      [1_000, stop('I wrote a.txt.')],
      [2_000, hook('UserPromptSubmit')],
      [3_000, stop('Committed.')],
    ],
    world: { turnFacts: [dirty, clean] },
    outcome: { status: 'done', reason: done },
    actions: ['turn-end:ask-commit: turn-end', `input: ${MESSAGES.commit}`, 'turn-end:done: turn-end'],
    inputs: [MESSAGES.commit],
  },
  {
    name: 'uncommitted changes, asked too often: fails',
    config: { policy: { maxCommitRequests: 1 } },
    steps: [
      [0, launched],
      [1_000, stop()],
      [2_000, stop()],
    ],
    world: { turnFacts: [dirty] },
    outcome: { status: 'failed', reason: 'uncommitted changes left in the worktree after 1 requests to commit' },
    inputs: [MESSAGES.commit],
  },
  {
    name: 'uncommitted changes with commitPolicy auto: ccwave commits them',
    config: { policy: { commitPolicy: 'auto' } },
    steps: [
      [0, launched],
      [1_000, stop('Wrote it.')],
    ],
    world: { turnFacts: [dirty], commitSha: 'abc123' },
    outcome: { status: 'done', reason: 'uncommitted work committed by ccwave' },
    actions: ['turn-end:auto-commit: turn-end', 'auto-commit: abc123'],
    check: (d) => expect(d.effects).toContainEqual({ type: 'commit', message: MESSAGES.autoCommit }),
  },
  {
    name: 'a question and nothing done: nudges N times, then fails needing attention with the last message',
    config: { policy: { maxNudges: 2 } },
    steps: [
      [0, launched],
      [1_000, stop('Should I use Postgres or SQLite?')],
      [2_000, stop('Should I?')],
      [3_000, stop('Should I use Postgres or SQLite?')],
    ],
    world: { turnFacts: [nothing] },
    outcome: { status: 'failed', reason: 'needs attention: no commits after 2 nudges. Last message: Should I use Postgres or SQLite?' },
    inputs: [MESSAGES.nudge, MESSAGES.nudge],
  },
  {
    name: 'a turn end is handled once; the follow-up waits for the input box, and an agent gone meanwhile gets nothing typed',
    steps: [
      [0, launched],
      [1_000, stop()],
      [1_100, stop()],
    ],
    world: { turnFacts: [nothing], hostAlive: false },
    outcome: undefined,
    inputs: [],
    check: (d) => {
      expect(d.requests).toEqual(['classify', 'probe-turn', 'wait-input-box']);
    },
  },
  {
    name: 'verify blocked by the Stop hook: the turn goes on, nothing is typed',
    steps: [
      [0, launched],
      [1_000, hook('Stop', { ccwave_verify: { ok: false, attempt: 1, blocked: true, output: 'missing\n' } })],
      [2_000, hook('Stop', { last_assistant_message: 'Fixed.', ccwave_verify: { ok: true, attempt: 2, blocked: false, output: '' } })],
    ],
    outcome: { status: 'done', reason: done },
    inputs: [],
    check: (d) => {
      expect(d.state.lastMessage).toBe('Fixed.');
      expect(d.requests.filter((r) => r === 'probe-turn')).toHaveLength(1);
    },
  },
  {
    name: 'verify still failing when the turn ends (not blocked): nudged with its output',
    steps: [
      [0, launched],
      [1_000, hook('Stop', { ccwave_verify: { ok: false, attempt: 3, blocked: false, output: 'verified.txt missing\n' } })],
    ],
    world: { turnFacts: [clean] },
    outcome: undefined,
    inputs: [MESSAGES.verify('verified.txt missing\n')],
  },
  {
    name: 'no Stop hook: an idle screen after work ends the turn once confirmed',
    steps: [
      [0, launched],
      [500, 'show', busy],
      [1_000, 'show', idle],
      [1_000 + SCREEN_IDLE_CONFIRM_MS - 1, 'show', idle],
      [1_000 + SCREEN_IDLE_CONFIRM_MS, 'show', idle],
    ],
    world: { turnFacts: [clean] },
    outcome: { status: 'done', reason: done },
    check: (d) => expect(d.effects.filter((e) => e.type === 'stop-agent')).toEqual([{ type: 'stop-agent', polite: true }]),
  },
  {
    name: 'no Stop hook and no sign of work: the input counts as unanswered only after its own wait',
    steps: [
      [0, launched],
      [100, 'show', idle],
      [SCREEN_IDLE_CONFIRM_MS + 100, 'show', idle],
      [INPUT_UNANSWERED_MS - 1, 'show', idle],
    ],
    outcome: undefined,
    check: (d) => expect(d.requests).toEqual([]),
  },
  {
    name: 'no Stop hook and no sign of work: after the unanswered wait the turn ends',
    steps: [
      [0, launched],
      [100, 'show', idle],
      [INPUT_UNANSWERED_MS + 100, 'show', idle],
    ],
    world: { turnFacts: [clean] },
    outcome: { status: 'done', reason: done },
  },
  {
    name: 'an interrupted turn (idle screen saying so) gets a follow-up',
    steps: [
      [0, launched],
      [500, 'show', busy],
      [1_000, 'show', { kind: 'idle', interrupted: true }],
      [1_000 + SCREEN_IDLE_CONFIRM_MS, 'show', { kind: 'idle', interrupted: true }],
    ],
    world: { turnFacts: [nothing] },
    outcome: undefined,
    actions: ['turn-end:nudge: interrupted'],
    inputs: [MESSAGES.interrupted],
  },
  {
    name: 'a busy screen between idle screens starts the confirmation over',
    steps: [
      [0, launched],
      [500, 'show', busy],
      [1_000, 'show', idle],
      [2_000, 'show', busy],
      [1_000 + SCREEN_IDLE_CONFIRM_MS, 'show', idle],
    ],
    outcome: undefined,
    check: (d) => expect(d.requests).toEqual([]),
  },
];

const exits: CoreRow[] = [
  {
    name: 'crash: fails with the exit code and the last line on the screen',
    steps: [
      [0, launched],
      [500, 'show', busy],
      [800, { type: 'exit', exitCode: 3, signal: undefined }],
    ],
    world: { lastLine: 'about to crash' },
    outcome: { status: 'failed', reason: 'the agent exited unexpectedly (code 3): about to crash' },
    states: ['working', 'exited', 'failed'],
  },
  {
    name: 'killed by a signal: says which',
    steps: [
      [0, launched],
      [800, { type: 'exit', exitCode: 0, signal: 9 }],
    ],
    outcome: { status: 'failed', reason: 'the agent exited unexpectedly (signal 9)' },
  },
  {
    name: 'session id already in use: ends for a relaunch that resumes it',
    steps: [
      [0, launched],
      [300, 'show', { kind: 'session-in-use' }],
      [400, { type: 'exit', exitCode: 1, signal: undefined }],
    ],
    outcome: { status: 'relaunch-resume', reason: 'session id already in use' },
  },
  {
    name: 'session id in use while resuming: an unexpected exit, not a second relaunch',
    config: { resumed: true },
    steps: [
      [0, launched],
      [300, 'show', { kind: 'session-in-use' }],
      [400, { type: 'exit', exitCode: 1, signal: undefined }],
    ],
    outcome: { status: 'failed', reason: 'the agent exited unexpectedly (code 1)' },
  },
  {
    name: 'its last words are read at the exit, even before a screen read saw them',
    steps: [
      [0, launched],
      [400, { type: 'exit', exitCode: 1, signal: undefined }],
    ],
    world: { screen: { kind: 'session-in-use' } },
    outcome: { status: 'relaunch-resume', reason: 'session id already in use' },
  },
  {
    name: 'resuming a session that does not exist: fails and says so',
    config: { resumed: true },
    steps: [
      [0, launched],
      [400, { type: 'exit', exitCode: 1, signal: undefined }],
    ],
    world: { screen: { kind: 'session-not-found' } },
    outcome: { status: 'failed', reason: 'the session to resume does not exist' },
    check: (d) => expect(d.state.sessionNotFound).toBe(true),
  },
  {
    name: 'command agent: exit 0 judged done',
    config: { completion: 'exit' },
    steps: [
      [0, launched],
      [400, { type: 'exit', exitCode: 0, signal: undefined }],
    ],
    outcome: { status: 'done', reason: done },
    check: (d) => expect(d.effects).toContainEqual({ type: 'judge-exit', exitCode: 0, signal: undefined }),
  },
  {
    name: 'command agent: its uncommitted work committed by ccwave is reported',
    config: { completion: 'exit' },
    steps: [
      [0, launched],
      [400, { type: 'exit', exitCode: 0, signal: undefined }],
    ],
    world: { judgement: { status: 'done', reason: done, autoCommit: 'feed42' } },
    outcome: { status: 'done', reason: done },
    actions: ['auto-commit: feed42'],
  },
  {
    name: 'command agent: a failing exit fails without verify',
    config: { completion: 'exit', verifyCommand: 'npm test' },
    steps: [
      [0, launched],
      [400, { type: 'exit', exitCode: 1, signal: undefined }],
    ],
    world: { judgement: { status: 'failed', reason: 'the command exited with code 1' } },
    outcome: { status: 'failed', reason: 'the command exited with code 1' },
    check: (d) => expect(d.requests).not.toContain('verify'),
  },
  {
    name: 'command agent with verify: passed',
    config: { completion: 'exit', verifyCommand: 'npm test' },
    steps: [
      [0, launched],
      [400, { type: 'exit', exitCode: 0, signal: undefined }],
    ],
    outcome: { status: 'done', reason: `${done}, verify passed` },
    check: (d) => expect(d.effects).toContainEqual({ type: 'emit', event: { type: 'activity', line: 'verify: npm test' } }),
  },
  {
    name: 'command agent with verify: failed',
    config: { completion: 'exit', verifyCommand: 'npm test' },
    steps: [
      [0, launched],
      [400, { type: 'exit', exitCode: 0, signal: undefined }],
    ],
    world: { verified: { status: 'failed', reason: 'verify failed: 1 test' } },
    outcome: { status: 'failed', reason: 'verify failed: 1 test' },
  },
  {
    name: 'command agent with verify: interrupted meanwhile',
    config: { completion: 'exit', verifyCommand: 'npm test' },
    steps: [
      [0, launched],
      [400, { type: 'exit', exitCode: 0, signal: undefined }],
    ],
    world: { verified: 'interrupted' },
    outcome: { status: 'interrupted', reason: 'interrupted' },
  },
];

const stopping: CoreRow[] = [
  {
    name: 'stopping an agent at its prompt: the polite way first',
    steps: [
      [0, launched],
      [500, 'show', idle],
      [600, { type: 'abort' }],
    ],
    check: (d) => expect(d.effects.filter((e) => e.type === 'stop-agent')).toEqual([{ type: 'stop-agent', polite: true }]),
  },
  {
    name: 'stopping a busy agent: signals, since typed input would not reach it',
    steps: [
      [0, launched],
      [500, 'show', busy],
      [600, { type: 'abort' }],
    ],
    check: (d) => expect(d.effects.filter((e) => e.type === 'stop-agent')).toEqual([{ type: 'stop-agent', polite: false }]),
  },
  {
    name: 'stopping a command agent: the polite way whatever its screen',
    config: { completion: 'exit' },
    steps: [
      [0, launched],
      [600, { type: 'abort' }],
    ],
    check: (d) => expect(d.effects.filter((e) => e.type === 'stop-agent')).toEqual([{ type: 'stop-agent', polite: true }]),
  },
  {
    name: 'stopping an agent without a polite way: signals, even at its prompt',
    config: { politeStop: false },
    steps: [
      [0, launched],
      [500, 'show', idle],
      [600, { type: 'abort' }],
    ],
    check: (d) => expect(d.effects.filter((e) => e.type === 'stop-agent')).toEqual([{ type: 'stop-agent', polite: false }]),
  },
];

const endings: CoreRow[] = [
  {
    name: 'interrupted by the runner: status interrupted',
    steps: [
      [0, launched],
      [500, 'show', busy],
      [600, { type: 'abort' }],
    ],
    outcome: { status: 'interrupted', reason: 'interrupted' },
    actions: ['finish: interrupted: interrupted'],
    check: (d) => expect(d.effects).toContainEqual({ type: 'stop-agent', polite: false }),
  },
  {
    name: 'the agent could not start',
    steps: [[0, { type: 'launch-failed', message: 'spawn claude ENOENT' }]],
    outcome: { status: 'failed', reason: 'could not start the agent: spawn claude ENOENT' },
  },
  {
    name: 'an effect that threw ends the task with its reason',
    steps: [
      [0, launched],
      [10, { type: 'host-failure', reason: 'git failed in its worktree: fatal: bad index' }],
    ],
    outcome: { status: 'failed', reason: 'git failed in its worktree: fatal: bad index' },
  },
  {
    name: 'the worktree was deleted while it ran: said instead of what follows from it',
    steps: [
      [0, launched],
      [1_000, stop()],
    ],
    world: { worktreeExists: false },
    outcome: { status: 'failed', reason: WORKTREE_DELETED },
  },
  {
    name: 'the worktree was deleted, but the runner interrupted: stays interrupted',
    steps: [
      [0, launched],
      [10, { type: 'abort' }],
    ],
    world: { worktreeExists: false },
    outcome: { status: 'interrupted', reason: WORKTREE_DELETED },
  },
  {
    name: 'done on a rewritten history: failed',
    steps: [
      [0, launched],
      [1_000, stop()],
    ],
    world: { containsBase: false },
    outcome: { status: 'failed', reason: UNRELATED_HISTORY },
  },
  {
    name: 'after the end nothing more happens: inputs are ignored, no timer is armed',
    steps: [
      [0, launched],
      [10, { type: 'abort' }],
      [20, stop()],
      [30, { type: 'output' }],
      [40, 'show', busy],
      [50, { type: 'abort' }],
    ],
    outcome: { status: 'interrupted', reason: 'interrupted' },
    check: (d) => {
      expect(d.effects.filter((e) => e.type === 'settle')).toHaveLength(1);
      expect(d.state.timers).toEqual({});
      const settledAt = d.effects.findIndex((e) => e.type === 'settle');
      expect(d.effects.slice(settledAt + 1)).toEqual([]);
    },
  },
];

describe('session core: turns, commits, nudges', () => {
  it.each(turns)('$name', (row) => void playRow(row));
});

describe('session core: exits', () => {
  it.each(exits)('$name', (row) => void playRow(row));
});

describe('session core: stopping the agent', () => {
  it.each(stopping)('$name', (row) => void playRow(row));
});

describe('session core: endings', () => {
  it.each(endings)('$name', (row) => void playRow(row));
});
