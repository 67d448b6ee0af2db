import { Box, Text } from 'ink';
import { BUSY_KINDS, KIND_TONES, TASK_ICONS } from '../format/task-status.js';
import type { Columns } from './layout.js';
import type { TaskRowModel } from './screen-model.js';
import { useTheme, type ToneStyle } from './theme.js';

interface Props {
  row: TaskRowModel;
  columns: Columns;
  selected: boolean;
  spinner: string;
}

/** One task: marker, icon, id, title, state, time, commits, tokens, cost; the agent's last line beneath it. */
export function TaskRow({ row, columns, selected, spinner }: Props) {
  const theme = useTheme();
  const tone = theme.tone(KIND_TONES[row.kind]);
  const icon = BUSY_KINDS.has(row.kind) ? spinner : TASK_ICONS[row.kind];
  return (
    <Box flexDirection="column">
      <Box>
        <Cell width={columns.marker} text={selected ? '›' : ''} />
        <Cell width={columns.icon} text={icon} style={tone} />
        <Cell width={columns.id + 1} text={row.id} bold={selected} />
        {columns.title > 0 ? <Cell width={columns.title + 1} text={row.title} /> : null}
        <Cell width={columns.state + 1} text={row.label} style={tone} />
        <Box width={columns.time} justifyContent="flex-end">
          <Text>{row.elapsed ?? ''}</Text>
        </Box>
        {columns.commits > 0 ? (
          <Box width={columns.commits + 1} justifyContent="flex-end">
            <Text>{row.commits === undefined ? '' : String(row.commits)}</Text>
          </Box>
        ) : null}
        <NumberCell width={columns.tokens} text={row.usage?.tokens} />
        <NumberCell width={columns.cost} text={row.usage?.cost} />
      </Box>
      {row.lastLine ? (
        <Box paddingLeft={columns.marker + columns.icon}>
          <Text {...theme.tone('muted')} wrap="truncate-end">
            ╰ {row.lastLine}
          </Text>
        </Box>
      ) : null}
    </Box>
  );
}

/** A right-aligned number column with a space before it; nothing when the column is elided. */
export function NumberCell({ width, text, muted }: { width: number; text: string | undefined; muted?: boolean }) {
  const theme = useTheme();
  if (width <= 0) return null;
  return (
    <Box width={width + 1} justifyContent="flex-end" flexShrink={0}>
      <Text {...(muted ? theme.tone('muted') : {})} wrap="truncate-start">
        {text ?? ''}
      </Text>
    </Box>
  );
}

/** A fixed-width cell whose text is cut with "…" and keeps one space of its width as a gap. */
function Cell({ width, text, style, bold }: { width: number; text: string; style?: ToneStyle; bold?: boolean }) {
  return (
    <Box width={width} paddingRight={width > 1 ? 1 : 0} flexShrink={0}>
      <Text {...style} bold={bold} wrap="truncate-end">
        {text}
      </Text>
    </Box>
  );
}

export function rowHeight(row: TaskRowModel): number {
  return row.lastLine ? 2 : 1;
}
