import type { Delay, DirectoryRisk, PlacedFeature } from './assign-waves.js';

/** How many characters of a merge commit are shown, as `git log --oneline` does. */
export const SHORT_SHA_LENGTH = 7;

export function priorityName(level: number): string {
  return `P${level}`;
}

/** Why a feature is in its wave and not an earlier one, in one line. */
export function placementReason(placed: PlacedFeature): string {
  const { feature, after } = placed;
  const parts: string[] = [];
  if (after) parts.push(`after ${after.id} (wave ${after.wave})`);
  else if (feature.requiresMerged.length > 0) parts.push(`needs only merged features (${feature.requiresMerged.join(', ')})`);
  else parts.push('needs nothing still to build');
  for (const delay of placed.delays) parts.push(delayReason(delay));
  if (placed.moved) parts.push(`moved from wave ${placed.moved.from} by the review: ${placed.moved.reason}`);
  return parts.join('; ');
}

function delayReason(delay: Delay): string {
  return delay.kind === 'file' ? `not wave ${delay.wave}: shares ${delay.file} with ${delay.with}` : `not wave ${delay.wave}: it already has ${delay.limit} features (maxWaveSize)`;
}

export function riskText(risk: DirectoryRisk): string {
  return `risk: ${risk.features[0]} and ${risk.features[1]} both change files in ${risk.directory}`;
}

export function mergedText(done: { mergeSha: string; runId: string }): string {
  return `already merged in ${done.mergeSha.slice(0, SHORT_SHA_LENGTH)} (run ${done.runId})`;
}
