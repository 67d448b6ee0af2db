import { afterEach, describe, expect, it } from 'vitest';
import { systemClock, type TimerClock } from '../../src/agent/deadline.js';
import { runFake } from './helpers/fake-agent.js';
import { makeTaskRepo, type TaskRepo } from './helpers/git-repo.js';

let repo: TaskRepo;
afterEach(() => repo?.cleanup());

const LONG_MS = 5 * 60_000;

/** Real time, except that a timer of five minutes or more is due at once and moves "now" past it. */
function fastForwardClock(): TimerClock & { skipped: number[] } {
  let skew = 0;
  const skipped: number[] = [];
  return {
    skipped,
    now: () => Date.now() + skew,
    setTimer: (ms, fn) => {
      if (ms < LONG_MS) return systemClock.setTimer(ms, fn);
      skipped.push(ms);
      return systemClock.setTimer(0, () => {
        skew += ms;
        fn();
      });
    },
  };
}

describe('agent session shell', () => {
  it('runs its timers on the clock it is given: a ten-minute wall clock ends at once on a fast clock', async () => {
    repo = makeTaskRepo();
    const clock = fastForwardClock();
    const { result } = await runFake(
      repo,
      { turns: [{ steps: [{ say: 'thinking' }, { hang: true }] }] },
      {
        clock,
        timeouts: { wallMs: 10 * 60_000, idleMs: 60_000 },
      },
    );
    expect(result).toMatchObject({ status: 'timeout', reason: 'wall-clock timeout after 10m' });
    // The one long timer is the wall clock (armed a moment after the launch, so a little under 10m).
    expect(clock.skipped).toHaveLength(1);
    expect(clock.skipped[0]).toBeGreaterThan(9 * 60_000);
  });
});
