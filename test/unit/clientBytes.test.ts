// KubeClient.bytes (src/kube/client.ts) over real HTTP: a body read whole, into a buffer the
// caller reuses page after page (the reflector's list), and a refusal as the server's message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ByteScratch } from '../../src/kube/byteScratch.js';
import { KubeError } from '../../src/kube/client.js';
import { localClient } from '../helpers/localClient.js';

test('pages read one after another into one buffer: each whole while it is read, in many chunks or one', async () => {
  const big = JSON.stringify({ items: Array.from({ length: 3000 }, (_, i) => ({ name: `pod-${i}` })) }); // ~60 KB
  const server = http.createServer((req, res) => {
    if (req.url === '/big') {
      // Written in pieces, so the body comes in several chunks.
      for (let i = 0; i < big.length; i += 7000) res.write(big.slice(i, i + 7000));
      res.end();
    } else if (req.url === '/forbidden') {
      res.writeHead(403, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', message: 'pods is forbidden: User "dev" cannot list resource "pods"', reason: 'Forbidden', code: 403 }));
    } else res.end('{"items":[]}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const client = localClient((server.address() as AddressInfo).port);
  const dec = new TextDecoder();
  try {
    const buffer = new ByteScratch();
    assert.equal(dec.decode(await client.bytes('/small', {}, buffer)), '{"items":[]}');
    assert.equal(dec.decode(await client.bytes('/big', {}, buffer)), big);
    // A shorter page after a longer one: only its own bytes.
    assert.equal(dec.decode(await client.bytes('/small', {}, buffer)), '{"items":[]}');
    assert.equal(dec.decode(await client.bytes('/big')), big); // a buffer of its own
    await assert.rejects(client.bytes('/forbidden', {}, buffer), (e: unknown) => e instanceof KubeError && e.kind === 'forbidden' && /cannot list resource "pods"/.test(e.message));
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
