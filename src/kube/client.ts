// One HTTP client per kubeconfig context.
//
// Auth comes from client-node's KubeConfig (token, client certificate, exec plugin, OIDC,
// basic): it yields the headers and a TLS dispatcher. The dispatcher is built once and reused
// so connections are kept alive; headers are asked for per request, and client-node's exec
// and OIDC authenticators cache their tokens until they expire, so a plugin runs once.
// Requests parse raw JSON: the generated typed clients' deserialisation is too slow at scale.
import type { KubeConfig } from '@kubernetes/client-node/dist/config.js';
// Modules of the library, not its index (which loads every generated API client).
import { HttpMethod, RequestContext } from '@kubernetes/client-node/dist/gen/http/http.js';
import { fetch, request, type Dispatcher, type Response } from 'undici';
import { ByteScratch } from './byteScratch.js';
import { readWholeBody } from './wholeBody.js';

export type ErrorKind = 'network' | 'dns' | 'tls' | 'timeout' | 'unauthorized' | 'forbidden' | 'notfound' | 'gone' | 'conflict' | 'http' | 'protocol' | 'auth-plugin';

/** A failed request, with a message fit for the operator's screen (never a credential). */
export class KubeError extends Error {
  override name = 'KubeError';
  constructor(
    message: string,
    readonly kind: ErrorKind,
    readonly status?: number,
    readonly reason?: string,
  ) {
    super(message);
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  contentType?: string;
  accept?: string;
  signal?: AbortSignal;
  /** Abort if the response headers have not come within this time. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** An answer read as it arrives (`KubeClient.stream`). */
export interface StreamedResponse {
  status: number;
  ok: boolean;
  /** The body's bytes as they come. */
  body: AsyncIterable<Uint8Array>;
  text(): Promise<string>;
  /** Stop reading: the body is dropped and its connection closed. */
  close(): Promise<void>;
}

export class KubeClient {
  private dispatcher: Dispatcher | undefined;
  private dispatcherReady = false;
  readonly server: string;

  constructor(
    readonly kc: KubeConfig,
    readonly contextName: string,
  ) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new KubeError(`context ${contextName} has no cluster`, 'protocol');
    this.server = cluster.server.replace(/\/+$/, '');
  }

  private async authHeaders(url: string): Promise<Record<string, string>> {
    const ctx = new RequestContext(url, HttpMethod.GET);
    try {
      await this.kc.applySecurityAuthentication(ctx);
    } catch (e) {
      // Exec plugins and OIDC refreshes fail here. client-node's error for a failing exec
      // plugin IS the plugin's stderr (and a JSON error quotes its stdout): either may hold a
      // credential, so for a plugin nothing of its output is shown, only how it failed.
      const exec = this.kc.getCurrentUser()?.exec as { command?: string; args?: string[] } | undefined;
      if (exec?.command) throw new KubeError(`authentication for context ${this.contextName} failed: ${execFailure(exec.command, e)}`, 'auth-plugin');
      throw new KubeError(`authentication for context ${this.contextName} failed: ${scrubSecrets(firstLine(e))}`, 'auth-plugin');
    }
    if (!this.dispatcherReady) {
      this.dispatcher = ctx.getDispatcher() as Dispatcher | undefined;
      this.dispatcherReady = true;
    }
    return ctx.getHeaders();
  }

  /**
   * Send a request; resolves with the response whatever its status (the caller reads it).
   * `timeoutMs` bounds the wait for the response headers only, so a watch can stream for long.
   */
  async raw(path: string, opts: RequestOptions = {}): Promise<Response> {
    const url = this.server + path;
    const headers = await this.authHeaders(url);
    headers['Accept'] = opts.accept ?? 'application/json';
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      headers['Content-Type'] = opts.contentType ?? 'application/json';
    }
    // The caller's signal goes on aborting the body after the headers: this one stays linked to
    // it (callers pass a signal of their own request, not a long-lived one).
    const headersDue = deadline(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, opts.signal);
    try {
      return await fetch(url, { method: opts.method ?? 'GET', headers, body, dispatcher: this.dispatcher, signal: headersDue.signal });
    } catch (e) {
      if (opts.signal?.aborted) throw e;
      throw networkError(e, this.server, headersDue.timedOut());
    } finally {
      headersDue.clearTimer();
    }
  }

