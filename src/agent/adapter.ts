import type { RateLimits, TokenCounts } from '../journal/usage.js';
import type { StopSteps } from './pty-host.js';
import type { ScreenRules } from './screen-class.js';

/** One task as the agent host sees it. */
export interface AgentTask {
  taskId: string;
  runId: string;
  /** Absolute path of the task's git worktree: the agent's working directory. */
  worktree: string;
  branch: string;
  /** The PROMPT.md text. */
  prompt: string;
  /** The parsed acceptance criteria: the agent's definition of done. */
  acceptanceCriteria: readonly string[];
  /** ccwave's own folder for this task (inside the git dir, never the worktree). */
  taskDir: string;
  /**
   * Fixed up front so a crashed session can be resumed. For an agent that names its own session
   * (`namesOwnSession`), only a resume uses it: the id the session adopted from the agent.
   */
  sessionId: string;
  /** The plan's own commands (test, setup, verify): the agent is told them and may run them. */
  commands?: readonly PlanCommand[];
}

export interface PlanCommand {
  /** What the plan calls it: `test`, `setup` or `verify`. */
  role: 'test' | 'setup' | 'verify';
  command: string;
}

export interface LaunchFile {
  path: string;
  content: string;
  mode?: number;
}

export interface LaunchSpec {
  /** argv[0] is the program. Never a shell string built from data. */
  argv: string[];
  /** Added to the user's environment. */
  env: Record<string, string>;
  /** Written before the agent starts (settings, hook script, prompt file). */
  files: LaunchFile[];
  /** The file the agent's hooks append events to; undefined for agents without hooks. */
  hookChannel: string | undefined;
}

/**
 * Everything agent-specific. Small on purpose: another CLI agent (codex, gemini, aider) is one more
 * implementation of this, with its own screen-rule table.
 */
export interface AgentAdapter {
  readonly name: string;
  /**
   * `session`: an interactive agent whose turns end while the process stays open; ccwave decides
   * when the task is done and ends it. `exit`: the process ending is the end of the task.
   */
  readonly completion: 'session' | 'exit';
  /** Undefined when the agent's screen is not interpreted (plain commands). */
  readonly screenRules: ScreenRules | undefined;
  /** How to ask the agent to leave before signals are used. */
  readonly politeStop: StopSteps['polite'];
  /**
   * The agent chooses its session's id itself and reports it in its hooks (Codex): a fresh launch
   * adopts the id of its first hook, and only a resume can name one.
   */
  readonly namesOwnSession?: true;
  /**
   * Opens the transcript a hook names, to read the session's tokens; undefined refuses a path that
   * cannot be the session's. Claude Code's transcript reader when absent.
   */
  readonly transcriptReader?: TranscriptOpener;
  /** The agent reports tokens but no cost (Codex): its usage is journaled as of unknown cost, never as $0. */
  readonly costUnknown?: true;
  /** True when the task runs with permission checks bypassed, so that warning may be accepted. */
  readonly bypassesPermissions: boolean;
  buildLaunch(task: AgentTask): LaunchSpec;
  /** Continues the task's existing session with a message (after a crash or a ccwave restart). */
  resumeLaunch(task: AgentTask, message: string): LaunchSpec;
  /**
   * For `exit` agents: the user's verify command, run in the worktree after the agent exits with
   * its work committed; when it fails, so does the attempt. (Claude runs it from its Stop hook.)
   */
  readonly verify?: { command: string; timeoutMs: number } | undefined;
  /** Side effects before launch that need the filesystem (e.g. pre-trusting the worktree). */
  prepare?(task: AgentTask): Promise<void>;
}

export type TranscriptOpener = (path: string, sessionId: string) => TranscriptReader | undefined;

/** An incremental reader of a session's usage file: each `read` takes in what was appended. */
export interface TranscriptReader {
  readonly path: string;
  read(): void;
  /** The session's totals so far. */
  readonly tokens: TokenCounts;
  /** The account's windows, for agents whose transcript carries them (Codex). */
  readonly rateLimits?: RateLimits | undefined;
  readonly model?: string | undefined;
}
