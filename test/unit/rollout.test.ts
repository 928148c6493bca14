import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ControllerRevision, DaemonSet, Deployment, PodTemplateSpec, ReplicaSet, StatefulSet } from '../../src/kube/types.js';
import {
  controllerRevisionHistory,
  daemonSetRolloutState,
  deploymentHistory,
  deploymentRolloutState,
  planControllerRevisionUndo,
  planDeploymentUndo,
  replicaSetRevision,
  rollbackAnnotations,
  selectorMatches,
  statefulSetRolloutState,
  type UndoPatchPlan,
} from '../../src/model/rollout.js';
import { diffTemplates, formatDiff } from '../../src/model/templateDiff.js';

// ---- builders --------------------------------------------------------------------------------

const DEPLOY_UID = 'uid-deploy-web';

function template(image: string, hash?: string): PodTemplateSpec {
  return {
    metadata: { labels: hash ? { app: 'web', 'pod-template-hash': hash } : { app: 'web' } },
    spec: { containers: [{ name: 'app', image }] },
  };
}

function deployment(image: string, opts: { revision?: string; paused?: boolean; annotations?: Record<string, string> } = {}): Deployment {
  return {
    metadata: {
      name: 'web',
      namespace: 'prod',
      uid: DEPLOY_UID,
      resourceVersion: '4242',
      generation: 5,
      annotations: { 'deployment.kubernetes.io/revision': opts.revision ?? '3', ...opts.annotations },
    },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: template(image), paused: opts.paused },
    status: { observedGeneration: 5, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 },
  };
}

function rs(
  revision: string | undefined,
  image: string,
  opts: { owner?: string; controller?: boolean; created?: string; hash?: string; annotations?: Record<string, string> } = {},
): ReplicaSet {
  const hash = opts.hash ?? `h${revision}`;
  return {
    metadata: {
      name: `web-${hash}`,
      namespace: 'prod',
      uid: `uid-rs-${hash}`,
      resourceVersion: '1',
      creationTimestamp: opts.created ?? `2024-05-0${revision ?? '1'}T10:00:00Z`,
      labels: { app: 'web', 'pod-template-hash': hash },
      annotations: { ...(revision !== undefined ? { 'deployment.kubernetes.io/revision': revision } : {}), ...opts.annotations },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: opts.owner ?? DEPLOY_UID, controller: opts.controller ?? true }],
    },
    spec: { replicas: 0, selector: { matchLabels: { app: 'web', 'pod-template-hash': hash } }, template: template(image, hash) },
  };
}

const history3 = () => [rs('1', 'nginx:1.24'), rs('2', 'nginx:1.25'), rs('3', 'nginx:1.26')];

// ---- Deployment history ------------------------------------------------------------------------

describe('deploymentHistory', () => {
  test('lists owned ReplicaSets by revision with change-cause, images and the current one', () => {
    const sets = [
      rs('2', 'nginx:1.25', { annotations: { 'kubernetes.io/change-cause': 'kubectl set image deploy/web app=nginx:1.25' } }),
      rs('1', 'nginx:1.24'),
      rs('3', 'nginx:1.26'),
      rs('9', 'other:1', { owner: 'uid-someone-else' }), // not owned
      rs('8', 'other:1', { controller: false, hash: 'x8' }), // owner ref but not the controller
    ];
    const now = Date.parse('2024-05-04T10:00:00Z');
    const h = deploymentHistory(deployment('nginx:1.26'), sets, now);
    assert.deepEqual(
      h.map((e) => [e.revision, e.source.name, e.changeCause, e.images, e.current, e.ageSeconds]),
      [
        [1, 'web-h1', undefined, ['app=nginx:1.24'], false, 3 * 86400],
        [2, 'web-h2', 'kubectl set image deploy/web app=nginx:1.25', ['app=nginx:1.25'], false, 2 * 86400],
        [3, 'web-h3', undefined, ['app=nginx:1.26'], true, 86400],
      ],
    );
  });

  test('missing revision annotation is revision 0; an unparsable one is skipped (deploymentutil.Revision)', () => {
    assert.equal(replicaSetRevision(rs(undefined, 'a')), 0);
    assert.equal(replicaSetRevision(rs('abc', 'a', { hash: 'bad' })), undefined);
    const h = deploymentHistory(deployment('nginx:1.26'), [rs(undefined, 'nginx:1.0', { hash: 'none' }), rs('abc', 'x', { hash: 'bad' }), rs('3', 'nginx:1.26')]);
    assert.deepEqual(h.map((e) => e.revision), [0, 3]);
  });

  test('ReplicaSets outside the selector are not history', () => {
    const stray = rs('4', 'nginx:9');
    stray.metadata.labels = { app: 'other' };
    assert.deepEqual(deploymentHistory(deployment('nginx:1.26'), [...history3(), stray]).map((e) => e.revision), [1, 2, 3]);
  });
});

