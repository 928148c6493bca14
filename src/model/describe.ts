// Describe-like summaries (the parts of `kubectl describe` an operator reads first), as plain
// lines: pure, so the same objects always give the same text. The object detail view shows
// them; the Events block uses the events found through the store's eventsByObject index.
import type { Condition, Container, ContainerState, DaemonSet, Deployment, KubeEvent, KubeObject, LabelSelector, Node, PersistentVolume, PersistentVolumeClaim, Pod, ReplicaSet, StatefulSet } from '../kube/types.js';
import { describeNodeAllocation } from './allocation.js';
import { podDisplayStatus } from './podStatus.js';

export type DescribeKind = 'pods' | 'nodes' | 'deployments' | 'statefulsets' | 'daemonsets' | 'replicasets' | 'persistentvolumeclaims' | 'persistentvolumes';

export interface DescribeContext {
  /** Now, for ages ("3m ago"). */
  now: number;
  /** The object's events (any order). */
  events?: readonly KubeEvent[];
  /** Nodes: the pods on it (for Allocated resources). */
  pods?: Iterable<Pod>;
}

/** kubectl's compact age: 45s, 3m, 5h, 2d. */
export function shortAge(from: string | undefined, now: number): string {
  if (!from) return '<unknown>';
  const t = Date.parse(from);
  if (Number.isNaN(t)) return '<unknown>';
  const s = Math.max(0, Math.floor((now - t) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 3 * 3600) return `${Math.floor(s / 60)}m`;
  if (s < 2 * 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

const field = (label: string, value: string | number | undefined) => `${(label + ':').padEnd(18)}${value ?? '<none>'}`;

function mapLines(label: string, m: Record<string, string> | undefined): string[] {
  const entries = Object.entries(m ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return [field(label, '<none>')];
  return entries.map(([k, v], i) => (i === 0 ? field(label, `${k}=${v}`) : `${' '.repeat(18)}${k}=${v}`));
}

function metaLines(o: KubeObject, now: number): string[] {
  const m = o.metadata;
  const lines = [field('Name', m.name)];
  if (m.namespace !== undefined) lines.push(field('Namespace', m.namespace));
  lines.push(...mapLines('Labels', m.labels));
  // Annotations can be huge (last-applied-configuration): names only past 60 characters.
  const ann = Object.fromEntries(Object.entries(m.annotations ?? {}).map(([k, v]) => [k, v.length > 60 ? `${v.slice(0, 57)}...` : v]));
  lines.push(...mapLines('Annotations', ann));
  lines.push(field('Created', m.creationTimestamp ? `${m.creationTimestamp} (${shortAge(m.creationTimestamp, now)} ago)` : undefined));
  if (m.deletionTimestamp) lines.push(field('Terminating', `since ${m.deletionTimestamp}`));
  const owner = m.ownerReferences?.find((r) => r.controller) ?? m.ownerReferences?.[0];
  if (owner) lines.push(field('Controlled By', `${owner.kind}/${owner.name}`));
  return lines;
}

function conditionLines(conds: readonly Condition[] | undefined): string[] {
  if (!conds || conds.length === 0) return [];
  return ['Conditions:', `  ${'Type'.padEnd(28)}${'Status'.padEnd(8)}Reason`, ...conds.map((c) => `  ${c.type.padEnd(28)}${c.status.padEnd(8)}${c.reason ?? ''}${c.message ? ` — ${c.message}` : ''}`)];
}

function stateText(s: ContainerState | undefined, now: number): string {
  if (!s) return '<none>';
  if (s.running) return `Running (started ${shortAge(s.running.startedAt, now)} ago)`;
  if (s.waiting) return `Waiting: ${s.waiting.reason ?? ''}${s.waiting.message ? ` — ${s.waiting.message}` : ''}`;
  if (s.terminated) {
    const t = s.terminated;
    return `Terminated: ${t.reason ?? ''} (exit ${t.exitCode ?? '?'})${t.finishedAt ? ` ${shortAge(t.finishedAt, now)} ago` : ''}${t.message ? ` — ${t.message}` : ''}`;
  }
  return '<none>';
}

function quantities(q: Record<string, string> | undefined): string {
  const e = Object.entries(q ?? {});
  return e.length ? e.map(([k, v]) => `${k}=${v}`).join(' ') : '<none>';
}

function containerLines(title: string, containers: readonly Container[] | undefined, statuses: Pod['status']['containerStatuses'], now: number): string[] {
  if (!containers || containers.length === 0) return [];
  const out = [`${title}:`];
  for (const c of containers) {
    const st = statuses?.find((s) => s.name === c.name);
    out.push(`  ${c.name}${c.restartPolicy === 'Always' ? ' (sidecar)' : ''}:`);
    out.push(`    Image:          ${c.image ?? '<none>'}`);
    out.push(`    State:          ${stateText(st?.state, now)}`);
    if (st?.lastState && Object.keys(st.lastState).length) out.push(`    Last State:     ${stateText(st.lastState, now)}`);
    if (st) out.push(`    Ready:          ${st.ready}`, `    Restart Count:  ${st.restartCount}`);
    out.push(`    Requests:       ${quantities(c.resources?.requests)}`, `    Limits:         ${quantities(c.resources?.limits)}`);
  }
  return out;
}

/** The Events block, kubectl-like: warnings and normal events, oldest first, with counts. */
export function eventLines(events: readonly KubeEvent[] | undefined, now: number): string[] {
  if (!events || events.length === 0) return ['Events:  <none>'];
  const sorted = [...events].sort((a, b) => (eventTime(a) ?? '').localeCompare(eventTime(b) ?? ''));
  return [
    'Events:',
    `  ${'Type'.padEnd(8)}${'Reason'.padEnd(20)}${'Age'.padEnd(12)}${'From'.padEnd(18)}Message`,
    ...sorted.map((e) => {
      const n = eventCount(e);
      const ageText = `${shortAge(eventTime(e), now)}${n > 1 ? ` (x${n})` : ''}`;
      return `  ${(e.type ?? '').padEnd(8)}${(e.reason ?? '').padEnd(20)}${ageText.padEnd(12)}${(e.source?.component ?? e.reportingComponent ?? '').padEnd(18)}${e.message ?? ''}`;
    }),
  ];
}

/** When an event was last seen (series, lastTimestamp, eventTime, creation). */
export function eventTime(e: KubeEvent): string | undefined {
  return e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp;
}

export function eventCount(e: KubeEvent): number {
  return e.series?.count ?? e.count ?? 1;
}

function selectorText(sel: LabelSelector | undefined): string {
  const parts = Object.entries(sel?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const x of sel?.matchExpressions ?? []) parts.push(`${x.key} ${x.operator} (${(x.values ?? []).join(',')})`);
  return parts.join(',') || '<none>';
}

function describePod(p: Pod, now: number): string[] {
  const s = podDisplayStatus(p);
  return [
    field('Node', p.spec.nodeName ? `${p.spec.nodeName}${p.status.hostIP ? `/${p.status.hostIP}` : ''}` : '<none>'),
    field('Status', s.reason),
    field('Ready', `${s.readyContainers}/${s.totalContainers}`),
    field('Restarts', s.restarts),
    field('IP', p.status.podIP),
    field('QoS Class', p.status.qosClass),
    field('Service Account', p.spec.serviceAccountName),
    ...(p.status.message ? [field('Message', p.status.message)] : []),
    ...containerLines('Init Containers', p.spec.initContainers, p.status.initContainerStatuses, now),
    ...containerLines('Containers', p.spec.containers, p.status.containerStatuses, now),
    ...conditionLines(p.status.conditions),
    ...volumeLines(p),
    ...(p.spec.nodeSelector ? mapLines('Node-Selectors', p.spec.nodeSelector) : []),
    ...(p.spec.tolerations?.length ? [field('Tolerations', p.spec.tolerations.map((t) => `${t.key ?? ''}${t.operator === 'Exists' ? '' : `=${t.value ?? ''}`}:${t.effect ?? ''}`).join(', '))] : []),
  ];
}

function volumeLines(p: Pod): string[] {
  const vs = p.spec.volumes ?? [];
  if (vs.length === 0) return [];
  return [
    'Volumes:',
    ...vs.map((v) => {
      const src = v.persistentVolumeClaim
        ? `PersistentVolumeClaim ${v.persistentVolumeClaim.claimName}`
        : v.ephemeral
          ? `Ephemeral (PVC ${p.metadata.name}-${v.name})`
          : v.csi
            ? `CSI ${v.csi.driver}`
            : v.awsElasticBlockStore
              ? `AWSElasticBlockStore ${v.awsElasticBlockStore.volumeID}`
              : (v.other ?? 'other');
      return `  ${v.name}: ${src}`;
    }),
  ];
}

function describeNode(n: Node, pods: Iterable<Pod> | undefined): string[] {
  const info = n.status.nodeInfo ?? {};
  const lines = [
    field('Unschedulable', String(n.spec.unschedulable ?? false)),
    field('Taints', n.spec.taints?.length ? n.spec.taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ') : '<none>'),
    field('Addresses', (n.status.addresses ?? []).map((a) => `${a.type}=${a.address}`).join(', ') || '<none>'),
    field('Kubelet', info.kubeletVersion),
    field('OS Image', info.osImage),
    field('Runtime', info.containerRuntimeVersion),
    field('Capacity', quantities(n.status.capacity)),
    field('Allocatable', quantities(n.status.allocatable)),
    ...conditionLines(n.status.conditions),
  ];
  if (pods) {
    const d = describeNodeAllocation(n, pods);
    lines.push(`Non-terminated Pods: (${d.pods.length} in total)`);
    lines.push('Allocated resources:', `  ${'Resource'.padEnd(20)}${'Requests'.padEnd(16)}Limits`);
    for (const r of d.resources) {
      const pct = (t: string, p: number) => (r.kubectlShowsPercent ? `${t} (${p}%)` : t);
      lines.push(`  ${r.resource.padEnd(20)}${pct(r.requestsText, r.requestsPct).padEnd(16)}${pct(r.limitsText, r.limitsPct)}`);
    }
  }
  return lines;
}

function describeWorkload(w: Deployment | StatefulSet | DaemonSet | ReplicaSet, kind: DescribeKind): string[] {
  const st = w.status ?? {};
  const spec = w.spec as Deployment['spec'] & StatefulSet['spec'] & DaemonSet['spec'];
  const lines = [field('Selector', selectorText(w.spec.selector))];
  if (kind === 'daemonsets') {
    lines.push(field('Pods', `${st.desiredNumberScheduled ?? 0} desired, ${st.currentNumberScheduled ?? 0} scheduled, ${st.updatedNumberScheduled ?? 0} updated, ${st.numberReady ?? 0} ready, ${st.numberAvailable ?? 0} available`));
  } else {
    lines.push(field('Replicas', `${spec.replicas ?? 1} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ${st.readyReplicas ?? 0} ready | ${st.availableReplicas ?? 0} available`));
  }
  if (kind === 'deployments') {
    lines.push(field('Strategy', spec.strategy?.type ?? 'RollingUpdate'));
    if (spec.strategy?.rollingUpdate) lines.push(field('RollingUpdate', `max surge ${spec.strategy.rollingUpdate.maxSurge ?? '25%'}, max unavailable ${spec.strategy.rollingUpdate.maxUnavailable ?? '25%'}`));
    if (spec.paused) lines.push(field('Paused', 'true'));
    const rev = w.metadata.annotations?.['deployment.kubernetes.io/revision'];
    if (rev) lines.push(field('Revision', rev));
  }
  if (kind === 'statefulsets' || kind === 'daemonsets') lines.push(field('Update Strategy', spec.updateStrategy?.type ?? 'RollingUpdate'));
  lines.push(...containerLines('Pod Template Containers', w.spec.template.spec.containers, undefined, 0));
  lines.push(...conditionLines(st.conditions));
  return lines;
}

function describePvc(c: PersistentVolumeClaim): string[] {
  return [
    field('StorageClass', c.spec.storageClassName),
    field('Status', c.status?.phase),
    field('Volume', c.spec.volumeName),
    field('Capacity', quantities(c.status?.capacity)),
    field('Access Modes', (c.status?.accessModes ?? c.spec.accessModes ?? []).join(',')),
    field('VolumeMode', c.spec.volumeMode ?? 'Filesystem'),
  ];
}

function describePv(v: PersistentVolume): string[] {
  return [
    field('StorageClass', v.spec.storageClassName),
    field('Status', v.status?.phase),
    field('Claim', v.spec.claimRef ? `${v.spec.claimRef.namespace}/${v.spec.claimRef.name}` : ''),
    field('Reclaim Policy', v.spec.persistentVolumeReclaimPolicy),
    field('Access Modes', (v.spec.accessModes ?? []).join(',')),
    field('Capacity', quantities(v.spec.capacity)),
    field('Source', v.spec.csi ? `CSI ${v.spec.csi.driver} ${v.spec.csi.volumeHandle}` : v.spec.awsElasticBlockStore ? `EBS ${v.spec.awsElasticBlockStore.volumeID}` : '<other>'),
  ];
}

/** The describe-like summary of one object: metadata, the kind's own block, then Events. */
export function describeObject(kind: string, obj: KubeObject, ctx: DescribeContext): string[] {
  const lines = metaLines(obj, ctx.now);
  switch (kind) {
    case 'pods':
      lines.push(...describePod(obj as Pod, ctx.now));
      break;
    case 'nodes':
      lines.push(...describeNode(obj as Node, ctx.pods));
      break;
    case 'deployments':
    case 'statefulsets':
    case 'daemonsets':
    case 'replicasets':
      lines.push(...describeWorkload(obj as Deployment, kind));
      break;
    case 'persistentvolumeclaims':
      lines.push(...describePvc(obj as PersistentVolumeClaim));
      break;
    case 'persistentvolumes':
      lines.push(...describePv(obj as PersistentVolume));
      break;
  }
  lines.push(...eventLines(ctx.events, ctx.now));
  return lines;
}
