// src/kube/unreadFields.ts. withoutManagedFields: the same JSON as parsing and deleting
// metadata.managedFields, for real-looking objects, lists and watch events; text that merely
// mentions managedFields is left alone. withoutUnreadPodFields: a pod's lean object is the same
// with or without it, for a real-looking pod and the embedded cluster's pods.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unreadFieldsCut, withoutManagedFields, withoutUnreadPodFields } from '../../src/kube/unreadFields.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
const cut = (v: unknown, indent?: number) => JSON.parse(dec.decode(withoutManagedFields(enc.encode(JSON.stringify(v, null, indent)))));

const managedFields = [
  { manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'v1', time: '2026-11-21T10:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} }, 'f:ownerReferences': { 'k:{"uid":"a-b"}': {} } } } },
  { manager: 'kubelet', operation: 'Update', subresource: 'status', fieldsV1: { 'f:status': { 'f:conditions': { 'k:{"type":"Ready"}': { '.': {}, 'f:message': {} } } } } },
];

function pod(name: string, withFields = true, first = false): Record<string, unknown> {
  const meta: Record<string, unknown> = first && withFields ? { managedFields } : {};
  Object.assign(meta, { name, namespace: 'shop', uid: `uid-${name}`, resourceVersion: '7', labels: { app: 'web' }, annotations: { note: 'see "managedFields": [ in the docs ]' } });
  if (withFields && !first) meta.managedFields = managedFields;
  return { kind: 'Pod', apiVersion: 'v1', metadata: meta, spec: { containers: [{ name: 'c', image: 'img', args: ['{"managedFields":[', ']]'] }] }, status: { phase: 'Running', message: 'a \\"quoted\\" ] } text' } };
}

function expected(v: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(v) as { metadata: Record<string, unknown> };
  delete copy.metadata.managedFields;
  return copy;
}

test('a pod loses its managedFields and nothing else, wherever the key sits in metadata', () => {
  for (const first of [false, true]) for (const indent of [undefined, 2]) assert.deepEqual(cut(pod('a', true, first), indent), expected(pod('a', true, first)), `first=${first} indent=${indent}`);
});

test('a list page: every item loses its managedFields; a watch event too', () => {
  const list = { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '9', continue: 'abc' }, items: [pod('a'), pod('b', false), pod('c', true, true)] };
  assert.deepEqual(cut(list), { ...list, items: list.items.map(expected) });
  const event = { type: 'MODIFIED', object: pod('d') };
  assert.deepEqual(cut(event), { type: 'MODIFIED', object: expected(pod('d')) });
});

test('text without managedFields is given back as it is; mentions inside strings stay', () => {
  const bytes = enc.encode(JSON.stringify(pod('x', false)));
  assert.equal(withoutManagedFields(bytes), bytes);
  assert.equal(dec.decode(withoutManagedFields(bytes)), JSON.stringify(pod('x', false)));
});

test('a managedFields value that is not an array or object, or is cut off, is left for JSON.parse to judge', () => {
  for (const text of ['{"metadata":{"managedFields":null,"name":"a"}}', '{"metadata":{"name":"a","managedFields":[{"manager":"x"']) {
    assert.equal(dec.decode(withoutManagedFields(enc.encode(text))), text);
  }
});

// ---- pods: everything leanPod does not read (withoutUnreadPodFields) ----

/** A pod as a real API server gives it, with every field the cut concerns, and look-alikes it must keep. */
const realPod = {
  kind: 'Pod',
  apiVersion: 'v1',
  metadata: {
    name: 'api-7d9f-x2x',
    namespace: 'shop',
    uid: 'u-1',
    resourceVersion: '42',
    creationTimestamp: '2026-11-21T10:00:00Z',
    labels: { app: 'api', env: 'prod', ports: 'http' },
    annotations: { command: '["run"]', 'note/env': 'see "env": [ here', securityContext: '{}' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'api-7d9f', uid: 'rs-1', controller: true }],
    managedFields,
  },
  spec: {
    nodeName: 'node-1',
    priorityClassName: 'high',
    restartPolicy: 'Always',
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } },
    tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
    initContainers: [{ name: 'init', image: 'busybox', command: ['sh', '-c', 'echo "ports": [1]'], resources: { requests: { cpu: '50m' } }, restartPolicy: 'Always' }],
    containers: [
      {
        name: 'api',
        image: 'registry/api:1.2',
        command: ['/api'],
        args: ['--port', '8080'],
        ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
        env: [{ name: 'A', value: '1' }, { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, { name: 'JSON', value: '{"env":[{"x":"]"}]}' }],
        envFrom: [{ configMapRef: { name: 'cfg' } }, { secretRef: { name: 's' } }],
        resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } },
        livenessProbe: { exec: { command: ['cat', '/tmp/ok'] }, periodSeconds: 10 },
        readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
        startupProbe: { tcpSocket: { port: 8080 } },
        lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
        securityContext: { readOnlyRootFilesystem: true },
        volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'kube-api-access', mountPath: '/var/run/secrets', readOnly: true }],
      },
    ],
    volumes: [
      { name: 'data', persistentVolumeClaim: { claimName: 'data-api-0' } },
      { name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } } },
      { name: 'csi', csi: { driver: 'ebs.csi.aws.com', volumeAttributes: { volumeHandle: 'vol-1' } } },
      { name: 'kube-api-access', projected: { sources: [{ serviceAccountToken: { path: 'token' } }, { configMap: { name: 'kube-root-ca.crt' } }, { downwardAPI: { items: [{ path: 'ns' }] } }] } },
      { name: 'cfg', configMap: { name: 'cfg' } },
      { name: 'sec', secret: { secretName: 's' } },
    ],
  },
  status: {
    phase: 'Running',
    qosClass: 'Burstable',
    podIP: '10.0.0.7',
    hostIP: '192.168.0.1',
    startTime: '2026-11-21T10:00:01Z',
    conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-11-21T10:00:09Z' }],
    containerStatuses: [{ name: 'api', ready: true, restartCount: 1, started: true, image: 'registry/api:1.2', state: { running: { startedAt: '2026-11-21T10:00:05Z' } }, lastState: { terminated: { reason: 'Error', exitCode: 1 } } }],
  },
};

