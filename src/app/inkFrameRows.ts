// Ink's Output.get() (ink/build/output.js, Ink 8) builds every frame from nothing: a grid of
// width x height fresh blank cells (an object and an empty styles array each: ~9,600 objects
// at 120x40); for every write it splits the text into styled characters and joins them back
// into lines, and cuts clipped lines again, character by character; then it turns every row
// back into a string. About 2.2 MB allocated per 120x40 frame of the pods view under churn
// (test/bench/inkFrames.ts, with the caches as they were), most of that frame's allocation,
// for rows that are mostly the ones drawn the frame before.
//
// This get() gives the same string, byte for byte, and allocates little:
// - one blank cell for every unwritten position (Ink never changes a cell in place: a write
//   puts another cell there, `blankCell` makes a new one), so a row is one array;
// - a text's lines and a line's clipped slice are remembered across frames (`FrameMemo`,
//   the cross-frame caches of inkCaches.ts): pure functions of their inputs;
// - a row whose cells are the very ones of the same row in the frame before (a wide
//   character's second column included: `filler`) is not turned into a string again: its string is the one made then. A row's string is a pure function
//   of its cells, and cells are immutable: those of a line Ink has tokenized come from the
//   cross-frame cache, the same objects frame after frame.
// `writeOperation` is Ink's applyWriteOperation with those two look-ups; everything else in it
// is Ink's code as it is. inkCaches.ts uses this only if it draws a probe frame exactly as
// Ink's own get() does.

export interface Cell {
  readonly type: 'char';
  readonly value: string;
  readonly fullWidth: boolean;
  readonly styles: readonly unknown[];
}
type Row = (Cell | undefined)[];
interface Clip {
  x1?: number;
  x2?: number;
  y1?: number;
  y2?: number;
}
type Transformer = (line: string, index: number) => string;
type Write = { type: 'write'; x: number; y: number; text: string; transformers: Transformer[] };
type Operation = { type: 'clip'; clip: Clip } | { type: 'unclip' } | Write;

/** Ink's per-frame caches (OutputCaches), as inkCaches.ts's cross-frame version has them. */
export interface FrameCaches {
  getStyledChars(line: string): readonly Cell[];
  getStringWidth(text: string): number;
  getWidestLine(text: string): number;
}

/** Cross-frame memos of pure functions (inkCaches.ts's CrossFrameCaches). */
export interface FrameMemo {
  lines(text: string, compute: (text: string) => readonly string[]): readonly string[];
  slice(line: string, from: number, to: number, compute: () => string): string;
}

export interface OutputLike {
  operations: Operation[];
  width: number;
  height: number;
  caches: FrameCaches;
  sliceLineToColumns(line: string, from: number, to: number): string;
}

export type StyledCharsToString = (chars: readonly Cell[]) => string;

const BLANK: Cell = Object.freeze({ type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([]) });

// As Ink's (output.js), which it does not export.
const blankCell = (cell: Cell): Cell => ({ ...cell, value: ' ', fullWidth: false });
const bound = (a: number | undefined, b: number | undefined, tighter: (a: number, b: number) => number) => (a === undefined ? b : b === undefined ? a : tighter(a, b));
function intersectClips(outer: Clip | undefined, inner: Clip): Clip {
  if (!outer) return inner;
  return { x1: bound(outer.x1, inner.x1, Math.max), x2: bound(outer.x2, inner.x2, Math.min), y1: bound(outer.y1, inner.y1, Math.max), y2: bound(outer.y2, inner.y2, Math.min) };
}
const isClipEmpty = (clip: Clip) => (clip.x1 !== undefined && clip.x2 !== undefined && clip.x1 >= clip.x2) || (clip.y1 !== undefined && clip.y2 !== undefined && clip.y1 >= clip.y2);

/**
 * The cell behind a wide character's first column: Ink makes a new one each time; one per
 * character cell here, so that a row with a wide character is the same cells frame after frame.
 */
const fillers = new WeakMap<Cell, Cell>();
function filler(character: Cell): Cell {
  let f = fillers.get(character);
  if (!f) fillers.set(character, (f = { type: 'char', value: '', fullWidth: false, styles: character.styles }));
  return f;
}

/** Counts, for tests: rows turned into strings (the misses) and rows reused. */
export const frameRowStats = { rowsBuilt: 0, rowsReused: 0 };

