import { randomUUID } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ClaudeSandbox } from '../agent/claude/claude-adapter.js';
import { runAgentTask } from '../agent/session.js';
import type { RunState } from '../journal/run-state.js';
import { commitFiles, initRepo } from '../git/new-repo.js';
import { adapterFor } from './adapters.js';
import { withAgentGuards } from './agent-guards.js';
import type { RunContext } from './context.js';

/** A lessons session is short: it reads one page and writes a few lines. */
const LESSONS_TIMEOUTS = { wallMs: 15 * 60_000, idleMs: 5 * 60_000 };
const LESSONS_FILE = 'LESSONS.md';

/**
 * `retro.agent: true`: one short agent session reads the wave's retrospective and writes the
 * lessons for the next waves. It works in a scratch repository of the run's own (never a task's
 * worktree), commits LESSONS.md there like any task, and the text is returned.
 */
export async function writeLessons(ctx: RunContext, wave: number, retro: string): Promise<{ lessons?: string; failure?: string }> {
  const taskId = `retro-wave-${wave}`;
  const dir = path.join(ctx.runDir, 'lessons', `wave-${wave}`);
  // A session cut short by a stop or a crash is not continued: the lessons are drawn again from a
  // fresh folder, as in an uninterrupted run (a LESSONS.md left committed would read as no work).
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'RETROSPECTIVE.md'), retro);
  initRepo(dir, 'lessons');
  commitFiles(dir, ['RETROSPECTIVE.md'], `Wave ${wave} retrospective`, { name: 'ccwave', email: 'ccwave@localhost' });
  const taskDir = path.join(ctx.runDir, 'tasks', taskId);
  const result = await withAgentGuards(ctx, { taskId, worktree: dir, saveDir: path.join(taskDir, 'git-changes') }, () =>
    runAgentTask({
      // The project's verify command checks the project, not this lessons file: it does not apply here.
      // Its repository is inside its folder, so a sandboxed session needs no other place to write.
      adapter: adapterFor({ ...ctx.plan.taskSettings, verify: undefined }, ctx.plan.root, ctx.plan.settings.commandTimeout, lessonsSandbox(ctx)),
      task: {
        taskId,
        runId: ctx.runId,
        worktree: dir,
        branch: 'lessons',
        prompt: lessonsPrompt(wave),
        acceptanceCriteria: [`${LESSONS_FILE} holds 3 to 7 lessons as a Markdown list`, `${LESSONS_FILE} is committed`],
        taskDir,
        sessionId: randomUUID(),
      },
      timeouts: LESSONS_TIMEOUTS,
      policy: { permission: ctx.plan.taskSettings.permissionPrompt },
      registry: ctx.registry,
      signal: ctx.stop.signal,
    }),
  );
  const file = path.join(dir, LESSONS_FILE);
  if (result.status !== 'done' || !existsSync(file)) return { failure: result.reason };
  // The session may have made it a link to any file on the machine: its text would be committed.
  if (!lstatSync(file).isFile()) return { failure: `${LESSONS_FILE} is not a regular file` };
  return { lessons: readFileSync(file, 'utf8').trim() };
}

function lessonsSandbox(ctx: RunContext): ClaudeSandbox | undefined {
  const sandbox = ctx.plan.taskSettings.sandbox;
  return sandbox ? { allowWrite: [], allowedDomains: sandbox.network } : undefined;
}

function lessonsPrompt(wave: number): string {
  return [
    `# Lessons from wave ${wave}`,
    '',
    `RETROSPECTIVE.md in this folder is the factual retrospective of wave ${wave} of an unattended run of`,
    'coding agents, each building one feature in its own git worktree.',
    '',
    `Write ${LESSONS_FILE}: 3 to 7 short lessons, as a Markdown list, for the agents of the next waves:`,
    'what went wrong and how to avoid it, conventions the merged code now follows, files that several',
    'tasks touched, how the tests behaved. Only what the facts support; no praise, no summary.',
    `Then commit ${LESSONS_FILE}.`,
  ].join('\n');
}

/** The lessons of the finished waves before `wave`, for a task's prompt. */
export function lessonsBefore(state: RunState, wave: number): string | undefined {
  const sections = state.waves.filter((w) => w.index < wave && w.retro?.lessons).map((w) => `### From wave ${w.index}\n\n${w.retro!.lessons}`);
  return sections.length ? `## Lessons from earlier waves\n\n${sections.join('\n\n')}` : undefined;
}
