// Sharing repeated values (src/kube/intern.ts): equal values come back as one copy, their
// parts too; the tables are bounded yet keep what is in use; a hash collision shares nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GENERATION, adoptEqual, hash, hashJson, lookupOnly, sameJson, share, sharedSizes, str } from '../../src/kube/intern.js';

const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v));

test('equal values and strings come back as one copy; different ones stay apart', () => {
  const a = { app: 'intern-a', tier: 'web' };
  assert.equal(share(a), a);
  assert.equal(share(copy(a)), a);
  const b = { tier: 'web', app: 'intern-a' }; // same entries, another order: JSON differs
  assert.equal(share(b), b);
  assert.equal(share({ app: 'intern-b', tier: 'web' }).app, 'intern-b');
  const s = ['intern', 'string'].join('-');
  assert.equal(str(s), s);
  assert.equal(str(['intern', 'string'].join('-')), 'intern-string');
});

test("a new value's parts are shared with other values' equal parts", () => {
  const resources = { requests: { cpu: '123m', memory: '77Mi' } };
  const first = share([{ name: 'app', image: 'intern:1', resources: copy(resources) }]);
  const second = share([{ name: 'app', image: 'intern:2', resources: copy(resources) }]);
  assert.notEqual(first, second);
  assert.equal(first[0]!.resources, second[0]!.resources);
  assert.deepEqual(second, [{ name: 'app', image: 'intern:2', resources }]);
});

test('the tables stay bounded, and a value in use outlives values no longer seen', () => {
  const hot = share({ hot: 'intern-hot' });
  const cold = share({ cold: 'intern-cold' });
  // Three generations' worth of other values. The hot one is seen again as pods of its
  // workload come; the cold one is not.
  for (let i = 0; i < 3 * GENERATION; i++) {
    share({ filler: i });
    if (i % 10_000 === 0) assert.equal(share(copy(hot)), hot);
  }
  assert.equal(share(copy(hot)), hot);
  assert.notEqual(share(copy(cold)), cold);
  assert.ok(sharedSizes().values <= 2 * GENERATION, JSON.stringify(sharedSizes()));
});

test('values whose JSON hashes collide are both kept, unshared', () => {
  // Found by search: two label sets whose JSON has the same 32-bit hash.
  const a = { app: 'tqdscwuwdakp' };
  const b = { app: '1pqrn7q13h89af' };
  assert.equal(hash(JSON.stringify(a)), hash(JSON.stringify(b)));
  assert.equal(share(a), a);
  const b2 = share(b);
  assert.equal(b2, b);
  assert.deepEqual(b2, { app: '1pqrn7q13h89af' });
  assert.equal(share(copy(a)), a);
});

test('under lookupOnly (watch events) known values are shared, a new value or string is added when it comes again', () => {
  const known = share({ app: 'intern-known', tier: 'web' });
  lookupOnly(() => {
    assert.equal(share(copy(known)), known, 'a known value is shared');
    const before = sharedSizes();
    // A pod's fresh statuses: met once, not added (nor its parts' new strings).
    const status = { startedAt: '2026-11-21T14:00:01Z', restartCount: 3 };
    assert.equal(share(status), status);
    const ts = ['2026-11-21', 'T14:00:02Z'].join('');
    assert.equal(str(ts), ts);
    assert.deepEqual(sharedSizes(), before, 'nothing added for values met once');
    // A rollout's new labels: the second pod's copy is added, the third pod shares it.
    const second = copy({ app: 'intern-rollout', 'pod-template-hash': '7f9c' });
    share(copy(second));
    assert.equal(share(second), second);
    assert.equal(share(copy(second)), second);
    assert.equal(sharedSizes().values, before.values + 1);
    // Pods made in the same second: the second one's creationTimestamp is added, the third shares it.
    const stringsBefore = sharedSizes().strings;
    const made = ['2026-11-21', 'T14:00:03Z'];
    const second2 = made.join('');
    str(made.join(''));
    assert.equal(str(second2), second2);
    assert.equal(str(made.join('')), second2);
    assert.equal(sharedSizes().strings, stringsBefore + 1);
  });
  // Outside lookupOnly a new value is added at once again.
  const fresh = { app: 'intern-fresh' };
  assert.equal(share(fresh), fresh);
  assert.equal(share(copy(fresh)), fresh);
});

