// Server-side Table output (Accept: application/json;as=Table;v=v1;g=meta.k8s.io), with the
// columns and cell rules of Kubernetes' own printers (pkg/printers/internalversion).
import { humanDuration } from './util.js';

interface Column { name: string; type: string; format: string; description: string; priority: number }

const col = (name: string, type = 'string', priority = 0, format = ''): Column => ({ name, type, format, description: name, priority });

function age(ts: string | undefined, now: number): string {
  if (!ts) return '<unknown>';
  return humanDuration(now - Date.parse(ts));
}

/** kubectl's pod STATUS / READY / RESTARTS computation. */
export function podPrintInfo(pod: any, now: number): { ready: string; status: string; restarts: string } {
  const spec = pod.spec ?? {};
  const st = pod.status ?? {};
  let restarts = 0;
  let lastRestart = 0;
  const initSpecs = new Map<string, any>((spec.initContainers ?? []).map((c: any) => [c.name, c]));
  let total = (spec.containers ?? []).length;
  for (const c of spec.initContainers ?? []) if (c.restartPolicy === 'Always') total++;
  let ready = 0;
  let reason: string = st.reason || st.phase || '';
  const noteRestart = (cs: any) => {
    const fin = cs.lastState?.terminated?.finishedAt;
    if (fin) lastRestart = Math.max(lastRestart, Date.parse(fin));
  };
  let initializing = false;
  const inits: any[] = st.initContainerStatuses ?? [];
  for (let i = 0; i < inits.length; i++) {
    const cs = inits[i];
    restarts += cs.restartCount ?? 0;
    noteRestart(cs);
    if (initSpecs.get(cs.name)?.restartPolicy === 'Always' && cs.started) {
      if (cs.ready) ready++;
      continue;
    }
    const term = cs.state?.terminated;
    const wait = cs.state?.waiting;
    if (term && term.exitCode === 0) continue;
    if (term) reason = term.reason ? `Init:${term.reason}` : term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode}`;
    else if (wait?.reason && wait.reason !== 'PodInitializing') reason = `Init:${wait.reason}`;
    else reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    initializing = true;
    break;
  }
  const initialized = (st.conditions ?? []).some((c: any) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    restarts = 0;
    let hasRunning = false;
    const css: any[] = st.containerStatuses ?? [];
    for (let i = css.length - 1; i >= 0; i--) {
      const cs = css[i];
      restarts += cs.restartCount ?? 0;
      noteRestart(cs);
      const wait = cs.state?.waiting;
      const term = cs.state?.terminated;
      if (wait?.reason) reason = wait.reason;
      else if (term?.reason) reason = term.reason;
      else if (term) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode}`;
      else if (cs.ready && cs.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = (st.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }
  const phase = st.phase;
  if (pod.metadata.deletionTimestamp && st.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  let restartsStr = String(restarts);
  if (restarts !== 0 && lastRestart) restartsStr = `${restarts} (${humanDuration(now - lastRestart)} ago)`;
  return { ready: `${ready}/${total}`, status: reason, restarts: restartsStr };
}

function images(tpl: any): [string, string] {
  const cs = tpl?.spec?.containers ?? [];
  return [cs.map((c: any) => c.name).join(','), cs.map((c: any) => c.image).join(',')];
}

function selectorString(sel: any): string {
  const parts = Object.entries(sel?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel?.matchExpressions ?? []) parts.push(`${e.key} ${String(e.operator).toLowerCase()} (${(e.values ?? []).join(',')})`);
  return parts.length ? parts.join(',') : '<none>';
}

type Printer = { columns: Column[]; cells: (o: any, now: number) => unknown[] };

const PRINTERS: Record<string, Printer> = {
  pods: {
    columns: [col('Name'), col('Ready'), col('Status'), col('Restarts'), col('Age'), col('IP', 'string', 1), col('Node', 'string', 1), col('Nominated Node', 'string', 1), col('Readiness Gates', 'string', 1)],
    cells: (p, now) => {
      const i = podPrintInfo(p, now);
      const gates = p.spec?.readinessGates?.length ? `0/${p.spec.readinessGates.length}` : '<none>';
      return [p.metadata.name, i.ready, i.status, i.restarts, age(p.metadata.creationTimestamp, now), p.status?.podIP || '<none>', p.spec?.nodeName || '<none>', p.status?.nominatedNodeName || '<none>', gates];
    },
  },
  nodes: {
    columns: [col('Name'), col('Status'), col('Roles'), col('Age'), col('Version'), col('Internal-IP', 'string', 1), col('External-IP', 'string', 1), col('OS-Image', 'string', 1), col('Kernel-Version', 'string', 1), col('Container-Runtime', 'string', 1)],
    cells: (n, now) => {
      const status: string[] = [];
      const ready = (n.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
      if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
      if (status.length === 0) status.push('Unknown');
      if (n.spec?.unschedulable) status.push('SchedulingDisabled');
      const roles = new Set<string>();
      for (const [k, v] of Object.entries<string>(n.metadata.labels ?? {})) {
        if (k.startsWith('node-role.kubernetes.io/')) roles.add(k.slice('node-role.kubernetes.io/'.length));
        else if (k === 'kubernetes.io/role' && v) roles.add(v);
      }
      const addr = (t: string) => (n.status?.addresses ?? []).find((a: any) => a.type === t)?.address ?? '<none>';
      const info = n.status?.nodeInfo ?? {};
      return [n.metadata.name, status.join(','), roles.size ? [...roles].sort().join(',') : '<none>', age(n.metadata.creationTimestamp, now), info.kubeletVersion ?? '', addr('InternalIP'), addr('ExternalIP'), info.osImage ?? '<unknown>', info.kernelVersion ?? '<unknown>', info.containerRuntimeVersion ?? '<unknown>'];
    },
  },
  deployments: {
    columns: [col('Name'), col('Ready'), col('Up-to-date', 'integer'), col('Available', 'integer'), col('Age'), col('Containers', 'string', 1), col('Images', 'string', 1), col('Selector', 'string', 1)],
    cells: (d, now) => [d.metadata.name, `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`, d.status?.updatedReplicas ?? 0, d.status?.availableReplicas ?? 0, age(d.metadata.creationTimestamp, now), ...images(d.spec?.template), selectorString(d.spec?.selector)],
  },
  replicasets: {
    columns: [col('Name'), col('Desired', 'integer'), col('Current', 'integer'), col('Ready', 'integer'), col('Age'), col('Containers', 'string', 1), col('Images', 'string', 1), col('Selector', 'string', 1)],
    cells: (r, now) => [r.metadata.name, r.spec?.replicas ?? 1, r.status?.replicas ?? 0, r.status?.readyReplicas ?? 0, age(r.metadata.creationTimestamp, now), ...images(r.spec?.template), selectorString(r.spec?.selector)],
  },
  statefulsets: {
    columns: [col('Name'), col('Ready'), col('Age'), col('Containers', 'string', 1), col('Images', 'string', 1)],
    cells: (s, now) => [s.metadata.name, `${s.status?.readyReplicas ?? 0}/${s.spec?.replicas ?? 1}`, age(s.metadata.creationTimestamp, now), ...images(s.spec?.template)],
  },
  daemonsets: {
    columns: [col('Name'), col('Desired', 'integer'), col('Current', 'integer'), col('Ready', 'integer'), col('Up-to-date', 'integer'), col('Available', 'integer'), col('Node Selector'), col('Age'), col('Containers', 'string', 1), col('Images', 'string', 1), col('Selector', 'string', 1)],
    cells: (d, now) => {
      const s = d.status ?? {};
      const ns = Object.entries(d.spec?.template?.spec?.nodeSelector ?? {}).map(([k, v]) => `${k}=${v}`).join(',') || '<none>';
      return [d.metadata.name, s.desiredNumberScheduled ?? 0, s.currentNumberScheduled ?? 0, s.numberReady ?? 0, s.updatedNumberScheduled ?? 0, s.numberAvailable ?? 0, ns, age(d.metadata.creationTimestamp, now), ...images(d.spec?.template), selectorString(d.spec?.selector)];
    },
  },
  namespaces: {
    columns: [col('Name'), col('Status'), col('Age')],
    cells: (n, now) => [n.metadata.name, n.status?.phase ?? 'Active', age(n.metadata.creationTimestamp, now)],
  },
  events: {
    columns: [col('Last Seen'), col('Type'), col('Reason'), col('Object'), col('Message'), col('Source', 'string', 1), col('First Seen', 'string', 1), col('Count', 'integer', 1), col('Name', 'string', 1)],
    cells: (e, now) => {
      const io = e.involvedObject ?? {};
      const last = e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp;
      const count = e.series?.count ?? e.count ?? 1;
      const seen = count > 1 ? `${age(last, now)} (x${count} over ${age(e.firstTimestamp ?? last, now)})` : age(last, now);
      return [seen, e.type ?? '', e.reason ?? '', `${String(io.kind ?? '').toLowerCase()}/${io.name ?? ''}`, e.message ?? '', e.source?.component ?? e.reportingComponent ?? '', age(e.firstTimestamp ?? last, now), count, e.metadata.name];
    },
  },
  persistentvolumeclaims: {
    columns: [col('Name'), col('Status'), col('Volume'), col('Capacity'), col('Access Modes'), col('StorageClass'), col('VolumeAttributesClass'), col('Age'), col('VolumeMode', 'string', 1)],
    cells: (c, now) => [c.metadata.name, c.status?.phase ?? 'Pending', c.spec?.volumeName ?? '', c.status?.capacity?.storage ?? '', accessModes(c.status?.accessModes ?? c.spec?.accessModes), c.spec?.storageClassName ?? '', '<unset>', age(c.metadata.creationTimestamp, now), c.spec?.volumeMode ?? 'Filesystem'],
  },
  persistentvolumes: {
    columns: [col('Name'), col('Capacity'), col('Access Modes'), col('Reclaim Policy'), col('Status'), col('Claim'), col('StorageClass'), col('VolumeAttributesClass'), col('Reason'), col('Age')],
    cells: (v, now) => {
      const cr = v.spec?.claimRef;
      return [v.metadata.name, v.spec?.capacity?.storage ?? '', accessModes(v.spec?.accessModes), v.spec?.persistentVolumeReclaimPolicy ?? 'Delete', v.status?.phase ?? 'Available', cr ? `${cr.namespace}/${cr.name}` : '', v.spec?.storageClassName ?? '', '<unset>', '', age(v.metadata.creationTimestamp, now)];
    },
  },
  volumeattachments: {
    columns: [col('Name'), col('Attacher'), col('PV'), col('Node'), col('Attached', 'boolean'), col('Age')],
    cells: (v, now) => [v.metadata.name, v.spec?.attacher ?? '', v.spec?.source?.persistentVolumeName ?? '', v.spec?.nodeName ?? '', !!v.status?.attached, age(v.metadata.creationTimestamp, now)],
  },
};

function accessModes(modes: string[] | undefined): string {
  const short: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };
  return (modes ?? []).map((m) => short[m] ?? m).join(',');
}

const DEFAULT: Printer = {
  columns: [col('Name'), col('Age')],
  cells: (o, now) => [o.metadata.name, age(o.metadata.creationTimestamp, now)],
};

export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept);
}

function rowObject(o: any, includeObject: string | null): unknown {
  if (includeObject === 'None') return undefined;
  if (includeObject === 'Object') return o;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

export function toTable(resource: string, objs: any[], listMeta: Record<string, unknown>, now: number, includeObject: string | null, noHeaders = false): unknown {
  const p = PRINTERS[resource] ?? DEFAULT;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    ...(noHeaders ? {} : { columnDefinitions: p.columns }),
    rows: objs.map((o) => ({ cells: p.cells(o, now), object: rowObject(o, includeObject) })),
  };
}
