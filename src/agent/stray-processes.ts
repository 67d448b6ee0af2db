import { readFileSync } from 'node:fs';
import { isLive, processIds } from '../process/process-group.js';

/** Where Linux lists processes; elsewhere only the agent's process group is stopped. */
const PROC = '/proc';
/** A survivor can fork while it is being killed: sweep again, a bounded number of times. */
const MAX_SWEEPS = 5;

export interface TaskMarker {
  runId: string;
  taskId: string;
  worktree: string;
}

export interface StrayProcess {
  pid: number;
  command: string;
}

/**
 * Processes an agent started that escaped its process group (`setsid`, a daemon's double fork):
 * they still carry the variables ccwave gave the agent (ccwaveEnv). A process that rewrote its
 * own environment cannot be found this way.
 */
export function findStrayProcesses(marker: TaskMarker): StrayProcess[] {
  const wanted = [`CCWAVE_RUN_ID=${marker.runId}`, `CCWAVE_TASK_ID=${marker.taskId}`, `CCWAVE_WORKTREE=${marker.worktree}`];
  const found: StrayProcess[] = [];
  for (const pid of processIds() ?? []) {
    if (pid <= 1 || pid === process.pid) continue;
    let environ: string[];
    try {
      environ = readFileSync(`${PROC}/${pid}/environ`, 'utf8').split('\0');
    } catch {
      continue; // Gone, or another user's process.
    }
    if (!wanted.every((variable) => environ.includes(variable))) continue;
    found.push({ pid, command: commandOf(pid) });
  }
  return found;
}

/** Kills (SIGKILL) every process of the task that is still alive; returns what was killed. */
export function killStrayProcesses(marker: TaskMarker): StrayProcess[] {
  const killed = new Map<number, StrayProcess>();
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep += 1) {
    const strays = findStrayProcesses(marker).filter((p) => isLive(p.pid));
    if (strays.length === 0) break;
    for (const stray of strays) {
      try {
        process.kill(stray.pid, 'SIGKILL');
        if (!killed.has(stray.pid)) killed.set(stray.pid, stray);
      } catch {
        // Already gone.
      }
    }
  }
  return [...killed.values()];
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`${PROC}/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return '?';
  }
}
