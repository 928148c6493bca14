// src/app/inkFrameRows.ts: Ink's Output.get() rewritten to allocate less must draw exactly what
// Ink's own does. Random frames (styled text, several lines, wide characters, clips on any
// side, nested clips, transformers, writes past the edges), in runs where each frame is the
// previous one with a change or two (what the row reuse depends on), drawn through Ink's
// Output with kfleet's get() and with Ink's, the cross-frame caches on for both.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { installInkCaches, outputRowsKept, setInkFrameRows } from '../../src/app/inkCaches.js';
import { frameRowStats } from '../../src/app/inkFrameRows.js';

await installInkCaches();
const { default: Output } = (await import(new URL('./output.js', import.meta.resolve('ink')).href)) as {
  default: new (o: { width: number; height: number }) => {
    write(x: number, y: number, text: string, o: { transformers: ((l: string, i: number) => string)[] }): void;
    clip(c: object): void;
    unclip(): void;
    get(): { output: string; height: number };
  };
};

/** A small deterministic PRNG (mulberry32): failures replay. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['a', 'bc', ' ', 'xyz ', '漢', '字字', 'e\u0301', '▾', '│', '✓', '\n', '\u001b[1m', '\u001b[22m', '\u001b[31m', '\u001b[39m', '\u001b[7m', '\u001b[27m'];
const TRANSFORMERS = [(l: string) => l.toUpperCase(), (l: string, i: number) => `\u001b[32m${l}\u001b[39m${i}`, (l: string) => l.slice(1)];

type Op = { kind: 'write'; x: number; y: number; text: string; t: number[] } | { kind: 'clip'; clip: Record<string, number | undefined> } | { kind: 'unclip' };

function randomOps(r: () => number, w: number, h: number): Op[] {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const n = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const ops: Op[] = [];
  let open = 0;
  for (let i = n(1, 10); i > 0; i--) {
    const roll = r();
    if (roll < 0.15) {
      const side = () => (r() < 0.25 ? undefined : n(-2, Math.max(w, h) + 2));
      ops.push({ kind: 'clip', clip: { x1: side(), x2: side(), y1: side(), y2: side() } });
      open++;
    } else if (roll < 0.22 && open > 0) {
      ops.push({ kind: 'unclip' });
      open--;
    } else {
      let text = '';
      for (let k = n(1, 12); k > 0; k--) text += pick(PIECES);
      ops.push({ kind: 'write', x: n(-3, w + 2), y: n(-1, h), text, t: r() < 0.3 ? [n(0, TRANSFORMERS.length - 1)] : [] });
    }
  }
  return ops;
}

function draw(w: number, h: number, ops: Op[], rows: boolean): string {
  setInkFrameRows(rows);
  const o = new Output({ width: w, height: h });
  for (const op of ops) {
    if (op.kind === 'write') o.write(op.x, op.y, op.text, { transformers: op.t.map((i) => TRANSFORMERS[i]!) });
    else if (op.kind === 'clip') o.clip(op.clip);
    else o.unclip();
  }
  return JSON.stringify(o.get());
}

describe('Ink Output.get() with rows kept (src/app/inkFrameRows.ts)', () => {
  test('is the get() installed for this Ink', () => {
    assert.equal(outputRowsKept, true);
  });

  test('draws random frames exactly as Ink does, frame after frame', () => {
    const r = rng(9);
    const reused0 = frameRowStats.rowsReused;
    let compared = 0;
    for (let run = 0; run < 60; run++) {
      const w = 4 + Math.floor(r() * 24);
      const h = 1 + Math.floor(r() * 8);
      let ops = randomOps(r, w, h);
      for (let frame = 0; frame < 8; frame++) {
        // Each side draws its own run, so the rows each get() keeps are its own history's.
        const ours = draw(w, h, ops, true);
        const inks = draw(w, h, ops, false);
        assert.equal(ours, inks, `run ${run} frame ${frame}: ${JSON.stringify(ops)}`);
        compared++;
        // The next frame: the same, or one operation replaced.
        if (r() < 0.6) {
          const next = randomOps(r, w, h).filter((op) => op.kind === 'write');
          if (next.length) ops = ops.map((op, i) => (i === Math.floor(r() * ops.length) ? next[0]! : op));
        }
      }
    }
    setInkFrameRows(true);
    assert.equal(compared, 480);
    assert.ok(frameRowStats.rowsReused - reused0 > 200, `rows reused: ${frameRowStats.rowsReused - reused0}`);
  });
});
