import { EXIT } from '../errors.js';

/** What the registry needs of a live agent: its process group can be killed synchronously. */
export interface KillableGroup {
  readonly pid: number;
  signalGroup(signal: NodeJS.Signals): void;
}

/**
 * The live agent PTYs of this ccwave process, so none outlives it. The runner creates one and calls
 * `installProcessCleanup`; nothing is installed at import time.
 */
export class PtyRegistry {
  readonly #live = new Set<KillableGroup>();

  add(group: KillableGroup): () => void {
    this.#live.add(group);
    return () => this.#live.delete(group);
  }

  get size(): number {
    return this.#live.size;
  }

  /** Synchronous on purpose: it runs inside `process.on('exit')`, where nothing async happens. */
  killAll(signal: NodeJS.Signals = 'SIGKILL'): void {
    for (const group of this.#live) group.signalGroup(signal);
    this.#live.clear();
  }
}

const SIGNAL_EXIT_CODES: Record<'SIGINT' | 'SIGTERM' | 'SIGHUP', number> = {
  SIGINT: EXIT.interrupted,
  SIGTERM: 128 + 15,
  SIGHUP: 128 + 1,
};

/**
 * Kills every live PTY's process group when ccwave exits, is interrupted or terminated, or dies
 * of an uncaught error. Returns a function that removes the handlers again.
 *
 * On a signal the handler kills the agents and exits with 128+signal: a runner that wants a
 * graceful shutdown (journal flush, polite stops) installs its own signal handling instead and
 * passes `{ signals: false }`.
 */
export function installProcessCleanup(registry: PtyRegistry, options: { signals?: boolean } = {}): () => void {
  const onExit = (): void => registry.killAll();
  // The monitor variant observes the error without changing how Node reports it.
  const onFatal = (): void => registry.killAll();
  const onSignal = (signal: NodeJS.Signals): void => {
    registry.killAll();
    process.exit(SIGNAL_EXIT_CODES[signal as keyof typeof SIGNAL_EXIT_CODES] ?? EXIT.interrupted);
  };
  process.on('exit', onExit);
  process.on('uncaughtExceptionMonitor', onFatal);
  const signals = options.signals === false ? [] : (Object.keys(SIGNAL_EXIT_CODES) as NodeJS.Signals[]);
  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    process.off('exit', onExit);
    process.off('uncaughtExceptionMonitor', onFatal);
    for (const signal of signals) process.off(signal, onSignal);
  };
}
