// Cutting fields kfleet never reads out of API JSON before it is decoded and parsed.
// Server-side apply bookkeeping (`managedFields`) is ~30% of a pod's JSON (2.5 KB of 8.4 KB in
// the embedded cluster's pods, often more in real ones), and a pod's environment, probes,
// ports, scheduling rules and config volumes another ~30% (env alone 1.4 KB there); lean.ts
// keeps none of them, yet JSON.parse built a tree of small objects for all of it in every
// listed pod and every watch event, only for lean.ts to drop it.
//
// A key is matched on its bytes, `"name":`, after `{` or `,`: inside a JSON string its quotes
// would be escaped. Only an array or object value is cut (skipped to its matching bracket,
// strings and escapes respected), with one comma beside it; a key with any other value (a
// label or annotation called "env") stays. A value the text ends inside is not cut: the text
// goes to JSON.parse as it came, which judges it.

import type { ResourceKind } from './types.js';

const QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c, SPACE = 0x20, TAB = 0x09, CR = 0x0d, NL = 0x0a;
const OPEN_ARRAY = 0x5b, CLOSE_ARRAY = 0x5d, OPEN_OBJECT = 0x7b, CLOSE_OBJECT = 0x7d;

const isSpace = (b: number) => b === SPACE || b === TAB || b === CR || b === NL;

/** Fields lean.ts reads of no kind (pods, workloads, nodes...): rollout undo needs the rest whole. */
export const UNREAD_FIELDS = ['managedFields'];

/**
 * Fields leanPod reads nowhere in a pod, at any depth: the containers' environment, commands,
 * probes, ports and hooks, security and scheduling rules, and the sources of volumes that cannot
 * be attached (leanTemplate.ts `attachable`: a claim, an ephemeral, CSI or cloud disk).
 */
export const UNREAD_POD_FIELDS = [
  ...UNREAD_FIELDS,
  'env',
  'envFrom',
  'command',
  'args',
  'ports',
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'lifecycle',
  'securityContext',
  'affinity',
  'tolerations',
  'projected',
  'configMap',
  'secret',
  'downwardAPI',
];

/** A filter that gives `bytes` without the array and object values of these keys (the same array when there are none). */
export function withoutFields(names: readonly string[]): (bytes: Uint8Array) => Uint8Array {
  const keys = names.map((n) => Buffer.from(`"${n}":`));
  return (bytes) => cut(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), keys) ?? bytes;
}

export const withoutManagedFields = withoutFields(UNREAD_FIELDS);
export const withoutUnreadPodFields = withoutFields(UNREAD_POD_FIELDS);

/** The cut for a kind's list pages and watch events. */
export const unreadFieldsCut = (kind: ResourceKind) => (kind === 'pods' ? withoutUnreadPodFields : withoutManagedFields);

function cut(buf: Buffer, keys: readonly Buffer[]): Uint8Array | undefined {
  // The next occurrence of each key at or after `from`.
  const next = keys.map((k) => buf.indexOf(k));
  if (next.every((i) => i < 0)) return undefined;
  const kept: Uint8Array[] = [];
  let from = 0;
  for (;;) {
    let k = -1;
    for (let j = 0; j < keys.length; j++) if (next[j]! >= 0 && (k < 0 || next[j]! < next[k]!)) k = j;
    if (k < 0) break;
    const at = next[k]!;
    const end = isKeyAt(buf, at) ? valueEnd(buf, at + keys[k]!.length) : NOT_CUT;
    if (end === CUT_OFF) return undefined; // the text ends inside: leave it as it is
    if (end === NOT_CUT) {
      next[k] = buf.indexOf(keys[k]!, at + 1);
      continue;
    }
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
    // Occurrences inside what was cut are gone with it.
    for (let j = 0; j < keys.length; j++) if (next[j]! >= 0 && next[j]! < from) next[j] = buf.indexOf(keys[j]!, from);
  }
  if (kept.length === 0) return undefined;
  kept.push(buf.subarray(from));
  return Buffer.concat(kept);
}

/** Whether the `"` at `at` opens a key: after `{` or `,` (and spaces) in the text as it came, so not inside a string. */
function isKeyAt(buf: Uint8Array, at: number): boolean {
  let p = at - 1;
  while (p >= 0 && isSpace(buf[p]!)) p--;
  return p >= 0 && (buf[p] === COMMA || buf[p] === OPEN_OBJECT);
}

const NOT_CUT = -1;
const CUT_OFF = -2;

/** Where the array or object value starting at or after `i` (after spaces) ends; NOT_CUT for any other value, CUT_OFF if the text ends inside. */
function valueEnd(buf: Uint8Array, i: number): number {
  while (i < buf.length && isSpace(buf[i]!)) i++;
  const first = buf[i];
  if (first === undefined) return CUT_OFF;
  if (first !== OPEN_ARRAY && first !== OPEN_OBJECT) return NOT_CUT;
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
  return CUT_OFF;
}
