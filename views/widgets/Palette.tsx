// The `:` palette: the input line with its completions above it (best first, matched
// characters in bold + underline so they show without colour).
import { Box, Text } from 'ink';
import { truncate } from '../format.js';
import type { PaletteMatch } from '../palette.js';

export function paletteHeight(matches: readonly PaletteMatch[]): number {
  return matches.length + 1;
}

export function Palette({ text, matches, width }: { text: string; matches: readonly PaletteMatch[]; width: number }) {
  return (
    <Box flexDirection="column" width={width}>
      {matches.map((m, i) => (
        <Text key={m.text} wrap="truncate">
          {i === 0 ? '> ' : '  '}
          {m.parts.map((p, j) =>
            p.match ? (
              <Text key={j} bold underline color="cyan">
                {p.text}
              </Text>
            ) : (
              <Text key={j}>{p.text}</Text>
            ),
          )}
        </Text>
      ))}
      <Text wrap="truncate">{truncate(`:${text}█`, width)}</Text>
    </Box>
  );
}
