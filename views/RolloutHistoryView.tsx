// The revision history of one workload (`enter` on a rollouts row): every revision with its
// age, change-cause and images, and below the list the diff of the selected revision's pod
// template against the current one (scrollable). `u` rolls back to the selected revision;
// `esc` goes back to the list.
import { Box, Text } from 'ink';
import { useMemo, useRef, useState } from 'react';
import type { RevisionEntry } from '../src/model/rollout.js';
import { diffTemplates, formatDiff, templateLines, type TemplateDiff } from '../src/model/templateDiff.js';
import type { ClusterStore } from '../src/store/clusterStore.js';
import { humanDuration, textWidth, truncate } from './format.js';
import { getWorkload, historyOf, parseRowKey, SHORT_KIND } from './selectors/rollouts.js';
import { useShell, useViewActions } from './shell.js';
import { useStore } from './useStore.js';
import { layoutColumns, Table, type Column } from './widgets/Table.js';

export interface RolloutHistoryProps {
  store: ClusterStore;
  /** The rollouts row key, e.g. "Deployment/shop/checkout". */
  rowKey: string;
  width: number;
  height: number;
  onBack: () => void;
  /** `u` on a revision. */
  onUndo: (entry: RevisionEntry) => void;
}

interface HistorySnapshot {
  /** False once the workload is gone. */
  exists: boolean;
  entries: RevisionEntry[];
  /** The workload's pod template now (the side every diff starts from). */
  current: RevisionEntry['template'] | undefined;
  /** resourceVersions of everything read: a cheap "did it change". */
  signature: string;
}

/** Diff of a revision against the current template (empty for the current one). */
export function revisionDiff(current: RevisionEntry['template'] | undefined, entry: RevisionEntry | undefined): TemplateDiff | undefined {
  if (!entry || !current) return undefined;
  return diffTemplates(current, entry.template);
}

export function RolloutHistoryView({ store, rowKey, width, height, onBack, onUndo }: RolloutHistoryProps) {
  const shell = useShell();
  const { kind, storeKey } = parseRowKey(rowKey);
  const label = `${kind.toLowerCase()} ${storeKey}`;

  // Recomputed only when the workload or its ReplicaSets / ControllerRevisions change.
  const snap = useStore(
    store,
    (s, batch) => {
      if (batch) {
        const touched =
          batch.changed.get(kind === 'Deployment' ? 'deployments' : kind === 'StatefulSet' ? 'statefulsets' : 'daemonsets')?.has(storeKey) ||
          (batch.changed.get(kind === 'Deployment' ? 'replicasets' : 'controllerrevisions')?.size ?? 0) > 0;
        if (!touched) return undefined;
      }
      return readHistory(s, rowKey);
    },
    [rowKey],
    (a, b) => b === undefined || a?.signature === b.signature,
  ) as HistorySnapshot;

  const entries = useMemo(() => [...snap.entries].reverse(), [snap]); // newest first
  const [cursorKey, setCursorKey] = useState<string | undefined>(undefined);
  const selIndex = useRef(0);
  let selected: RevisionEntry | undefined;
  if (entries.length > 0) {
    const guess = Math.min(selIndex.current, entries.length - 1);
    const found = cursorKey === undefined ? -1 : entries.findIndex((e) => String(e.revision) === cursorKey);
    selIndex.current = found >= 0 ? found : guess;
    selected = entries[selIndex.current];
  }
  const diff = useMemo(() => revisionDiff(snap.current, selected), [snap, selected]);
  // No difference: show the template itself rather than an empty panel.
  const diffLines = useMemo(() => (diff?.changed ? formatDiff(diff) : selected ? templateLines(selected.template).map((l) => `  ${l}`) : []), [diff, selected]);
  const [scroll, setScroll] = useState(0);

  // Layout: title, revision table, diff header, diff lines.
  const tableHeight = Math.max(3, Math.min(entries.length + 1, Math.floor((height - 2) / 2)));
  const diffHeight = Math.max(1, height - 2 - tableHeight);
  const maxScroll = Math.max(0, diffLines.length - diffHeight);
  const top = Math.min(scroll, maxScroll);

  useViewActions((action) => {
    switch (action) {
      case 'back':
        onBack();
        return true;
      case 'undo':
        if (!selected) {
          shell.notify(`${label}: no revision selected`, 'error');
          return true;
        }
        onUndo(selected);
        return true;
      case 'diffDown':
        setScroll(Math.min(maxScroll, top + Math.max(1, diffHeight - 2)));
        return true;
      case 'diffUp':
        setScroll(Math.max(0, top - Math.max(1, diffHeight - 2)));
        return true;
      case 'history':
      case 'enter':
        return true; // already here
      default:
        return false;
    }
  });

  const columns = useMemo(() => historyColumns(entries, width), [entries, width]);

  const k = shell.keymap;
  const key = (scope: 'rollouts' | 'global', action: string) => k.label(scope, action).split('/')[0];
  const keys = `${key('rollouts', 'undo')} undo to it · ${key('rollouts', 'diffDown')}/${key('rollouts', 'diffUp')} scroll diff · ${key('global', 'back')} back`;
  const title = snap.exists
    ? `History of ${SHORT_KIND[kind]} ${storeKey} — ${entries.length} revision${entries.length === 1 ? '' : 's'} · ${keys}`
    : `History of ${SHORT_KIND[kind]} ${storeKey} — it no longer exists · ${k.label('global', 'back')} back`;

  let diffTitle: string;
  if (!selected) diffTitle = 'no revision selected';
  else {
    const range = diffLines.length > diffHeight ? ` · lines ${top + 1}-${Math.min(diffLines.length, top + diffHeight)} of ${diffLines.length}` : '';
    if (!diff?.changed) diffTitle = `revision ${selected.revision}${selected.current ? ' is the current revision' : ' has the same pod template as the current one'}; its pod template${range}`;
    else diffTitle = `template diff, current → revision ${selected.revision}: -${diff.removed} +${diff.added}${range}`;
  }

  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text bold wrap="truncate">
        {truncate(title, width)}
      </Text>
      <Table
        rows={entries}
        rowKey={(e) => String(e.revision)}
        columns={columns}
        width={width}
        height={tableHeight}
        onCursor={(e) => {
          setCursorKey(e ? String(e.revision) : undefined);
          setScroll(0);
        }}
        rowColor={(e) => (e.current ? 'green' : undefined)}
        emptyText={snap.exists ? 'no revisions recorded' : 'the workload was deleted'}
      />
      <Text bold wrap="truncate">
        {truncate(`── ${diffTitle} `.padEnd(width, '─'), width)}
      </Text>
      {diffLines.slice(top, top + diffHeight).map((line, i) => (
        <Text key={top + i} wrap="truncate" color={line.startsWith('+') ? 'green' : line.startsWith('-') ? 'red' : line.startsWith('@@') ? 'cyan' : undefined} dimColor={line.startsWith(' ')}>
          {truncate(line, width) || ' '}
        </Text>
      ))}
    </Box>
  );
}

