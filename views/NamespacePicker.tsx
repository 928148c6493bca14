// `n`: pick the namespace scope of every view, or all namespaces. The same fuzzy picker as
// the context picker (views/widgets/ContextPicker.tsx); the App routes its keys.
import { useMemo } from 'react';
import { PickerList, fuzzyMatches, type Match, type PickerState } from './widgets/ContextPicker.js';

/** The first entry: no namespace scope. */
export const ALL_NAMESPACES = '(all namespaces)';

export interface NamespaceItem {
  name: string;
  /** undefined for "all namespaces". */
  namespace: string | undefined;
  phase?: string;
}

export function namespaceItems(namespaces: readonly { name: string; phase?: string }[]): NamespaceItem[] {
  return [{ name: ALL_NAMESPACES, namespace: undefined }, ...namespaces.map((n) => ({ name: n.name, namespace: n.name, phase: n.phase }))];
}

export function namespaceMatches(items: readonly NamespaceItem[], query: string): Match<NamespaceItem>[] {
  return fuzzyMatches(query, items);
}

export function NamespacePicker(props: { items: readonly NamespaceItem[]; current: string | undefined; state: PickerState; width: number; height: number }) {
  const { items, current, state, width, height } = props;
  const matches = useMemo(() => namespaceMatches(items, state.query), [items, state.query]);
  const columns = useMemo(() => [{ header: 'STATUS', get: (n: NamespaceItem) => (n.namespace === undefined ? '' : (n.phase ?? 'Active')) }], []);
  return (
    <PickerList
      title="Namespace scope"
      state={state}
      matches={matches}
      nameHeader="NAMESPACE"
      columns={columns}
      mark={(n) => (n.namespace === current ? '*' : ' ')}
      width={width}
      height={height}
      total={items.length}
    />
  );
}
