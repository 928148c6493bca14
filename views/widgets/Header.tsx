// The header: who and where (context, server, namespace scope, DEMO / READONLY) and how fresh
// the data is (per-resource sync state, the connection's error).
import { Box, Text } from 'ink';
import { useEffect, useState } from 'react';
import type { ResourceKind } from '../../src/kube/types.js';
import { RESOURCE_KINDS } from '../../src/kube/types.js';
import type { ClusterStore } from '../../src/store/clusterStore.js';
import { humanDuration, thousands, truncate } from '../format.js';
import { useStore } from '../useStore.js';

export interface SyncPart {
  text: string;
  level: 'ok' | 'progress' | 'warn' | 'error';
}

/**
 * The sync state as short parts, worst first: the connection error, resources that are
 * forbidden or failing, stale data (watch down: "pods stale 12s"), lists in progress
 * ("pods 12,500/~150,000"). When all is well: "✓ synced" and the counts of `kinds`.
 */
export function syncSummary(store: ClusterStore, kinds: readonly ResourceKind[], now: number): SyncPart[] {
  const parts: SyncPart[] = [];
  const conn = store.connection;
  if (conn.phase === 'error') parts.push({ text: `✗ ${conn.error ?? 'cannot reach the server'} (retrying)`, level: 'error' });
  const progress: SyncPart[] = [];
  for (const kind of RESOURCE_KINDS) {
    const s = store.state(kind);
    if (s.phase === 'forbidden') parts.push({ text: `⚠ ${kind} forbidden`, level: 'warn' });
    else if (s.phase === 'error' || s.phase === 'backoff') {
      const retry = s.retryAt ? ` retry ${Math.max(0, Math.ceil((s.retryAt - now) / 1000))}s` : '';
      const stale = s.lastSyncAt ? ` stale ${humanDuration(now - s.lastSyncAt)}` : '';
      // The age goes first: a long error message may be cut at the screen's edge.
      if (conn.phase !== 'error') parts.push({ text: `⚠ ${kind}${stale}: ${s.error ?? 'error'}${retry}`, level: 'warn' });
      else if (stale) parts.push({ text: `${kind}${stale}`, level: 'warn' });
    } else if (s.phase === 'listing' || s.phase === 'relisting') {
      const total = s.estimatedTotal !== undefined && s.estimatedTotal > s.loaded ? `/~${thousands(s.estimatedTotal)}` : '';
      progress.push({ text: `${kind} ${thousands(s.loaded)}${total}${s.phase === 'relisting' ? ' relisting' : ''}`, level: 'progress' });
    } else if (s.phase === 'synced' && s.stale && s.lastSyncAt) {
      parts.push({ text: `${kind} stale ${humanDuration(now - s.lastSyncAt)}`, level: 'warn' });
    }
  }
  // Progress only for the kinds the view reads, so the line stays short.
  parts.push(...progress.filter((p) => kinds.some((k) => p.text.startsWith(k + ' '))));
  if (parts.length === 0) {
    const idle = kinds.some((k) => store.state(k).phase === 'idle');
    if (idle || conn.phase === 'connecting') parts.push({ text: 'connecting…', level: 'progress' });
    else parts.push({ text: `✓ synced ${kinds.map((k) => `${kind2label(k)} ${thousands(store.size(k))}`).join(' · ')}`, level: 'ok' });
  }
  return parts;
}

function kind2label(k: ResourceKind): string {
  return k;
}

const COLORS = { ok: 'green', progress: 'cyan', warn: 'yellow', error: 'red' } as const;

export interface HeaderProps {
  store: ClusterStore;
  contextName: string;
  namespace: string | undefined;
  demo: boolean;
  readonly: boolean;
  /** Kinds the current view reads (their progress and counts are shown). */
  kinds: readonly ResourceKind[];
  viewTitle: string;
  width: number;
}

export const HEADER_HEIGHT = 2;

export function Header({ store, contextName, namespace, demo, readonly, kinds, viewTitle, width }: HeaderProps) {
  const [now, setNow] = useState(() => Date.now());
  const parts = useStore(store, (s) => JSON.stringify(syncSummary(s, kinds, Date.now())), [kinds, now]);
  const anyStale = parts.includes('stale') || parts.includes('retry');
  // Tick once a second while something ages, so "stale 12s" and "retry 5s" count; only this
  // component re-renders. Nothing ages otherwise (a quiet cluster, "connecting…"): no timer.
  useEffect(() => {
    if (!anyStale) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [anyStale]);
  const server = useStore(store, (s) => s.connection.server);
  const marks = `${demo ? ' DEMO' : ''}${readonly ? ' READONLY' : ''}`;
  const ns = namespace ?? 'all namespaces';
  const left = `kfleet ${viewTitle} │ ctx ${contextName} │ ns ${ns} │ ${server}`;
  const room = Math.max(0, width - marks.length);
  return (
    <Box flexDirection="column" width={width} height={HEADER_HEIGHT}>
      <Text wrap="truncate">
        <Text bold>{truncate(left, room)}</Text>
        {demo ? (
          <Text inverse color="magenta">
            {' DEMO'}
          </Text>
        ) : null}
        {readonly ? (
          <Text inverse color="yellow">
            {' READONLY'}
          </Text>
        ) : null}
      </Text>
      <SyncLine parts={JSON.parse(parts) as SyncPart[]} width={width} />
    </Box>
  );
}

function SyncLine({ parts, width }: { parts: SyncPart[]; width: number }) {
  let used = 0;
  const shown: SyncPart[] = [];
  for (const p of parts) {
    const w = p.text.length + (shown.length ? 3 : 0);
    if (used + w > width && shown.length > 0) break;
    shown.push(p);
    used += w;
  }
  return (
    <Text wrap="truncate">
      {shown.map((p, i) => (
        <Text key={i} color={COLORS[p.level]}>
          {(i ? ' · ' : '') + truncate(p.text, width)}
        </Text>
      ))}
    </Text>
  );
}