describe('selectorMatches', () => {
  test('matchLabels and matchExpressions', () => {
    const sel = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe', 'be'] }, { key: 'canary', operator: 'DoesNotExist' }] };
    assert.equal(selectorMatches(sel, { app: 'web', tier: 'fe' }), true);
    assert.equal(selectorMatches(sel, { app: 'web', tier: 'db' }), false);
    assert.equal(selectorMatches(sel, { app: 'web', tier: 'fe', canary: '1' }), false);
  });
});

// ---- Deployment undo -------------------------------------------------------------------------

describe('planDeploymentUndo', () => {
  test('previous = second-highest revision, whatever the input order', () => {
    const sets = history3().reverse();
    const plan = planDeploymentUndo(deployment('nginx:1.26'), sets);
    assert.equal(plan.kind, 'patch');
    assert.equal(plan.toRevision, 2);
    assert.equal(plan.fromRevision, 3);
    const p = plan as UndoPatchPlan;
    assert.equal(p.patchType, 'application/json-patch+json');
    assert.equal(p.resourceVersion, '4242');
    assert.deepEqual(p.imageChanges, [{ container: 'app', from: 'nginx:1.26', to: 'nginx:1.25' }]);
    assert.equal(p.summary, 'deployment/web: revision 3 -> 2 (app: nginx:1.26 -> nginx:1.25)');
    assert.equal(p.message, 'rolled back');
  });

  test('--to-revision=N picks that revision', () => {
    const plan = planDeploymentUndo(deployment('nginx:1.26'), history3(), 1);
    assert.equal(plan.kind, 'patch');
    assert.equal(plan.toRevision, 1);
    assert.deepEqual((plan as UndoPatchPlan).imageChanges, [{ container: 'app', from: 'nginx:1.26', to: 'nginx:1.24' }]);
  });

  test('a revision that is not in history', () => {
    const plan = planDeploymentUndo(deployment('nginx:1.26'), history3(), 7);
    assert.deepEqual({ kind: plan.kind, message: plan.message }, { kind: 'error', message: 'unable to find specified revision 7 in history' });
    const neg = planDeploymentUndo(deployment('nginx:1.26'), history3(), -1);
    assert.equal(neg.message, 'unable to find specified revision -1 in history');
  });

  test('no previous revision', () => {
    const plan = planDeploymentUndo(deployment('nginx:1.26', { revision: '1' }), [rs('1', 'nginx:1.26')]);
    assert.deepEqual({ kind: plan.kind, message: plan.message }, { kind: 'error', message: 'no rollout history found for deployment "web"' });
    assert.equal(planDeploymentUndo(deployment('nginx:1.26'), []).message, 'no rollout history found for deployment "web"');
  });

  test('a paused Deployment is refused with kubectl\'s message (after the revision lookup, as kubectl)', () => {
    const plan = planDeploymentUndo(deployment('nginx:1.26', { paused: true }), history3());
    assert.deepEqual(
      { kind: plan.kind, message: plan.message },
      { kind: 'error', message: "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again" },
    );
    // kubectl looks the revision up first: a missing revision wins over paused.
    assert.equal(planDeploymentUndo(deployment('nginx:1.26', { paused: true }), history3(), 9).message, 'unable to find specified revision 9 in history');
  });

  test('skipped rollback when the target template matches, ignoring pod-template-hash', () => {
    const skip = planDeploymentUndo(deployment('nginx:1.26'), history3(), 3);
    assert.deepEqual({ kind: skip.kind, message: skip.message, to: skip.toRevision }, {
      kind: 'skip',
      message: 'skipped rollback (current template already matches revision 3)',
      to: 3,
    });
    // Undo to the previous one whose template equals the current one: kubectl prints the asked revision, 0.
    const sets = [rs('1', 'nginx:1.24'), rs('2', 'nginx:1.26'), rs('3', 'nginx:1.26', { hash: 'other' })];
    const prev = planDeploymentUndo(deployment('nginx:1.26'), sets);
    assert.deepEqual({ kind: prev.kind, message: prev.message, to: prev.toRevision }, {
      kind: 'skip',
      message: 'skipped rollback (current template already matches revision 0)',
      to: 2,
    });
  });

  test('the exact JSON patch kubectl sends', () => {
    const d = deployment('nginx:1.26', {
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Deployment"}',
        'kubernetes.io/change-cause': 'set image 1.26',
        team: 'payments',
      },
    });
    const sets = [
      rs('1', 'nginx:1.24'),
      rs('2', 'nginx:1.25', {
        annotations: {
          'deployment.kubernetes.io/desired-replicas': '2',
          'deployment.kubernetes.io/max-replicas': '3',
          'deployment.kubernetes.io/revision-history': '1',
          'kubernetes.io/change-cause': 'set image 1.25',
        },
      }),
      rs('3', 'nginx:1.26'),
    ];
    const plan = planDeploymentUndo(d, sets) as UndoPatchPlan;
    assert.equal(
      JSON.stringify(plan.patch),
      '[{"op":"replace","path":"/spec/template","value":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"app","image":"nginx:1.25"}]}}},' +
        '{"op":"replace","path":"/metadata/annotations","value":{' +
        '"deployment.kubernetes.io/revision":"3",' +
        '"kubectl.kubernetes.io/last-applied-configuration":"{\\"kind\\":\\"Deployment\\"}",' +
        '"kubernetes.io/change-cause":"set image 1.25"}}]',
    );
    // The input ReplicaSet is not modified.
    assert.equal(sets[1]!.spec.template.metadata!.labels!['pod-template-hash'], 'h2');
  });

  test('annotation rules: skip-listed keys come from the Deployment, all others from the ReplicaSet', () => {
    const d = deployment('x', {
      revision: '5',
      annotations: { 'deprecated.deployment.rollback.to': '2', 'deployment.kubernetes.io/max-replicas': '9', custom: 'dropped' },
    });
    const target = rs('2', 'y', {
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': 'from-rs',
        'deployment.kubernetes.io/max-replicas': '3',
        owner: 'team-a',
      },
    });
    assert.deepEqual(rollbackAnnotations(d, target), {
      'deployment.kubernetes.io/max-replicas': '9',
      'deployment.kubernetes.io/revision': '5',
      'deprecated.deployment.rollback.to': '2',
      owner: 'team-a',
    });
  });

  test('the diff in the plan shows the image change', () => {
    const plan = planDeploymentUndo(deployment('nginx:1.26'), history3()) as UndoPatchPlan;
    assert.deepEqual(formatDiff(plan.diff), [
      '@@ -3 +3 @@',
      '      app: web',
      '  spec:',
      '    containers:',
      '-     - image: nginx:1.26',
      '+     - image: nginx:1.25',
      '        name: app',
    ]);
  });
});

