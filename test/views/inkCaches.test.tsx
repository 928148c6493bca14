// src/app/inkCaches.ts: Ink's text measuring remembered across frames. The caches must change
// no frame (same text, byte for byte, with the cache on and off) and must do their job: a
// frame that differs from the previous one by a few lines tokenizes only those (counted, not
// timed). Ink and the views are loaded after the caches are installed, as src/cli.tsx does.
import React from 'react'; // JSX in tests (test/ is outside tsconfig, so tsx uses the classic runtime)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { inkCacheStats, installInkCaches, setInkFrameRows, setInkOutputCache } from '../../src/app/inkCaches.js';
import { frameRowStats } from '../../src/app/inkFrameRows.js';
import { GENERATION_CHARS, rememberedChars, stringWidthStats } from '../../src/app/stringWidthMemo.js';
import { ClusterStore } from '../../src/store/clusterStore.js';
import { FakeContexts, framesSettled, pod, syncAll } from './fixtures.js';

const status = await installInkCaches();
const { render, cleanup } = await import('ink-testing-library');
const { App } = await import('../../views/App.js');
const { loadKeymap } = await import('../../src/keys/keymap.js');
const hooked = (await import('string-width')).default;
const real = (await import(new URL('../../node_modules/string-width/index.js', import.meta.url).href)).default as (s: string, o?: object) => number;

const keymap = loadKeymap();

function cluster(prefix = 'web'): FakeContexts {
  const contexts = new FakeContexts(['cache']);
  const store: ClusterStore = contexts.store;
  const reasons = [undefined, 'CrashLoopBackOff', 'ImagePullBackOff'];
  for (let i = 0; i < 120; i++) {
    store.upsert('pods', pod(`team-${i % 4}`, `${prefix}-${String(i).padStart(3, '0')}-日本`, { node: `node-${i % 7}`, restarts: i % 5, waiting: reasons[i % 11 === 0 ? 1 + (i % 2) : 0] }));
  }
  syncAll(store);
  store.flush();
  return contexts;
}

/** The screen after each of `keys` (and before the first) on the pod list and the pods tree:
 *  the frame Ink settles on, not every frame (a loaded machine may draw one key's screen in
 *  one frame or two, and CI once did so differently in the two runs compared). */
async function screens(keys: string[]): Promise<string[]> {
  const r = render(<App contexts={cluster()} keymap={keymap} initialView="podlist" width={100} height={24} onExit={() => {}} />);
  await framesSettled(r);
  const out = [r.lastFrame()!];
  for (const k of keys) {
    r.stdin.write(k);
    await framesSettled(r);
    out.push(r.lastFrame()!);
  }
  r.unmount();
  cleanup();
  return out;
}

const KEYS = ['j', 'j', 'j', '\x1b[6~', 'k', '2', 'j', 'j', '\r', 'j', '4', '1', 'S', ':podlist\r', 'G', 'g'];

