import type { UiAction } from './keys.js';
import type { UiIntent } from './store.js';

/** A question put to the user before something that ends work: `y` goes ahead, any other key does not. */
export type Confirmation = { action: 'quit' } | { action: 'stop'; taskId: string };

/** What only the UI knows: which row is selected, whether a live view is open, what it last said. */
export interface UiState {
  selected?: string;
  viewing?: string;
  quitting: boolean;
  confirming?: Confirmation;
  notice?: string;
}

export const INITIAL_UI_STATE: UiState = { quitting: false };

export interface UiContext {
  /** The rows on screen, in order. */
  taskIds: readonly string[];
  hasTerminal: (taskId: string) => boolean;
  /** The run has ended and the UI only stays for the user to read: q leaves at once. */
  runOver?: boolean;
}

export const STOPPING_NOTICE = 'stopping… (Ctrl-C again forces it)';
export const QUIT_QUESTION = 'stop the run? y: stop (`ccwave run` again resumes it) · any other key: go on';
export const stopQuestion = (taskId: string): string => `stop ${taskId}? y: stop it (r retries it) · any other key: keep it`;
export const RUN_OVER_NOTICE = 'the run is over: q shows the summary';

/** The selected task: the remembered one while it is on screen, else the first row. */
export function selectedTask(ui: UiState, taskIds: readonly string[]): string | undefined {
  return ui.selected !== undefined && taskIds.includes(ui.selected) ? ui.selected : taskIds[0];
}

/** Pure: the next UI state and the intents to send to the runner. */
export function applyUiAction(ui: UiState, action: UiAction, ctx: UiContext): { ui: UiState; intents: UiIntent[] } {
  const selected = selectedTask(ui, ctx.taskIds);
  const target = ui.viewing ?? selected;
  const none = { ui, intents: [] };
  const over = { ui: { ...ui, notice: RUN_OVER_NOTICE }, intents: [] };
  switch (action) {
    case 'select-up':
    case 'select-down':
      return { ui: { ...ui, selected: moveSelection(ctx.taskIds, selected, action === 'select-up' ? -1 : 1), notice: undefined }, intents: [] };
    case 'open-view':
      return selected ? { ui: { ...ui, viewing: selected, notice: undefined }, intents: [{ type: 'open-view', taskId: selected }] } : none;
    case 'close-view':
      return ui.viewing ? { ui: { ...ui, viewing: undefined }, intents: [{ type: 'close-view', taskId: ui.viewing }] } : none;
    case 'attach':
      if (!target) return none;
      if (!ctx.hasTerminal(target)) return { ui: { ...ui, notice: `${target} has no live terminal to attach to` }, intents: [] };
      return { ui: { ...ui, notice: `attach requested: ${target} (Ctrl-] detaches)` }, intents: [{ type: 'attach', taskId: target }] };
    case 'stop':
      if (ctx.runOver) return over;
      return target ? { ui: { ...ui, confirming: { action: 'stop', taskId: target }, notice: stopQuestion(target) }, intents: [] } : none;
    case 'retry':
      if (ctx.runOver) return over;
      return target ? { ui: { ...ui, notice: `retry requested: ${target}` }, intents: [{ type: 'retry-task', taskId: target }] } : none;
    case 'quit':
      // Nothing is left to stop once the run is over: q only leaves.
      if (ctx.runOver) return { ui: { ...ui, quitting: true, notice: 'leaving…' }, intents: [{ type: 'quit' }] };
      // A second q only repeats that the graceful stop is under way; it must not escalate.
      if (ui.quitting) return { ui: { ...ui, notice: STOPPING_NOTICE }, intents: [] };
      return { ui: { ...ui, confirming: { action: 'quit' }, notice: QUIT_QUESTION }, intents: [] };
    case 'confirm':
      return confirm(ui);
    case 'cancel':
      return { ui: { ...ui, confirming: undefined, notice: undefined }, intents: [] };
    case 'interrupt': {
      const rest = { ...ui, confirming: undefined };
      if (ui.quitting) return { ui: { ...rest, notice: 'forcing stop…' }, intents: [{ type: 'quit', force: true }] };
      return { ui: { ...rest, quitting: true, notice: STOPPING_NOTICE }, intents: [{ type: 'quit' }] };
    }
  }
}

function confirm(ui: UiState): { ui: UiState; intents: UiIntent[] } {
  const question = ui.confirming;
  const rest = { ...ui, confirming: undefined };
  if (!question) return { ui: rest, intents: [] };
  if (question.action === 'stop') return { ui: { ...rest, notice: `stop requested: ${question.taskId}` }, intents: [{ type: 'stop-task', taskId: question.taskId }] };
  return { ui: { ...rest, quitting: true, notice: STOPPING_NOTICE }, intents: [{ type: 'quit' }] };
}

/** Which keys apply now: a question asked takes every key until it is answered. */
export function keyMode(ui: UiState): 'list' | 'view' | 'confirm' {
  return ui.confirming ? 'confirm' : ui.viewing !== undefined ? 'view' : 'list';
}

function moveSelection(taskIds: readonly string[], selected: string | undefined, step: number): string | undefined {
  if (taskIds.length === 0) return undefined;
  const at = selected === undefined ? 0 : Math.max(0, taskIds.indexOf(selected));
  return taskIds[Math.min(taskIds.length - 1, Math.max(0, at + step))];
}
