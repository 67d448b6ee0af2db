import type { RunSettings, TaskSettings } from './types.js';

/** Defaults for every setting, as documented in the README. */
export const DEFAULT_TASK_SETTINGS: TaskSettings = {
  agent: { kind: 'claude', command: ['claude'] },
  // Lets the agent edit files without asking; shell commands still go through permissionPrompt.
  permissionMode: 'acceptEdits',
  // Unattended and safe: a question nobody will answer is refused, and the agent finds another way.
  permissionPrompt: 'deny',
  allowedTools: [],
  model: undefined,
  setup: undefined,
  verify: undefined,
  timeout: 60 * 60_000,
  idleTimeout: 10 * 60_000,
  retries: 1,
  nudges: 2,
  // Opt-in: it needs bubblewrap and socat on Linux, and it changes what a command may do.
  sandbox: undefined,
  taskBudget: undefined,
};

export const DEFAULT_RUN_SETTINGS: RunSettings = {
  base: undefined,
  // Each Claude Code takes ~400 MB and shares one account's rate limit: modest by default.
  concurrency: 4,
  features: 'feature-management/features',
  worktrees: undefined,
  test: undefined,
  // One more run before a failure counts: a flaky test or a busy machine must not switch the
  // gate off for a wave, nor blame a task for nothing.
  testRetries: 1,
  // A test suite or an install that runs longer than this is stuck, not slow: fail it, go on.
  commandTimeout: 30 * 60_000,
  copy: [],
  land: true,
  merge: { gate: 'auto', onConflict: 'agent' },
  retro: { enabled: true, dir: 'waves/retros', agent: false },
  budget: undefined,
  // The last few percent of a subscription's window are left for the person at the keyboard.
  fiveHourPause: 95,
  notify: undefined,
  maxWaveSize: undefined,
};
