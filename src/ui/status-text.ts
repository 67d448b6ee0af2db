import { inlineText } from '../control-chars.js';
import { formatDuration } from '../format/duration.js';
import { plural } from '../format/plural.js';
import { shortSha } from '../format/sha.js';
import { formatSince } from '../journal/lock.js';
import type { JournalWarning } from '../journal/parse-journal.js';
import type { RunActivity } from '../journal/run-activity.js';
import type { RunState, TaskState, WaveState } from '../journal/run-state.js';
import { passedOnRetry } from '../journal/test-verdicts.js';
import { actionsText } from '../journal/action-words.js';
import { waveNameBeyondNumber } from '../plan/wave-name.js';
import { shellWord } from '../shell-word.js';
import { formatCounts, taskWords, type WordsContext } from './format/task-status.js';
import { timeFormatter } from './format/time.js';
import { runUsageText, usageBrief, usageText } from '../journal/usage-text.js';
import { limitPauseText, runHasUsage, windowText } from './format/usage-words.js';
import { runUsage, waveUsage } from '../journal/usage-totals.js';

const ID_WIDTH = 26;
/** Wide enough for most tasks' words ("failed: idle timeout (10m)"); in a terminal longer ones are cut. */
const WORDS_WIDTH = 26;
const TIME_WIDTH = 8;

export interface StatusView {
  state: RunState;
  activity: RunActivity;
  warnings: readonly JournalWarning[];
  now: Date;
  /** A terminal's width to fit; without one (a pipe, a file) no line is cut. */
  width?: number | undefined;
  /** Branches and worktree folders the journal names that are gone now (e.g. after `ccwave clean`). */
  gone?: { branches: ReadonlySet<string>; paths: ReadonlySet<string> };
  /** The plan as the user would type it in a command (default: the journal's path). */
  planArg?: string;
  /** When this is the plan's newest finished run and tasks are still owed: them, and the command. */
  rerun?: { tasks: readonly string[]; command: string };
  /** Time zone of clock times (a pause's end); the machine's when undefined. */
  timeZone?: string;
}

