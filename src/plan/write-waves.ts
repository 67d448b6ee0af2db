import type { WaveAssignment } from './assign-waves.js';
import type { DoneFeature } from './feature-graph.js';
import { mergedText, placementReason, riskText } from './plan-reasons.js';
import { splitMarkdown } from './sections.js';
import { MAX_PLAN_BYTES } from './plan-shape.js';

/** The sections `ccwave plan` writes; everything else in an existing WAVES.md is kept as written. */
const OWNED_HEADING = /^(?:wave\b|already merged$)/i;
const MERGED_HEADING = '## Already merged';
const NEW_TITLE = '# Waves';

export interface WriteWavesInput {
  /** The current WAVES.md, if there is one: its front matter and prose are kept. */
  existing?: string;
  /** Written into the front matter of a new file when the features are not in the default folder. */
  featuresSetting?: string;
  assignment: WaveAssignment;
  done: readonly DoneFeature[];
}

/**
 * The WAVES.md text: the existing file's front matter, title and prose, then one `## Wave N`
 * section per wave with a comment saying why its features are there, then the features left
 * out as already merged. A pure function of its inputs, so a re-plan gives the same bytes.
 */
export function writeWaves(input: WriteWavesInput): string {
  const full = assemble(input, true);
  // The reasons are the bulk of a large plan; without them it stays under the loader's limit.
  return Buffer.byteLength(full) <= MAX_PLAN_BYTES ? full : assemble(input, false);
}

function assemble(input: WriteWavesInput, reasons: boolean): string {
  const { head, tail } = input.existing === undefined ? newFileParts(input.featuresSetting) : keptParts(input.existing);
  const waves = input.assignment.waves.map((wave) => waveBlock(wave.index, input.assignment, reasons));
  const blocks = [head, ...waves, ...(input.done.length > 0 ? [mergedBlock(input.done)] : []), ...(tail ? [tail] : [])];
  return `${blocks.join('\n\n')}\n`;
}

function newFileParts(featuresSetting: string | undefined): { head: string; tail: string } {
  const frontMatter = featuresSetting === undefined ? '' : `---\nfeatures: ${JSON.stringify(featuresSetting)}\n---\n\n`;
  return { head: `${frontMatter}${NEW_TITLE}\n\nWritten by \`ccwave plan\`: the features in dependency order. Prose outside the waves is kept when it plans again.`, tail: '' };
}

/** The file before its first owned section, and every section after that is not owned. */
function keptParts(existing: string): { head: string; tail: string } {
  const text = existing.replace(/\r\n/g, '\n');
  const lines = text.split('\n');
  const sections = splitMarkdown(text).sections;
  const owned = (i: number): boolean => sections[i]!.depth === 2 && OWNED_HEADING.test(sections[i]!.heading);
  const firstOwned = sections.findIndex((_, i) => owned(i));
  if (firstOwned === -1) return { head: text.trimEnd(), tail: '' };
  const head = lines
    .slice(0, sections[firstOwned]!.line - 1)
    .join('\n')
    .trimEnd();
  const kept: string[] = [];
  for (let i = firstOwned + 1; i < sections.length; i++) {
    if (owned(i)) continue;
    const end = i + 1 < sections.length ? sections[i + 1]!.line - 1 : lines.length;
    kept.push(
      lines
        .slice(sections[i]!.line - 1, end)
        .join('\n')
        .trimEnd(),
    );
  }
  return { head, tail: kept.join('\n\n') };
}

function waveBlock(index: number, assignment: WaveAssignment, reasons: boolean): string {
  const wave = assignment.waves[index - 1]!;
  const why = reasons
    ? [...wave.features.map((p) => `${p.feature.id}: ${placementReason(p)}`), ...assignment.risks.filter((r) => r.wave === index).map(riskText)]
    : [`${wave.features.length} features, each after all it requires; \`ccwave plan --explain\` gives the reasons (left out here to keep the plan small)`];
  const items = wave.features.map(({ feature }) => `- ${feature.id}${titleSuffix(feature.id, feature.title)}`);
  return [`## Wave ${index}`, '', `<!--\n${why.map(safeInComment).join('\n')}\n-->`, '', ...items].join('\n');
}

function mergedBlock(done: readonly DoneFeature[]): string {
  const lines = [...done].sort((a, b) => (a.id < b.id ? -1 : 1)).map((d) => `${d.id}${titleSuffix(d.id, d.title)}: ${mergedText(d)}`);
  return [MERGED_HEADING, '', 'Not planned again:', '', ...lines.map((l) => `* ${l}`)].join('\n');
}

/** ` — Title` when the title says more than the id; one line, whatever the PROMPT.md held. */
function titleSuffix(id: string, title: string): string {
  // Escape sequences and line breaks from a PROMPT.md become spaces: a title is one plain line.
  const clean = title
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return clean && clean !== id ? ` — ${clean}` : '';
}

/** A comment ends at the first `-->`: a path holding one must not end it early. */
function safeInComment(line: string): string {
  return line.replace(/--+>/g, (m) => m.split('').join(' ')).replace(/\s+/g, ' ');
}
