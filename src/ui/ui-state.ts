import type { UiAction } from './keys.js';
import type { UiIntent } from './store.js';

/** What only the UI knows: which row is selected, whether a live view is open, what it last said. */
export interface UiState {
  selected?: string;
  viewing?: string;
  quitting: boolean;
  notice?: string;
}

export const INITIAL_UI_STATE: UiState = { quitting: false };

export interface UiContext {
  /** The rows on screen, in order. */
  taskIds: readonly string[];
  hasTerminal: (taskId: string) => boolean;
}

export const STOPPING_NOTICE = 'stopping… (Ctrl-C again forces it)';

/** The selected task: the remembered one while it is on screen, else the first row. */
export function selectedTask(ui: UiState, taskIds: readonly string[]): string | undefined {
  return ui.selected !== undefined && taskIds.includes(ui.selected) ? ui.selected : taskIds[0];
}

/** Pure: the next UI state and the intents to send to the runner. */
export function applyUiAction(ui: UiState, action: UiAction, ctx: UiContext): { ui: UiState; intents: UiIntent[] } {
  const selected = selectedTask(ui, ctx.taskIds);
  const target = ui.viewing ?? selected;
  const none = { ui, intents: [] };
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
      return target ? { ui: { ...ui, notice: `stop requested: ${target}` }, intents: [{ type: 'stop-task', taskId: target }] } : none;
    case 'retry':
      return target ? { ui: { ...ui, notice: `retry requested: ${target}` }, intents: [{ type: 'retry-task', taskId: target }] } : none;
    case 'quit':
      // A second q only repeats that the graceful stop is under way; it must not escalate.
      if (ui.quitting) return { ui: { ...ui, notice: STOPPING_NOTICE }, intents: [] };
      return { ui: { ...ui, quitting: true, notice: STOPPING_NOTICE }, intents: [{ type: 'quit' }] };
    case 'interrupt':
      if (ui.quitting) return { ui: { ...ui, notice: 'forcing stop…' }, intents: [{ type: 'quit', force: true }] };
      return { ui: { ...ui, quitting: true, notice: STOPPING_NOTICE }, intents: [{ type: 'quit' }] };
  }
}

function moveSelection(taskIds: readonly string[], selected: string | undefined, step: number): string | undefined {
  if (taskIds.length === 0) return undefined;
  const at = selected === undefined ? 0 : Math.max(0, taskIds.indexOf(selected));
  return taskIds[Math.min(taskIds.length - 1, Math.max(0, at + step))];
}
