// A request's timeout is cleared once its answer is read: no timer (nor signal) outlives it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';
import { getEventListeners } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { deadline, KubeError } from '../../src/kube/client.js';
import { localClient } from '../helpers/localClient.js';

/** A request timeout no other timer has (undici keeps its own for the connection). */
const TIMEOUT_MS = 12_345;

/** Timers of TIMEOUT_MS (ref'd or not) made while `fn` runs and still pending when it is done. */
async function timersLeftBy<T>(fn: () => Promise<T>): Promise<{ result: T; left: number }> {
  const pending = new Set<number>();
  const hook = createHook({
    init: (id, type, _trigger, resource) => void (type === 'Timeout' && (resource as { _idleTimeout?: number })._idleTimeout === TIMEOUT_MS && pending.add(id)),
    destroy: (id) => void pending.delete(id),
  }).enable();
  try {
    const result = await fn();
    await sleep(10); // destroy hooks run after the clearing turn
    return { result, left: pending.size };
  } finally {
    hook.disable();
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('deadline: aborts with a TimeoutError after its time, not once cleared, and follows an outer signal', async () => {
  const late = deadline(20);
  await sleep(60);
  assert.equal(late.timedOut(), true);
  assert.equal((late.signal.reason as DOMException).name, 'TimeoutError');

  const cleared = deadline(20);
  cleared.clear();
  await sleep(60);
  assert.equal(cleared.signal.aborted, false);
  assert.equal(cleared.timedOut(), false);

  const outer = new AbortController();
  const both = deadline(10_000, outer.signal);
  assert.equal(getEventListeners(outer.signal, 'abort').length, 1);
  outer.abort();
  assert.equal(both.signal.aborted, true);
  assert.equal(both.timedOut(), false); // aborted by the caller, not by the time
  both.clear();

  const other = new AbortController();
  const unlinked = deadline(undefined, other.signal);
  unlinked.clear();
  assert.equal(getEventListeners(other.signal, 'abort').length, 0);
  other.abort();
  assert.equal(unlinked.signal.aborted, false); // cleared: no longer follows it
  assert.equal(deadline(undefined, other.signal).signal.aborted, true); // already aborted
});

/** Composite signals (AbortSignal.any) that Node keeps on a source signal, where it can tell. */
function dependants(signal: AbortSignal): number {
  const sym = Object.getOwnPropertySymbols(signal).find((x) => x.description === 'kDependantSignals');
  return sym ? ((signal as unknown as Record<symbol, Set<unknown> | undefined>)[sym]?.size ?? 0) : 0;
}

test('text, bytes and streamed leave no timer behind; a slow answer is a timeout', async () => {
  const server = http.createServer((req, res) => {
    if (req.url === '/slow') setTimeout(() => res.end('{}'), 1000);
    else if (req.url === '/dribble') {
      res.write('{"items":[');
      setTimeout(() => res.end(']}'), 2000);
    }
    else res.end('{"items":[]}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const client = localClient(port);
  try {
    await client.text('/warm'); // the connection pool's own timers, made once
    // With AbortSignal.timeout each call left its 30 s timer running (unref'd, so only a hook sees it).
    const text = await timersLeftBy(() => client.text('/a', { timeoutMs: TIMEOUT_MS }));
    assert.deepEqual(text, { result: '{"items":[]}', left: 0 });
    const bytes = await timersLeftBy(() => client.bytes('/b', { timeoutMs: TIMEOUT_MS }));
    assert.deepEqual({ body: new TextDecoder().decode(bytes.result), left: bytes.left }, { body: '{"items":[]}', left: 0 });
    const streamed = await timersLeftBy(() =>
      client.streamed('/c', async (chunks) => {
        let n = 0;
        for await (const c of chunks) n += c.length;
        return n;
      }, { timeoutMs: TIMEOUT_MS }),
    );
    assert.deepEqual(streamed, { result: 12, left: 0 });
    await assert.rejects(client.text('/slow', { timeoutMs: 100 }), (e: unknown) => e instanceof KubeError && e.kind === 'timeout');

    // A long-lived caller's signal (a reflector's) keeps nothing of the requests made with it.
    const stop = new AbortController();
    for (let i = 0; i < 5; i++) await client.bytes(`/page${i}`, { signal: stop.signal });
    await client.text('/t', { signal: stop.signal });
    assert.equal(getEventListeners(stop.signal, 'abort').length, 0);
    assert.equal(dependants(stop.signal), 0);
    // ... and still stops a body being read, after the headers came.
    const reading = client.streamed('/dribble', async (chunks) => {
      for await (const _ of chunks) stop.abort();
      return 'read to the end';
    }, { signal: stop.signal });
    await assert.rejects(reading);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
