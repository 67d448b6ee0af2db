export const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;

/** One spinner step; also the clock tick while anything spins: the store's frame rate (FRAME_INTERVAL_MS). */
export const SPINNER_FRAME_MS = 200;

/** With nothing spinning, only elapsed times move, and they show whole seconds. */
export const CLOCK_TICK_MS = 1000;

/** Derived from the clock rather than a counter, so a given time always draws the same frame. */
export function spinnerFrame(nowMs: number): string {
  return SPINNER_FRAMES[Math.floor(nowMs / SPINNER_FRAME_MS) % SPINNER_FRAMES.length] ?? SPINNER_FRAMES[0];
}
