import { inlineText } from '../control-chars.js';
import type { RunState, TaskState } from '../journal/run-state.js';
import { shellWord } from '../shell-word.js';
import { formatCounts, taskWords, type WordsContext } from './format/task-status.js';
import { padEnd, padStart, truncate } from './format/text.js';
import { formatDuration } from '../format/duration.js';
import { plural } from '../format/plural.js';
import { spanMs, timeFormatter } from './format/time.js';
import { runUsageText, usageCells } from '../journal/usage-text.js';
import { runHasUsage, windowText } from './format/usage-words.js';
import { runUsage } from '../journal/usage-totals.js';

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
const TIME = 6;
const COMMITS = 7;
const MERGED = 6;
/** "TOKENS" over "1.25M". */
const TOKENS = 6;
/** "EST. $" over "~$123.45". */
const COST = 8;
/** A task's words narrower than this go on their own line under the row instead. */
const MIN_STATUS = 12;

export interface SummaryOptions {
  /** The clock for a task still marked going (default: the run's last moment). */
  nowMs?: number;
  /** Time zone of clock times (a pause's end); the machine's when undefined. */
  timeZone?: string;
}

/**
 * The end-of-run table: task, time, commits, merged?, then the task's words as every view says
 * them (icon, state and reason); then where to look next.
 * `width` is a terminal's; without one (a pipe, a file) nothing is cut or moved to fit.
 */
export function formatSummary(state: RunState, paths: SummaryPaths, width?: number, options: SummaryOptions = {}): string {
  const tasks = state.waves.flatMap((wave) => wave.taskIds).flatMap((id) => state.tasks[id] ?? []);
  const longestId = Math.max(4, ...tasks.map((t) => [...t.id].length));
  const taskWidth = width === undefined ? longestId : Math.min(MAX_TASK, longestId);
  // Tokens and the dollar estimate only when some agent reported them: plain commands have none.
  const usage = runHasUsage(state);
  const usageWidth = usage ? TOKENS + COST + 2 * GAP.length : 0;
  const statusWidth = width === undefined ? Infinity : width - (taskWidth + TIME + COMMITS + MERGED + usageWidth + 4 * GAP.length);
  const inlineStatus = statusWidth >= MIN_STATUS;
  const row = (cells: [string, string, string, string], spent: [string, string] | undefined, status: string) =>
    [
      padEnd(cells[0], taskWidth),
      padStart(cells[1], TIME),
      padStart(cells[2], COMMITS),
      padEnd(cells[3], MERGED),
      ...(spent ? [padStart(spent[0], TOKENS), padStart(spent[1], COST)] : []),
      inlineStatus ? status : '',
    ]
      .join(GAP)
      .trimEnd();
  const words = { nowMs: options.nowMs ?? Date.parse(state.finishedAt ?? state.updatedAt ?? ''), hourMinute: timeFormatter(options.timeZone).hourMinute, runOver: state.status !== 'running' };

  const lines = [
    width === undefined ? headline(state, tasks, words) : truncate(headline(state, tasks, words), width),
    '',
    row(['TASK', 'TIME', 'COMMITS', 'MERGED'], usage ? ['TOKENS', 'EST. $'] : undefined, 'STATUS'),
  ];
  for (const task of tasks) {
    const { icon, label, duration } = taskWords(task, words);
    // Reasons carry paths and agents' words: shown, never acted on by the terminal.
    const status = inlineText(`${icon} ${label}${resolvedNote(task)}`);
    const fits = inlineStatus && [...status].length <= statusWidth;
    const cells = task.usage ? usageCells(task.usage.total) : { tokens: '-', cost: '-' };
    lines.push(row([task.id, duration ?? '-', task.commits === undefined ? '-' : String(task.commits), merged(task)], usage ? [cells.tokens, cells.cost] : undefined, fits ? status : ''));
    // A task's words are never cut: they say what to act on. Long ones get their own line.
    if (!fits) lines.push(`  ↳ ${status}`);
  }
  if (usage) lines.push('', ...usageLines(state, words.nowMs, options.timeZone));
  lines.push('', ...whereToLook(state, paths));
  return `${lines.join('\n')}\n`;
}

function headline(state: RunState, tasks: TaskState[], words: WordsContext): string {
  const outcome = state.status === 'finished' && state.exitCode !== undefined ? `finished (exit ${state.exitCode})` : state.status;
  const counts = formatCounts(tasks.map((task) => taskWords(task, words).kind));
  const took = spanMs(state.startedAt, state.finishedAt ?? state.updatedAt);
  const n = plural(tasks.length, 'task');
  return [`${state.planName || state.planFile}: ${outcome}`, counts ? `${n}: ${counts}` : n, took === undefined ? '' : formatDuration(took)].filter(Boolean).join(' · ');
}

/** The run's total, and the five-hour window while it is still open; the dollars are never a bill. */
function usageLines(state: RunState, nowMs: number, timeZone: string | undefined): string[] {
  const window = windowText(state, nowMs, timeFormatter(timeZone).hourMinute);
  return [`Usage: ${runUsageText(runUsage(state))}`, ...(window ? [`Limits: ${window}`] : [])];
}

function merged(task: TaskState): string {
  if (task.merge?.status === 'merged' || task.merge?.status === 'already-merged') return 'yes';
  return task.status === 'done' ? 'no' : '-';
}

/** Which conflict its agent resolved: news even though the task merged, and the words do not name it. */
function resolvedNote(task: TaskState): string {
  const merged = task.merge?.status === 'merged' || task.merge?.status === 'already-merged';
  return merged && task.handback ? ` · conflict in ${task.handback.paths.join(', ') || 'its branch'} resolved by its agent` : '';
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
