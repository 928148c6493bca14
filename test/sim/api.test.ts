// The embedded cluster's REST API over real HTTPS: discovery, auth, lists, selectors, paging,
// watches, writes, patches, scale, tables, metrics, faults and control endpoints.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { api, simRequest, simStream, waitFor } from '../helpers/sim.js';

let sim: SimServer;

before(async () => {
  sim = await startSimServer({ scenario: 'incident', bookmarkIntervalMs: 200, historySize: 50, crashRestartMs: 0 });
});
after(async () => {
  await sim.close();
});

describe('discovery and auth', () => {
  test('version, groups, resources with short names', async () => {
    assert.match((await api(sim, '/version')).json().gitVersion, /^v1\.32\./);
    const groups = (await api(sim, '/apis')).json().groups.map((g: any) => g.name);
    assert.deepEqual(groups.sort(), ['apps', 'coordination.k8s.io', 'metrics.k8s.io', 'storage.k8s.io']);
    const core = (await api(sim, '/api/v1')).json().resources;
    const pods = core.find((r: any) => r.name === 'pods');
    assert.deepEqual([pods.kind, pods.namespaced, pods.shortNames], ['Pod', true, ['po']]);
    assert.ok(pods.verbs.includes('watch'));
    assert.equal(core.find((r: any) => r.name === 'nodes').namespaced, false);
    const apps = (await api(sim, '/apis/apps/v1')).json().resources;
    assert.deepEqual(apps.find((r: any) => r.name === 'deployments').shortNames, ['deploy']);
    assert.ok(apps.some((r: any) => r.name === 'deployments/scale'));
    assert.equal((await api(sim, '/openapi/v2')).status, 404);
  });

  test('401 without the token, as a Status', async () => {
    const r = await simRequest(sim.url + '/api/v1/pods', { ca: sim.ca });
    assert.equal(r.status, 401);
    assert.deepEqual(r.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    assert.equal((await simRequest(sim.url + '/api/v1/pods', { ca: sim.ca, token: 'wrong' })).status, 401);
  });

  test('404 NotFound Status for a missing object', async () => {
    const r = await api(sim, '/api/v1/namespaces/shop/pods/nope');
    assert.equal(r.status, 404);
    assert.equal(r.json().reason, 'NotFound');
    assert.equal(r.json().message, 'pods "nope" not found');
  });
});

describe('lists', () => {
  test('all namespaces and one namespace, sorted, with a list resourceVersion', async () => {
    const all = (await api(sim, '/api/v1/pods')).json();
    assert.equal(all.kind, 'PodList');
    assert.ok(all.items.length >= 30);
    assert.match(all.metadata.resourceVersion, /^\d+$/);
    const shop = (await api(sim, '/api/v1/namespaces/shop/pods')).json().items;
    assert.ok(shop.length > 5 && shop.every((p: any) => p.metadata.namespace === 'shop'));
    const names = shop.map((p: any) => p.metadata.name);
    assert.deepEqual(names, [...names].sort());
  });

  test('label selectors', async () => {
    const names = async (sel: string) => (await api(sim, `/api/v1/pods?labelSelector=${encodeURIComponent(sel)}`)).json().items.map((p: any) => p.metadata.name).sort();
    assert.deepEqual(await names('app=spark'), ['spark-worker-1', 'spark-worker-2']);
    assert.deepEqual(await names('app==spark,component=worker'), ['spark-worker-1', 'spark-worker-2']);
    assert.deepEqual(await names('app in (backfill, legacy-importer)'), ['backfill-7d', 'legacy-importer']);
    const noApp = await names('!app,!app.kubernetes.io/name,!k8s-app,!application,!job-name');
    assert.deepEqual(noApp, ['debug-shell']);
    const notSpark = await names('app,app notin (spark)');
    assert.ok(notSpark.includes('backfill-7d') && !notSpark.includes('spark-worker-1'));
    assert.ok((await names('app!=spark')).includes('debug-shell'));
    assert.equal((await api(sim, '/api/v1/pods?labelSelector=' + encodeURIComponent('a in b'))).status, 400);
  });

  test('field selectors', async () => {
    const names = async (path: string, sel: string) => (await api(sim, `${path}?fieldSelector=${encodeURIComponent(sel)}`)).json().items.map((p: any) => p.metadata.name).sort();
    const onGpu = await names('/api/v1/pods', 'spec.nodeName=gpu-f');
    assert.deepEqual(onGpu, ['fraud-model', 'node-exporter-s4t5v']);
    const active = await names('/api/v1/pods', 'spec.nodeName=worker-a,status.phase!=Succeeded,status.phase!=Failed');
    assert.ok(!active.includes('db-migrate-28930') && active.includes('ledger-0'));
    assert.deepEqual(await names('/api/v1/pods', 'status.phase=Failed'), ['report-gen-28931']);
    assert.deepEqual(await names('/api/v1/namespaces/payments/pods', 'metadata.name=ledger-1'), ['ledger-1']);
    assert.deepEqual(await names('/api/v1/pods', 'metadata.namespace=analytics'), (await api(sim, '/api/v1/namespaces/analytics/pods')).json().items.map((p: any) => p.metadata.name).sort());
    const ev = (await api(sim, `/api/v1/events?fieldSelector=${encodeURIComponent('involvedObject.kind=Node,involvedObject.name=worker-e')}`)).json().items;
    assert.deepEqual(ev.map((e: any) => e.reason), ['NodeNotReady']);
    const attach = (await api(sim, `/api/v1/namespaces/shop/events?fieldSelector=${encodeURIComponent('reason=FailedAttachVolume')}`)).json().items;
    assert.equal(attach.length, 1);
    assert.match(attach[0].message, /^Multi-Attach error for volume "pvc-4f1c2d3e-0a1b-4c5d-8e9f-1a2b3c4d5e6f" Volume is already used by pod\(s\) cart-/);
  });

  test('pagination with limit/continue and remainingItemCount', async () => {
    const total = (await api(sim, '/api/v1/pods')).json().items.length;
    const seen: string[] = [];
    let cont = '';
    let first: any;
    let pages = 0;
    do {
      const page = (await api(sim, `/api/v1/pods?limit=7${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`)).json();
      first ??= page;
      pages++;
      for (const p of page.items) seen.push(`${p.metadata.namespace}/${p.metadata.name}`);
      if (page.metadata.continue) {
        assert.equal(page.metadata.remainingItemCount, total - seen.length);
        assert.equal(page.metadata.resourceVersion, first.metadata.resourceVersion);
      }
      cont = page.metadata.continue ?? '';
    } while (cont);
    assert.equal(pages, Math.ceil(total / 7));
    assert.equal(seen.length, total);
    assert.equal(new Set(seen).size, total);
    // namespaced paging stays in its namespace
    const p1 = (await api(sim, '/api/v1/namespaces/payments/pods?limit=2')).json();
    const p2 = (await api(sim, `/api/v1/namespaces/payments/pods?limit=100&continue=${encodeURIComponent(p1.metadata.continue)}`)).json();
    assert.ok([...p1.items, ...p2.items].every((p: any) => p.metadata.namespace === 'payments'));
    assert.equal(p2.metadata.continue, undefined);
    assert.equal((await api(sim, '/api/v1/pods?limit=5&continue=garbage')).status, 400);
  });
});

describe('writes', () => {
  test('create, 409 AlreadyExists, PUT with stale resourceVersion 409 Conflict, delete', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'w1', namespace: 'default', labels: { t: 'w' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27.2', resources: { requests: { cpu: '10m' } } }] } };
    const c = await api(sim, '/api/v1/namespaces/default/pods', { method: 'POST', body: pod });
    assert.equal(c.status, 201);
    const created = c.json();
    assert.ok(created.metadata.uid && created.metadata.creationTimestamp);
    const dup = await api(sim, '/api/v1/namespaces/default/pods', { method: 'POST', body: pod });
    assert.equal(dup.status, 409);
    assert.equal(dup.json().reason, 'AlreadyExists');
    // PUT on an object no controller touches: a namespace
    const ns = (await api(sim, '/api/v1/namespaces', { method: 'POST', body: { metadata: { name: 'w-ns' } } })).json();
    const upd = { ...ns, metadata: { ...ns.metadata, labels: { t: 'w2' } } };
    const u = await api(sim, '/api/v1/namespaces/w-ns', { method: 'PUT', body: upd });
    assert.equal(u.status, 200);
    assert.equal(u.json().metadata.labels.t, 'w2');
    assert.ok(Number(u.json().metadata.resourceVersion) > Number(ns.metadata.resourceVersion));
    const stale = await api(sim, '/api/v1/namespaces/w-ns', { method: 'PUT', body: upd });
    assert.equal(stale.status, 409);
    assert.equal(stale.json().reason, 'Conflict');
    assert.equal(stale.json().message, 'Operation cannot be fulfilled on namespaces "w-ns": the object has been modified; please apply your changes to the latest version and try again');
    // scheduled and started by the emulated scheduler/kubelet
    const running = await waitFor(async () => {
      const p = (await api(sim, '/api/v1/namespaces/default/pods/w1')).json();
      return p.status?.phase === 'Running' && p;
    });
    assert.ok(running.spec.nodeName);
    assert.equal(running.status.conditions.find((c: any) => c.type === 'Ready').status, 'True');
    assert.equal((await api(sim, '/api/v1/namespaces/default/pods/w1', { method: 'DELETE' })).status, 200);
    assert.equal((await api(sim, '/api/v1/namespaces/default/pods/w1')).status, 404);
    assert.equal((await api(sim, '/api/v1/namespaces/nope/pods', { method: 'POST', body: { ...pod, metadata: { name: 'x' } } })).status, 404);
  });

  test('JSON patch, merge patch, strategic merge patch', async () => {
    const path = '/api/v1/namespaces/kube-system/pods/debug-shell';
    const jp = await api(sim, path, { method: 'PATCH', headers: { 'Content-Type': 'application/json-patch+json' }, body: [{ op: 'add', path: '/metadata/labels', value: { a: '1' } }, { op: 'add', path: '/metadata/labels/b', value: '2' }] });
    assert.equal(jp.status, 200);
    assert.deepEqual(jp.json().metadata.labels, { a: '1', b: '2' });
    const mp = await api(sim, path, { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: { metadata: { labels: { a: null, c: '3' } } } });
    assert.deepEqual(mp.json().metadata.labels, { b: '2', c: '3' });
    const bad = await api(sim, path, { method: 'PATCH', headers: { 'Content-Type': 'application/json-patch+json' }, body: [{ op: 'test', path: '/metadata/labels/b', value: 'no' }] });
    assert.equal(bad.status, 422);
    // strategic merge: containers merged by name, $patch directives
    const dpath = '/apis/apps/v1/namespaces/shop/deployments/frontend';
    const smp = await api(sim, dpath, { method: 'PATCH', headers: { 'Content-Type': 'application/strategic-merge-patch+json' }, body: { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27.3' }, { name: 'side', image: 'busybox:1.37' }] } } } } });
    const cs = smp.json().spec.template.spec.containers;
    assert.deepEqual(cs.map((c: any) => [c.name, c.image]), [['nginx', 'nginx:1.27.3'], ['side', 'busybox:1.37']]);
    assert.deepEqual(cs[0].resources, { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } });
    const del = await api(sim, dpath, { method: 'PATCH', headers: { 'Content-Type': 'application/strategic-merge-patch+json' }, body: { spec: { template: { spec: { containers: [{ name: 'side', $patch: 'delete' }, { name: 'nginx', image: 'nginx:1.27.2' }] } } } } });
    assert.deepEqual(del.json().spec.template.spec.containers.map((c: any) => c.name), ['nginx']);
    assert.equal(del.json().metadata.generation, 4); // 2 at start, +1 per template change
    const rep = await api(sim, dpath, { method: 'PATCH', headers: { 'Content-Type': 'application/strategic-merge-patch+json' }, body: { spec: { template: { metadata: { labels: { 'app.kubernetes.io/name': 'frontend', 'app.kubernetes.io/component': 'web', 'app.kubernetes.io/part-of': 'shop' } }, spec: { containers: [{ name: 'only', image: 'x:1' }] }, $patch: 'replace' } } } });
    assert.deepEqual(rep.json().spec.template, { metadata: { labels: { 'app.kubernetes.io/name': 'frontend', 'app.kubernetes.io/component': 'web', 'app.kubernetes.io/part-of': 'shop' } }, spec: { containers: [{ name: 'only', image: 'x:1' }] } });
    const stale = await api(sim, dpath, { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: { metadata: { resourceVersion: '1' } } });
    assert.equal(stale.status, 409);
  });

  test('scale subresource', async () => {
    const path = '/apis/apps/v1/namespaces/shop/deployments/recommender/scale';
    const s = (await api(sim, path)).json();
    assert.deepEqual([s.kind, s.apiVersion, s.spec.replicas, s.status.selector], ['Scale', 'autoscaling/v1', 1, 'app=recommender,tier=backend']);
    const p = await api(sim, path, { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: { spec: { replicas: 2 } } });
    assert.equal(p.json().spec.replicas, 2);
    const put = await api(sim, path, { method: 'PUT', body: { ...s, spec: { replicas: 3 } } });
    assert.equal(put.status, 409); // s carries the old resourceVersion
    const fresh = (await api(sim, path)).json();
    assert.equal((await api(sim, path, { method: 'PUT', body: { ...fresh, spec: { replicas: 1 } } })).json().spec.replicas, 1);
    assert.equal((await api(sim, '/apis/apps/v1/namespaces/payments/statefulsets/ledger/scale')).json().spec.replicas, 3);
  });
});

describe('watch', () => {
  test('from "0": synthetic ADDED, then live changes filtered by selectors', async () => {
    const w = simStream(`${sim.url}/api/v1/namespaces/data/pods?watch=true&labelSelector=app%3Dspark`, { token: sim.token, ca: sim.ca });
    assert.equal(await w.status, 200);
    const added = [await w.next(), await w.next()].map((e) => [e.type, e.object.metadata.name]).sort();
    assert.deepEqual(added, [['ADDED', 'spark-worker-1'], ['ADDED', 'spark-worker-2']]);
    await api(sim, '/api/v1/namespaces/data/pods/backfill-7d', { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: { metadata: { labels: { x: '1' } } } });
    await api(sim, '/api/v1/namespaces/data/pods/spark-worker-1', { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: { metadata: { labels: { x: '1' } } } });
    const mod = await w.next();
    assert.deepEqual([mod.type, mod.object.metadata.name, mod.object.metadata.labels.x], ['MODIFIED', 'spark-worker-1', '1']);
    // leaving the selector is a DELETED for this watch
    await api(sim, '/api/v1/namespaces/data/pods/spark-worker-1', { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: { metadata: { labels: { app: 'other' } } } });
    const gone = await w.next();
    assert.deepEqual([gone.type, gone.object.metadata.name], ['DELETED', 'spark-worker-1']);
    w.close();
  });

  test('resume from a resourceVersion replays what happened since', async () => {
    const rv = (await api(sim, '/api/v1/namespaces/monitoring/pods')).json().metadata.resourceVersion;
    await api(sim, '/api/v1/namespaces/monitoring/pods/grafana', { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: { metadata: { annotations: { n: '1' } } } });
    await api(sim, '/api/v1/namespaces/monitoring/pods/grafana', { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: { metadata: { annotations: { n: '2' } } } });
    const w = simStream(`${sim.url}/api/v1/namespaces/monitoring/pods?watch=1&resourceVersion=${rv}`, { token: sim.token, ca: sim.ca });
    const a = await w.next();
    const b = await w.next();
    assert.deepEqual([a.type, a.object.metadata.annotations.n, b.object.metadata.annotations.n], ['MODIFIED', '1', '2']);
    assert.ok(Number(b.object.metadata.resourceVersion) > Number(a.object.metadata.resourceVersion));
    assert.ok(Number(a.object.metadata.resourceVersion) > Number(rv));
    w.close();
  });

  test('a resourceVersion older than the history: ERROR 410 Expired, then the stream ends', async () => {
    const old = (await api(sim, '/api/v1/pods')).json().metadata.resourceVersion;
    for (let i = 0; i < 60; i++) await api(sim, '/api/v1/namespaces/monitoring/pods/grafana', { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: { metadata: { annotations: { i: String(i) } } } });
    const w = simStream(`${sim.url}/api/v1/pods?watch=true&resourceVersion=${old}`, { token: sim.token, ca: sim.ca });
    const e = await w.next();
    assert.equal(e.type, 'ERROR');
    assert.deepEqual([e.object.kind, e.object.status, e.object.code, e.object.reason], ['Status', 'Failure', 410, 'Expired']);
    assert.match(e.object.message, /^too old resource version: \d+ \(\d+\)$/);
    assert.equal(await w.next(), undefined);
  });

  test('bookmarks and timeoutSeconds', async () => {
    const w = simStream(`${sim.url}/api/v1/namespaces/default/pods?watch=true&resourceVersion=${sim.store.rv}&allowWatchBookmarks=true&timeoutSeconds=1`, { token: sim.token, ca: sim.ca });
    const bm = await w.next();
    assert.equal(bm.type, 'BOOKMARK');
    assert.deepEqual(Object.keys(bm.object).sort(), ['apiVersion', 'kind', 'metadata']);
    assert.deepEqual(Object.keys(bm.object.metadata), ['resourceVersion']);
    assert.equal(bm.object.kind, 'Pod');
    await w.ended; // closed by timeoutSeconds
  });
});

describe('tables, metrics, faults, control', () => {
  test('server-side Table for pods, nodes and deployments', async () => {
    const accept = { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' };
    const t = (await api(sim, '/api/v1/namespaces/shop/pods', { headers: accept })).json();
    assert.equal(t.kind, 'Table');
    assert.deepEqual(t.columnDefinitions.map((c: any) => c.name).slice(0, 7), ['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node']);
    const row = (name: RegExp) => t.rows.find((r: any) => name.test(r.cells[0])).cells;
    assert.deepEqual(row(/^checkout-.*-w2c6n$/).slice(1, 3), ['0/1', 'CrashLoopBackOff']);
    assert.match(row(/^checkout-.*-w2c6n$/)[3], /^9 \(.* ago\)$/);
    assert.equal(row(/^cart-.*-m4v9t$/)[2], 'ContainerCreating');
    assert.equal(row(/^db-migrate/)[2], 'Completed');
    assert.equal(row(/^report-gen/)[2], 'Error');
    assert.equal(row(/^search-indexer/)[2], 'Pending');
    const n = (await api(sim, '/api/v1/nodes', { headers: accept })).json();
    const cells = Object.fromEntries(n.rows.map((r: any) => [r.cells[0], r.cells[1]]));
    assert.deepEqual(cells, { 'gpu-f': 'Ready', 'worker-a': 'Ready', 'worker-b': 'Ready', 'worker-c': 'Ready', 'worker-d': 'Ready,SchedulingDisabled', 'worker-e': 'NotReady' });
    const d = (await api(sim, '/apis/apps/v1/namespaces/kube-system/deployments', { headers: accept })).json();
    assert.deepEqual(d.rows[0].cells.slice(0, 4), ['coredns', '2/2', 2, 2]);
    assert.equal(d.rows[0].object.kind, 'PartialObjectMetadata');
  });

  test('metrics.k8s.io derived from requests', async () => {
    const pm = (await api(sim, '/apis/metrics.k8s.io/v1beta1/namespaces/data/pods/spark-worker-2')).json();
    assert.equal(pm.kind, 'PodMetrics');
    const cpu = Number(pm.containers[0].usage.cpu.replace('n', ''));
    assert.ok(cpu >= 0.3 * 0.5e9 && cpu <= 1.1 * 0.5e9, `cpu ${cpu}`);
    const nodes = (await api(sim, '/apis/metrics.k8s.io/v1beta1/nodes')).json();
    assert.equal(nodes.items.length, 6);
    const off = await startSimServer({ scenario: 'empty', metrics: false, controllers: false });
    try {
      assert.equal((await api(off, '/apis/metrics.k8s.io/v1beta1/nodes')).status, 404);
      assert.ok(!(await api(off, '/apis')).json().groups.some((g: any) => g.name === 'metrics.k8s.io'));
    } finally {
      await off.close();
    }
  });

  test("pod metrics in metrics-server's order: by namespace, then name (not the key string's: \"a\" before \"a-b\")", async () => {
    const s = await startSimServer({ scenario: 'incident', controllers: false });
    try {
      for (const ns of ['team', 'team-a']) assert.equal((await api(s, '/api/v1/namespaces', { method: 'POST', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } })).status, 201);
      for (const [ns, name] of [['team', 'x'], ['team-a', 'w'], ['team', 'a']]) {
        const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'x' }] }, status: { phase: 'Running' } };
        assert.equal((await api(s, `/api/v1/namespaces/${ns}/pods`, { method: 'POST', body: pod })).status, 201);
      }
      const got = (await api(s, '/apis/metrics.k8s.io/v1beta1/pods')).json().items.map((p: any) => [p.metadata.namespace, p.metadata.name] as [string, string]);
      const want = [...got].sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1));
      assert.ok(got.length > 3 && new Set(got.map((p) => p[0])).size > 2);
      assert.deepEqual(got, want);
      const keys = got.map((p) => p.join('/'));
      assert.ok(keys.indexOf('team/x') < keys.indexOf('team-a/w') && 'team-a/w' < 'team/x', 'team/x, then team-a/w');
    } finally {
      await s.close();
    }
  });

  test('metrics that change every scrape window (metricsChangeEverySec), nodes the sum of their pods', async () => {
    const PERIOD = 15_000;
    const t0 = 113_333_334 * PERIOD; // a window's start, late 2023
    const nano = (q: string) => Number(q.replace(/n$/, ''));
    const ki = (q: string) => Number(q.replace(/Ki$/, ''));
    // One scrape at `t`: per pod/container usage, per node usage, and the timestamps.
    const scrape = async (s: SimServer, clock: { t: number }, t: number) => {
      clock.t = t;
      const pm = (await api(s, '/apis/metrics.k8s.io/v1beta1/pods')).json();
      const nm = (await api(s, '/apis/metrics.k8s.io/v1beta1/nodes')).json();
      const pods = new Map<string, { cpu: number; mem: number }[]>(pm.items.map((p: any) => [`${p.metadata.namespace}/${p.metadata.name}`, p.containers.map((c: any) => ({ cpu: nano(c.usage.cpu), mem: ki(c.usage.memory) }))]));
      const nodes = new Map<string, { cpu: number; mem: number }>(nm.items.map((n: any) => [n.metadata.name, { cpu: nano(n.usage.cpu), mem: ki(n.usage.memory) }]));
      return { pods, nodes, stamps: new Set([...pm.items, ...nm.items].map((x: any) => x.timestamp)) };
    };
    const withClock = async (opts: { metricsChangeEverySec?: number }) => {
      const s = await startSimServer({ scenario: 'incident', controllers: false, ...opts });
      const clock = { t: t0 };
      (s.store as { now: () => number }).now = () => clock.t;
      return { s, clock };
    };

    const { s, clock } = await withClock({ metricsChangeEverySec: 15 });
    try {
      const nodeOf = new Map<string, string>((await api(s, '/api/v1/pods')).json().items.map((p: any) => [`${p.metadata.namespace}/${p.metadata.name}`, p.spec.nodeName]));
      const a = await scrape(s, clock, t0 + 2000);
      const a2 = await scrape(s, clock, t0 + 14_000); // same window
      const b = await scrape(s, clock, t0 + PERIOD + 3000); // the next one
      assert.deepEqual([...a.stamps], [new Date(t0).toISOString().replace('.000Z', 'Z')]);
      assert.deepEqual([...b.stamps], [new Date(t0 + PERIOD).toISOString().replace('.000Z', 'Z')]);
      assert.deepEqual(a2.pods, a.pods);
      assert.deepEqual(a2.nodes, a.nodes);
      // Different figures for a pod, and for nearly every container.
      assert.notDeepEqual(b.pods.get('data/spark-worker-2'), a.pods.get('data/spark-worker-2'));
      const ca = [...a.pods.values()].flat();
      const cb = [...b.pods.values()].flat();
      assert.equal(cb.length, ca.length);
      assert.ok(ca.length >= 20, `${ca.length} containers`);
      const changed = ca.filter((x, i) => x.cpu !== cb[i]!.cpu).length;
      assert.ok(changed >= 0.8 * ca.length, `${changed} of ${ca.length} containers changed`);
      // Requests-derived: spark-worker-2 requests 500m, so 30-110 % of that in every window.
      for (const m of [a, b]) {
        const cpu = m.pods.get('data/spark-worker-2')![0]!.cpu;
        assert.ok(cpu >= 0.3 * 0.5e9 && cpu <= 1.1 * 0.5e9, `cpu ${cpu}`);
      }
      // Each node: system base (50m, 300Mi) plus its pods' containers, in the same window
      // (each figure is rounded on its own: allow a unit per container).
      for (const m of [a, b]) {
        assert.equal(m.nodes.size, 6);
        for (const [node, u] of m.nodes) {
          const cs = [...m.pods].filter(([k]) => nodeOf.get(k) === node).flatMap(([, c]) => c);
          const cpu = 50_000_000 + cs.reduce((x, c) => x + c.cpu, 0);
          const mem = 300 * 1024 + cs.reduce((x, c) => x + c.mem, 0);
          assert.ok(Math.abs(u.cpu - cpu) <= cs.length + 1, `${node} cpu ${u.cpu} vs ${cpu}`);
          assert.ok(Math.abs(u.mem - mem) <= cs.length + 1, `${node} memory ${u.mem} vs ${mem}`);
        }
      }
      assert.notDeepEqual(b.nodes, a.nodes);
    } finally {
      await s.close();
    }

    // Without the option: the same figures in every window, stamped with the time of the read.
    const fixed = await withClock({});
    try {
      const a = await scrape(fixed.s, fixed.clock, t0 + 2000);
      const b = await scrape(fixed.s, fixed.clock, t0 + 10 * PERIOD + 3000);
      assert.deepEqual(b.pods, a.pods);
      assert.deepEqual(b.nodes, a.nodes);
      assert.deepEqual([...b.stamps], [new Date(t0 + 10 * PERIOD + 3000).toISOString().replace('.000Z', 'Z')]);
    } finally {
      await fixed.s.close();
    }
  });

  test('faults: 403 for named resources, 500s, latency; control endpoints', async () => {
    sim.setFaults({ forbid: ['events'] });
    const f = await api(sim, '/api/v1/namespaces/shop/events');
    assert.equal(f.status, 403);
    assert.equal(f.json().reason, 'Forbidden');
    assert.equal(f.json().message, 'events is forbidden: User "system:serviceaccount:kfleet:sim" cannot list resource "events" in API group "" in the namespace "shop"');
    sim.setFaults({ forbid: [], p500: 1 });
    assert.equal((await api(sim, '/api/v1/pods')).status, 500);
    sim.setFaults({ p500: 0, p410: 1 });
    const w = simStream(`${sim.url}/api/v1/pods?watch=true`, { token: sim.token, ca: sim.ca });
    assert.equal((await w.next()).object.code, 410);
    sim.setFaults({ p410: 0 });
    const state = (await simRequest(sim.url + '/_sim/state', { ca: sim.ca })).json();
    const pods = (await api(sim, '/api/v1/pods')).json().items;
    assert.deepEqual(state.pods, pods.map((p: any) => ({ uid: p.metadata.uid, resourceVersion: p.metadata.resourceVersion })).sort((a: any, b: any) => (a.uid < b.uid ? -1 : 1)));
    assert.ok(Array.isArray(state.volumeattachments) && state.volumeattachments.length === 3);
  });

  test('stop serving and come back on the same port', async () => {
    const s = await startSimServer({ scenario: 'empty', controllers: false });
    try {
      const stopping = s.stopServing(0.3);
      await new Promise((r) => setTimeout(r, 100));
      await assert.rejects(api(s, '/version'));
      await stopping;
      assert.equal((await api(s, '/version')).status, 200);
    } finally {
      await s.close();
    }
  });
});
