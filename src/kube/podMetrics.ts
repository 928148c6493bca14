// metrics.k8s.io PodMetrics lists, read straight from the bytes. On a big cluster one poll
// answers every pod at once (150,000 pods: ~50 MB of JSON, ~250 MB of objects if parsed
// whole), and an idle kfleet spends most of its CPU on it. So the answer is read as it streams
// in, without decoding it to text or parsing it into objects: a small JSON reader walks the
// bytes, skips what kfleet does not show (labels, timestamps) by jumping from quote to quote,
// and keeps only the pod's key, its containers' names and their CPU and memory as numbers, in a
// table (model/podMetricsTable.ts) that shares its pod keys with the previous poll's.
import { PodMetricsTable, PodMetricsTableBuilder } from '../model/podMetricsTable.js';
import { plainQuantityNumber, quantityNumber } from '../model/quantity.js';
import { ListPageError } from './listPage.js';

const QUOTE = 0x22, BACKSLASH = 0x5c, COLON = 0x3a, COMMA = 0x2c;
const LBRACE = 0x7b, RBRACE = 0x7d, LBRACKET = 0x5b, RBRACKET = 0x5d;
/** "More bytes are needed": a reader step returns it instead of a position. */
const MORE = -1;

const key = (s: string) => new TextEncoder().encode(s);
const K_ITEMS = key('items'), K_METADATA = key('metadata'), K_NAME = key('name'), K_NAMESPACE = key('namespace');
const K_CONTAINERS = key('containers'), K_USAGE = key('usage'), K_CPU = key('cpu'), K_MEMORY = key('memory');

/** Where the list reader is between steps. */
const enum At {
  Start, // before the list's `{`
  Key, // in the list object: a key, or its `}`
  AfterValue, // after a value in the list object: `,` or `}`
  Item, // in `items`: an item, or its `]` (right after `[`)
  AfterItem, // after an item: `,` or `]`
  Done,
}

/** Reads a PodMetricsList answer pushed in chunks (cut anywhere) into a table by pod key. */
export class PodMetricsReader {
  private at = At.Start;
  /**
   * Bytes not read yet (the unfinished step's, from the last chunk: `carried` of them, at its
   * start), then the next chunk. One buffer, reused: a new one per chunk made as much memory
   * outside V8's heap as the answer per poll (150,000 pods: ~4,500 chunks, ~73 MB), which
   * counts towards V8's next full GC.
   */
  private scratch = Buffer.alloc(0);
  private carried = 0;
  private bytes = 0;
  private sawList = false;
  private readonly table: PodMetricsTableBuilder;
  /** The bytes being read: the carried ones, then the chunk. */
  private b: Buffer = Buffer.alloc(0);
  // The item being read: where its namespace and name are (their quotes, -1: none), and its
  // containers' names (their quotes) and usage (CPU, memory) so far.
  private namespaceAt = -1;
  private namespaceEnd = -1;
  private nameAt = -1;
  private nameEnd = -1;
  private containerNameAt: number[] = [];
  private usage: number[] = [];

  /** `previous`: the last poll's table (its pod keys are reused). */
  constructor(previous?: PodMetricsTable) {
    this.table = new PodMetricsTableBuilder(previous);
  }

  push(chunk: Uint8Array): void {
    this.bytes += chunk.byteLength;
    if (this.carried === 0) {
      this.b = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    } else {
      this.makeRoom(this.carried + chunk.byteLength);
      this.scratch.set(chunk, this.carried);
      this.b = this.scratch.subarray(0, this.carried + chunk.byteLength);
    }
    let p: number;
    try {
      p = this.steps(0);
    } catch {
      throw this.notJson();
    }
    const rest = this.b.length - p;
    if (rest > 0 && this.carried > 0) this.scratch.copyWithin(0, p, this.b.length);
    else if (rest > 0) {
      this.makeRoom(rest);
      this.scratch.set(this.b.subarray(p));
    }
    this.carried = rest;
  }

  /** Room for `n` bytes in the scratch buffer, keeping the carried ones. */
  private makeRoom(n: number): void {
    if (this.scratch.length >= n) return;
    const next = Buffer.allocUnsafe(Math.max(n, 2 * this.scratch.length, 64 * 1024));
    this.scratch.copy(next, 0, 0, this.carried);
    this.scratch = next;
  }

  /** The answer is complete: its metrics, or a ListPageError when it is not a PodMetricsList. */
  end(): PodMetricsTable {
    if (this.at !== At.Done) throw this.notJson();
    if (!this.sawList) throw new ListPageError(`the server's pod metrics list has no items`);
    return this.table.build();
  }

