import { describe, expect, it } from 'vitest';
import { layoutColumns, visibleWindow } from '../../src/ui/tui/layout.js';
import { TASK_ICONS } from '../../src/ui/format/task-status.js';
import { colorEnabled, themeFor } from '../../src/ui/tui/theme.js';

describe('layoutColumns', () => {
  const total = (c: ReturnType<typeof layoutColumns>) =>
    c.marker + c.icon + c.id + 1 + (c.title > 0 ? c.title + 1 : 0) + c.state + 1 + c.time + [c.commits, c.tokens, c.cost].reduce((sum, n) => sum + (n > 0 ? n + 1 : 0), 0);

  it.each([40, 60, 80, 100, 120, 200])('fits in %i columns, with and without usage columns', (width) => {
    expect(total(layoutColumns(width, 26))).toBeLessThanOrEqual(width);
    expect(total(layoutColumns(width, 26, true))).toBeLessThanOrEqual(width);
  });

  it('shows usage columns only when some agent reported usage, dropping the dollars before the tokens', () => {
    expect(layoutColumns(120, 26)).toMatchObject({ tokens: 0, cost: 0 });
    expect(layoutColumns(120, 26, true)).toMatchObject({ tokens: 6, cost: 8 });
    expect(layoutColumns(80, 26, true)).toMatchObject({ tokens: 6, cost: 0 });
    expect(layoutColumns(70, 26, true)).toMatchObject({ tokens: 0, cost: 0 });
  });

  it('elides the commit count, then the title, as the terminal narrows', () => {
    expect(layoutColumns(80, 26)).toMatchObject({ id: 22, title: 17, state: 20, commits: 7 });
    expect(layoutColumns(66, 26)).toMatchObject({ title: 11, commits: 0 });
    expect(layoutColumns(64, 26)).toMatchObject({ title: 0, state: 30, commits: 0 });
    expect(layoutColumns(40, 26)).toMatchObject({ id: 12, title: 0, state: 16 });
  });
});

describe('visibleWindow', () => {
  it('shows everything that fits', () => {
    expect(visibleWindow([1, 2, 1], 0, 4)).toEqual({ start: 0, end: 3 });
  });

  it('keeps the selected row in view and room for the "more" markers', () => {
    const heights = Array.from({ length: 20 }, () => 1);
    expect(visibleWindow(heights, 0, 7)).toEqual({ start: 0, end: 5 });
    expect(visibleWindow(heights, 19, 7)).toEqual({ start: 15, end: 20 });
    expect(visibleWindow(heights, 10, 7)).toEqual({ start: 8, end: 13 });
  });
});

describe('no colour', () => {
  it('gives every kind of task its own icon, so state reads without colour', () => {
    const icons = Object.values(TASK_ICONS);
    expect(new Set(icons).size).toBe(icons.length);
  });

  it('honours NO_COLOR', () => {
    expect(colorEnabled({ NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ NO_COLOR: '' })).toBe(true);
    expect(colorEnabled({})).toBe(true);
    expect(themeFor(false).tone('bad')).toEqual({});
    expect(themeFor(true).tone('bad')).toEqual({ color: 'red' });
  });
});
