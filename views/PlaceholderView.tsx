// Stands in for a view that is not built yet, so every view key and palette entry works.
import { Box, Text } from 'ink';
import type { ComponentType } from 'react';
import type { ViewProps } from './shell.js';

export function placeholderView(title: string): ComponentType<ViewProps> {
  function Placeholder({ width, height }: ViewProps) {
    return (
      <Box flexDirection="column" width={width} height={height} paddingX={1}>
        <Text bold>{title}</Text>
        <Text wrap="truncate-end">The {title.toLowerCase()} view is not built yet.</Text>
        <Text dimColor wrap="truncate-end">
          Press 2 for pods, : for the palette, ? for help.
        </Text>
      </Box>
    );
  }
  Placeholder.displayName = `Placeholder(${title})`;
  return Placeholder;
}
