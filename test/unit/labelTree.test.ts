import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_HIERARCHY,
  DEFAULT_HIERARCHY_SPEC,
  formatHierarchy,
  LabelTree,
  labelConventions,
  parseHierarchy,
  type TreeRow,
} from '../../src/model/labelTree.js';
import { parseQuantity, quantityNumber } from '../../src/model/quantity.js';
import type { LeanPodMetrics, Pod } from '../../src/kube/types.js';
import { PodMetricsTable } from '../../src/model/podMetricsTable.js';
import { pick, pod, rng } from './modelFixtures.js';

/** Usage as the metrics poll keeps it: per container, nanocores and bytes. */
const leanOf = (containers: { name: string; usage: { cpu: string; memory: string } }[]): LeanPodMetrics => ({
  containers: containers.map((c) => c.name),
  usage: containers.flatMap((c) => [quantityNumber(c.usage.cpu, 'nano'), quantityNumber(c.usage.memory, 'unit')]),
});
/** One container's usage, as the metrics poll keeps it. */
const usageOf = (cpu: string, memory: string): LeanPodMetrics => leanOf([{ name: 'c', usage: { cpu, memory } }]);

/** A poll's table of these metrics. Each is built from the last one (as the poller does), so
 *  every test also goes through tables that share their keys (slots) with earlier ones. */
let lastTable = PodMetricsTable.EMPTY;
function table(m: ReadonlyMap<string, LeanPodMetrics>): PodMetricsTable;
function table(m: ReadonlyMap<string, LeanPodMetrics> | undefined): PodMetricsTable | undefined;
function table(m: ReadonlyMap<string, LeanPodMetrics> | undefined): PodMetricsTable | undefined {
  return m && (lastTable = PodMetricsTable.of(m, lastTable));
}

/** A new metrics map (each poll is a new map) with one pod's entry changed. */
function withUsage(m: ReadonlyMap<string, LeanPodMetrics>, key: string, u: LeanPodMetrics | undefined): Map<string, LeanPodMetrics> {
  const next = new Map(m);
  if (u) next.set(key, u);
  else next.delete(key);
  return next;
}

const running = { running: {} };
function p(ns: string, name: string, labels: Record<string, string>, o: { cpu?: string; mem?: string; lim?: string; restarts?: number; ready?: boolean; waiting?: string; phase?: string; node?: string } = {}): Pod {
  const ready = o.ready ?? true;
  return pod({
    ns, name, labels, node: o.node ?? 'n1', phase: o.phase ?? 'Running', ready,
    containers: [{ name: 'main', req: { ...(o.cpu ? { cpu: o.cpu } : {}), ...(o.mem ? { memory: o.mem } : {}) }, lim: o.lim ? { cpu: o.lim } : undefined }],
    status: { containerStatuses: [{ name: 'main', ready, restartCount: o.restarts ?? 0, state: o.waiting ? { waiting: { reason: o.waiting } } : running }] },
  });
}
const labelsOf = (rows: TreeRow[]) => rows.map((r) => `${'  '.repeat(r.depth)}${r.type === 'group' ? r.group.value : r.type === 'pod' ? r.pod.name : r.container.name}`);

describe('hierarchy spec', () => {
  test('parse and print back', () => {
    const l = parseHierarchy('namespace,app.kubernetes.io/name|app,component');
    assert.deepEqual(l, [{ kind: 'namespace' }, { kind: 'label', keys: ['app.kubernetes.io/name', 'app'] }, { kind: 'label', keys: ['component'] }]);
    assert.equal(formatHierarchy(l), 'namespace,app.kubernetes.io/name|app,component');
    assert.equal(formatHierarchy(DEFAULT_HIERARCHY), DEFAULT_HIERARCHY_SPEC);
    assert.deepEqual(parseHierarchy('node, zone'), [{ kind: 'node' }, { kind: 'label', keys: ['zone'] }]);
    assert.throws(() => parseHierarchy('namespace,,app'), /empty key/);
    assert.throws(() => parseHierarchy('namespace,pod'), /last levels/);
  });
});

