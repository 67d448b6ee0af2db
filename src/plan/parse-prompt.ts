import type { Root, RootContent } from 'mdast';
import type { Position } from './diagnostics.js';
import { parseMarkdown, frontMatterOf, startOf, textOf } from './markdown.js';

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
  /** The Markdown after the front matter: what the agent is given. */
  body: string;
}

const FEATURE_TITLE = /^feature\s*:\s*/i;
const CHECKBOX = /^\[([ xX])\]\s*/;
const REQUIRES = /requires\s*:/gi;
/** Words that mean "no dependencies" in hand-written specs. */
const NO_DEPENDENCY = new Set(['none', 'n/a', 'na', '-', '—', 'nothing', 'no']);

export function parsePrompt(text: string): RawPrompt {
  const root: Root = parseMarkdown(text);
  const frontMatter = frontMatterOf(root);
  const prompt: RawPrompt = { criteria: [], hasCriteriaSection: false, requires: [], body: bodyOf(text, root) };
  if (frontMatter) prompt.frontMatter = frontMatter;
  let section = '';
  for (const node of root.children) {
    if (node.type === 'heading') {
      const heading = textOf(node).trim();
      if (node.depth === 1 && prompt.title === undefined) prompt.title = heading.replace(FEATURE_TITLE, '').trim();
      if (node.depth <= 2) section = heading.toLowerCase();
      if (section === 'acceptance criteria') prompt.hasCriteriaSection = true;
      continue;
    }
    if (section === 'acceptance criteria') prompt.criteria.push(...criteriaIn(node));
    if (section === 'dependencies') prompt.requires.push(...requiresIn(node, text));
  }
  return prompt;
}

function criteriaIn(node: RootContent): Criterion[] {
  if (node.type !== 'list') return [];
  return node.children.flatMap((item) => {
    const raw = textOf(item).trim().split('\n')[0]!.trim();
    const box = CHECKBOX.exec(raw);
    const text = raw.replace(CHECKBOX, '').trim();
    return text ? [{ text, done: box?.[1] !== undefined && box[1] !== ' ' }] : [];
  });
}

/** `Requires: feature-001, feature-002` anywhere in the Dependencies section, with positions. */
function requiresIn(node: RootContent, source: string): DependencyRef[] {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start === undefined || end === undefined) return [];
  const chunk = source.slice(start, end);
  const refs: DependencyRef[] = [];
  for (const match of chunk.matchAll(REQUIRES)) {
    const from = match.index + match[0].length;
    const lineEnd = chunk.indexOf('\n', from);
    const list = chunk.slice(from, lineEnd === -1 ? undefined : lineEnd);
    for (const token of list.matchAll(/[^\s,;]+/g)) {
      const id = token[0].replace(/^[`*_[(]+|[`*_\]).]+$/g, '');
      if (!id || NO_DEPENDENCY.has(id.toLowerCase())) continue;
      refs.push({ id, at: positionAt(source, start + from + token.index) });
    }
  }
  return refs;
}

function positionAt(source: string, offset: number): Position {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

function bodyOf(text: string, root: Root): string {
  const first = root.children[0];
  if (first?.type === 'yaml' && first.position?.end.offset !== undefined) return text.slice(first.position.end.offset).trimStart();
  return text;
}

