/** The agent session's timings, each with why it has its value. */

/** Screen reads are throttled to this: fresh enough to answer dialogs, cheap during floods. */
export const SCREEN_READ_MS = 100;
/** Re-read the screen this often even without output, for time-based decisions. */
export const SCREEN_TICK_MS = 1_000;
/**
 * An idle screen without a Stop hook ends the turn only after this long: the hook is the reliable
 * signal and usually arrives first; the screen covers turns that end without one (interrupts).
 */
export const SCREEN_IDLE_CONFIRM_MS = 2_500;
/** After typing, an idle screen with no sign of work for this long means the turn is over (or never began). */
export const INPUT_UNANSWERED_MS = 10_000;
/** After a key on a dialog, give the agent this long to redraw before acting on the screen again. */
export const DIALOG_KEY_SETTLE_MS = 600;
/** Keys sent to dialogs in a row before ccwave gives up: a dialog that does not go away is stuck. */
export const MAX_DIALOG_KEYS_IN_A_ROW = 12;
/** How long to wait for the input box before typing a follow-up anyway. */
export const INPUT_READY_TIMEOUT_MS = 15_000;
export const INPUT_READY_POLL_MS = 100;
/**
 * A hook event can be read before the output the agent printed just before it: wait this long
 * before looking at the screen at a turn's end (e.g. for the usage-limit text).
 */
export const HOOK_SCREEN_CATCHUP_MS = 150;
/**
 * After typing, the screen still shows the old turn until the agent echoes the message: an old
 * usage-limit text is not a new limit during this grace.
 */
export const STALE_SCREEN_GRACE_MS = 3_000;
/** A limit that says it has already reset is checked again after this long. */
export const USAGE_RECHECK_MS = 60_000;
/**
 * Claude's status line is debounced: the one after a turn's last reply can come after the Stop
 * hook. Before a session is ended ccwave waits this long at most for it, or the launch's last cost
 * is lost (a later `--resume` would restore it, but the last launch has none).
 */
export const STATUS_LINE_SETTLE_MS = 5_000;