const PODS: Pod[] = [
  p('shop', 'web-1', { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/component': 'frontend' }, { cpu: '100m', mem: '128Mi', lim: '1', restarts: 1 }),
  p('shop', 'web-2', { app: 'web', component: 'frontend' }, { cpu: '150m', mem: '64Mi', restarts: 2 }),
  p('shop', 'web-3', { application: 'web', tier: 'backend' }, { cpu: '250m', ready: false, waiting: 'CrashLoopBackOff', restarts: 10 }),
  p('shop', 'both', { 'app.kubernetes.io/name': 'api', app: 'ignored' }, { cpu: '1' }),
  p('shop', 'bare', {}, { cpu: '1', ready: false, phase: 'Pending', waiting: 'ImagePullBackOff' }),
  p('ops', 'job-1', { app: 'backup' }, { cpu: '2', ready: false, phase: 'Succeeded' }),
];

describe('grouping', () => {
  const t = new LabelTree(DEFAULT_HIERARCHY, PODS, { expandDepth: 3 });

  test('fallback keys, first key wins, "(no key)" groups', () => {
    assert.deepEqual(labelsOf(t.visibleRows()), [
      'ops', '  backup', '    (no app.kubernetes.io/component)', '      job-1',
      'shop', '  api', '    (no app.kubernetes.io/component)', '      both',
      '  web', '    backend', '      web-3', '    frontend', '      web-1', '      web-2',
      '  (no app.kubernetes.io/name)', '    (no app.kubernetes.io/component)', '      bare',
    ]);
  });

  test('roll-ups (hand-computed)', () => {
    const web = t.group(['shop', 'web'])!.rollup;
    assert.equal(web.pods, 3);
    assert.equal(web.readyPods, 2);
    assert.equal(web.notReady, 1);
    assert.equal(web.crashLoop, 1);
    assert.equal(web.restarts, 13); // 1 + 2 + 10
    assert.equal(web.cpuRequests, parseQuantity('500m')); // 100 + 150 + 250
    assert.equal(web.memoryRequests, parseQuantity('192Mi')); // 128 + 64
    assert.equal(web.cpuLimits, parseQuantity('1'));
    assert.deepEqual(web.phases, { Running: 3 });
    const shop = t.group(['shop'])!.rollup;
    assert.deepEqual([shop.pods, shop.readyPods, shop.pending, shop.imagePull, shop.crashLoop], [5, 3, 1, 1, 1]);
    assert.equal(shop.cpuRequests, parseQuantity('2500m')); // 500m + 1 + 1
    assert.deepEqual(shop.phases, { Pending: 1, Running: 4 });
    // a Succeeded pod holds no resources and is not "not ready"
    const ops = t.group(['ops'])!.rollup;
    assert.deepEqual([ops.pods, ops.notReady, ops.cpuRequests], [1, 0, 0n]);
    assert.equal(t.root.rollup.pods, 6);
  });

  test('usage from metrics rolls up', () => {
    const u = new LabelTree(DEFAULT_HIERARCHY, PODS);
    u.applyPodMetrics(table(
      new Map([
        ['shop/web-1', leanOf([{ name: 'main', usage: { cpu: '50m', memory: '100Mi' } }])],
        ['shop/web-2', leanOf([{ name: 'main', usage: { cpu: '70m', memory: '20Mi' } }])],
      ]),
    ));
    assert.deepEqual(u.pod('shop/web-1')!.usage, { cpu: parseQuantity('50m'), memory: parseQuantity('100Mi'), containers: new Map([['main', { cpu: parseQuantity('50m'), memory: parseQuantity('100Mi') }]]) });
    const web = u.group(['shop', 'web'])!.rollup;
    assert.deepEqual([web.cpuUsage, web.memoryUsage, web.podsWithUsage], [parseQuantity('120m'), parseQuantity('120Mi'), 2]);
    u.applyPodMetrics(undefined);
    assert.equal(u.group(['shop', 'web'])!.rollup.podsWithUsage, 0);
  });

  test('worst-first ordering: crashloops, then not-ready, then restarts, then name', () => {
    const w = new LabelTree(DEFAULT_HIERARCHY, PODS, { expandDepth: 2, sort: 'worst' });
    // shop has a crashloop -> before ops; inside shop: web (crashloop) > (no name) (not ready) > api
    assert.deepEqual(labelsOf(w.visibleRows()).filter((s) => !s.startsWith('    ')), ['shop', '  web', '  (no app.kubernetes.io/name)', '  api', 'ops', '  backup']);
  });
});

describe('expand / collapse and the cursor', () => {
  test('expand one, all, to depth; state kept by path while pods come and go', () => {
    const t = new LabelTree(DEFAULT_HIERARCHY, PODS, { expandDepth: 0 });
    assert.deepEqual(labelsOf(t.visibleRows()), ['ops', 'shop']);
    const shop = t.visibleRows()[1];
    t.toggle(shop);
    assert.deepEqual(labelsOf(t.visibleRows()), ['ops', 'shop', '  api', '  web', '  (no app.kubernetes.io/name)']);
    const cursor = t.visibleRows()[3].id; // shop > web
    t.addOrUpdatePod(p('ops', 'job-2', { app: 'aaa' }));
    t.addOrUpdatePod(p('shop', 'a-new', { app: 'aardvark' }));
    assert.equal(labelsOf(t.visibleRows())[t.indexOfId(cursor)], '  web');
    // the group disappears and comes back: still expanded (state is by path)
    for (const k of ['shop/web-1', 'shop/web-2', 'shop/web-3', 'shop/both', 'shop/bare', 'shop/a-new']) t.removePod(k);
    assert.deepEqual(labelsOf(t.visibleRows()), ['ops']);
    assert.equal(t.indexOfId(cursor), -1);
    t.addOrUpdatePod(PODS[0]);
    assert.deepEqual(labelsOf(t.visibleRows()), ['ops', 'shop', '  web']);
    t.expandAll();
    assert.equal(labelsOf(t.visibleRows()).filter((s) => s.trim() === 'web-1').length, 1);
    t.collapseAll();
    assert.deepEqual(labelsOf(t.visibleRows()), ['ops', 'shop']);
    t.expandToDepth(4); // groups and pods: containers visible
    assert.ok(labelsOf(t.visibleRows()).includes('        main'));
  });

  test('a removed pod leaves the cursor on its group', () => {
    const t = new LabelTree(DEFAULT_HIERARCHY, PODS, { expandDepth: 3 });
    const rows = t.visibleRows();
    const web1 = rows.find((r) => r.type === 'pod' && r.pod.name === 'web-1')!;
    t.removePod('shop/web-1');
    assert.equal(labelsOf(t.visibleRows())[t.indexOfId(web1.id)], '    frontend');
  });
});

describe('label conventions report', () => {
  test('share of pods missing each level, per namespace', () => {
    const r = labelConventions(PODS);
    assert.deepEqual(r, [
      { namespace: 'ops', pods: 1, levels: [{ level: 'app.kubernetes.io/name', missing: 0, share: 0 }, { level: 'app.kubernetes.io/component', missing: 1, share: 1 }] },
      // shop: name missing on "bare" (1/5); component missing on "both" and "bare" (2/5)
      { namespace: 'shop', pods: 5, levels: [{ level: 'app.kubernetes.io/name', missing: 1, share: 0.2 }, { level: 'app.kubernetes.io/component', missing: 2, share: 0.4 }] },
    ]);
  });
});

describe('incremental == rebuild', () => {
  for (const [spec, sort] of [[DEFAULT_HIERARCHY_SPEC, 'name'], ['node,app', 'worst'], ['', 'name']] as const) {
    test(`random sequences (${spec || 'no levels'}, ${sort})`, () => {
      const levels = parseHierarchy(spec);
      const r = rng(7 + spec.length);
      const t = new LabelTree(levels, [], { sort, expandDepth: 9 });
      const live = new Map<string, Pod>();
      let metrics = new Map<string, LeanPodMetrics>();
      // Equal label sets are one object, as lean.ts shares them: pods in other namespaces and on
      // other nodes, and the versions of one pod, hold the same labels object.
      const sharedLabels = new Map<string, Record<string, string>>();
      const mk = (name: string): Pod => {
        const made: Record<string, string> = {};
        if (r() < 0.5) made['app.kubernetes.io/name'] = pick(r, ['web', 'api']);
        if (r() < 0.3) made.app = pick(r, ['web', 'db']);
        if (r() < 0.4) made.component = pick(r, ['fe', 'be']);
        const json = JSON.stringify(made);
        const labels = sharedLabels.get(json) ?? made;
        sharedLabels.set(json, labels);
        return p(pick(r, ['a', 'b', 'c']), name, labels, {
          cpu: pick(r, ['100m', '1', '250m']), mem: pick(r, ['64Mi', '1Gi']), lim: r() < 0.5 ? '2' : undefined,
          restarts: Math.floor(r() * 5), ready: r() < 0.7, waiting: pick(r, [undefined, 'CrashLoopBackOff', 'ImagePullBackOff']),
          phase: pick(r, ['Running', 'Pending', 'Succeeded', 'Failed']), node: pick(r, ['n1', 'n2', '']),
        });
      };
      for (let step = 0; step < 800; step++) {
        const x = r();
        if (x < 0.6) {
          const q = mk(`p${Math.floor(r() * 40)}`);
          live.set(`${q.metadata.namespace}/${q.metadata.name}`, q);
          t.addOrUpdatePod(q);
        } else if (x < 0.9) {
          const keys = [...live.keys()];
          if (keys.length) {
            const k = pick(r, keys);
            live.delete(k);
            t.removePod(k);
          }
        } else {
          const keys = [...live.keys()];
          if (keys.length) {
            const k = pick(r, keys);
            metrics = withUsage(metrics, k, r() < 0.8 ? usageOf(pick(r, ['10m', '1']), '1Mi') : undefined);
            t.applyPodMetrics(table(metrics));
          }
        }
        if (step % 20 === 0) t.rowsInWindow(0, t.visibleCount()); // exercise lazy sorting between events
        if (step % 40 === 0 || step === 799) {
          const fresh = new LabelTree(levels, live.values(), { sort, expandDepth: 9 });
          // carry usage over: the rebuilt tree gets the same metrics
          fresh.applyPodMetrics(table(metrics));
          assert.deepEqual(t.snapshot(), fresh.snapshot(), `step ${step}`);
          assert.deepEqual(t.visibleRows().map((row) => row.id), fresh.visibleRows().map((row) => row.id), `rows at step ${step}`);
          assert.deepEqual(t.rowsInWindow(0, t.visibleCount()).map((row) => row.id), fresh.visibleRows().map((row) => row.id), `window at step ${step}`);
        }
      }
    });
  }
});

// ---- metrics applied in slices --------------------------------------------------------------

/** Usage of containers [cpu, memory] as the metrics poller keeps it. */
const usageOfAll = (...cs: [string, string][]): LeanPodMetrics =>
  leanOf(cs.map(([cpu, memory], i) => ({ name: `c${i}`, usage: { cpu, memory } })));

/** Usage of a group: [cpu, memory] in nano units as shown, and the pods with metrics. */
const usageAt = (t: LabelTree, path: string[]) => {
  const r = t.group(path)!.rollup;
  return [r.cpuUsage, r.memoryUsage, r.podsWithUsage];
};

/** A fresh tree of these pods counting these metrics (the reference). */
function freshTree(levels: ReturnType<typeof parseHierarchy>, pods: Iterable<Pod>, metrics: ReadonlyMap<string, LeanPodMetrics>, sort: 'name' | 'worst' = 'name'): LabelTree {
  const t = new LabelTree(levels, pods, { sort });
  t.applyPodMetrics(table(metrics));
  return t;
}

/** What the tree's roll-ups count for each pod, as a metrics map (from its pods' summaries). */
function countedMetrics(t: LabelTree): Map<string, LeanPodMetrics> {
  const out = new Map<string, LeanPodMetrics>();
  for (const k of t.keys()) {
    const m = t.pod(k)!.metrics?.get(k);
    if (m) out.set(k, m);
  }
  return out;
}

describe('metrics applied in slices', () => {
  test('hand-checked: a pod moved and one removed mid-pass, then the next poll before the end', () => {
    // Pods in this order (a 0 ms step moves 64): web-1, 100 fillers, the other PODS, 100 fillers.
    const filler = (i: number) => p('fill', `f-${String(i).padStart(3, '0')}`, { app: 'filler' });
    const pods = [PODS[0], ...Array.from({ length: 100 }, (_, i) => filler(i)), ...PODS.slice(1), ...Array.from({ length: 100 }, (_, i) => filler(100 + i))];
    const t = new LabelTree(DEFAULT_HIERARCHY, pods);
    const fillers = (u: LeanPodMetrics) => Array.from({ length: 200 }, (_, i): [string, LeanPodMetrics] => [`fill/f-${String(i).padStart(3, '0')}`, u]);
    const m1 = new Map([
      ['shop/web-1', usageOfAll(['50m', '100Mi'])],
      ['shop/web-2', usageOfAll(['70m', '20Mi'])],
      ['shop/web-3', usageOfAll(['10m', '1Mi'], ['5m', '2Mi'])], // two containers: 15m, 3Mi
      ...fillers(usageOfAll(['1m', '1Mi'])),
    ]);
    t.applyPodMetrics(table(m1));
    assert.deepEqual(usageAt(t, ['shop', 'web']), [parseQuantity('135m'), parseQuantity('123Mi'), 3]);
    assert.deepEqual(usageAt(t, ['fill']), [parseQuantity('200m'), parseQuantity('200Mi'), 200]);

    // web-2 has no metrics in m2.
    const m2 = new Map([['shop/web-1', usageOfAll(['200m', '1Gi'])], ['shop/web-3', usageOfAll(['30m', '4Mi'])], ...fillers(usageOfAll(['2m', '1Mi']))]);
    t.startPodMetrics(table(m2));
    assert.equal(t.stepPodMetrics(0), false); // web-1 and 63 fillers moved
    assert.ok(t.applyingMetrics);
    assert.deepEqual(usageAt(t, ['fill']), [parseQuantity('263m'), parseQuantity('200Mi'), 200]); // 63 x 2m + 137 x 1m
    // A moved filler removed and added back counts m1 again (until the pass comes to it, last).
    t.removePod('fill/f-000');
    assert.deepEqual(usageAt(t, ['fill']), [parseQuantity('261m'), parseQuantity('199Mi'), 199]);
    t.addOrUpdatePod(filler(0));
    assert.deepEqual(usageAt(t, ['fill']), [parseQuantity('262m'), parseQuantity('200Mi'), 200]);
    // web-1 (moved: counts m2) goes to the backend component; web-3 (not moved: m1) is deleted.
    t.addOrUpdatePod(p('shop', 'web-1', { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/component': 'backend' }, { cpu: '100m' }));
    t.removePod('shop/web-3');
    assert.deepEqual(usageAt(t, ['shop', 'web', 'backend']), [parseQuantity('200m'), parseQuantity('1Gi'), 1]);
    assert.deepEqual(usageAt(t, ['shop', 'web', 'frontend']), [parseQuantity('70m'), parseQuantity('20Mi'), 1]);
    assert.deepEqual(usageAt(t, ['shop', 'web']), [parseQuantity('270m'), parseQuantity('1044Mi'), 2]);
    // The next poll comes (applied after this one), and web-3 comes back (not moved: m1 again).
    const m3 = new Map([['shop/web-1', usageOfAll(['300m', '2Gi'])], ['shop/web-2', usageOfAll(['10m', '1Mi'])], ...fillers(usageOfAll(['3m', '1Mi']))]);
    t.startPodMetrics(table(m3));
    t.addOrUpdatePod(PODS[2]);
    assert.deepEqual(usageAt(t, ['shop', 'web', 'backend']), [parseQuantity('215m'), parseQuantity('1027Mi'), 2]);
    const held = () => [...t.keys()].map((k) => t.podObject(k)!);
    assert.deepEqual(t.snapshot(), freshTree(DEFAULT_HIERARCHY, held(), countedMetrics(t)).snapshot());
    let steps = 1;
    while (!t.stepPodMetrics(0)) steps++;
    assert.ok(steps >= 6, `${steps} steps`); // two passes over 206 pods, 64 a step
    assert.equal(t.applyingMetrics, false);
    // m3: web-1 300m + web-2 10m; web-3 has no metrics.
    assert.deepEqual(usageAt(t, ['shop', 'web']), [parseQuantity('310m'), parseQuantity('2049Mi'), 2]);
    assert.deepEqual(usageAt(t, ['fill']), [parseQuantity('600m'), parseQuantity('200Mi'), 200]);
    assert.deepEqual(t.snapshot(), freshTree(DEFAULT_HIERARCHY, held(), m3).snapshot());
    assert.equal(t.pod('shop/web-1')!.usage!.cpu, parseQuantity('300m'));
  });

  for (const [spec, sort] of [[DEFAULT_HIERARCHY_SPEC, 'name'], ['node,app', 'worst'], ['', 'name']] as const) {
    test(`random events and polls between slices (${spec || 'no levels'}, ${sort}): equal to a fresh build`, () => {
      const levels = parseHierarchy(spec);
      const r = rng(11 + spec.length);
      const live = new Map<string, Pod>();
      const mk = (name: string, ns = pick(r, ['a', 'b', 'c'])): Pod => {
        const labels: Record<string, string> = {};
        if (r() < 0.6) labels['app.kubernetes.io/name'] = pick(r, ['web', 'api', 'db']);
        if (r() < 0.5) labels.component = pick(r, ['fe', 'be']);
        return p(ns, name, labels, { cpu: pick(r, ['100m', '1']), restarts: Math.floor(r() * 3), ready: r() < 0.8, node: pick(r, ['n1', 'n2', '']) });
      };
      const upsert = (t: LabelTree, q: Pod) => {
        live.set(`${q.metadata.namespace}/${q.metadata.name}`, q);
        t.addOrUpdatePod(q);
      };
      /** A poll: every pod's figures differ from the last one's; a few pods have none. */
      let round = 0;
      const poll = () => {
        round++;
        const m = new Map<string, LeanPodMetrics>();
        for (const k of live.keys()) {
          if (r() < 0.1) continue;
          const n = 1 + Math.floor(r() * 2);
          m.set(k, { containers: ['main', 'side'].slice(0, n), usage: Array.from({ length: 2 * n }, (_, i) => (i % 2 ? 1_048_576 : 1_000_000) * (1 + Math.floor(r() * 500)) + round) });
        }
        return m;
      };
      const t = new LabelTree(levels, [], { sort });
      for (let i = 0; i < 400; i++) upsert(t, mk(`p${i}`));
      let metrics = poll();
      t.applyPodMetrics(table(metrics));
      let slices = 0, midPass = 0;
      const removed: string[] = [];
      for (let step = 0; step < 600; step++) {
        const x = r();
        if (x < 0.15) upsert(t, mk(`p${Math.floor(r() * 500)}`)); // modified, moved or new
        else if (x < 0.25 && removed.length) {
          const [ns, name] = removed.pop()!.split('/');
          upsert(t, mk(name!, ns)); // back, maybe in the same pass
        }
        else if (x < 0.35) {
          const k = pick(r, [...live.keys()]);
          live.delete(k);
          t.removePod(k);
          removed.push(k);
        } else if (x < 0.4) t.startPodMetrics(table((metrics = poll())));
        else if (!t.stepPodMetrics(0)) slices++;
        if (step % 15 === 0) t.rowsInWindow(0, 50); // summaries of some pods (with what they count)
        if (step % 30 === 0) {
          // Mid-pass too: the roll-ups are those of a fresh build counting what each pod counts.
          if (t.applyingMetrics) midPass++;
          assert.deepEqual(t.snapshot(), freshTree(levels, live.values(), countedMetrics(t), sort).snapshot(), `step ${step}`);
        }
      }
      while (!t.stepPodMetrics(0)) slices++;
      assert.ok(slices > 30 && midPass > 5, `${slices} slices, ${midPass} checks mid-pass`);
      const fresh = freshTree(levels, live.values(), metrics, sort);
      assert.deepEqual(t.snapshot(), fresh.snapshot());
      assert.deepEqual(t.rowsInWindow(0, t.visibleCount()).map((row) => row.id), fresh.visibleRows().map((row) => row.id));
    });
  }
});

// ---- windowed rows ---------------------------------------------------------------------------

/** What the view needs of a row; the groups must be the very ones listed, a pod's summary the
 *  one of the same pod object (summaries are made again as needed: equal, not the same). */
const rowKey = (r: TreeRow) => `${r.type}|${r.id}|${r.depth}|${r.type === 'container' ? '' : r.expanded}`;
const same = (a: TreeRow[], b: TreeRow[], msg: string) => {
  assert.deepEqual(a.map(rowKey), b.map(rowKey), msg);
  a.forEach((r, i) => {
    const o = b[i] as typeof r;
    if (r.type === 'group') assert.ok(r.group === (o as typeof r).group, `${msg}: row ${i} group`);
    else {
      const x = o as Exclude<TreeRow, { type: 'group' }>;
      assert.ok(r.pod.pod === x.pod.pod && r.pod.usage === x.pod.usage, `${msg}: row ${i} pod`);
      assert.deepEqual({ ...r.pod, pod: undefined }, { ...x.pod, pod: undefined }, `${msg}: row ${i} summary`);
    }
  });
};

/** The old indexOfId, over the full list: exact id, else the nearest listed ancestor id. */
function referenceIndexOf(rows: TreeRow[], id: string): number {
  const at = new Map(rows.map((r, i) => [r.id, i]));
  for (let cur = id; ; ) {
    const i = at.get(cur);
    if (i !== undefined) return i;
    const cut = Math.max(cur.lastIndexOf('\u001f'), cur.lastIndexOf('\u001e'), cur.lastIndexOf('\u001d'));
    if (cut < 0) return -1;
    cur = cur.slice(0, cut);
  }
}

describe('windowed rows equal slices of the full list', () => {
  test('hand-checked window, row, count and index on the fixture', () => {
    const t = new LabelTree(DEFAULT_HIERARCHY, PODS, { expandDepth: 3 });
    assert.equal(t.visibleCount(), 17);
    assert.deepEqual(labelsOf(t.rowsInWindow(8, 4)), ['  web', '    backend', '      web-3', '    frontend']);
    assert.deepEqual(labelsOf(t.rowsInWindow(15, 10)), ['    (no app.kubernetes.io/component)', '      bare']);
    assert.deepEqual(t.rowsInWindow(17, 5), []);
    assert.equal(labelsOf([t.rowAt(12)!])[0], '      web-1');
    assert.equal(t.rowAt(-1), undefined);
    const web = t.rowAt(8)!;
    t.toggle(web); // close shop > web: its 5 rows go
    assert.equal(t.visibleCount(), 12);
    assert.deepEqual(labelsOf(t.rowsInWindow(7, 3)), ['      both', '  web', '  (no app.kubernetes.io/name)']);
    // web-1 is hidden under the closed group: its index is the group's.
    const web1 = 'shop\u001fweb\u001ffrontend\u001eshop/web-1';
    assert.equal(t.indexOfId(web1), 8);
    t.setExpanded('shop\u001fweb\u001ffrontend\u001eshop/web-1', 3, true); // hidden pod opened: no rows yet
    assert.equal(t.visibleCount(), 12);
    t.toggle(t.rowAt(8)!);
    assert.equal(t.visibleCount(), 18); // web's 5 rows and web-1's container
    assert.deepEqual(labelsOf(t.rowsInWindow(12, 3)), ['      web-1', '        main', '      web-2']);
    assert.equal(t.indexOfId(web1 + '\u001dmain'), 13);
    assert.equal(t.indexOfId(web1 + '\u001dgone'), 12);
  });

  const hierarchies: [string, 'name' | 'worst'][] = [
    [DEFAULT_HIERARCHY_SPEC, 'name'],
    [DEFAULT_HIERARCHY_SPEC, 'worst'],
    ['node,app', 'worst'],
    ['', 'name'],
    ['app', 'name'], // a first level whose value may be '' (label present, empty)
  ];
  for (const [spec, sort0] of hierarchies) {
    test(`random add/update/remove/expand/collapse/sort (${spec || 'no levels'}, ${sort0} first)`, () => {
      const levels = parseHierarchy(spec);
      const r = rng(101 + spec.length + sort0.length);
      const t = new LabelTree(levels, [], { sort: sort0, expandDepth: 1 });
      const live = new Map<string, Pod>();
      let metrics = new Map<string, LeanPodMetrics>();
      const seenIds: string[] = [];
      const mk = (name: string): Pod => {
        const labels: Record<string, string> = {};
        if (r() < 0.6) labels['app.kubernetes.io/name'] = pick(r, ['web', 'api', 'db']);
        if (r() < 0.4) labels.app = pick(r, ['web', 'db', '']);
        if (r() < 0.5) labels.component = pick(r, ['fe', 'be']);
        const q = p(pick(r, ['a', 'b', 'c']), name, labels, {
          cpu: pick(r, ['100m', '1']), restarts: Math.floor(r() * 4), ready: r() < 0.7,
          waiting: pick(r, [undefined, undefined, 'CrashLoopBackOff']), phase: pick(r, ['Running', 'Pending', 'Succeeded']), node: pick(r, ['n1', 'n2', '']),
        });
        // 1 to 3 containers (and sometimes an init one): pods open to different heights.
        const extra = Math.floor(r() * 3);
        for (let i = 0; i < extra; i++) q.spec.containers.push({ name: `side${i}` });
        if (r() < 0.3) q.spec.initContainers = [{ name: 'init' }];
        return q;
      };
      const check = (step: number) => {
        const all = t.visibleRows();
        assert.equal(t.visibleCount(), all.length, `count at step ${step}`);
        for (let k = 0; k < 6; k++) {
          const start = k === 0 ? 0 : Math.floor(r() * (all.length + 3));
          const count = k === 1 ? all.length + 5 : 1 + Math.floor(r() * 12);
          same(t.rowsInWindow(start, count), all.slice(start, start + count), `window ${start}+${count} at step ${step}`);
        }
        if (all.length) {
          const i = Math.floor(r() * all.length);
          same([t.rowAt(i)!], [all[i]], `rowAt(${i}) at step ${step}`);
        }
        assert.equal(t.rowAt(all.length), undefined);
        all.forEach((row, i) => assert.equal(t.indexOfId(row.id), i, `indexOfId(${JSON.stringify(row.id)}) at step ${step}`));
        for (const id of seenIds.slice(-40)) assert.equal(t.indexOfId(id), referenceIndexOf(all, id), `indexOfId(${JSON.stringify(id)}) (maybe gone or hidden) at step ${step}`);
        for (const row of all) if (r() < 0.05) seenIds.push(row.id);
      };
      for (let step = 0; step < 700; step++) {
        const x = r();
        const n = t.visibleCount();
        if (x < 0.4) {
          const q = mk(`p${Math.floor(r() * 50)}`);
          live.set(`${q.metadata.namespace}/${q.metadata.name}`, q);
          t.addOrUpdatePod(q);
        } else if (x < 0.55) {
          const keys = [...live.keys()];
          if (keys.length) {
            const k = pick(r, keys);
            live.delete(k);
            t.removePod(k);
          }
        } else if (x < 0.6) {
          const keys = [...live.keys()];
          if (keys.length) {
            metrics = withUsage(metrics, pick(r, keys), r() < 0.7 ? usageOf(pick(r, ['10m', '1']), '1') : undefined);
            t.applyPodMetrics(table(metrics));
          }
        } else if (x < 0.8) {
          if (n) t.toggle(t.rowAt(Math.floor(r() * n))!); // open / close a visible row
        } else if (x < 0.88) {
          // open / close a row that may be hidden (or gone): state is kept by id
          if (seenIds.length) {
            const id = pick(r, seenIds);
            const depth = id.split(/[\u001f\u001e]/).length - 1 - (id.startsWith('\u001e') ? 1 : 0);
            if (!id.includes('\u001d')) t.setExpanded(id, depth, r() < 0.5);
          }
        } else if (x < 0.93) {
          t.expandToDepth(Math.floor(r() * (levels.length + 2)));
        } else if (x < 0.96) {
          t.setSort(t.sort === 'name' ? 'worst' : 'name');
        } else {
          t.rowsInWindow(Math.floor(r() * (n + 1)), 5); // sort some lists, so events must keep them in order
        }
        if (step % 7 === 0 || step === 699) check(step);
      }
    });
  }
});

describe('cost of one event and one frame (work counted, never timed)', () => {
  test('watch events keep no summaries; the rows on screen keep theirs, the same objects frame to frame', () => {
    // Kept summaries of changed pods lived just long enough to reach V8's old generation.
    const pods = Array.from({ length: 3000 }, (_, i) => p(`ns${i % 3}`, `web-${i}`, { app: `app${i % 7}` }, { restarts: i % 4 }));
    const t = new LabelTree(DEFAULT_HIERARCHY, pods, { expandDepth: 3 });
    const window = () => t.rowsInWindow(100, 40);
    const before = window();
    const kept = t.keptSummaries;
    assert.ok(kept > 0 && kept <= 40, `${kept} kept for a window of 40 rows`);
    for (let round = 1; round <= 3; round++) for (let i = 0; i < 3000; i += 2) t.addOrUpdatePod(p(`ns${i % 3}`, `web-${i}`, { app: `app${i % 7}` }, { restarts: i % 4 + round }));
    for (let i = 1; i < 3000; i += 50) t.removePod(`ns${i % 3}/web-${i}`);
    assert.equal(t.keptSummaries, kept);
    // A row whose pod did not change shows the very summary it showed before.
    const shown = new Map(before.flatMap((r) => (r.type === 'pod' ? [[r.id, r.pod] as const] : [])));
    const again = window().flatMap((r) => (r.type === 'pod' && shown.get(r.id)?.pod === r.pod.pod ? [[r.pod, shown.get(r.id)] as const] : []));
    assert.ok(again.length >= 5, `${again.length} unchanged pods in the window`);
    for (const [now, then] of again) assert.equal(now, then);
  });

  // 20 namespaces x 20 applications x 5 components x 10 pods, every group open: 22,420 rows.
  const NS = 20, APPS = 20, COMPS = 5, PODS_PER = 10;
  const FANOUT = 20, DEPTH = 4, WINDOW = 50;
  const build = (sort: 'name' | 'worst') => {
    const pods: Pod[] = [];
    for (let n = 0; n < NS; n++)
      for (let a = 0; a < APPS; a++)
        for (let c = 0; c < COMPS; c++)
          for (let i = 0; i < PODS_PER; i++) pods.push(p(`ns${n}`, `app${a}-c${c}-${i}`, { app: `app${a}`, component: `c${c}` }, { restarts: (n + a + c + i) % 3 }));
    return new LabelTree(DEFAULT_HIERARCHY, pods, { sort, expandDepth: 3 });
  };
  for (const sort of ['name', 'worst'] as const) {
    test(`${sort} order: bounded by depth x fan-out + window, far below the visible rows`, () => {
      const t = build(sort);
      assert.equal(t.size, 20_000);
      assert.equal(t.visibleCount(), NS + NS * APPS + NS * APPS * COMPS + 20_000);
      const bound = DEPTH * FANOUT * 4 + WINDOW; // 370
      let top = 11_000;
      const cursor = t.rowAt(top + 10)!.id;
      t.rowsInWindow(top, WINDOW); // a first frame sorts the lists it walks through
      const frame = () => {
        const index = t.indexOfId(cursor);
        top = Math.max(0, Math.min(index - 10, t.visibleCount() - WINDOW));
        return t.rowsInWindow(top, WINDOW);
      };
      const events: [string, () => void][] = [
        ['a crash-looping pod (moves in worst order)', () => t.addOrUpdatePod(p('ns9', 'app9-c2-3', { app: 'app9', component: 'c2' }, { restarts: 50, ready: false, waiting: 'CrashLoopBackOff' }))],
        ['a new pod in a new application', () => t.addOrUpdatePod(p('ns9', 'fresh', { app: 'app-new', component: 'c0' }))],
        ['a deleted pod', () => t.removePod('ns10/app3-c1-4')],
        ['a pod opened', () => t.toggle(t.rowAt(top + 12)!)],
        ['a group closed', () => t.setExpanded('ns10\u001fapp5', 1, false)],
      ];
      for (const [what, event] of events) {
        t.nodesVisited = 0;
        event();
        const rows = frame();
        const work = t.nodesVisited;
        assert.ok(work <= bound, `${what}: ${work} nodes visited, bound ${bound}`);
        assert.ok(work * 50 < t.visibleCount(), `${what}: ${work} vs ${t.visibleCount()} rows`);
        same(rows, t.visibleRows().slice(top, top + WINDOW), what);
      }
      // The full listing, by contrast, touches every row.
      t.nodesVisited = 0;
      t.addOrUpdatePod(p('ns0', 'one-more', { app: 'app0', component: 'c0' }));
      t.visibleRows();
      assert.ok(t.nodesVisited >= t.visibleCount());
    });
  }
});
