// metrics.k8s.io PodMetrics lists, leaned. On a big cluster one poll answers every pod at once
// (150,000 pods: ~45 MB of JSON, ~250 MB of parsed objects for a moment), so the list worker
// parses it (listWorker.ts) and this thread receives only the numbers.
import { parseQuantityOr } from '../model/quantity.js';
import { ListPageError } from './listPage.js';
import type { LeanPodMetrics, PodMetrics } from './types.js';

/** One pod's usage: its key ("namespace/name") and its lean metrics. */
export type PodMetricsEntry = [key: string, metrics: LeanPodMetrics];

/**
 * Only what the views read: per container, CPU in nanocores and memory in bytes, as plain
 * numbers in one array. The containers' name lists repeat across replicas and are shared.
 */
export function leanPodMetrics(p: Pick<PodMetrics, 'containers'>): LeanPodMetrics {
  const cs = p.containers ?? [];
  const usage = new Array<number>(cs.length * 2);
  const names = new Array<string>(cs.length);
  for (let i = 0; i < cs.length; i++) {
    names[i] = cs[i]!.name;
    usage[2 * i] = Number(parseQuantityOr(cs[i]!.usage?.cpu));
    usage[2 * i + 1] = Number(parseQuantityOr(cs[i]!.usage?.memory) / 1_000_000_000n);
  }
  return { containers: shareNames(names), usage };
}

/**
 * A PodMetricsList answer → entries. Throws ListPageError when it is not one. Each item is
 * parsed on its own (itemsOf), so the parsed objects of one pod die young instead of the
 * whole list's (150,000 pods: ~250 MB at once) living until the next full GC.
 */
export function parsePodMetricsList(body: Uint8Array): PodMetricsEntry[] {
  const out: PodMetricsEntry[] = [];
  let items = 0;
  try {
    for (const [start, end] of itemsOf(body)) {
      items++;
      const p = JSON.parse(decoder.decode(body.subarray(start, end))) as PodMetrics;
      out.push([`${p.metadata?.namespace}/${p.metadata?.name}`, leanPodMetrics(p)]);
    }
  } catch {
    throw new ListPageError(`the server's pod metrics are not JSON (${body.length} bytes)`);
  }
  if (items === 0 && !isEmptyList(body)) throw new ListPageError(`the server's pod metrics list has no items`);
  return out;
}

const decoder = new TextDecoder();

function isEmptyList(body: Uint8Array): boolean {
  try {
    const list = JSON.parse(decoder.decode(body)) as { items?: unknown };
    return Array.isArray(list.items) && list.items.length === 0;
  } catch {
    throw new ListPageError(`the server's pod metrics are not JSON (${body.length} bytes)`);
  }
}

const QUOTE = 0x22, BACKSLASH = 0x5c, LBRACE = 0x7b, RBRACE = 0x7d, LBRACKET = 0x5b, RBRACKET = 0x5d;

/**
 * The byte ranges of the objects in the top-level array of a JSON object (a list's `items`:
 * the only array directly under a Kubernetes list). Tracks strings and nesting only; each
 * range is then checked by JSON.parse. Throws on unbalanced input.
 */
export function* itemsOf(b: Uint8Array): Generator<[number, number]> {
  const stack: number[] = []; // open brackets
  let inString = false;
  let start = -1;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) inString = true;
    else if (c === LBRACE || c === LBRACKET) {
      // An object opened directly in an array that is directly in the top-level object.
      if (c === LBRACE && stack.length === 2 && stack[0] === LBRACE && stack[1] === LBRACKET) start = i;
      stack.push(c);
    } else if (c === RBRACE || c === RBRACKET) {
      if (stack.pop() !== (c === RBRACE ? LBRACE : LBRACKET)) throw new SyntaxError('unbalanced JSON');
      if (c === RBRACE && start >= 0 && stack.length === 2) {
        yield [start, i + 1];
        start = -1;
      }
    }
  }
  if (stack.length !== 0 || inString) throw new SyntaxError('truncated JSON');
}

/** Entries that came through a structured clone: share the name lists again on this thread. */
export function reshareEntries(entries: PodMetricsEntry[]): Map<string, LeanPodMetrics> {
  const seen = new Map<readonly string[], readonly string[]>();
  const out = new Map<string, LeanPodMetrics>();
  for (const [key, m] of entries) {
    let names = seen.get(m.containers);
    if (names === undefined) seen.set(m.containers, (names = shareNames(m.containers as string[])));
    out.set(key, names === m.containers ? m : { containers: names, usage: m.usage });
  }
  return out;
}

const nameLists = new Map<string, readonly string[]>();
function shareNames(names: string[]): readonly string[] {
  const key = names.join('\0');
  const v = nameLists.get(key);
  if (v !== undefined) return v;
  if (nameLists.size > 10_000) nameLists.clear();
  nameLists.set(key, names);
  return names;
}
