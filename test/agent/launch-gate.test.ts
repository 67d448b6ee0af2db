import { describe, expect, it } from 'vitest';
import { LaunchGate, type LaunchRelease } from '../../src/agent/launch-gate.js';
import { manualClock } from './helpers/manual-clock.js';

/** Enters the gate and notes the order in which launches are let through. */
function enterNoted(gate: LaunchGate, name: string, through: string[], signal?: AbortSignal): Promise<LaunchRelease | undefined> {
  return gate.enter(signal).then((release) => {
    if (release) through.push(name);
    return release;
  });
}

/** Lets every promise callback that is ready run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('launch gate', () => {
  it('lets one launch through at a time, in arrival order, each when the one before releases', async () => {
    const gate = new LaunchGate(2_000, manualClock());
    const through: string[] = [];
    const a = enterNoted(gate, 'a', through);
    const b = enterNoted(gate, 'b', through);
    const c = enterNoted(gate, 'c', through);
    await settle();
    expect(through).toEqual(['a']);
    (await a)!();
    await settle();
    expect(through).toEqual(['a', 'b']);
    (await b)!();
    await settle();
    expect(through).toEqual(['a', 'b', 'c']);
    (await c)!();
    // Free again: the next launch goes straight through.
    await enterNoted(gate, 'd', through);
    expect(through).toEqual(['a', 'b', 'c', 'd']);
  });

  it('lets the next launch through at the cap when one never reports that it started', async () => {
    const clock = manualClock();
    const gate = new LaunchGate(2_000, clock);
    const through: string[] = [];
    void enterNoted(gate, 'silent', through);
    const next = enterNoted(gate, 'next', through);
    await settle();
    expect(through).toEqual(['silent']);
    expect(clock.armed()).toEqual([2_000]);
    clock.fireAll();
    await next;
    expect(through).toEqual(['silent', 'next']);
    // The cap is per launch: the one now holding the gate has its own.
    expect(clock.armed()).toEqual([2_000]);
  });

  it('ignores a late or repeated release: an agent reporting SessionStart again cannot let a third launch past the second', async () => {
    const clock = manualClock();
    const gate = new LaunchGate(2_000, clock);
    const through: string[] = [];
    const first = await enterNoted(gate, 'first', through);
    void enterNoted(gate, 'second', through);
    void enterNoted(gate, 'third', through);
    first!();
    await settle();
    expect(through).toEqual(['first', 'second']);
    first!();
    first!();
    await settle();
    expect(through).toEqual(['first', 'second']);
  });

  it('skips a launch stopped while it waits, which then holds nobody up', async () => {
    const gate = new LaunchGate(2_000, manualClock());
    const through: string[] = [];
    const first = await enterNoted(gate, 'first', through);
    const stop = new AbortController();
    const stopped = enterNoted(gate, 'stopped', through, stop.signal);
    const last = enterNoted(gate, 'last', through);
    stop.abort();
    expect(await stopped).toBeUndefined();
    first!();
    await last;
    expect(through).toEqual(['first', 'last']);
    // Already stopped before it asks: not let through at all.
    expect(await gate.enter(AbortSignal.abort())).toBeUndefined();
  });
});
