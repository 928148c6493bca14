// Ink draws the whole screen on every frame, and remembers nothing from one frame to the next:
// each frame it tokenizes every line for ANSI styles and measures it with string-width (whose
// grapheme segmenter runs for any line with a bar, a box-drawing character or a ▾), although
// nearly every line is the one it drew the frame before. Measured at 120x40: ~6-11 ms of
// Ink's renderer per frame, ~1-2 ms with these caches (README "Performance").
//
// Two caches, installed by the CLI before Ink is loaded, both pure memoization of pure
// functions (same output, byte for byte: test/views/inkCaches.test.tsx):
// 1. string-width, remembered (stringWidthMemo.ts): a module resolve hook makes every
//    `import 'string-width'` load the memo instead (Ink, widest-line, cli-truncate, views).
// 2. Ink's per-frame caches (tokenized lines, line widths) kept across frames: Output.get()
//    is given one long-lived cache object instead of the fresh one each Output makes. Ink's
//    build/output.js is not exported; it is loaded by its file URL, which is the module
//    Ink itself uses. If its shape is not the one this was written against (another Ink),
//    nothing is patched and Ink runs as it is.
// With the second, Output.get() is inkFrameRows.ts's: rows kept from one frame to the next.
//
// KFLEET_INK_CACHES=0 turns both off.
import { createRequire, registerHooks } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { frameGet, type FrameMemo, type OutputLike, type StyledCharsToString } from './inkFrameRows.js';
import { ownCopy } from './ownCopy.js';

export interface InkCacheStatus {
  stringWidth: boolean;
  output: boolean;
}

/** Cache work, for tests: lines tokenized for real (the misses). */
export const inkCacheStats = { linesTokenized: 0, rotations: 0 };

/** Entries per generation of the cross-frame cache (a 200x60 frame uses a few hundred). */
const GENERATION_SIZE = 4096;
/**
 * Characters of the keys put in a generation: blocks of many lines are keys too (see
 * stringWidthMemo), and a tokenized line holds a cell object per character (~80 B each). A
 * 120x40 frame's lines, texts and slices are ~15-20 K characters; what a frame still uses is
 * copied forward when a generation is dropped. (At 256 K a generation could hold ~20 MB of
 * cells.)
 */
const GENERATION_CHARS = 64 * 1024;

let installed: Promise<InkCacheStatus> | undefined;
/** Whether Output.get() is inkFrameRows.ts's (tests). */
export let outputRowsKept = false;
let enabled = true;

/** Install both caches (once; later calls return the first result). Call before Ink loads. */
export function installInkCaches(): Promise<InkCacheStatus> {
  installed ??= install();
  return installed;
}

/** Switch the cross-frame Output cache off and on (tests compare frames both ways). */
export function setInkOutputCache(on: boolean): void {
  enabled = on;
}

let rowsEnabled = true;
/** Switch inkFrameRows' get() off and on, the caches staying on (tests, benchmarks). */
export function setInkFrameRows(on: boolean): void {
  rowsEnabled = on;
}

async function install(): Promise<InkCacheStatus> {
  const status: InkCacheStatus = { stringWidth: false, output: false };
  if (process.env.KFLEET_INK_CACHES === '0') return status;
  try {
    const memo = import.meta.resolve('./stringWidthMemo.js');
    registerHooks({
      resolve(specifier, context, nextResolve) {
        if (specifier === 'string-width' && context.parentURL !== memo) return { url: memo, shortCircuit: true };
        return nextResolve(specifier, context);
      },
    });
    status.stringWidth = true;
  } catch {
    // no module hooks in this Node: string-width stays as it is
  }
  try {
    const outputUrl = new URL('./output.js', import.meta.resolve('ink')).href;
    const mod = (await import(outputUrl)) as { default: OutputClass };
    status.output = patchOutput(mod.default, await inksStyledCharsToString(outputUrl));
  } catch {
    status.output = false;
  }
  return status;
}

// ---- Ink's Output (ink/build/output.js, Ink 8) -----------------------------------------------

