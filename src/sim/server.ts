// The embedded Kubernetes API server: a real HTTP server on 127.0.0.1 with bearer-token auth,
// injectable faults, churn, controllers, and control endpoints under /_sim/.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { selfSignedCert } from './tls.js';
import type { Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Api, readBody, send, sendError } from './api.js';
import { Controllers } from './controllers.js';
import { Churn } from './churn.js';
import { ApiError, forbidden, internal, unauthorized } from './status.js';
import { Store } from './store.js';
import { loadScenario } from './scenarios/index.js';

export interface Faults {
  /** Close every open watch every S seconds (0: never). */
  dropWatchesEverySec: number;
  /** Share (0..1) of watch requests answered with a 410 Expired ERROR event. */
  p410: number;
  /** Share (0..1) of API requests answered 500. */
  p500: number;
  /** Added latency per request, ms. */
  latencyMs: number;
  /** Resource names (plural, e.g. "events") answered 403 Forbidden. */
  forbid: string[];
}

export interface SimOptions {
  /** "incident" (default), "healthy", "small", "empty", "generated". */
  scenario?: string;
  /** For "generated". */
  nodes?: number;
  pods?: number;
  seed?: number;
  token?: string;
  port?: number;
  /** Serve metrics.k8s.io (default true). */
  metrics?: boolean;
  /** Every container's metrics change every S seconds, like metrics-server's scrapes (default 0: fixed). */
  metricsChangeEverySec?: number;
  historySize?: number;
  bookmarkIntervalMs?: number;
  /** Churn, events per second (default 0). */
  churn?: number;
  faults?: Partial<Faults>;
  /** Run the controller emulations (default true). */
  controllers?: boolean;
  tickMs?: number;
  startDelayMs?: number;
  crashRestartMs?: number;
  progressDeadlineScale?: number;
  gitVersion?: string;
  /** Log each request to stderr (debugging). */
  logRequests?: boolean;
  /** Serve HTTPS with a self-signed certificate (default true: kubectl sends tokens only over TLS). */
  tls?: boolean;
}

export interface SimServer {
  url: string;
  token: string;
  /** PEM of the certificate to trust (undefined without TLS). */
  ca?: string;
  port: number;
  store: Store;
  api: Api;
  controllers: Controllers;
  churn: Churn;
  faults: Faults;
  setChurn(rate: number): void;
  setFaults(f: Partial<Faults>): void;
  /** Refuses connections for `seconds`, then listens again on the same port. */
  stopServing(seconds: number): Promise<void>;
  /** Stops churn and controllers: the state stays put. */
  quiesce(): void;
  resume(): void;
  close(): Promise<void>;
}

const NO_FAULTS: Faults = { dropWatchesEverySec: 0, p410: 0, p500: 0, latencyMs: 0, forbid: [] };

