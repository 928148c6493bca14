// Packed pod templates (src/kube/leanTemplate.ts): a lean workload's template must read,
// serialise, clone and compare exactly like the eager one, rollout undo must send the same
// bytes, and a Deployment and its ReplicaSet must share one packed spec.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { leanObject } from '../../src/kube/lean.js';
import { copyTemplate, packedSpec, samePackedSpec, templateSummary } from '../../src/kube/leanTemplate.js';
import type { ControllerRevision, Deployment, ReplicaSet, StatefulSet } from '../../src/kube/types.js';
import {
  controllerRevisionHistory,
  controllerRevisionPatch,
  deploymentHistory,
  equalIgnoreHash,
  planControllerRevisionUndo,
  planDeploymentUndo,
  semanticEqual,
  templateImages,
  type UndoPatchPlan,
} from '../../src/model/rollout.js';
import { diffTemplates, templateLines } from '../../src/model/templateDiff.js';
import { volumeRisks } from '../../src/model/volumeConflicts.js';
import { leanYaml } from '../../views/ObjectDetailView.js';

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const managedFields = [{ manager: 'kube-controller-manager', operation: 'Update', fieldsV1: { 'f:spec': {} } }];

function podSpec(image: string): Raw {
  return {
    initContainers: [{ name: 'migrate', image: `${image}-migrate`, command: ['/migrate'] }],
    containers: [
      {
        name: 'app',
        image,
        env: Array.from({ length: 18 }, (_, i) => ({ name: `CONFIG_VALUE_${i}`, value: `web-setting-${i}` })),
        ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
        livenessProbe: { httpGet: { path: '/livez', port: 8080, scheme: 'HTTP' }, periodSeconds: 10 },
        resources: { requests: { cpu: '100m', memory: '128Mi' } },
        volumeMounts: [{ name: 'data', mountPath: '/data' }],
      },
    ],
    volumes: [
      { name: 'data', persistentVolumeClaim: { claimName: 'web-data' } },
      { name: 'config', configMap: { name: 'web-config', defaultMode: 420 } },
    ],
    restartPolicy: 'Always',
    securityContext: {},
    tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
  };
}

function rawDeployment(image: string, revision: string): Raw {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'prod',
      uid: 'uid-web',
      resourceVersion: '900',
      generation: 4,
      labels: { app: 'web' },
      annotations: { 'deployment.kubernetes.io/revision': revision, 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
      managedFields,
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { creationTimestamp: null, labels: { app: 'web' }, annotations: { team: 'a' } }, spec: podSpec(image) },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    },
    status: { replicas: 2, conditions: [{ type: 'Available', status: 'True', message: 'Deployment has minimum availability.' }] },
  };
}

function rawReplicaSet(image: string, revision: number, hash: string): Raw {
  const labels = { app: 'web', 'pod-template-hash': hash };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `web-${hash}`,
      namespace: 'prod',
      uid: `uid-rs-${hash}`,
      resourceVersion: String(100 + revision),
      creationTimestamp: `2026-01-0${revision}T00:00:00Z`,
      labels,
      annotations: { 'deployment.kubernetes.io/revision': String(revision), 'kubernetes.io/change-cause': `deploy ${image}` },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'uid-web', controller: true, blockOwnerDeletion: true }],
      managedFields,
    },
    spec: { replicas: 0, selector: { matchLabels: labels }, template: { metadata: { creationTimestamp: null, labels, annotations: { team: 'a' } }, spec: podSpec(image) } },
    status: { replicas: 0 },
  };
}

/** What the store held before templates were packed: the object minus managedFields and the last-applied annotation. */
function eager<T>(raw: Raw): T {
  const { managedFields: _m, ...metadata } = structuredClone(raw.metadata);
  if (metadata.annotations) delete metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'];
  return { ...structuredClone(raw), metadata } as T;
}

const lean = <K extends 'deployments' | 'replicasets' | 'statefulsets' | 'controllerrevisions'>(kind: K, raw: Raw) => leanObject(kind, JSON.parse(JSON.stringify(raw)));

