// Confirmation before a mutation: names the action, the object and the context, and the
// keys (from the keymap in force) that confirm or cancel.
import { Box, Text } from 'ink';
import type { Keymap } from '../../src/keys/keymap.js';
import { truncate } from '../format.js';

export interface ConfirmDialogProps {
  title: string;
  object: string;
  context: string;
  details?: string[];
  keymap: Keymap;
  width: number;
  busy?: boolean;
}

export function ConfirmDialog({ title, object, context, details = [], keymap, width, busy }: ConfirmDialogProps) {
  const inner = Math.max(10, Math.min(width, 90) - 4);
  const lines = [title, `object:  ${object}`, `context: ${context}`, ...details];
  const keys = busy ? 'working…' : `${keymap.label('dialog', 'confirm')} confirm   ${keymap.label('dialog', 'cancel')} cancel`;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="yellow" paddingX={1} width={inner + 4}>
      {lines.map((l, i) => (
        <Text key={i} bold={i === 0} wrap="truncate">
          {truncate(l, inner)}
        </Text>
      ))}
      <Text dimColor>{truncate(keys, inner)}</Text>
    </Box>
  );
}