  /**
   * A GET whose answer is read as it arrives (a watch), whatever its status. undici's `request`
   * rather than fetch: fetch copies every chunk of a body into a new buffer, and a watch's
   * buffers are memory outside V8's heap that only its GCs give back (at 2,000 events/s on
   * 150,000 pods, ~17 MB/s of pod JSON, so ~34 MB/s of buffers through fetch). The chunks here
   * are views of what the socket read. `timeoutMs` bounds the wait for the headers only.
   */
  async stream(path: string, opts: Pick<RequestOptions, 'accept' | 'signal' | 'timeoutMs'> = {}): Promise<StreamedResponse> {
    const url = this.server + path;
    const headers = await this.authHeaders(url);
    headers['Accept'] = opts.accept ?? 'application/json';
    // As in `raw`: the caller's signal goes on aborting the body after the headers.
    const headersDue = deadline(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, opts.signal);
    try {
      const res = await request(url, { method: 'GET', headers, dispatcher: this.dispatcher, signal: headersDue.signal });
      return {
        status: res.statusCode,
        ok: res.statusCode >= 200 && res.statusCode < 300,
        body: res.body,
        text: () => res.body.text(),
        close: async () => {
          res.body.destroy();
        },
      };
    } catch (e) {
      if (opts.signal?.aborted) throw e;
      throw networkError(e, this.server, headersDue.timedOut());
    } finally {
      headersDue.clearTimer();
    }
  }

  /** A request whose answer is JSON; non-2xx statuses become KubeErrors with the server's message. */
  async json<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    const text = await this.text(path, opts);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new KubeError(`the server at ${this.server} answered ${path} with something that is not JSON (${describeBody(text)})`, 'protocol');
    }
  }

  /**
   * The body of a 2xx answer as bytes (a list page, its continue token peeked first); else a
   * KubeError. With `into`, the bytes are in that scratch's memory (good until its next use):
   * a 150,000-pod list is ~1.3 GB of pages, and a new buffer per page (three, through fetch:
   * its chunks' copies and their join) is memory outside V8's heap that malloc kept after the
   * sync (150-190 MB besides the heap where 120 were before it). Read with `readWholeBody`,
   * which lets the socket's buffers go as soon as it has read them.
   */
  async bytes(path: string, opts: Pick<RequestOptions, 'accept' | 'signal' | 'timeoutMs'> = {}, into: ByteScratch = new ByteScratch()): Promise<Uint8Array> {
    const url = this.server + path;
    const headers = await this.authHeaders(url);
    headers['Accept'] = opts.accept ?? 'application/json';
    const whole = deadline(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, opts.signal);
    try {
      const res = await readWholeBody(url, headers, into, whole.signal, this.dispatcher);
      if (res.status < 200 || res.status >= 300) throw statusError(res.status, new TextDecoder().decode(res.body), path);
      return res.body;
    } catch (e) {
      if (opts.signal?.aborted || e instanceof KubeError) throw e;
      throw networkError(e, this.server, whole.timedOut());
    } finally {
      whole.clear();
    }
  }

  /**
   * A 2xx answer's body handed to `read` as a stream of chunks (an answer too big to hold whole);
   * else a KubeError. The timeout bounds the whole exchange; what `read` throws passes through,
   * a failure of the connection while reading becomes a KubeError.
   */
  async streamed<T>(path: string, read: (chunks: AsyncIterable<Uint8Array>) => Promise<T>, opts: Pick<RequestOptions, 'accept' | 'signal' | 'timeoutMs'> = {}): Promise<T> {
    const whole = deadline(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, opts.signal);
    const failed = (e: unknown) => (opts.signal?.aborted || e instanceof KubeError ? e : networkError(e, this.server, whole.timedOut()));
    let res: StreamedResponse;
    try {
      res = await this.stream(path, { ...opts, signal: whole.signal });
      if (!res.ok) throw statusError(res.status, await res.text(), path);
    } catch (e) {
      whole.clear();
      throw failed(e);
    }
    const body = res.body;
    const chunks = async function* () {
      try {
        for await (const chunk of body) yield chunk;
      } catch (e) {
        throw failed(e);
      }
    };
    try {
      return await read(chunks());
    } finally {
      // Stop the download when `read` gave up early (a malformed answer).
      await res.close();
      whole.clear();
    }
  }

  /** The body of a 2xx answer, unparsed (the caller may peek before parsing); else a KubeError. */
  async text(path: string, opts: RequestOptions = {}): Promise<string> {
    // The whole exchange, body included, is bounded by the timeout.
    const whole = deadline(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, opts.signal);
    let text: string;
    let res: Response;
    try {
      res = await this.raw(path, { ...opts, signal: whole.signal });
      text = await res.text();
    } catch (e) {
      if (opts.signal?.aborted || e instanceof KubeError) throw e;
      throw networkError(e, this.server, whole.timedOut());
    } finally {
      whole.clear();
    }
    if (!res.ok) throw statusError(res.status, text, path);
    return text;
  }
}

/** How an exec credential plugin failed, without a word of its output. */
function execFailure(command: string, e: unknown): string {
  const name = command.split('/').pop() ?? command;
  const code = (e as { code?: string })?.code;
  if (code === 'ENOENT') return `the exec plugin ${name} was not found`;
  if (code === 'EACCES') return `the exec plugin ${name} cannot be run (permission denied)`;
  if (e instanceof SyntaxError) return `the exec plugin ${name} printed something that is not a credential`;
  return `the exec plugin ${name} failed; run it by hand to see why (kfleet does not show its output, which may hold a credential)`;
}

