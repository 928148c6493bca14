// LineSplitter (src/kube/lineSplitter.ts): a watch stream's lines, whatever the chunks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter } from '../../src/kube/lineSplitter.js';

const enc = new TextEncoder();

function linesOf(chunks: Uint8Array[]): string[] {
  const out: string[] = [];
  const s = new LineSplitter();
  for (const c of chunks) s.push(c, (l) => out.push(l));
  return out;
}

const text = '{"type":"ADDED","object":{"name":"pod-1"}}\n\n{"type":"MODIFIED","object":{"message":"zurück — ✓ 🚀"}}\r\n{"type":"DELETED"}\n{"type":"partial';
const expected = ['{"type":"ADDED","object":{"name":"pod-1"}}', '{"type":"MODIFIED","object":{"message":"zurück — ✓ 🚀"}}\r', '{"type":"DELETED"}'];

test('lines in one chunk: complete ones out, blank ones skipped, the unfinished one held', () => {
  assert.deepEqual(linesOf([enc.encode(text)]), expected);
});

test('the same lines cut at every byte: multi-byte characters and lines across chunks come out whole', () => {
  const bytes = enc.encode(text);
  for (const size of [1, 2, 3, 5, 7, 64]) {
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.slice(i, i + size));
    assert.deepEqual(linesOf(chunks), expected, `chunks of ${size} bytes`);
  }
  for (let cut = 0; cut <= bytes.length; cut++) assert.deepEqual(linesOf([bytes.slice(0, cut), bytes.slice(cut)]), expected, `cut at ${cut}`);
});

test('every line parses as the JSON it was', () => {
  const events = Array.from({ length: 50 }, (_, i) => ({ type: 'MODIFIED', object: { metadata: { name: `p-${i}`, resourceVersion: String(100 + i) }, text: 'é'.repeat(i) } }));
  const bytes = enc.encode(events.map((e) => JSON.stringify(e) + '\n').join(''));
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += 37) chunks.push(bytes.slice(i, i + 37));
  assert.deepEqual(linesOf(chunks).map((l) => JSON.parse(l)), events);
});

test('the memory of a chunk may be reused once pushed (a Buffer from a socket): the unfinished line was copied', () => {
  const bytes = Buffer.from('{"type":"ADDED","object":{"name":"a"}}\n{"type":"MODIFIED","obj');
  const rest = Buffer.from('ect":{"name":"b"}}\n');
  const out: string[] = [];
  const s = new LineSplitter();
  s.push(bytes, (l) => out.push(l));
  bytes.fill(0x78); // whatever the caller does with that memory afterwards
  s.push(rest, (l) => out.push(l));
  assert.deepEqual(out, ['{"type":"ADDED","object":{"name":"a"}}', '{"type":"MODIFIED","object":{"name":"b"}}']);
});
