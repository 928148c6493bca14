import React from 'react'; // eslint-disable-line @typescript-eslint/no-unused-vars
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup } from 'ink-testing-library';
import { ClusterStore } from '../../src/store/clusterStore.js';
import { EventsSelector, eventsOfObject } from '../../views/selectors/events.js';
import { FakeContexts, syncAll, tick } from './fixtures.js';
import { ESC, event, mountApp, richPod, type } from './toolkitFixtures.js';

afterEach(() => cleanup());

function fill(s: ClusterStore) {
  const checkout = richPod('shop', 'checkout-1', { waiting: 'CrashLoopBackOff' });
  s.upsert('pods', checkout);
  s.upsert('events', event('shop', 'checkout-1.backoff', { obj: 'checkout-1', uid: checkout.metadata.uid, reason: 'BackOff', count: 42, ago: 30, message: 'Back-off restarting failed container app' }));
  s.upsert('events', event('shop', 'checkout-1.pulled', { obj: 'checkout-1', uid: checkout.metadata.uid, reason: 'Pulled', type: 'Normal', count: 1, ago: 300, message: 'Successfully pulled image' }));
  s.upsert('events', event('shop', 'search.sched', { obj: 'search-indexer', reason: 'FailedScheduling', count: 18, ago: 60, message: '0/6 nodes are available: 6 Insufficient cpu.' }));
  s.upsert('events', event('default', 'worker-e.notready', { kind: 'Node', obj: 'worker-e', reason: 'NodeNotReady', type: 'Normal', ago: 1500, message: 'Node worker-e status is now: NodeNotReady' }));
  s.upsert('events', event('shop', 'checkout.scaled', { kind: 'Deployment', obj: 'checkout', reason: 'ScalingReplicaSet', type: 'Normal', ago: 2400, message: 'Scaled up replica set checkout-abc to 1' }));
  syncAll(s);
  s.flush();
}

const rows = (screen: string) => screen.split('\n').filter((l) => /^[> ] (Warning|Normal) /.test(l));

describe('events grouped by object (selector)', () => {
  test('one group per object: counts summed, warnings apart, warnings first then most recent', () => {
    const s = new ClusterStore(0);
    fill(s);
    const sel = new EventsSelector();
    const snap = sel.select(s, undefined);
    assert.deepEqual(
      snap.groups.map((g) => [g.key, g.count, g.warnings, g.reason, g.reasons.join(',')]),
      [
        ['Pod/shop/checkout-1', 43, 42, 'BackOff', 'BackOff,Pulled'],
        ['Pod/shop/search-indexer', 18, 18, 'FailedScheduling', 'FailedScheduling'],
        ['Node//worker-e', 1, 0, 'NodeNotReady', 'NodeNotReady'],
        ['Deployment/shop/checkout', 1, 0, 'ScalingReplicaSet', 'ScalingReplicaSet'],
      ],
    );
    assert.equal(snap.total, 5);
    // Incremental: a new warning on the deployment moves it up; deleting events drops a group.
    s.upsert('events', event('shop', 'checkout.failed', { kind: 'Deployment', obj: 'checkout', reason: 'ProgressDeadlineExceeded', ago: 1 }));
    s.remove('events', 'shop/search.sched');
    let batch: Parameters<EventsSelector['select']>[1];
    const off = s.subscribe((b) => (batch = b));
    s.flush();
    off();
    const next = sel.select(s, batch!);
    assert.deepEqual(next.groups.map((g) => g.key), ['Deployment/shop/checkout', 'Pod/shop/checkout-1', 'Node//worker-e']);
    assert.equal(next.groups[0].count, 2);
  });

  test("an object's own events through the eventsByObject index (by uid and by kind/namespace/name)", () => {
    const s = new ClusterStore(0);
    fill(s);
    const own = eventsOfObject(s, { kind: 'Pod', namespace: 'shop', name: 'checkout-1', uid: 'uid-shop-checkout-1' });
    assert.deepEqual(own.map((x) => x.key).sort(), ['shop/checkout-1.backoff', 'shop/checkout-1.pulled']);
    // A previous object of the same name (another uid) is not this one.
    assert.deepEqual(eventsOfObject(s, { kind: 'Pod', namespace: 'shop', name: 'checkout-1', uid: 'other-uid' }), []);
    assert.deepEqual(eventsOfObject(s, { kind: 'Node', name: 'worker-e' }).map((x) => x.key), ['default/worker-e.notready']);
  });
});

