import type { NewJournalEvent } from '../../src/journal/index.js';
import { runStartedEvent } from '../helpers/journal.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const usage = (input: number, output: number, costUsd: number) => ({ tokens: { input, output, cacheCreation: 0, cacheRead: 0 }, costUsd });

/** A run in which every kind of journal event happens at least once, in an order ccwave could write. */
export const RUN: NewJournalEvent[] = [
  runStartedEvent([['ok', 'bad', 'slow', 'big', 'clash', 'red'], ['late']], { planName: 'Night plan' }),
  { type: 'wave-started', wave: 1, fromSha: A },
  { type: 'worktree-intent', task: 'ok', path: '/w/ok', branch: 'ccwave/r1/ok', fromSha: A },
  { type: 'worktree-created', task: 'ok', path: '/w/ok', branch: 'ccwave/r1/ok', fromSha: A },
  { type: 'copy-skipped', task: 'ok', path: '.env', reason: 'a symlink' },
  { type: 'setup-started', task: 'ok', command: 'npm ci' },
  { type: 'setup-finished', task: 'ok', ok: true, exitCode: 0, durationMs: 10, outputTail: '' },
  { type: 'agent-starting', task: 'ok', attempt: 1, sessionId: 's-ok', resume: false, agent: 'claude' },
  { type: 'agent-starting', task: 'bad', attempt: 1, sessionId: 's-bad', resume: false, agent: 'claude' },
  { type: 'agent-starting', task: 'big', attempt: 1, sessionId: 's-big', resume: false, agent: 'claude' },
  // An agent that names its own session (Codex) says which once it knows: nothing to notify.
  { type: 'agent-session', task: 'big', attempt: 1, sessionId: 'codex-session-big' },
  { type: 'agent-state', task: 'ok', state: 'working' },
  { type: 'agent-usage', task: 'ok', attempt: 1, sessionId: 's-ok', usage: usage(30_000, 4_200, 0.42) },
  { type: 'agent-usage', task: 'big', attempt: 1, sessionId: 's-big', usage: usage(900_000, 100_000, 5.12) },
  { type: 'agent-action', task: 'ok', attempt: 1, action: 'nudge' },
  { type: 'agent-action', task: 'ok', attempt: 1, action: 'waiting-for-human', detail: 'Bash(rm -rf build) <!channel>' },
  // The account's limit: the first agent to pause is news, the second is not.
  { type: 'agent-state', task: 'ok', state: 'paused', reason: 'usage limit', until: '2026-11-23T19:00:00.000Z' },
  { type: 'agent-action', task: 'ok', attempt: 1, action: 'paused' },
  { type: 'agent-state', task: 'bad', state: 'paused', reason: 'usage limit', until: '2026-11-23T19:00:00.000Z' },
  { type: 'agent-action', task: 'bad', attempt: 1, action: 'paused' },
  // ...and only the last one to go on says the pause is over.
  { type: 'agent-action', task: 'ok', attempt: 1, action: 'resumed' },
  { type: 'agent-state', task: 'ok', state: 'working' },
  { type: 'agent-action', task: 'bad', attempt: 1, action: 'resumed' },
  { type: 'agent-state', task: 'bad', state: 'working' },
  { type: 'limit-pause', until: '2026-11-23T19:00:00.000Z', usedPercentage: 96.4, threshold: 95 },
  { type: 'limit-resume' },
  { type: 'task-finished', task: 'ok', status: 'done', tipSha: B, commits: 1 },
  { type: 'task-finished', task: 'bad', status: 'failed', reason: 'the agent exited with code 3\nand a second line', commits: 0 },
  { type: 'task-finished', task: 'slow', status: 'timeout', reason: 'idle for 10m', commits: 0 },
  { type: 'task-finished', task: 'big', status: 'over-budget', reason: '$5.12 of $5', commits: 0 },
  { type: 'task-finished', task: 'clash', status: 'done', tipSha: C, commits: 2 },
  { type: 'task-finished', task: 'red', status: 'done', tipSha: C, commits: 1 },
  { type: 'merge-intent', task: 'ok', tip: B, into: A },
  { type: 'test-started', testId: 't1', wave: 1, tasks: ['ok'], sha: B, command: 'npm test' },
  { type: 'test-finished', testId: 't1', wave: 1, tasks: ['ok'], sha: B, passed: true, exitCode: 0, durationMs: 5, outputTail: '' },
  { type: 'merge-done', task: 'ok', tip: B, result: 'merged', mergeSha: B, integrationSha: B },
  { type: 'handback-started', task: 'clash', round: 1, integrationTip: B, paths: ['src/a.ts'], overlapping: ['ok'] },
  { type: 'merge-skipped', task: 'clash', tip: C, result: 'conflict', conflictedPaths: ['src/a.ts', 'src/b.ts'], reason: 'conflicted: the agent could not resolve it' },
  { type: 'merge-skipped', task: 'red', tip: C, result: 'tests-failed', reason: 'the tests failed with this branch merged' },
  { type: 'retro-started', wave: 1 },
  { type: 'retro-written', wave: 1, path: 'waves/retros/night-wave-1.md', sha: B },
  { type: 'land-intent', branch: 'main', from: A, to: B },
  { type: 'land-done', branch: 'main', sha: B },
  { type: 'wave-finished', wave: 1, integrationSha: B },
  { type: 'notify-failed', notification: 'wave-finished', target: 'hooks.example.com', error: 'answered 500' },
  { type: 'run-interrupted', reason: 'received SIGINT', signal: 'SIGINT' },
  { type: 'run-resumed', pid: 42, command: 'ccwave run' },
  { type: 'repair', action: 'merge-found', detail: 'already merged' },
  { type: 'wave-started', wave: 2, fromSha: B },
  { type: 'retro-skipped', wave: 2, path: 'waves/retros/x.md', reason: 'a symlink' },
  { type: 'land-refused', branch: 'main', why: 'dirty checkout', command: 'git merge --ff-only x' },
  { type: 'run-finished', exitCode: 1 },
  { type: 'run-finished', exitCode: 0 },
];
