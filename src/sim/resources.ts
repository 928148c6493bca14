// The resource types the embedded cluster serves, with what discovery advertises for them.
import { RESOURCES, type ResourceKind } from '../kube/types.js';

export interface SimResource {
  /** Plural name as in URLs: "pods", "leases". */
  name: string;
  kind: string;
  singular: string;
  group: string;
  version: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  subresources?: string[];
  /** Served but not watched by kfleet (not part of RESOURCE_KINDS). */
  extra?: boolean;
}

const SHORT: Partial<Record<ResourceKind, string[]>> = {
  pods: ['po'], nodes: ['no'], namespaces: ['ns'], events: ['ev'], deployments: ['deploy'],
  replicasets: ['rs'], statefulsets: ['sts'], daemonsets: ['ds'], persistentvolumeclaims: ['pvc'],
  persistentvolumes: ['pv'], storageclasses: ['sc'],
};
const ALL = new Set(['pods', 'deployments', 'replicasets', 'statefulsets', 'daemonsets']);
const SUBRES: Partial<Record<ResourceKind, string[]>> = {
  pods: ['status', 'log'], nodes: ['status'], namespaces: ['status'], deployments: ['status', 'scale'],
  replicasets: ['status', 'scale'], statefulsets: ['status', 'scale'], daemonsets: ['status'],
  persistentvolumeclaims: ['status'], persistentvolumes: ['status'], volumeattachments: ['status'],
};

export const SIM_RESOURCES: SimResource[] = [
  ...Object.values(RESOURCES).map((r) => ({
    name: r.kind,
    kind: r.objectKind,
    singular: r.objectKind.toLowerCase(),
    group: r.group,
    version: r.version,
    namespaced: r.namespaced,
    shortNames: SHORT[r.kind],
    categories: ALL.has(r.kind) ? ['all'] : undefined,
    subresources: SUBRES[r.kind],
  })),
  { name: 'leases', kind: 'Lease', singular: 'lease', group: 'coordination.k8s.io', version: 'v1', namespaced: true, extra: true },
];

export const METRICS_GROUP = 'metrics.k8s.io';
export const METRICS_VERSION = 'v1beta1';

export function groupVersion(r: { group: string; version: string }): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

export function findResource(group: string, version: string, name: string): SimResource | undefined {
  return SIM_RESOURCES.find((r) => r.group === group && r.version === version && r.name === name);
}

export function resourceByName(name: string): SimResource | undefined {
  return SIM_RESOURCES.find((r) => r.name === name);
}

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** APIResourceList for one group/version (what `kubectl api-resources` reads). */
export function resourceList(group: string, version: string, metrics: boolean): unknown {
  const gv = group ? `${group}/${version}` : version;
  const resources: unknown[] = [];
  if (group === METRICS_GROUP && version === METRICS_VERSION) {
    if (!metrics) return undefined;
    resources.push(
      { name: 'nodes', singularName: '', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list'] },
      { name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'] },
    );
    return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources };
  }
  const rs = SIM_RESOURCES.filter((r) => r.group === group && r.version === version);
  if (rs.length === 0) return undefined;
  for (const r of rs) {
    resources.push({
      name: r.name, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: VERBS,
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
      ...(r.categories ? { categories: r.categories } : {}),
      storageVersionHash: '',
    });
    for (const sub of r.subresources ?? []) {
      if (sub === 'scale') resources.push({ name: `${r.name}/scale`, singularName: '', namespaced: r.namespaced, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
      else if (sub === 'log') resources.push({ name: `${r.name}/log`, singularName: '', namespaced: true, kind: r.kind, verbs: ['get'] });
      else resources.push({ name: `${r.name}/${sub}`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'patch', 'update'] });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources };
}

/** APIGroupList for /apis. */
export function groupList(metrics: boolean): unknown {
  const groups = new Map<string, string[]>();
  for (const r of SIM_RESOURCES) if (r.group) groups.set(r.group, [...new Set([...(groups.get(r.group) ?? []), r.version])]);
  if (metrics) groups.set(METRICS_GROUP, [METRICS_VERSION]);
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups].map(([name, versions]) => ({
      name,
      versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
      preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
    })),
  };
}
