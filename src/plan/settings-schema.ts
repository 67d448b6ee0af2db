import { z } from 'zod';
import { parseDuration } from './duration.js';
import { baseBranchProblem } from './base-branch.js';
import { parseTokenCount, parseUsdAmount } from './budget-values.js';
import { NOTIFY_EXPECTED, notifySchema } from './notify-setting.js';

/**
 * The settings a plan can hold, as zod schemas over the raw YAML. Each key also has a plain
 * description of what it expects, used in error messages and `ccwave validate`.
 */

const duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = typeof value === 'string' ? parseDuration(value) : undefined;
  if (ms === undefined || ms <= 0) {
    ctx.addIssue({
      code: 'custom',
      message: typeof value === 'number' ? `a bare number has no unit` : `"${value}" is not a duration`,
    });
    return z.NEVER;
  }
  return ms;
});

const tokenBudget = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const count = parseTokenCount(value);
  if (count === undefined) {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)} is not a token count` });
    return z.NEVER;
  }
  return count;
});

const usdBudget = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const usd = parseUsdAmount(value);
  if (usd === undefined) {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)} is not an amount of dollars` });
    return z.NEVER;
  }
  return usd;
});

/** Dollars (Claude Code's estimate) and/or tokens; whichever is reached first counts. */
const budget = z.strictObject({ usd: usdBudget.optional(), tokens: tokenBudget.optional() }).superRefine((value, ctx) => {
  if (value.usd === undefined && value.tokens === undefined) ctx.addIssue({ code: 'custom', message: 'a budget needs usd, tokens or both' });
});

const argv = z.array(z.string().min(1)).min(1);

/** `claude`, `codex`, a shell command string, an argv list, or `{ kind, command }`. */
const agent = z.union([
  z.string().min(1),
  argv,
  z.strictObject({ kind: z.literal('claude'), command: z.union([z.string().min(1), argv]).optional() }),
  z.strictObject({ kind: z.literal('codex'), command: z.union([z.string().min(1), argv]).optional() }),
  z.strictObject({ kind: z.literal('command'), command: z.union([z.string().min(1), argv]) }),
]);

/**
 * A permission mode is one word; which words Claude accepts depends on its version, so the
 * installed program is asked at `validate` and at the start of a run (src/agent/claude/permission-modes.ts).
 */
const permissionMode = z.string().regex(/^[A-Za-z]+$/, { message: 'a mode is one word of letters' });

/** `*.example.com` or `registry.npmjs.org`, optionally with a port. */
const domain = z.string().regex(/^(\*\.)?[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::\d{1,5})?$/, {
  message: 'a domain is a host name like registry.npmjs.org or *.github.com',
});

/** Settings that may differ per task: in WAVES.md for all tasks, or in a PROMPT.md for one. */
export const taskSettingsShape = {
  agent,
  permissionMode,
  permissionPrompt: z.enum(['approve', 'deny', 'wait']),
  allowedTools: z.array(z.string().min(1)),
  model: z.string().min(1),
  setup: z.string().min(1),
  verify: z.string().min(1),
  timeout: duration,
  idleTimeout: duration,
  retries: z.number().int().min(0).max(10),
  nudges: z.number().int().min(0).max(10),
  sandbox: z.union([z.boolean(), z.strictObject({ network: z.array(domain).optional() })]),
  taskBudget: budget,
};

