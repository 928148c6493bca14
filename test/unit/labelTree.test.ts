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
import { parseQuantity } from '../../src/model/quantity.js';
import type { Pod } from '../../src/kube/types.js';
import { pick, pod, rng } from './modelFixtures.js';

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
    u.applyPodMetrics([
      { metadata: { namespace: 'shop', name: 'web-1' }, containers: [{ name: 'main', usage: { cpu: '50m', memory: '100Mi' } }] },
      { metadata: { namespace: 'shop', name: 'web-2' }, containers: [{ name: 'main', usage: { cpu: '70m', memory: '20Mi' } }] },
    ]);
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
      const mk = (name: string): Pod => {
        const labels: Record<string, string> = {};
        if (r() < 0.5) labels['app.kubernetes.io/name'] = pick(r, ['web', 'api']);
        if (r() < 0.3) labels.app = pick(r, ['web', 'db']);
        if (r() < 0.4) labels.component = pick(r, ['fe', 'be']);
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
            t.setPodUsage(k, r() < 0.8 ? { cpu: parseQuantity(pick(r, ['10m', '1'])), memory: parseQuantity('1Mi'), containers: new Map() } : undefined);
          }
        }
        if (step % 20 === 0) t.visibleRows(); // exercise lazy sorting between events
        if (step % 40 === 0 || step === 799) {
          const fresh = new LabelTree(levels, live.values(), { sort, expandDepth: 9 });
          // carry usage over: the rebuilt tree gets the same metrics
          for (const k of live.keys()) fresh.setPodUsage(k, t.pod(k)!.usage);
          assert.deepEqual(t.snapshot(), fresh.snapshot(), `step ${step}`);
          assert.deepEqual(t.visibleRows().map((row) => row.id), fresh.visibleRows().map((row) => row.id), `rows at step ${step}`);
        }
      }
    });
  }
});