test('a lean Deployment serialises, clones, spreads and renders exactly like the eager one', () => {
  const raw = rawDeployment('web:3', '3');
  const d = lean('deployments', raw);
  const e = eager<Deployment>(raw);
  assert.equal(JSON.stringify(d.spec.template), JSON.stringify(raw.spec.template));
  assert.equal(JSON.stringify(d.spec), JSON.stringify(e.spec));
  assert.deepEqual(structuredClone(d), JSON.parse(JSON.stringify(d)));
  assert.deepEqual(structuredClone(d.spec.template), raw.spec.template);
  assert.deepEqual(d.spec.template, e.spec.template);
  assert.deepEqual({ ...d.spec.template }, raw.spec.template);
  assert.deepEqual(Object.keys(d.spec.template), ['metadata', 'spec']);
  // The detail view's YAML: whole, and without anchors for the values lean objects share.
  assert.deepEqual(leanYaml('deployments', d), leanYaml('deployments', JSON.parse(JSON.stringify(d))));
  assert.ok(leanYaml('deployments', d).some((l) => l.trim() === '- name: CONFIG_VALUE_17'));
  assert.ok(!leanYaml('deployments', d).some((l) => /[&*]a\d/.test(l)));
  assert.deepEqual(templateLines(d.spec.template), templateLines(e.spec.template));
  // The parsed spec is memoised while it is recent.
  assert.equal(d.spec.template.spec, d.spec.template.spec);
  assert.equal(d.spec.template.spec.containers[0]!.image, 'web:3');
});

test('a Deployment and its ReplicaSet share one packed spec, smaller than its JSON', () => {
  const d = lean('deployments', rawDeployment('web:3', '3'));
  const rs = lean('replicasets', rawReplicaSet('web:3', 3, 'h3'));
  const old = lean('replicasets', rawReplicaSet('web:2', 2, 'h2'));
  assert.ok(samePackedSpec(d.spec.template, rs.spec.template));
  assert.ok(!samePackedSpec(d.spec.template, old.spec.template));
  const p = packedSpec(d.spec.template)!;
  assert.equal(p.json, JSON.stringify(podSpec('web:3')));
  assert.equal(packedSpec(rs.spec.template)!.json, p.json);
  assert.ok(p.deflatedBytes * 3 < p.json.length, `${p.deflatedBytes} deflated bytes for ${p.json.length} of JSON`);
  assert.ok(equalIgnoreHash(rs.spec.template, d.spec.template));
  assert.ok(!equalIgnoreHash(old.spec.template, d.spec.template));
});

test('scans read images and volumes of a packed template as of an eager one', () => {
  const raw = rawDeployment('web:3', '3');
  const d = lean('deployments', raw);
  const e = eager<Deployment>(raw);
  assert.deepEqual(templateImages(d.spec.template), ['migrate=web:3-migrate', 'app=web:3']);
  assert.deepEqual(templateImages(d.spec.template), templateImages(e.spec.template));
  assert.deepEqual(templateSummary(d.spec.template).volumes, [{ name: 'data', persistentVolumeClaim: { claimName: 'web-data' } }]);
  assert.deepEqual(templateSummary(d.spec.template).volumes, templateSummary(e.spec.template).volumes);
  const pvcs = [{ metadata: { name: 'web-data', namespace: 'prod', uid: 'c1', resourceVersion: '1' }, spec: { accessModes: ['ReadWriteOnce'] } }];
  const risks = volumeRisks({ deployments: [d], pvcs, pvs: [] });
  assert.deepEqual(risks, volumeRisks({ deployments: [e], pvcs, pvs: [] }));
  assert.deepEqual(risks.map((r) => `${r.name} ${r.pvc} ${r.accessMode}`), ['web web-data ReadWriteOnce']);
});