  private notJson(): ListPageError {
    return new ListPageError(`the server's pod metrics are not JSON (${this.bytes} bytes)`);
  }

  /** Reads from `p` as far as the bytes go; returns where the first unfinished step starts. */
  private steps(p: number): number {
    const b = this.b;
    for (;;) {
      p = this.ws(p);
      if (p >= b.length) return p;
      const c = b[p]!;
      switch (this.at) {
        case At.Start:
          if (c !== LBRACE) throw new SyntaxError('not an object');
          this.at = At.Key;
          p++;
          break;
        case At.Key: {
          if (c === RBRACE) {
            this.at = At.Done;
            p++;
            break;
          }
          const q = this.strEnd(p);
          if (q === MORE) return p;
          const v = this.ws(this.colon(this.ws(q + 1)));
          if (v >= b.length) return p;
          if (this.keyIs(p, q, K_ITEMS) && b[v] === LBRACKET) {
            this.sawList = true;
            this.at = At.Item;
            p = v + 1;
          } else {
            const e = this.skip(v);
            if (e === MORE) return p;
            this.at = At.AfterValue;
            p = e;
          }
          break;
        }
        case At.AfterValue:
        case At.AfterItem:
          if (c === COMMA) this.at = this.at === At.AfterItem ? At.Item : At.Key;
          else if (c === (this.at === At.AfterItem ? RBRACKET : RBRACE)) this.at = this.at === At.AfterItem ? At.AfterValue : At.Done;
          else throw new SyntaxError(`unexpected ${String.fromCharCode(c)}`);
          p++;
          break;
        case At.Item: {
          if (c === RBRACKET) {
            this.at = At.AfterValue;
            p++;
            break;
          }
          const e = this.item(p);
          if (e === MORE) return p;
          this.at = At.AfterItem;
          p = e;
          break;
        }
        case At.Done:
          throw new SyntaxError('bytes after the list');
      }
    }
  }

  /** One PodMetrics object from its `{`: its end, or MORE. Adds the pod to the table. */
  private item(p: number): number {
    if (this.b[p] !== LBRACE) return this.skip(p); // not a pod
    this.namespaceAt = this.nameAt = -1;
    this.containerNameAt.length = this.usage.length = 0;
    const e = this.object(p, (k, q, v) => {
      if (this.keyIs(k, q, K_METADATA)) return this.object(v, (k2, q2, v2) => (this.keyIs(k2, q2, K_NAME) ? this.string(v2, 'name') : this.keyIs(k2, q2, K_NAMESPACE) ? this.string(v2, 'namespace') : this.skip(v2)));
      if (this.keyIs(k, q, K_CONTAINERS)) return this.array(v, (c) => this.container(c));
      return this.skip(v);
    });
    if (e === MORE) return MORE;
    if (this.nameAt >= 0) this.addPod();
    return e;
  }

  /**
   * The pod just read, into the table. Most pods are the one the table expects next (the
   * previous poll's answer, in the same order): checked against the bytes, so neither its key
   * nor its containers' names are made into strings again.
   */
  private addPod(): void {
    const expected = this.table.expectedKey();
    if (expected !== undefined && this.isKey(expected)) {
      const known = this.table.expectedContainers();
      this.table.addExpected(known && this.areContainerNames(known) ? known : this.containerNames(), this.usage);
      return;
    }
    const namespace = this.namespaceAt < 0 ? '' : this.text(this.namespaceAt, this.namespaceEnd);
    this.table.add([namespace, this.text(this.nameAt, this.nameEnd)].join('/'), this.containerNames(), this.usage); // flat: see objectKey
  }

  /** Whether `key` is the current pod's "namespace/name". */
  private isKey(key: string): boolean {
    const nsLength = this.namespaceAt < 0 ? 0 : this.namespaceEnd - this.namespaceAt - 1;
    if (key.length !== nsLength + 1 + (this.nameEnd - this.nameAt - 1) || key.charCodeAt(nsLength) !== 0x2f /* / */) return false;
    return (this.namespaceAt < 0 || this.bytesAre(this.namespaceAt, this.namespaceEnd, key, 0)) && this.bytesAre(this.nameAt, this.nameEnd, key, nsLength + 1);
  }

