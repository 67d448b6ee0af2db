import path from 'node:path';
import type { Position } from './diagnostics.js';
import { FENCE } from './sections.js';
import { parsePrompt, type DependencyRef } from './parse-prompt.js';

/** P0 is the most urgent; a feature that gives none is planned as this one. */
export const DEFAULT_PRIORITY = 2;
export const PRIORITY_LEVELS = ['P0', 'P1', 'P2', 'P3'] as const;

export interface DeclaredFile {
  /** Repository-relative, forward slashes, normalised; a trailing `/` marks a folder. */
  path: string;
  at: Position;
}

/** What `ccwave plan` reads out of one feature's PROMPT.md. */
export interface FeatureSpec {
  id: string;
  promptFile: string;
  title: string;
  requires: DependencyRef[];
  blockedBy: DependencyRef[];
  files: DeclaredFile[];
  /** 0 (P0) to 3 (P3). */
  priority: number;
  /** Where the priority is written, or undefined when the default applies. */
  priorityAt?: Position;
}

const FRONT_MATTER_PRIORITY = /^priority[ \t]*:[ \t]*["']?([^"'#\s]*)["']?[ \t]*(?:#.*)?$/i;
/** `Priority: P1`, `**Priority**: P1` or `- Priority: P1`, as featmgmt plans write it. */
const PRIORITY_LINE = /^[ \t]*(?:[-*+][ \t]+)?(?:\*\*|__)?priority(?:\*\*|__)?[ \t]*:[ \t]*(?:\*\*|__)?[ \t]*(P[0-3])\b/i;
const FILES_HEADING = /^ {0,3}###[ \t]+files\b.*$/i;
const ANY_HEADING = /^ {0,3}#{1,6}(?:[ \t]|$)/;
const LIST_ITEM = /^[ \t]{0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+(.*)$/;
const CODE_SPAN = /`([^`\n]+)`/;

export function parseFeatureSpec(id: string, promptFile: string, text: string): FeatureSpec {
  const prompt = parsePrompt(text);
  const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  const spec: FeatureSpec = {
    id,
    promptFile,
    title: prompt.title || id,
    requires: prompt.requires,
    blockedBy: prompt.blockedBy,
    files: declaredFiles(lines, prompt.frontMatter ? prompt.frontMatter.firstLine + prompt.frontMatter.text.split('\n').length : 0),
    priority: DEFAULT_PRIORITY,
  };
  const written = priorityIn(lines, prompt.frontMatter);
  if (written) {
    spec.priority = written.level;
    spec.priorityAt = written.at;
  }
  return spec;
}

/** The front matter's `priority:` first; otherwise the first `Priority:` line outside code blocks. */
function priorityIn(lines: string[], frontMatter: { text: string; firstLine: number } | undefined): { level: number; at: Position } | undefined {
  if (frontMatter) {
    const yaml = frontMatter.text.split('\n');
    for (let i = 0; i < yaml.length; i++) {
      const match = FRONT_MATTER_PRIORITY.exec(yaml[i]!.replace(/\r$/, ''));
      if (!match) continue;
      const at = { line: frontMatter.firstLine + i, column: yaml[i]!.indexOf(match[1]!) + 1 };
      const level = PRIORITY_LEVELS.indexOf(match[1]!.toUpperCase() as (typeof PRIORITY_LEVELS)[number]);
      // The front matter schema reports a bad value; here it only must not be used.
      return level === -1 ? undefined : { level, at };
    }
  }
  const start = frontMatter ? frontMatter.firstLine + frontMatter.text.split('\n').length : 0;
  let fence: string | undefined;
  for (let i = start; i < lines.length; i++) {
    const marker = FENCE.exec(lines[i]!)?.[1];
    if (marker) {
      fence = fence === undefined ? marker : marker[0] === fence[0] && marker.length >= fence.length ? undefined : fence;
      continue;
    }
    if (fence !== undefined) continue;
    const match = PRIORITY_LINE.exec(lines[i]!);
    if (match) return { level: Number(match[1]![1]), at: { line: i + 1, column: lines[i]!.indexOf(match[1]!) + 1 } };
  }
  return undefined;
}

/** The list under `### Files to Create/Modify`: the first code span of each item, or its first word. */
function declaredFiles(lines: string[], start: number): DeclaredFile[] {
  const files: DeclaredFile[] = [];
  const seen = new Set<string>();
  let inFiles = false;
  let fence: string | undefined;
  for (let i = start; i < lines.length; i++) {
    const line = lines[i]!;
    const marker = FENCE.exec(line)?.[1];
    if (marker) {
      fence = fence === undefined ? marker : marker[0] === fence[0] && marker.length >= fence.length ? undefined : fence;
      continue;
    }
    if (fence !== undefined) continue;
    if (ANY_HEADING.test(line)) {
      inFiles = FILES_HEADING.test(line);
      continue;
    }
    if (!inFiles) continue;
    const item = LIST_ITEM.exec(line);
    if (!item) continue;
    const content = item[1]!;
    const span = CODE_SPAN.exec(content);
    const raw = span ? span[1]!.trim() : (content.split(/\s+/)[0] ?? '');
    const column = line.length - content.length + (span ? span.index + 2 : 1);
    const normalized = normalizeDeclared(raw);
    if (normalized === undefined || seen.has(normalized)) continue;
    seen.add(normalized);
    files.push({ path: normalized, at: { line: i + 1, column } });
  }
  return files;
}

/** `./src/a.ts` and `src//a.ts` are `src/a.ts`; a path leading out of the repository is no file of it. */
export function normalizeDeclared(raw: string): string | undefined {
  const cleaned = raw.replace(/\\/g, '/').replace(/^[*_]+|[*_,;:]+$/g, '');
  if (!cleaned || cleaned.startsWith('/') || cleaned.includes('\0')) return undefined;
  const folder = cleaned.endsWith('/');
  const normalized = path.posix.normalize(cleaned);
  if (normalized === '.' || normalized === '..' || normalized.startsWith('../')) return undefined;
  const bare = normalized.replace(/\/+$/, '');
  return folder ? `${bare}/` : bare;
}
