import { Box, Static, Text, useInput, useWindowSize, type Key } from 'ink';
import { useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { BUSY_KINDS, describeTask } from '../format/task-status.js';
import { timeFormatter } from '../format/time.js';
import { runHasUsage } from '../format/usage-words.js';
import { currentWave } from '../format/waves.js';
import { keyHints, resolveKey } from '../keys.js';
import type { RunStore, ScreenSource } from '../store.js';
import { FRAME_INTERVAL_MS, ThrottledSource } from '../throttled-source.js';
import { applyUiAction, INITIAL_UI_STATE, keyMode, selectedTask, STOPPING_NOTICE, type UiState } from '../ui-state.js';
import { Footer, footerHeight } from './Footer.js';
import { Header, headerHeight } from './Header.js';
import { layoutColumns } from './layout.js';
import { LIVE_VIEW_CHROME_LINES, LiveView } from './LiveView.js';
import { headerModel, taskRows } from './screen-model.js';
import { CLOCK_TICK_MS, SPINNER_FRAME_MS, spinnerFrame } from './spinner.js';
import { TABLE_CHROME_LINES, TaskTable } from './TaskTable.js';
import { colorEnabled, ThemeContext, themeFor } from './theme.js';
import { useFinishedWaves } from './use-finished-waves.js';
import { useNow } from './use-now.js';
import { useScreenLines } from './use-screen-lines.js';

export interface AppProps {
  store: RunStore;
  screens: ScreenSource;
  /** Epoch ms; injected so tests draw the same elapsed times and spinner frames every time. */
  now?: () => number;
  /** For reset times like "paused until 15:00"; the machine's zone when undefined. */
  timeZone?: string;
  color?: boolean;
  frameIntervalMs?: number;
}

/** Printable characters only: anything else is one key or an escape sequence Ink already parsed. */
const PLAIN_KEYS = /^[\x20-\x7e]{2,}$/;

/** Ink only redraws when the frame is shorter than the terminal; a taller one is cleared and flickers. */
const SPARE_LINES = 1;

export function App({ store, screens, now = Date.now, timeZone, color = colorEnabled(), frameIntervalMs = FRAME_INTERVAL_MS }: AppProps) {
  const source = useMemo(() => new ThrottledSource(store, frameIntervalMs), [store, frameIntervalMs]);
  const view = useSyncExternalStore(source.subscribe, source.getSnapshot);
  const time = useMemo(() => timeFormatter(timeZone), [timeZone]);
  const theme = useMemo(() => themeFor(color), [color]);
  const { columns, rows: height } = useWindowSize();
  const [ui, setUi] = useState<UiState>(INITIAL_UI_STATE);

  const wave = currentWave(view.state);
  const busy = (wave?.taskIds ?? []).some((id) => {
    const task = view.state.tasks[id];
    return task !== undefined && BUSY_KINDS.has(describeTask(task, time.hourMinute).kind);
  });
  const nowMs = useNow(now, busy ? SPINNER_FRAME_MS : CLOCK_TICK_MS);
  const rows = taskRows(view, wave, nowMs, time);
  const taskIds = rows.map((row) => row.id);
  const selected = selectedTask(ui, taskIds);
  const screenLines = useScreenLines(screens, ui.viewing);
  const finished = useFinishedWaves(view.state, time.hourMinute);

  // Keys can arrive faster than React re-renders; the handler must see the state its last key left.
  const runOver = view.ended !== undefined;
  const latest = useRef({ ui, taskIds, runOver });
  latest.current = { ui, taskIds, runOver };
  const onKey = (input: string, key: Key): void => {
    const action = resolveKey(keyMode(latest.current.ui), input, key);
    if (!action) return;
    const hasTerminal = (id: string) => screens.isLive(id);
    const result = applyUiAction(latest.current.ui, action, { taskIds: latest.current.taskIds, hasTerminal, runOver: latest.current.runOver });
    let next = result.ui;
    for (const intent of result.intents) {
      const refusal = store.dispatch(intent);
      if (refusal) next = { ...next, notice: refusal };
    }
    latest.current = { ...latest.current, ui: next };
    setUi(next);
  };
  useInput((input, key) => {
    // Keys typed faster than they are read arrive as one string ("ky"): each is a key of its own.
    const typed = !key.ctrl && !key.meta && PLAIN_KEYS.test(input) ? [...input] : [input];
    for (const one of typed) onKey(one, key);
  });

  const header = headerModel(view, nowMs, time);
  const live = ui.viewing !== undefined && screens.isLive(ui.viewing);
  const notice = ui.notice ?? (ui.quitting ? STOPPING_NOTICE : undefined);
  const room = height - headerHeight(header) - footerHeight(notice) - SPARE_LINES;
  const viewed = ui.viewing === undefined ? undefined : view.state.tasks[ui.viewing];
  const longestId = Math.max(0, ...taskIds.map((id) => id.length));

  return (
    <ThemeContext.Provider value={theme}>
      <Static items={finished}>{(line) => <Text key={line.key}>{line.text}</Text>}</Static>
      <Box flexDirection="column" width={columns}>
        <Header model={header} />
        {ui.viewing !== undefined ? (
          <LiveView taskId={ui.viewing} state={viewed ? describeTask(viewed, time.hourMinute).label : 'unknown task'} lines={screenLines} live={live} height={room - LIVE_VIEW_CHROME_LINES} />
        ) : wave ? (
          <TaskTable rows={rows} selectedId={selected} columns={layoutColumns(columns, longestId, runHasUsage(view.state))} budget={room - TABLE_CHROME_LINES} spinner={spinnerFrame(nowMs)} />
        ) : null}
        <Footer hints={keyHints(keyMode(ui))} notice={notice} />
      </Box>
    </ThemeContext.Provider>
  );
}
