import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkFrontmatter from 'remark-frontmatter';
import type { Root, Nodes, Yaml } from 'mdast';
import type { Position } from './diagnostics.js';

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']);

/** Markdown → syntax tree with positions; YAML front matter becomes a `yaml` node. */
export function parseMarkdown(text: string): Root {
  return processor.parse(text);
}

export function frontMatterOf(root: Root): { text: string; firstLine: number } | undefined {
  const node = root.children[0];
  if (node?.type !== 'yaml') return undefined;
  return { text: (node as Yaml).value, firstLine: (node.position?.start.line ?? 1) + 1 };
}

/** The plain text of a node, as a reader sees it. */
export function textOf(node: Nodes): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  if ('children' in node) return (node.children as Nodes[]).map(textOf).join('');
  return '';
}

export function startOf(node: Nodes | undefined): Position {
  return { line: node?.position?.start.line ?? 1, column: node?.position?.start.column ?? 1 };
}
