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
 */
export function parseWaves(text: string, file: string, diagnostics: Diagnostics): RawPlan {
  const root: Root = parseMarkdown(text);
  const plan: RawPlan = { waves: [] };
  const frontMatter = frontMatterOf(root);
  if (frontMatter) plan.frontMatter = frontMatter;
  let current: RawWave | undefined;
  for (const node of root.children) {
    if (node.type === 'heading') {
      const title = textOf(node).trim();
      if (node.depth === 1 && plan.name === undefined && !current) plan.name = title;
      if (node.depth <= 2) {
        current = node.depth === 2 && WAVE_HEADING.test(title) ? { name: title, at: startOf(node), tasks: [] } : undefined;
        if (current) plan.waves.push(current);
      }
    } else if (node.type === 'list' && current) {
      current.tasks.push(...taskRefs(node, file, diagnostics));
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
    .split('\n')[0]!
    .trim();
  const match = /^[^\s:–—]+/.exec(line);
  if (!match) return undefined;
  const title = line.slice(match[0].length).replace(TITLE_SEPARATOR, '').trim();
  const at = startOf(first);
  const leading = first.type === 'text' ? first.value.length - first.value.trimStart().length : 0;
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
