// readWholeBody (src/kube/wholeBody.ts) over real HTTP: the body whole in a reused buffer,
// an error's body, an abort half-way, and the response's raw headers (views of the socket's
// first read) not kept for the response's lifetime.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, Dispatcher, request } from 'undici';
import { ByteScratch } from '../../src/kube/byteScratch.js';
import { readWholeBody } from '../../src/kube/wholeBody.js';

const big = 'x'.repeat(100_000) + 'end';

async function withServer(fn: (base: string) => Promise<void>): Promise<void> {
  const server = http.createServer((req, res) => {
    if (req.url === '/big') {
      // In pieces, a tick apart: the body comes in many chunks.
      let i = 0;
      const next = () => {
        if (i >= big.length) return void res.end();
        res.write(big.slice(i, (i += 9000)));
        setImmediate(next);
      };
      next();
    } else if (req.url === '/missing') {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end('{"kind":"Status","reason":"NotFound"}');
    } else if (req.url === '/stall') {
      res.write('{"items":['); // and nothing more
    } else res.end('{"items":[]}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

test('bodies whole, one after another in one buffer; an error status with its body', async () => {
  await withServer(async (base) => {
    const into = new ByteScratch();
    const dec = new TextDecoder();
    const never = new AbortController().signal;
    const a = await readWholeBody(`${base}/big`, {}, into, never);
    assert.equal(a.status, 200);
    assert.equal(dec.decode(a.body), big);
    const b = await readWholeBody(`${base}/small?x=1`, { Accept: 'application/json' }, into, never);
    assert.deepEqual([b.status, dec.decode(b.body)], [200, '{"items":[]}']);
    const c = await readWholeBody(`${base}/missing`, {}, into, never);
    assert.deepEqual([c.status, dec.decode(c.body)], [404, '{"kind":"Status","reason":"NotFound"}']);
  });
});

test('an abort half-way through the body rejects with the signal\'s reason', async () => {
  await withServer(async (base) => {
    const stop = new AbortController();
    const reading = readWholeBody(`${base}/stall`, {}, new ByteScratch(), stop.signal);
    setTimeout(() => stop.abort(new Error('enough')), 50);
    await assert.rejects(reading, /enough/);
    await assert.rejects(readWholeBody(`${base}/small`, {}, new ByteScratch(), stop.signal), /enough/); // aborted before it starts
  });
});

test('an abort while the request waits for a connection rejects it (it never reaches the server)', async () => {
  await withServer(async (base) => {
    // One connection: the second request waits behind the first, which never ends.
    const agent = new Agent({ connections: 1, pipelining: 1 });
    const never = new AbortController();
    const first = readWholeBody(`${base}/stall`, {}, new ByteScratch(), never.signal, agent);
    first.catch(() => {});
    const stop = new AbortController();
    const queued = readWholeBody(`${base}/small`, {}, new ByteScratch(), stop.signal, agent);
    setTimeout(() => stop.abort(new Error('gave up waiting')), 50);
    // At the abort, not when the first request lets the connection go (it never does here).
    await assert.rejects(queued, /gave up waiting/);
    never.abort(new Error('done'));
    await assert.rejects(first, /done/);
    await agent.destroy();
  });
});

test('the raw headers (views of the socket\'s first read) are let go once read; undici\'s request keeps them', async () => {
  // A dispatcher that notes what the request controller holds right after the handler saw the headers.
  const held: unknown[] = [];
  const agent = new Agent();
  const noting = {
    dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) {
      return agent.dispatch(opts, {
        ...handler,
        onRequestStart: (c, ctx) => handler.onRequestStart?.(c, ctx),
        onResponseStart: (c, status, headers, text) => {
          handler.onResponseStart?.(c, status, headers, text);
          held.push((c as { rawHeaders?: unknown }).rawHeaders);
        },
        onResponseData: (c, chunk) => handler.onResponseData?.(c, chunk),
        onResponseEnd: (c, trailers) => handler.onResponseEnd?.(c, trailers),
        onResponseError: (c, e) => handler.onResponseError?.(c, e),
      });
    },
  } as unknown as Dispatcher;
  try {
    await withServer(async (base) => {
      await readWholeBody(`${base}/small`, {}, new ByteScratch(), new AbortController().signal, noting);
      await (await request(`${base}/small`, { dispatcher: noting })).body.text();
    });
    assert.equal(held.length, 2);
    assert.equal(held[0], null);
    assert.ok(Array.isArray(held[1]) && Buffer.isBuffer(held[1][0]), 'undici keeps the raw header buffers (if it stops, wholeBody.ts can say so)');
  } finally {
    await agent.close();
  }
});