interface Caches {
  styledChars: Map<string, unknown>;
  widths: Map<string, number>;
  blockWidths: Map<string, number>;
  getStyledChars(line: string): unknown;
  getStringWidth(text: string): number;
  getWidestLine(text: string): number;
}
interface OutputInstance {
  caches: Caches;
}
interface OutputClass {
  new (o: { width: number; height: number }): OutputInstance;
  prototype: { get: (this: OutputInstance) => unknown; applyWriteOperation?: unknown };
}

/**
 * The styledCharsToString of the ansi-tokenize Ink itself loads (resolved from Ink's output.js;
 * the package exports only its import entry and its package.json), or undefined.
 */
async function inksStyledCharsToString(outputUrl: string): Promise<StyledCharsToString | undefined> {
  try {
    const pkgJson = createRequire(outputUrl).resolve('@alcalzone/ansi-tokenize/package.json');
    const pkg = JSON.parse(await (await import('node:fs/promises')).readFile(pkgJson, 'utf8')) as { exports?: { '.'?: { import?: string } }; module?: string };
    const entry = pkg.exports?.['.']?.import ?? pkg.module;
    if (!entry) return undefined;
    const mod = (await import(pathToFileURL(path.join(path.dirname(pkgJson), entry)).href)) as { styledCharsToString?: StyledCharsToString };
    return typeof mod.styledCharsToString === 'function' ? mod.styledCharsToString : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether inkFrameRows' get() gives what Ink's own does on probe frames (styles, clips that cut
 * lines on both sides and drop rows, a transformer, a wide character across a clip and one past
 * the row's end, text of several lines; a second frame with one row changed): if this Ink's
 * Output works otherwise, its own get() stays.
 */
function sameFrames(Output: OutputClass, fast: (this: OutputLike) => unknown, caches: () => unknown): boolean {
  const upper = (line: string) => line.toUpperCase();
  const frames = [
    ['\u001b[1mtitle\u001b[22m and more', 'row \u001b[32mgreen\u001b[39m', 'wide 漢字 here\nnext line', 'clipped away text'],
    ['\u001b[1mtitle\u001b[22m and more', 'row \u001b[31mred\u001b[39m', 'wide 漢字 here\nnext line', 'clipped away text'],
  ];
  const run = (get: (this: OutputLike) => unknown) =>
    frames.map((lines) => {
      const o = new Output({ width: 12, height: 6 }) as unknown as OutputLike & { write(x: number, y: number, t: string, o: { transformers: unknown[] }): void; clip(c: object): void; unclip(): void };
      o.caches = caches() as OutputLike['caches'];
      o.write(0, 0, lines[0]!, { transformers: [] });
      o.write(2, 1, lines[1]!, { transformers: [upper] });
      o.clip({ x1: 1, x2: 9, y1: 2, y2: 3 });
      o.write(-1, 2, lines[2]!, { transformers: [] });
      o.unclip();
      o.clip({ x1: 1, x2: 6 });
      o.write(0, 4, lines[3]!, { transformers: [] });
      o.write(4, 3, '漢字', { transformers: [] });
      o.unclip();
      o.write(11, 5, '漢', { transformers: [] });
      return JSON.stringify(get.call(o));
    });
  const own = run(Output.prototype.get as unknown as (this: OutputLike) => unknown);
  return JSON.stringify(run(fast)) === JSON.stringify(own);
}

function patchOutput(Output: OutputClass, toString: StyledCharsToString | undefined): boolean {
  if (typeof Output !== 'function' || typeof Output.prototype.get !== 'function' || typeof Output.prototype.applyWriteOperation !== 'function') return false;
  const probe = new Output({ width: 1, height: 1 }).caches;
  const fits =
    probe &&
    probe.styledChars instanceof Map &&
    probe.widths instanceof Map &&
    probe.blockWidths instanceof Map &&
    typeof probe.getStyledChars === 'function' &&
    typeof probe.getStringWidth === 'function' &&
    typeof probe.getWidestLine === 'function';
  if (!fits) return false;
  const CachesClass = probe.constructor as new () => Caches;
  const shared = new CrossFrameCaches(() => new CachesClass());
  const get = Output.prototype.get;
  const fast = toString && frameGet(toString, shared);
  const rowsKept = !!fast && sameFrames(Output, fast, () => shared);
  Output.prototype.get = function (this: OutputInstance) {
    if (!enabled) return get.call(this);
    shared.rotate();
    this.caches = shared as unknown as Caches;
    return rowsKept && rowsEnabled ? fast!.call(this as unknown as OutputLike) : get.call(this);
  };
  outputRowsKept = rowsKept;
  return true;
}

/** One generation: Ink's own cache object, and inkFrameRows' memos (FrameMemo). */
interface Generation {
  ink: Caches;
  lines: Map<string, readonly string[]>;
  /** Per line, its slices by `from * 65536 + to` (columns). */
  slices: Map<string, Map<number, string>>;
}

const STYLED_CHARS = (g: Generation) => g.ink.styledChars;
const WIDTHS = (g: Generation) => g.ink.widths;
const BLOCK_WIDTHS = (g: Generation) => g.ink.blockWidths;
const LINES = (g: Generation) => g.lines;
const SLICES = (g: Generation) => g.slices;

/**
 * Ink's cache interface, and inkFrameRows' memos, over two generations: hits in the current
 * one, then in the previous one (copied forward), else computed into the current one (Ink's
 * own caches compute and store). A full current generation becomes the previous one between
 * frames, so what the last frames drew stays and the rest goes.
 */
class CrossFrameCaches implements FrameMemo {
  private cur: Generation;
  private old: Generation;

  constructor(private readonly fresh: () => Caches) {
    this.cur = this.generation();
    this.old = this.generation();
  }

  private generation(): Generation {
    return { ink: this.fresh(), lines: new Map(), slices: new Map() };
  }

  /** Characters of the keys put in `cur`: a bound on what it holds. */
  private chars = 0;

  rotate(): void {
    const { ink, lines, slices } = this.cur;
    if (ink.styledChars.size + ink.widths.size + ink.blockWidths.size + lines.size + slices.size < GENERATION_SIZE && this.chars < GENERATION_CHARS) return;
    this.old = this.cur;
    this.cur = this.generation();
    this.chars = 0;
    inkCacheStats.rotations++;
  }

  // Each method looks in the current generation first, allocating nothing (Ink asks the width
  // of every character of every line, every frame); the look-ups further on are methods of
  // their own, since a function that makes a closure allocates its context on every call.
  getStyledChars(line: string): unknown {
    return this.cur.ink.styledChars.get(line) ?? this.styledCharsFurther(line);
  }

  getStringWidth(text: string): number {
    return this.cur.ink.widths.get(text) ?? this.widthFurther(text);
  }

  getWidestLine(text: string): number {
    return this.cur.ink.blockWidths.get(text) ?? this.widestLineFurther(text);
  }

  private styledCharsFurther(line: string): unknown {
    return this.through(line, STYLED_CHARS, (own) => {
      inkCacheStats.linesTokenized++;
      return this.cur.ink.getStyledChars(own);
    });
  }

  private widthFurther(text: string): number {
    return this.through(text, WIDTHS, (own) => this.cur.ink.getStringWidth(own));
  }

  private widestLineFurther(text: string): number {
    return this.through(text, BLOCK_WIDTHS, (own) => this.cur.ink.getWidestLine(own));
  }

  lines(text: string, compute: (text: string) => readonly string[]): readonly string[] {
    return this.cur.lines.get(text) ?? this.through(text, LINES, (own) => {
      const v = compute(own);
      this.cur.lines.set(own, v);
      return v;
    });
  }

  slice(line: string, from: number, to: number, compute: () => string): string {
    const byColumns = this.cur.slices.get(line) ?? this.through(line, SLICES, (own) => {
      const m = new Map<number, string>();
      this.cur.slices.set(own, m);
      return m;
    });
    const k = from * 65536 + to;
    let v = byColumns.get(k);
    if (v === undefined) byColumns.set(k, (v = compute()));
    return v;
  }

  /**
   * A hit in the current generation, else in the previous one (copied forward), else computed
   * into the current one. Keys put in a cache are own copies (ownCopy.ts): Ink's lines are
   * slices of its whole frame.
   */
  private through<V>(key: string, map: (g: Generation) => Map<string, V>, compute: (own: string) => V): V {
    const cur = map(this.cur).get(key);
    if (cur !== undefined) return cur;
    this.chars += key.length;
    const old = map(this.old).get(key);
    if (old !== undefined) {
      map(this.cur).set(ownCopy(key), old);
      return old;
    }
    return compute(ownCopy(key));
  }
}
