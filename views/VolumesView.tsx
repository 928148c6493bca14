// :volumes — who holds an exclusive disk, who waits for it, and what to do.
//
// One row per conflict, worst first (the model's order); under the table, the selected
// conflict in full (the table drops columns on narrow terminals, the detail lines do not);
// under that, the rollout risks. `enter` opens the evidence, the fix key offers the first fix
// that kfleet can do behind the shell's confirm, the risks key shows the risks as the table.
// After a fix is sent the row says so until the cluster's state changes and the row clears.
import { Box, Text } from 'ink';
import fuzzysort from 'fuzzysort';
import { useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { Action } from '../src/kube/actions.js';
import { describeAction } from '../src/kube/actions.js';
import type { Fix, FixAction, PodState, VolumeConflict, VolumeRisk } from '../src/model/volumeConflicts.js';
import type { ClusterStore } from '../src/store/clusterStore.js';
import { ActionsContext } from './actionsContext.js';
import { age, humanDuration, textWidth, thousands, truncate } from './format.js';
import { conflictSearchText, conflictsInScope, riskSearchText, risksInScope, volumesSelectorFor } from './selectors/volumes.js';
import { useShell, useViewActions, type ViewProps } from './shell.js';
import { useStore } from './useStore.js';
import { VolumeEvidenceView, wrap } from './VolumeEvidenceView.js';
import { Table, type Column } from './widgets/Table.js';

/** Same threshold as the pods view: every match is kept (limit = row count). */
const FILTER_THRESHOLD = 0.2;
/** Ages ("waiting 35m") are re-rendered this often even when nothing changes. */
const AGE_TICK_MS = 5000;

// ---- cell text ---------------------------------------------------------------------------------

export function shortMode(mode: string | undefined): string {
  return mode === 'ReadWriteOnce' ? 'RWO' : mode === 'ReadWriteOncePod' ? 'RWOP' : mode === undefined ? 'inline' : mode;
}

export function volumeName(c: VolumeConflict): string {
  return c.pvc ? `${c.pvc.namespace}/${c.pvc.name}` : (c.pv ?? c.id);
}

/**
 * A Deployment pod's name without its ReplicaSet hash, for narrow tables:
 * "cart-kqq9j9bndb-hq7xk" -> "cart-…hq7xk". Other names are left alone.
 */
export function shortPodName(name: string): string {
  const m = /^(.+)-[bcdfghjklmnpqrstvwxz2456789]{6,10}-([bcdfghjklmnpqrstvwxz2456789]{5})$/.exec(name);
  return m ? `${m[1]}-…${m[2]}` : name;
}

/**
 * "worker-a: cart-kqq9j9bndb-hq7xk" or "worker-e (NotReady): no pod: stale attachment";
 * narrow: "worker-a: cart-…hq7xk", "worker-e NotReady: no pod: stale".
 */
export function holderText(c: VolumeConflict, narrow = false): string {
  const notReady = c.holder.nodeReady === false ? (narrow ? ' NotReady' : ' (NotReady)') : '';
  const node = `${c.holder.node ?? '?'}${notReady}`;
  const note = c.holder.note ?? 'no pod';
  const who = c.holder.pods.length > 0 ? podList(c.holder.pods, narrow) : narrow ? note.replace(/ attachment$/, '') : note;
  return `${node}: ${who}`;
}

/** "worker-b: cart-fns62f6b7d-m4v9t" (+N more): the node first, so that truncation keeps it. */
export function waitingText(c: VolumeConflict, narrow = false): string {
  if (c.waiting.length === 0) return '-';
  const first = c.waiting[0]!;
  return `${first.node ?? '(unscheduled)'}: ${narrow ? shortPodName(first.name) : first.name}${c.waiting.length > 1 ? ` +${c.waiting.length - 1}` : ''}`;
}

function podList(pods: readonly PodState[], narrow: boolean): string {
  const first = narrow ? shortPodName(pods[0]!.name) : pods[0]!.name;
  return pods.length === 1 ? first : `${first} +${pods.length - 1}`;
}

export function ownerText(c: VolumeConflict): string {
  if (!c.owner) return '-';
  const k = c.owner.kind === 'Deployment' ? 'deploy' : c.owner.kind === 'StatefulSet' ? 'sts' : c.owner.kind.toLowerCase();
  return `${k}/${c.owner.name}`;
}

/** The first fix, short: what kfleet would do, or the advice. */
export function shortFix(f: Fix | undefined): string {
  if (!f) return '-';
  const a = f.action;
  if (a?.type === 'delete-pod') return `${a.force ? 'force-delete' : 'delete'} pod ${a.name}`;
  if (a?.type === 'delete-volumeattachment') return `delete VolumeAttachment ${a.name}`;
  return f.text;
}

/** The first fix kfleet can carry out (the one the fix key offers). */
export function firstActionFix(c: VolumeConflict): (Fix & { action: FixAction }) | undefined {
  return c.fixes.find((f): f is Fix & { action: FixAction } => f.action !== undefined);
}

/** The model's fix action as an Actions action. */
export function toAction(a: FixAction): Action {
  return a.type === 'delete-pod'
    ? { type: 'deletePod', namespace: a.namespace, name: a.name, ...(a.force ? { force: true } : {}) }
    : { type: 'deleteVolumeAttachment', name: a.name };
}

/** Below this width the cells are abbreviated so that claim, holder and waiting pod fit in 80 columns. */
const NARROW = 110;

function conflictColumns(now: () => number, sent: ReadonlyMap<string, string>, width: number): Column<VolumeConflict>[] {
  const narrow = width < NARROW;
  return [
    { header: 'PVC', get: volumeName, maxWidth: narrow ? 18 : 40, minWidth: 10, priority: 100 },
    { header: 'MODE', get: (c) => shortMode(c.accessMode), priority: 30 },
    { header: 'CLASS/DRIVER', get: (c) => `${c.storageClass ?? '-'}/${c.driver ?? '?'}`, maxWidth: 28, priority: 5 },
    { header: 'HOLDER (NODE: PODS)', get: (c) => holderText(c, narrow), maxWidth: narrow ? 32 : 46, minWidth: 12, priority: 90 },
    { header: 'WAITING (NODE: PODS)', get: (c) => waitingText(c, narrow), maxWidth: narrow ? 24 : 40, minWidth: 8, priority: 80 },
    { header: 'SINCE', get: (c) => (c.waitingSince ? age(c.waitingSince, now()) : '-'), priority: 70 },
    { header: 'EVENTS', get: (c) => String(c.eventCount), align: 'right', priority: 20 },
    { header: 'OWNER', get: ownerText, maxWidth: 28, priority: 10 },
    { header: 'FIX', get: (c) => (sent.has(c.id) ? `⏳ ${sent.get(c.id)}` : shortFix(c.fixes[0])), maxWidth: 60, minWidth: 10, priority: 50 },
  ];
}

/** The risks table: the fix before the (long) reasons, which take the width that is left. */
function riskColumns(width: number): Column<VolumeRisk>[] {
  return [
    { header: 'WORKLOAD', get: (r) => `${r.namespace}/${r.name}`, maxWidth: 40, priority: 100 },
    { header: 'KIND', get: (r) => r.kind, priority: 10 },
    { header: 'PVC', get: (r) => `${r.pvc} (${shortMode(r.accessMode)})`, maxWidth: 36, priority: 90 },
    { header: 'FIX', get: (r) => r.fix, maxWidth: 60, priority: 70 },
    { header: 'WHY', get: (r) => r.reasons.join('; '), maxWidth: Math.max(20, width - 2 - 30 - 20 - 60 - 6), priority: 60 },
  ];
}

/** The selected conflict in full, one line per fact (truncated, never wrapped). */
export function detailLines(c: VolumeConflict, now: number, sent: string | undefined): string[] {
  // The PV's generated name is the least telling: last, where truncation hits first.
  const vol = [
    `PVC ${volumeName(c)}`,
    c.accessMode ?? 'inline volume',
    `${c.storageClass ?? '-'}/${c.driver ?? '?'}`,
    c.owner ? `owner ${c.owner.kind} ${c.owner.namespace}/${c.owner.name}` : '',
    c.pv ? `PV ${c.pv}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const holderPods = c.holder.pods.map((p) => `${p.name} ${p.state}`).join(', ');
  const holder = `holds:   ${c.holder.node ?? '?'}${c.holder.nodeReady === false ? ' (NotReady)' : ''}: ${holderPods || (c.holder.note ?? 'no pod')}${c.holder.attachment ? ` · VolumeAttachment ${c.holder.attachment}` : ''}`;
  const waits =
    c.waiting.length > 0
      ? `waits:   ${c.waiting.map((p) => `${p.name} on ${p.node ?? '(unscheduled)'} ${p.state}`).join(', ')}${c.waitingSince ? ` · for ${humanDuration(now - Date.parse(c.waitingSince))}` : ''} · ${c.eventCount} events`
      : `waits:   no pod waits · ${c.eventCount} events`;
  const fix = sent ? `fix:     ⏳ ${sent}` : `fix:     ${c.fixes[0]?.text ?? 'none known'}`;
  return [vol, holder, waits, fix];
}

// ---- the view ----------------------------------------------------------------------------------

type Mode = 'conflicts' | 'risks';

/** Stores whose volumes selector was built (it is kept live from then on). */
const selectorBuilt = new WeakSet<ClusterStore>();
/** The first scan reads every pod's volumes: from this many pods the first frame does not wait. */
export const PREPARE_PODS = 20_000;

/** The shell's hint (ViewDef.preparing): the first scan over many pods, or nothing. */
export function volumesPreparing(store: ClusterStore): string | undefined {
  if (selectorBuilt.has(store)) return undefined;
  const n = store.size('pods');
  return n >= PREPARE_PODS ? `reading the volumes of ${thousands(n)} pods…` : undefined;
}

export function VolumesView({ store, width, height, namespace, filter }: ViewProps) {
  const shell = useShell();
  const actions = useContext(ActionsContext);
  // Kept per store and fed while the view is hidden: coming back scans no pod.
  const selector = useMemo(() => {
    const sel = volumesSelectorFor(store);
    selectorBuilt.add(store);
    return sel;
  }, [store]);
  const data = useStore(store, (s, batch) => selector.select(s, batch), [selector]);
  const synced = useStore(store, (s) => ['pods', 'persistentvolumeclaims', 'volumeattachments'].every((k) => s.state(k as 'pods').phase === 'synced'));

  const [mode, setMode] = useState<Mode>('conflicts');
  const [openId, setOpenId] = useState<string | undefined>(undefined);
  const cursor = useRef<{ id?: string; index: number }>({ index: 0 });
  const [, setCursorTick] = useState(0);
  // Fixes sent, by conflict id, until the row changes or goes away.
  const [sent, setSent] = useState<ReadonlyMap<string, { text: string; version: VolumeConflict }>>(new Map());
  const [, tick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => tick((x) => x + 1), AGE_TICK_MS);
    t.unref?.();
    return () => clearInterval(t);
  }, []);

  const scoped = useMemo(() => conflictsInScope(data.conflicts, namespace), [data.conflicts, namespace]);
  const rows = useMemo(() => {
    const q = filter.trim();
    if (!q) return scoped;
    const hits = fuzzysort.go(q, scoped.map((c) => ({ c, t: conflictSearchText(c) })), { key: 't', limit: scoped.length, threshold: FILTER_THRESHOLD });
    const keep = new Set(hits.map((h) => h.obj.c));
    return scoped.filter((c) => keep.has(c));
  }, [scoped, filter]);
  const risksScoped = useMemo(() => risksInScope(data.risks, namespace), [data.risks, namespace]);
  const risks = useMemo(() => {
    const q = filter.trim();
    if (!q) return risksScoped;
    const hits = fuzzysort.go(q, risksScoped.map((r) => ({ r, t: riskSearchText(r) })), { key: 't', limit: risksScoped.length, threshold: FILTER_THRESHOLD });
    const keep = new Set(hits.map((h) => h.obj.r));
    return risksScoped.filter((r) => keep.has(r));
  }, [risksScoped, filter]);

  // A sent fix is shown until the server's state changes the row (new object) or removes it.
  const sentText = useMemo(() => {
    const m = new Map<string, string>();
    for (const [id, s] of sent) if (data.conflicts.includes(s.version)) m.set(id, s.text);
    return m;
  }, [sent, data.conflicts]);

  const columns = useMemo(() => conflictColumns(Date.now, sentText, width), [sentText, width]);

  const riskCols = useMemo(() => riskColumns(width), [width]);
  const selected = rows.find((c) => c.id === cursor.current.id) ?? rows[Math.min(cursor.current.index, rows.length - 1)];
  const open = openId !== undefined ? data.conflicts.find((c) => c.id === openId) : undefined;
  const lastOpen = useRef<VolumeConflict | undefined>(undefined);
  if (open) lastOpen.current = open;

  const offerFix = (c: VolumeConflict | undefined) => {
    if (!c) return shell.notify('no conflict selected');
    const fix = firstActionFix(c);
    if (!fix) return shell.notify(`no fix kfleet can do here: ${c.fixes[0]?.text ?? 'nothing known'}`);
    if (!actions) return shell.notify('actions are not available in this build (no Actions provider)', 'error');
    const action = toAction(fix.action);
    const d = describeAction(action, shell.contextName, { readonly: shell.readonly });
    const frees = `${c.pvc ? `PVC ${volumeName(c)}` : `volume ${c.pv ?? c.id}`}${c.waiting[0] ? ` for ${c.waiting[0].name} on ${c.waiting[0].node ?? '?'}` : ''}`;
    shell.confirm({
      title: `${d.title} to free ${frees}`,
      object: d.object,
      // The dialog names the context itself; the description's own context line would repeat it.
      details: [`why: ${fix.text}`, ...d.lines.filter((l) => !l.startsWith('context '))],
      onConfirm: async () => {
        const r = await actions.run(action);
        if (!r.ok) throw new Error(r.message);
        shell.notify(`${r.message}; waiting for the cluster to free the volume…`);
        setSent((m) => new Map(m).set(c.id, { text: `${r.message}, waiting for the cluster`, version: c }));
      },
    });
  };

  useViewActions((action) => {
    if (action === 'fix') {
      if (openId !== undefined && !open) shell.notify('this conflict is resolved: nothing to fix');
      else offerFix(openId !== undefined ? open : mode === 'conflicts' ? selected : undefined);
      return true;
    }
    if (action === 'risks') {
      setOpenId(undefined);
      setMode((m) => (m === 'conflicts' ? 'risks' : 'conflicts'));
      return true;
    }
    if (action === 'back' && openId !== undefined) {
      setOpenId(undefined);
      return true;
    }
    if (action === 'back' && mode === 'risks' && !filter) {
      setMode('conflicts');
      return true;
    }
    return false;
  });

  if (openId !== undefined && lastOpen.current) {
    return <VolumeEvidenceView conflict={open ?? lastOpen.current} resolved={!open} width={width} height={height} sent={sentText.get(openId)} />;
  }

  const where = namespace === undefined ? 'all namespaces' : `namespace ${namespace}`;
  const matching = filter ? ` matching /${filter}` : '';
  const loading = synced ? '' : ' · listing…';
  const keys = `${shell.keymap.label('global', 'enter')} evidence · ${shell.keymap.label('volumes', 'fix')} fix · ${shell.keymap.label('volumes', 'risks')} ${mode === 'conflicts' ? 'risks' : 'conflicts'}`;

  if (mode === 'risks') {
    const title = `Volume risks — ${thousands(risks.length)} workload${risks.length === 1 ? '' : 's'}${matching} in ${where} will hit this on their next rollout${loading}`;
    return (
      <Box flexDirection="column" width={width} height={height}>
        <Text bold wrap="truncate">
          {truncate(title, width)}
        </Text>
        <Text dimColor wrap="truncate">
          {truncate(`${shell.keymap.label('volumes', 'risks')} back to the conflicts · Deployments with RollingUpdate or replicas > 1 mounting a ReadWriteOnce claim`, width)}
        </Text>
        <Table rows={risks} rowKey={riskKey} columns={riskCols} width={width} height={Math.max(2, height - 2)} emptyText={filter ? `no risk matches /${filter}` : `no risky workload in ${where}`} />
      </Box>
    );
  }

  // Height: title 1, table, detail (4 + rule), risks (1 + up to 3) when room.
  // The fix line matters most: it wraps (up to 3 lines); the others are truncated.
  const detail = selected
    ? detailLines(selected, Date.now(), sentText.get(selected.id)).flatMap((l, i) => (i === 3 ? wrap(l, width, ' '.repeat(9)).slice(0, 3) : [l]))
    : [];
  const riskRoom = height >= 18 ? Math.max(1, Math.min(3, risks.length)) + 1 : 0;
  const detailRoom = selected && height >= 12 ? detail.length + 1 : 0;
  const tableHeight = Math.max(2, height - 1 - detailRoom - riskRoom);
  const tableRows = Math.max(1, Math.min(rows.length, tableHeight - 1));
  const title = `Volume conflicts — ${thousands(rows.length)}${matching} in ${where}${loading} · ${keys}`;
  const empty = !synced ? 'listing pods, claims and attachments…' : filter ? `no conflict matches /${filter}` : `no volume conflict in ${where}`;

  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate">
        {truncate(title, width)}
      </Text>
      <Table
        rows={rows}
        rowKey={conflictKey}
        columns={columns}
        width={width}
        height={rows.length === 0 ? 2 : Math.min(tableHeight, tableRows + 1)}
        emptyText={empty}
        onEnter={(c) => setOpenId(c.id)}
        onCursor={(c) => {
          cursor.current = { id: c?.id, index: c ? rows.indexOf(c) : 0 };
          setCursorTick((x) => x + 1);
        }}
        rowColor={(c) => (c.waiting.length > 0 ? 'red' : 'yellow')}
        dataVersion={sentText.size}
      />
      {detailRoom > 0 ? (
        <Box flexDirection="column" marginTop={0}>
          <Text dimColor wrap="truncate">
            {rule('selected', width)}
          </Text>
          {detail.map((l, i) => (
            <Text key={i} wrap="truncate" color={i >= 3 ? 'cyan' : undefined}>
              {truncate(l, width)}
            </Text>
          ))}
        </Box>
      ) : null}
      {riskRoom > 0 ? (
        <Box flexDirection="column">
          <Text dimColor wrap="truncate">
            {rule(`risks: ${risks.length} workload${risks.length === 1 ? '' : 's'} will hit this on the next rollout (${shell.keymap.label('volumes', 'risks')} lists them)`, width)}
          </Text>
          {risks.slice(0, riskRoom - 1).map((r) => (
            <Text key={riskKey(r)} wrap="truncate">
              {truncate(`${r.kind} ${r.namespace}/${r.name} · PVC ${r.pvc} ${shortMode(r.accessMode)} · ${r.fix}`, width)}
            </Text>
          ))}
          {risks.length === 0 ? <Text dimColor>{truncate('  none', width)}</Text> : null}
        </Box>
      ) : null}
    </Box>
  );
}

const conflictKey = (c: VolumeConflict) => c.id;

/** "─ label ─────" exactly `width` columns wide. */
function rule(label: string, width: number): string {
  const head = truncate(`─ ${label} `, width);
  return head + '─'.repeat(Math.max(0, width - textWidth(head)));
}
const riskKey = (r: VolumeRisk) => `${r.namespace}/${r.name}/${r.pvc}`;
