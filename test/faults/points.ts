import type { JournalLine } from './harness.js';

/**
 * The crash points of the full suite, picked from an uninterrupted run's journal (~70 events):
 *
 * - wave 1, where the plan's interesting cases are (a Claude session, plain commands, a conflict
 *   handed back to its agent): every agent launch, turn end and merge decision; one test start per
 *   set of candidates and the first test result; the first task's worktree intent and creation;
 *   the first "working" and "idle" of an agent and the first "working" of the conflict hand-back;
 * - later waves: the first event of each kind (the same code again, from a merged base), but not
 *   worktree creation, idle, tests or land-done again.
 *
 * About 41 points. `FAULT_POINTS=all` takes every K; `FAULT_POINTS=3,17,40` takes those.
 */
export function crashPoints(events: readonly JournalLine[], spec = process.env.FAULT_POINTS ?? ''): number[] {
  if (spec === 'all') return events.map((e) => e.seq);
  if (spec.trim() !== '')
    return spec
      .split(',')
      .map((k) => Number(k.trim()))
      .filter((k) => Number.isInteger(k) && k > 0);
  const points: number[] = [];
  const seenInWave1 = new Set<string>();
  const seenLater = new Set<string>();
  let wave = 0;
  let merging = false;
  for (const event of events) {
    if (event.type === 'wave-started') {
      wave = Number(event.wave);
      merging = false;
    }
    if (event.type === 'merge-intent') merging = true;
    const kind = event.type === 'test-started' ? `test-started:${String(event.tasks)}` : `${event.type}:${String(event.state ?? '')}${event.type === 'agent-state' && merging ? ':hand-back' : ''}`;
    const seen = wave <= 1 ? seenInWave1 : seenLater;
    const first = !seen.has(kind);
    seen.add(kind);
    const later = first && !LATER_WAVES_SKIP.has(kind) && !kind.startsWith('test-started:');
    if (wave <= 1 ? keepInFirstWave(kind, first) : later) points.push(event.seq);
  }
  return points;
}

/** In wave 1, only the first of these; everything else is kept. */
const WAVE1_FIRST_ONLY = new Set(['worktree-intent:', 'worktree-created:', 'agent-state:working', 'agent-state:idle', 'agent-state:working:hand-back', 'test-finished:']);
const WAVE1_SKIP = new Set(['agent-state:idle:hand-back']);
/** Later waves: the same code as in wave 1 from a merged base; these add the least. */
const LATER_WAVES_SKIP = new Set(['worktree-created:', 'agent-state:idle', 'test-finished:', 'land-done:']);

function keepInFirstWave(kind: string, first: boolean): boolean {
  if (WAVE1_SKIP.has(kind) || (kind.startsWith('agent-state:') && !WAVE1_FIRST_ONLY.has(kind))) return false;
  // One test run per set of candidates (the base, the first batch, the resolved conflict).
  if (kind.startsWith('test-started:')) return first;
  return WAVE1_FIRST_ONLY.has(kind) ? first : true;
}
