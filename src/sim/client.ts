// A minimal HTTP(S) client for the embedded cluster (tests, control helpers): trusts the sim's
// CA, returns status, headers and body text, and can stream a watch line by line.
import { request as httpsRequest } from 'node:https';
import { request as httpRequest, type IncomingMessage } from 'node:http';

export interface SimRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | object;
  token?: string;
  ca?: string;
}

export interface SimResponse {
  status: number;
  headers: IncomingMessage['headers'];
  text: string;
  json(): any;
}

function open(url: string, o: SimRequest, onResponse: (res: IncomingMessage) => void, onError: (e: Error) => void) {
  const u = new URL(url);
  const body = o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
  const headers: Record<string, string> = { Accept: 'application/json', ...(o.headers ?? {}) };
  if (o.token) headers.Authorization = `Bearer ${o.token}`;
  if (body !== undefined) {
    headers['Content-Type'] ??= 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(body));
  }
  const fn = u.protocol === 'https:' ? httpsRequest : httpRequest;
  const req = fn(u, { method: o.method ?? 'GET', headers, ca: o.ca, agent: false }, onResponse);
  req.on('error', onError);
  req.end(body);
  return req;
}

export function simRequest(url: string, o: SimRequest = {}): Promise<SimResponse> {
  return new Promise((resolve, reject) => {
    open(url, o, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
      res.on('error', reject);
    }, reject);
  });
}

export interface SimStream {
  status: Promise<number>;
  /** Resolves with the next line (parsed JSON when possible); undefined when the stream ended. */
  next(timeoutMs?: number): Promise<any>;
  ended: Promise<void>;
  close(): void;
}

export function simStream(url: string, o: SimRequest = {}): SimStream {
  const lines: string[] = [];
  const waiters: ((v: any) => void)[] = [];
  let done = false;
  let buf = '';
  let setStatus!: (n: number) => void;
  let setEnded!: () => void;
  const status = new Promise<number>((r) => (setStatus = r));
  const ended = new Promise<void>((r) => (setEnded = r));
  const parse = (l: string) => {
    try {
      return JSON.parse(l);
    } catch {
      return l;
    }
  };
  const push = (l: string) => {
    const w = waiters.shift();
    if (w) w(parse(l));
    else lines.push(l);
  };
  const finish = () => {
    if (buf) push(buf), (buf = '');
    done = true;
    for (const w of waiters.splice(0)) w(undefined);
    setEnded();
  };
  const req = open(url, o, (res) => {
    setStatus(res.statusCode ?? 0);
    res.setEncoding('utf8');
    res.on('data', (c: string) => {
      buf += c;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        push(buf.slice(0, i));
        buf = buf.slice(i + 1);
      }
    });
    res.on('end', finish);
    res.on('close', finish);
    res.on('error', finish);
  }, () => {
    setStatus(0);
    finish();
  });
  return {
    status, ended,
    next(timeoutMs = 5000) {
      if (lines.length) return Promise.resolve(parse(lines.shift()!));
      if (done) return Promise.resolve(undefined);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no watch line within ${timeoutMs} ms`)), timeoutMs);
        waiters.push((v) => {
          clearTimeout(t);
          resolve(v);
        });
      });
    },
    close() {
      req.destroy();
    },
  };
}
