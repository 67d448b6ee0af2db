import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PtyRegistry } from '../agent/pty-registry.js';
import { runAgentTask } from '../agent/session.js';
import type { AgentTimeouts } from '../agent/session-types.js';
import { killStrayProcesses } from '../agent/stray-processes.js';
import { commitFiles, initRepo, setRepoIdentity } from '../git/new-repo.js';
import type { TaskSettings } from '../plan/types.js';
import { adapterFor } from './adapters.js';

/** A review is short: it reads the features and the draft and writes one small file. */
export const REVIEW_TIMEOUTS: AgentTimeouts = { wallMs: 15 * 60_000, idleMs: 5 * 60_000 };
export const REVIEW_FILE = 'REVIEW.json';
/** A list of moves is a few KB; anything much larger is not an answer to read. */
export const MAX_REVIEW_BYTES = 256 * 1024;
const DRAFT_FILE = 'DRAFT.json';
const FEATURES_FOLDER = 'features';
const IDENTITY = { name: 'ccwave', email: 'ccwave@localhost' };

export interface PlanReviewInput {
  /** The repository the features are for: the agent may read it, never change it. */
  root: string;
  featuresDir: string;
  /** The features of the draft, by id: their PROMPT.md files are what the agent reads. */
  featureIds: readonly string[];
  /** The draft as `ccwave plan --json` prints it. */
  draft: unknown;
  settings: TaskSettings;
  commandTimeout: number;
  /** A folder of its own: the scratch repository and the session's logs go there. */
  workDir: string;
  timeouts?: AgentTimeouts;
  registry?: PtyRegistry;
  baseEnv?: NodeJS.ProcessEnv;
}

/**
 * One short agent session reviews the draft plan. It works in a scratch repository holding the
 * draft and a copy of each feature's PROMPT.md (never in the project, which it only reads), and
 * commits REVIEW.json there, like any task. Returns the parsed JSON, unchecked: the caller treats
 * it as hostile input.
 */
export async function reviewPlan(input: PlanReviewInput): Promise<{ answer: unknown } | { failure: string }> {
  const dir = path.join(input.workDir, 'review');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, DRAFT_FILE), `${JSON.stringify(input.draft, null, 2)}\n`);
  for (const id of input.featureIds) {
    mkdirSync(path.join(dir, FEATURES_FOLDER, id), { recursive: true });
    cpSync(path.join(input.featuresDir, id, 'PROMPT.md'), path.join(dir, FEATURES_FOLDER, id, 'PROMPT.md'), { dereference: true });
  }
  initRepo(dir, 'review');
  // The agent's own commit must not depend on a git identity of the user's: this repository is ccwave's.
  setRepoIdentity(dir, IDENTITY);
  commitFiles(dir, 'all', 'Draft plan to review', IDENTITY);
  const taskId = 'plan-review';
  const marker = { runId: randomUUID(), taskId, worktree: dir };
  try {
    const result = await runAgentTask({
      // The project's verify command checks the project, not this answer: it does not apply here.
      adapter: adapterFor(
        { ...input.settings, verify: undefined },
        input.root,
        input.commandTimeout,
        input.settings.sandbox ? { allowWrite: [], allowedDomains: input.settings.sandbox.network } : undefined,
      ),
      task: {
        taskId,
        runId: marker.runId,
        worktree: dir,
        branch: 'review',
        prompt: reviewPrompt(input.root),
        acceptanceCriteria: [`${REVIEW_FILE} holds {"moves": [...]} as described`, `${REVIEW_FILE} is committed`],
        taskDir: path.join(input.workDir, 'session'),
        sessionId: randomUUID(),
      },
      timeouts: input.timeouts ?? REVIEW_TIMEOUTS,
      policy: { permission: input.settings.permissionPrompt },
      ...(input.registry ? { registry: input.registry } : {}),
      ...(input.baseEnv ? { baseEnv: input.baseEnv } : {}),
    });
    if (result.status !== 'done') return { failure: `the review session ended ${result.status}: ${result.reason}` };
  } finally {
    killStrayProcesses(marker);
  }
  return readAnswer(path.join(dir, REVIEW_FILE));
}

function readAnswer(file: string): { answer: unknown } | { failure: string } {
  if (!existsSync(file)) return { failure: `the review wrote no ${REVIEW_FILE}` };
  const stat = lstatSync(file);
  // The session may have made it a link to any file on the machine.
  if (!stat.isFile()) return { failure: `${REVIEW_FILE} is not a regular file` };
  if (stat.size > MAX_REVIEW_BYTES) return { failure: `${REVIEW_FILE} is ${stat.size} bytes; an answer is at most ${MAX_REVIEW_BYTES}` };
  try {
    return { answer: JSON.parse(readFileSync(file, 'utf8')) as unknown };
  } catch (error) {
    return { failure: `${REVIEW_FILE} is not JSON: ${(error as Error).message}` };
  }
}

function reviewPrompt(root: string): string {
  return [
    '# Review a plan of waves',
    '',
    `${DRAFT_FILE} in this folder is a draft plan: features in waves, run in order; the features of one wave`,
    `are built side by side by coding agents, each in its own git worktree. ${FEATURES_FOLDER}/<id>/PROMPT.md is`,
    `each feature's text. The project is at ${root}: read it if it helps, but change nothing there.`,
    '',
    'The draft already keeps these rules, and every move must keep them too: a feature comes in a wave',
    'after every feature it requires; two features that declare the same file are never in one wave;',
    'a wave is not left empty. Move a feature only for a reason the draft could not see (two features',
    'likely to conflict, a feature the others will build on, one that is riskier than its priority says).',
    '',
    `Write ${REVIEW_FILE}, exactly this shape, with no moves if the draft is right:`,
    '',
    '{"moves": [{"feature": "<id>", "toWave": <wave number>, "reason": "<one line: why>"}]}',
    '',
    `Then commit ${REVIEW_FILE}.`,
  ].join('\n');
}
