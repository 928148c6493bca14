// metrics.k8s.io PodMetrics lists, leaned. On a big cluster one poll answers every pod at once
// (150,000 pods: ~45 MB of JSON, ~250 MB of parsed objects if parsed whole), so the answer is
// read as it streams in, item by item, in short slices between which the UI draws: neither the
// body nor its parsed objects are ever held whole, and only numbers are kept, in a table
// (model/podMetricsTable.ts) that shares its pod keys with the previous poll's.
import { PodMetricsTable, PodMetricsTableBuilder } from '../model/podMetricsTable.js';
import { quantityNumber } from '../model/quantity.js';
import { ItemSplitter } from './jsonItems.js';
import { ListPageError } from './listPage.js';
import type { LeanPodMetrics, PodMetrics } from './types.js';

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
    usage[2 * i] = quantityNumber(cs[i]!.usage?.cpu, 'nano');
    usage[2 * i + 1] = quantityNumber(cs[i]!.usage?.memory, 'unit');
  }
  return { containers: shareNames(names), usage };
}

/** Reads a PodMetricsList answer pushed in chunks (cut anywhere) into a table by pod key. */
export class PodMetricsReader {
  private readonly splitter = new ItemSplitter();
  private readonly decoder = new TextDecoder();
  private bytes = 0;
  private readonly table: PodMetricsTableBuilder;

  /** `previous`: the last poll's table (its pod keys are reused). */
  constructor(previous?: PodMetricsTable) {
    this.table = new PodMetricsTableBuilder(previous);
  }

  push(chunk: Uint8Array): void {
    this.bytes += chunk.byteLength;
    this.text(this.decoder.decode(chunk, { stream: true }));
  }

  /** The answer is complete: its metrics, or a ListPageError when it is not a PodMetricsList. */
  end(): PodMetricsTable {
    this.text(this.decoder.decode());
    try {
      this.splitter.end();
    } catch {
      throw this.notJson();
    }
    if (!this.splitter.sawList) throw new ListPageError(`the server's pod metrics list has no items`);
    return this.table.build();
  }

  private text(t: string): void {
    try {
      this.splitter.push(t, (item) => {
        const p = JSON.parse(item) as PodMetrics;
        const m = leanPodMetrics(p);
        this.table.add(`${p.metadata?.namespace}/${p.metadata?.name}`, m.containers, m.usage);
      });
    } catch {
      throw this.notJson();
    }
  }

  private notJson(): ListPageError {
    return new ListPageError(`the server's pod metrics are not JSON (${this.bytes} bytes)`);
  }
}

/**
 * A PodMetricsList answer's body, read chunk by chunk into lean metrics. Work is cut into
 * slices of ~8 ms with a turn of the event loop between them, so keys and frames go on while
 * 150,000 pods' metrics are read (chunks that have already arrived would otherwise be read in
 * one go: an async iterator's next chunk resolves without yielding to I/O).
 */
export async function readPodMetrics(chunks: AsyncIterable<Uint8Array>, previous?: PodMetricsTable): Promise<PodMetricsTable> {
  const reader = new PodMetricsReader(previous);
  let sliceStart = performance.now();
  for await (const chunk of chunks) {
    reader.push(chunk);
    if (performance.now() - sliceStart > 8) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
  return reader.end();
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