describe(':events view', () => {
  test('live, warnings first, with counts and last seen; w = warnings only; namespace scope', async () => {
    const contexts = new FakeContexts(['prod-eu']);
    fill(contexts.store);
    const t = mountApp({ contexts, view: 'events', width: 140, height: 24 });
    await tick(60);
    let r = rows(t.screen());
    assert.match(t.screen(), /Events — 4 objects \(2 with warnings, 5 events\) in all namespaces/);
    assert.match(t.screen(), /TYPE\s+REASON\s+OBJECT\s+COUNT\s+LAST SEEN\s+MESSAGE/);
    assert.match(r[0], /^> Warning\s+BackOff\s+pod shop\/checkout-1\s+43\s+3\ds\s+Back-off restarting failed container app/);
    assert.match(r[1], /^  Warning\s+FailedScheduling\s+pod shop\/search-indexer\s+18\s+6\ds\s+0\/6 nodes are available/);
    assert.match(r[2], /^  Normal\s+NodeNotReady\s+node worker-e\s+1\s+25m\s+Node worker-e status/);
    assert.match(r[3], /^  Normal\s+ScalingReplicaSet\s+deployment shop\/checkout\s+1\s+40m\s+Scaled up/);
    // The selected object's whole message under the table.
    assert.match(t.screen(), /── pod shop\/checkout-1 · BackOff, Pulled · 43 events \(42 warnings\) · last seen 3\ds ago/);

    // Live: a new warning on the deployment puts it first (the cursor, once moved, stays on its row).
    await type(t.stdin, 'j', 'k');
    contexts.store.upsert('events', event('shop', 'checkout.failed', { kind: 'Deployment', obj: 'checkout', reason: 'ProgressDeadlineExceeded', ago: 2, message: 'deployment "checkout" exceeded its progress deadline' }));
    contexts.store.flush();
    await tick(60);
    r = rows(t.screen());
    assert.match(r[0], /Warning\s+ProgressDeadlineExceeded\s+deployment shop\/checkout\s+2\s+\ds/);
    // The selection stayed on the checkout pod (now the second row).
    assert.match(r[1], /^> Warning\s+BackOff/);

    await type(t.stdin, 'w');
    assert.match(t.screen(), /warnings only/);
    assert.equal(rows(t.screen()).length, 3);
    await type(t.stdin, 'w');
    assert.equal(rows(t.screen()).length, 4);

    contexts.setNamespace('shop');
    await tick(60);
    assert.equal(rows(t.screen()).length, 3);
    assert.doesNotMatch(t.screen(), /worker-e/);
  });

  test('filter by reason or message; enter opens the object with its own events', async () => {
    const contexts = new FakeContexts(['prod-eu']);
    fill(contexts.store);
    const t = mountApp({ contexts, view: 'events', width: 140, height: 40 });
    await tick(60);
    await type(t.stdin, '/', 'Insufficient', '\r');
    assert.deepEqual(rows(t.screen()).map((l) => l.match(/(pod|node|deployment) \S+/)![0]), ['pod shop/search-indexer']);
    await type(t.stdin, ESC);
    assert.equal(rows(t.screen()).length, 4);
    // search-indexer is not in the cache (only its events are): enter says so.
    await type(t.stdin, 'j', '\r');
    assert.match(t.screen(), /pod shop\/search-indexer is not in kfleet's cache \(18 events, latest: FailedScheduling\)/);
    await type(t.stdin, 'k', '\r');
    const s = t.screen();
    assert.match(s, /Pod shop\/checkout-1 +\[describe\] +events +yaml +logs/);
    assert.match(s, /^ {3}Normal {2}Pulled +5m +kubelet +Successfully pulled image$/m);
    assert.match(s, /^ {3}Warning BackOff +3\ds \(x42\) +kubelet +Back-off restarting failed container app$/m);
    await type(t.stdin, '\t'); // the events tab
    assert.match(t.screen(), /\[events\]/);
    assert.match(t.screen(), /^ {3}Warning BackOff +3\ds \(x42\)/m);
    await type(t.stdin, ESC);
    assert.match(t.screen(), /Events — 4 objects/);
  });
});
