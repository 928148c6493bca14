// string-width, remembered. Ink measures every line of every frame with string-width (to lay
// out, truncate, clip and diff), and a line holding anything but printable ASCII (the bars,
// box drawing, ▾ ▸ ✓ ·) goes through its grapheme segmenter: ~1 µs a character, several
// times per line per frame, for lines that are the same frame after frame. inkCaches.ts makes
// every `import stringWidth from 'string-width'` (Ink's, widest-line's, cli-truncate's, the
// views') load this module instead; its own import below is the real one.
//
// Same results as string-width for every input: calls with options go straight through, the
// others are remembered by their exact text in two generations (the current and the previous
// few thousand texts), so a long session keeps a bounded map of what recent frames drew.
import realStringWidth from 'string-width';
import { ownCopy } from './ownCopy.js';

type Options = Parameters<typeof realStringWidth>[1];

/** Texts remembered per generation; a frame of 200x60 measures a few hundred. */
export const GENERATION_SIZE = 4096;
/**
 * Characters remembered per generation: Ink also measures whole frames (~8 KB each at 120x40),
 * which under churn never repeat; counted by entries alone, ~1,300 of them stayed (10 MB, seen
 * in a heap snapshot at 150,000 pods).
 */
export const GENERATION_CHARS = 256 * 1024;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

let current = new Map<string, number>();
let previous = new Map<string, number>();
let currentChars = 0;

/** Characters of the texts remembered now (tests). */
export function rememberedChars(): number {
  let n = 0;
  for (const m of [current, previous]) for (const t of m.keys()) n += t.length;
  return n;
}

/** How many texts were measured for real (tests count them). */
export const stringWidthStats = { computed: 0 };

export default function stringWidth(text: string, options?: Options): number {
  if (options !== undefined || typeof text !== 'string') return realStringWidth(text, options);
  if (text.length === 0) return 0;
  let w = current.get(text);
  if (w !== undefined) return w;
  w = previous.get(text);
  if (w === undefined) {
    // string-width's own fast path, without a map entry for it.
    if (PRINTABLE_ASCII.test(text)) return text.length;
    w = realStringWidth(text);
    stringWidthStats.computed++;
  }
  if (current.size >= GENERATION_SIZE || currentChars >= GENERATION_CHARS) {
    previous = current;
    current = new Map();
    currentChars = 0;
  }
  current.set(ownCopy(text), w); // not a slice of Ink's whole frame (ownCopy.ts)
  currentChars += text.length;
  return w;
}
