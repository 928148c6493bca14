// The evidence of one volume conflict: the volume, both sides (holder and waiting pods with
// their states), the VolumeAttachments, the node's view of the volume, the events, and every
// fix. A scrolling page of pre-formatted lines (one <Text> each, only the visible ones).
import { Box, Text } from 'ink';
import { useRef, useState } from 'react';
import type { KubeEvent } from '../src/kube/types.js';
import type { PodState, VolumeConflict } from '../src/model/volumeConflicts.js';
import { age, truncate } from './format.js';
import { useNavTarget, useShell } from './shell.js';

export interface EvidenceLine {
  text: string;
  style?: 'heading' | 'dim' | 'bad' | 'good' | 'fix';
}

/** Break `text` into lines of at most `width` columns, at spaces when possible; `indent` on continuations. */
export function wrap(text: string, width: number, indent = ''): string[] {
  const w = Math.max(10, width);
  const out: string[] = [];
  let rest = text;
  let first = true;
  while (rest.length > 0) {
    const room = first ? w : w - indent.length;
    if (rest.length <= room) {
      out.push((first ? '' : indent) + rest);
      break;
    }
    let cut = rest.lastIndexOf(' ', room);
    if (cut <= room / 3) cut = room;
    out.push((first ? '' : indent) + rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
    first = false;
  }
  return out;
}

function podLine(role: string, p: PodState, now: number): string {
  const flags = [p.ready ? 'ready' : 'not ready', p.terminating ? 'terminating' : '', p.createdAt ? `age ${age(p.createdAt, now)}` : ''].filter(Boolean).join(', ');
  return `${role} ${p.namespace}/${p.name}  node ${p.node ?? '(unscheduled)'}  ${p.state}  (${flags})`;
}

function eventWhen(e: KubeEvent, now: number): string {
  const last = e.lastTimestamp ?? e.series?.lastObservedTime ?? e.eventTime ?? e.metadata.creationTimestamp;
  const first = e.firstTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp;
  const count = e.series?.count ?? e.count ?? 1;
  const l = age(last, now);
  return count > 1 && first ? `${l} ago (x${count} over ${age(first, now)})` : `${l} ago`;
}

/** Every line of the evidence page, wrapped to `width`. */
export function evidenceLines(c: VolumeConflict, width: number, now: number, opts: { resolved?: boolean; sent?: string; fixKey?: string } = {}): EvidenceLine[] {
  const out: EvidenceLine[] = [];
  const push = (text: string, style?: EvidenceLine['style'], indent = '    ') => {
    for (const l of wrap(text, width, indent)) out.push({ text: l, style });
  };
  if (opts.resolved) push('✓ this conflict is no longer in the cluster\'s state (resolved); showing the last evidence seen', 'good');
  else if (opts.sent) push(`⏳ ${opts.sent}`, 'fix');

  push('VOLUME', 'heading');
  push(`  PVC ${c.pvc ? `${c.pvc.namespace}/${c.pvc.name}` : '(none: inline volume)'}   PV ${c.pv ?? '(none)'}`);
  push(`  access ${c.accessMode ?? 'inline (exclusive)'}   class ${c.storageClass ?? '-'}   driver ${c.driver ?? '-'}`);
  if (c.owner) push(`  owner ${c.owner.kind} ${c.owner.namespace}/${c.owner.name}`);
  push(`  signals: ${c.signals.join(', ')}`, 'dim');

  push('HOLDER', 'heading');
  const ready = c.holder.nodeReady === undefined ? '' : c.holder.nodeReady ? ' (Ready)' : ' (NotReady)';
  push(`  node ${c.holder.node ?? '?'}${ready}${c.holder.attachment ? `   VolumeAttachment ${c.holder.attachment}` : ''}`, c.holder.nodeReady === false ? 'bad' : undefined);
  if (c.holder.pods.length === 0) push(`  ${c.holder.note ?? 'no pod'}`, 'bad');
  for (const p of c.holder.pods) push(podLine('  holds', p, now));

  push('WAITING', 'heading');
  if (c.waiting.length === 0) push('  no pod is waiting for this volume', 'dim');
  for (const p of c.waiting) push(podLine('  waits', p, now), 'bad');
  if (c.waitingSince) push(`  waiting since ${c.waitingSince} (${age(c.waitingSince, now)})`);

  push(`VOLUMEATTACHMENTS (${c.evidence.attachments.length})`, 'heading');
  if (c.evidence.attachments.length === 0) push('  none', 'dim');
  for (const va of c.evidence.attachments) {
    const st = va.status;
    const state = va.metadata.deletionTimestamp ? 'detaching' : st?.attached ? 'attached' : st?.attachError ? 'attach failed' : 'attaching';
    push(`  ${va.metadata.name}  node ${va.spec.nodeName}  ${state}  attacher ${va.spec.attacher}  age ${age(va.metadata.creationTimestamp, now)}`);
    if (st?.attachError?.message) push(`    attach error: ${st.attachError.message}`, 'bad', '      ');
    if (st?.detachError?.message) push(`    detach error: ${st.detachError.message}`, 'bad', '      ');
  }
  if (c.evidence.nodesInUse.length > 0) push(`  in use (node status volumesInUse) on: ${c.evidence.nodesInUse.join(', ')}`, 'dim');

  push(`EVENTS (${c.evidence.events.length}, ${c.eventCount} occurrences)`, 'heading');
  if (c.evidence.events.length === 0) push('  none', 'dim');
  for (const e of c.evidence.events) {
    push(`  ${eventWhen(e, now)}  ${e.type ?? 'Warning'} ${e.reason ?? ''}  ${e.involvedObject.kind ?? 'Pod'}/${e.involvedObject.name ?? ''}`);
    push(`    ${e.message ?? ''}`, 'dim', '    ');
  }

  // Pods using the volume that are neither holder nor waiting (e.g. a third replica).
  const shown = new Set([...c.holder.pods, ...c.waiting].map((p) => `${p.namespace}/${p.name}`));
  const others = c.evidence.pods.filter((p) => !shown.has(`${p.namespace}/${p.name}`));
  if (others.length > 0) {
    push('OTHER PODS USING THE VOLUME', 'heading');
    for (const p of others) push(podLine('  uses', p, now));
  }

  push('WHAT TO DO', 'heading');
  if (c.fixes.length === 0) push('  no fix known', 'dim');
  let offered = false;
  c.fixes.forEach((f, i) => {
    const key = f.action && !offered && opts.fixKey ? `  [${opts.fixKey}]` : '';
    if (f.action) offered = true;
    push(`  ${i + 1}. ${f.text}${key}`, i === 0 ? 'fix' : undefined, '     ');
  });
  return out;
}

export interface VolumeEvidenceViewProps {
  conflict: VolumeConflict;
  /** The conflict is gone from the store: show it as resolved. */
  resolved: boolean;
  width: number;
  height: number;
  /** A fix was sent and the cluster has not changed yet. */
  sent?: string;
}

export function VolumeEvidenceView({ conflict, resolved, width, height, sent }: VolumeEvidenceViewProps) {
  const shell = useShell();
  const [scroll, setScroll] = useState(0);
  const fixKey = shell.keymap.label('volumes', 'fix');
  const lines = evidenceLines(conflict, width, Date.now(), { resolved, sent, fixKey });
  const bodyHeight = Math.max(1, height - 2);
  const maxScroll = Math.max(0, lines.length - bodyHeight);
  const top = Math.min(scroll, maxScroll);
  const topRef = useRef(top);
  topRef.current = top;

  useNavTarget((action) => {
    const step: Record<string, number> = { up: -1, down: 1, pageUp: -bodyHeight, pageDown: bodyHeight, top: -1e9, bottom: 1e9 };
    if (!(action in step)) return action === 'enter'; // enter does nothing here, but is taken
    setScroll(Math.max(0, Math.min(maxScroll, topRef.current + step[action]!)));
    return true;
  });

  const name = conflict.pvc ? `${conflict.pvc.namespace}/${conflict.pvc.name}` : (conflict.pv ?? conflict.id);
  const more = maxScroll > 0 ? ` · ${top + 1}-${Math.min(lines.length, top + bodyHeight)}/${lines.length}` : '';
  const title = `Evidence — ${name}${resolved ? ' (resolved)' : ''}${more}`;
  const keys = `${shell.keymap.label('global', 'back')} back · ${fixKey} ${resolved ? 'fix (gone)' : 'do fix 1 with an action'} · ${shell.keymap.label('global', 'up')}/${shell.keymap.label('global', 'down')} scroll`;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate">
        {truncate(title, width)}
      </Text>
      <Text dimColor wrap="truncate">
        {truncate(keys, width)}
      </Text>
      {lines.slice(top, top + bodyHeight).map((l, i) => (
        <Text
          key={top + i}
          wrap="truncate"
          bold={l.style === 'heading'}
          dimColor={l.style === 'dim'}
          color={l.style === 'bad' ? 'red' : l.style === 'good' ? 'green' : l.style === 'fix' ? 'cyan' : undefined}
        >
          {truncate(l.text, width)}
        </Text>
      ))}
    </Box>
  );
}