function firstLine(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.split('\n')[0].slice(0, 300);
}

/** Remove anything that looks like a bearer token, JWT or key from a message. */
export function scrubSecrets(s: string): string {
  return s
    .replace(/(bearer\s+)\S+/gi, '$1[redacted]')
    .replace(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[redacted]')
    .replace(/("?(token|access_token|id_token|password|client-key-data|key)"?\s*[:=]\s*)"?[^\s",}]+"?/gi, '$1[redacted]')
    .replace(/-----BEGIN [^-]+-----[\s\S]*?(-----END [^-]+-----|$)/g, '[redacted key]');
}

/** A request's signal: aborts after its time, or when the caller's signal does. */
export interface Deadline {
  readonly signal: AbortSignal;
  /** Whether the time ran out (not the caller's abort). */
  timedOut(): boolean;
  /** Abort it now. */
  abort(): void;
  /** Stop the clock (the caller's signal still aborts this one). */
  clearTimer(): void;
  /** Done with it: stop the clock and let go of the caller's signal. */
  clear(): void;
}

/**
 * A signal that aborts after `ms` (none: never by itself), or when `outer` does until cleared.
 * Not AbortSignal.timeout: it cannot be cleared, so each request's timer fired ~30 s after the
 * answer was read (after a 150,000-pod list of 1,500 pages, 1,500 TimeoutError DOMExceptions
 * with their stacks). Not AbortSignal.any: each composite stays on its sources' lists of
 * dependants until V8 collects it, and Node prunes such a list by walking all of it for every
 * one collected (two composites a page, all on the reflector's signal: ~170 ms of finalizers).
 */
export function deadline(ms: number | undefined, outer?: AbortSignal): Deadline {
  const own = new AbortController();
  let timedOut = false;
  const timer = ms === undefined ? undefined : setTimeout(() => {
    timedOut = true;
    own.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
  }, ms);
  const follow = () => own.abort(outer!.reason);
  if (outer?.aborted) own.abort(outer.reason);
  else outer?.addEventListener('abort', follow, { once: true });
  const clearTimer = () => clearTimeout(timer);
  return {
    signal: own.signal,
    timedOut: () => timedOut,
    abort: () => own.abort(),
    clearTimer,
    clear: () => {
      clearTimer();
      outer?.removeEventListener('abort', follow);
    },
  };
}

/** What a body that is not the JSON asked for looks like, in a few words. */
export function describeBody(text: string): string {
  const t = text.trimStart();
  if (t.startsWith('<')) return 'an HTML page: is the server address right?';
  if (t.length === 0) return 'an empty body';
  return `${text.length} bytes, not valid JSON`;
}

function networkError(e: unknown, server: string, timedOut: boolean): KubeError {
  const err = e as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  if (timedOut || err?.name === 'TimeoutError') return new KubeError(`${server} did not answer in time`, 'timeout');
  // fetch wraps the socket's error ("fetch failed", with it as the cause); `request` throws it as it is.
  const root = err?.cause ?? err;
  const code = root?.code ?? err?.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new KubeError(`cannot resolve the host of ${server} (DNS)`, 'dns');
  if (code === 'ECONNREFUSED') return new KubeError(`${server} refused the connection`, 'network');
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return new KubeError(`the connection to ${server} was reset`, 'network');
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return new KubeError(`connecting to ${server} timed out`, 'timeout');
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code) || /certificate|TLS|SSL/i.test(root?.message ?? '')) {
    return new KubeError(`TLS handshake with ${server} failed: ${scrubSecrets(root?.message || code)}`, 'tls');
  }
  return new KubeError(`cannot reach ${server}: ${scrubSecrets(err?.cause?.message ?? firstLine(e))}`, 'network');
}

/** Turn a non-2xx answer into a KubeError, using the Status object the API server sends. */
export function statusError(status: number, text: string, path: string): KubeError {
  let message = '';
  let reason: string | undefined;
  try {
    const s = JSON.parse(text) as { kind?: string; message?: string; reason?: string };
    if (s && typeof s === 'object') {
      message = s.message ?? '';
      reason = s.reason;
    }
  } catch {
    message = describeBody(text);
  }
  const kind: ErrorKind =
    status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : status === 404 ? 'notfound' : status === 410 ? 'gone' : status === 409 ? 'conflict' : 'http';
  const what =
    status === 401
      ? 'the server rejected the credentials (401 Unauthorized)'
      : status === 403
        ? `forbidden (403): ${message || path}`
        : `${status} ${reason ?? ''} ${message || path}`.replace(/\s+/g, ' ').trim();
  return new KubeError(scrubSecrets(what), kind, status, reason);
}