/** A get() for Ink's Output prototype; `toString` is Ink's own styledCharsToString. */
export function frameGet(toString: StyledCharsToString, memo: FrameMemo): (this: OutputLike) => { output: string; height: number } {
  // The rows of the frame before and their strings, by row index.
  let lastRows: Row[] = [];
  let lastLines: string[] = [];

  /** A text's lines, each as a string of its styled characters (Ink's first step of a write). */
  function linesOf(this: OutputLike, text: string): readonly string[] {
    const characterLines: Cell[][] = [[]];
    for (const character of this.caches.getStyledChars(text)) {
      if (character.value === '\n') characterLines.push([]);
      else characterLines.at(-1)!.push(character);
    }
    return characterLines.map((line) => toString(line));
  }

  /** Ink's applyWriteOperation, with the text's lines and clipped slices remembered. */
  function writeOperation(this: OutputLike, output: Row[], operation: Write, clip: Clip | undefined): void {
    const { text, transformers } = operation;
    let { x, y } = operation;
    let lines = memo.lines(text, (t) => linesOf.call(this, t));
    if (clip) {
      if (isClipEmpty(clip)) return;
      const shouldClipHorizontally = typeof clip.x1 === 'number' && typeof clip.x2 === 'number';
      const shouldClipVertically = typeof clip.y1 === 'number' && typeof clip.y2 === 'number';
      if (shouldClipHorizontally) {
        const width = this.caches.getWidestLine(text);
        if (x + width < clip.x1! || x > clip.x2!) return;
      }
      if (shouldClipVertically) {
        const height = lines.length;
        if (y + height < clip.y1! || y > clip.y2!) return;
      }
      if (shouldClipHorizontally) {
        lines = lines.map((line) => {
          const from = x < clip.x1! ? clip.x1! - x : 0;
          const width = this.caches.getStringWidth(line);
          const to = x + width > clip.x2! ? clip.x2! - x : width;
          return memo.slice(line, from, to, () => this.sliceLineToColumns(line, from, to));
        });
        if (x < clip.x1!) x = clip.x1!;
      }
      if (shouldClipVertically) {
        const from = y < clip.y1! ? clip.y1! - y : 0;
        const height = lines.length;
        const to = y + height > clip.y2! ? clip.y2! - y : height;
        lines = lines.slice(from, to);
        if (y < clip.y1!) y = clip.y1!;
      }
    }
    for (let index = 0; index < lines.length; index++) {
      let line = lines[index]!;
      const currentLine = output[y + index];
      if (!currentLine) continue;
      for (const transformer of transformers) line = transformer(line, index + y - operation.y);
      const characters = this.caches.getStyledChars(line);
      if (characters.length === 0) continue;
      let offsetX = x;
      if (currentLine[offsetX]?.value === '' && offsetX > 0 && this.caches.getStringWidth(currentLine[offsetX - 1]?.value ?? '') > 1) {
        currentLine[offsetX - 1] = blankCell(currentLine[offsetX - 1]!);
      }
      // An index loop, not for...of: as for...of, this loop allocated per character in the
      // function's optimized code (a sampling heap profile put ~130 KB a frame of the pods
      // view, 140x40, on this function itself; ~20 KB so), a fifth of what a scroll key
      // allocates (560 -> 430 KB a key at 50,000 pods). Allocation is what makes V8 have the
      // main thread mark while a full GC runs: the stalls under churn.
      for (let c = 0; c < characters.length; c++) {
        const character = characters[c]!;
        currentLine[offsetX] = character;
        const characterWidth = Math.max(1, this.caches.getStringWidth(character.value));
        if (characterWidth > 1) {
          for (let offset = 1; offset < characterWidth; offset++) currentLine[offsetX + offset] = offsetX < 0 ? { type: 'char', value: ' ', fullWidth: false, styles: character.styles } : filler(character);
        }
        offsetX += characterWidth;
      }
      if (currentLine[offsetX]?.value === '') currentLine[offsetX] = blankCell(currentLine[offsetX]!);
    }
  }

  return function get(this: OutputLike) {
    const rows: Row[] = [];
    for (let y = 0; y < this.height; y++) rows.push(new Array<Cell>(this.width).fill(BLANK));
    const clips: Clip[] = [];
    for (const operation of this.operations) {
      if (operation.type === 'clip') clips.push(intersectClips(clips.at(-1), operation.clip));
      else if (operation.type === 'unclip') clips.pop();
      else writeOperation.call(this, rows, operation, clips.at(-1));
    }
    const lines: string[] = [];
    for (let y = 0; y < rows.length; y++) {
      const row = rows[y]!;
      if (sameCells(row, lastRows[y])) {
        lines.push(lastLines[y]!);
        frameRowStats.rowsReused++;
      } else {
        // Ink skips the holes a wide character's write can leave past the row's end.
        lines.push(toString(row.filter((c): c is Cell => c !== undefined)).trimEnd());
        frameRowStats.rowsBuilt++;
      }
    }
    lastRows = rows;
    lastLines = lines;
    return { output: lines.join('\n'), height: rows.length };
  };
}

function sameCells(a: Row, b: Row | undefined): boolean {
  if (!b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
