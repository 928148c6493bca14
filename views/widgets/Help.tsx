// `?` help, generated from the keymap in force: the current view's actions, then the global
// ones. Actions that write to the cluster are left out in --readonly.
import { Box, Text } from 'ink';
import type { Scope } from '../../src/keys/actions.js';
import { displayKey } from '../../src/keys/keyNames.js';
import type { Keymap } from '../../src/keys/keymap.js';
import { pad, truncate } from '../format.js';

export function helpLines(keymap: Keymap, viewScope: Scope, viewTitle: string, readonly: boolean, subScope?: Scope): string[] {
  const section = (title: string, scope: Scope) => {
    const entries = keymap.entries(scope, { readonly });
    if (entries.length === 0) return [];
    return [title, ...entries.map((e) => `  ${pad(e.keys.map(displayKey).join(' '), 16)} ${e.help}`), ''];
  };
  // A sub-scope (the object detail open inside the view) is what the keys do now.
  const own = subScope ? section(`${subScope === 'detail' ? 'Object detail' : subScope} (in the ${viewTitle} view)`, subScope) : section(`${viewTitle} view`, viewScope);
  return [...own, ...section('everywhere', 'global'), ...section('command palette (:)', 'palette')];
}

export function Help({ lines, scroll, width, height, closeKeys }: { lines: string[]; scroll: number; width: number; height: number; closeKeys: string }) {
  const body = Math.max(1, height - 2);
  const top = Math.max(0, Math.min(scroll, Math.max(0, lines.length - body)));
  return (
    <Box flexDirection="column" height={height} width={width} overflow="hidden">
      <Text bold wrap="truncate">
        {truncate(`Help — ${closeKeys} to close`, width)}
      </Text>
      {lines.slice(top, top + body).map((l, i) => (
        <Text key={i} wrap="truncate" bold={!l.startsWith(' ')}>
          {truncate(l, width) || ' '}
        </Text>
      ))}
    </Box>
  );
}
