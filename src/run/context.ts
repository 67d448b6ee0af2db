import type { LaunchGate } from '../agent/launch-gate.js';
import type { PtyHost } from '../agent/pty-host.js';
import type { PtyRegistry } from '../agent/pty-registry.js';
import type { Repo } from '../git/repo.js';
import type { Plan } from '../plan/types.js';
import type { RunRecorder } from '../journal/recorder.js';
import type { RepoConfigSnapshot } from './repo-config-guard.js';
import type { StopControl, TaskStops } from './stop-control.js';

/**
 * What the UI shows beside the journal: each task's latest line, too frequent and too fleeting to
 * journal. Everything else the UI shows (phase, pause, agents at work) comes from the journal.
 */
export interface LiveSink {
  line(taskId: string, text: string): void;
}

/** Why a person's retry was not carried out, in words for the UI. */
export type RetryRefusal = string;

/** Everything a running plan needs, passed down explicitly. */
export interface RunContext {
  plan: Plan;
  repo: Repo;
  recorder: RunRecorder;
  runId: string;
  /** `<git-common-dir>/ccwave/runs/<run>`: logs and per-task files live here, never in a worktree. */
  runDir: string;
  worktreeRoot: string;
  /** The shared git config and hooks as the run began: put back after every agent. */
  repoConfig: RepoConfigSnapshot;
  integration: { branch: string; worktree: string };
  registry: PtyRegistry;
  /** Claude agents start one at a time through it, against races on `~/.claude.json`; other agents start at once. */
  claudeLaunches: LaunchGate;
  stop: StopControl;
  taskStops: TaskStops;
  /** Set while a wave's agents run: queues one more attempt of a task, or says why it can't. */
  retries: { handler?: ((taskId: string) => RetryRefusal | undefined) | undefined };
  live: LiveSink;
  concurrency: number;
  /** Each agent launch's live terminal, for the UI's live view and attach. */
  onHost?: (taskId: string, host: PtyHost) => void;
}
