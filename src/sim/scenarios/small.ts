/*
 * Small scenarios.
 * "empty":   namespaces default and kube-system, one Ready node `node-1`, nothing else.
 * "small":   nodes node-1, node-2 (2 cpu / 8Gi each); namespace `apps`; Deployment apps/web
 *            (2 replicas, nginx:1.27.2, 100m/128Mi) with its ReplicaSet and 2 Running pods.
 * "healthy": nodes node-1..node-3 (4 cpu / 16Gi); namespaces apps, kube-system; Deployments
 *            apps/web (3 replicas) and apps/api (2 replicas), all Running and Ready; no warnings.
 */
import type { Store } from '../store.js';
import { Builder, container, DAY } from './build.js';

function nodes(b: Builder, n: number, cpu: string, mem: string): void {
  for (let i = 1; i <= n; i++) b.node(`node-${i}`, { cpu, memory: mem, allocCpu: cpu, allocMemory: mem, type: 'm5.xlarge', ip: `10.1.0.${10 + i}`, zone: `us-west-2${'abc'[(i - 1) % 3]}`, pool: 'default' });
}

function deploy(b: Builder, ns: string, name: string, replicas: number, image: string, nodeNames: string[]): void {
  const d = b.deployment(ns, name, { replicas, labels: { 'app.kubernetes.io/name': name }, revisions: [{ spec: { containers: [container(name, image, { cpu: '100m', memory: '128Mi' }, { cpu: '200m', memory: '256Mi' })] }, replicas, age: 3 * DAY }] });
  const rs = d.rs[0];
  for (let i = 0; i < replicas; i++) b.pod(ns, `${rs.metadata.name}-${'bcdfg'[i % 5]}${i}x${'klmnp'[i % 5]}q`, rs.spec.template.spec, { node: nodeNames[i % nodeNames.length], labels: rs.spec.template.metadata.labels, owner: { kind: 'ReplicaSet', obj: rs }, age: 3 * DAY });
}

export function empty(store: Store): void {
  const b = new Builder(store);
  b.namespace('default');
  b.namespace('kube-system');
  b.namespace('kube-node-lease');
  nodes(b, 1, '4', '16Gi');
}

export function small(store: Store): void {
  const b = new Builder(store);
  for (const ns of ['default', 'kube-system', 'kube-node-lease', 'apps']) b.namespace(ns);
  nodes(b, 2, '2', '8Gi');
  deploy(b, 'apps', 'web', 2, 'nginx:1.27.2', ['node-1', 'node-2']);
}

export function healthy(store: Store): void {
  const b = new Builder(store);
  for (const ns of ['default', 'kube-system', 'kube-node-lease', 'apps']) b.namespace(ns);
  nodes(b, 3, '4', '16Gi');
  deploy(b, 'apps', 'web', 3, 'nginx:1.27.2', ['node-1', 'node-2', 'node-3']);
  deploy(b, 'apps', 'api', 2, 'registry.example.com/apps/api:2.0.0', ['node-2', 'node-3']);
}
