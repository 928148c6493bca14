// Pod metrics read as they stream in: any cut of the answer into chunks gives the same figures,
// a malformed answer is an error that says so, and over HTTP a failing server is a KubeError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeError } from '../../src/kube/client.js';
import { localClient } from '../helpers/localClient.js';
import { ListPageError } from '../../src/kube/listPage.js';
import { PodMetricsReader, readPodMetrics } from '../../src/kube/podMetrics.js';
import type { PodMetricsTable } from '../../src/model/podMetricsTable.js';
import { quantityNumber } from '../../src/model/quantity.js';

const item = (ns: string, name: string, cpu: string, memory: string) => ({
  metadata: { namespace: ns, name, labels: { 'app.kubernetes.io/name': 'grüße "}{[' } },
  timestamp: '2026-01-01T00:00:00Z',
  window: '15s',
  containers: [{ name: 'app', usage: { cpu, memory } }, { name: 'sidecar', usage: { cpu: '1m', memory: '1Ki' } }],
});
const LIST = { kind: 'PodMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items: [item('a', 'p1', '250m', '64Mi'), item('b', 'p2', '1500000n', '2Gi')] };
const bytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v, null, 1));

function readInChunks(b: Uint8Array, size: number) {
  const r = new PodMetricsReader();
  for (let i = 0; i < b.length; i += size) r.push(b.subarray(i, i + size));
  return r.end();
}

test('pod metrics are read to numbers (nanocores, bytes), the same however the answer is cut', () => {
  const b = bytes(LIST);
  for (const size of [1, 2, 3, 7, 64, b.length]) {
    const m = readInChunks(b, size);
    assert.deepEqual([...m.keys()], ['a/p1', 'b/p2'], `chunks of ${size}`);
    assert.equal(m.size, 2);
    assert.deepEqual(m.get('a/p1'), { containers: ['app', 'sidecar'], usage: [250_000_000, 67_108_864, 1_000_000, 1024] });
    assert.deepEqual(m.get('b/p2')!.usage, [1_500_000, 2_147_483_648, 1_000_000, 1024]);
    assert.equal(m.cpu('a/p1'), 251_000_000);
    assert.equal(m.memory('b/p2'), 2_147_484_672);
    // Replicas' container name lists are one array.
    assert.equal(m.containers('a/p1'), m.containers('b/p2'));
  }
});

test('a malformed metrics answer is a ListPageError that says what it is', () => {
  assert.deepEqual(readInChunks(bytes({ kind: 'PodMetricsList', items: [] }), 5).size, 0);
  assert.throws(() => readInChunks(bytes({ kind: 'Status' }), 5), (e) => e instanceof ListPageError && e.message === "the server's pod metrics list has no items");
  const whole = bytes(LIST);
  const cut = whole.subarray(0, 200);
  assert.throws(() => readInChunks(cut, 64), (e) => e instanceof ListPageError && e.message === "the server's pod metrics are not JSON (200 bytes)");
  for (const bad of ['{"items":[{"a":}]}', '{"items":[{"a":1}', '{"items":[{"a":1} {}]}', '{"items":[]} x', '<html>', '{"items" [] }', '{"items":[{"metadata":{"name" "x"}}]}']) {
    assert.throws(() => readInChunks(new TextEncoder().encode(bad), 4), (e) => e instanceof ListPageError && /not JSON/.test(e.message), bad);
  }
});

test('the reader walks any JSON a server may send: key order, whitespace, escapes, fields it skips', () => {
  // Members in another order, strings with escapes and brackets, skipped values of every kind,
  // a container without usage, an empty containers list; items that are not objects or have no
  // name are not pods.
  const text = `{"items" : [
    {"containers":[{"usage":{"memory":"1Gi","other":[1,{"x":"]}"}],"cpu":"2"},"name":"a\\u0070p"},{"name":"no-usage"}],
     "window":"15s","metadata":{"labels":{"k":"v\\"}{[","ends-in-backslash":"x\\\\"},"name":"p\\u00e9","namespace":"n\\\\s"},"n":-1.5e3,"t":true,"f":false,"z":null},
    {"metadata":{"namespace":"grüße","name":"q"},"containers":[]}, 7, "x", null, [{}], {"containers":[]}
  ], "kind":"PodMetricsList","metadata":{"continue":"","x":[[],{}]}}  \n`;
  const want = JSON.parse(text) as { items: { metadata?: { namespace: string; name: string } }[] };
  assert.deepEqual(want.items.slice(0, 2).map((i) => `${i.metadata?.namespace}/${i.metadata?.name}`), ['n\\s/pé', 'grüße/q']);
  const b = new TextEncoder().encode(text);
  for (const size of [1, 2, 5, 13, b.length]) {
    const m = readInChunks(b, size);
    assert.deepEqual([...m.keys()], ['n\\s/pé', 'grüße/q'], `chunks of ${size}`);
    assert.deepEqual(m.get('n\\s/pé'), { containers: ['app', 'no-usage'], usage: [2e9, 2 ** 30, 0, 0] });
    assert.deepEqual(m.get('grüße/q'), { containers: [], usage: [] });
  }
});

