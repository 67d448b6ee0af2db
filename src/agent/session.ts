import { existsSync } from 'node:fs';
import { Deadline, systemClock, type Clock } from './deadline.js';
import { DialogResponder } from './dialog-responder.js';
import { verifyCommandWork } from './command/command-verify.js';
import { judgeCommandExit } from './exit-judgement.js';
import type { HookChannel } from './hook-channel.js';
import { isRetryableApiError, type HookEvent } from './hook-event.js';
import { closeAgent, errorMessage, formatMs, launchAgent, stopAgent, waitForInputBox } from './agent-process.js';
import { NamedTimers } from './named-timers.js';
import { delay, type PtyHost } from './pty-host.js';
import type { ScreenClass } from './screen-class.js';
import * as T from './session-timing.js';
import {
  DEFAULT_POLICY,
  type AgentEvent,
  type AgentPolicy,
  type AgentResult,
  type AgentStatus,
  type RunAgentTaskOptions,
} from './session-types.js';
import { INITIAL_STATE, nextAgentState, sameAgentState, type AgentInput, type AgentState, type IdleCause } from './state.js';
import { taskFiles } from './task-files.js';
import { TurnTracker } from './turn-tracker.js';
import { decideAfterTurn, type TurnCounters } from './turn-policy.js';
import { gitWorktreeProbe, type WorktreeProbe } from './worktree-probe.js';

/** Sent when a usage limit has reset, and to a session resumed because its id was taken. */
const CONTINUE_MESSAGE = 'continue';

export const WORKTREE_DELETED = 'its worktree was deleted while it ran';
export const UNRELATED_HISTORY = 'its branch no longer contains the commit it started from (history rewritten)';

/** `relaunch-resume`: the agent refused the session id because the session exists; resume it. */
type Outcome = { status: AgentStatus | 'relaunch-resume'; reason: string };

/**
 * Runs one agent task to its end: launches the agent in a PTY, answers dialogs by policy, decides
 * after each turn (commit, nudge, retry, wait out a usage limit, done), enforces the timeouts and
 * always leaves no process behind. A failing task is a result, not an exception.
 */
export async function runAgentTask(options: RunAgentTaskOptions): Promise<AgentResult> {
  const first = await new AgentSession(options, options.resume).run();
  if (first.outcome.status !== 'relaunch-resume') return first.result;
  // "Session ID … is already in use": its transcript exists, so continue it instead.
  options.onEvent?.({ type: 'action', action: 'resume', detail: 'session id already in use; resuming it' });
  return (await new AgentSession(options, { message: CONTINUE_MESSAGE }).run()).result;
}

class AgentSession {
  readonly #o: RunAgentTaskOptions;
  readonly #resume: { message: string } | undefined;
  readonly #policy: AgentPolicy;
  readonly #probe: WorktreeProbe;
  readonly #clock: Clock;
  readonly #files: ReturnType<typeof taskFiles>;
  readonly #wall: Deadline;
  readonly #idle: Deadline;
  readonly #timers = new NamedTimers();
  readonly #dialogs: DialogResponder;
  readonly #counters: TurnCounters = { nudges: 0, commitRequests: 0, apiRetries: 0 };
  #host: PtyHost | undefined;
  #channel: HookChannel | undefined;
  #baseSha = '';
  #sessionNotFound = false;
  #state: AgentState = INITIAL_STATE;
  #screen: ScreenClass = { kind: 'unknown' };
  #queue: Promise<void> = Promise.resolve();
  #outcome: Outcome | undefined;
  #settle: ((outcome: Outcome) => void) | undefined;
  #turn: TurnTracker;
  /** While ccwave itself waits (usage limit, API retry, a person), the agent's silence is expected. */
  #hold: { pausedUntil: number | undefined; retry: boolean; human: boolean } = { pausedUntil: undefined, retry: false, human: false };
  #permissionDenied = false;
  #verifyFailure: string | undefined;
  #lastMessage: string | undefined;
  #transcriptPath: string | undefined;
  #activity: string | undefined;
  #finalScreen: string | undefined;
  #unsubscribeAbort: (() => void) | undefined;

