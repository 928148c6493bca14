// Shared pieces of the reliability suite:
// - `TtyRun`: the BUILT CLI in a real pseudo-terminal, started by a small sh wrapper that,
//   once kfleet has exited, prints the exit code and `stty -a` of that same terminal, so a
//   test sees the terminal modes kfleet left behind (raw mode off = `icanon echo` back on);
// - `fakeApi`: a tiny local HTTP API server whose answers a test chooses (HTML, truncated
//   JSON, odd kinds, huge objects, 10,000 namespaces...); watches stay open and silent;
// - an isolated HOME / XDG tree per run, and a reader of every file the app wrote there.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import xtermHeadless from '@xterm/headless';
import * as pty from 'node-pty';
import { RESOURCES, type ResourceKind } from '../../src/kube/types.js';
import { BIN, NODE22, ROOT, visibleLines } from '../helpers/pty.js';

const { Terminal } = xtermHeadless as unknown as typeof import('@xterm/headless');

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `kfleet-rel-${prefix}-`));
}

export function tmpFile(name: string, text: string, mode = 0o600): string {
  const f = path.join(tmpDir('f'), name);
  fs.writeFileSync(f, text, { mode });
  return f;
}

/** A fresh HOME with its XDG config/state/cache dirs, and no KUBECONFIG. */
export function isolatedHome(): { home: string; env: Record<string, string | undefined> } {
  const home = tmpDir('home');
  return {
    home,
    env: {
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, '.config'),
      XDG_STATE_HOME: path.join(home, '.local', 'state'),
      XDG_CACHE_HOME: path.join(home, '.cache'),
      KUBECONFIG: undefined,
    },
  };
}

/** Every file under `dir`, with its text. */
export function filesUnder(dir: string): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const file = path.join(e.parentPath, e.name);
    out.push({ file, text: fs.readFileSync(file, 'utf8') });
  }
  return out;
}

export interface TtyExit {
  code: number;
  /** `stty -a` of the terminal after kfleet exited. */
  stty: string;
}

// POSIX sh gives a background job /dev/null as stdin unless told otherwise: hand it the
// terminal through fd 3. The traps keep the wrapper alive to run stty (children get SIG_DFL).
const WRAPPER = `trap 'true' INT TERM HUP
exec 3<&0
"$0" "$@" <&3 3<&- &
pid=$!
printf '\\n__KFLEET_PID=%s__\\n' "$pid" >&2
wait "$pid"; code=$?
printf '\\n__STTY_BEGIN__\\n'; stty -a; printf '__EXIT=%s__\\n' "$code"; sleep 0.3`;

/**
 * kfleet (bin/kfleet.js under Node 22) in a pseudo-terminal. Output goes to a headless xterm;
 * `raw` keeps every byte (secret scans). The wrapper's pid line goes to the pty as well.
 */
export class TtyRun {
  readonly term: InstanceType<typeof Terminal>;
  readonly proc: pty.IPty;
  raw = '';
  /** When the last bytes came from kfleet (see `quiet`). */
  private lastDataAt = Date.now();
  /** Bytes kfleet wrote before the wrapper's trailer (for mode-byte checks). */
  private writes = Promise.resolve();
  private ended = false;
  readonly done: Promise<TtyExit>;

  constructor(args: string[], opts: { cols?: number; rows?: number; env?: Record<string, string | undefined> } = {}) {
    const cols = opts.cols ?? 100;
    const rows = opts.rows ?? 30;
    this.term = new Terminal({ cols, rows, allowProposedApi: true, scrollback: 1000 });
    const env = { ...process.env, TERM: 'xterm-256color', ...opts.env } as Record<string, string>;
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
    this.proc = pty.spawn('/bin/sh', ['-c', WRAPPER, NODE22, BIN, ...args], { name: 'xterm-256color', cols, rows, cwd: ROOT, env });
    this.proc.onData((d) => {
      this.raw += d;
      this.lastDataAt = Date.now();
      this.writes = this.writes.then(() => new Promise<void>((r) => this.term.write(d, r)));
    });
    this.done = new Promise((resolve) => {
      this.proc.onExit(async () => {
        this.ended = true;
        // The last bytes may still be in flight when the exit is reported.
        for (let i = 0; i < 20 && !/__EXIT=\d+__/.test(this.raw); i++) await sleep(25);
        void this.writes.then(() => {
          const m = /__STTY_BEGIN__\r?\n([\s\S]*?)__EXIT=(\d+)__/.exec(this.raw);
          resolve({ code: m ? Number(m[2]) : -1, stty: m ? m[1]! : '' });
        });
      });
    });
  }

  /** kfleet's pid (the wrapper's child). */
  async pid(): Promise<number> {
    for (let i = 0; i < 200; i++) {
      const m = /__KFLEET_PID=(\d+)__/.exec(this.raw);
      if (m) return Number(m[1]);
      await sleep(20);
    }
    throw new Error('no pid line from the wrapper');
  }

  /** What kfleet wrote (without the wrapper's own lines). */
  appOutput(): string {
    return this.raw.replace(/\r?\n__KFLEET_PID=\d+__\r?\n/, '').split('\n__STTY_BEGIN__')[0]!;
  }

  lines(): string[] {
    return visibleLines(this.term);
  }

  screen(): string {
    return this.lines().join('\n');
  }

  /** Screen rows that continue a longer line: a frame wider than the terminal wrapped. */
  wrappedRows(): number {
    const buf = this.term.buffer.active;
    let n = 0;
    for (let y = 0; y < this.term.rows; y++) if (buf.getLine(buf.viewportY + y)?.isWrapped) n++;
    return n;
  }

