// Parsing list pages, on the list worker when there is one. Pods pages (the big list) go to
// one shared worker thread (listWorker.ts): decoding, JSON.parse, leaning and collecting the
// raw objects happen there, overlapping with the main thread's ingest and rendering. The page
// body travels as a transferred ArrayBuffer (no copy) and comes back as lean objects (a
// structured clone, ~10% of the work it saves); their repeated values are shared again here.
// Without a worker (KFLEET_LIST_WORKER=0, or it failed to start) pages are parsed here.
// The worker stops once no page has come for a few seconds: after a big list its heap (its own
// V8 heap and sharing tables: over 100 MB of RSS after 150,000 pods) would otherwise stay for
// nothing. The next list (a relist) starts a new one.
import { Worker } from 'node:worker_threads';
import { describeBody } from './client.js';
import { resharePod } from './lean.js';
import { ListPageError, parseListPage, type LeanPage } from './listPage.js';
import type { PageReply, PageRequest } from './listWorker.js';
import type { Pod, ResourceKind } from './types.js';

interface Pending {
  resolve: (p: unknown) => void;
  reject: (e: Error) => void;
}

let worker: Worker | undefined | null = null; // null: not started (or stopped when idle)
const pending = new Map<number, Pending>();
let idleMs = 5_000;
let idleTimer: NodeJS.Timeout | undefined;
let nextId = 1;
const decoder = new TextDecoder();

function getWorker(): Worker | undefined {
  if (worker !== null) return worker;
  worker = undefined;
  if (process.env.KFLEET_LIST_WORKER === '0') return undefined;
  try {
    // Under tsx (tests, scripts) this module is .ts and so is the worker; built, both are .js.
    const here = import.meta.url;
    const w = new Worker(new URL(here.endsWith('.ts') ? './listWorker.ts' : './listWorker.js', here));
    w.unref();
    w.on('message', (m: PageReply) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (pending.size === 0) {
        w.unref();
        stopWhenIdle(w);
      }
      if ('error' in m) return p.reject(m.protocol ? new ListPageError(m.error) : new Error(m.error));
      p.resolve(m.page);
    });
    const fail = (e: unknown) => {
      // Pages in flight are lost (their bodies were transferred): the reflector retries them,
      // parsing on this thread from now on.
      worker = undefined;
      const err = new Error(`the list worker stopped: ${e instanceof Error ? e.message : String(e)}`);
      for (const p of pending.values()) p.reject(err);
      pending.clear();
    };
    w.on('error', (e) => worker === w && fail(e));
    w.on('exit', (code) => worker === w && fail(new Error(`exit code ${code}`)));
    worker = w;
  } catch {
    worker = undefined;
  }
  return worker;
}

/** The list page in `body`, parsed and leaned. Throws ListPageError for a malformed page. */
export async function parsePage<K extends ResourceKind>(kind: K, body: ArrayBuffer): Promise<LeanPage<K>> {
  const w = kind === 'pods' ? getWorker() : undefined;
  if (!w) {
    const text = decoder.decode(body);
    const page = parseListPage(kind, text, describeBody);
    return page;
  }
  const page = (await inWorker(w, kind, body)) as LeanPage;
  const seen = new Map<object, unknown>();
  const items = page.items as Pod[];
  for (let i = 0; i < items.length; i++) items[i] = resharePod(items[i]!, seen);
  return page as LeanPage<K>;
}

function inWorker(w: Worker, kind: PageRequest['kind'], body: ArrayBuffer): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    clearTimeout(idleTimer);
    w.ref(); // a page in flight keeps the process alive, like the request did
    const req: PageRequest = { id, kind, body };
    w.postMessage(req, [body]);
  });
}

/** The `continue` token from the first bytes of a list answer (its metadata comes first). */
export function peekContinue(body: ArrayBuffer): string | undefined {
  const head = decoder.decode(new Uint8Array(body, 0, Math.min(4096, body.byteLength)));
  return /"continue"\s*:\s*"([^"\\]+)"/.exec(head)?.[1];
}

function stopWhenIdle(w: Worker): void {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    if (worker === w && pending.size === 0) stopListWorker();
  }, idleMs);
  idleTimer.unref();
}

/** Stop the list worker now, if it runs and has no page in flight (benchmarks, tests). */
export function stopListWorker(): void {
  clearTimeout(idleTimer);
  if (!worker || pending.size > 0) return;
  const w = worker;
  worker = null; // before terminate: its exit is not a failure
  void w.terminate();
}

/** Whether a list worker runs now, and how long it may idle before it stops (tests). */
export function listWorkerState(setIdleMs?: number): { running: boolean } {
  if (setIdleMs !== undefined) idleMs = setIdleMs;
  return { running: !!worker };
}
