// A GET's whole body, read through undici's dispatcher API straight into a reused buffer.
//
// Why not `request` or `fetch`: both keep a response's raw headers on an object that lives as
// long as the response (undici's request controller, `rawHeaders`), and those raw headers are
// views of the socket's first read: a 16 KB buffer of malloc's, outside V8's heap. A list page
// takes long enough to arrive that V8 moves that object to its old generation, so the 16 KB
// went back only at the next full GC: listing 150,000 pods (1,500 pages), ~800 of them at once
// (13 MB), and malloc's main arena grew by that and kept the pages (RSS) for good. Here the
// raw headers are let go as soon as they arrive, and each chunk of the body is copied into the
// buffer and let go.
import { getGlobalDispatcher, type Dispatcher } from 'undici';
import type { ByteScratch } from './byteScratch.js';

export interface WholeBody {
  status: number;
  /** In `into`'s memory: good until its next use. */
  body: Uint8Array;
}

/**
 * GET `url` and resolve with its status and whole body (whatever the status: the caller reads
 * an error's body). Rejects with the socket's error, or the signal's reason once it aborts.
 */
export function readWholeBody(url: string, headers: Record<string, string>, into: ByteScratch, signal: AbortSignal, dispatcher: Dispatcher = getGlobalDispatcher()): Promise<WholeBody> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const { origin, pathname, search } = new URL(url);
    let status = 0;
    let length = 0;
    let abort: ((reason: Error) => void) | undefined;
    // Before the request starts (it may wait for a connection) an abort rejects at once; the
    // request is then aborted as it starts.
    const onAbort = () => (abort ? abort(signal.reason) : reject(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    const settle = () => signal.removeEventListener('abort', onAbort);
    dispatcher.dispatch(
      { origin, path: pathname + search, method: 'GET', headers },
      {
        onRequestStart(controller) {
          if (signal.aborted) return controller.abort(signal.reason);
          abort = (reason) => controller.abort(reason);
        },
        onResponseStart(controller, statusCode) {
          (controller as { rawHeaders?: unknown }).rawHeaders = null;
          status = statusCode;
        },
        onResponseData(_controller, chunk) {
          length = into.put(length, chunk);
        },
        onResponseEnd() {
          settle();
          resolve({ status, body: into.take(length) });
        },
        onResponseError(_controller, error) {
          settle();
          reject(error);
        },
      },
    );
  });
}
