import { Box, Text } from 'ink';
import { visibleWindow, type Columns } from './layout.js';
import { NumberCell, rowHeight, TaskRow } from './TaskRow.js';
import type { TaskRowModel } from './screen-model.js';
import { useTheme } from './theme.js';

interface Props {
  rows: readonly TaskRowModel[];
  selectedId: string | undefined;
  columns: Columns;
  /** Lines available for rows, so the frame never outgrows the terminal (which makes Ink clear it). */
  budget: number;
  spinner: string;
}

export function TaskTable({ rows, selectedId, columns, budget, spinner }: Props) {
  const theme = useTheme();
  if (rows.length === 0) return <Text {...theme.tone('muted')}>no tasks in this wave</Text>;
  const selected = Math.max(
    0,
    rows.findIndex((row) => row.id === selectedId),
  );
  const { start, end } = visibleWindow(rows.map(rowHeight), selected, budget);
  return (
    <Box flexDirection="column">
      <TableHeader columns={columns} />
      {start > 0 ? <Text {...theme.tone('muted')}> ↑ {start} more</Text> : null}
      {rows.slice(start, end).map((row) => (
        <TaskRow key={row.id} row={row} columns={columns} selected={row.id === selectedId} spinner={spinner} />
      ))}
      {end < rows.length ? <Text {...theme.tone('muted')}> ↓ {rows.length - end} more</Text> : null}
    </Box>
  );
}

function TableHeader({ columns }: { columns: Columns }) {
  const theme = useTheme();
  const muted = theme.tone('muted');
  return (
    <Box>
      <Box width={columns.marker + columns.icon + columns.id + 1} paddingLeft={columns.marker + columns.icon}>
        <Text {...muted}>TASK</Text>
      </Box>
      {columns.title > 0 ? (
        <Box width={columns.title + 1}>
          <Text {...muted}>TITLE</Text>
        </Box>
      ) : null}
      <Box width={columns.state + 1}>
        <Text {...muted}>STATE</Text>
      </Box>
      <Box width={columns.time} justifyContent="flex-end">
        <Text {...muted}>TIME</Text>
      </Box>
      {columns.commits > 0 ? (
        <Box width={columns.commits + 1} justifyContent="flex-end">
          <Text {...muted}>COMMITS</Text>
        </Box>
      ) : null}
      <NumberCell width={columns.tokens} text="TOKENS" muted />
      <NumberCell width={columns.cost} text="EST. $" muted />
    </Box>
  );
}

/** The table's own lines besides rows: its column header. */
export const TABLE_CHROME_LINES = 1;
