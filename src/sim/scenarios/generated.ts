/*
 * Scenario "generated": N nodes (default 100, up to 5,000) and M pods (default 3,000, up to
 * 150,000) for benchmarks. Namespaces team-00.. (one per ~1,500 pods, at least 3), each with
 * Deployments of 1-20 replicas (`<ns>-app-<i>`), one ReplicaSet each, pods spread round-robin
 * over nodes `gen-node-00000`... Pods are realistic in size (~6-9 KB of JSON with managedFields,
 * env, volumes, probes). Everything derives from the seed: same options, same cluster.
 *
 * Pods share their spec, managedFields and status fragments with the other pods of their
 * Deployment; their JSON is assembled from cached fragments (FAST_JSON), so 150,000 pods
 * load in seconds and lists do not stringify the shared parts again.
 */
import { FAST_JSON, type Store } from '../store.js';
import { templateHash } from '../controllers.js';
import { isoNow, randomSuffix } from '../util.js';
import { Builder, DAY } from './build.js';

const JSON_OF = new WeakMap<object, string>();
const SPEC_BASE = new WeakMap<object, string>();

function jsonOf(v: object): string {
  let s = JSON_OF.get(v);
  if (s === undefined) JSON_OF.set(v, (s = JSON.stringify(v)));
  return s;
}

/** Serializer of a generated pod, called with the pod as `this`. */
function fastPodJson(this: any): string {
  const { managedFields, ...rest } = this.metadata;
  let meta = JSON.stringify(rest);
  if (managedFields) meta = `${meta.slice(0, -1)},"managedFields":${jsonOf(managedFields)}}`;
  const base = SPEC_BASE.get(this.spec);
  const spec = base !== undefined ? `{"nodeName":${JSON.stringify(this.spec.nodeName)},${base.slice(1)}` : JSON.stringify(this.spec);
  return `{"kind":"Pod","apiVersion":"v1","metadata":${meta},"spec":${spec},"status":${JSON.stringify(this.status)}}`;
}