// ---- StatefulSet / DaemonSet -------------------------------------------------------------------

const STS_UID = 'uid-sts-db';

function stsTemplate(image: string): PodTemplateSpec {
  return { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image }] } };
}

function cr(revision: number, image: string, ownerUid = STS_UID, owner = 'db'): ControllerRevision {
  return {
    metadata: {
      name: `${owner}-r${revision}`,
      namespace: 'prod',
      uid: `uid-cr-${owner}-${revision}`,
      resourceVersion: '1',
      creationTimestamp: `2024-05-0${revision}T00:00:00Z`,
      labels: { app: 'db', 'controller-revision-hash': `r${revision}` },
      ownerReferences: [{ kind: 'StatefulSet', name: owner, uid: ownerUid, controller: true }],
    },
    revision,
    data: { spec: { template: { $patch: 'replace', ...stsTemplate(image) } } },
  };
}

function statefulSet(image: string, updateRevision = 'db-r3'): StatefulSet {
  return {
    metadata: { name: 'db', namespace: 'prod', uid: STS_UID, resourceVersion: '77', generation: 2 },
    spec: { replicas: 3, selector: { matchLabels: { app: 'db' } }, template: stsTemplate(image), updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } } },
    status: { observedGeneration: 2, replicas: 3, readyReplicas: 3, updatedReplicas: 3, currentRevision: updateRevision, updateRevision },
  };
}

