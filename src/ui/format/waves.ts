import type { RunState, WaveState } from '../../journal/run-state.js';
import { waveNameBeyondNumber } from '../../plan/wave-name.js';
import { shellWord } from '../../shell-word.js';
import { describeTask, formatCounts, type TaskKind } from './task-status.js';
import { formatDuration } from '../../format/duration.js';
import { plural } from '../../format/plural.js';
import { spanMs } from './time.js';

/** The wave the live area shows: the one running or merging, else the next one to start. */
export function currentWave(state: RunState): WaveState | undefined {
  return state.waves.find((w) => w.status === 'running' || w.status === 'merging') ?? state.waves.find((w) => w.status === 'pending');
}

/** "1/2": position in the plan, whatever the waves' own index numbers are. */
export function wavePosition(state: RunState, wave: WaveState): string {
  return `${state.waves.indexOf(wave) + 1}/${state.waves.length}`;
}

/** "wave 1/2", plus the wave's name beyond its number: "wave 1/2: first steps", never "wave 1/2 Wave 1: …". */
export function waveTitle(state: RunState, wave: WaveState): string {
  const title = `wave ${wavePosition(state, wave)}`;
  const rest = waveNameBeyondNumber(wave.name, [wave.index, state.waves.indexOf(wave) + 1]);
  return rest ? `${title}: ${rest}` : title;
}

export function waveKinds(state: RunState, wave: WaveState, hourMinute: (iso: string) => string): TaskKind[] {
  return wave.taskIds.flatMap((id) => {
    const task = state.tasks[id];
    return task ? [describeTask(task, hourMinute).kind] : [];
  });
}

/** The one line a finished wave collapses to: "✔ wave 1/2 · 3 tasks: 2 merged · 1 failed · 25m10s". */
export function waveSummaryLine(state: RunState, wave: WaveState, hourMinute: (iso: string) => string): string {
  const counts = formatCounts(waveKinds(state, wave, hourMinute));
  const took = spanMs(wave.startedAt, wave.finishedAt);
  const parts = [`✔ ${waveTitle(state, wave)}`, `${plural(wave.taskIds.length, 'task')}: ${counts || 'none'}`];
  if (took !== undefined) parts.push(formatDuration(took));
  if (wave.retro) parts.push(`retro ${shellWord(wave.retro.path)}`);
  return parts.join(' · ');
}
