import type { TaskState, WaveState } from '../../journal/run-state.js';
import { agentsRunning, pausedUntil, runPhase, type RunPhase } from '../../journal/run-phase.js';
import type { LiveTask, PhaseKind, RunView } from '../store.js';
import { BUSY_KINDS, describeTask, formatCounts, taskWords, type TaskKind } from '../format/task-status.js';
import { usageCells, usageText } from '../../journal/usage-text.js';
import { limitPauseText, runHasUsage, windowText } from '../format/usage-words.js';
import { runUsage } from '../../journal/usage-totals.js';
import { formatDuration } from '../../format/duration.js';
import type { TimeFormatter } from '../format/time.js';
import { oneLine } from '../format/text.js';
import { currentWave, waveTitle } from '../format/waves.js';

export interface HeaderModel {
  title: string;
  counts: string;
  agents: string;
  /** "usage 34.2k tokens, ~$0.42 estimated · five-hour window 42% (resets 18:00)": when any agent reported usage. */
  usage?: string;
  /** "‖ paused until 15:00 (usage limit) · wave 1: merging feature-002 (3/5)", when either applies. */
  status?: string;
}

export interface TaskRowModel {
  id: string;
  title: string;
  kind: TaskKind;
  label: string;
  elapsed?: string;
  commits?: number;
  /** What its agent used; undefined when it reported nothing. */
  usage?: { tokens: string; cost: string };
  /** Only for a task whose agent is at work: what it said last. */
  lastLine?: string;
}

const PHASE_LABELS: Readonly<Record<PhaseKind, string>> = {
  agents: 'agents working',
  merging: 'merging',
  testing: 'running tests',
  retro: 'writing retrospective',
  landing: 'landing',
};

export function headerModel(view: RunView, nowMs: number, time: TimeFormatter): HeaderModel {
  const { state } = view;
  const wave = currentWave(state);
  const where = state.status === 'finished' ? 'finished' : wave ? waveTitle(state, wave) : 'all waves finished';
  const interrupted = state.status === 'interrupted' ? ' · interrupted' : '';
  const kinds = Object.values(state.tasks).map((task) => describeTask(task, time.hourMinute).kind);
  const pause = pausedUntil(state);
  const phase = runPhase(state);
  // Once the run is over, that is the only news: the phase and any pause are history.
  const status = view.ended
    ? [`${view.ended} · press q to leave and see the summary`]
    : [
        pause ? `‖ paused until ${time.hourMinute(pause)} (usage limit)` : undefined,
        state.limitPause ? `‖ ${limitPauseText(state.limitPause, time.hourMinute)}` : undefined,
        phase ? `${phaseWave(view, phase)}: ${phase.detail ?? PHASE_LABELS[phase.kind]}` : undefined,
      ].filter((part): part is string => part !== undefined);
  const usage = [runHasUsage(state) ? `usage ${usageText(runUsage(state))}` : undefined, windowText(state, nowMs, time.hourMinute)].filter(Boolean).join(' · ');
  return {
    title: `ccwave · ${state.planName || state.planFile} · ${where} · ${formatDuration(nowMs - view.startedAtMs)}${interrupted}`,
    counts: formatCounts(kinds) || 'no tasks',
    agents: `agents ${agentsRunning(state)}/${view.concurrency}`,
    ...(usage ? { usage } : {}),
    status: status.length > 0 ? status.join(' · ') : undefined,
  };
}

/** "wave 2", counted like the rest of the screen: by position in the plan, not by index. */
function phaseWave(view: RunView, phase: RunPhase): string {
  const index = phase.wave;
  const position = view.state.waves.findIndex((wave) => wave.index === index);
  return `wave ${position >= 0 ? position + 1 : index}`;
}

export function taskRows(view: RunView, wave: WaveState | undefined, nowMs: number, time: TimeFormatter): TaskRowModel[] {
  if (!wave) return [];
  return wave.taskIds.flatMap((id) => {
    const task = view.state.tasks[id];
    return task ? [taskRow(task, view.live[id], nowMs, time)] : [];
  });
}

function taskRow(task: TaskState, live: LiveTask | undefined, nowMs: number, time: TimeFormatter): TaskRowModel {
  const { kind, label, duration } = taskWords(task, { nowMs, hourMinute: time.hourMinute });
  // An idle or waiting agent's last activity ("Baking… (12s)") is over: only work in progress shows one.
  const lastLine = BUSY_KINDS.has(kind) && live?.lastLine ? oneLine(live.lastLine) : undefined;
  return {
    id: task.id,
    title: task.title === task.id ? '' : task.title,
    kind,
    label,
    elapsed: duration,
    commits: task.commits,
    ...(task.usage ? { usage: usageCells(task.usage.total) } : {}),
    lastLine: lastLine || undefined,
  };
}
