import { existsSync } from 'node:fs';
import { closeAgent, errorMessage, launchAgent, stopAgent, waitForInputBox } from './agent-process.js';
import { verifyCommandWork } from './command/command-verify.js';
import { sleep, timerClock, type TimerClock } from './deadline.js';
import { judgeCommandExit } from './exit-judgement.js';
import type { HookChannel } from './hook-channel.js';
import type { HookEvent } from './hook-event.js';
import type { LaunchRelease } from './launch-gate.js';
import type { PtyHost } from './pty-host.js';
import { CONTINUE_MESSAGE, initialCoreState, step } from './session-core.js';
import type { CoreEffect, CoreInput, CoreState, Outcome, TimerName } from './session-core-types.js';
import * as T from './session-timing.js';
import { DEFAULT_POLICY, type AgentEvent, type AgentPolicy, type AgentResult, type RunAgentTaskOptions, type UsageReading } from './session-types.js';
import { taskFiles } from './task-files.js';
import { STATUS_LINE_EVENT } from './hook/status-line-script.js';
import { isAgentSessionId } from './session-id.js';
import { UsageTracker } from './usage/usage-tracker.js';
import { gitWorktreeProbe, type WorktreeProbe } from './worktree-probe.js';
import { noSpaceError } from '../errors.js';

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

/** Effects after which the commits a command's exit judgement counted still hold: none runs anything in the worktree. */
const KEEPS_EXIT_COMMITS: ReadonlySet<CoreEffect['type']> = new Set(['emit', 'set-timer', 'clear-timer', 'stop-agent', 'classify', 'check-worktree', 'settle']);

/** An input, or a read of the PTY that yields one when its turn in the queue comes. */
type Queued = CoreInput | (() => Promise<CoreInput | undefined>);

/**
 * The shell around the pure session core (session-core.ts): it owns the PTY, the hook channel and
 * the only timers, feeds the core one input at a time and carries out its effects.
 */
class AgentSession {
  readonly #o: RunAgentTaskOptions;
  readonly #resume: { message: string } | undefined;
  readonly #policy: AgentPolicy;
  readonly #probe: WorktreeProbe;
  /** The commits the exit judgement of a command agent counted: the result's, if nothing ran since. */
  #exitCommits: string[] | undefined;
  readonly #clock: TimerClock;
  readonly #files: ReturnType<typeof taskFiles>;
  readonly #timers = new Map<TimerName | 'tick' | 'read', () => void>();
  readonly #usage: UsageTracker;
  /** The session's id: fixed up front, or, for an agent that names its own, the first its hooks name. */
  #sessionId: string | undefined;
  #core: CoreState;
  #host: PtyHost | undefined;
  #channel: HookChannel | undefined;
  #baseSha = '';
  #queue: Promise<void> = Promise.resolve();
  #closed = false;
  #settle: ((outcome: Outcome) => void) | undefined;
  #finalScreen: string | undefined;
  #unsubscribeAbort: (() => void) | undefined;
  /** Holds the launch gate from before the launch until the agent reports it started. */
  #releaseLaunch: LaunchRelease | undefined;