/** `ccwave status` as plain text. Pure: everything comes from the view. */
export function formatStatus(view: StatusView): string {
  const { state, activity, now } = view;
  const lines: string[] = [];
  for (const warning of view.warnings) lines.push(`warning: journal line ${warning.line}: ${warning.message}`);
  lines.push(`Run ${state.runId} · ${state.planName || '(unnamed plan)'} (${state.planFile})`);
  lines.push(activityLine(state, activity, now));
  if (activity.kind === 'interrupted' || activity.kind === 'abandoned') lines.push(`Resume with: ccwave run ${view.planArg ?? state.planFile}`);
  if (state.selection) lines.push(`Tasks:       only ${state.selection.tasks.join(', ')}${state.selection.rerunOf ? ` (run ${state.selection.rerunOf} did not merge them)` : ''}`);
  if (state.base) lines.push(`Base:        ${state.base.branch} @ ${shortSha(state.base.sha)}`);
  const gone = view.gone ?? { branches: new Set<string>(), paths: new Set<string>() };
  const deleted = (branch: string) => (gone.branches.has(branch) ? `${branch} (deleted)` : branch);
  if (state.integration) lines.push(`Integration: ${deleted(state.integration.branch)} @ ${shortSha(state.integration.sha)}`);
  lines.push(...usageLines(state, activity, now, view.timeZone));
  if (state.land) lines.push(`Landing on ${state.land.branch}: ${state.land.status}${state.land.sha ? ` @ ${shortSha(state.land.sha)}` : ''}`);
  // Never cut short: the paths say what is in the way, and the command is there to be copied.
  const whole = new Set<string>();
  if (state.landRefusal) {
    const refusal = [`Not landed on ${state.landRefusal.branch}: ${state.landRefusal.why}`, `  to land it: ${state.landRefusal.command}`];
    for (const line of refusal) whole.add(line);
    lines.push(...refusal);
  }
  if (view.rerun) {
    const line = `Not merged yet: ${view.rerun.tasks.join(', ')}; to run only them again: ${view.rerun.command}`;
    whole.add(line);
    lines.push(line);
  }
  // Without a live runner nothing runs: a task or wave still marked so was cut short, and resumes.
  const live = activity.kind === 'live';
  const words: WordsContext = { nowMs: Date.parse(endTime(state, activity, now)), hourMinute: timeFormatter(view.timeZone).hourMinute, runOver: !live };
  // Only a terminal has a width: elsewhere a task id is never cut, so it can be copied.
  const idWidth = view.width === undefined ? Math.max(ID_WIDTH, ...Object.keys(state.tasks).map((id) => id.length)) : ID_WIDTH;
  // As with ids: without a terminal every task's words are whole, and the columns make room.
  const allWords = Object.values(state.tasks).map((task) => [...taskWords(task, words).label].length);
  const columns = { id: idWidth, words: view.width === undefined ? Math.max(WORDS_WIDTH, ...allWords) : WORDS_WIDTH };
  for (const wave of state.waves) {
    lines.push('', waveLine(wave, state, words));
    if (wave.retroSkipped) lines.push(`  retro not written: ${wave.retroSkipped.reason}`);
    for (const id of wave.taskIds) {
      const task = state.tasks[id];
      if (task) lines.push(...taskLines(task, words, columns), ...worktreeLine(task, gone, whole));
    }
  }
  const orphans = Object.values(state.tasks).filter((task) => task.wave === null);
  if (orphans.length > 0) lines.push('', 'Not in the plan');
  for (const task of orphans) lines.push(...taskLines(task, words, columns), ...worktreeLine(task, gone, whole));
  const lastTest = state.tests.at(-1);
  if (lastTest) {
    const passed = passedOnRetry(lastTest) ? `passed on retry (run ${lastTest.attempt})` : 'passed';
    const verdict = lastTest.interrupted ? 'interrupted by a stop' : lastTest.passed === undefined ? 'running' : lastTest.passed ? passed : `failed (exit ${lastTest.exitCode ?? '?'})`;
    lines.push('', `Tests: ${state.tests.length} run; last ${verdict} on ${shortSha(lastTest.sha)}: ${lastTest.command}`);
    const flaky = state.tests.filter(passedOnRetry).length;
    if (flaky > 0) lines.push(`Flaky: ${plural(flaky, 'commit')} passed only on a retry (testRetries)`);
  }
  if (state.repairs.length > 0) lines.push(`Repairs on resume: ${state.repairs.length} (see --json)`);
  return `${lines.map((line) => (whole.has(line) || view.width === undefined ? line : fit(line, view.width))).join('\n')}\n`;
}

function activityLine(state: RunState, activity: RunActivity, now: Date): string {
  const elapsed = state.startedAt ? ` · elapsed ${formatDuration(Date.parse(endTime(state, activity, now)) - Date.parse(state.startedAt))}` : '';
  switch (activity.kind) {
    case 'live': {
      const where = activity.certain ? '' : ` on ${activity.hostname} (cannot check from here)`;
      return `Live: pid ${activity.pid}${where} (${activity.command}) since ${formatSince(activity.since, now)}${elapsed}`;
    }
    case 'finished':
      return `Finished${state.finishedAt ? ` at ${formatSince(state.finishedAt, now)}` : ''}, exit code ${activity.exitCode ?? '?'}${elapsed}`;
    case 'interrupted':
      return `Interrupted${activity.reason ? ` (${activity.reason})` : ''}${elapsed}`;
    case 'abandoned':
      return `Stopped unexpectedly (no ccwave is running it)${elapsed}`;
  }
}

/**
 * What the agents used, and the account's five-hour window while it matters: only when some
 * agent reported usage (a run of plain commands has none to show).
 */
