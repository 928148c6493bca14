// The bottom line: a message (errors in red, prefixed so they show without colour) or the
// key hints of the current view.
import { Text } from 'ink';
import { truncate } from '../format.js';

export interface StatusMessage {
  text: string;
  level: 'info' | 'error';
}

export function StatusLine({ hints, message, width }: { hints: string; message?: StatusMessage; width: number }) {
  if (message) {
    const text = message.level === 'error' ? `✗ ${message.text}` : message.text;
    return (
      <Text color={message.level === 'error' ? 'red' : 'cyan'} wrap="truncate">
        {truncate(text, width)}
      </Text>
    );
  }
  return (
    <Text dimColor wrap="truncate">
      {truncate(hints, width)}
    </Text>
  );
}