function readHistory(store: ClusterStore, rowKey: string): HistorySnapshot {
  const { kind, storeKey } = parseRowKey(rowKey);
  const w = getWorkload(store, kind, storeKey);
  if (!w) return { exists: false, entries: [], current: undefined, signature: 'gone' };
  const entries = historyOf(store, kind, w);
  const sig = [w.metadata.resourceVersion, ...entries.map((e) => `${e.revision}:${e.source.name}:${e.current}`)];
  // Ages change by the second: the signature includes the minute so they stay fresh enough.
  sig.push(String(Math.floor(Date.now() / 60_000)));
  return { exists: true, entries, current: w.spec.template, signature: sig.join('|') };
}

const CAUSE_MIN = 24;

/** Revision, age, images, then the change-cause in whatever width is left. */
export function historyColumns(entries: readonly RevisionEntry[], width: number): Column<RevisionEntry>[] {
  const cols: Column<RevisionEntry>[] = [
    { header: 'REVISION', get: (e) => `${e.revision}${e.current ? ' (current)' : ''}`, priority: 100 },
    { header: 'AGE', get: (e) => (e.ageSeconds === undefined ? '<unknown>' : humanDuration(e.ageSeconds * 1000)), priority: 90 },
    { header: 'IMAGES', get: (e) => e.images.map((ci) => shortImage(ci.slice(ci.indexOf('=') + 1))).join(', '), maxWidth: 40, minWidth: 8, priority: 80 },
  ];
  const laid = layoutColumns(cols, entries, width - CAUSE_MIN - 2);
  const used = 2 + laid.reduce((s, c) => s + c.width, 0) + 2 * (laid.length - 1);
  let need = textWidth('CHANGE-CAUSE');
  for (const e of entries) need = Math.max(need, textWidth(e.changeCause ?? '<none>'));
  const cause: Column<RevisionEntry> = { header: 'CHANGE-CAUSE', get: (e) => e.changeCause ?? '<none>', width: Math.max(8, Math.min(need, width - used - 2)), priority: 95 };
  return [...laid.map((c) => ({ ...c.col, width: c.width })), cause];
}

/** Image names without their registry/path ("checkout:1.6.0-crash"). */
function shortImage(image: string): string {
  const at = image.lastIndexOf('/');
  return at >= 0 ? image.slice(at + 1) : image;
}
