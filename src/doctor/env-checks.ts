import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { nodePty } from '../agent/node-pty.js';
import { UserError } from '../errors.js';
import { plural } from '../format/plural.js';
import { GitExec } from '../git/exec.js';
import { Repo } from '../git/repo.js';
import { checkedOutSize } from '../git/tree-size.js';
import { checkGitVersion, MIN_GIT_VERSION } from '../git/version.js';
import { defaultWorktreeRoot } from '../git/worktrees.js';
import { formatSince, inspectLock } from '../journal/lock.js';
import { DEFAULT_RUN_SETTINGS } from '../plan/defaults.js';
import { enclosingRepoRoot } from '../plan/repo-root.js';
import type { Plan } from '../plan/types.js';
import type { CheckResult } from './check.js';
import { diskSpaceCheck } from './disk-space.js';
import { nearestExisting } from './nearest-existing.js';
import { testCommandCheck } from './test-command.js';

/** What the environment checks look at: the folder doctor runs in and the plan found there. */
export interface EnvSubject {
  cwd: string;
  plan: Plan | undefined;
  /** Why there is no plan to check, when there is none ("no WAVES.md here", "it has errors"). */
  noPlan: string | undefined;
}

/** Checks that belong to the layers above doctor, passed in by the command. */
export interface EnvProbes {
  nodeVersionProblem(version: string): string | undefined;
  findProgram(program: string, root: string): boolean;
  sandboxProblem(): Promise<{ message: string; hint: string } | undefined>;
}

/** Everything a run needs from this machine and repository besides the agent, one result each. */
export async function runEnvChecks(subject: EnvSubject, probes: EnvProbes): Promise<CheckResult[]> {
  const results: CheckResult[] = [await gitVersionCheck(subject.cwd), nodeVersionCheck(probes), nodePtyCheck()];
  const root = subject.plan?.root ?? enclosingRepoRoot(subject.cwd);
  const repo = root === undefined ? undefined : await Repo.open(root).catch(() => undefined);
  const skip = (id: string, title: string, why: string): CheckResult => ({ id, title: `${title}: not checked, ${why}`, status: 'ok' });
  if (!repo) {
    const why = root === undefined ? 'not in a git repository' : 'git cannot open the repository';
    results.push(skip('env.worktrees', 'worktree location', why), skip('env.disk-space', 'disk space', why), skip('env.lock', 'run lock', why));
  } else {
    const worktreeRoot = subject.plan?.settings.worktrees ? path.resolve(subject.plan.root, subject.plan.settings.worktrees) : await defaultWorktreeRoot(repo);
    results.push(worktreesCheck(worktreeRoot));
    const concurrency = subject.plan?.settings.concurrency ?? DEFAULT_RUN_SETTINGS.concurrency;
    const size = await checkedOutSize(repo.git).catch(() => undefined);
    results.push(size === undefined ? skip('env.disk-space', 'disk space', 'the repository has no commit to measure') : await diskSpaceCheck(worktreeRoot, concurrency, size));
    results.push(lockCheck(repo.dataDir));
  }
  if (!subject.plan) {
    const why = subject.noPlan ?? 'no plan';
    results.push(skip('env.test-command', 'test command', why), skip('env.sandbox', 'sandbox', why));
    return results;
  }
  results.push(testCommandCheck(subject.plan.settings.test, subject.plan.root, probes.findProgram));
  results.push(await sandboxCheck(subject.plan, probes));
  return results;
}

async function gitVersionCheck(cwd: string): Promise<CheckResult> {
  const id = 'env.git-version';
  const floor = `${MIN_GIT_VERSION.major}.${MIN_GIT_VERSION.minor}`;
  try {
    const version = await checkGitVersion(new GitExec(cwd));
    return { id, title: `git ${version.text} (${floor} or newer needed)`, status: 'ok' };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return { id, title: `git ${floor} or newer`, status: 'failed', detail: [error.message, error.hint].filter(Boolean).join('; ') };
  }
}

function nodeVersionCheck(probes: EnvProbes): CheckResult {
  const version = process.versions.node;
  const problem = probes.nodeVersionProblem(version);
  return problem ? { id: 'env.node-version', title: `Node.js ${version}`, status: 'failed', detail: problem } : { id: 'env.node-version', title: `Node.js ${version}`, status: 'ok' };
}

/** Every agent runs in a terminal: an unbuilt node-pty stops a run before its first agent. */
function nodePtyCheck(): CheckResult {
  try {
    nodePty();
    return { id: 'env.node-pty', title: 'node-pty loads', status: 'ok' };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return { id: 'env.node-pty', title: 'node-pty loads', status: 'failed', detail: `${error.message}; ${error.hint}` };
  }
}

/** git makes the worktrees folder and what is missing above it: the nearest existing folder must take new entries. */
function worktreesCheck(worktreeRoot: string): CheckResult {
  const id = 'env.worktrees';
  const title = `worktree location ${worktreeRoot} writable`;
  const existing = nearestExisting(worktreeRoot);
  try {
    if (!statSync(existing).isDirectory()) return { id, title, status: 'failed', detail: `${existing} is not a folder; set \`worktrees:\` in the plan to a folder path` };
    accessSync(existing, constants.W_OK | constants.X_OK);
    return { id, title, status: 'ok' };
  } catch (error) {
    return { id, title, status: 'failed', detail: `${existing}: ${(error as Error).message}` };
  }
}

/** A live holder refuses the next run; a dead one's lock is taken over by it. */
function lockCheck(dataDir: string): CheckResult {
  const id = 'env.lock';
  const lock = inspectLock(dataDir);
  if (!lock) return { id, title: 'run lock free', status: 'ok' };
  const { info, liveness } = lock;
  const who = `pid ${info.pid} on ${info.hostname} (${info.command})${info.runId ? `, run ${info.runId},` : ''} since ${formatSince(info.startedAt)}`;
  if (liveness.alive === true) return { id, title: 'run lock free', status: 'failed', detail: `held by ${who}: a run now would be refused; wait for it or stop it` };
  if (liveness.alive === 'unknown')
    return { id, title: 'run lock free', status: 'changed', detail: `held by ${who}, which may be alive (${liveness.why}); if it is gone, the lock file can be deleted` };
  return { id, title: 'run lock free', status: 'ok', detail: `a stale lock of ${who} (${liveness.why}); the next run takes it over` };
}

/** Only tasks of Claude agents with `sandbox` need bubblewrap and socat. */
async function sandboxCheck(plan: Plan, probes: EnvProbes): Promise<CheckResult> {
  const id = 'env.sandbox';
  const sandboxed = plan.waves.flatMap((w) => w.tasks).filter((t) => t.settings.sandbox && t.settings.agent.kind === 'claude');
  if (sandboxed.length === 0) return { id, title: 'sandbox: not checked, no Claude task uses `sandbox`', status: 'ok' };
  const problem = await probes.sandboxProblem();
  const title = `sandbox for ${plural(sandboxed.length, 'task')} (bubblewrap and socat)`;
  return problem ? { id, title, status: 'failed', detail: `${problem.message}; ${problem.hint}` } : { id, title, status: 'ok' };
}
