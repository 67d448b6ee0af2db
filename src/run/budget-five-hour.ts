import type { TimerClock } from '../agent/deadline.js';
import type { RunRecorder } from '../journal/recorder.js';
import { limitPauseFor, type LimitPauseDecision } from './budget-check.js';
import type { UsagePause } from './usage-pause.js';

export interface FiveHourDeps {
  recorder: RunRecorder;
  pause: UsagePause;
  /** Percent of the five-hour window; false: never hold launches for it. */
  threshold: number | false;
  clock: TimerClock;
}

/**
 * Holds launches while the account's five-hour window is past the threshold: an `agent-usage` that
 * shows it records `limit-pause` (until the window resets) and holds new agents back; at the reset
 * `limit-resume` is recorded. A resumed run honours a pause still in force. Agents at work go on:
 * only new launches wait. Returns the function that stops watching.
 */
export function watchFiveHourWindow(deps: FiveHourDeps): () => void {
  const { recorder, pause, clock } = deps;
  let cancelTimer: (() => void) | undefined;
  // The pause decided last, before the event recording it is written: two readings in a row make one pause.
  let decidedUntil = 0;

  const resumeAt = (until: number): void => {
    cancelTimer?.();
    pause.hit(new Date(until));
    cancelTimer = clock.setTimer(Math.max(0, until - clock.now()), () => {
      cancelTimer = undefined;
      const current = recorder.state.limitPause;
      if (current && Date.parse(current.until) <= clock.now()) recorder.record({ type: 'limit-resume' });
    });
  };

  const pauseFor = (decision: LimitPauseDecision): void => {
    recorder.record({ type: 'limit-pause', until: decision.until.toISOString(), usedPercentage: decision.usedPercentage, threshold: decision.threshold });
    resumeAt(decision.until.getTime());
  };

  const unsubscribe = recorder.subscribe((event) => {
    if (event.type !== 'agent-usage' || !event.rateLimits) return;
    const decision = limitPauseFor(event.rateLimits, deps.threshold, clock.now());
    if (!decision) return;
    const current = recorder.state.limitPause;
    const pausedUntil = Math.max(decidedUntil, current ? Date.parse(current.until) : 0);
    if (pausedUntil >= decision.until.getTime()) return;
    decidedUntil = decision.until.getTime();
    // Recorded right after this event, so every listener sees the usage before the pause it caused.
    queueMicrotask(() => pauseFor(decision));
  });

  // A resumed run honours a pause still in force, and the window as last read (a run stopped
  // right after a reading past the threshold would otherwise launch into the full window).
  const inForce = recorder.state.limitPause;
  const lastReading = inForce ? undefined : limitPauseFor(recorder.state.rateLimits, deps.threshold, clock.now());
  if (inForce) {
    const until = Date.parse(inForce.until);
    if (Number.isFinite(until) && until > clock.now()) resumeAt(until);
    else recorder.record({ type: 'limit-resume' });
  } else if (lastReading) {
    pauseFor(lastReading);
  }
  return () => {
    unsubscribe();
    cancelTimer?.();
  };
}
