import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRunView, RunStore, type RunView, type UiIntent } from '../../src/ui/store.js';
import { ThrottledSource } from '../../src/ui/throttled-source.js';
import { midWaveOne, stateOf } from './helpers/journal.js';

const view = (): RunView => createRunView(stateOf(midWaveOne()), { concurrency: 3, startedAtMs: 0 });
const withRunning =
  (n: number) =>
  (v: RunView): RunView => ({ ...v, concurrency: n });

describe('RunStore', () => {
  it('notifies subscribers of each new snapshot, and not of an unchanged one', () => {
    const store = new RunStore(view(), () => {});
    const seen: number[] = [];
    const unsubscribe = store.subscribe(() => seen.push(store.getSnapshot().concurrency));
    store.update(withRunning(2));
    store.update((v) => v);
    store.update(withRunning(3));
    unsubscribe();
    store.update(withRunning(1));
    expect(seen).toEqual([2, 3]);
    expect(store.getSnapshot().concurrency).toBe(1);
  });

  it('forwards intents to the runner', () => {
    const intents: UiIntent[] = [];
    const store = new RunStore(view(), (intent) => void intents.push(intent));
    store.dispatch({ type: 'stop-task', taskId: 'a' });
    expect(intents).toEqual([{ type: 'stop-task', taskId: 'a' }]);
  });
});

describe('ThrottledSource', () => {
  afterEach(() => vi.useRealTimers());

  it('shows the first change at once and coalesces the rest into one per interval', () => {
    vi.useFakeTimers();
    const store = new RunStore(view(), () => {});
    const throttled = new ThrottledSource(store, 100);
    const published: number[] = [];
    throttled.subscribe(() => published.push(throttled.getSnapshot().concurrency));
    for (let n = 1; n <= 50; n++) store.update(withRunning(n));
    expect(published).toEqual([1]);
    vi.advanceTimersByTime(99);
    expect(published).toEqual([1]);
    vi.advanceTimersByTime(1);
    expect(published).toEqual([1, 50]);
    vi.advanceTimersByTime(1000);
    expect(published).toEqual([1, 50]);
    store.update(withRunning(7));
    expect(published).toEqual([1, 50, 7]);
  });

  it('catches a change made before the first subscriber, and stops its timer when the last one leaves', () => {
    vi.useFakeTimers();
    const store = new RunStore(view(), () => {});
    const throttled = new ThrottledSource(store, 100);
    store.update(withRunning(5));
    const unsubscribe = throttled.subscribe(() => {});
    expect(throttled.getSnapshot().concurrency).toBe(5);
    store.update(withRunning(6));
    unsubscribe();
    expect(vi.getTimerCount()).toBe(0);
  });
});