function usageLines(state: RunState, activity: RunActivity, now: Date, timeZone: string | undefined): string[] {
  const { hourMinute } = timeFormatter(timeZone);
  const lines: string[] = [];
  if (runHasUsage(state)) lines.push(`Usage:       ${runUsageText(runUsage(state))}`);
  const window = windowText(state, now.getTime(), hourMinute);
  if (window) lines.push(`Limits:      ${window}`);
  if (state.limitPause && activity.kind === 'live') lines.push(`Holding:     ${limitPauseText(state.limitPause, hourMinute)}`);
  return lines;
}

/** Running clocks stop where the run's knowledge stops: now if live, else its last event. */
function endTime(state: RunState, activity: RunActivity, now: Date): string {
  if (activity.kind === 'live') return now.toISOString();
  return state.finishedAt ?? state.updatedAt ?? now.toISOString();
}

/** The wave counted as the TUI and the summary count it: "2 merged · 1 failed". */
function waveLine(wave: WaveState, state: RunState, words: WordsContext): string {
  const summary = formatCounts(wave.taskIds.flatMap((id) => (state.tasks[id] ? [taskWords(state.tasks[id], words).kind] : []))) || 'no tasks';
  const live = !words.runOver;
  const retro = wave.retro ? ` · retro ${shellWord(wave.retro.path)}` : wave.retroSkipped ? ' · retro skipped' : '';
  const status = !live && (wave.status === 'running' || wave.status === 'merging') ? 'stopped' : wave.status;
  const name = waveNameBeyondNumber(wave.name, [wave.index]);
  const usage = wave.taskIds.some((id) => state.tasks[id]?.usage) ? ` · ${usageText(waveUsage(state, wave.index))}` : '';
  return `Wave ${wave.index}${name ? `: ${name}` : ''} · ${status} (${summary})${usage}${retro}`;
}

/** The task's line, in the words every view uses (see taskWords), then what needs more room. */
function taskLines(task: TaskState, ctx: WordsContext, columns: { id: number; words: number }): string[] {
  const { icon, label, duration } = taskWords(task, ctx);
  const attempts = task.attempts > 0 ? plural(task.attempts, 'attempt') : '';
  const usage = task.usage ? ` · ${usageBrief(task.usage.total)}` : '';
  const line = `  ${icon} ${pad(task.id, columns.id)} ${pad(label, columns.words)} ${pad(duration ?? '', TIME_WIDTH)} ${attempts}${usage}`;
  const lines = [line.trimEnd()];
  const conflicts = task.merge?.conflictedPaths ?? [];
  if (conflicts.length > 0) lines.push(`      conflicts: ${conflicts.map(inlineText).join(', ')}`);
  for (const skip of task.copySkipped ?? []) lines.push(`      not copied: ${inlineText(skip.path)}: ${inlineText(skip.reason)}`);
  const actions = actionsText(task.actions?.counts ?? {});
  if (actions) lines.push(`      ccwave stepped in: ${actions}`);
  // The whole reason, when the task's words could give only its first line.
  const why = task.merge?.reason ?? task.reason;
  if (why && task.status !== 'running' && !label.endsWith(inlineText(why))) lines.push(`      ${inlineText(why)}`);
  return lines;
}

/** Where the task worked, never cut short: it is there to be copied (`cd`, `git log`). */
function worktreeLine(task: TaskState, gone: NonNullable<StatusView['gone']>, whole: Set<string>): string[] {
  if (!task.worktree) return [];
  const { path, branch } = task.worktree;
  const line = `      worktree ${shellWord(path)}${gone.paths.has(path) ? ' (removed)' : ''} · branch ${inlineText(branch)}${gone.branches.has(branch) ? ' (deleted)' : ''}`;
  whole.add(line);
  return [line];
}

function pad(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

function fit(line: string, width: number): string {
  return [...line].length > width ? `${[...line].slice(0, width - 1).join('')}…` : line;
}
