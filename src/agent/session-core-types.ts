import type { DialogMemory } from './dialog-responder.js';
import type { ExitJudgement } from './exit-judgement.js';
import type { HookEvent } from './hook-event.js';
import type { KeyName } from './keys.js';
import type { ScreenClass } from './screen-class.js';
import type { AgentEvent, AgentPolicy, AgentStatus } from './session-types.js';
import type { AgentState, IdleCause } from './state.js';
import type { TurnState } from './turn-tracker.js';
import type { TurnCounters } from './turn-policy.js';

/** What the session core is told once, at its start. */
export interface CoreConfig {
  policy: AgentPolicy;
  /** `exit`: the process ending ends the task (plain commands); `session`: ccwave decides. */
  completion: 'session' | 'exit';
  bypassesPermissions: boolean;
  /** The adapter has a polite way to ask the agent to leave (typed input) before signals. */
  politeStop: boolean;
  /** This launch continues an existing session (a resume, or a relaunch after "already in use"). */
  resumed: boolean;
  /** The `exit` agent's verify command, run after a clean exit. */
  verifyCommand: string | undefined;
  wallMs: number;
  idleMs: number;
}

/** `relaunch-resume`: the agent refused the session id because the session exists; resume it. */
export type Outcome = { status: AgentStatus | 'relaunch-resume'; reason: string };

/** The session's timers; each is one due time in the core state, armed by the shell. */
export type TimerName = 'wall' | 'idle' | 'pause' | 'api-retry';

/** What the core is waiting for: the answer to the request effect it gave last. */
export type Pending =
  | { kind: 'turn-screen'; cause: IdleCause; apiError: { retryable: boolean; detail: string } | undefined }
  | { kind: 'turn-facts'; cause: IdleCause; apiError: { retryable: boolean; detail: string } | undefined }
  | { kind: 'auto-commit' }
  | { kind: 'follow-up'; message: string }
  | { kind: 'exit-screen'; exit: { exitCode: number; signal: number | undefined } }
  | { kind: 'exit-judgement' }
  | { kind: 'verify'; judged: string }
  | { kind: 'finish' };

export interface CoreState {
  config: CoreConfig;
  /** What was observed, by the reducer in state.ts; shown through `viewOf`. */
  observed: AgentState;
  /** The view last emitted: a `state` event goes out exactly when the view differs from it. */
  shown: AgentState;
  /** The screen as last classified. */
  screen: ScreenClass;
  activity: string | undefined;
  turn: TurnState;
  dialog: DialogMemory;
  counters: TurnCounters;
  /** A usage-limit pause: the only record of "paused" (the view shows it from here). */
  pause: { until: number; resetAt: Date | undefined; detail: string } | undefined;
  /**
   * The text of the usage limit a pause answered. Until the screen shows something else, the same
   * text is that old limit still drawn (a loaded machine may take seconds to redraw after
   * "continue"), not a new one.
   */
  answeredLimit: string | undefined;
  /** ccwave waits for an API retry or for a person: the agent's silence is expected. */
  waiting: { retry: boolean; human: boolean };
  /** The follow-up sent when the API retry timer fires. */
  retryMessage: string | undefined;
  /** Due times of the armed timers. */
  timers: Partial<Record<TimerName, number>>;
  /** Wall-clock budget left while it is paused (a usage-limit pause does not count). */
  wallRemainingMs: number | undefined;
  pending: Pending | undefined;
  permissionDenied: boolean;
  verifyFailure: string | undefined;
  lastMessage: string | undefined;
  transcriptPath: string | undefined;
  sessionNotFound: boolean;
  /** Set when the end began; final once `settle` is given. */
  outcome: Outcome | undefined;
}

export type ApiErrorFacts = { retryable: boolean; detail: string };

export type CoreInput =
  | { type: 'launched'; argv: string[]; pid: number }
  | { type: 'launch-failed'; message: string }
  /** The agent printed something. */
  | { type: 'output' }
  | { type: 'hook'; event: HookEvent }
  /** A screen read: `screen` is undefined for agents whose screen is not interpreted. */
  | { type: 'screen'; screen: ScreenClass | undefined; activity: string | undefined }
  | { type: 'exit'; exitCode: number; signal: number | undefined }
  | { type: 'timer'; name: TimerName; dueAt: number }
  | { type: 'abort' }
  /** Performing an effect threw. */
  | { type: 'host-failure'; reason: string }
  // The answers to request effects.
  | { type: 'classified'; screen: ScreenClass | undefined; lastLine: string | undefined }
  | { type: 'turn-facts'; dirty: boolean; newCommits: number }
  | { type: 'committed'; sha: string }
  | { type: 'input-ready'; hostAlive: boolean }
  | { type: 'exit-judged'; judgement: ExitJudgement }
  | { type: 'verified'; result: { status: AgentStatus; reason: string } | 'interrupted' }
  | { type: 'worktree-checked'; exists: boolean; containsBase: boolean };

/** Effects the shell answers with one input, at once, before any other input is stepped. */
export type RequestEffect =
  /** Wait `afterMs` (a hook can be read before the output printed just before it), then classify the screen. */
  | { type: 'classify'; afterMs: number }
  /** Is the worktree dirty, how many commits since the base? */
  | { type: 'probe-turn' }
  | { type: 'commit'; message: string }
  /** Wait (bounded) until the input box shows; say whether the agent still runs. */
  | { type: 'wait-input-box' }
  | { type: 'judge-exit'; exitCode: number; signal: number | undefined }
  | { type: 'verify' }
  /** Does the worktree still exist; does its branch still contain the base (asked for `done` only)? */
  | { type: 'check-worktree'; needsBase: boolean };

export type CoreEffect =
  | RequestEffect
  | { type: 'emit'; event: AgentEvent }
  | { type: 'keys'; keys: KeyName[] }
  | { type: 'line'; text: string }
  | { type: 'set-timer'; name: TimerName; dueAt: number }
  | { type: 'clear-timer'; name: TimerName }
  /** Ends the agent process (with its polite steps, or by signals) and keeps its last screen. */
  | { type: 'stop-agent'; polite: boolean }
  /** The session is over: no more timers, no more inputs. */
  | { type: 'settle'; outcome: Outcome };

const REQUEST_EFFECTS: ReadonlySet<CoreEffect['type']> = new Set(['classify', 'probe-turn', 'commit', 'wait-input-box', 'judge-exit', 'verify', 'check-worktree']);

export function isRequest(effect: CoreEffect): effect is RequestEffect {
  return REQUEST_EFFECTS.has(effect.type);
}
