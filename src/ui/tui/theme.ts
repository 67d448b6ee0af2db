import { createContext, useContext } from 'react';
import type { Tone } from '../format/task-status.js';

/** Ink text props for a tone; empty when colour is off, so nothing but the text and icons remains. */
export interface ToneStyle {
  color?: string;
  dimColor?: boolean;
}

export interface Theme {
  tone(tone: Tone): ToneStyle;
}

const TONE_COLORS: Readonly<Record<Tone, ToneStyle>> = {
  muted: { dimColor: true },
  active: { color: 'cyan' },
  attention: { color: 'yellow' },
  good: { color: 'green' },
  bad: { color: 'red' },
};

export function themeFor(color: boolean): Theme {
  return { tone: (tone) => (color ? TONE_COLORS[tone] : {}) };
}

/**
 * https://no-color.org: any non-empty NO_COLOR turns colour off. Chalk, which Ink colours with,
 * only looks at FORCE_COLOR and the terminal, so the UI has to check this itself.
 */
export function colorEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return !env.NO_COLOR;
}

export const ThemeContext = createContext<Theme>(themeFor(true));

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