describe('Ink caches (src/app/inkCaches.ts)', () => {
  before(() => setInkOutputCache(true));
  after(() => setInkOutputCache(true));

  test('both caches are installed, and every string-width import is the memo', () => {
    assert.deepEqual(status, { stringWidth: true, output: true });
    assert.notEqual(hooked, real);
    const before = stringWidthStats.computed;
    hooked('▾ team-1 (30) · ✓');
    hooked('▾ team-1 (30) · ✓');
    assert.equal(stringWidthStats.computed, before + 1, 'the second call is remembered');
  });

  test('the memo gives string-width\'s widths', () => {
    const samples = ['', 'plain ascii', '日本語', 'e\u0301', '👍🏽 ok', '\u001b[31mred\u001b[39m ▇▇▁▁', '│ ✓ synced · ⚠', 'ｱｲｳ', '\t', '한국어', 'x'.repeat(300)];
    for (let round = 0; round < 2; round++) for (const s of samples) assert.equal(hooked(s), real(s), JSON.stringify(s));
    assert.equal(hooked('日本語', { ambiguousIsNarrow: false }), real('日本語', { ambiguousIsNarrow: false }));
  });

  test('frames are the same with the cross-frame cache on and off', async () => {
    setInkOutputCache(false);
    const off = await screens(KEYS);
    setInkOutputCache(true);
    const on = await screens(KEYS);
    // Every key changes the screen (cursor, page, view, sort), so each one's screen is compared.
    for (let i = 1; i < off.length; i++) assert.notEqual(off[i], off[i - 1], `key ${JSON.stringify(KEYS[i - 1])} changed the screen`);
    assert.deepEqual(on, off);
  });

  test('frames are the same with rows kept from frame to frame and without (src/app/inkFrameRows.ts)', async () => {
    setInkFrameRows(false);
    const own = await screens(KEYS);
    setInkFrameRows(true);
    const built0 = frameRowStats.rowsBuilt;
    const kept = await screens(KEYS);
    assert.ok(frameRowStats.rowsBuilt > built0, 'the frames went through the rows-kept get()');
    assert.deepEqual(kept, own);
  });

  test('moving the cursor one row turns only the changed rows into strings', async () => {
    const r = render(<App contexts={cluster('db')} keymap={keymap} initialView="podlist" width={100} height={24} onExit={() => {}} />);
    await framesSettled(r);
    r.stdin.write('j');
    await framesSettled(r);
    const built = frameRowStats.rowsBuilt;
    const reused = frameRowStats.rowsReused;
    const f0 = r.frames.length;
    r.stdin.write('j');
    await framesSettled(r);
    assert.equal(r.frames.length, f0 + 1, 'one frame');
    // The row left, the row reached and at most the status line; the other rows of 24 are kept.
    const rebuilt = frameRowStats.rowsBuilt - built;
    assert.ok(rebuilt >= 2 && rebuilt <= 3, `rows rebuilt: ${rebuilt}`);
    assert.equal(frameRowStats.rowsReused - reused, 24 - rebuilt);
    r.unmount();
    cleanup();
  });

  test('moving the cursor one row tokenizes the changed lines, not the screen', async () => {
    setInkOutputCache(true);
    // Names no other test drew: their lines are not in the cache yet.
    const r = render(<App contexts={cluster('api')} keymap={keymap} initialView="podlist" width={100} height={24} onExit={() => {}} />);
    await framesSettled(r);
    r.stdin.write('j');
    await framesSettled(r);
    const n0 = inkCacheStats.linesTokenized;
    const f0 = r.frames.length;
    r.stdin.write('j');
    await framesSettled(r);
    const moved = inkCacheStats.linesTokenized - n0;
    assert.equal(r.frames.length, f0 + 1, 'one frame');
    // The row left and the row reached (and at most the status line); 22 rows are on screen.
    assert.ok(moved >= 1 && moved <= 4, `lines tokenized for a one-row move: ${moved}`);
    setInkOutputCache(false);
    const n1 = inkCacheStats.linesTokenized;
    r.stdin.write('j');
    await framesSettled(r);
    assert.equal(inkCacheStats.linesTokenized, n1, 'with the cache off, nothing goes through it');
    setInkOutputCache(true);
    r.unmount();
    cleanup();
  });

  test('the memo keeps a bounded number of characters, however long the texts (whole frames)', () => {
    // 400 distinct 8,000-character texts (frames of 120x40 that never repeat, as under churn):
    // 3.2 M characters measured, at most two generations of GENERATION_CHARS (+ one text) kept.
    for (let i = 0; i < 400; i++) {
      const text = `frame ${i} │ ` + '▸ row │ '.repeat(1000);
      assert.equal(hooked(text), real(text));
    }
    const kept = rememberedChars();
    assert.ok(kept <= 2 * GENERATION_CHARS + 8_100, `characters remembered: ${kept}`);
    assert.ok(kept >= GENERATION_CHARS / 2, `and it still remembers: ${kept}`);
  });

  test('a remembered line does not keep the whole frame it was cut from alive', () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    // 400 frames of 64 KB, each measured by one of its lines (a slice of the frame, as Ink's
    // lines are): kept by their slices, the frames would be ~25 MB.
    for (let i = 0; i < 400; i++) {
      const frame = `line ${i} ▸ ` + 'x'.repeat(80) + '\n' + '▸ row │ '.repeat(8000);
      hooked(frame.split('\n')[0]!);
    }
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    assert.ok(grown < 5 * 2 ** 20, `heap grew by ${(grown / 2 ** 20).toFixed(1)} MB`);
  });
});
