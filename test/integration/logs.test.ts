// Pod logs from the embedded cluster through LogStream (real HTTPS): the first lines, follow,
// the previous instance of a crash-looping container, a refused request, and a follow that
// survives the server dropping the stream (reconnect without duplicates or gaps).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { configForContext, loadKubeconfig } from '../../src/config/kubeconfig.js';
import { KubeClient } from '../../src/kube/client.js';
import { LogStream } from '../../src/kube/logs.js';
import { writeKubeconfig } from '../../src/sim/kubeconfig.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';

let sim: SimServer;
let client: KubeClient;
const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  sim = await startSimServer({ scenario: 'incident' });
  const kubeconfig = writeKubeconfig([{ name: 'sim', server: sim.url, token: sim.token, ca: sim.ca }]);
  client = new KubeClient(configForContext(loadKubeconfig({ explicitPath: kubeconfig }), 'sim').kc, 'sim');
});
after(async () => {
  await sim.close();
});

async function until(what: string, fn: () => boolean, timeoutMs = 15_000) {
  const end = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await tick(20);
  }
}

const podName = (prefix: string) => sim.store.list('pods', 'shop').find((p: { metadata: { name: string } }) => p.metadata.name.startsWith(prefix))!.metadata.name as string;
const seqOf = (l: string) => Number(/seq=(\d+)/.exec(l)?.[1] ?? (/starting/.test(l) ? 0 : NaN));

describe('pod logs against the embedded cluster', () => {
  test('without follow: the tail asked for, in order, timestamps removed', async () => {
    const s = new LogStream(client, { namespace: 'payments', pod: 'ledger-0', container: 'ledger' }, { follow: false, tailLines: 5, notifyIntervalMs: 5 });
    s.start();
    await until('ended', () => s.state.phase === 'ended');
    assert.deepEqual(s.lines.slice().map(seqOf), [35, 36, 37, 38, 39]);
    assert.match(s.lines.at(0)!, /^level=info msg="[^"]+" seq=35$/);
  });

  test('previous instance of the crash-looping checkout pod ends with its panic; a pod without one is refused', async () => {
    const crash = podName('checkout-6');
    const s = new LogStream(client, { namespace: 'shop', pod: crash, container: 'checkout', previous: true }, { notifyIntervalMs: 5 });
    s.start();
    await until('ended', () => s.state.phase === 'ended');
    assert.equal(s.lines.size, 40);
    assert.match(s.lines.at(0)!, /^level=info msg="starting checkout" pod=checkout-/);
    assert.equal(s.lines.at(39), 'level=fatal msg="panic: config key \\"DATABASE_URL\\" missing" container=checkout');
    const none = new LogStream(client, { namespace: 'payments', pod: 'ledger-0', container: 'ledger', previous: true }, { notifyIntervalMs: 5 });
    none.start();
    await until('error', () => none.state.phase === 'error');
    assert.match(none.state.error!, /previous terminated container "ledger" in pod "ledger-0" not found/);
  });

  test('follow: new lines keep coming; memory stays at capacity; a dropped stream reconnects without duplicates or gaps', async () => {
    const s = new LogStream(client, { namespace: 'payments', pod: 'ledger-1', container: 'ledger' }, { follow: true, capacity: 30, backoffMs: () => 50, notifyIntervalMs: 5 });
    s.start();
    await until('a followed line', () => s.lines.total >= 42);
    assert.equal(s.lines.size, 30); // bounded
    assert.equal(s.lines.dropped, s.lines.total - 30);
    // The server closes every open stream now (as on an API server restart).
    sim.setFaults({ dropWatchesEverySec: 1 });
    await until('a reconnect', () => s.state.reconnects >= 1, 10_000);
    sim.setFaults({ dropWatchesEverySec: 0 });
    const after = s.lines.total;
    await until('lines after the reconnect', () => s.lines.total >= after + 2);
    s.stop();
    const seqs = s.lines.slice().map(seqOf);
    // Consecutive: nothing repeated (the re-sent start of the log was skipped), nothing missing.
    for (let i = 1; i < seqs.length; i++) assert.equal(seqs[i], seqs[i - 1] + 1, `line ${i}: ${seqs.join(',')}`);
    assert.equal(seqs.at(-1), s.lines.total - 1);
  });
});
