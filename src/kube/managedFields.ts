// Cutting `managedFields` out of API JSON before it is decoded and parsed. Server-side apply
// bookkeeping is ~30% of a pod's JSON (2.5 KB of 8.4 KB in the embedded cluster's pods, often
// more in real ones) and kfleet never reads it, yet JSON.parse built a tree of small objects
// for it in every listed pod and every watch event, only for lean.ts to drop it.
//
// The bytes `"managedFields":` can only be a key: inside a JSON string its quotes would be
// escaped. The value after it is skipped to its matching bracket (strings and escapes
// respected) and cut with one comma beside it. A value that is not an array or object, or that
// the text ends inside, is not cut: the text goes to JSON.parse as it came, which judges it.

import { joined, type ByteScratch } from './byteScratch.js';

const KEY = Buffer.from('"managedFields":');
const QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c, SPACE = 0x20, TAB = 0x09, CR = 0x0d, NL = 0x0a;
const OPEN_ARRAY = 0x5b, CLOSE_ARRAY = 0x5d, OPEN_OBJECT = 0x7b, CLOSE_OBJECT = 0x7d;

const isSpace = (b: number) => b === SPACE || b === TAB || b === CR || b === NL;

/**
 * `bytes` without its managedFields entries (the same array when it has none). With `scratch`,
 * a cut result is in the scratch's memory: read it before the scratch's next use.
 */
export function withoutManagedFields(bytes: Uint8Array, scratch?: ByteScratch): Uint8Array {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = buf.indexOf(KEY);
  if (at < 0) return bytes;
  const kept: Uint8Array[] = [];
  let from = 0;
  while (at >= 0) {
    const end = valueEnd(buf, at + KEY.length);
    if (end < 0) return bytes; // not a value we can skip: leave the text as it is
    // One comma goes with the entry: the one before it, or (first entry) the one after it.
    let start = at;
    let stop = end;
    let p = start - 1;
    while (p >= from && isSpace(buf[p]!)) p--;
    if (p >= from && buf[p] === COMMA) start = p;
    else {
      let q = stop;
      while (q < buf.length && isSpace(buf[q]!)) q++;
      if (buf[q] === COMMA) stop = q + 1;
    }
    kept.push(buf.subarray(from, start));
    from = stop;
    at = buf.indexOf(KEY, from);
  }
  kept.push(buf.subarray(from));
  return joined(kept, scratch);
}

/** Where the JSON value starting at or after `i` (after spaces) ends; -1 if it is not an array or object, or is cut off. */
function valueEnd(buf: Uint8Array, i: number): number {
  while (i < buf.length && isSpace(buf[i]!)) i++;
  const first = buf[i];
  if (first !== OPEN_ARRAY && first !== OPEN_OBJECT) return -1;
  let depth = 0;
  let inString = false;
  for (; i < buf.length; i++) {
    const c = buf[i]!;
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_ARRAY || c === OPEN_OBJECT) depth++;
    else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      if (--depth === 0) return i + 1;
    }
  }
  return -1;
}
