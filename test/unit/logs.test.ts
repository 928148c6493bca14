import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LogStream, RingBuffer, logPath, type LogClient } from '../../src/kube/logs.js';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

/** A fake client: each call answers with the next script entry (chunks of text, then the end). */
function fakeClient(script: ({ status: number; chunks: string[]; hold?: boolean } | Error)[]) {
  const calls: string[] = [];
  const client: LogClient = {
    async raw(path) {
      calls.push(path);
      const s = script.shift();
      if (!s) return new Promise(() => undefined); // hang: no more answers
      if (s instanceof Error) throw s;
      const enc = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        start(ctrl) {
          for (const c of s.chunks) ctrl.enqueue(enc.encode(c));
          if (!s.hold) ctrl.close();
        },
      });
      return { ok: s.status < 300, status: s.status, body, text: async () => s.chunks.join('') };
    },
  };
  return { client, calls };
}

async function until(fn: () => boolean, what: string) {
  const end = Date.now() + 3000;
  while (!fn()) {
    if (Date.now() > end) assert.fail(`timed out: ${what}`);
    await tick(5);
  }
}

describe('RingBuffer', () => {
  test('keeps the newest `capacity` entries and counts the dropped ones', () => {
    const r = new RingBuffer<number>(3);
    for (let i = 1; i <= 7; i++) r.push(i);
    assert.deepEqual(r.slice(), [5, 6, 7]);
    assert.equal(r.size, 3);
    assert.equal(r.total, 7);
    assert.equal(r.dropped, 4);
    assert.equal(r.at(0), 5);
    assert.equal(r.at(2), 7);
    assert.equal(r.at(3), undefined);
    assert.deepEqual(r.slice(1, 2), [6]);
    r.clear();
    assert.equal(r.size, 0);
  });
});

describe('LogStream', () => {
  test('the request asks for the container, previous, follow, tail and timestamps', () => {
    assert.equal(logPath({ namespace: 'shop', pod: 'p-1', container: 'app', previous: true }, { follow: false, tailLines: 100 }), '/api/v1/namespaces/shop/pods/p-1/log?container=app&timestamps=true&previous=true&tailLines=100');
    assert.equal(logPath({ namespace: 'a b', pod: 'p', container: 'c' }, { follow: true, sinceTime: '2024-01-01T00:00:01Z' }), '/api/v1/namespaces/a%20b/pods/p/log?container=c&timestamps=true&follow=true&sinceTime=2024-01-01T00%3A00%3A01Z');
  });

  test('splits chunks into lines (a line across chunks, CRLF, no final newline), timestamps removed', async () => {
    const { client } = fakeClient([{ status: 200, chunks: ['2024-01-01T00:00:01Z one\n2024-01-01T00:00:02Z tw', 'o\r\n2024-01-01T00:00:03Z three'] }]);
    const s = new LogStream(client, { namespace: 'ns', pod: 'p', container: 'c' }, { follow: false, notifyIntervalMs: 1 });
    s.start();
    await until(() => s.state.phase === 'ended', 'end');
    assert.deepEqual(s.lines.slice(), ['one', 'two', 'three']);
  });

  test('memory stays bounded however much arrives: capacity lines, each cut at maxLineLength', async () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => `2024-01-01T00:00:00.${String(i).padStart(6, '0')}Z line ${i}\n`);
    const huge = `2024-01-01T00:00:01Z ${'x'.repeat(50_000)}\n`;
    const { client } = fakeClient([{ status: 200, chunks: [lines.join(''), huge.slice(0, 20_000), huge.slice(20_000)] }]);
    const s = new LogStream(client, { namespace: 'ns', pod: 'p', container: 'c' }, { follow: false, capacity: 100, maxLineLength: 1000, notifyIntervalMs: 1 });
    s.start();
    await until(() => s.state.phase === 'ended', 'end');
    assert.equal(s.lines.size, 100);
    assert.equal(s.lines.total, 10_001);
    assert.equal(s.lines.dropped, 9_901);
    assert.equal(s.lines.at(0), 'line 9901');
    const last = s.lines.at(99)!;
    assert.equal(last, 'x'.repeat(1000) + ' …[line cut]');
  });

  test('following: a dropped stream reconnects with sinceTime and skips the lines it already has', async () => {
    const { client, calls } = fakeClient([
      { status: 200, chunks: ['2024-01-01T00:00:01Z a\n2024-01-01T00:00:02Z b\n2024-01-01T00:00:02Z c\n'] },
      new Error('connection reset'),
      // The server re-sends from sinceTime (inclusive): b and c again, then d.
      { status: 200, chunks: ['2024-01-01T00:00:02Z b\n2024-01-01T00:00:02Z c\n2024-01-01T00:00:03Z d\n'], hold: true },
    ]);
    const s = new LogStream(client, { namespace: 'ns', pod: 'p', container: 'c' }, { follow: true, backoffMs: () => 5, notifyIntervalMs: 1 });
    s.start();
    await until(() => s.lines.size === 4, 'four lines');
    assert.deepEqual(s.lines.slice(), ['a', 'b', 'c', 'd']);
    assert.equal(calls.length, 3);
    assert.match(calls[0], /follow=true&tailLines=500$/);
    assert.match(calls[1], /follow=true&sinceTime=2024-01-01T00%3A00%3A02Z$/);
    assert.match(calls[2], /sinceTime=2024-01-01T00%3A00%3A02Z$/);
    assert.equal(s.state.reconnects, 2);
    assert.equal(s.state.phase, 'streaming');
    s.stop();
    assert.equal(s.state.phase, 'stopped');
  });

  test('a 4xx (no previous instance) ends the stream with the server message, no retry', async () => {
    const { client, calls } = fakeClient([{ status: 400, chunks: [JSON.stringify({ kind: 'Status', message: 'previous terminated container "c" in pod "p" not found', reason: 'BadRequest' })] }]);
    const s = new LogStream(client, { namespace: 'ns', pod: 'p', container: 'c', previous: true }, { backoffMs: () => 1, notifyIntervalMs: 1 });
    s.start();
    await until(() => s.state.phase === 'error', 'error');
    await tick(20);
    assert.equal(calls.length, 1);
    assert.match(s.state.error!, /previous terminated container "c" in pod "p" not found/);
    assert.equal(s.following, false); // a previous instance never follows
  });
});