  /** Whether `names` are the current pod's containers' names. */
  private areContainerNames(names: readonly string[]): boolean {
    const at = this.containerNameAt;
    if (names.length !== at.length / 2) return false;
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      if (name.length !== at[2 * i + 1]! - at[2 * i]! - 1 || !this.bytesAre(at[2 * i]!, at[2 * i + 1]!, name, 0)) return false;
    }
    return true;
  }

  /** The current pod's containers' names, as a list shared between replicas. */
  private containerNames(): readonly string[] {
    const at = this.containerNameAt;
    const names: string[] = [];
    for (let i = 0; i < at.length; i += 2) names.push(at[i]! < 0 ? '' : this.text(at[i]!, at[i + 1]!));
    return shareNames(names);
  }

  /** Whether the string between quotes at `p` and `q` is `s` from `from` on (plain ASCII only:
   *  an escape or other byte says no, and the caller reads the string the long way). */
  private bytesAre(p: number, q: number, s: string, from: number): boolean {
    const b = this.b;
    for (let i = p + 1, j = from; i < q; i++, j++) {
      const c = b[i]!;
      if (c === BACKSLASH || c >= 0x80 || c !== s.charCodeAt(j)) return false;
    }
    return true;
  }

  /** One container of `containers`: where its name is, and its usage's cpu and memory. */
  private container(p: number): number {
    let nameAt = -1;
    let nameEnd = -1;
    let cpu = 0;
    let memory = 0;
    const e = this.object(p, (k, q, v) => {
      if (this.keyIs(k, q, K_NAME)) {
        const s = this.strEnd(v);
        if (s === MORE) return MORE;
        nameAt = v;
        nameEnd = s;
        return s + 1;
      }
      if (!this.keyIs(k, q, K_USAGE)) return this.skip(v);
      return this.object(v, (k2, q2, v2) => {
        const isCpu = this.keyIs(k2, q2, K_CPU);
        if (!isCpu && !this.keyIs(k2, q2, K_MEMORY)) return this.skip(v2);
        const s = this.strEnd(v2);
        if (s === MORE) return MORE;
        const n = this.quantity(v2 + 1, s, isCpu ? 'nano' : 'unit');
        if (isCpu) cpu = n;
        else memory = n;
        return s + 1;
      });
    });
    if (e !== MORE) {
      this.containerNameAt.push(nameAt, nameEnd);
      this.usage.push(cpu, memory);
    }
    return e;
  }

  /** Where the JSON string at `p` is, as the current pod's `name` or `namespace`. */
  private string(p: number, into: 'name' | 'namespace'): number {
    const q = this.strEnd(p);
    if (q === MORE) return MORE;
    if (into === 'name') {
      this.nameAt = p;
      this.nameEnd = q;
    } else {
      this.namespaceAt = p;
      this.namespaceEnd = q;
    }
    return q + 1;
  }

  /** An object at `p`, each member's key (`k`..`q`, the quotes) and value (at `v`) handed to
   *  `member`, which returns where the value ends (or MORE). Returns the object's end. */
  private object(p: number, member: (k: number, q: number, v: number) => number): number {
    const b = this.b;
    if (b[p] !== LBRACE) return this.skip(p); // not an object: not what kfleet reads
    p = this.ws(p + 1);
    if (b[p] === RBRACE) return p + 1;
    for (;;) {
      if (p >= b.length) return MORE;
      const q = this.strEnd(p);
      if (q === MORE) return MORE;
      const v = this.ws(this.colon(this.ws(q + 1)));
      if (v >= b.length) return MORE;
      const e = member(p, q, v);
      if (e === MORE) return MORE;
      p = this.ws(e);
      if (p >= b.length) return MORE;
      if (b[p] === RBRACE) return p + 1;
      if (b[p] !== COMMA) throw new SyntaxError('expected , or }');
      p = this.ws(p + 1);
    }
  }

  /** An array at `p`, each element handed to `element`. Returns the array's end (or MORE). */
  private array(p: number, element: (p: number) => number): number {
    const b = this.b;
    if (b[p] !== LBRACKET) return this.skip(p);
    p = this.ws(p + 1);
    if (b[p] === RBRACKET) return p + 1;
    for (;;) {
      if (p >= b.length) return MORE;
      const e = element(p);
      if (e === MORE) return MORE;
      p = this.ws(e);
      if (p >= b.length) return MORE;
      if (b[p] === RBRACKET) return p + 1;
      if (b[p] !== COMMA) throw new SyntaxError('expected , or ]');
      p = this.ws(p + 1);
    }
  }

  /** The end of the JSON value at `p` (or MORE), not looking inside it beyond its brackets. */
  private skip(p: number): number {
    const b = this.b;
    if (p >= b.length) return MORE;
    const c = b[p];
    if (c === QUOTE) {
      const q = this.strEnd(p);
      return q === MORE ? MORE : q + 1;
    }
    if (c === LBRACE || c === LBRACKET) {
      let depth = 0;
      for (let i = p; i < b.length; i++) {
        const d = b[i];
        if (d === QUOTE) {
          const q = this.strEnd(i);
          if (q === MORE) return MORE;
          i = q;
        } else if (d === LBRACE || d === LBRACKET) depth++;
        else if (d === RBRACE || d === RBRACKET) {
          if (--depth === 0) return i + 1;
        }
      }
      return MORE;
    }
    // A number, true, false or null: up to the next delimiter.
    let i = p;
    while (i < b.length && isLiteralByte(b[i]!)) i++;
    if (i === p) throw new SyntaxError('expected a value');
    return i < b.length ? i : MORE;
  }

  /** The closing quote of the string whose opening quote is at `p` (or MORE). */
  private strEnd(p: number): number {
    const b = this.b;
    if (b[p] !== QUOTE) throw new SyntaxError('expected a string');
    let from = p + 1;
    for (;;) {
      const q = b.indexOf(QUOTE, from);
      if (q < 0) return MORE;
      let slashes = 0;
      while (b[q - 1 - slashes] === BACKSLASH) slashes++;
      if (slashes % 2 === 0) return q;
      from = q + 1;
    }
  }

  /** The text of the string between quotes at `p` and `q`. */
  private text(p: number, q: number): string {
    const b = this.b;
    for (let i = p + 1; i < q; i++) {
      if (b[i] === BACKSLASH || b[i]! >= 0x80) return JSON.parse(b.toString('utf8', p, q + 1)) as string;
    }
    return b.toString('latin1', p + 1, q);
  }

  /** Whether the key string between quotes at `p` and `q` is `k` (no escapes in kfleet's keys). */
  private keyIs(p: number, q: number, k: Uint8Array): boolean {
    if (q - p - 1 !== k.length) return false;
    const b = this.b;
    for (let i = 0; i < k.length; i++) if (b[p + 1 + i] !== k[i]) return false;
    return true;
  }

  /** A quantity's number from its bytes `from`..`to` (the common forms without making a string). */
  private quantity(from: number, to: number, scale: 'nano' | 'unit'): number {
    const b = this.b;
    let n = 0;
    let i = from;
    for (; i < to && i - from < 15; i++) {
      const d = b[i]! - 0x30;
      if (d < 0 || d > 9) break;
      n = n * 10 + d;
    }
    if (i > from && to - i <= 2) {
      const suffix = to === i ? '' : to - i === 1 ? SUFFIX_1[b[i]!] : b[i + 1] === 0x69 /* i */ ? SUFFIX_I[b[i]!] : undefined;
      const v = suffix === undefined ? undefined : plainQuantityNumber(n, suffix, scale);
      if (v !== undefined) return v;
    }
    return quantityNumber(this.text(from - 1, to), scale);
  }

  /** Past the whitespace at `p`. */
  private ws(p: number): number {
    const b = this.b;
    while (p < b.length && (b[p] === 0x20 || b[p] === 0x0a || b[p] === 0x0d || b[p] === 0x09)) p++;
    return p;
  }

  /** `p` is at the `:` after a key. */
  private colon(p: number): number {
    if (p >= this.b.length) return p;
    if (this.b[p] !== COLON) throw new SyntaxError('expected :');
    return p + 1;
  }
}

/** A byte of a JSON number or of true, false, null. */
const isLiteralByte = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x45;

/** Suffixes by their byte: one letter, and a letter before "i". */
const SUFFIX_1: Record<number, string> = Object.fromEntries([...'numkMGT'].map((s) => [s.charCodeAt(0), s]));
const SUFFIX_I: Record<number, string> = Object.fromEntries([...'KMGT'].map((s) => [s.charCodeAt(0), `${s}i`]));

/**
 * A PodMetricsList answer's body, read chunk by chunk into a table. Work is cut into slices of
 * ~8 ms with a turn of the event loop between them, so keys and frames go on while 150,000
 * pods' metrics are read (chunks that have already arrived would otherwise be read in one go:
 * an async iterator's next chunk resolves without yielding to I/O).
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

/** Replicas' container name lists, one array each (the table keeps them, not copies). */
const nameLists = new Map<string, readonly string[]>();
function shareNames(names: string[]): readonly string[] {
  const key = names.join('\0');
  const v = nameLists.get(key);
  if (v !== undefined) return v;
  if (nameLists.size > 10_000) nameLists.clear();
  const list = names.slice();
  nameLists.set(key, list);
  return list;
}