const cutPod = (text: string) => dec.decode(withoutUnreadPodFields(enc.encode(text)));

test('a pod keeps everything leanPod reads: its lean object is the same, cut or not', async () => {
  const { leanPod } = await import('../../src/kube/lean.js');
  const { Store } = await import('../../src/sim/store.js');
  const { loadScenario } = await import('../../src/sim/scenarios/index.js');
  const pods: unknown[] = [realPod];
  for (const scenario of ['incident', 'generated']) {
    const sim = new Store({ seed: 3 });
    loadScenario(sim, { scenario, pods: 400, nodes: 20 });
    pods.push(...sim.list('pods'));
  }
  let before = 0;
  let after = 0;
  for (const p of pods) {
    for (const indent of [undefined, 1]) {
      const text = JSON.stringify(p, null, indent);
      const cutText = cutPod(text);
      assert.deepEqual(leanPod(JSON.parse(cutText)), leanPod(JSON.parse(text)));
      before += text.length;
      after += cutText.length;
    }
  }
  assert.ok(pods.length > 400);
  assert.ok(after < 0.6 * before, `cut to ${((100 * after) / before).toFixed(0)} %`);
});

test('a pod loses exactly its unread values; look-alikes in labels, annotations and strings stay', () => {
  const got = JSON.parse(cutPod(JSON.stringify(realPod)));
  const c = realPod.spec.containers[0]!;
  const { managedFields: _dropped, ...metadata } = realPod.metadata;
  assert.deepEqual(got.metadata, metadata);
  assert.deepEqual(got.spec.containers, [{ name: c.name, image: c.image, resources: c.resources, volumeMounts: c.volumeMounts }]);
  assert.deepEqual(got.spec.initContainers, [{ name: 'init', image: 'busybox', resources: { requests: { cpu: '50m' } }, restartPolicy: 'Always' }]);
  assert.deepEqual(Object.keys(got.spec), ['nodeName', 'priorityClassName', 'restartPolicy', 'initContainers', 'containers', 'volumes']);
  assert.deepEqual(got.spec.volumes, [...realPod.spec.volumes.slice(0, 3), { name: 'kube-api-access' }, { name: 'cfg' }, { name: 'sec' }]);
  assert.deepEqual(got.status, realPod.status);
});

test('a watch line cut short is cut only where a whole value was: it parses exactly when the text does', () => {
  const line = JSON.stringify({ type: 'MODIFIED', object: realPod });
  for (let n = 0; n < line.length; n += 3) {
    const prefix = line.slice(0, n);
    const out = cutPod(prefix);
    const parses = (t: string) => {
      try {
        JSON.parse(t);
        return true;
      } catch {
        return false;
      }
    };
    assert.equal(parses(out), parses(prefix), `at ${n}`);
    if (out !== prefix) assert.ok(out.length < prefix.length);
  }
  assert.deepEqual(JSON.parse(cutPod(line)).object.status, realPod.status);
});

test('other kinds lose only managedFields (rollout undo needs a template whole)', () => {
  const rs = { kind: 'ReplicaSet', metadata: { name: 'api-7d9f', managedFields }, spec: { template: { spec: realPod.spec } } };
  const text = JSON.stringify(rs);
  assert.deepEqual(JSON.parse(dec.decode(unreadFieldsCut('replicasets')(enc.encode(text)))), { ...rs, metadata: { name: 'api-7d9f' } });
  assert.equal(unreadFieldsCut('pods'), withoutUnreadPodFields);
});
