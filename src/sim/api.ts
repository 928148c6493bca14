// The Kubernetes REST API over the Store: discovery, list/watch/get/create/update/patch/
// delete, the scale subresource, pod logs and metrics.k8s.io. Faults and auth live in server.ts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, PatchError } from './patch.js';
import { findResource, groupList, METRICS_GROUP, METRICS_VERSION, resourceList, SIM_RESOURCES, type SimResource } from './resources.js';
import { matchFields, matchLabels, parseFieldSelector, parseLabelSelector, SelectorError, type FieldReq, type LabelReq } from './selectors.js';
import { ApiError, alreadyExists, badRequest, conflict, expired, invalid, notFound } from './status.js';
import { keyOf, type ChangeEvent, type Entry, type Store } from './store.js';
import { toTable, wantsTable } from './tables.js';
import { clone, deepEqual, isoNow, parseQuantity, stableStringify } from './util.js';
import { podLogLines } from './logs.js';

export interface ApiOptions {
  metrics: boolean;
  /** Like metrics-server's scrape resolution: every container's usage changes every S seconds
   *  of the store's clock (0: fixed figures per container, forever). */
  metricsChangeEverySec: number;
  bookmarkIntervalMs: number;
  gitVersion: string;
  /** Share of watch requests answered with a 410 ERROR event. */
  p410: () => number;
  /** Called with each open watch so the server can drop them. */
  trackWatch: (close: () => void) => () => void;
  /** Scenario-specific defaulting of new objects (e.g. pod status). */
  onCreate?: (resource: string, obj: any) => void;
}

interface Route {
  res: SimResource;
  namespace?: string;
  name?: string;
  sub?: string;
}

export function send(res: ServerResponse, code: number, body: unknown): void {
  const s = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(s) });
  res.end(s);
}

export function sendError(res: ServerResponse, e: ApiError): void {
  send(res, e.code, e.body());
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(s: string): any {
  try {
    return JSON.parse(s);
  } catch {
    throw badRequest('the request body is not valid JSON');
  }
}

interface ContinueToken { rv: number; start: string }

function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}
function decodeContinue(s: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (typeof t.rv !== 'number' || typeof t.start !== 'string') throw new Error();
    return t;
  } catch {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}

const COMMA = Buffer.from(',');

const STATUS_KINDS = new Set(['pods', 'nodes', 'namespaces', 'deployments', 'replicasets', 'statefulsets', 'daemonsets', 'persistentvolumeclaims', 'persistentvolumes', 'volumeattachments']);

export class Api {
  /** Continue tokens older than this were "compacted" (only by an explicit compaction). */
  listCompactedRv = 0;
  constructor(readonly store: Store, readonly opts: ApiOptions) {}

