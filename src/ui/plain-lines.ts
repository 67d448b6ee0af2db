import { inlineText } from '../control-chars.js';
import type { EventOf, JournalEvent, JournalEventType } from '../journal/events.js';
import type { RunState } from '../journal/run-state.js';
import { usageText } from '../journal/usage-text.js';
import { limitPauseText } from './format/usage-words.js';
import { COMMAND_AGENT, formatCounts, TASK_ICONS, taskWords } from './format/task-status.js';
import { shellWord } from '../shell-word.js';
import { formatDuration } from '../format/duration.js';
import { plural } from '../format/plural.js';
import { shortSha } from '../format/sha.js';
import { oneLine, plainText } from './format/text.js';
import { spanMs } from './format/time.js';
import { waveKinds, waveTitle } from './format/waves.js';

/** A failed test run ends with this many lines of its output, so the log says why. */
export const TEST_TAIL_LINES = 5;

export interface LineContext {
  /** The state with this event folded in. */
  after: RunState;
  hourMinute: (iso: string) => string;
}

type Lines<T extends JournalEventType> = (event: EventOf<T>, ctx: LineContext) => string[];

const none = () => [];
const task = (id: string, text: string) => `${id}  ${text}`;

/** What each event adds to the plain log, without the timestamp. Empty: the event is plumbing. */
const EVENT_LINES: { [T in JournalEventType]: Lines<T> } = {
  'run-started': (e) => [
    `run ${e.runId} started: ${e.planName || e.planFile}, ${plural(e.waves.length, 'wave')}, ${plural(
      e.waves.reduce((n, w) => n + w.tasks.length, 0),
      'task',
    )}`,
  ],
  'run-resumed': (e) => [`run resumed (pid ${e.pid})`],
  'wave-started': (e, { after }) => withWave(after, e.wave, (wave) => `${waveTitle(after, wave)} started: ${plural(wave.taskIds.length, 'task')}`),
  'worktree-intent': none,
  'worktree-created': none,
  'copy-skipped': (e) => [task(e.task, `not copied: ${e.path}: ${oneLine(e.reason)}`)],
  'setup-started': none,
  'setup-finished': (e) => (e.ok ? [] : [task(e.task, `setup ${failure(e)}`), ...tail(e.outputTail)]),
  'agent-starting': (e, ctx) => {
    const label = startLabel(e);
    const current = ctx.after.tasks[e.task];
    const icon = current ? `${taskWords(current, { nowMs: Date.parse(e.at), hourMinute: ctx.hourMinute }).icon} ` : '';
    return label ? [task(e.task, `${icon}${label}`)] : [];
  },
  'agent-session': none,
  'agent-state': (e, ctx) => [task(e.task, agentLabel(e, ctx))],
  // ccwave ends sessions itself, so only an agent's own failing exit code is news.
  'agent-action': none,
  'agent-usage': none,
  'task-finished': (e, ctx) => [task(e.task, finishedLabel(e, ctx))],
  'merge-intent': none,
  'handback-started': (e) => [task(e.task, `merge conflict in ${e.paths.map(inlineText).join(', ')} handed back to its agent (round ${e.round})`)],
  'merge-done': (e, ctx) => [
    `merge ${e.task} → ${wordsAt(e, ctx) ?? (e.result === 'merged' ? 'merged' : 'already merged')} (${shortSha(e.mergeSha ?? e.integrationSha)})${resolvedText(ctx.after, e.task)}`,
  ],
  'merge-skipped': (e, ctx) => [`merge ${e.task} → ${wordsAt(e, ctx) ?? skippedLabel(e)}`],
  'test-started': none,
  'test-finished': (e) =>
    e.passed
      ? [`tests on ${shortSha(e.sha)} passed${(e.attempt ?? 1) > 1 ? ` on retry (run ${e.attempt})` : ''} (${formatDuration(e.durationMs)})`]
      : [`tests on ${shortSha(e.sha)} ${failure(e)}`, ...tail(e.outputTail)],
  'retro-started': none,
  'retro-written': (e, { after }) => withWave(after, e.wave, (wave) => `${waveTitle(after, wave)} retrospective: ${shellWord(e.path)}`),
  'retro-skipped': (e, { after }) => withWave(after, e.wave, (wave) => `${waveTitle(after, wave)} retrospective skipped: ${oneLine(e.reason)}`),
  'land-intent': none,
  'land-done': (e) => [`landed on ${e.branch} (${shortSha(e.sha)})`],
  'land-refused': (e) => [`not landed on ${e.branch}: ${e.why}`],
  'wave-finished': (e, { after, hourMinute }) =>
    withWave(after, e.wave, (wave) => {
      const took = spanMs(wave.startedAt, wave.finishedAt);
      return `${waveTitle(after, wave)} finished: ${formatCounts(waveKinds(after, wave, hourMinute)) || 'no tasks'}${took === undefined ? '' : ` (${formatDuration(took)})`}`;
    }),
  'limit-pause': (e, { hourMinute }) => [limitPauseText(e, hourMinute)],
  'limit-resume': () => ['new agents may start again'],
  'notify-failed': (e) => [`notification ${e.notification} not delivered to ${e.target}: ${oneLine(e.error)}`],
  'run-interrupted': (e) => [`run interrupted: ${oneLine(e.reason)}`],
  'run-finished': (e, { after }) => {
    const took = spanMs(after.startedAt, e.at);
    return [`run finished (exit ${e.exitCode})${took === undefined ? '' : ` after ${formatDuration(took)}`}`];
  },
  repair: (e) => [`repair: ${e.action}${e.task ? ` ${e.task}` : ''}: ${oneLine(e.detail)}`],
};

