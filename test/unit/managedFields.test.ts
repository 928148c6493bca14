// withoutManagedFields (src/kube/managedFields.ts): the same JSON as parsing and deleting
// metadata.managedFields, for real-looking objects, lists and watch events; text that merely
// mentions managedFields is left alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteScratch } from '../../src/kube/byteScratch.js';
import { withoutManagedFields } from '../../src/kube/managedFields.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
const cut = (v: unknown, indent?: number) => JSON.parse(dec.decode(withoutManagedFields(enc.encode(JSON.stringify(v, null, indent)))));

const managedFields = [
  { manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'v1', time: '2026-11-21T10:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} }, 'f:ownerReferences': { 'k:{"uid":"a-b"}': {} } } } },
  { manager: 'kubelet', operation: 'Update', subresource: 'status', fieldsV1: { 'f:status': { 'f:conditions': { 'k:{"type":"Ready"}': { '.': {}, 'f:message': {} } } } } },
];

function pod(name: string, withFields = true, first = false): Record<string, unknown> {
  const meta: Record<string, unknown> = first && withFields ? { managedFields } : {};
  Object.assign(meta, { name, namespace: 'shop', uid: `uid-${name}`, resourceVersion: '7', labels: { app: 'web' }, annotations: { note: 'see "managedFields": [ in the docs ]' } });
  if (withFields && !first) meta.managedFields = managedFields;
  return { kind: 'Pod', apiVersion: 'v1', metadata: meta, spec: { containers: [{ name: 'c', image: 'img', args: ['{"managedFields":[', ']]'] }] }, status: { phase: 'Running', message: 'a \\"quoted\\" ] } text' } };
}

function expected(v: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(v) as { metadata: Record<string, unknown> };
  delete copy.metadata.managedFields;
  return copy;
}

test('a pod loses its managedFields and nothing else, wherever the key sits in metadata', () => {
  for (const first of [false, true]) for (const indent of [undefined, 2]) assert.deepEqual(cut(pod('a', true, first), indent), expected(pod('a', true, first)), `first=${first} indent=${indent}`);
});

test('a list page: every item loses its managedFields; a watch event too', () => {
  const list = { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '9', continue: 'abc' }, items: [pod('a'), pod('b', false), pod('c', true, true)] };
  assert.deepEqual(cut(list), { ...list, items: list.items.map(expected) });
  const event = { type: 'MODIFIED', object: pod('d') };
  assert.deepEqual(cut(event), { type: 'MODIFIED', object: expected(pod('d')) });
});

test('text without managedFields is given back as it is; mentions inside strings stay', () => {
  const bytes = enc.encode(JSON.stringify(pod('x', false)));
  assert.equal(withoutManagedFields(bytes), bytes);
  assert.equal(dec.decode(withoutManagedFields(bytes)), JSON.stringify(pod('x', false)));
});

test('a managedFields value that is not an array or object, or is cut off, is left for JSON.parse to judge', () => {
  for (const text of ['{"metadata":{"managedFields":null,"name":"a"}}', '{"metadata":{"name":"a","managedFields":[{"manager":"x"']) {
    assert.equal(dec.decode(withoutManagedFields(enc.encode(text))), text);
  }
});

test('cut into a reused scratch: each result is right when read before the next, and bigger lines grow it', () => {
  const scratch = new ByteScratch();
  // A long pod after short ones: the scratch's first size (16 KB) is outgrown on the way.
  const big = pod('big');
  (big.metadata as Record<string, unknown>).annotations = { note: 'x'.repeat(40_000) };
  const objects = [pod('a'), pod('b', true, true), { type: 'MODIFIED', object: pod('c') }, big, pod('d')];
  const results = objects.map((v) => {
    const out = withoutManagedFields(enc.encode(JSON.stringify(v)), scratch);
    return JSON.parse(dec.decode(out));
  });
  assert.deepEqual(results, [expected(pod('a')), expected(pod('b', true, true)), { type: 'MODIFIED', object: expected(pod('c')) }, expected(big), expected(pod('d'))]);
  // Text with nothing to cut is given back as it is, not copied.
  const plain = enc.encode(JSON.stringify(pod('x', false)));
  assert.equal(withoutManagedFields(plain, scratch), plain);
});
