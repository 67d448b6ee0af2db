import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { readBootId, readStartTicks, type ProcessIdentity } from './process-identity.js';

/**
 * The process group of a command the user wrote (test, setup, verify): its leader's identity,
 * journaled so a later run can tell the group from another that reuses the number.
 */
export type GroupIdentity = ProcessIdentity;

/** The group led by `pid` (spawned detached, so its pid is its process group id). */
export function groupIdentity(pid: number): GroupIdentity {
  return { pid, hostname: os.hostname(), bootId: readBootId(), startTicks: readStartTicks(pid) };
}

interface Member {
  pid: number;
  startTicks: number;
}

/** Group (field 5) and start time (field 22) of a live, not yet reaped-or-zombie pid. */
function readMember(pid: number): (Member & { pgid: number }) | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // A zombie has exited; only its parent has not collected it yet.
    if (fields[0] === 'Z') return undefined;
    return { pid, pgid: Number(fields[2]), startTicks: Number(fields[19]) };
  } catch {
    return undefined;
  }
}

/** Every process id in /proc; undefined where there is no /proc to look in. */
export function processIds(): number[] | undefined {
  try {
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
  } catch {
    return undefined;
  }
}

/** Whether `pid` runs: there, and not a zombie waiting for its parent to collect it. */
export function isLive(pid: number): boolean {
  return readMember(pid) !== undefined;
}

/** The live processes in process group `pgid`; undefined where there is no /proc to look in. */
export function groupMembers(pgid: number): Member[] | undefined {
  const pids = processIds();
  if (!pids) return undefined;
  const members: Member[] = [];
  for (const pid of pids) {
    const member = readMember(pid);
    if (member?.pgid === pgid) members.push({ pid: member.pid, startTicks: member.startTicks });
  }
  return members;
}

/**
 * Whether anything of `group` still runs, and is that group and not a later one with the same
 * number. While any member lives the kernel does not hand the number out again, so a member
 * started after the leader, or the leader itself with its start time, proves it.
 */
export function groupSurvives(group: GroupIdentity): boolean {
  if (group.hostname !== os.hostname()) return false;
  const boot = readBootId();
  if (group.bootId && boot && group.bootId !== boot) return false;
  const members = groupMembers(group.pid);
  if (!members) return signalGroup(group.pid, 0);
  if (group.startTicks === undefined) return members.length > 0;
  const leader = members.find((member) => member.pid === group.pid);
  if (leader) return leader.startTicks === group.startTicks;
  return members.some((member) => member.startTicks >= group.startTicks!);
}

/** Sends `signal` to the whole group; false when nothing of it was there to receive it. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * A group ends after SIGTERM within this long, or gets SIGKILL: time for a test runner to clean
 * up. `CCWAVE_KILL_GRACE_MS` sets another; a test sets a very long one to show that a second
 * Ctrl-C ends a command at once rather than after the grace period.
 */
export const GROUP_KILL_GRACE_MS = positiveInteger(process.env.CCWAVE_KILL_GRACE_MS) ?? 5_000;

function positiveInteger(text: string | undefined): number | undefined {
  const value = Number(text);
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}
/** How often a group being ended is looked at. */
const GROUP_POLL_MS = 50;
/** After SIGKILL a process is gone at once, unless stuck in the kernel (a dead NFS mount): don't wait forever. */
const AFTER_KILL_WAIT_MS = 5_000;

/**
 * Ends a group that may have outlived ccwave (journaled by an earlier run): SIGTERM, then SIGKILL
 * after the grace period. `none`: nothing of it was running; `ended`: it was, and is gone now;
 * `still-running`: it did not die even of SIGKILL (or belongs to another user).
 */
export async function endSurvivingGroup(group: GroupIdentity, graceMs = GROUP_KILL_GRACE_MS): Promise<'none' | 'ended' | 'still-running'> {
  if (!groupSurvives(group)) return 'none';
  signalGroup(group.pid, 'SIGTERM');
  const killAt = Date.now() + graceMs;
  const giveUpAt = killAt + AFTER_KILL_WAIT_MS;
  let killed = false;
  while (groupSurvives(group)) {
    if (Date.now() >= giveUpAt) return 'still-running';
    if (!killed && Date.now() >= killAt) {
      signalGroup(group.pid, 'SIGKILL');
      killed = true;
    }
    await new Promise((resolve) => setTimeout(resolve, GROUP_POLL_MS));
  }
  return 'ended';
}