  /** Parses /api/v1/... and /apis/g/v/... into a route; undefined for discovery paths. */
  route(parts: string[]): { group: string; version: string; rest: string[] } | undefined {
    if (parts[0] === 'api' && parts.length >= 2) return { group: '', version: parts[1]!, rest: parts.slice(2) };
    if (parts[0] === 'apis' && parts.length >= 3) return { group: parts[1]!, version: parts[2]!, rest: parts.slice(3) };
    return undefined;
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const parts = url.pathname.split('/').filter((p) => p !== '').map(decodeURIComponent);
    const method = req.method ?? 'GET';
    if (url.pathname === '/version') return send(res, 200, this.version());
    if (url.pathname === '/api') return send(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] });
    if (url.pathname === '/apis') return send(res, 200, groupList(this.opts.metrics));
    if (['/healthz', '/livez', '/readyz'].includes(url.pathname)) {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      return void res.end('ok');
    }
    const r = this.route(parts);
    if (!r) throw notFoundPath(url.pathname);
    if (r.rest.length === 0) {
      if (parts[0] === 'apis' && parts.length === 2) throw notFoundPath(url.pathname);
      const list = resourceList(r.group, r.version, this.opts.metrics);
      if (!list) throw notFoundPath(url.pathname);
      return send(res, 200, list);
    }
    if (r.group === METRICS_GROUP) {
      if (!this.opts.metrics || r.version !== METRICS_VERSION) throw notFoundPath(url.pathname);
      return this.metrics(res, r.rest, url);
    }
    const route = this.resolve(r.group, r.version, r.rest);
    if (!route) throw notFoundPath(url.pathname);
    const q = url.searchParams;
    const watch = q.get('watch') === 'true' || q.get('watch') === '1';
    if (method === 'GET' && !route.name) return watch ? this.watch(req, res, route, q) : this.list(req, res, route, q);
    if (method === 'GET' && route.sub === 'log') return this.log(req, res, route, q);
    if (method === 'GET' && route.sub === 'scale') return send(res, 200, this.scaleOf(route));
    if (method === 'GET') return this.get(req, res, route, q);
    if (method === 'POST' && !route.name) return this.create(req, res, route, q);
    if (method === 'PUT' && route.name) return this.update(req, res, route);
    if (method === 'PATCH' && route.name) return this.patch(req, res, route);
    if (method === 'DELETE' && route.name) return this.delete(req, res, route, q);
    if (method === 'DELETE') return this.deleteCollection(res, route, q);
    throw new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
  }

  version(): unknown {
    const m = /^v(\d+)\.(\d+)/.exec(this.opts.gitVersion);
    return {
      major: m?.[1] ?? '1', minor: m?.[2] ?? '32', gitVersion: this.opts.gitVersion, gitCommit: '0000000000000000000000000000000000000000',
      gitTreeState: 'clean', buildDate: '2025-01-01T00:00:00Z', goVersion: 'go1.23.4', compiler: 'gc', platform: 'linux/amd64',
    };
  }

  private resolve(group: string, version: string, rest: string[]): Route | undefined {
    // namespaces/NS/RESOURCE[/NAME[/SUB]] or RESOURCE[/NAME[/SUB]]
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      const res = findResource(group, version, rest[2]!);
      if (!res || !res.namespaced) return undefined;
      return { res, namespace: rest[1], name: rest[3], sub: rest[4] };
    }
    const res = findResource(group, version, rest[0]!);
    if (!res || rest.length > 3) return undefined;
    if (res.namespaced && rest.length > 1) return undefined;
    return { res, name: rest[1], sub: rest[2] };
  }

  private selectors(q: URLSearchParams): { labels: LabelReq[]; fields: FieldReq[] } {
    try {
      return { labels: parseLabelSelector(q.get('labelSelector')), fields: parseFieldSelector(q.get('fieldSelector')) };
    } catch (e) {
      if (e instanceof SelectorError) throw badRequest(e.message);
      throw e;
    }
  }

  private listKind(res: SimResource): string {
    return `${res.kind}List`;
  }

  private apiVersion(res: SimResource): string {
    return res.group ? `${res.group}/${res.version}` : res.version;
  }

  private list(req: IncomingMessage, res: ServerResponse, route: Route, q: URLSearchParams): void {
    const ks = this.store.kind(route.res.name);
    const { labels, fields } = this.selectors(q);
    const limit = Math.max(0, parseInt(q.get('limit') ?? '0', 10) || 0);
    const cont = q.get('continue');
    let listRv = this.store.rv;
    let start = 0;
    const keys = ks.sortedKeys();
    const prefix = route.namespace ? `${route.namespace}/` : '';
    if (prefix) start = ks.lowerBound(prefix, false);
    if (cont) {
      const t = decodeContinue(cont);
      if (t.rv < this.listCompactedRv) throw expired('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.');
      listRv = t.rv;
      start = Math.max(start, ks.lowerBound(t.start, true));
    }
    const items: Entry[] = [];
    const objs: any[] = [];
    const table = wantsTable(req.headers.accept);
    let i = start;
    let last = '';
    for (; i < keys.length; i++) {
      const k = keys[i]!;
      if (prefix && !k.startsWith(prefix)) break;
      if (limit && objs.length + items.length >= limit) break;
      const e = ks.map.get(k)!;
      if (labels.length && !matchLabels(labels, e.obj.metadata.labels)) continue;
      if (fields.length && !matchFields(fields, e.obj)) continue;
      last = k;
      if (table) objs.push(e.obj);
      else items.push(e);
    }
    let end = keys.length;
    if (prefix) end = ks.lowerBound(prefix.slice(0, -1) + '0', false); // '0' sorts right after '/'
    const more = i < end;
    const meta: Record<string, unknown> = { resourceVersion: String(listRv) };
    if (more && last) {
      meta.continue = encodeContinue({ rv: listRv, start: last });
      if (!labels.length && !fields.length) meta.remainingItemCount = end - i;
    }
    if (table) return send(res, 200, toTable(route.res.name, objs, meta, this.store.now(), q.get('includeObject')));
    // Written in chunks: a 150k-pod list is gigabytes and must not be one string.
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write(`{"kind":"${this.listKind(route.res)}","apiVersion":"${this.apiVersion(route.res)}","metadata":${JSON.stringify(meta)},"items":[`);
    // Written chunk by chunk from each object's cached JSON bytes, waiting for the socket to
    // drain, so memory stays flat.
    let j = 0;
    const pump = () => {
      while (j < items.length) {
        const chunk: Buffer[] = [];
        for (const end = Math.min(items.length, j + 256); j < end; j++) {
          if (j > 0) chunk.push(COMMA);
          chunk.push(ks.jsonBuffer(items[j]!));
        }
        const ok = res.write(Buffer.concat(chunk));
        if (!ok) return void res.once('drain', pump);
      }
      res.end(']}');
    };
    pump();
  }

  private watch(req: IncomingMessage, res: ServerResponse, route: Route, q: URLSearchParams): void {
    const { labels, fields } = this.selectors(q);
    const table = wantsTable(req.headers.accept);
    const includeObject = q.get('includeObject');
    const resource = route.res.name;
    const ns = route.namespace;
    const matches = (o: any) =>
      !!o && (!ns || o.metadata.namespace === ns) && (!labels.length || matchLabels(labels, o.metadata.labels)) && (!fields.length || matchFields(fields, o));
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache' });
    res.flushHeaders();
    const errorAndClose = (message: string) => {
      res.end(JSON.stringify({ type: 'ERROR', object: expired(message).body() }) + '\n');
    };
    const rvParam = q.get('resourceVersion');
    if (Math.random() < this.opts.p410()) return errorAndClose(`too old resource version: ${rvParam ?? 0} (${this.store.rv})`);
    let headerSent = false;
    const line = (type: string, obj: any, ev?: ChangeEvent): string => {
      if (table) {
        const t = toTable(resource, [obj], { resourceVersion: obj.metadata.resourceVersion }, this.store.now(), includeObject, headerSent);
        headerSent = true;
        return JSON.stringify({ type, object: t }) + '\n';
      }
      if (ev && type === ev.type) return (ev.line ??= `{"type":"${type}","object":${this.store.kind(resource).json({ obj })}}\n`);
      return `{"type":"${type}","object":${this.store.kind(resource).json({ obj })}}\n`;
    };
    const deliver = (ev: ChangeEvent) => {
      if (ev.resource !== resource) return;
      const now = matches(ev.type === 'DELETED' ? undefined : ev.obj);
      const before = ev.type === 'ADDED' ? false : matches(ev.prev);
      if (ev.type === 'DELETED') {
        if (before) res.write(line('DELETED', ev.obj, ev));
      } else if (now && before) res.write(line('MODIFIED', ev.obj, ev));
      else if (now) res.write(line('ADDED', ev.obj, ev));
      else if (before) res.write(line('DELETED', ev.obj));
    };
    if (!rvParam || rvParam === '0') {
      const ks = this.store.kind(resource);
      const src = ns ? this.store.list(resource, ns).map((obj) => ({ obj })) : ks.map.values();
      for (const e of src) if (matches(e.obj)) res.write(table ? line('ADDED', e.obj) : `{"type":"ADDED","object":${ks.json(e as any)}}\n`);
      if (q.get('sendInitialEvents') === 'true' && q.get('allowWatchBookmarks') === 'true') {
        res.write(JSON.stringify({ type: 'BOOKMARK', object: this.bookmarkObject(route.res, { 'k8s.io/initial-events-end': 'true' }) }) + '\n');
      }
    } else {
      const rv = parseInt(rvParam, 10);
      if (!Number.isFinite(rv)) return errorAndClose(`invalid resource version: ${rvParam}`);
      const evs = this.store.since(rv);
      if (!evs) return errorAndClose(`too old resource version: ${rv} (${this.store.compactedRv + 1})`);
      for (const ev of evs) deliver(ev);
    }
    const unsub = this.store.subscribe(deliver);
    const timers: NodeJS.Timeout[] = [];
    const close = () => {
      unsub();
      for (const t of timers) clearTimeout(t), clearInterval(t);
      untrack();
      if (!res.writableEnded) res.end();
    };
    const untrack = this.opts.trackWatch(close);
    if (q.get('allowWatchBookmarks') === 'true') {
      timers.push(setInterval(() => res.write(JSON.stringify({ type: 'BOOKMARK', object: this.bookmarkObject(route.res) }) + '\n'), this.opts.bookmarkIntervalMs));
    }
    const timeout = parseInt(q.get('timeoutSeconds') ?? '0', 10);
    // Like the apiserver, an unset timeout still ends the watch eventually (30-60 min there).
    timers.push(setTimeout(close, (timeout > 0 ? timeout : 1800) * 1000));
    req.on('close', close);
    res.on('error', close);
  }

  private bookmarkObject(res: SimResource, annotations?: Record<string, string>): unknown {
    return { kind: res.kind, apiVersion: this.apiVersion(res), metadata: { resourceVersion: String(this.store.rv), ...(annotations ? { annotations } : {}) } };
  }

  private current(route: Route): any {
    const obj = this.store.getNs(route.res.name, route.name!, route.res.namespaced ? route.namespace : undefined);
    if (!obj) throw notFound(route.res.name, route.res.group, route.name!);
    return obj;
  }

  private get(req: IncomingMessage, res: ServerResponse, route: Route, q: URLSearchParams): void {
    const obj = this.current(route);
    if (wantsTable(req.headers.accept)) return send(res, 200, toTable(route.res.name, [obj], { resourceVersion: obj.metadata.resourceVersion }, this.store.now(), q.get('includeObject')));
    const ks = this.store.kind(route.res.name);
    send(res, 200, ks.json(ks.map.get(keyOf(obj))!));
  }

  private async create(req: IncomingMessage, res: ServerResponse, route: Route, q: URLSearchParams): Promise<void> {
    const body = parseJson(await readBody(req));
    if (!body || typeof body !== 'object' || !body.metadata) throw badRequest('metadata is required');
    const r = route.res;
    if (r.namespaced) {
      const ns = route.namespace ?? body.metadata.namespace;
      if (!ns) throw badRequest('the namespace of the object does not match the namespace on the request');
      if (body.metadata.namespace && body.metadata.namespace !== ns) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      if (!this.store.get('namespaces', ns)) throw notFound('namespaces', '', ns);
      body.metadata.namespace = ns;
    } else delete body.metadata.namespace;
    if (!body.metadata.name) {
      if (!body.metadata.generateName) throw invalid(`${r.kind} "" is invalid: metadata.name: Required value: name or generateName is required`);
      body.metadata.name = body.metadata.generateName + Math.random().toString(36).slice(2, 7);
    }
    if (this.store.get(r.name, keyOf(body))) throw alreadyExists(r.name, r.group, body.metadata.name);
    for (const f of ['uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp', 'generation']) delete body.metadata[f];
    Object.assign(body, dropNulls(body));
    this.opts.onCreate?.(r.name, body);
    if (q.get('dryRun') === 'All') return send(res, 201, body);
    const obj = this.store.put(r.name, body);
    send(res, 201, this.store.kind(r.name).json({ obj }));
  }

  /** Writes a new version of an object with the server's rules for status and generation. */
  private write(route: Route, cur: any, next: any): any {
    const r = route.res;
    // Like decoding into Go structs: null fields are dropped (kubectl sends creationTimestamp: null).
    next = dropNulls(next);
    if (next.metadata?.resourceVersion && next.metadata.resourceVersion !== cur.metadata.resourceVersion) throw conflict(r.name, r.group, cur.metadata.name);
    if (next.metadata?.name && next.metadata.name !== cur.metadata.name) throw badRequest('the name of the object does not match the name on the URL');
    next.metadata = { ...next.metadata, name: cur.metadata.name, uid: cur.metadata.uid, creationTimestamp: cur.metadata.creationTimestamp };
    if (cur.metadata.namespace) next.metadata.namespace = cur.metadata.namespace;
    if (route.sub === 'status') next = { ...cur, status: next.status, metadata: { ...cur.metadata } };
    else if (STATUS_KINDS.has(r.name) && cur.status !== undefined) next.status = cur.status;
    if (cur.metadata.generation !== undefined) {
      next.metadata.generation = cur.metadata.generation;
      const specOf = (o: any) => stableStringify(r.name === 'controllerrevisions' ? o.data : o.spec);
      if (route.sub !== 'status' && specOf(cur) !== specOf(next)) next.metadata.generation = cur.metadata.generation + 1;
    }
    if (deepEqual({ ...next, metadata: { ...next.metadata, resourceVersion: undefined } }, { ...cur, metadata: { ...cur.metadata, resourceVersion: undefined } })) return cur;
    return this.store.put(r.name, next);
  }

  private async update(req: IncomingMessage, res: ServerResponse, route: Route): Promise<void> {
    const body = parseJson(await readBody(req));
    const cur = this.current(route);
    if (route.sub === 'scale') return send(res, 200, this.applyScale(route, cur, body));
    const obj = this.write(route, cur, body);
    send(res, 200, this.store.kind(route.res.name).json({ obj }));
  }

  private async patch(req: IncomingMessage, res: ServerResponse, route: Route): Promise<void> {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
    const patch = parseJson(await readBody(req));
    const cur = this.current(route);
    const base = route.sub === 'scale' ? this.scaleOf(route) : clone(cur);
    let next: any;
    try {
      if (type === 'application/json-patch+json') next = applyJsonPatch(base, patch);
      else if (type === 'application/merge-patch+json') next = applyMergePatch(base, patch);
      else if (type === 'application/strategic-merge-patch+json') next = applyStrategicMergePatch(base, patch);
      else throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`);
    } catch (e) {
      if (e instanceof PatchError) throw new ApiError(422, 'Invalid', e.message);
      throw e;
    }
    if (route.sub === 'scale') return send(res, 200, this.applyScale(route, cur, next));
    // A patch without a resourceVersion applies to whatever is current.
    if (next.metadata && patch?.metadata?.resourceVersion === undefined && !(Array.isArray(patch) && patch.some((o: any) => String(o.path).startsWith('/metadata/resourceVersion')))) {
      next.metadata.resourceVersion = cur.metadata.resourceVersion;
    }
    const obj = this.write(route, cur, next);
    send(res, 200, this.store.kind(route.res.name).json({ obj }));
  }

  private scaleOf(route: Route): any {
    const r = route.res;
    if (!['deployments', 'replicasets', 'statefulsets'].includes(r.name)) throw notFound(r.name, r.group, route.name!);
    const o = this.current(route);
    const sel = o.spec?.selector;
    const selector = [
      ...Object.entries(sel?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`),
      ...(sel?.matchExpressions ?? []).map((e: any) => `${e.key} ${String(e.operator).toLowerCase()} (${(e.values ?? []).join(',')})`),
    ].join(',');
    return {
      kind: 'Scale', apiVersion: 'autoscaling/v1',
      metadata: { name: o.metadata.name, namespace: o.metadata.namespace, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, creationTimestamp: o.metadata.creationTimestamp },
      spec: { replicas: o.spec?.replicas ?? 1 },
      status: { replicas: o.status?.replicas ?? 0, selector },
    };
  }

  private applyScale(route: Route, cur: any, scale: any): any {
    if (scale?.metadata?.resourceVersion && scale.metadata.resourceVersion !== cur.metadata.resourceVersion) throw conflict(route.res.name, route.res.group, cur.metadata.name);
    const replicas = scale?.spec?.replicas;
    if (typeof replicas !== 'number' || replicas < 0) throw invalid(`Scale.autoscaling "${cur.metadata.name}" is invalid: spec.replicas: Invalid value: ${replicas}: must be greater than or equal to 0`);
    const next = clone(cur);
    next.spec.replicas = replicas;
    this.write({ ...route, sub: undefined }, cur, next);
    return this.scaleOf(route);
  }

  private delete(_req: IncomingMessage, res: ServerResponse, route: Route, q: URLSearchParams): void {
    const cur = this.current(route);
    const orphan = q.get('propagationPolicy') === 'Orphan' || q.get('orphanDependents') === 'true';
    const gone = this.remove(route.res.name, cur, !orphan);
    send(res, 200, this.store.kind(route.res.name).json({ obj: gone }));
  }

  /** Deletes an object and (garbage collection) the objects it owns. */
  remove(resource: string, obj: any, cascade = true): any {
    const gone = this.store.remove(resource, keyOf(obj));
    if (cascade) {
      for (const dep of ['replicasets', 'pods', 'controllerrevisions']) {
        for (const d of this.store.dependents(dep, obj.metadata.uid)) this.remove(dep, d, true);
      }
    }
    if (resource === 'namespaces') {
      for (const r of SIM_RESOURCES) if (r.namespaced) for (const o of this.store.list(r.name, obj.metadata.name)) this.store.remove(r.name, keyOf(o));
    }
    return gone;
  }

  private deleteCollection(res: ServerResponse, route: Route, q: URLSearchParams): void {
    const { labels, fields } = this.selectors(q);
    const objs = this.store.list(route.res.name, route.res.namespaced ? route.namespace : undefined).filter((o) => matchLabels(labels, o.metadata.labels) && matchFields(fields, o));
    const gone = objs.map((o) => this.remove(route.res.name, o));
    send(res, 200, { kind: this.listKind(route.res), apiVersion: this.apiVersion(route.res), metadata: { resourceVersion: String(this.store.rv) }, items: gone });
  }

  private log(req: IncomingMessage, res: ServerResponse, route: Route, q: URLSearchParams): void {
    if (route.res.name !== 'pods') throw notFound(route.res.name, route.res.group, route.name!);
    const pod = this.current(route);
    const containers: string[] = (pod.spec?.containers ?? []).map((c: any) => c.name);
    const container = q.get('container') ?? (containers.length === 1 ? containers[0] : undefined);
    if (!container) throw badRequest(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${containers.join(' ')}]`);
    const previous = q.get('previous') === 'true';
    if (previous) {
      const cs = (pod.status?.containerStatuses ?? []).find((c: any) => c.name === container);
      if (!cs?.lastState?.terminated) throw badRequest(`previous terminated container "${container}" in pod "${pod.metadata.name}" not found`);
    }
    const tail = q.get('tailLines') ? parseInt(q.get('tailLines')!, 10) : undefined;
    const ts = q.get('timestamps') === 'true';
    const lines = podLogLines(pod, container, previous, 0, 40, this.store.now());
    const shown = tail !== undefined ? lines.slice(Math.max(0, lines.length - tail)) : lines;
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    const fmt = (l: { ts: string; text: string }) => (ts ? `${l.ts} ${l.text}\n` : `${l.text}\n`);
    for (const l of shown) res.write(fmt(l));
    if (q.get('follow') !== 'true' || previous) return void res.end();
    let n = 40;
    const t = setInterval(() => {
      for (const l of podLogLines(pod, container, false, n, 1, this.store.now())) res.write(fmt(l));
      n++;
    }, 500);
    const close = () => {
      clearInterval(t);
      untrack();
      if (!res.writableEnded) res.end();
    };
    const untrack = this.opts.trackWatch(close);
    req.on('close', close);
  }

  // ---- metrics.k8s.io ------------------------------------------------------------------------

  private metrics(res: ServerResponse, rest: string[], url: URL): void {
    let ns: string | undefined;
    let r = rest;
    if (r[0] === 'namespaces' && r.length >= 3) {
      ns = r[1];
      r = r.slice(2);
    }
    const q = url.searchParams;
    const labels = parseLabelSelector(q.get('labelSelector'));
    // One scrape window per request: pods and nodes are figured in the same window, and the
    // timestamp is the window's start (now, with fixed figures).
    const now = this.store.now();
    const periodMs = this.opts.metricsChangeEverySec * 1000;
    const epoch = periodMs > 0 ? Math.floor(now / periodMs) : undefined;
    const ts = isoNow(epoch !== undefined ? epoch * periodMs : now);
    const base = { timestamp: ts, window: '20.03s' };
    if (r[0] === 'nodes' && !ns) {
      const nodes = r[1] ? [this.store.get('nodes', r[1])].filter(Boolean) : this.store.list('nodes').filter((n) => matchLabels(labels, n.metadata.labels));
      if (r[1] && nodes.length === 0) throw notFound('nodes', METRICS_GROUP, r[1]);
      const usage = this.nodeUsage(epoch);
      const items = nodes.map((n) => ({ metadata: { name: n.metadata.name, labels: n.metadata.labels, creationTimestamp: ts }, ...base, usage: fmtUsage(usage.get(n.metadata.name) ?? { cpu: 0.05, memory: 300 * 1024 * 1024 }) }));
      if (r[1]) return send(res, 200, { kind: 'NodeMetrics', apiVersion: `${METRICS_GROUP}/${METRICS_VERSION}`, ...items[0] });
      return send(res, 200, { kind: 'NodeMetricsList', apiVersion: `${METRICS_GROUP}/${METRICS_VERSION}`, metadata: {}, items });
    }
    if (r[0] === 'pods') {
      const pods = r[1] ? [this.store.getNs('pods', r[1], ns)].filter(Boolean) : this.store.list('pods', ns).filter((p) => matchLabels(labels, p.metadata.labels));
      // metrics-server's order (its pkg/api/pod.go): by namespace, then name.
      pods.sort((a, b) => (a.metadata.namespace === b.metadata.namespace ? byText(a.metadata.name, b.metadata.name) : byText(a.metadata.namespace, b.metadata.namespace)));
      if (r[1] && pods.length === 0) throw notFound('pods', METRICS_GROUP, r[1]);
      const items = pods.filter((p) => p.status?.phase === 'Running').map((p) => ({
        metadata: { name: p.metadata.name, namespace: p.metadata.namespace, labels: p.metadata.labels, creationTimestamp: ts }, ...base,
        containers: (p.spec?.containers ?? []).map((c: any) => ({ name: c.name, usage: fmtUsage(containerUsage(p, c, epoch)) })),
      }));
      if (r[1]) {
        if (!items[0]) throw notFound('pods', METRICS_GROUP, r[1]);
        return send(res, 200, { kind: 'PodMetrics', apiVersion: `${METRICS_GROUP}/${METRICS_VERSION}`, ...items[0] });
      }
      return send(res, 200, { kind: 'PodMetricsList', apiVersion: `${METRICS_GROUP}/${METRICS_VERSION}`, metadata: {}, items });
    }
    throw notFoundPath(url.pathname);
  }

  /** Usage per node in scrape window `epoch`: system daemons plus its running pods' containers, in one pass. */
  private nodeUsage(epoch: number | undefined): Map<string, { cpu: number; memory: number }> {
    const out = new Map<string, { cpu: number; memory: number }>();
    for (const p of this.store.list('pods')) {
      if (!p.spec?.nodeName || p.status?.phase !== 'Running') continue;
      let u = out.get(p.spec.nodeName);
      if (!u) out.set(p.spec.nodeName, (u = { cpu: 0.05, memory: 300 * 1024 * 1024 }));
      for (const c of p.spec.containers ?? []) {
        const x = containerUsage(p, c, epoch);
        u.cpu += x.cpu;
        u.memory += x.memory;
      }
    }
    return out;
  }
}

/** Deterministic usage: a share (30-110%) of the requests, per pod and container and scrape
 *  window (`epoch`; undefined = the same figures forever). */
export function containerUsage(pod: any, c: any, epoch?: number): { cpu: number; memory: number } {
  let h = 0;
  for (const ch of `${pod.metadata.namespace}/${pod.metadata.name}/${c.name}`) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  if (epoch !== undefined) {
    // Mix the window in (murmur3's finaliser), so every figure moves from one window to the next.
    h = (h ^ Math.imul(epoch | 0, 0x9e3779b1)) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    h = (h ^ (h >>> 16)) >>> 0;
  }
  const f = 0.3 + (h % 81) / 100;
  const req = c.resources?.requests ?? {};
  const cpu = req.cpu ? parseQuantity(req.cpu) * f : 0.002 + (h % 10) / 1000;
  const memory = req.memory ? parseQuantity(req.memory) * f : (16 + (h % 48)) * 1024 * 1024;
  return { cpu, memory };
}

function fmtUsage(u: { cpu: number; memory: number }): { cpu: string; memory: string } {
  return { cpu: `${Math.round(u.cpu * 1e9)}n`, memory: `${Math.round(u.memory / 1024)}Ki` };
}

function dropNulls(v: any): any {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (v && typeof v === 'object') {
    const o: any = {};
    for (const [k, x] of Object.entries(v)) if (x !== null) o[k] = dropNulls(x);
    return o;
  }
  return v;
}

function notFoundPath(path: string): ApiError {
  return new ApiError(404, 'NotFound', `the server could not find the requested resource (get ${path})`);
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