test('the hash of a value is the hash of its JSON text, made without the text', () => {
  const values: unknown[] = [
    {},
    [],
    { a: 1, b: [1, 2.5, -3, 1e21, -0, 0.1, NaN, Infinity], c: null, d: true, e: false },
    { skipped: undefined, fn: () => 1, kept: 'x', inArray: [undefined, () => 1, 'y'] },
    { '10': 'ten', '2': 'two', b: 'bee', a: 'ay' }, // integer-like keys first, as JSON.stringify orders them
    { quote: 'say "hi"', backslash: 'a\\b', controls: '\b\f\n\r\t\u0000\u001f\u007f', unicode: 'naïve 日本 👍🏽', lone: '\ud800x\udc00', pairEnd: 'end\ud83d' },
    { 'key "quoted"\n': { nested: [{ deep: ['a', { deeper: 0 }] }] } },
    [{ name: 'app', image: 'registry/app:1.2', resources: { requests: { cpu: '250m', memory: '64Mi' } }, volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: undefined }] }],
    [{ type: 'Ready', status: 'True', reason: undefined, lastTransitionTime: '2026-11-21T10:00:09Z' }],
  ];
  for (const v of values) assert.equal(hashJson(v), hash(JSON.stringify(v)), JSON.stringify(v));
  // Random strings over the characters that need escaping, and around the surrogate ranges.
  const chars = ['a', '"', '\\', '\n', '\u0001', '\ud83d', '\ude00', '\udbff', '\udfff', 'é', '日', ' '];
  let seed = 7;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % chars.length;
  for (let n = 0; n < 2000; n++) {
    let s = '';
    for (let i = n % 9; i > 0; i--) s += chars[next()];
    assert.equal(hashJson({ [s]: [s] }), hash(JSON.stringify({ [s]: [s] })), JSON.stringify(s));
  }
});

test('equal values are the same in any key order; a missing, extra or different entry is not', () => {
  assert.equal(sameJson({ a: 1, b: { c: [1, 'x'] } }, { b: { c: [1, 'x'] }, a: 1 }), true);
  assert.equal(sameJson({ a: 1 }, { a: 1, b: 2 }), false);
  assert.equal(sameJson({ a: 1, b: 2 }, { a: 1 }), false);
  assert.equal(sameJson({ a: 1, b: 2 }, { a: 1, c: 2 }), false);
  assert.equal(sameJson({ a: [1, 2] }, { a: [2, 1] }), false);
  assert.equal(sameJson({ a: [] }, { a: {} }), false);
  assert.equal(sameJson({ a: undefined }, {}), false);
});

test("a changed object takes its held version's equal parts, and reads exactly as it came", () => {
  const held = {
    metadata: { name: 'web-1', uid: 'u1', resourceVersion: '10', labels: { app: 'web' } },
    spec: { nodeName: 'n1', containers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }] },
    status: {
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: 't1' }],
      containerStatuses: [
        { name: 'a', ready: true, state: { running: { startedAt: 's1' } } },
        { name: 'b', ready: true, state: { running: { startedAt: 's2' } } },
      ],
      podIP: '10.0.0.1',
    },
  };
  // The readiness of container a flipped (as a watch event brings it: all of it new).
  const fresh = copy(held);
  fresh.metadata.resourceVersion = '11';
  fresh.status.conditions[0]!.status = 'False';
  fresh.status.conditions[0]!.lastTransitionTime = 't2';
  fresh.status.containerStatuses[0]!.ready = false;
  const expected = copy(fresh);
  const got = adoptEqual(fresh, held);
  assert.deepEqual(got, expected, 'reads as the event said');
  assert.notEqual(got, held);
  assert.equal(got.spec, held.spec, 'an unchanged spec is the held one');
  assert.equal(got.metadata.labels, held.metadata.labels);
  assert.equal(got.status.containerStatuses[1], held.status.containerStatuses[1], 'an unchanged status is the held one');
  assert.equal(got.status.containerStatuses[0]!.state, held.status.containerStatuses[0]!.state, "a changed status keeps its unchanged state");
  assert.notEqual(got.status.conditions, held.status.conditions);
  assert.notEqual(got.status.containerStatuses[0], held.status.containerStatuses[0]);
  assert.equal(held.status.containerStatuses[0]!.ready, true, 'the held version is left as it was');

  // All equal: the held version itself. Any key more, less or different: not.
  assert.equal(adoptEqual(copy(held), held), held);
  const withMore = { ...copy(held.status.containerStatuses[1]!), started: true };
  assert.notEqual(adoptEqual(withMore, held.status.containerStatuses[1]), held.status.containerStatuses[1]);
  const { podIP: _ip, ...withLess } = copy(held.status);
  assert.deepEqual(adoptEqual(withLess, held.status), { conditions: held.status.conditions, containerStatuses: held.status.containerStatuses });
  assert.notEqual(adoptEqual(withLess, held.status), held.status);
  const undefinedVsMissing = { name: 'b', ready: true, state: held.status.containerStatuses[1]!.state, extra: undefined };
  assert.notEqual(adoptEqual(undefinedVsMissing, held.status.containerStatuses[1]), held.status.containerStatuses[1]);
  const shorter = adoptEqual(copy(held.spec.containers).slice(0, 1), held.spec.containers);
  assert.deepEqual(shorter, [{ name: 'a', image: 'a:1' }]);
  assert.equal(shorter[0], held.spec.containers[0]);
  const longer = adoptEqual([...copy(held.spec.containers), { name: 'c', image: 'c:1' }], held.spec.containers);
  assert.equal(longer.length, 3);
  assert.equal(longer[1], held.spec.containers[1]);
  const arrayLike = { a: { 0: 1 } } as unknown as { a: number[] };
  const arrayGot = adoptEqual({ a: [1] }, arrayLike);
  assert.notEqual(arrayGot.a, arrayLike.a, 'an array is not an object with the same entries');
  assert.deepEqual(arrayGot, { a: [1] });
});