export function generated(store: Store, opts: { nodes?: number; pods?: number }): void {
  const nNodes = Math.max(1, Math.min(opts.nodes ?? 100, 5000));
  const nPods = Math.max(0, Math.min(opts.pods ?? 3000, 150_000));
  const b = new Builder(store);
  const rng = store.rng;
  for (const ns of ['default', 'kube-system', 'kube-node-lease']) b.namespace(ns);
  const nodeNames: string[] = [];
  for (let i = 0; i < nNodes; i++) {
    const name = `gen-node-${String(i).padStart(5, '0')}`;
    nodeNames.push(name);
    b.node(name, { cpu: '16', memory: '65023628Ki', allocCpu: '15890m', allocMemory: '63408140Ki', pods: '110', type: 'm5.4xlarge', ip: `10.${8 + Math.floor(i / 65536)}.${Math.floor(i / 256) % 256}.${i % 256}`, zone: `us-east-1${'abc'[i % 3]}`, pool: `pool-${i % 4}` });
  }
  const nNs = Math.max(3, Math.ceil(nPods / 1500));
  const namespaces = Array.from({ length: nNs }, (_, i) => `team-${String(i).padStart(2, '0')}`);
  for (const ns of namespaces) b.namespace(ns, { team: ns });
  const created = isoNow(store.now() - 3 * DAY);
  let podIndex = 0;
  let d = 0;
  const components = ['api', 'worker', 'web', 'cache', 'consumer'];
  while (podIndex < nPods) {
    const ns = namespaces[d % nNs]!;
    const app = `${ns}-app-${d}`;
    const replicas = Math.min(nPods - podIndex, 1 + Math.floor(rng() * 20));
    const component = components[d % components.length]!;
    const labels = { 'app.kubernetes.io/name': app, 'app.kubernetes.io/component': component, 'app.kubernetes.io/part-of': ns };
    const cpu = `${50 * (1 + (d % 8))}m`;
    const mem = `${64 * (1 + (d % 8))}Mi`;
    const image = `registry.example.com/${ns}/${app}:1.${d % 10}.${d % 7}`;
    const env = Array.from({ length: 18 }, (_, i) => ({ name: `CONFIG_VALUE_${i}`, value: `${app}-setting-${i}-${'x'.repeat(16)}` }));
    const probe = (path: string) => ({ httpGet: { path, port: 8080, scheme: 'HTTP' }, initialDelaySeconds: 5, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    const tplSpec = {
      containers: [
        { name: 'app', image, imagePullPolicy: 'IfNotPresent', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }, { name: 'metrics', containerPort: 9090, protocol: 'TCP' }], env, resources: { requests: { cpu, memory: mem }, limits: { cpu: `${2 * parseInt(cpu, 10)}m`, memory: `${2 * parseInt(mem, 10)}Mi` } }, livenessProbe: probe('/livez'), readinessProbe: probe('/readyz'), volumeMounts: [{ name: 'config', mountPath: '/etc/app' }, { name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }], terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' },
        { name: 'log-forwarder', image: 'fluent/fluent-bit:3.1.9', imagePullPolicy: 'IfNotPresent', resources: { requests: { cpu: '20m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } }, volumeMounts: [{ name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }], terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' },
      ],
      volumes: [
        { name: 'config', configMap: { name: `${app}-config`, defaultMode: 420 } },
        { name: 'kube-api-access', projected: { defaultMode: 420, sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }, { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }, { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } }] } },
      ],
      restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', serviceAccountName: 'default', serviceAccount: 'default', securityContext: {}, schedulerName: 'default-scheduler',
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }, { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
      priority: 0, enableServiceLinks: true, preemptionPolicy: 'PreemptLowerPriority',
    };
    const tpl = { metadata: { labels: { ...labels } }, spec: tplSpec };
    const hash = templateHash(tpl);
    const deploy = store.load('deployments', {
      metadata: { name: app, namespace: ns, creationTimestamp: created, labels, generation: 1, annotations: { 'deployment.kubernetes.io/revision': '1' } },
      spec: { replicas, selector: { matchLabels: labels }, template: tpl, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } }, revisionHistoryLimit: 10, progressDeadlineSeconds: 600 },
      // What the deployment controller writes once the rollout is done (its ReplicaSet's pods,
      // below, are all ready): without it every deployment read as never rolled out (kubectl
      // get deploy: 0/N ready), against the ReplicaSet's own status.
      status: {
        observedGeneration: 1, replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas,
        conditions: [
          { type: 'Available', status: 'True', lastUpdateTime: created, lastTransitionTime: created, reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
          { type: 'Progressing', status: 'True', lastUpdateTime: created, lastTransitionTime: created, reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${app}-${hash}" has successfully progressed.` },
        ],
      },
    });
    const podLabels = { ...labels, 'pod-template-hash': hash };
    const rs = store.load('replicasets', {
      metadata: { name: `${app}-${hash}`, namespace: ns, creationTimestamp: created, labels: podLabels, generation: 1, annotations: { 'deployment.kubernetes.io/desired-replicas': String(replicas), 'deployment.kubernetes.io/max-replicas': String(replicas + Math.ceil(replicas / 4)), 'deployment.kubernetes.io/revision': '1' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: app, uid: deploy.metadata.uid, controller: true, blockOwnerDeletion: true }] },
      spec: { replicas, selector: { matchLabels: podLabels }, template: { metadata: { labels: podLabels }, spec: tplSpec } },
      status: { replicas, fullyLabeledReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas, observedGeneration: 1 },
    });
    const ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }];
    const managedFields = [
      { manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'v1', time: created, fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:generateName': {}, 'f:labels': Object.fromEntries(Object.keys(podLabels).map((k) => [`f:${k}`, {}])), 'f:ownerReferences': { [`k:{"uid":"${rs.metadata.uid}"}`]: {} } }, 'f:spec': { 'f:containers': Object.fromEntries(tplSpec.containers.map((c) => [`k:{"name":"${c.name}"}`, { '.': {}, 'f:env': Object.fromEntries(c.env?.map((e) => [`k:{"name":"${e.name}"}`, { '.': {}, 'f:name': {}, 'f:value': {} }]) ?? []), 'f:image': {}, 'f:imagePullPolicy': {}, 'f:name': {}, 'f:resources': { '.': {}, 'f:limits': {}, 'f:requests': {} } }])), 'f:dnsPolicy': {}, 'f:volumes': {} } } },
      { manager: 'kubelet', operation: 'Update', apiVersion: 'v1', time: created, fieldsType: 'FieldsV1', subresource: 'status', fieldsV1: { 'f:status': { 'f:conditions': { 'k:{"type":"ContainersReady"}': { '.': {}, 'f:lastProbeTime': {}, 'f:lastTransitionTime': {}, 'f:status': {}, 'f:type': {} }, 'k:{"type":"Initialized"}': {}, 'k:{"type":"PodReadyToStartContainers"}': {}, 'k:{"type":"PodScheduled"}': {}, 'k:{"type":"Ready"}': {} }, 'f:containerStatuses': {}, 'f:hostIP': {}, 'f:hostIPs': {}, 'f:phase': {}, 'f:podIP': {}, 'f:podIPs': {}, 'f:startTime': {} } } },
    ];
    const baseJson = JSON.stringify(tplSpec);
    const conditions = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: created }));
    const containerStatuses = tplSpec.containers.map((c) => ({ name: c.name, image: c.image, imageID: `${c.image.split(':')[0]}@sha256:${hash}${'0'.repeat(54)}`, containerID: `containerd://${hash}${'f'.repeat(54)}`, ready: true, restartCount: 0, started: true, state: { running: { startedAt: created } } }));
    for (let r = 0; r < replicas; r++, podIndex++) {
      const node = nodeNames[podIndex % nNodes]!;
      const nodeIdx = podIndex % nNodes;
      const spec: any = { nodeName: node, ...tplSpec };
      SPEC_BASE.set(spec, baseJson);
      const ip = `10.${100 + (podIndex >> 16)}.${(podIndex >> 8) & 255}.${podIndex & 255}`;
      const hostIP = `10.${8 + Math.floor(nodeIdx / 65536)}.${Math.floor(nodeIdx / 256) % 256}.${nodeIdx % 256}`;
      const pod: any = {
        apiVersion: 'v1', kind: 'Pod',
        metadata: { name: `${rs.metadata.name}-${randomSuffix(rng)}`, generateName: `${rs.metadata.name}-`, namespace: ns, creationTimestamp: created, labels: podLabels, ownerReferences, managedFields },
        spec,
        status: { phase: 'Running', conditions, hostIP, hostIPs: [{ ip: hostIP }], podIP: ip, podIPs: [{ ip }], startTime: created, containerStatuses, qosClass: 'Burstable' },
      };
      pod[FAST_JSON] = fastPodJson;
      store.load('pods', pod);
    }
    d++;
  }
}
