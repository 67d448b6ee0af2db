/**
 * What an agent's screen shows, as far as the runner cares. Produced by an adapter's screen rules
 * from the visible lines; `unknown` when no rule matched (never guess).
 */
export type ScreenClass =
  /** Working: spinner or "esc to interrupt". */
  | { kind: 'busy' }
  /** Working, but the API refused and the agent is retrying by itself. */
  | { kind: 'retrying'; detail: string }
  /** The input prompt is ready and nothing is running. `interrupted`: the turn was cut short. */
  | { kind: 'idle'; interrupted: boolean }
  /** The turn ended on an API error; `retryable` when resending later may work. */
  | { kind: 'api-error'; retryable: boolean; detail: string }
  /** Usage limit: no work until `resetAt` (undefined when the text gave no time). */
  | { kind: 'usage-limit'; resetAt: Date | undefined; detail: string }
  | { kind: 'trust-dialog'; selected: MenuChoice }
  | { kind: 'bypass-warning'; selected: MenuChoice }
  | { kind: 'api-key-prompt' }
  /** Codex asks to trust hooks from the user's config or the worktree: only a person may answer that. */
  | { kind: 'hooks-review' }
  /** `options`: the menu as drawn, so an answer is chosen by its text, never by its position. */
  | { kind: 'permission-prompt'; question: string; options: MenuOption[] }
  /** An informational dialog that only asks for Enter. */
  | { kind: 'notice'; detail: string }
  /** The agent refused to start because the session id is taken (resume it instead). */
  | { kind: 'session-in-use' }
  | { kind: 'session-not-found' }
  | { kind: 'unknown' };

/** One numbered line of a menu, without its number. */
export interface MenuOption {
  label: string;
  selected: boolean;
}

/** Which option of a yes/no menu has the cursor. */
export type MenuChoice = 'yes' | 'no' | 'unknown';

export interface ScreenRules {
  /** Which agent versions the table was written against, e.g. "claude 2.1.x". */
  readonly family: string;
  classify(lines: readonly string[], now: Date): ScreenClass;
  /** One line saying what the agent is doing, for a progress display. */
  summarize(lines: readonly string[]): string | undefined;
}
