import { inlineText } from '../control-chars.js';
import type { RunState, TaskState } from '../journal/run-state.js';
import { shellWord } from '../shell-word.js';
import { describeTask, formatCounts } from './format/task-status.js';
import { padEnd, padStart, truncate } from './format/text.js';
import { formatDuration, spanMs } from './format/time.js';

/** Where the run left things the user will want to read next. */
export interface SummaryPaths {
  logsDir: string;
  journal?: string;
  /** Shown when no retrospective was written yet (the journal knows each one's path otherwise). */
  retrospectivesDir?: string;
}

/** The width `formatSummary` fits in a terminal that does not say its own. */
export const SUMMARY_WIDTH = 80;
const GAP = '  ';
const MAX_TASK = 28;
const STATUS = 9;
const TIME = 6;
const COMMITS = 7;
const MERGED = 6;
/** A reason narrower than this goes on its own line under the row instead. */
const MIN_REASON = 12;

/**
 * The end-of-run table: task, status, time, commits, merged?, reason; then where to look next.
 * `width` is a terminal's; without one (a pipe, a file) nothing is cut or moved to fit.
 */
export function formatSummary(state: RunState, paths: SummaryPaths, width?: number): string {
  const tasks = state.waves.flatMap((wave) => wave.taskIds).flatMap((id) => state.tasks[id] ?? []);
  const longestId = Math.max(4, ...tasks.map((t) => [...t.id].length));
  const taskWidth = width === undefined ? longestId : Math.min(MAX_TASK, longestId);
  const reasonWidth = width === undefined ? Infinity : width - (taskWidth + STATUS + TIME + COMMITS + MERGED + 5 * GAP.length);
  const inlineReasons = reasonWidth >= MIN_REASON;
  const row = (cells: [string, string, string, string, string], reason: string) =>
    [padEnd(cells[0], taskWidth), padEnd(cells[1], STATUS), padStart(cells[2], TIME), padStart(cells[3], COMMITS), padEnd(cells[4], MERGED), inlineReasons ? reason : '']
      .join(GAP)
      .trimEnd();

  const lines = [width === undefined ? headline(state, tasks) : truncate(headline(state, tasks), width), '', row(['TASK', 'STATUS', 'TIME', 'COMMITS', 'MERGED'], 'REASON')];
  for (const task of tasks) {
    // Reasons carry paths and agents' words: shown, never acted on by the terminal.
    const reason = inlineText(taskReason(task));
    const fits = inlineReasons && [...reason].length <= reasonWidth;
    lines.push(row([task.id, rowStatus(task, state), taskTime(task), task.commits === undefined ? '-' : String(task.commits), merged(task)], fits ? reason : ''));
    // Reasons and paths are never cut: they are what the user acts on. A long one gets its own line.
    if (reason && !fits) lines.push(`  ↳ ${reason}`);
  }
  lines.push('', ...whereToLook(state, paths));
  return `${lines.join('\n')}\n`;
}

/** A task still marked running when the run is no longer: the stop cut it short, it resumes. */
function stoppedShort(task: TaskState, state: RunState): boolean {
  return state.status !== 'running' && (task.status === 'running' || task.status === 'preparing');
}

/**
 * What became of the task, in the words the header counts it by: a task whose agent finished is
 * "merged", or what kept its merge out ("conflict", "failed" for red tests).
 */
function rowStatus(task: TaskState, state: RunState): string {
  if (stoppedShort(task, state)) return 'stopped';
  if (task.status !== 'done' || !task.merge) return task.status;
  switch (task.merge.status) {
    case 'merged':
    case 'already-merged':
      return 'merged';
    case 'conflict':
      return 'conflict';
    case 'tests-failed':
      return 'failed';
    default:
      return task.status;
  }
}

function headline(state: RunState, tasks: TaskState[]): string {
  const outcome = state.status === 'finished' && state.exitCode !== undefined ? `finished (exit ${state.exitCode})` : state.status;
  const stopped = tasks.filter((task) => stoppedShort(task, state)).length;
  const counts = [stopped > 0 ? `${stopped} stopped` : '', formatCounts(tasks.filter((task) => !stoppedShort(task, state)).map((task) => describeTask(task, (iso) => iso).kind))]
    .filter(Boolean)
    .join(' · ');
  const took = spanMs(state.startedAt, state.finishedAt ?? state.updatedAt);
  const n = `${tasks.length} task${tasks.length === 1 ? '' : 's'}`;
  return [`${state.planName || state.planFile}: ${outcome}`, counts ? `${n}: ${counts}` : n, took === undefined ? '' : formatDuration(took)]
    .filter(Boolean)
    .join(' · ');
}

function taskTime(task: TaskState): string {
  const ms = spanMs(task.startedAt, task.finishedAt);
  return ms === undefined ? '-' : formatDuration(ms);
}

function merged(task: TaskState): string {
  if (task.merge?.status === 'merged' || task.merge?.status === 'already-merged') return 'yes';
  return task.status === 'done' ? 'no' : '-';
}

function taskReason(task: TaskState): string {
  // A done task's own reason only restates success; what happened to its merge is the news.
  if (task.status !== 'done') return task.reason ?? '';
  const merge = task.merge;
  if (!merge) return '';
  switch (merge.status) {
    case 'conflict':
      return `conflict: ${merge.conflictedPaths.join(', ') || merge.reason || 'unknown paths'}`;
    case 'tests-failed':
      return merge.reason ? `tests failed: ${merge.reason}` : 'tests failed';
    case 'empty':
      return 'no commits to merge';
    case 'merged':
    case 'already-merged':
      // A conflict its agent resolved is news even though the task merged.
      return task.handback ? `conflict in ${task.handback.paths.join(', ') || 'its branch'} resolved by its agent` : '';
    default:
      return '';
  }
}

function whereToLook(state: RunState, paths: SummaryPaths): string[] {
  // Retrospectives are committed on the run's branch: until it lands, they are not in the checkout.
  const where = state.integration && (state.landRefusal || state.settings.land === false) ? ` (on ${state.integration.branch}${state.landRefusal ? ', not landed' : ''})` : '';
  // Paths are quoted where a shell would split them: they are there to be pasted.
  const retros = state.waves.flatMap((wave) =>
    wave.retro ? [`${shellWord(wave.retro.path)}${where}`] : wave.retroSkipped ? [`wave ${wave.index} not written: ${inlineText(wave.retroSkipped.reason)}`] : [],
  );
  const label = (name: string) => padEnd(`${name}:`, 16);
  const lines: string[] = [];
  if (retros.length > 0) retros.forEach((path, i) => lines.push(`${i === 0 ? label('Retrospectives') : ' '.repeat(16)}${path}`));
  else if (paths.retrospectivesDir) lines.push(`${label('Retrospectives')}${shellWord(paths.retrospectivesDir)} (none written yet)`);
  lines.push(`${label('Logs')}${shellWord(paths.logsDir)}`);
  if (paths.journal) lines.push(`${label('Journal')}${shellWord(paths.journal)}`);
  return lines;
}
