// Small builders of lean pods and nodes for the model unit tests.
import type { Container, Node, Pod, Quantities } from '../../src/kube/types.js';

export interface C {
  name?: string;
  req?: Quantities;
  lim?: Quantities;
  sidecar?: boolean;
}

export function container(c: C, i: number, prefix: string): Container {
  const resources = c.req || c.lim ? { ...(c.req ? { requests: c.req } : {}), ...(c.lim ? { limits: c.lim } : {}) } : undefined;
  return { name: c.name ?? `${prefix}${i}`, ...(resources ? { resources } : {}), ...(c.sidecar ? { restartPolicy: 'Always' } : {}) };
}

export interface PodOpts {
  ns?: string;
  name: string;
  node?: string;
  phase?: string;
  containers?: C[];
  init?: C[];
  overhead?: Quantities;
  podResources?: { requests?: Quantities; limits?: Quantities };
  labels?: Record<string, string>;
  qosClass?: string;
  ready?: boolean;
  status?: Partial<Pod['status']>;
}

export function pod(o: PodOpts): Pod {
  return {
    metadata: { name: o.name, namespace: o.ns ?? 'default', uid: `uid-${o.ns ?? 'default'}-${o.name}`, resourceVersion: '1', ...(o.labels ? { labels: o.labels } : {}) },
    spec: {
      ...(o.node ? { nodeName: o.node } : {}),
      containers: (o.containers ?? [{}]).map((c, i) => container(c, i, 'c')),
      ...(o.init ? { initContainers: o.init.map((c, i) => container(c, i, 'init')) } : {}),
      ...(o.overhead ? { overhead: o.overhead } : {}),
      ...(o.podResources ? { resources: o.podResources } : {}),
    },
    status: {
      phase: o.phase ?? 'Running',
      ...(o.qosClass ? { qosClass: o.qosClass } : {}),
      ...(o.ready !== undefined ? { conditions: [{ type: 'Ready', status: o.ready ? 'True' : 'False' }] } : {}),
      ...(o.status ?? {}),
    },
  };
}

export interface NodeOpts {
  name: string;
  allocatable?: Quantities;
  capacity?: Quantities;
  labels?: Record<string, string>;
  ready?: string | null;
  conditions?: { type: string; status: string }[];
  unschedulable?: boolean;
  taints?: { key: string; value?: string; effect: string }[];
}

export function node(o: NodeOpts): Node {
  const conds = o.conditions ?? (o.ready === null ? [] : [{ type: 'Ready', status: o.ready ?? 'True' }]);
  return {
    metadata: { name: o.name, uid: `uid-${o.name}`, resourceVersion: '1', ...(o.labels ? { labels: o.labels } : {}) },
    spec: { ...(o.unschedulable ? { unschedulable: true } : {}), ...(o.taints ? { taints: o.taints } : {}) },
    status: { ...(o.allocatable ? { allocatable: o.allocatable } : {}), ...(o.capacity ? { capacity: o.capacity } : {}), conditions: conds },
  };
}

/** Deterministic PRNG (mulberry32) for randomized equivalence tests: the sim's own. */
export { makeRng as rng } from '../../src/sim/util.js';

export function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}
