import type { AgentAdapter, AgentTask } from './adapter.js';
import type { Clock } from './deadline.js';
import type { PermissionPolicy } from './dialog-policy.js';
import type { HookEvent } from './hook-event.js';
import type { LaunchGate } from './launch-gate.js';
import type { RateLimits, TokenCounts } from '../journal/usage.js';
import type { PtyHost } from './pty-host.js';
import type { PtyRegistry } from './pty-registry.js';
import type { ScreenSize } from './screen-model.js';
import type { AgentState } from './state.js';
import type { TurnDecision, TurnLimits } from './turn-policy.js';
import type { WorktreeProbe } from './worktree-probe.js';

export interface AgentPolicy extends TurnLimits {
  permission: PermissionPolicy;
  acceptTrustDialog: boolean;
  /** Wait after a usage-limit screen that names no reset time. */
  usageLimitDefaultWaitMs: number;
  /** Added to a usage-limit reset time before "continue" is sent. */
  usageResetMarginMs: number;
}

export const DEFAULT_POLICY: AgentPolicy = {
  permission: 'deny',
  acceptTrustDialog: true,
  commitPolicy: 'ask',
  maxNudges: 3,
  maxCommitRequests: 2,
  maxApiRetries: 5,
  // Rate limits and overloads usually clear within minutes.
  apiRetryBaseMs: 30_000,
  apiRetryMaxMs: 10 * 60_000,
  // Claude's limits reset on the hour; an hour is the longest wait that cannot overshoot much.
  usageLimitDefaultWaitMs: 60 * 60_000,
  // Clocks differ, and the first seconds after a reset are often still refused.
  usageResetMarginMs: 5_000,
};

export interface AgentTimeouts {
  /** Budget of active time (a usage-limit pause does not count). */
  wallMs: number;
  /** No output and no hook event for this long while the agent should be working. */
  idleMs: number;
}

export interface RunAgentTaskOptions {
  adapter: AgentAdapter;
  task: AgentTask;
  timeouts: AgentTimeouts;
  /** Continue the task's existing session with this message instead of starting it. */
  resume?: { message: string };
  policy?: Partial<AgentPolicy>;
  /** Defaults to git in the task's worktree. */
  probe?: WorktreeProbe;
  /** Commits after this one are the task's; defaults to HEAD at launch. */
  baseSha?: string;
  clock?: Clock;
  /** Launches one at a time through this gate, each until it reports `SessionStart` (or the gate's cap). */
  launchGate?: Pick<LaunchGate, 'enter'>;
  /** Live PTYs are registered here so ccwave's exit kills them. */
  registry?: PtyRegistry;
  /** Aborting ends the task with status `interrupted` (the session can be resumed later). */
  signal?: AbortSignal;
  onEvent?: (event: AgentEvent) => void;
  /** The live terminal of each launch, for a live view or for attaching a person's keyboard. */
  onHost?: (host: PtyHost) => void;
  screenSize?: ScreenSize;
  /** The user's environment the agent inherits; defaults to process.env. */
  baseEnv?: NodeJS.ProcessEnv;
}

/** What ccwave did or decided, as the runner reads it from an `action` event. */
export type SessionAction = 'dialog' | 'input' | 'auto-commit' | 'paused' | 'resumed' | 'api-retry-wait' | 'waiting-for-human' | 'finish' | 'resume' | `turn-end:${TurnDecision['action']}`;

/**
 * What Claude Code reported about a session's usage: its status line (cost, windows, model) and
 * its transcript (tokens). Sent whenever either says something new.
 */
export interface UsageReading {
  sessionId: string;
  /** Summed over every API response in the session's transcript (all its launches); undefined until it is found. */
  tokens?: TokenCounts;
  /** The status line's `cost.total_cost_usd`: per process, and carried over by `--resume` after a clean exit. */
  costUsd?: number;
  /** True for this launch's first status-line report: where its process starts counting cost. */
  firstOfLaunch: boolean;
  model?: string;
  rateLimits?: RateLimits;
}

export type AgentEvent =
  | { type: 'launch'; argv: string[]; pid: number; resumed: boolean }
  | { type: 'state'; state: AgentState; previous: AgentState }
  | { type: 'hook'; event: HookEvent }
  /** Something ccwave did or decided: answered a dialog, nudged, paused, retried. */
  | { type: 'action'; action: SessionAction; detail?: string }
  /** What the agent is doing, one line, for a progress display. */
  | { type: 'activity'; line: string }
  | { type: 'usage'; reading: UsageReading }
  /** The id an agent that names its own session gave it (its first hook's): what a resume continues. */
  | { type: 'session'; sessionId: string };

export type AgentStatus = 'done' | 'failed' | 'timeout' | 'interrupted';

export interface AgentResult {
  status: AgentStatus;
  reason: string;
  /** Undefined when an agent that names its own session never said which (it died first). */
  sessionId: string | undefined;
  lastMessage: string | undefined;
  /** The last screen (and some scrollback), saved as text. */
  screenPath: string | undefined;
  /** The task's commits (after baseSha), oldest first. */
  commits: string[];
  /** Claude's transcript, as its hooks reported it. */
  transcriptPath: string | undefined;
  rawLogPath: string;
  /** A resume found no such session (it never got its first message): start a new one instead. */
  sessionNotFound: boolean;
}