/** Settings for the whole run: only in WAVES.md front matter. */
export const runSettingsShape = {
  base: z
    .string()
    .min(1)
    .superRefine((value, ctx) => {
      const problem = baseBranchProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: `"${value}" is not a branch name: it ${problem}` });
    }),
  concurrency: z.number().int().min(1).max(64),
  features: z.string().min(1),
  worktrees: z.string().min(1),
  test: z.string().min(1),
  testRetries: z.number().int().min(0).max(5),
  commandTimeout: duration,
  copy: z.array(z.string().min(1)),
  land: z.boolean(),
  merge: z.strictObject({
    gate: z.enum(['each', 'batch', 'auto']).optional(),
    onConflict: z.enum(['agent', 'skip', 'stop']).optional(),
  }),
  retro: z.union([z.boolean(), z.strictObject({ dir: z.string().min(1).optional(), agent: z.boolean().optional() })]),
  budget,
  fiveHourPause: z.union([z.literal(false), z.number().min(1).max(100)]),
  notify: notifySchema,
  maxWaveSize: z.number().int().min(1).max(1000),
};

/** Read by `ccwave plan` only; a run ignores them, but a PROMPT.md may carry them. */
export const planningShape = {
  priority: z.enum(['P0', 'P1', 'P2', 'P3']),
};

export const planSettingsSchema = z.strictObject({ ...runSettingsShape, ...taskSettingsShape }).partial();
export const promptSettingsSchema = z.strictObject({ ...taskSettingsShape, ...planningShape }).partial();

export type PlanSettingsInput = z.output<typeof planSettingsSchema>;
export type PromptSettingsInput = z.output<typeof promptSettingsSchema>;

/** What each key expects, in words: the messages for wrong types say this. */
export const EXPECTED: Record<string, string> = {
  base: 'a branch name',
  concurrency: 'a whole number from 1 to 64',
  features: 'a folder path relative to the repository root',
  worktrees: 'a folder path for task worktrees',
  agent: '`claude`, `codex`, a command line, or an argv list like [node, agent.js]',
  'agent.kind': '`claude`, `codex` or `command`',
  'agent.command': 'a command line or an argv list',
  permissionMode: 'a Claude Code permission mode: acceptEdits, auto, manual (or default), plan, dontAsk or bypassPermissions',
  permissionPrompt: 'approve, deny or wait',
  allowedTools: 'a list of tool rules, like [Edit, "Bash(npm test:*)"]',
  model: 'a model name',
  setup: 'a shell command',
  test: 'a shell command',
  testRetries: 'a whole number from 0 to 5',
  verify: 'a shell command',
  commandTimeout: 'a duration like 90s, 45m or 1h30m',
  timeout: 'a duration like 90s, 45m or 1h30m',
  idleTimeout: 'a duration like 90s, 45m or 1h30m',
  retries: 'a whole number from 0 to 10',
  nudges: 'a whole number from 0 to 10',
  sandbox: 'true, false, or a map like { network: [registry.npmjs.org] }',
  'sandbox.network': 'a list of domains, like [registry.npmjs.org, "*.github.com"]',
  copy: 'a list of paths, like [.env, node_modules]',
  land: 'true or false',
  merge: 'a map like { gate: batch, onConflict: agent }',
  'merge.gate': 'each, batch or auto',
  'merge.onConflict': 'agent, skip or stop',
  retro: 'true, false, or a map like { dir: waves/retros, agent: false }',
  'retro.dir': 'a folder path',
  'retro.agent': 'true or false',
  budget: 'a map like { usd: 40, tokens: 20M }',
  'budget.usd': "dollars of Claude Code's estimate, like 40 or 5.50",
  'budget.tokens': 'a token count like 2M, 500k or 250000',
  taskBudget: 'a map like { usd: 5, tokens: 2M }',
  'taskBudget.usd': "dollars of Claude Code's estimate, like 5 or 2.50",
  'taskBudget.tokens': 'a token count like 2M, 500k or 250000',
  maxWaveSize: 'a whole number of features per wave from 1 to 1000',
  priority: 'P0, P1, P2 or P3 (P0 is the most urgent)',
  fiveHourPause: 'a percentage of the five-hour window from 1 to 100, or false',
  ...NOTIFY_EXPECTED,
};

export const RUN_ONLY_KEYS = Object.keys(runSettingsShape);
export const PLANNING_KEYS = Object.keys(planningShape);
