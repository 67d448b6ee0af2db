import { systemClock, type TimerClock } from '../agent/deadline.js';
import { formatSettingDuration } from '../format/duration.js';
import type { NotifyEvent } from '../plan/notify-setting.js';
import type { Notification } from './notify-message.js';

/** One place notifications go: the user's command, or one webhook. */
export interface NotifyTarget {
  /** How it is named in messages and the journal: the command, or the webhook's host. Never a secret. */
  readonly label: string;
  /** Delivers, or rejects with why not; gives up when `signal` aborts. */
  send(notification: Notification, signal: AbortSignal): Promise<void>;
}

export interface NotifyTiming {
  /** How long one try may take. */
  attemptMs: number;
  /** The pause before the one retry: a receiver that hiccuped gets a moment. */
  retryDelayMs: number;
  /** How long the run's end waits for deliveries still under way. */
  endWaitMs: number;
}

export interface NotifyFailure {
  notification: NotifyEvent;
  target: string;
  error: string;
}

/** The first try and one retry. */
const ATTEMPTS = 2;
/** An error message from a receiver or a command is cut to this for the journal and the screen. */
const MAX_ERROR = 300;

interface Slot {
  target: NotifyTarget;
  /** Deliveries to this target, one after another, so they arrive in order. */
  chain: Promise<void>;
  /** Events queued or under way, oldest first. */
  pending: NotifyEvent[];
  /** A failure was reported: one is enough to tell a person that this target does not work. */
  failed: boolean;
}

/**
 * Delivers notifications to each target in the background, never holding up or failing the run:
 * each try is bounded, one retry follows a failure, and a delivery that still fails is reported
 * (once per target). `close` waits a bounded time for what is under way, then gives up on it.
 */
export class NotifyQueue {
  readonly #slots: Slot[];
  readonly #onFailure: (failure: NotifyFailure) => void;
  readonly #timing: NotifyTiming;
  readonly #clock: TimerClock;
  readonly #closing = new AbortController();
  #closed = false;

  constructor(targets: NotifyTarget[], onFailure: (failure: NotifyFailure) => void, timing: NotifyTiming, clock: TimerClock = systemClock) {
    this.#slots = targets.map((target) => ({ target, chain: Promise.resolve(), pending: [], failed: false }));
    this.#onFailure = onFailure;
    this.#timing = timing;
    this.#clock = clock;
  }

  /** Queues `notification` for every target and returns at once. */
  send(notification: Notification): void {
    if (this.#closed) return;
    for (const slot of this.#slots) {
      slot.pending.push(notification.event);
      slot.chain = slot.chain
        .then(() => this.#deliver(slot, notification))
        .catch(() => undefined)
        .finally(() => slot.pending.shift());
    }
  }

  /**
   * Waits until everything queued is delivered or has failed, for at most `endWaitMs` (or until
   * `now` aborts: a person asked to stop at once); what is still waiting then is given up and
   * reported, once per target that had not failed yet.
   */
  async close(now?: AbortSignal): Promise<void> {
    if (this.#closed) return;
    let cancel = (): void => undefined;
    let onNow = (): void => undefined;
    /** Why what is left was given up, given how many were left ("2 notifications"). */
    type GivenUp = (left: string) => string;
    const givenUp = await Promise.race([
      Promise.all(this.#slots.map((slot) => slot.chain)).then(() => undefined),
      new Promise<GivenUp>((resolve) => {
        cancel = this.#clock.setTimer(this.#timing.endWaitMs, () =>
          resolve((left) => `not delivered when the run ended (${left} still waiting after ${formatSettingDuration(this.#timing.endWaitMs)})`),
        );
        onNow = () => resolve((left) => `not delivered: the run was stopped at once (${left} waiting)`);
        if (now?.aborted) onNow();
        else now?.addEventListener('abort', onNow, { once: true });
      }),
    ]);
    cancel();
    now?.removeEventListener('abort', onNow);
    this.#closed = true;
    if (givenUp === undefined) return;
    for (const slot of this.#slots) {
      if (slot.pending.length === 0 || slot.failed) continue;
      const left = slot.pending.length;
      this.#report(slot, slot.pending[0]!, givenUp(`${left} notification${left === 1 ? '' : 's'}`));
    }
    this.#closing.abort();
  }

  async #deliver(slot: Slot, notification: Notification): Promise<void> {
    let error = '';
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      if (this.#closing.signal.aborted) return;
      if (attempt > 1) await this.#pause(this.#timing.retryDelayMs);
      if (this.#closing.signal.aborted) return;
      const outcome = await this.#attempt(slot.target, notification);
      if (outcome === undefined) return;
      error = outcome;
    }
    if (!this.#closed) this.#report(slot, notification.event, error);
  }

  /** One try: undefined when delivered, else why not. Bounded whatever the target does. */
  #attempt(target: NotifyTarget, notification: Notification): Promise<string | undefined> {
    const controller = new AbortController();
    return new Promise((resolve) => {
      let settled = false;
      const finish = (error: string | undefined): void => {
        if (settled) return;
        settled = true;
        cancelTimer();
        this.#closing.signal.removeEventListener('abort', onClose);
        controller.abort();
        resolve(error);
      };
      const onClose = (): void => finish('the run ended');
      const cancelTimer = this.#clock.setTimer(this.#timing.attemptMs, () => finish(`no answer within ${formatSettingDuration(this.#timing.attemptMs)}`));
      this.#closing.signal.addEventListener('abort', onClose, { once: true });
      let sending: Promise<void>;
      try {
        sending = target.send(notification, controller.signal);
      } catch (error) {
        sending = Promise.reject(error as Error);
      }
      sending.then(
        () => finish(undefined),
        (error: unknown) => finish(error instanceof Error ? error.message : String(error)),
      );
    });
  }

  #pause(ms: number): Promise<void> {
    const closing = this.#closing.signal;
    return new Promise((resolve) => {
      const done = (): void => {
        cancel();
        closing.removeEventListener('abort', done);
        resolve();
      };
      const cancel = this.#clock.setTimer(ms, done);
      closing.addEventListener('abort', done, { once: true });
    });
  }

  #report(slot: Slot, notification: NotifyEvent, error: string): void {
    if (slot.failed) return;
    slot.failed = true;
    const flat = error.replace(/\s+/g, ' ').trim() || 'failed';
    try {
      this.#onFailure({ notification, target: slot.target.label, error: flat.length > MAX_ERROR ? `${flat.slice(0, MAX_ERROR - 1)}…` : flat });
    } catch {
      // Telling about a failed notification must not fail the run either (a full disk, say).
    }
  }
}
