/**
 * Splits a Markdown file into its front matter and its `#`/`##` sections with a line scan that
 * knows fenced code blocks. The Markdown parser is about 1 MB/s, so a 500-task plan cannot afford
 * to parse whole PROMPT.md files: only the few small sections ccwave reads are parsed.
 */

export interface Section {
  /** Heading level: 1 or 2. */
  depth: number;
  /** The heading text, trimmed, without closing `#`s. */
  heading: string;
  /** 1-based line of the heading. */
  line: number;
  /** The section's text after the heading line, up to the next `#`/`##` heading. */
  body: string;
  /** Offset of `body` in the file. */
  offset: number;
}

export interface SplitMarkdown {
  frontMatter?: { text: string; firstLine: number };
  /** Offset where the content after the front matter starts. */
  contentOffset: number;
  sections: Section[];
}

/** The opening or closing line of a fenced code block; its marker is group 1. */
export const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADING = /^ {0,3}(#{1,2})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const FRONT_MATTER_OPEN = /^---[ \t]*$/;
const FRONT_MATTER_CLOSE = /^(?:---|\.\.\.)[ \t]*$/;

export function splitMarkdown(text: string): SplitMarkdown {
  const lines = text.split('\n');
  const offsets: number[] = [];
  let at = 0;
  for (const line of lines) {
    offsets.push(at);
    at += line.length + 1;
  }
  const result: SplitMarkdown = { contentOffset: 0, sections: [] };
  let start = 0;
  if (FRONT_MATTER_OPEN.test(stripCr(lines[0] ?? ''))) {
    const close = lines.findIndex((line, i) => i > 0 && FRONT_MATTER_CLOSE.test(stripCr(line)));
    if (close > 0) {
      result.frontMatter = { text: lines.slice(1, close).join('\n'), firstLine: 2 };
      start = close + 1;
      result.contentOffset = offsets[start] ?? text.length;
    }
  }
  let fence: string | undefined;
  let current: { depth: number; heading: string; index: number } | undefined;
  const close = (end: number): void => {
    if (!current) return;
    const bodyStart = offsets[current.index + 1] ?? text.length;
    const bodyEnd = end < lines.length ? offsets[end]! : text.length;
    result.sections.push({ depth: current.depth, heading: current.heading, line: current.index + 1, body: text.slice(bodyStart, Math.max(bodyStart, bodyEnd)), offset: bodyStart });
  };
  for (let i = start; i < lines.length; i++) {
    const line = stripCr(lines[i]!);
    const fenceMatch = FENCE.exec(line);
    if (fenceMatch) {
      const marker = fenceMatch[1]!;
      if (fence === undefined) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined;
      continue;
    }
    if (fence !== undefined) continue;
    const heading = HEADING.exec(line);
    if (heading) {
      close(i);
      current = { depth: heading[1]!.length, heading: (heading[2] ?? '').trim(), index: i };
    }
  }
  close(lines.length);
  return result;
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
