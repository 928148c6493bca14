// Pod metrics read as they stream in: any cut of the answer into chunks gives the same figures,
// a malformed answer is an error that says so, and over HTTP a failing server is a KubeError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeClient, KubeError } from '../../src/kube/client.js';
import { itemTexts } from '../../src/kube/jsonItems.js';
import { ListPageError } from '../../src/kube/listPage.js';
import { PodMetricsReader, readPodMetrics } from '../../src/kube/podMetrics.js';

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
  assert.throws(() => readInChunks(new TextEncoder().encode('{"items":[{"a":}]}'), 4), (e) => e instanceof ListPageError && /not JSON/.test(e.message));
});

test('itemTexts finds the items of a list, whatever their strings hold', () => {
  const list = { kind: 'PodMetricsList', metadata: { selfLink: '[{x}]' }, items: [{ a: '}{"]' }, { b: [{ c: '\\"}' }], d: { e: [] } }, {}] };
  const text = JSON.stringify(list, null, 1);
  assert.deepEqual(itemTexts(text).map((t) => JSON.parse(t)), list.items);
  assert.throws(() => itemTexts('{"items":[{"a":1}'), /truncated/);
});

/** A client for a plain-HTTP server on this machine. */
function clientFor(port: number): KubeClient {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'x' }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
    currentContext: 'ctx',
  });
  return new KubeClient(kc, 'ctx');
}

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
    const client = clientFor(s.port);
    const m = await client.streamed('/apis/metrics.k8s.io/v1beta1/pods', readPodMetrics);
    assert.deepEqual(m.get('b/p2')!.usage, [1_500_000, 2_147_483_648, 1_000_000, 1024]);
    await assert.rejects(client.streamed('/forbidden', readPodMetrics), (e) => e instanceof KubeError && e.kind === 'forbidden');
    await assert.rejects(client.streamed('/cut', readPodMetrics), (e) => e instanceof KubeError && e.kind === 'network');
  } finally {
    await s.close();
  }
});