/** How a user's command failed: its exit code, or the time limit that ended it. */
function failure(e: { exitCode: number | null; durationMs: number; timedOut?: boolean | undefined }): string {
  return e.timedOut ? `timed out (commandTimeout, after ${formatDuration(e.durationMs)})` : `failed (exit ${e.exitCode ?? 'signal'}, ${formatDuration(e.durationMs)})`;
}

export function eventLines(event: JournalEvent, ctx: LineContext): string[] {
  // TypeScript cannot pair a union member with its own entry; the table's type guarantees it.
  return (EVENT_LINES[event.type] as Lines<JournalEventType>)(event as never, ctx);
}

/** The task's icon and words (as every view shows them) right after this event. */
function wordsAt(e: { task: string; at: string }, { after, hourMinute }: LineContext): string | undefined {
  const current = after.tasks[e.task];
  if (!current) return undefined;
  const { icon, label } = taskWords(current, { nowMs: Date.parse(e.at), hourMinute });
  return `${icon} ${label}`;
}

function agentLabel(e: EventOf<'agent-state'>, ctx: LineContext): string {
  return ctx.after.tasks[e.task]?.status === 'running' ? (wordsAt(e, ctx) ?? e.state) : e.state;
}

function finishedLabel(e: EventOf<'task-finished'>, ctx: LineContext): string {
  const current = ctx.after.tasks[e.task];
  const words = current ? taskWords(current, { nowMs: Date.parse(e.at), hourMinute: ctx.hourMinute }) : undefined;
  // What its agent used, once, where the task ends: the morning's log says what each task cost.
  const took = `${words?.duration === undefined ? '' : ` in ${words.duration}`}${current?.usage ? ` · ${usageText(current.usage.total)}` : ''}`;
  // "done" whatever its merge is doing: a conflict handed back is still being merged.
  if (e.status === 'done') return `${TASK_ICONS.done} done: ${plural(e.commits, 'commit')}${took}`;
  const label = words ? `${words.icon} ${words.label}${took}` : e.status;
  // Nothing is lost: say where a failed task's commits are.
  const branch = current?.worktree?.branch;
  return e.commits > 0 && branch ? `${label} · ${plural(e.commits, 'commit')} kept on ${branch}` : label;
}

/** Empty when the agent's own states will tell (Claude's); a command agent reports none. */
function startLabel(e: EventOf<'agent-starting'>): string {
  const command = e.agent === COMMAND_AGENT;
  if (e.resume) return `${command ? 'running again' : 'resuming session'} (attempt ${e.attempt})`;
  if (e.attempt > 1) return `retrying (attempt ${e.attempt})`;
  return command ? 'running' : '';
}

/** A merge after a conflict hand-back: the agent resolved it, which the log must not hide. */
function resolvedText(state: RunState, taskId: string): string {
  const handback = state.tasks[taskId]?.handback;
  if (!handback) return '';
  return `: conflict in ${handback.paths.map(inlineText).join(', ') || 'its branch'} resolved by its agent${handback.round > 1 ? ` (round ${handback.round})` : ''}`;
}

function skippedLabel(e: EventOf<'merge-skipped'>): string {
  const reason = e.reason ? `: ${oneLine(e.reason)}` : '';
  switch (e.result) {
    case 'conflict':
      return e.conflictedPaths.length > 0 ? `conflict in ${e.conflictedPaths.map(inlineText).join(', ')}` : `conflict${reason}`;
    case 'tests-failed':
      return `tests failed${reason}`;
    case 'empty':
      return 'nothing to merge (no commits)';
  }
}

function withWave(state: RunState, index: number, line: (wave: RunState['waves'][number]) => string): string[] {
  const wave = state.waves.find((w) => w.index === index);
  return wave ? [line(wave)] : [`wave ${index}`];
}

function tail(output: string): string[] {
  const lines = output.split(/\r?\n/).filter((line) => line.trim() !== '');
  return lines.slice(-TEST_TAIL_LINES).map((line) => `    | ${plainText(line).trimEnd()}`);
}
