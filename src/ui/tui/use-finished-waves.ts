import { useRef } from 'react';
import type { RunState } from '../../journal/run-state.js';
import { waveSummaryLine } from '../format/waves.js';

export interface FinishedWaveLine {
  key: string;
  text: string;
}

/**
 * Ink's <Static> prints items[n..] once and never again, so its list must only ever grow, in the
 * order waves finished, with each line fixed at the moment its wave finished.
 */
export function useFinishedWaves(state: RunState, hourMinute: (iso: string) => string): FinishedWaveLine[] {
  const lines = useRef<FinishedWaveLine[]>([]);
  const seen = new Set(lines.current.map((line) => line.key));
  const added = state.waves
    .filter((wave) => wave.status === 'finished' && !seen.has(`wave-${wave.index}`))
    .map((wave) => ({ key: `wave-${wave.index}`, text: waveSummaryLine(state, wave, hourMinute) }));
  if (added.length > 0) lines.current = [...lines.current, ...added];
  return lines.current;
}
