import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { planRepo, type PlanRepo } from './plan-repo.js';

/**
 * A command agent that commits `<task>.txt`, except that the tasks named in `$FAIL_TASKS` exit 3
 * until a file `fixed-<task>` exists next to the repository. While `hold-<task>` exists there, the
 * task waits.
 */
const AGENT = [
  'while [ -e "$FIXED_DIR/hold-$CCWAVE_TASK_ID" ]; do sleep 0.1; done',
  'if echo " $FAIL_TASKS " | grep -q " $CCWAVE_TASK_ID " && [ ! -e "$FIXED_DIR/fixed-$CCWAVE_TASK_ID" ]; then exit 3; fi',
  'echo "$CCWAVE_TASK_ID" > "$CCWAVE_TASK_ID.txt"',
  'git add "$CCWAVE_TASK_ID.txt"',
  'git commit -qm "Add $CCWAVE_TASK_ID"',
].join('\n');

export interface FailingRepo {
  repo: PlanRepo;
  /** For the CLI: tasks b and d fail until fixed. */
  env: NodeJS.ProcessEnv;
  /** Where the `fixed-<task>` and `hold-<task>` files go. */
  fixedDir: string;
  fix(task: string): void;
}

/** A real repository whose plan's tasks are played by the command agent above. */
export function failingRepo(waves: string[][], settings: Record<string, unknown> = {}): FailingRepo {
  const repo = planRepo(
    waves.map((ids) => ids.map((id) => ({ id }))),
    { agent: { kind: 'command', command: AGENT }, retries: 0, ...settings },
  );
  const fixedDir = path.dirname(repo.dir);
  return {
    repo,
    env: { FAIL_TASKS: 'b d', FIXED_DIR: fixedDir },
    fixedDir,
    fix: (task) => writeFileSync(path.join(fixedDir, `fixed-${task}`), ''),
  };
}

/** The ids of the repository's runs, oldest first. */
export function runIds(repo: PlanRepo): string[] {
  const runs = path.join(repo.dir, '.git/ccwave/runs');
  return existsSync(runs) ? readdirSync(runs).sort() : [];
}
