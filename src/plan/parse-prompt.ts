import type { Position } from './diagnostics.js';
import { FENCE, splitMarkdown } from './sections.js';

export interface Criterion {
  text: string;
  done: boolean;
}

export interface DependencyRef {
  id: string;
  at: Position;
}

/** What ccwave reads out of a featmgmt PROMPT.md. */
export interface RawPrompt {
  title?: string;
  frontMatter?: { text: string; firstLine: number };
  criteria: Criterion[];
  hasCriteriaSection: boolean;
  requires: DependencyRef[];
  /** Ids after `Blocked by:`: features that must be built first, like `Requires:`. */
  blockedBy: DependencyRef[];
  /** The Markdown after the front matter: what the agent is given. */
  body: string;
}

const FEATURE_TITLE = /^feature\s*:\s*/i;
const CHECKBOX = /^\[([ xX])\]\s*/;
/** A list item that is not nested: at most one space before its marker. */
const TOP_LEVEL_ITEM = /^ ?(?:[-*+]|\d{1,9}[.)])[ \t]+(.*?)\r?$/;
const REQUIRES = /requires\s*:/gi;
const BLOCKED_BY = /blocked[ \t]+by\s*:/gi;
/** Words that mean "no dependencies" in hand-written specs. */
const NO_DEPENDENCY = new Set(['none', 'n/a', 'na', '-', '—', 'nothing', 'no']);

export function parsePrompt(text: string): RawPrompt {
  const split = splitMarkdown(text);
  const prompt: RawPrompt = { criteria: [], hasCriteriaSection: false, requires: [], blockedBy: [], body: text.slice(split.contentOffset).trimStart() };
  if (split.frontMatter) prompt.frontMatter = split.frontMatter;
  const title = split.sections.find((s) => s.depth === 1);
  if (title) prompt.title = title.heading.replace(FEATURE_TITLE, '').trim();
  for (const section of split.sections) {
    const name = section.heading.toLowerCase();
    if (name === 'acceptance criteria') {
      prompt.hasCriteriaSection = true;
      // concat, not push(...): a spread of a few hundred thousand items overflows the stack.
      prompt.criteria = prompt.criteria.concat(criteriaIn(section.body));
    } else if (name === 'dependencies') {
      prompt.requires = prompt.requires.concat(idsAfter(REQUIRES, text, section.offset, section.body));
      prompt.blockedBy = prompt.blockedBy.concat(idsAfter(BLOCKED_BY, text, section.offset, section.body));
    }
  }
  return prompt;
}

/** The first line of each top-level list item, as written (inline Markdown kept for the retrospective). */
function criteriaIn(markdown: string): Criterion[] {
  const criteria: Criterion[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const marker = FENCE.exec(line)?.[1];
    if (marker) {
      fence = fence === undefined ? marker : marker[0] === fence[0] && marker.length >= fence.length ? undefined : fence;
      continue;
    }
    const item = fence === undefined ? TOP_LEVEL_ITEM.exec(line) : null;
    if (!item) continue;
    const raw = item[1]!.trim();
    const box = CHECKBOX.exec(raw);
    const text = raw.replace(CHECKBOX, '').trim();
    if (text) criteria.push({ text, done: box?.[1] !== undefined && box[1] !== ' ' });
  }
  return criteria;
}

/** `Requires: feature-001, feature-002` (or `Blocked by:`) anywhere in the Dependencies section, with positions. */
function idsAfter(label: RegExp, source: string, offset: number, chunk: string): DependencyRef[] {
  const refs: DependencyRef[] = [];
  const positionAt = lineIndex(source);
  for (const match of chunk.matchAll(label)) {
    const from = match.index + match[0].length;
    const lineEnd = chunk.indexOf('\n', from);
    const list = chunk.slice(from, lineEnd === -1 ? undefined : lineEnd);
    for (const token of list.matchAll(/[^\s,;]+/g)) {
      const id = token[0].replace(/^[`*_[(]+|[`*_\]).]+$/g, '');
      if (!id || NO_DEPENDENCY.has(id.toLowerCase())) continue;
      refs.push({ id, at: positionAt(offset + from + token.index) });
    }
  }
  return refs;
}

/**
 * Offset → line and column, from the line starts found once: counting from the top for every
 * entry made a long `Requires:` list quadratic.
 */
function lineIndex(source: string): (offset: number) => Position {
  const starts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - starts[low]! + 1 };
  };
}
