// Ink draws the whole screen on every frame, and remembers nothing from one frame to the next:
// each frame it tokenizes every line for ANSI styles and measures it with string-width (whose
// grapheme segmenter runs for any line with a bar, a box-drawing character or a ▾), although
// nearly every line is the one it drew the frame before. Measured at 120x40: ~6-11 ms of
// Ink's renderer per frame, ~1-2 ms with these caches (README "Performance").
//
// Two caches, installed by the CLI before Ink is loaded, both pure memoization of pure
// functions (same output, byte for byte: test/unit/ink-caches.test.tsx):
// 1. string-width, remembered (stringWidthMemo.ts): a module resolve hook makes every
//    `import 'string-width'` load the memo instead (Ink, widest-line, cli-truncate, views).
// 2. Ink's per-frame caches (tokenized lines, line widths) kept across frames: Output.get()
//    is given one long-lived cache object instead of the fresh one each Output makes. Ink's
//    build/output.js is not exported; it is loaded by its file URL, which is the module
//    Ink itself uses. If its shape is not the one this was written against (another Ink),
//    nothing is patched and Ink runs as it is.
//
// KFLEET_INK_CACHES=0 turns both off.
import { registerHooks } from 'node:module';
import { ownCopy } from './ownCopy.js';

export interface InkCacheStatus {
  stringWidth: boolean;
  output: boolean;
}

/** Cache work, for tests: lines tokenized for real (the misses). */
export const inkCacheStats = { linesTokenized: 0, rotations: 0 };

/** Entries per generation of the cross-frame cache (a 200x60 frame uses a few hundred). */
const GENERATION_SIZE = 4096;
/** Characters of keys per generation: blocks of many lines are keys too (see stringWidthMemo). */
const GENERATION_CHARS = 256 * 1024;

let installed: Promise<InkCacheStatus> | undefined;
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
    const mod = (await import(new URL('./output.js', import.meta.resolve('ink')).href)) as { default: OutputClass };
    status.output = patchOutput(mod.default);
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

function patchOutput(Output: OutputClass): boolean {
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
  Output.prototype.get = function (this: OutputInstance) {
    if (enabled) {
      shared.rotate();
      this.caches = shared as unknown as Caches;
    }
    return get.call(this);
  };
  return true;
}

/**
 * Ink's cache interface over two generations of Ink's own cache objects: hits in the current
 * one, then in the previous one (copied forward), else Ink computes it into the current one.
 * A full current generation becomes the previous one between frames, so what the last frames
 * drew stays and the rest goes.
 */
class CrossFrameCaches {
  private cur: Caches;
  private old: Caches;

  constructor(private readonly fresh: () => Caches) {
    this.cur = fresh();
    this.old = fresh();
  }

  /** Characters of the keys looked up since `cur` started: a bound on what it holds. */
  private chars = 0;

  rotate(): void {
    if (this.cur.styledChars.size + this.cur.widths.size + this.cur.blockWidths.size < GENERATION_SIZE && this.chars < GENERATION_CHARS) return;
    this.old = this.cur;
    this.cur = this.fresh();
    this.chars = 0;
    inkCacheStats.rotations++;
  }

  getStyledChars(line: string): unknown {
    return this.through(line, (c) => c.styledChars, (own) => {
      inkCacheStats.linesTokenized++;
      return this.cur.getStyledChars(own);
    });
  }

  getStringWidth(text: string): number {
    return this.through(text, (c) => c.widths, (own) => this.cur.getStringWidth(own));
  }

  getWidestLine(text: string): number {
    return this.through(text, (c) => c.blockWidths, (own) => this.cur.getWidestLine(own));
  }

  /**
   * A hit in the current generation, else in the previous one (copied forward), else Ink's
   * computation into the current one. Keys put in a cache are own copies (ownCopy.ts): Ink's
   * lines are slices of its whole frame.
   */
  private through<V>(key: string, map: (c: Caches) => Map<string, V>, compute: (own: string) => V): V {
    this.chars += key.length;
    const cur = map(this.cur).get(key);
    if (cur !== undefined) return cur;
    const old = map(this.old).get(key);
    if (old !== undefined) {
      map(this.cur).set(ownCopy(key), old);
      return old;
    }
    return compute(ownCopy(key));
  }
}
