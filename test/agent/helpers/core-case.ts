import { expect } from 'vitest';
import { CoreDriver, type CoreCase } from './core-driver.js';

/** One row of a core table: the script, and what must come out of it. */
export interface CoreRow extends CoreCase {
  name: string;
  /** The end; undefined: the session must still run. */
  outcome?: { status: string; reason: string | RegExp } | undefined;
  /** Every one of these actions, in this order (others may come between). */
  actions?: string[];
  /** None of the actions starts with any of these. */
  noActions?: string[];
  /** The messages typed, exactly. */
  inputs?: string[];
  keys?: string[];
  /** The state kinds emitted, exactly. */
  states?: string[];
  /** Anything else, about the driver at the end. */
  check?: (d: CoreDriver) => void;
}

export function playRow(row: CoreRow): CoreDriver {
  const d = CoreDriver.run(row);
  if ('outcome' in row) {
    if (row.outcome === undefined) expect(d.outcome()).toBeUndefined();
    else expect(d.outcome()).toEqual({ status: row.outcome.status, reason: row.outcome.reason instanceof RegExp ? expect.stringMatching(row.outcome.reason) : row.outcome.reason });
  }
  if (row.actions) {
    const seen = d.actions();
    let from = 0;
    for (const action of row.actions) {
      const at = seen.indexOf(action, from);
      expect(at, `${action} (in order) among ${JSON.stringify(seen)}`).toBeGreaterThanOrEqual(0);
      from = at + 1;
    }
  }
  for (const prefix of row.noActions ?? []) expect(d.actions().filter((a) => a.startsWith(prefix))).toEqual([]);
  if (row.inputs) expect(d.inputs()).toEqual(row.inputs);
  if (row.inputs) expect(d.lines()).toEqual(row.inputs);
  if (row.keys) expect(d.keys()).toEqual(row.keys);
  if (row.states) expect(d.states()).toEqual(row.states);
  row.check?.(d);
  return d;
}