  /** Until kfleet's raw output holds `bytes` (looked at every 2 ms: for "at once" checks). */
  async waitForOutput(bytes: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.appOutput().includes(bytes)) {
      if (this.ended || Date.now() > deadline) throw new Error(`no ${JSON.stringify(bytes)} in kfleet's output: ${JSON.stringify(this.raw.slice(-400))}`);
      await sleep(2);
    }
  }

  async waitFor(what: string | RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.writes;
      const s = this.screen();
      if (typeof what === 'string' ? s.includes(what) : what.test(s)) return s;
      if (this.ended) throw new Error(`kfleet ended while waiting for ${what}; screen:\n${s}\nraw tail: ${JSON.stringify(this.raw.slice(-800))}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
      await sleep(50);
    }
  }

  /**
   * Wait until kfleet has written nothing for `quietMs` and xterm has parsed all of it. A big
   * frame reaches the pty in several chunks: a screen read between two of them mixes frames.
   */
  async quiet(quietMs = 300, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() - this.lastDataAt < quietMs) {
      if (Date.now() > deadline) throw new Error(`kfleet never went quiet for ${quietMs} ms; screen:\n${this.screen()}`);
      await sleep(50);
    }
    await this.writes;
  }

  press(...keys: string[]): void {
    for (const k of keys) this.proc.write(k);
  }

  resize(cols: number, rows: number): void {
    this.proc.resize(cols, rows);
    this.term.resize(cols, rows);
  }

  async signal(sig: NodeJS.Signals): Promise<void> {
    process.kill(await this.pid(), sig);
  }

  /** The terminal state after exit: xterm's model plus the termios `stty -a` printed. */
  /** `stty -a` of the terminal now, while kfleet runs. */
  sttyNow(): string {
    return execFileSync('stty', ['-F', (this.proc as unknown as { ptsName: string }).ptsName, '-a'], { encoding: 'utf8' });
  }

  restored(exit: TtyExit) {
    const raw = this.appOutput();
    return {
      usedAlternateScreen: raw.includes('\x1b[?1049h'),
      leftAlternateScreen: this.term.buffer.active.type === 'normal',
      cursorShown: raw.lastIndexOf('\x1b[?25h') > raw.lastIndexOf('\x1b[?25l'),
      mouseOff: this.term.modes.mouseTrackingMode === 'none',
      bracketedPasteOff: !this.term.modes.bracketedPasteMode,
      // Cooked mode: canonical input, echo and signals on (raw mode clears all three).
      cooked: /(^|\s)icanon(\s|$)/.test(exit.stty) && /(^|\s)echo(\s|$)/.test(exit.stty) && /(^|\s)isig(\s|$)/.test(exit.stty),
    };
  }

  async kill(): Promise<void> {
    if (!this.ended) {
      try {
        process.kill(await this.pid(), 'SIGKILL');
      } catch {
        // gone
      }
      try {
        this.proc.kill('SIGKILL');
      } catch {
        // gone
      }
      await Promise.race([this.done, sleep(2000)]);
    }
    this.term.dispose();
  }
}

// ---- a fake API server -----------------------------------------------------------------------

export type FakeAnswer = { status?: number; contentType?: string; body: string; delayMs?: number } | undefined;

/** Which resource kind a collection path names (any namespace prefix), or undefined. */
export function kindOfPath(p: string): ResourceKind | undefined {
  const parts = p.split('?')[0]!.split('/').filter(Boolean);
  const last = parts[parts.length - 1];
  return (Object.keys(RESOURCES) as ResourceKind[]).find((k) => k === last);
}

export const listJson = (kind: ResourceKind, items: unknown[], rv = '100') =>
  JSON.stringify({ kind: `${RESOURCES[kind].objectKind}List`, apiVersion: 'v1', metadata: { resourceVersion: rv }, items });

/**
 * An HTTP API server on 127.0.0.1 (port 0). `answer(kind, path)` chooses the answer to any
 * request but a watch; when it gives none: lists are empty, watches stay open and silent, /version answers.
 */
export async function fakeApi(answer: (kind: ResourceKind | undefined, path: string) => FakeAnswer): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const open = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    requests.push(`${req.method} ${url}`);
    const kind = kindOfPath(url);
    const watch = kind !== undefined && /[?&]watch=(1|true)/.test(url);
    const chosen = watch ? undefined : answer(kind, url);
    if (chosen) {
      const send = () => void res.writeHead(chosen.status ?? 200, { 'content-type': chosen.contentType ?? 'application/json' }).end(chosen.body);
      if (chosen.delayMs) setTimeout(send, chosen.delayMs);
      else send();
      return;
    }
    if (/\/version$/.test(url)) return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"gitVersion":"v1.31.0-fake"}');
    if (watch) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      open.add(res);
      res.on('close', () => open.delete(res));
      return;
    }
    const a = kind ? { body: listJson(kind, []) } : { status: 404, body: '{"kind":"Status","code":404,"message":"not found"}' };
    res.writeHead(a.status ?? 200, { 'content-type': a.contentType ?? 'application/json' }).end(a.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      for (const r of open) r.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(() => r(undefined)));
    },
  };
}

/** A one-context kubeconfig (YAML) for a server, with the given user fields. */
export function kubeconfigFor(server: string, user: Record<string, unknown>, extra: { context?: string; cluster?: Record<string, unknown> } = {}): string {
  const ctx = extra.context ?? 'rel';
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    // client-node refuses plain http unless TLS verification is (nominally) off.
    clusters: [{ name: 'c', cluster: { server, ...(server.startsWith('http:') ? { 'insecure-skip-tls-verify': true } : {}), ...extra.cluster } }],
    users: [{ name: 'u', user }],
    contexts: [{ name: ctx, context: { cluster: 'c', user: 'u' } }],
    'current-context': ctx,
  });
}
