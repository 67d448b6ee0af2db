import type { LockStatus } from './lock.js';
import type { RunState } from './run-state.js';

/** Whether a run is being worked on now, judged from its journal and the repository lock. */
export type RunActivity =
  | { kind: 'live'; pid: number; hostname: string; command: string; since: string; certain: boolean }
  | { kind: 'finished'; exitCode?: number }
  /** Stopped on purpose (Ctrl-C, a signal) and resumable. */
  | { kind: 'interrupted'; reason?: string }
  /** Not finished and nobody working on it: the runner crashed or the machine went down. Resumable. */
  | { kind: 'abandoned' };

export function runActivity(state: RunState, lock: LockStatus | undefined): RunActivity {
  // The lock wins over the journal: a runner that has written run-finished may still be cleaning up.
  if (lock && lock.info.runId === state.runId && lock.liveness.alive !== false) {
    const { pid, hostname, command, startedAt } = lock.info;
    return { kind: 'live', pid, hostname, command, since: startedAt, certain: lock.liveness.alive === true };
  }
  if (state.status === 'finished') return { kind: 'finished', exitCode: state.exitCode };
  if (state.status === 'interrupted') return { kind: 'interrupted', reason: state.interruptions.at(-1)?.reason };
  return { kind: 'abandoned' };
}
