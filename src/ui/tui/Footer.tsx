import { Box, Text } from 'ink';
import { useTheme } from './theme.js';

export function footerHeight(notice: string | undefined): number {
  return notice ? 2 : 1;
}

export function Footer({ hints, notice }: { hints: string; notice: string | undefined }) {
  const theme = useTheme();
  return (
    <Box flexDirection="column">
      {notice ? (
        <Text {...theme.tone('attention')} wrap="truncate-end">
          {notice}
        </Text>
      ) : null}
      <Text {...theme.tone('muted')} wrap="truncate-end">
        {hints}
      </Text>
    </Box>
  );
}
