// metrics.k8s.io PodMetrics lists, leaned. On a big cluster one poll answers every pod at once
// (150,000 pods: ~45 MB of JSON, ~250 MB of parsed objects for a moment), so the list worker
// parses it (listWorker.ts) and this thread receives only the numbers.
import { parseQuantityOr } from '../model/quantity.js';
import { itemsOf } from './jsonItems.js';
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
  const text = decoder.decode(body);
  const out: PodMetricsEntry[] = [];
  let items = 0;
  try {
    for (const [start, end] of itemsOf(text)) {
      items++;
      const p = JSON.parse(text.slice(start, end)) as PodMetrics;
      out.push([`${p.metadata?.namespace}/${p.metadata?.name}`, leanPodMetrics(p)]);
    }
  } catch {
    throw new ListPageError(`the server's pod metrics are not JSON (${body.length} bytes)`);
  }
  if (items === 0 && !isEmptyList(text)) throw new ListPageError(`the server's pod metrics list has no items`);
  return out;
}

const decoder = new TextDecoder();

function isEmptyList(text: string): boolean {
  try {
    const list = JSON.parse(text) as { items?: unknown };
    return Array.isArray(list.items) && list.items.length === 0;
  } catch {
    throw new ListPageError(`the server's pod metrics are not JSON (${text.length} bytes)`);
  }
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
