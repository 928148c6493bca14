// The list worker: decodes, parses and leans list pages off the main thread. A 150,000-pod
// list is ~1.3 GB of JSON; parsing it and collecting the raw objects was most of the main
// thread's time during a sync, while the UI and the store ingest wait. Here the raw objects
// die young in the worker's own small heap; the main thread receives only lean objects
// (structured clone) and shares their repeated values again (lean.ts `reshare`).
import { parentPort } from 'node:worker_threads';
import { listedBytes } from './heap.js';
import { ListPageError, parseListPage } from './listPage.js';
import type { ResourceKind } from './types.js';

export interface PageRequest {
  id: number;
  /** A list page of this kind. */
  kind: ResourceKind;
  body: ArrayBuffer;
}

export type PageReply = { id: number; page: unknown } | { id: number; error: string; protocol: boolean };

const decoder = new TextDecoder();

function describe(text: string): string {
  const t = text.trimStart();
  if (t.startsWith('<')) return 'an HTML page: is the server address right?';
  if (t.length === 0) return 'an empty body';
  return `${text.length} bytes, not valid JSON`;
}

parentPort!.on('message', (req: PageRequest) => {
  let reply: PageReply;
  try {
    const text = decoder.decode(req.body);
    reply = { id: req.id, page: parseListPage(req.kind, text, describe) };
    // This heap holds only dead pages: a full GC here is cheap and keeps it small.
    listedBytes(req.body.byteLength, 64 * 2 ** 20);
  } catch (e) {
    reply = { id: req.id, error: e instanceof Error ? e.message : String(e), protocol: e instanceof ListPageError };
  }
  parentPort!.postMessage(reply);
});