test('quantities: the forms read from the bytes equal the exact parse; the others fall back to it', () => {
  const forms = ['0', '1', '250m', '1500000n', '7u', '3k', '2M', '64Mi', '2Gi', '1Ti', '5Ki', '999999999999999', '1.5', '100e3', '2e-3', '0.5Gi', '1234567890123456789', '12Pi', '1Zi', '-1', ''];
  const items = forms.map((q, i) => ({ metadata: { namespace: 'n', name: `p${i}` }, containers: [{ name: 'c', usage: { cpu: q, memory: q } }] }));
  const m = readInChunks(bytes({ items }), 7);
  forms.forEach((q, i) => assert.deepEqual(m.get(`n/p${i}`)!.usage, [quantityNumber(q, 'nano'), quantityNumber(q, 'unit')], `"${q}"`));
});

test("a poll read after another gives what a first poll would, whatever changed; the same pods in the same order look no key up", () => {
  type Pod = { ns?: string; name: string; containers: [string, string][] };
  const answer = (pods: Pod[]) =>
    bytes({ items: pods.map((p) => ({ metadata: { ...(p.ns === undefined ? {} : { namespace: p.ns }), name: p.name }, containers: p.containers.map(([name, cpu]) => ({ name, usage: { cpu, memory: '1Mi' } })) })) });
  const read = (b: Uint8Array, previous?: PodMetricsTable) => {
    const r = new PodMetricsReader(previous);
    for (let i = 0; i < b.length; i += 97) r.push(b.subarray(i, i + 97));
    return r.end();
  };
  const entries = (t: PodMetricsTable) => [...t.keys()].sort().map((k) => [k, t.get(k)]);
  const first: Pod[] = [
    { ns: 'a', name: 'p1', containers: [['app', '1m'], ['sidecar', '2m']] },
    { ns: 'a', name: 'p10', containers: [['app', '3m']] },
    { ns: 'a', name: 'p2', containers: [['app', '4m']] },
    { ns: 'b', name: 'pé', containers: [['app', '5m']] },
    { name: 'no-namespace', containers: [['app', '6m']] },
    { ns: 'c', name: 'q', containers: [['a\\"b', '7m']] },
  ];
  const base = read(answer(first));
  const changes: [string, Pod[]][] = [
    ['the same pods, other figures', first.map((p) => ({ ...p, containers: p.containers.map(([n]) => [n, '9m'] as [string, string]) }))],
    ['a pod new in the middle', [first[0]!, { ns: 'a', name: 'p15', containers: [['app', '1m']] }, ...first.slice(1)]],
    ['a pod gone', [first[0]!, ...first.slice(2)]],
    ['the first and last gone', first.slice(1, -1)],
    ['another order', [...first].reverse()],
    ['a key one longer than expected', [{ ns: 'a', name: 'p1x', containers: [['app', '1m']] }, ...first.slice(1)]],
    ['containers renamed, added, removed', [{ ...first[0]!, containers: [['app', '1m'], ['sidecar2', '2m']] }, { ...first[1]!, containers: [['app', '1m'], ['new', '1m']] }, { ...first[2]!, containers: [] }, ...first.slice(3)]],
    ['nothing', []],
  ];
  for (const [what, pods] of changes) {
    const next = read(answer(pods), base);
    assert.deepEqual(entries(next), entries(read(answer(pods))), what);
    // Each table still reads its own figures.
    assert.deepEqual(entries(base), entries(read(answer(first))), `${what}: the earlier table`);
    // And a third poll, after this one.
    assert.deepEqual(entries(read(answer(first), next)), entries(base), `${what}: back to the first`);
  }
  // The same pods again: every key checked against the bytes, none made and looked up.
  const slotOf = base.slotOf.bind(base);
  let lookups = 0;
  base.slotOf = (k) => (lookups++, slotOf(k));
  let again: PodMetricsTable;
  try {
    again = read(answer(first), base);
  } finally {
    base.slotOf = slotOf;
  }
  // (A pod whose name is not plain ASCII, or has an escape, is looked up the long way.)
  assert.equal(lookups, 1, 'only b/pé looked up');
  assert.ok(again.sharesSlots(base), 'the same pods in the same order: the same keys, a slot the same pod in both');
  assert.deepEqual(entries(again), entries(base));
  assert.equal(again.containers('a/p1'), base.containers('a/p1'), "the containers' names are the previous list");
});

async function serve(handler: http.RequestListener): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

test('over HTTP: a body sent in slow pieces is read whole; a 403 and a connection cut mid-body are KubeErrors', async () => {
  const whole = bytes(LIST);
  const s = await serve((req, res) => {
    if (req.url!.includes('forbidden')) {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'Forbidden', message: 'pods.metrics.k8s.io is forbidden: User "u" cannot list resource "pods"', code: 403 }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    const cut = req.url!.includes('cut');
    let i = 0;
    const next = () => {
      if (cut && i >= 150) return res.destroy();
      if (i >= whole.length) return res.end();
      res.write(whole.subarray(i, (i += 37)));
      setTimeout(next, 1);
    };
    next();
  });
  try {
    const client = localClient(s.port);
    const m = await client.streamed('/apis/metrics.k8s.io/v1beta1/pods', readPodMetrics);
    assert.deepEqual(m.get('b/p2')!.usage, [1_500_000, 2_147_483_648, 1_000_000, 1024]);
    await assert.rejects(client.streamed('/forbidden', readPodMetrics), (e) => e instanceof KubeError && e.kind === 'forbidden');
    await assert.rejects(client.streamed('/cut', readPodMetrics), (e) => e instanceof KubeError && e.kind === 'network');
  } finally {
    await s.close();
  }
});