describe('StatefulSet / DaemonSet undo', () => {
  const revs = () => [cr(3, 'pg:16'), cr(1, 'pg:14'), cr(2, 'pg:15'), cr(4, 'x', 'uid-other')];

  test('history from owned ControllerRevisions', () => {
    const h = controllerRevisionHistory(statefulSet('pg:16'), revs());
    assert.deepEqual(h.map((e) => [e.revision, e.images, e.current]), [
      [1, ['db=pg:14'], false],
      [2, ['db=pg:15'], false],
      [3, ['db=pg:16'], true],
    ]);
    assert.deepEqual(h[0]!.template, stsTemplate('pg:14'));
  });

  test('undo to previous sends the revision data as a strategic-merge patch', () => {
    const plan = planControllerRevisionUndo('StatefulSet', statefulSet('pg:16'), revs()) as UndoPatchPlan;
    assert.equal(plan.kind, 'patch');
    assert.equal(plan.toRevision, 2);
    assert.equal(plan.fromRevision, 3);
    assert.equal(plan.patchType, 'application/strategic-merge-patch+json');
    assert.equal(
      JSON.stringify(plan.patch),
      '{"spec":{"template":{"$patch":"replace","metadata":{"labels":{"app":"db"}},"spec":{"containers":[{"name":"db","image":"pg:15"}]}}}}',
    );
    assert.equal(plan.resourceVersion, '77');
    assert.equal(plan.summary, 'statefulset/db: revision 3 -> 2 (db: pg:16 -> pg:15)');
  });

  test('--to-revision, skip when matching, missing revision, no last revision', () => {
    assert.equal(planControllerRevisionUndo('StatefulSet', statefulSet('pg:16'), revs(), 1).toRevision, 1);
    const skip = planControllerRevisionUndo('StatefulSet', statefulSet('pg:16'), revs(), 3);
    assert.deepEqual([skip.kind, skip.message], ['skip', 'skipped rollback (current template already matches revision 3)']);
    const missing = planControllerRevisionUndo('StatefulSet', statefulSet('pg:16'), revs(), 4); // revision 4 is not owned
    assert.deepEqual([missing.kind, missing.message], ['error', 'unable to find specified revision 4 in history']);
    const none = planControllerRevisionUndo('StatefulSet', statefulSet('pg:14', 'db-r1'), [cr(1, 'pg:14')]);
    assert.deepEqual([none.kind, none.message], ['error', 'no last revision to roll back to']);
  });

  test('DaemonSet uses the same ControllerRevision logic', () => {
    const ds: DaemonSet = {
      metadata: { name: 'agent', namespace: 'prod', uid: 'uid-ds', resourceVersion: '9' },
      spec: { selector: { matchLabels: { app: 'db' } }, template: stsTemplate('agent:2') },
    };
    const crs = [cr(1, 'agent:1', 'uid-ds', 'agent'), cr(2, 'agent:2', 'uid-ds', 'agent')];
    const plan = planControllerRevisionUndo('DaemonSet', ds, crs) as UndoPatchPlan;
    assert.equal(plan.kind, 'patch');
    assert.equal(plan.toRevision, 1);
    assert.equal(plan.fromRevision, 2); // no updateRevision: the revision matching the current template
    assert.deepEqual(plan.patch, { spec: { template: { $patch: 'replace', ...stsTemplate('agent:1') } } });
    assert.equal(plan.summary, 'daemonset/agent: revision 2 -> 1 (db: agent:2 -> agent:1)');
  });
});

// ---- rollout state ---------------------------------------------------------------------------