  constructor(options: RunAgentTaskOptions, resume: { message: string } | undefined) {
    this.#o = options;
    this.#resume = resume;
    this.#policy = { ...DEFAULT_POLICY, ...options.policy };
    this.#probe = options.probe ?? gitWorktreeProbe(options.task.worktree);
    this.#clock = options.clock ?? systemClock;
    this.#files = taskFiles(options.task.taskDir);
    this.#turn = new TurnTracker(this.#clock.now());
    const { wallMs, idleMs } = options.timeouts;
    this.#wall = new Deadline(wallMs, () => this.#serial(() => this.#finish('timeout', `wall-clock timeout after ${formatMs(wallMs)}`)));
    this.#idle = new Deadline(idleMs, () =>
      this.#serial(() => this.#finish('timeout', `idle timeout: no output and no events for ${formatMs(idleMs)}`)),
    );
    this.#dialogs = new DialogResponder(
      { permission: this.#policy.permission, acceptTrustDialog: this.#policy.acceptTrustDialog, bypassesPermissions: options.adapter.bypassesPermissions },
      (key) => this.#host?.sendKey(key),
    );
  }

  async run(): Promise<{ outcome: Outcome; result: AgentResult }> {
    const outcome = new Promise<Outcome>((resolve) => (this.#settle = resolve));
    try {
      await this.#launch();
    } catch (error) {
      this.#serial(() => this.#finish('failed', `could not start the agent: ${errorMessage(error)}`));
    }
    const settled = await outcome;
    return { outcome: settled, result: await this.#result(settled) };
  }

  async #launch(): Promise<void> {
    this.#baseSha = this.#o.baseSha ?? (await this.#probe.headSha());
    const { host, channel, spec } = await launchAgent(this.#o, this.#resume, (event) => {
      // Reported at once, even after the outcome (SessionEnd arrives while the session closes).
      this.#emit({ type: 'hook', event });
      this.#serial(() => this.#onHook(event));
    });
    this.#host = host;
    this.#channel = channel;
    this.#o.onHost?.(host);
    const unregister = this.#o.registry?.add(host);
    void host.exited.then((exit) => {
      unregister?.();
      this.#serial(() => this.#onExit(exit.exitCode, exit.signal));
    });
    this.#emit({ type: 'launch', argv: spec.argv, pid: host.pid, resumed: this.#resume !== undefined });
    this.#turn.inputSent(this.#clock.now());
    this.#wall.restart();
    this.#idle.restart();
    let readPending = false;
    host.onOutput(() => {
      this.#activityObserved();
      if (readPending) return;
      readPending = true;
      setTimeout(() => {
        readPending = false;
        this.#serial(() => this.#readScreen());
      }, T.SCREEN_READ_MS);
    });
    this.#timers.every('tick', T.SCREEN_TICK_MS, () => this.#serial(() => this.#readScreen()));
    const signal = this.#o.signal;
    const onAbort = (): void => this.#serial(() => this.#finish('interrupted', 'interrupted'));
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.#unsubscribeAbort = () => signal?.removeEventListener('abort', onAbort);
  }

  // ---- inputs: hooks, screen, exit ------------------------------------------------------------

  async #onHook(event: HookEvent): Promise<void> {
    if (this.#outcome) return;
    this.#activityObserved();
    this.#transcriptPath = event.transcript_path ?? this.#transcriptPath;
    if (event.last_assistant_message) this.#lastMessage = event.last_assistant_message;
    this.#apply({ type: 'hook', event });
    switch (event.hook_event_name) {
      case 'UserPromptSubmit':
        this.#turn.workSeen(true);
        return;
      case 'Stop': {
        const verify = event.ccwave_verify;
        if (verify?.blocked) return;
        this.#verifyFailure = verify && !verify.ok ? (verify.output ?? '') : undefined;
        return this.#turnEnded('turn-end');
      }
      case 'StopFailure':
        return this.#turnEnded('api-error', {
          retryable: isRetryableApiError(event.error),
          detail: event.last_assistant_message ?? event.error ?? 'API error',
        });
      default:
        return;
    }
  }

  async #readScreen(): Promise<void> {
    const host = this.#host;
    const rules = this.#o.adapter.screenRules;
    if (this.#outcome || !host || host.hasExited) return;
    await host.screen.settled();
    const lines = host.screen.visibleLines();
    const activity = rules?.summarize(lines) ?? host.screen.lastMeaningfulLine();
    if (activity && activity !== this.#activity) {
      this.#activity = activity;
      this.#emit({ type: 'activity', line: activity });
    }
    if (!rules) return;
    const now = this.#clock.now();
    const screen = rules.classify(lines, new Date(now));
    this.#screen = screen;
    const stale = screen.kind === 'usage-limit' && now - this.#turn.inputAt < T.STALE_SCREEN_GRACE_MS;
    if (!this.#hold.pausedUntil && !stale) this.#apply({ type: 'screen', screen });
    await this.#onScreen(screen, now, stale);
  }

  async #onScreen(screen: ScreenClass, now: number, stale: boolean): Promise<void> {
    if (screen.kind !== 'idle' && screen.kind !== 'api-error') this.#turn.notIdle();
    const dialog = this.#dialogs.respond(screen, now);
    switch (dialog.kind) {
      case 'fail':
        return this.#finish('failed', dialog.reason);
      case 'wait':
        return this.#waitForHuman(dialog.note);
      case 'pressed':
        if (screen.kind === 'permission-prompt' && this.#policy.permission === 'deny') this.#permissionDenied = true;
        this.#emit({ type: 'action', action: 'dialog', detail: dialog.note });
        return;
      case 'settling':
        return;
      case 'none':
        break;
    }
    if (this.#hold.human) this.#setHold('human', false);
    switch (screen.kind) {
      case 'busy':
      case 'retrying':
        this.#turn.workSeen();
        // Some versions continue by themselves once the limit resets.
        if (this.#hold.pausedUntil) this.#endPause('the agent resumed by itself');
        return;
      case 'usage-limit':
        if (!this.#hold.pausedUntil && !stale) this.#pause(screen.resetAt, screen.detail);
        return;
      case 'idle':
      case 'api-error':
        return this.#maybeScreenTurnEnd(screen, now);
      default:
        return;
    }
  }

  /** The screen fallback for turn ends: used when no Stop hook came (interrupts, no hooks). */
  async #maybeScreenTurnEnd(screen: ScreenClass & { kind: 'idle' | 'api-error' }, now: number): Promise<void> {
    if (this.#hold.pausedUntil || !this.#turn.idleScreenEndsTurn(now)) return;
    if (screen.kind === 'api-error') return this.#turnEnded('api-error', { retryable: screen.retryable, detail: screen.detail });
    return this.#turnEnded(screen.interrupted ? 'interrupted' : 'turn-end');
  }

  async #onExit(exitCode: number, signal: number | undefined): Promise<void> {
    this.#apply({ type: 'exit', exitCode, signal });
    if (this.#outcome) return;
    // Its last words (e.g. "Session ID … is already in use") may not have been read yet.
    await this.#classifyNow();
    if (this.#o.adapter.completion === 'exit') {
      const judged = await judgeCommandExit(exitCode, signal, this.#probe, this.#baseSha, this.#policy.commitPolicy);
      if (judged.autoCommit) this.#emit({ type: 'action', action: 'auto-commit', detail: judged.autoCommit });
      const verify = this.#o.adapter.verify;
      if (judged.status !== 'done' || !verify) return this.#finish(judged.status, judged.reason);
      this.#emit({ type: 'activity', line: `verify: ${verify.command}` });
      const verified = await verifyCommandWork(verify, this.#o.task, { signal: this.#o.signal, tracker: this.#o.registry });
      if (verified === 'interrupted') return this.#finish('interrupted', 'interrupted');
      return this.#finish(verified.status, verified.status === 'done' ? `${judged.reason}, verify passed` : verified.reason);
    }
    if (this.#screen.kind === 'session-in-use' && !this.#resume) return this.#finish('relaunch-resume', 'session id already in use');
    if (this.#screen.kind === 'session-not-found' && this.#resume) {
      this.#sessionNotFound = true;
      return this.#finish('failed', 'the session to resume does not exist');
    }
    const how = signal ? `signal ${signal}` : `code ${exitCode}`;
    const last = this.#host?.screen.lastMeaningfulLine();
    return this.#finish('failed', `the agent exited unexpectedly (${how})${last ? `: ${last}` : ''}`);
  }

  // ---- decisions --------------------------------------------------------------------------------

  async #turnEnded(cause: IdleCause, apiError?: { retryable: boolean; detail: string }): Promise<void> {
    if (this.#outcome || !this.#turn.claimEnd()) return;
    await delay(T.HOOK_SCREEN_CATCHUP_MS);
    await this.#classifyNow();
    // A usage limit also ends the turn (often with a rate-limit StopFailure): wait it out instead.
    if (this.#hold.pausedUntil) return;
    if (this.#screen.kind === 'usage-limit') return this.#pause(this.#screen.resetAt, this.#screen.detail);
    const newCommits = (await this.#probe.commitsSince(this.#baseSha)).length;
    const facts = {
      cause,
      ...(apiError ? { apiError } : {}),
      dirty: await this.#probe.isDirty(),
      newCommits,
      lastMessage: this.#lastMessage,
      permissionDenied: this.#permissionDenied,
      verifyFailure: this.#verifyFailure,
    };
    const decision = decideAfterTurn(facts, this.#counters, this.#policy);
    this.#emit({ type: 'action', action: `turn-end:${decision.action}`, detail: cause });
    switch (decision.action) {
      case 'done':
        return this.#finish('done', `${newCommits} commit(s), clean worktree`);
      case 'fail':
        return this.#finish('failed', decision.reason);
      case 'auto-commit': {
        const sha = await this.#probe.commitAll(decision.message);
        this.#emit({ type: 'action', action: 'auto-commit', detail: sha });
        return this.#finish('done', 'uncommitted work committed by ccwave');
      }
      case 'ask-commit':
        this.#counters.commitRequests++;
        return this.#sendFollowUp(decision.message);
      case 'nudge':
        this.#counters.nudges++;
        this.#permissionDenied = false;
        return this.#sendFollowUp(decision.message);
      case 'retry-later':
        this.#counters.apiRetries++;
        this.#setHold('retry', true);
        this.#emit({ type: 'action', action: 'api-retry-wait', detail: formatMs(decision.delayMs) });
        this.#timers.once('api-retry', decision.delayMs, () =>
          this.#serial(() => {
            this.#setHold('retry', false);
            return this.#hold.pausedUntil ? undefined : this.#sendFollowUp(decision.message);
          }),
        );
        return;
    }
  }

  #pause(resetAt: Date | undefined, detail: string): void {
    const now = this.#clock.now();
    const reset = resetAt?.getTime() ?? now + this.#policy.usageLimitDefaultWaitMs;
    // Still limited after the time it named: do not hammer it with "continue".
    const until = (reset > now ? reset : now + T.USAGE_RECHECK_MS) + this.#policy.usageResetMarginMs;
    this.#hold.pausedUntil = until;
    this.#turn.stopAwaiting();
    // The limit explains any API error of this turn: one "continue" after the reset covers both.
    this.#timers.clear('api-retry');
    this.#hold.retry = false;
    this.#wall.pause();
    this.#idle.pause();
    this.#apply({ type: 'screen', screen: { kind: 'usage-limit', resetAt, detail } });
    this.#emit({ type: 'action', action: 'paused', detail: `usage limit until ${new Date(until).toISOString()}` });
    this.#timers.once('pause', Math.max(0, until - now), () =>
      this.#serial(async () => {
        this.#endPause('usage limit reset');
        await this.#sendFollowUp(CONTINUE_MESSAGE);
      }),
    );
  }

  #endPause(why: string): void {
    this.#timers.clear('pause');
    this.#hold.pausedUntil = undefined;
    this.#wall.resume();
    this.#idle.restart();
    this.#apply({ type: 'timer', timer: 'pause-over' });
    this.#emit({ type: 'action', action: 'resumed', detail: why });
  }

  #waitForHuman(note: string): void {
    if (this.#hold.human) return;
    // A person may take long: only the wall clock applies while they are asked.
    this.#setHold('human', true);
    this.#emit({ type: 'action', action: 'waiting-for-human', detail: note });
  }

  #setHold(kind: 'retry' | 'human', on: boolean): void {
    this.#hold[kind] = on;
    if (on) this.#idle.pause();
    else this.#activityObserved();
  }

  /** Output or an event: the agent is alive, unless ccwave itself is the one waiting. */
  #activityObserved(): void {
    const { pausedUntil, retry, human } = this.#hold;
    if (!pausedUntil && !retry && !human) this.#idle.restart();
  }

  /** Types a message once the input box is ready, and starts waiting for the turn it begins. */
  async #sendFollowUp(message: string): Promise<void> {
    const host = this.#host;
    if (this.#outcome || !host || host.hasExited) return;
    await waitForInputBox(host, this.#o.adapter.screenRules, () => this.#clock.now(), () => this.#outcome !== undefined);
    if (this.#outcome || host.hasExited) return;
    this.#turn.inputSent(this.#clock.now());
    this.#verifyFailure = undefined;
    this.#idle.restart();
    this.#emit({ type: 'action', action: 'input', detail: message });
    await host.sendLine(message);
  }

  // ---- ending -----------------------------------------------------------------------------------

  async #finish(status: Outcome['status'], reason: string): Promise<void> {
    if (this.#outcome) return;
    this.#outcome = { status, reason };
    if (!existsSync(this.#o.task.worktree)) {
      // git cannot even run there: say so instead of the error that follows from it.
      this.#outcome = { status: status === 'interrupted' ? status : 'failed', reason: WORKTREE_DELETED };
    } else if (status === 'done' && this.#baseSha && !(await this.#probe.headContains(this.#baseSha).catch(() => false))) {
      // Work on a rewritten history (another root, a reset past the fork) cannot be merged as is.
      this.#outcome = { status: 'failed', reason: UNRELATED_HISTORY };
    }
    this.#unsubscribeAbort?.();
    this.#wall.dispose();
    this.#idle.dispose();
    this.#timers.dispose();
    this.#emit({ type: 'action', action: 'finish', detail: `${this.#outcome.status}: ${this.#outcome.reason}` });
    if (this.#host) this.#finalScreen = await stopAgent(this.#host, this.#o.adapter, this.#screen.kind === 'idle');
    this.#channel?.stop();
    this.#apply(this.#outcome.status === 'done' ? { type: 'finish' } : { type: 'fail', reason: this.#outcome.reason });
    this.#settle?.(this.#outcome);
  }

  async #result(outcome: Outcome): Promise<AgentResult> {
    const screenPath = this.#host ? await closeAgent(this.#host, this.#files.finalScreen, this.#finalScreen) : undefined;
    return {
      status: outcome.status === 'relaunch-resume' ? 'failed' : outcome.status,
      reason: outcome.reason,
      sessionId: this.#o.task.sessionId,
      lastMessage: this.#lastMessage,
      screenPath,
      commits: this.#baseSha ? await this.#probe.commitsSince(this.#baseSha).catch(() => []) : [],
      transcriptPath: this.#transcriptPath,
      rawLogPath: this.#files.rawLog,
      sessionNotFound: this.#sessionNotFound,
    };
  }

  // ---- plumbing ---------------------------------------------------------------------------------

  /** Inputs are handled one at a time, in arrival order: no decision interleaves with another. */
  #serial(step: () => Promise<void> | void): void {
    this.#queue = this.#queue.then(step).catch((error: unknown) => {
      void this.#finish('failed', hostFailure(error));
    });
  }

  /** Looks at the screen as it is now (a hook can arrive before the throttled read). */
  async #classifyNow(): Promise<void> {
    const rules = this.#o.adapter.screenRules;
    if (!rules || !this.#host) return;
    await this.#host.screen.settled();
    this.#screen = rules.classify(this.#host.screen.visibleLines(), new Date(this.#clock.now()));
  }

  #apply(input: AgentInput): void {
    const previous = this.#state;
    this.#state = nextAgentState(previous, input);
    if (!sameAgentState(previous, this.#state)) this.#emit({ type: 'state', state: this.#state, previous });
  }

  #emit(event: AgentEvent): void {
    this.#o.onEvent?.(event);
  }
}

/**
 * A git command in the worktree can fail because of what the agent committed there (a `.gitmodules`
 * git rejects, a broken index): say that, with git's own last words, rather than "internal error".
 */
function hostFailure(error: unknown): string {
  const message = errorMessage(error);
  if (!/^Command failed: git /.test(message)) return `internal error in the agent host: ${message}`;
  const last = message.split('\n').map((line) => line.trim()).filter(Boolean).at(-1) ?? '';
  return `git failed in its worktree: ${last}`;
}
