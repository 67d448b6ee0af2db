import { Box, Text } from 'ink';
import type { HeaderModel } from './screen-model.js';
import { useTheme } from './theme.js';

export function headerHeight(model: HeaderModel): number {
  return 2 + (model.usage ? 1 : 0) + (model.status ? 1 : 0);
}

export function Header({ model }: { model: HeaderModel }) {
  const theme = useTheme();
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {model.title}
      </Text>
      <Box>
        <Box flexGrow={1} flexShrink={1}>
          <Text wrap="truncate-end">{model.counts}</Text>
        </Box>
        <Text> {model.agents}</Text>
      </Box>
      {model.usage ? <Text wrap="truncate-end">{model.usage}</Text> : null}
      {model.status ? (
        <Text {...theme.tone('attention')} wrap="truncate-end">
          {model.status}
        </Text>
      ) : null}
    </Box>
  );
}
