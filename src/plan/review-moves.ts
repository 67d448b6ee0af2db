import { inlineText } from '../control-chars.js';
import { byPriority, directoryRisks, placed, type Delay, type PlannedWave, type WaveAssignment } from './assign-waves.js';
import type { PendingFeature } from './feature-graph.js';

/** More moves than this is not a review of a draft: the rest are refused unread. */
export const MAX_REVIEW_MOVES = 50;
/** A reason is one line of the plan's comments and of the difference shown. */
export const MAX_REASON_CHARS = 200;

/** A move the review asked for and ccwave made. */
export interface AppliedMove {
  feature: string;
  from: number;
  to: number;
  reason: string;
}

/** A move refused, and why; `move` is what the answer said, made printable. */
export interface RefusedMove {
  /** 1-based position in the answer's `moves`. */
  index: number;
  move: string;
  why: string;
}

export interface ReviewResult {
  assignment: WaveAssignment;
  applied: AppliedMove[];
  refused: RefusedMove[];
}

/**
 * Applies the review's moves to the draft one by one, each checked against the plan as the moves
 * before it left it: the feature exists and is not moved twice, the wave exists (or is the one
 * after the last), what it requires stays in earlier waves and what requires it in later ones, no
 * feature of the new wave declares one of its files, the wave stays within `maxWaveSize`, and the
 * old wave is not left empty. `answer` is whatever the agent wrote: anything but
 * `{ "moves": [...] }` refuses the whole answer.
 */
export function applyReviewMoves(draft: WaveAssignment, answer: unknown, maxWaveSize?: number): ReviewResult | { error: string } {
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) return { error: 'the answer is not a JSON object' };
  const moves = (answer as { moves?: unknown }).moves;
  if (!Array.isArray(moves)) return { error: 'the answer has no `moves` list' };
  const waves = draft.waves.map((w) => w.features.map((p) => p.feature));
  const waveOf = new Map<string, number>();
  waves.forEach((features, i) => features.forEach((f) => waveOf.set(f.id, i + 1)));
  const byId = new Map(waves.flat().map((f) => [f.id, f]));
  const applied: AppliedMove[] = [];
  const refused: RefusedMove[] = [];
  moves.forEach((move: unknown, i) => {
    const index = i + 1;
    if (i >= MAX_REVIEW_MOVES) return refused.push({ index, move: shown(move), why: `more than ${MAX_REVIEW_MOVES} moves` });
    const checked = checkMove(move, { waves, waveOf, byId, applied, maxWaveSize });
    if ('why' in checked) return refused.push({ index, move: shown(move), why: checked.why });
    const list = waves[checked.from - 1]!;
    list.splice(list.indexOf(byId.get(checked.feature)!), 1);
    if (checked.to > waves.length) waves.push([]);
    waves[checked.to - 1]!.push(byId.get(checked.feature)!);
    waveOf.set(checked.feature, checked.to);
    applied.push(checked);
  });
  return { assignment: rebuild(draft, waves, waveOf, applied), applied, refused };
}

interface State {
  waves: PendingFeature[][];
  waveOf: Map<string, number>;
  byId: Map<string, PendingFeature>;
  applied: AppliedMove[];
  maxWaveSize: number | undefined;
}

