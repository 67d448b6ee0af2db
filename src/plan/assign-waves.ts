import type { PendingFeature } from './feature-graph.js';

/** Why a feature is not in an earlier wave. */
export type Delay = { wave: number; kind: 'file'; file: string; with: string } | { wave: number; kind: 'full'; limit: number };

export interface PlacedFeature {
  feature: PendingFeature;
  /** The wave its requirements allow: one after the last of them. */
  earliest: number;
  /** The required feature in the latest wave, if any. */
  after?: { id: string; wave: number };
  /** Each earlier wave it could have joined, and why it did not. */
  delays: Delay[];
  /** The review moved it here from the draft's wave, for this reason. */
  moved?: { from: number; reason: string };
}

export interface PlannedWave {
  /** 1-based. */
  index: number;
  features: PlacedFeature[];
}

/** Two features of one wave that declare files in the same folder: they may still conflict. */
export interface DirectoryRisk {
  wave: number;
  features: [string, string];
  directory: string;
}

export interface WaveAssignment {
  waves: PlannedWave[];
  risks: DirectoryRisk[];
}

/** P0 before P3, then by id: the same inputs always give the same plan. */
export function byPriority(a: PendingFeature, b: PendingFeature): number {
  return a.priority - b.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Places each feature in the earliest wave after all it requires. Wave by wave, the features
 * ready for it are taken most urgent first; one that declares a file already declared by a
 * feature of that wave, or that finds the wave full (`maxWaveSize`), waits for the next wave.
 * The graph must be acyclic (cycles are reported before).
 */
export function assignWaves(features: readonly PendingFeature[], maxWaveSize?: number): WaveAssignment {
  const waveOf = new Map<string, number>();
  const delays = new Map<string, Delay[]>(features.map((f) => [f.id, []]));
  const remaining = [...features].sort(byPriority);
  const waves: PlannedWave[] = [];
  while (remaining.length > 0) {
    const index = waves.length + 1;
    const wave: PlannedWave = { index, features: [] };
    const owners = new Map<string, string>();
    for (const feature of [...remaining]) {
      if (!feature.requires.every((id) => (waveOf.get(id) ?? Infinity) < index)) continue;
      const clash = feature.files.find((f) => owners.has(f.path));
      if (clash) {
        delays.get(feature.id)!.push({ wave: index, kind: 'file', file: clash.path, with: owners.get(clash.path)! });
        continue;
      }
      if (maxWaveSize !== undefined && wave.features.length >= maxWaveSize) {
        delays.get(feature.id)!.push({ wave: index, kind: 'full', limit: maxWaveSize });
        continue;
      }
      for (const file of feature.files) owners.set(file.path, feature.id);
      waveOf.set(feature.id, index);
      wave.features.push(placed(feature, waveOf, delays.get(feature.id)!));
      remaining.splice(remaining.indexOf(feature), 1);
    }
    // Only a cycle leaves a wave empty; the graph was checked, so this guards an endless loop.
    if (wave.features.length === 0) throw new Error(`no feature can be placed in wave ${index}: ${remaining.map((f) => f.id).join(', ')}`);
    waves.push(wave);
  }
  return { waves, risks: waves.flatMap(directoryRisks) };
}

export function placed(feature: PendingFeature, waveOf: ReadonlyMap<string, number>, delays: Delay[]): PlacedFeature {
  let after: { id: string; wave: number } | undefined;
  for (const id of [...feature.requires].sort()) {
    const wave = waveOf.get(id)!;
    if (!after || wave > after.wave) after = { id, wave };
  }
  return { feature, earliest: after ? after.wave + 1 : 1, ...(after ? { after } : {}), delays };
}

/** Pairs of a wave's features that declare files in one folder (or one declares the folder). */
export function directoryRisks(wave: PlannedWave): DirectoryRisk[] {
  const risks: DirectoryRisk[] = [];
  const list = wave.features.map((p) => p.feature);
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      const shared = sharedDirectory(
        list[i]!.files.map((f) => f.path),
        list[j]!.files.map((f) => f.path),
      );
      if (shared !== undefined) risks.push({ wave: wave.index, features: [list[i]!.id, list[j]!.id], directory: shared });
    }
  }
  return risks;
}

function sharedDirectory(a: string[], b: string[]): string | undefined {
  const found = new Set<string>();
  for (const x of a) {
    for (const y of b) {
      const dx = folderOf(x);
      const dy = folderOf(y);
      if (dx !== '' && dx === dy) found.add(dx);
      else if (x.endsWith('/') && x !== y && y.startsWith(x)) found.add(x);
      else if (y.endsWith('/') && x !== y && x.startsWith(y)) found.add(y);
    }
  }
  return [...found].sort()[0];
}

/**
 * Folders this shallow (`src/`, `test/`) hold most of a project's files: two features sharing one
 * says nothing, so only deeper folders (`src/cli/`) count as a risk.
 */
const MIN_RISK_DEPTH = 2;

/** `src/cli/a.ts` → `src/cli/`; '' for a file in a folder too shallow to count. */
function folderOf(file: string): string {
  const folder = file.endsWith('/') ? file : file.slice(0, file.lastIndexOf('/') + 1);
  return folder.split('/').length - 1 >= MIN_RISK_DEPTH ? folder : '';
}
