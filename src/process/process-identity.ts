import { readFileSync } from 'node:fs';
import os from 'node:os';

/** Who holds a lock, precisely enough to tell a live holder from a dead or recycled pid. */
export interface ProcessIdentity {
  pid: number;
  hostname: string;
  /** Changes on every boot (Linux): a lock from before a reboot is stale whatever its pid. */
  bootId?: string;
  /** Start time of the pid in clock ticks since boot (Linux): tells a recycled pid from the holder. */
  startTicks?: number;
}

export function readBootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** State (field 3) and start time (field 22) from /proc/<pid>/stat, where there is a /proc. */
function readProcStat(pid: number): { state: string; startTicks: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const startTicks = Number(fields[19]);
    return Number.isFinite(startTicks) ? { state: fields[0] ?? '', startTicks } : undefined;
  } catch {
    return undefined;
  }
}

export function readStartTicks(pid: number): number | undefined {
  return readProcStat(pid)?.startTicks;
}

export function currentProcessIdentity(): ProcessIdentity {
  return { pid: process.pid, hostname: os.hostname(), bootId: readBootId(), startTicks: readStartTicks(process.pid) };
}

export type Liveness = { alive: true } | { alive: false; why: string } | { alive: 'unknown'; why: string };

/** Whether the process that wrote `holder` is still running, judged from this machine. */
export function judgeLiveness(holder: ProcessIdentity, here: ProcessIdentity = currentProcessIdentity()): Liveness {
  if (holder.hostname !== here.hostname) {
    return { alive: 'unknown', why: `it was taken on another machine (${holder.hostname})` };
  }
  if (holder.bootId && here.bootId && holder.bootId !== here.bootId) {
    return { alive: false, why: 'the machine has restarted since' };
  }
  const stat = readProcStat(holder.pid);
  // A zombie has exited; only its parent has not collected it yet.
  if (!pidExists(holder.pid) || stat?.state === 'Z') return { alive: false, why: `pid ${holder.pid} is no longer running` };
  if (holder.startTicks !== undefined && stat && stat.startTicks !== holder.startTicks) {
    return { alive: false, why: `pid ${holder.pid} now belongs to another process` };
  }
  return { alive: true };
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