export async function startSimServer(opts: SimOptions = {}): Promise<SimServer> {
  const token = opts.token ?? randomBytes(16).toString('hex');
  const store = new Store({ historySize: opts.historySize, seed: opts.seed });
  const faults: Faults = { ...NO_FAULTS, ...opts.faults };
  const watches = new Set<() => void>();
  const api: Api = new Api(store, {
    metrics: opts.metrics ?? true,
    metricsChangeEverySec: opts.metricsChangeEverySec ?? 0,
    bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 5000,
    gitVersion: opts.gitVersion ?? 'v1.32.4',
    p410: () => faults.p410,
    trackWatch: (close) => {
      watches.add(close);
      return () => watches.delete(close);
    },
  });
  const controllers = new Controllers(store, {
    tickMs: opts.tickMs, startDelayMs: opts.startDelayMs, crashRestartMs: opts.crashRestartMs, progressDeadlineScale: opts.progressDeadlineScale,
    remove: (r, o) => api.remove(r, o),
  });
  loadScenario(store, opts);
  store.sealHistory();
  // Like a real API server's watch cache, lists are served warm: the JSON of every object is
  // built now (~10 s at 150,000 pods), not while the first client lists.
  store.warmJson();
  const churn = new Churn(store, (r, o) => api.remove(r, o), () => controllers.running);

  const sockets = new Set<Socket>();
  let dropTimer: NodeJS.Timeout | undefined;
  const applyDropTimer = () => {
    clearInterval(dropTimer);
    dropTimer = undefined;
    if (faults.dropWatchesEverySec > 0) {
      dropTimer = setInterval(() => dropWatches(), faults.dropWatchesEverySec * 1000);
      dropTimer.unref();
    }
  };
  const dropWatches = () => {
    for (const close of [...watches]) close();
  };

  const control = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const body = req.method === 'POST' ? await readBody(req) : '';
    const json = body ? JSON.parse(body) : {};
    switch (url.pathname) {
      case '/_sim/state': return send(res, 200, store.state());
      case '/_sim/info': return send(res, 200, { rv: store.rv, compactedRv: store.compactedRv, faults, churn: churn.rate, controllers: controllers.running, watches: watches.size, counts: Object.fromEntries([...store.kinds].map(([k, v]) => [k, v.map.size])) });
      case '/_sim/churn': server.setChurn(Number(json.rate ?? 0)); return send(res, 200, { rate: churn.rate });
      case '/_sim/faults': server.setFaults(json); return send(res, 200, faults);
      case '/_sim/quiesce': server.quiesce(); return send(res, 200, { rv: store.rv });
      case '/_sim/resume': server.resume(); return send(res, 200, { ok: true });
      case '/_sim/drop-watches': dropWatches(); return send(res, 200, { ok: true });
      case '/_sim/compact': store.compact(); api.listCompactedRv = store.rv; return send(res, 200, { rv: store.rv });
      case '/_sim/tick': controllers.tick(); return send(res, 200, { rv: store.rv });
      case '/_sim/stop': send(res, 200, { ok: true }); setTimeout(() => void server.stopServing(Number(json.seconds ?? 1)), 10); return;
      default: return send(res, 404, new ApiError(404, 'NotFound', `no control endpoint ${url.pathname}`).body());
    }
  };

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (opts.logRequests) process.stderr.write(`${req.method} ${req.url} accept=${req.headers.accept ?? ''} ct=${req.headers['content-type'] ?? ''}\n`);
    try {
      if (url.pathname.startsWith('/_sim/')) return await control(req, res, url);
      if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
      if (req.headers.authorization !== `Bearer ${token}`) throw unauthorized();
      if (faults.p500 > 0 && Math.random() < faults.p500) throw internal('injected fault (sim p500)');
      const parts = url.pathname.split('/').filter(Boolean);
      const resource = parts[0] === 'api' ? (parts[2] === 'namespaces' && parts.length >= 5 ? parts[4] : parts[2]) : parts[0] === 'apis' ? (parts[3] === 'namespaces' && parts.length >= 6 ? parts[5] : parts[3]) : undefined;
      if (resource && faults.forbid.includes(resource)) {
        const ns = parts[parts[0] === 'api' ? 2 : 3] === 'namespaces' ? parts[parts[0] === 'api' ? 3 : 4] : undefined;
        const verb = req.method === 'GET' ? (url.searchParams.get('watch') ? 'watch' : parts.length > (parts[0] === 'api' ? 3 : 4) + (ns ? 2 : 0) ? 'get' : 'list') : (req.method ?? 'get').toLowerCase();
        throw forbidden('system:serviceaccount:kfleet:sim', verb, resource, parts[0] === 'apis' ? parts[1]! : '', ns);
      }
      await api.handle(req, res, url);
    } catch (e) {
      if (res.headersSent) return void res.destroy();
      if (e instanceof ApiError) return sendError(res, e);
      if (e instanceof SyntaxError) return sendError(res, new ApiError(400, 'BadRequest', e.message));
      sendError(res, internal(e instanceof Error ? e.message : String(e)));
    }
  };

  const tls = opts.tls ?? true ? selfSignedCert() : undefined;
  const onRequest = (req: IncomingMessage, res: ServerResponse) => void handler(req, res);
  const http: Server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, onRequest) : createHttpServer(onRequest);
  http.keepAliveTimeout = 30_000;
  http.on(tls ? 'secureConnection' : 'connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const listen = (port: number) => new Promise<number>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, '127.0.0.1', () => {
      http.off('error', reject);
      resolve((http.address() as { port: number }).port);
    });
  });
  const port = await listen(opts.port ?? 0);
  let stopped = false;
  let closed = false;

  const server: SimServer = {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`, token, ca: tls?.cert, port, store, api, controllers, churn, faults,
    setChurn(rate) {
      churn.setRate(rate);
    },
    setFaults(f) {
      if (f.dropWatchesEverySec !== undefined) faults.dropWatchesEverySec = Number(f.dropWatchesEverySec);
      if (f.p410 !== undefined) faults.p410 = Number(f.p410);
      if (f.p500 !== undefined) faults.p500 = Number(f.p500);
      if (f.latencyMs !== undefined) faults.latencyMs = Number(f.latencyMs);
      if (f.forbid !== undefined) faults.forbid = [...f.forbid];
      applyDropTimer();
    },
    async stopServing(seconds) {
      if (stopped || closed) return;
      stopped = true;
      dropWatches();
      const closing = new Promise<void>((r) => http.close(() => r()));
      for (const s of sockets) s.destroy();
      await closing;
      await new Promise((r) => setTimeout(r, seconds * 1000));
      if (!closed) await listen(port);
      stopped = false;
    },
    quiesce() {
      churn.setRate(0);
      controllers.stop();
    },
    resume() {
      controllers.start();
    },
    async close() {
      closed = true;
      churn.setRate(0);
      controllers.close();
      clearInterval(dropTimer);
      dropWatches();
      for (const s of sockets) s.destroy();
      if (http.listening) await new Promise<void>((r) => http.close(() => r()));
    },
  };
  applyDropTimer();
  if (opts.controllers ?? true) controllers.start();
  if (opts.churn) churn.setRate(opts.churn);
  return server;
}