function checkMove(move: unknown, state: State): AppliedMove | { why: string } {
  if (typeof move !== 'object' || move === null || Array.isArray(move)) return { why: 'a move is an object `{ "feature", "toWave", "reason" }`' };
  const { feature, toWave, reason } = move as Record<string, unknown>;
  if (typeof feature !== 'string' || !state.byId.has(feature)) return { why: typeof feature === 'string' ? `no feature ${inlineText(feature)} in the draft` : '`feature` is not a feature id' };
  if (typeof toWave !== 'number' || !Number.isInteger(toWave) || toWave < 1 || toWave > state.waves.length + 1) {
    return { why: `\`toWave\` is not a wave from 1 to ${state.waves.length + 1}` };
  }
  if (typeof reason !== 'string' || reason.trim() === '') return { why: 'the move gives no reason' };
  if (state.applied.some((m) => m.feature === feature)) return { why: `${feature} was already moved` };
  const from = state.waveOf.get(feature)!;
  if (toWave === from) return { why: `${feature} is already in wave ${toWave}` };
  const spec = state.byId.get(feature)!;
  const late = spec.requires.find((id) => (state.waveOf.get(id) ?? 0) >= toWave);
  if (late) return { why: `${feature} requires ${late}, in wave ${state.waveOf.get(late)}` };
  const early = [...state.byId.values()].find((f) => f.requires.includes(feature) && state.waveOf.get(f.id)! <= toWave);
  if (early) return { why: `${early.id} requires ${feature} and is in wave ${state.waveOf.get(early.id)}` };
  const target = state.waves[toWave - 1] ?? [];
  for (const other of target) {
    const shared = spec.files.find((f) => other.files.some((o) => o.path === f.path));
    if (shared) return { why: `${other.id} in wave ${toWave} also declares ${shared.path}` };
  }
  if (state.maxWaveSize !== undefined && target.length >= state.maxWaveSize) return { why: `wave ${toWave} already has ${target.length} features (maxWaveSize ${state.maxWaveSize})` };
  if (state.waves[from - 1]!.length === 1) return { why: `wave ${from} would be left empty` };
  return { feature, from, to: toWave, reason: oneLine(reason) };
}

/** The plan after the moves: each wave in priority order, reasons and risks worked out again. */
function rebuild(draft: WaveAssignment, waves: PendingFeature[][], waveOf: ReadonlyMap<string, number>, applied: AppliedMove[]): WaveAssignment {
  const draftPlaced = new Map(draft.waves.flatMap((w) => w.features.map((p) => [p.feature.id, p])));
  const planned: PlannedWave[] = waves.map((features, i) => ({
    index: i + 1,
    features: [...features].sort(byPriority).map((feature) => {
      const move = applied.find((m) => m.feature === feature.id);
      // A delay of the draft still holds only while the feature it names shares that wave.
      const delays = move ? [] : draftPlaced.get(feature.id)!.delays.filter((d) => stillHolds(d, waves, waveOf));
      return { ...placed(feature, waveOf, delays), ...(move ? { moved: { from: move.from, reason: move.reason } } : {}) };
    }),
  }));
  return { waves: planned, risks: planned.flatMap(directoryRisks) };
}

function stillHolds(delay: Delay, waves: PendingFeature[][], waveOf: ReadonlyMap<string, number>): boolean {
  return delay.kind === 'file' ? waveOf.get(delay.with) === delay.wave : (waves[delay.wave - 1]?.length ?? 0) >= delay.limit;
}

function oneLine(text: string): string {
  const line = inlineText(text.trim().replace(/\s+/g, ' '));
  return line.length > MAX_REASON_CHARS ? `${line.slice(0, MAX_REASON_CHARS - 1)}…` : line;
}

function shown(move: unknown): string {
  const text = JSON.stringify(move) ?? String(move);
  return oneLine(text);
}

/**
 * Every rule a plan of waves keeps, checked on the whole plan: a last guard after the moves, so a
 * mistake in applying them can never write a plan that breaks one.
 */
export function planRuleBreaks(assignment: WaveAssignment, maxWaveSize?: number): string[] {
  const breaks: string[] = [];
  const waveOf = new Map(assignment.waves.flatMap((w) => w.features.map((p) => [p.feature.id, w.index] as const)));
  for (const wave of assignment.waves) {
    if (wave.features.length === 0) breaks.push(`wave ${wave.index} is empty`);
    if (maxWaveSize !== undefined && wave.features.length > maxWaveSize) breaks.push(`wave ${wave.index} has more than ${maxWaveSize} features`);
    const owners = new Map<string, string>();
    for (const { feature } of wave.features) {
      for (const id of feature.requires) {
        if ((waveOf.get(id) ?? Infinity) >= wave.index) breaks.push(`${feature.id} is not after ${id}`);
      }
      for (const file of feature.files) {
        const owner = owners.get(file.path);
        if (owner !== undefined) breaks.push(`${owner} and ${feature.id} both declare ${file.path} in wave ${wave.index}`);
        owners.set(file.path, feature.id);
      }
    }
  }
  return breaks;
}
