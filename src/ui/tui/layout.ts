/** Column widths of the task table for a terminal `width` columns wide. */
export interface Columns {
  marker: number;
  icon: number;
  id: number;
  /** 0: elided, the terminal is too narrow for titles. */
  title: number;
  state: number;
  time: number;
  /** 0: elided. */
  commits: number;
  /** Token count; 0: elided (no agent reported usage, or too narrow). */
  tokens: number;
  /** The dollar estimate; 0: elided. */
  cost: number;
}

const MARKER = 2;
const ICON = 2;
const TIME = 6;
const COMMITS = 7;
/** "1.25M" under "TOKENS". */
const TOKENS = 6;
/** "~$123.45". */
const COST = 8;
/** Below this width the dollar estimate goes: tokens say more to a subscription, and fit. */
const COST_MIN_WIDTH = 90;
/** Below this width the token count goes too. */
const TOKENS_MIN_WIDTH = 76;
/** Narrower than this, a title says nothing useful and the space goes to the state instead. */
const MIN_TITLE = 10;
/** Below this width the commit count is dropped first: the state and time matter more. */
const COMMITS_MIN_WIDTH = 70;
/** The narrowest an id or state column gets before the row simply overflows. */
const MIN_SHRUNK = 12;

/** `usage`: some agent reported its usage; a run of plain commands gets no empty columns. */
export function layoutColumns(width: number, longestId: number, usage = false): Columns {
  const commits = width >= COMMITS_MIN_WIDTH ? COMMITS : 0;
  const tokens = usage && width >= TOKENS_MIN_WIDTH ? TOKENS : 0;
  const cost = usage && width >= COST_MIN_WIDTH ? COST : 0;
  // One space after each of id, title, state and time (and before each number column when shown).
  const chrome = MARKER + ICON + 1 + 1 + TIME + [commits, tokens, cost].reduce((sum, n) => sum + (n > 0 ? 1 + n : 0), 0);
  let state = width >= 120 ? 32 : width >= 100 ? 26 : 20;
  let id = Math.max(4, Math.min(longestId, width >= 100 ? 32 : 22));
  // Very narrow terminals: the id gives way first, then the state, down to a readable minimum.
  const over = chrome + id + state - width;
  if (over > 0) id = Math.max(MIN_SHRUNK, id - over);
  state = Math.max(MIN_SHRUNK, Math.min(state, width - chrome - id));
  const rest = width - chrome - id - state - 1;
  if (rest >= MIN_TITLE) return { marker: MARKER, icon: ICON, id, title: rest, state, time: TIME, commits, tokens, cost };
  return { marker: MARKER, icon: ICON, id, title: 0, state: state + Math.max(0, rest + 1), time: TIME, commits, tokens, cost };
}

/**
 * The rows [start, end) that fit in `budget` lines and include `selected`; when some are hidden,
 * two lines are kept for the "n more" markers above and below.
 */
export function visibleWindow(heights: readonly number[], selected: number, budget: number): { start: number; end: number } {
  const total = heights.reduce((sum, h) => sum + h, 0);
  if (total <= budget || heights.length === 0) return { start: 0, end: heights.length };
  const room = Math.max(1, budget - 2);
  const at = Math.min(Math.max(0, selected), heights.length - 1);
  let start = at;
  let end = at + 1;
  let used = heights[at] ?? 1;
  for (let grew = true; grew;) {
    grew = false;
    const below = heights[end];
    if (below !== undefined && used + below <= room) {
      used += below;
      end += 1;
      grew = true;
    }
    const above = heights[start - 1];
    if (above !== undefined && used + above <= room) {
      used += above;
      start -= 1;
      grew = true;
    }
  }
  return { start, end };
}
