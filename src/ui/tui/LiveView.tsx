import { Box, Text } from 'ink';
import { useTheme } from './theme.js';

interface Props {
  taskId: string;
  state: string;
  lines: readonly string[] | undefined;
  /** False once the agent has ended: the lines are the last screen it left. */
  live: boolean;
  /** Lines available for the terminal's text. */
  height: number;
}

/** The selected task's headless terminal, bottom-aligned like a terminal: its latest lines. */
export function LiveView({ taskId, state, lines, live, height }: Props) {
  const theme = useTheme();
  const shown = lastLines(lines ?? [], Math.max(1, height));
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        ── {taskId} · {state} · {live ? 'live terminal' : 'last screen'}
      </Text>
      {lines === undefined ? (
        <Text {...theme.tone('muted')}>(no terminal to show for this task yet)</Text>
      ) : (
        shown.map((line, i) => (
          <Text key={i} wrap="truncate-end">
            {line === '' ? ' ' : line}
          </Text>
        ))
      )}
    </Box>
  );
}

/** The view's lines besides the terminal text: its title. */
export const LIVE_VIEW_CHROME_LINES = 1;

function lastLines(lines: readonly string[], height: number): string[] {
  const trimmed = lines.map((line) => line.trimEnd());
  let end = trimmed.length;
  // A terminal's unused rows at the bottom are blank: show the text, not the empty space under it.
  while (end > 0 && trimmed[end - 1] === '') end -= 1;
  return trimmed.slice(Math.max(0, end - height), end);
}