  constructor(options: RunAgentTaskOptions, resume: { message: string } | undefined) {
    this.#o = options;
    this.#policy = { ...DEFAULT_POLICY, ...options.policy };
    this.#probe = options.probe ?? gitWorktreeProbe(options.task.worktree);
    this.#clock = timerClock(options.clock);
    this.#files = taskFiles(options.task.taskDir);
    const { namesOwnSession, transcriptReader } = options.adapter;
    this.#sessionId = namesOwnSession && !resume ? undefined : options.task.sessionId;
    // Such an agent's own first hook names the session and its transcript before it runs anything.
    this.#usage = new UsageTracker(this.#sessionId, transcriptReader, namesOwnSession === true);
    const { adapter, timeouts } = options;
    this.#core = initialCoreState(
      {
        policy: this.#policy,
        completion: adapter.completion,
        bypassesPermissions: adapter.bypassesPermissions,
        politeStop: adapter.politeStop !== undefined,
        resumed: resume !== undefined,
        verifyCommand: adapter.verify?.command,
        wallMs: timeouts.wallMs,
        idleMs: timeouts.idleMs,
      },
      this.#clock.now(),
    );
    this.#resume = resume;
  }

  async run(): Promise<{ outcome: Outcome; result: AgentResult }> {
    const outcome = new Promise<Outcome>((resolve) => (this.#settle = resolve));
    try {
      await this.#launch();
    } catch (error) {
      this.#releaseLaunch?.();
      // A full disk is the run's problem, not the task's: it stops the run, which resumes the task
      // once there is room, instead of failing a task that did nothing wrong.
      if (noSpaceError(error)) throw error;
      this.#serial({ type: 'launch-failed', message: errorMessage(error) });
    }
    const settled = await outcome;
    return { outcome: settled, result: await this.#result(settled) };
  }

  async #launch(): Promise<void> {
    this.#baseSha = this.#o.baseSha ?? (await this.#probe.headSha());
    // The gate covers the adapter's preparation (it may write the agent's config) and the start.
    if (this.#o.launchGate) {
      this.#releaseLaunch = await this.#o.launchGate.enter(this.#o.signal);
      if (!this.#releaseLaunch) {
        // Stopped while waiting for its turn: nothing was launched.
        this.#serial({ type: 'abort' });
        return;
      }
    }
    const { host, channel, spec } = await launchAgent(this.#o, this.#resume, (event) => this.#onChannelLine(event));
    this.#host = host;
    this.#channel = channel;
    this.#o.onHost?.(host);
    const unregister = this.#o.registry?.add(host);
    void host.exited.then((exit) => {
      unregister?.();
      this.#releaseLaunch?.();
      this.#serial({ type: 'exit', exitCode: exit.exitCode, signal: exit.signal });
    });
    this.#serial({ type: 'launched', argv: spec.argv, pid: host.pid });
    host.onOutput(() => {
      this.#serial({ type: 'output' });
      // Screen reads are throttled: one read shortly after a burst of output.
      if (this.#timers.has('read')) return;
      this.#schedule('read', T.SCREEN_READ_MS, () => this.#serial(() => this.#readScreen()));
    });
    this.#tick();
    const signal = this.#o.signal;
    const onAbort = (): void => this.#serial({ type: 'abort' });
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.#unsubscribeAbort = () => signal?.removeEventListener('abort', onAbort);
  }

  /**
   * A line of the hook channel. The status line's lines carry usage only: they never reach the
   * core, which would take them for the agent's activity. A hook's usage goes out before the hook,
   * so whoever sees a Stop already has the turn's tokens.
   */
  #onChannelLine(event: HookEvent): void {
    if (this.#o.adapter.namesOwnSession && !this.#ownSession(event.session_id)) return;
    if (event.hook_event_name === STATUS_LINE_EVENT) {
      this.#emitUsage(this.#usage.onStatus(event['status']));
      return;
    }
    if (event.hook_event_name === 'SessionStart') this.#releaseLaunch?.();
    this.#emitUsage(this.#usage.onHook(event));
    // Reported at once, even after the outcome (SessionEnd arrives while the session closes).
    this.#emit({ type: 'hook', event });
    this.#serial({ type: 'hook', event });
  }

  /**
   * For an agent that names its own session: the first hook's id becomes the session's (the agent's
   * own SessionStart comes before anything the agent does), reported so the run journals it; a line
   * naming any other id afterwards (a stray or hostile one) is not this session's.
   */
  #ownSession(id: string | undefined): boolean {
    if (this.#sessionId !== undefined) return id === this.#sessionId;
    if (!isAgentSessionId(id)) return false;
    this.#sessionId = id;
    this.#usage.adopt(id);
    this.#emit({ type: 'session', sessionId: id });
    return true;
  }

  /** Gives a status line still owed for the last turn its moment, so the launch's cost is complete. */
  async #statusLineSettled(): Promise<void> {
    if (!this.#usage.statusBehind || this.#host?.hasExited !== false) return;
    await Promise.race([this.#usage.nextStatus(), sleep(this.#clock, T.STATUS_LINE_SETTLE_MS)]);
  }

  #emitUsage(reading: UsageReading | undefined): void {
    if (reading) this.#emit({ type: 'usage', reading });
  }

  /** Re-reads the screen now and then even without output, for time-based decisions. */
  #tick(): void {
    this.#schedule('tick', T.SCREEN_TICK_MS, () => {
      this.#serial(() => this.#readScreen());
      this.#tick();
    });
  }

  async #readScreen(): Promise<CoreInput | undefined> {
    const host = this.#host;
    const rules = this.#o.adapter.screenRules;
    if (this.#core.outcome || !host || host.hasExited) return undefined;
    await host.screen.settled();
    const lines = host.screen.visibleLines();
    const activity = rules?.summarize(lines) ?? host.screen.lastMeaningfulLine();
    return { type: 'screen', activity, screen: rules?.classify(lines, new Date(this.#clock.now())) };
  }

  // ---- the core's loop ----------------------------------------------------------------------------

  /** Inputs are handled one at a time, in arrival order: no decision interleaves with another. */
  #serial(queued: Queued): void {
    this.#queue = this.#queue
      .then(async () => {
        const input = typeof queued === 'function' ? await queued() : queued;
        if (input) await this.#feed(input);
      })
      .catch((error: unknown) => this.#feed({ type: 'host-failure', reason: hostFailure(error) }))
      .catch(() => undefined);
  }

  /** Steps the core, then carries out its effects in order; a request's answer is stepped at once. */
  async #feed(input: CoreInput): Promise<void> {
    const { state, effects } = step(this.#core, input, this.#clock.now());
    this.#core = state;
    for (const effect of effects) {
      const answer = await this.#perform(effect);
      if (answer) await this.#feed(answer);
    }
  }

  async #perform(effect: CoreEffect): Promise<CoreInput | undefined> {
    // What the exit judgement counted stays true only while nothing can run in the worktree again.
    if (!KEEPS_EXIT_COMMITS.has(effect.type)) this.#exitCommits = undefined;
    const host = this.#host;
    const { adapter, task } = this.#o;
    switch (effect.type) {
      case 'emit':
        this.#emit(effect.event);
        return undefined;
      case 'keys':
        for (const key of effect.keys) host?.sendKey(key);
        return undefined;
      case 'line':
        await host?.sendLine(effect.text);
        return undefined;
      case 'set-timer':
        this.#schedule(effect.name, Math.max(0, effect.dueAt - this.#clock.now()), () => this.#serial({ type: 'timer', name: effect.name, dueAt: effect.dueAt }));
        return undefined;
      case 'clear-timer':
        this.#cancel(effect.name);
        return undefined;
      case 'stop-agent':
        await this.#statusLineSettled();
        this.#close();
        if (host) this.#finalScreen = await stopAgent(host, adapter, effect.polite);
        this.#channel?.stop();
        return undefined;
      case 'settle':
        this.#close();
        this.#emitUsage(this.#usage.flush());
        this.#settle?.(effect.outcome);
        return undefined;
      case 'classify':
        if (effect.afterMs > 0) await sleep(this.#clock, effect.afterMs);
        return { type: 'classified', ...(await this.#classifyNow()) };
      case 'probe-turn': {
        const newCommits = (await this.#probe.commitsSince(this.#baseSha)).length;
        return { type: 'turn-facts', dirty: await this.#probe.isDirty(), newCommits };
      }
      case 'commit':
        return { type: 'committed', sha: await this.#probe.commitAll(effect.message) };
      case 'wait-input-box': {
        if (!host || host.hasExited) return { type: 'input-ready', hostAlive: false };
        await waitForInputBox(host, adapter.screenRules, this.#clock, () => this.#core.outcome !== undefined);
        return { type: 'input-ready', hostAlive: !host.hasExited };
      }
      case 'judge-exit': {
        const judgement = await judgeCommandExit(effect.exitCode, effect.signal, this.#probe, this.#baseSha, this.#policy.commitPolicy);
        this.#exitCommits = judgement.commits;
        return { type: 'exit-judged', judgement };
      }
      case 'verify': {
        const verify = adapter.verify;
        if (!verify) return { type: 'verified', result: { status: 'failed', reason: 'no verify command' } };
        const verified = await verifyCommandWork(verify, task, { signal: this.#o.signal, tracker: this.#o.registry });
        return { type: 'verified', result: verified === 'interrupted' ? verified : { status: verified.status, reason: verified.reason } };
      }
      case 'check-worktree': {
        const exists = existsSync(task.worktree);
        const containsBase = !exists || !effect.needsBase || !this.#baseSha || (await this.#probe.headContains(this.#baseSha).catch(() => false));
        return { type: 'worktree-checked', exists, containsBase };
      }
    }
  }

  /** Looks at the screen as it is now (a hook can arrive before the throttled read). */
  async #classifyNow(): Promise<{ screen: CoreState['screen'] | undefined; lastLine: string | undefined }> {
    const rules = this.#o.adapter.screenRules;
    const host = this.#host;
    if (!host) return { screen: undefined, lastLine: undefined };
    await host.screen.settled();
    const screen = rules?.classify(host.screen.visibleLines(), new Date(this.#clock.now()));
    return { screen, lastLine: host.screen.lastMeaningfulLine() };
  }

  // ---- timers -------------------------------------------------------------------------------------

  #schedule(name: TimerName | 'tick' | 'read', ms: number, fn: () => void): void {
    this.#cancel(name);
    // After the end nothing is armed: a late input must not keep the process alive for an hour.
    if (this.#closed) return;
    this.#timers.set(
      name,
      this.#clock.setTimer(ms, () => {
        this.#timers.delete(name);
        fn();
      }),
    );
  }

  #cancel(name: TimerName | 'tick' | 'read'): void {
    this.#timers.get(name)?.();
    this.#timers.delete(name);
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#releaseLaunch?.();
    this.#unsubscribeAbort?.();
    for (const name of [...this.#timers.keys()]) this.#cancel(name);
  }

  // ---- the result ---------------------------------------------------------------------------------

  async #result(outcome: Outcome): Promise<AgentResult> {
    const screenPath = this.#host ? await closeAgent(this.#host, this.#files.finalScreen, this.#finalScreen) : undefined;
    return {
      status: outcome.status === 'relaunch-resume' ? 'failed' : outcome.status,
      reason: outcome.reason,
      sessionId: this.#sessionId,
      lastMessage: this.#core.lastMessage,
      screenPath,
      commits: this.#exitCommits ?? (this.#baseSha ? await this.#probe.commitsSince(this.#baseSha).catch(() => []) : []),
      transcriptPath: this.#core.transcriptPath,
      rawLogPath: this.#files.rawLog,
      sessionNotFound: this.#core.sessionNotFound,
    };
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
  const last =
    message
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .at(-1) ?? '';
  return `git failed in its worktree: ${last}`;
}