describe('rollout state', () => {
  test('Deployment: complete, progressing, stalled, paused, spec not observed', () => {
    const d = deployment('x');
    assert.deepEqual([deploymentRolloutState(d).phase, deploymentRolloutState(d).message], ['complete', 'deployment "web" successfully rolled out']);

    const prog = deployment('x');
    prog.spec.replicas = 4;
    prog.status = { observedGeneration: 5, replicas: 5, updatedReplicas: 1, readyReplicas: 4, availableReplicas: 4 };
    const s = deploymentRolloutState(prog);
    assert.deepEqual([s.phase, s.progress, s.message], ['progressing', 0.25, 'Waiting for deployment "web" rollout to finish: 1 out of 4 new replicas have been updated...']);

    const old = deployment('x');
    old.status = { observedGeneration: 5, replicas: 3, updatedReplicas: 2, availableReplicas: 2 };
    assert.equal(deploymentRolloutState(old).message, 'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...');

    const unavail = deployment('x');
    unavail.status = { observedGeneration: 5, replicas: 2, updatedReplicas: 2, availableReplicas: 1 };
    assert.equal(deploymentRolloutState(unavail).message, 'Waiting for deployment "web" rollout to finish: 1 of 2 updated replicas are available...');

    const stalled = deployment('x');
    stalled.status = {
      observedGeneration: 5, replicas: 3, updatedReplicas: 1,
      conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
    };
    assert.deepEqual([deploymentRolloutState(stalled).phase, deploymentRolloutState(stalled).message], ['stalled', 'deployment "web" exceeded its progress deadline']);

    assert.equal(deploymentRolloutState(deployment('x', { paused: true })).phase, 'paused');

    const unobserved = deployment('x');
    unobserved.metadata.generation = 6;
    assert.deepEqual([deploymentRolloutState(unobserved).phase, deploymentRolloutState(unobserved).message], ['progressing', 'Waiting for deployment spec update to be observed...']);
  });

  test('StatefulSet: partitioned, rolling, not ready', () => {
    assert.deepEqual(
      [statefulSetRolloutState(statefulSet('x')).phase, statefulSetRolloutState(statefulSet('x')).message],
      ['complete', 'partitioned roll out complete: 3 new pods have been updated...'],
    );
    const part = statefulSet('x');
    part.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 1 } };
    part.status = { ...part.status, updatedReplicas: 1 };
    assert.deepEqual([statefulSetRolloutState(part).phase, statefulSetRolloutState(part).progress], ['progressing', 0.5]);

    const rolling = statefulSet('x');
    rolling.spec.updateStrategy = { type: 'RollingUpdate' };
    rolling.status = { observedGeneration: 2, readyReplicas: 3, updatedReplicas: 1, currentRevision: 'db-r2', updateRevision: 'db-r3' };
    assert.equal(statefulSetRolloutState(rolling).message, 'waiting for statefulset rolling update to complete 1 pods at revision db-r3...');

    const notReady = statefulSet('x');
    notReady.status = { ...notReady.status, readyReplicas: 1 };
    assert.equal(statefulSetRolloutState(notReady).message, 'Waiting for 2 pods to be ready...');
  });

  test('DaemonSet: updated and available counts', () => {
    const ds: DaemonSet = {
      metadata: { name: 'agent', namespace: 'prod', uid: 'u', resourceVersion: '1', generation: 3 },
      spec: { selector: {}, template: stsTemplate('a') },
      status: { observedGeneration: 3, desiredNumberScheduled: 4, updatedNumberScheduled: 3, numberAvailable: 3, numberReady: 3 },
    };
    const s = daemonSetRolloutState(ds);
    assert.deepEqual([s.phase, s.progress, s.message], ['progressing', 0.75, 'Waiting for daemon set "agent" rollout to finish: 3 out of 4 new pods have been updated...']);
    ds.status = { ...ds.status, updatedNumberScheduled: 4, numberAvailable: 4 };
    assert.equal(daemonSetRolloutState(ds).phase, 'complete');
  });
});

describe('diffTemplates', () => {
  test('equal templates (but for the hash) have no diff', () => {
    const d = diffTemplates(template('a', 'h1'), template('a', 'h2'));
    assert.deepEqual([d.changed, d.lines.length], [false, 0]);
  });
  test('counts added and removed lines', () => {
    const to = template('b');
    to.spec.containers.push({ name: 'side', image: 'envoy:1' });
    const d = diffTemplates(template('a'), to);
    assert.deepEqual([d.added, d.removed], [3, 1]);
  });
});
