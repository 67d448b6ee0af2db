import type { ExitJudgement } from '../../../src/agent/exit-judgement.js';
import type { HookEvent } from '../../../src/agent/hook-event.js';
import type { ScreenClass } from '../../../src/agent/screen-class.js';
import { initialCoreState, step } from '../../../src/agent/session-core.js';
import { isRequest, type CoreConfig, type CoreEffect, type CoreInput, type CoreState, type RequestEffect } from '../../../src/agent/session-core-types.js';
import { DEFAULT_POLICY, type AgentPolicy, type AgentStatus } from '../../../src/agent/session-types.js';

/** What the outside world answers when the core asks (plain data; a queue where a turn needs a new answer). */
export interface World {
  /** The screen as it is now (classify answers with it); `show` changes it. */
  screen?: ScreenClass | undefined;
  lastLine?: string;
  /** One per turn end, in order; the last one repeats. */
  turnFacts?: Array<{ dirty: boolean; newCommits: number }>;
  commitSha?: string;
  hostAlive?: boolean;
  judgement?: ExitJudgement;
  verified?: { status: AgentStatus; reason: string } | 'interrupted';
  worktreeExists?: boolean;
  containsBase?: boolean;
}

export type Step =
  /** Move the fake clock to this ms (firing the timers due on the way), then feed the input. */
  | [atMs: number, input: CoreInput]
  /** The screen changes to this and is read. */
  | [atMs: number, 'show', screen: ScreenClass, activity?: string]
  /** Only move the clock. */
  | [atMs: number, 'tick'];

export interface CoreCase {
  config?: Partial<Omit<CoreConfig, 'policy'>> & { policy?: Partial<AgentPolicy> };
  world?: World;
  steps: Step[];
}

/** Steps the pure core with a fake clock in ms, answering its requests from `world`. */
export class CoreDriver {
  state: CoreState;
  now = 0;
  readonly effects: CoreEffect[] = [];
  /** The fake clock's time when each effect was given. */
  readonly times: number[] = [];
  readonly requests: Array<RequestEffect['type']> = [];
  readonly #world: World;
  #turnEnds = 0;

  constructor(c: CoreCase['config'] = {}, world: World = {}) {
    const { policy, ...rest } = c;
    this.#world = { ...world };
    this.state = initialCoreState(
      {
        policy: { ...DEFAULT_POLICY, ...policy },
        completion: 'session',
        bypassesPermissions: false,
        politeStop: true,
        resumed: false,
        verifyCommand: undefined,
        wallMs: 60_000,
        idleMs: 20_000,
        ...rest,
      },
      0,
    );
  }

  static run(c: CoreCase): CoreDriver {
    const driver = new CoreDriver(c.config, c.world);
    for (const s of c.steps) driver.play(s);
    return driver;
  }

  play(s: Step): void {
    this.advanceTo(s[0]);
    if (s[1] === 'tick') return;
    if (s[1] === 'show') {
      this.#world.screen = s[2];
      this.feed({ type: 'screen', screen: s[2], activity: s[3] });
      return;
    }
    this.feed(s[1]);
  }

  /** The fake clock: fires every armed timer due by `ms`, earliest first, at its due time. */
  advanceTo(ms: number): void {
    for (;;) {
      const due = Object.entries(this.state.timers)
        .filter(([, at]) => at !== undefined && at <= ms)
        .sort((a, b) => a[1]! - b[1]!)[0];
      if (!due || this.settled()) break;
      this.now = Math.max(this.now, due[1]!);
      this.feed({ type: 'timer', name: due[0] as never, dueAt: due[1]! });
    }
    this.now = Math.max(this.now, ms);
  }

  feed(input: CoreInput): void {
    // Pure: a step that wrote into the state it was given would throw on the frozen one.
    const { state, effects } = step(deepFreeze(this.state), input, this.now);
    this.state = state;
    effects.forEach((effect, i) => {
      // The shell answers a request before anything else: nothing may follow it in one step.
      if (i < effects.length - 1 && isRequest(effect)) throw new Error(`${effect.type} is not the last effect of its step`);
    });
    for (const effect of effects) {
      this.effects.push(effect);
      this.times.push(this.now);
      if (!isRequest(effect)) continue;
      this.requests.push(effect.type);
      this.feed(this.#answer(effect));
    }
  }

  #answer(effect: RequestEffect): CoreInput {
    const w = this.#world;
    switch (effect.type) {
      case 'classify':
        this.now += effect.afterMs;
        return { type: 'classified', screen: w.screen, lastLine: w.lastLine };
      case 'probe-turn': {
        const facts = w.turnFacts ?? [{ dirty: false, newCommits: 1 }];
        return { type: 'turn-facts', ...facts[Math.min(this.#turnEnds++, facts.length - 1)]! };
      }
      case 'commit':
        return { type: 'committed', sha: w.commitSha ?? 'c0ffee' };
      case 'wait-input-box':
        return { type: 'input-ready', hostAlive: w.hostAlive ?? true };
      case 'judge-exit':
        return { type: 'exit-judged', judgement: w.judgement ?? { status: 'done', reason: '1 commit(s), clean worktree' } };
      case 'verify':
        return { type: 'verified', result: w.verified ?? { status: 'done', reason: 'verify passed' } };
      case 'check-worktree':
        return { type: 'worktree-checked', exists: w.worktreeExists ?? true, containsBase: effect.needsBase ? (w.containsBase ?? true) : true };
    }
  }

  settled(): boolean {
    return this.effects.some((e) => e.type === 'settle');
  }

  /** Actions as the PTY tests' event log shows them: `action: detail`. */
  actions(): string[] {
    return this.effects.flatMap((e) => (e.type === 'emit' && e.event.type === 'action' ? [`${e.event.action}${e.event.detail ? `: ${e.event.detail}` : ''}`] : []));
  }

  inputs(): string[] {
    return this.actions()
      .filter((a) => a.startsWith('input: '))
      .map((a) => a.slice('input: '.length));
  }

  lines(): string[] {
    return this.effects.flatMap((e) => (e.type === 'line' ? [e.text] : []));
  }

  keys(): string[] {
    return this.effects.flatMap((e) => (e.type === 'keys' ? e.keys : []));
  }

  states(): string[] {
    return this.effects.flatMap((e) => (e.type === 'emit' && e.event.type === 'state' ? [e.event.state.kind] : []));
  }

  /** When each line was typed, in ms of the fake clock. */
  lineTimes(): number[] {
    return this.effects.flatMap((e, i) => (e.type === 'line' ? [this.times[i]!] : []));
  }

  outcome(): { status: string; reason: string } | undefined {
    const settle = this.effects.find((e) => e.type === 'settle');
    return settle?.type === 'settle' ? settle.outcome : undefined;
  }
}

export const hook = (hook_event_name: string, fields: Partial<HookEvent> = {}): CoreInput => ({ type: 'hook', event: { hook_event_name, ...fields } });
export const launched: CoreInput = { type: 'launched', argv: ['claude'], pid: 42 };
export const busy: ScreenClass = { kind: 'busy' };
export const idle: ScreenClass = { kind: 'idle', interrupted: false };
export const usageLimit = (resetAt: number | undefined): ScreenClass => ({
  kind: 'usage-limit',
  resetAt: resetAt === undefined ? undefined : new Date(resetAt),
  detail: 'usage limit reached',
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
