import type { List, ListItem, Nodes, PhrasingContent, Root } from 'mdast';
import { Diagnostics, type Position } from './diagnostics.js';
import { parseMarkdown, frontMatterOf, startOf, textOf } from './markdown.js';

/** A task as written in WAVES.md, before its feature folder is looked up. */
export type TaskRef = { kind: 'id'; id: string; title?: string; at: Position } | { kind: 'link'; href: string; title?: string; at: Position };

export interface RawWave {
  name: string;
  at: Position;
  tasks: TaskRef[];
}

export interface RawPlan {
  name?: string;
  frontMatter?: { text: string; firstLine: number };
  waves: RawWave[];
}

const WAVE_HEADING = /^wave\b/i;
const CHECKBOX = /^\[[ xX]\]\s+/;
/** A title may follow the id after a dash, an en or em dash, or a colon. */
const TITLE_SEPARATOR = /^\s*(?:[-–—:]+\s*)?/;

/**
 * WAVES.md text → waves of task references. Every `## Wave …` heading starts a wave; each
 * top-level list item until the next `#` or `##` heading is one task. Other prose is ignored.
 * A plan written in the plain shape most plans have is read line by line; anything else goes
 * through the Markdown parser, which gives the same result on plain plans.
 */
export function parseWaves(text: string, file: string, diagnostics: Diagnostics): RawPlan {
  return parsePlainWaves(text) ?? parseWavesMarkdown(text, file, diagnostics);
}

/** WAVES.md through the Markdown parser: any Markdown, at about 50 KB/s once it has warmed up. */
export function parseWavesMarkdown(text: string, file: string, diagnostics: Diagnostics): RawPlan {
  const root: Root = parseMarkdown(text);
  const plan: RawPlan = { waves: [] };
  const frontMatter = frontMatterOf(root);
  if (frontMatter) plan.frontMatter = frontMatter;
  let current: RawWave | undefined;
  for (const node of root.children) {
    if (node.type === 'heading') {
      current = onHeading(plan, current, node.depth, textOf(node).trim(), startOf(node));
    } else if (node.type === 'list' && current) {
      current.tasks.push(...taskRefs(node, file, diagnostics));
    }
  }
  return plan;
}

/** A heading: the plan's name, the start of a wave, or the end of one. Returns the current wave. */
function onHeading(plan: RawPlan, current: RawWave | undefined, depth: number, title: string, at: Position): RawWave | undefined {
  if (depth === 1 && plan.name === undefined && !current) plan.name = title;
  if (depth > 2) return current;
  const wave = depth === 2 && WAVE_HEADING.test(title) ? { name: title, at, tasks: [] } : undefined;
  if (wave) plan.waves.push(wave);
  return wave;
}

/** Characters that mean nothing to Markdown inside a line (no emphasis, link, code, escape, entity or HTML). */
const PLAIN = /^[\p{L}\p{N} ,.:;!?'"%/+=@$–—-]*$/u;
const PLAIN_HEADING = /^(#{1,6}) ([\p{L}\p{N}].*)$/u;
const PLAIN_ITEM = /^[-*+] ([\p{L}\p{N}].*)$/u;
/** An item whose text starts like `1. ` holds a nested ordered list. */
const ORDERED_MARKER = /^\d{1,9}[.)](?: |$)/;
const PLAIN_PROSE = /^\p{L}/u;

/**
 * The plain shape, read line by line: front matter between `---` lines, then only blank lines,
 * `#` headings, `- id — title` items and prose lines, none indented, none with Markdown marks.
 * Undefined for anything else (the Markdown parser then decides what it means).
 */
export function parsePlainWaves(text: string): RawPlan | undefined {
  if (text.includes('\r')) return undefined;
  const lines = text.split('\n');
  const plan: RawPlan = { waves: [] };
  let start = 0;
  if (lines[0] === '---') {
    const close = lines.indexOf('---', 1);
    if (close === -1) return undefined;
    plan.frontMatter = { text: lines.slice(1, close).join('\n'), firstLine: 2 };
    start = close + 1;
  }
  let current: RawWave | undefined;
  for (let i = start; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^[ \t]*$/.test(line)) continue;
    if (/\s$/.test(line) || !PLAIN.test(line.replace(/^#+ |^[-*+] /, ''))) return undefined;
    const heading = PLAIN_HEADING.exec(line);
    const item = heading ? null : PLAIN_ITEM.exec(line);
    if (heading) {
      current = onHeading(plan, current, heading[1]!.length, heading[2]!.trim(), { line: i + 1, column: 1 });
    } else if (item) {
      if (ORDERED_MARKER.test(item[1]!)) return undefined;
      const ref = refFromLine(item[1]!, { line: i + 1, column: 3 }, 0);
      if (!ref) return undefined;
      if (current) current.tasks.push(ref);
    } else if (!PLAIN_PROSE.test(line)) {
      return undefined;
    }
  }
  return plan;
}

function taskRefs(list: List, file: string, diagnostics: Diagnostics): TaskRef[] {
  const refs: TaskRef[] = [];
  for (const item of list.children) {
    const ref = taskRef(item);
    if (ref) refs.push(ref);
    else diagnostics.error(file, startOf(item), 'empty list item in a wave', 'each item names one feature, like `- feature-001-login`');
  }
  return refs;
}

function taskRef(item: ListItem): TaskRef | undefined {
  const paragraph = item.children.find((child) => child.type === 'paragraph');
  if (!paragraph) return undefined;
  const inlines = dropCheckbox(paragraph.children);
  const first = inlines[0];
  if (!first) return undefined;
  if (first.type === 'link') {
    const title = textOf(first).trim();
    return { kind: 'link', href: first.url, at: startOf(first), ...(title ? { title } : {}) };
  }
  const line = inlines
    .map((n) => textOf(n as Nodes))
    .join('')
    .split('\n')[0]!;
  const leading = first.type === 'text' ? first.value.length - first.value.trimStart().length : 0;
  return refFromLine(line, startOf(first), leading);
}

/** A task reference from the first line of a list item's text, which starts at `at` (after `leading` blanks). */
function refFromLine(text: string, at: Position, leading: number): TaskRef | undefined {
  const line = text.trim();
  const match = /^[^\s:–—]+/.exec(line);
  if (!match) return undefined;
  const title = line.slice(match[0].length).replace(TITLE_SEPARATOR, '').trim();
  return { kind: 'id', id: match[0].replace(/^`|`$/g, ''), at: { line: at.line, column: at.column + leading }, ...(title ? { title } : {}) };
}

/** `- [ ] feature-001` reads as a to-do list in many editors; the box is not part of the id. */
function dropCheckbox(inlines: PhrasingContent[]): PhrasingContent[] {
  const first = inlines[0];
  if (first?.type !== 'text' || !CHECKBOX.test(first.value)) return inlines;
  const rest = first.value.replace(CHECKBOX, '');
  const shift = first.value.length - rest.length;
  const start = first.position?.start;
  const moved: PhrasingContent = {
    ...first,
    value: rest,
    ...(start && first.position ? { position: { ...first.position, start: { ...start, column: start.column + shift } } } : {}),
  };
  return rest === '' ? inlines.slice(1) : [moved, ...inlines.slice(1)];
}
