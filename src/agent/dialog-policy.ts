import type { KeyName } from './keys.js';
import type { MenuOption, ScreenClass } from './screen-class.js';

export type PermissionPolicy = 'approve' | 'deny' | 'wait';

export interface DialogPolicy {
  permission: PermissionPolicy;
  /** ccwave made the worktree from the user's own repository, so trusting it is the user's intent. */
  acceptTrustDialog: boolean;
  /** Only a task configured to bypass permissions may accept the bypass-permissions warning. */
  bypassesPermissions: boolean;
}

export type DialogAction =
  | { do: 'keys'; keys: KeyName[]; note: string }
  /** Leave it for a person to attach and answer. */
  | { do: 'wait'; note: string }
  | { do: 'fail'; reason: string }
  | { do: 'none' };

export const API_KEY_REASON =
  'Claude Code asks whether to use the ANTHROPIC_API_KEY found in the environment, and ccwave never ' +
  'answers that for you. Answer it once yourself (run `claude` in a terminal with the same environment ' +
  'and choose), or unset ANTHROPIC_API_KEY so that Claude uses your login, then run ccwave again.';

export const HOOKS_REVIEW_REASON =
  'Codex asks to trust hooks from your config or the worktree; ccwave passes --dangerously-bypass-hook-trust only for its own hooks: review them once with `codex` → /hooks';

/** Codex's once-only yes ends in its key: "Yes, proceed (y)". */
const ONCE_ONLY_YES = /^Yes(?:, proceed(?: \(y\))?)?$/i;

/**
 * "Yes", once, picked by its text: the menu has grown ("Yes, and don't ask again for: node *",
 * "Yes, and switch to auto mode"; Codex's "Yes, and don't ask again for commands that start with …"),
 * and those widen what the agent may do for the rest of the session. Codex's plain yes is "Yes, proceed (y)".
 * Deny stays Escape, which every version's menu offers as "Esc to cancel".
 */
function approveOnce(question: string, options: readonly MenuOption[]): DialogAction {
  const target = options.findIndex((o) => ONCE_ONLY_YES.test(o.label.trim()));
  if (target < 0) return { do: 'fail', reason: `the permission menu has no plain "Yes" (${options.map((o) => o.label).join(' / ') || 'no options read'})` };
  const cursor = options.findIndex((o) => o.selected);
  if (cursor < 0) return { do: 'fail', reason: 'cannot see which option of the permission menu is selected' };
  if (cursor === target) return { do: 'keys', keys: ['enter'], note: `permission approved: ${question}` };
  return { do: 'keys', keys: [cursor < target ? 'down' : 'up'], note: `permission menu: moving to "Yes"` };
}

/** What to press on a dialog screen, one step at a time: the next screen decides the next step. */
export function decideDialog(screen: ScreenClass, policy: DialogPolicy): DialogAction {
  switch (screen.kind) {
    case 'trust-dialog':
      if (!policy.acceptTrustDialog) {
        return { do: 'fail', reason: 'the agent asks whether to trust the worktree folder, and trusting is turned off' };
      }
      return screen.selected === 'yes' ? { do: 'keys', keys: ['enter'], note: 'trust dialog: accepted' } : { do: 'keys', keys: ['down'], note: 'trust dialog: moving to "Yes"' };
    case 'bypass-warning':
      if (!policy.bypassesPermissions) {
        return {
          do: 'fail',
          reason: 'the agent asks to confirm bypass-permissions mode, but this task is not set to bypass permissions',
        };
      }
      return screen.selected === 'yes'
        ? { do: 'keys', keys: ['enter'], note: 'bypass-permissions warning: accepted' }
        : { do: 'keys', keys: ['down'], note: 'bypass-permissions warning: moving to "Yes, I accept"' };
    case 'api-key-prompt':
      return { do: 'fail', reason: API_KEY_REASON };
    case 'hooks-review':
      return { do: 'fail', reason: HOOKS_REVIEW_REASON };
    case 'permission-prompt':
      if (policy.permission === 'approve') return approveOnce(screen.question, screen.options);
      if (policy.permission === 'deny') {
        return { do: 'keys', keys: ['escape'], note: `permission denied: ${screen.question}` };
      }
      return { do: 'wait', note: `waiting for a person to answer: ${screen.question}` };
    case 'notice':
      return { do: 'keys', keys: ['enter'], note: `notice dismissed: ${screen.detail}` };
    default:
      return { do: 'none' };
  }
}
