import { useEffect, useState } from 'react';
import type { ScreenSource } from '../store.js';

/**
 * The live view polls the task's headless terminal rather than being pushed every PTY chunk:
 * 4 reads a second is smooth enough to follow an agent and stays under the frame cap.
 */
export const LIVE_VIEW_REFRESH_MS = 250;

export function useScreenLines(screens: ScreenSource, taskId: string | undefined, intervalMs = LIVE_VIEW_REFRESH_MS): string[] | undefined {
  const [lines, setLines] = useState<string[] | undefined>(undefined);
  useEffect(() => {
    if (taskId === undefined) {
      setLines(undefined);
      return;
    }
    const read = () => {
      const next = screens.screenLines(taskId);
      // Keep the old array when nothing changed, so an idle terminal causes no redraw.
      setLines((prev) => (sameLines(prev, next) ? prev : next));
    };
    read();
    const timer = setInterval(read, intervalMs);
    return () => clearInterval(timer);
  }, [screens, taskId, intervalMs]);
  return lines;
}

function sameLines(a: string[] | undefined, b: string[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every((line, i) => line === b[i]);
}