test('Deployment undo from lean objects sends the bytes it sends from eager ones', () => {
  const rawD = rawDeployment('web:3', '3');
  const rawRs = [rawReplicaSet('web:1', 1, 'h1'), rawReplicaSet('web:2', 2, 'h2'), rawReplicaSet('web:3', 3, 'h3')];
  const leanD = lean('deployments', rawD);
  const leanRs = rawRs.map((r) => lean('replicasets', r));
  const eagerD = eager<Deployment>(rawD);
  const eagerRs = rawRs.map((r) => eager<ReplicaSet>(r));
  for (const to of [0, 1, 3]) {
    const a = planDeploymentUndo(leanD, leanRs, to);
    const b = planDeploymentUndo(eagerD, eagerRs, to);
    assert.equal(JSON.stringify(a), JSON.stringify(b), `to revision ${to}`);
  }
  const plan = planDeploymentUndo(leanD, leanRs) as UndoPatchPlan;
  const eagerPlan = planDeploymentUndo(eagerD, eagerRs) as UndoPatchPlan;
  assert.equal(plan.kind, 'patch');
  assert.equal(JSON.stringify(plan.patch), JSON.stringify(eagerPlan.patch));
  assert.ok(JSON.stringify(plan.patch).includes('"image":"web:2"'));
  assert.deepEqual(diffTemplates(leanD.spec.template, plan.targetTemplate), diffTemplates(eagerD.spec.template, eagerPlan.targetTemplate));
  assert.equal(JSON.stringify(deploymentHistory(leanD, leanRs)), JSON.stringify(deploymentHistory(eagerD, eagerRs)));
});

function rawStatefulSet(image: string): Raw {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'prod', uid: 'uid-db', resourceVersion: '50', labels: { app: 'db' }, managedFields },
    spec: { replicas: 1, selector: { matchLabels: { app: 'db' } }, serviceName: 'db', template: { metadata: { labels: { app: 'db' } }, spec: podSpec(image) } },
    status: { replicas: 1 },
  };
}

function rawRevision(revision: number, image: string): Raw {
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: `db-r${revision}`,
      namespace: 'prod',
      uid: `uid-cr-${revision}`,
      resourceVersion: String(10 + revision),
      labels: { app: 'db' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'uid-db', controller: true }],
      managedFields,
    },
    // As the controller writes it: keys sorted, `$patch` first.
    data: { spec: { template: { $patch: 'replace', metadata: { labels: { app: 'db' } }, spec: podSpec(image) } } },
    revision,
  };
}

test('StatefulSet undo from lean ControllerRevisions sends the bytes it sends from eager ones', () => {
  const rawS = rawStatefulSet('pg:16');
  const rawCrs = [rawRevision(1, 'pg:14'), rawRevision(2, 'pg:15'), rawRevision(3, 'pg:16')];
  const leanS = lean('statefulsets', rawS);
  const leanCrs = rawCrs.map((r) => lean('controllerrevisions', r));
  const eagerS = eager<StatefulSet>(rawS);
  const eagerCrs = rawCrs.map((r) => eager<ControllerRevision>(r));
  assert.equal(JSON.stringify(leanCrs[0]!.data), JSON.stringify(rawCrs[0]!.data));
  // The current revision is found by comparing packed specs, without parsing them.
  assert.ok(semanticEqual(controllerRevisionPatch(leanS), leanCrs[2]!.data));
  assert.ok(!semanticEqual(controllerRevisionPatch(leanS), leanCrs[1]!.data));
  assert.equal(JSON.stringify(controllerRevisionPatch(leanS)), JSON.stringify(controllerRevisionPatch(eagerS)));
  for (const to of [0, 1, 3]) {
    const a = planControllerRevisionUndo('StatefulSet', leanS, leanCrs, to);
    const b = planControllerRevisionUndo('StatefulSet', eagerS, eagerCrs, to);
    assert.equal(JSON.stringify(a), JSON.stringify(b), `to revision ${to}`);
  }
  const plan = planControllerRevisionUndo('StatefulSet', leanS, leanCrs) as UndoPatchPlan;
  assert.equal(plan.toRevision, 2);
  assert.equal(JSON.stringify(plan.patch), JSON.stringify(rawCrs[1]!.data));
  assert.equal(JSON.stringify(controllerRevisionHistory(leanS, leanCrs)), JSON.stringify(controllerRevisionHistory(eagerS, eagerCrs)));
});

test('a copy of a packed template is deep and stays packed', () => {
  const d = lean('deployments', rawDeployment('web:3', '3'));
  const c = copyTemplate(d.spec.template, { $patch: 'replace' });
  assert.ok(samePackedSpec(c, d.spec.template));
  assert.notEqual(c.metadata, d.spec.template.metadata);
  assert.deepEqual(Object.keys(c), ['metadata', 'spec', '$patch']);
  assert.deepEqual(JSON.parse(JSON.stringify(c)), { ...JSON.parse(JSON.stringify(d.spec.template)), $patch: 'replace' });
});
