// End-to-end harness: the BUILT CLI (run `npm run build` first; `npm test` does) in a real
// pseudo-terminal (node-pty), its output fed into a headless xterm so tests read the screen
// as a user would see it and check the terminal state the program leaves behind.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import xtermHeadless from '@xterm/headless';
import * as pty from 'node-pty';

const { Terminal } = xtermHeadless as unknown as typeof import('@xterm/headless');

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const NODE22 = path.join(ROOT, 'node_modules', '.bin', 'node');
export const BIN = path.join(ROOT, 'bin', 'kfleet.js');

export const KEYS = {
  enter: '\r',
  escape: '\x1b',
  tab: '\t',
  backspace: '\x7f',
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
  pageup: '\x1b[5~',
  pagedown: '\x1b[6~',
  home: '\x1b[H',
  end: '\x1b[F',
  'ctrl+c': '\x03',
} as const;

/** The visible rows of a headless terminal, right-trimmed. */
export function visibleLines(term: { rows: number; buffer: { active: { viewportY: number; getLine(y: number): { translateToString(trim: boolean): string } | undefined } } }): string[] {
  const buf = term.buffer.active;
  const out: string[] = [];
  for (let y = 0; y < term.rows; y++) out.push(buf.getLine(buf.viewportY + y)?.translateToString(true) ?? '');
  return out;
}

export interface ExitInfo {
  code: number;
  signal?: number;
}

export interface SpawnOptions {
  cols?: number;
  rows?: number;
  env?: Record<string, string | undefined>;
  cwd?: string;
}

export class PtySession {
  readonly term: InstanceType<typeof Terminal>;
  readonly proc: pty.IPty;
  readonly exit: Promise<ExitInfo>;
  /** Everything the program wrote, raw. */
  raw = '';
  private exited = false;
  private pendingWrites = Promise.resolve();
  /** When the program last wrote (a frame can arrive in several pieces). */
  private lastDataAt = 0;

  constructor(args: string[], opts: SpawnOptions = {}) {
    const cols = opts.cols ?? 100;
    const rows = opts.rows ?? 30;
    this.term = new Terminal({ cols, rows, allowProposedApi: true });
    const env = { ...process.env, TERM: 'xterm-256color', ...opts.env } as Record<string, string>;
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
    this.proc = pty.spawn(NODE22, [BIN, ...args], { name: 'xterm-256color', cols, rows, cwd: opts.cwd ?? ROOT, env });
    this.proc.onData((d) => {
      this.raw += d;
      this.lastDataAt = Date.now();
      this.pendingWrites = this.pendingWrites.then(() => new Promise<void>((r) => this.term.write(d, r)));
    });
    this.exit = new Promise((resolve) => {
      this.proc.onExit(({ exitCode, signal }) => {
        this.exited = true;
        // Let the last output reach the terminal model first.
        void this.pendingWrites.then(() => resolve({ code: exitCode, signal: signal || undefined }));
      });
    });
  }

  /** The visible screen, one string per line (right-trimmed). */
  lines(): string[] {
    return visibleLines(this.term);
  }

  screen(): string {
    return this.lines().join('\n');
  }

  async waitFor(what: string | RegExp, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.pendingWrites;
      const s = this.screen();
      const found = (x: string) => (typeof what === 'string' ? x.includes(what) : what.test(x));
      if (found(s)) {
        // A frame can arrive in several pieces: the text may be in its first piece and the rest
        // of the screen not drawn yet. Answer with the screen once the output has settled.
        const settleBy = Date.now() + 500; // a screen that never stops changing is taken as is
        while (Date.now() - this.lastDataAt < 40 && !this.exited && Date.now() < settleBy) {
          await new Promise((r) => setTimeout(r, 20));
          await this.pendingWrites;
        }
        const settled = this.screen();
        if (found(settled)) return settled;
      }
      if (this.exited) throw new Error(`process exited while waiting for ${what}; screen:\n${s}\nraw tail: ${JSON.stringify(this.raw.slice(-500))}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Type keys: plain text, or names from KEYS (e.g. press('j', 'j', KEYS.enter)). */
  press(...keys: string[]): void {
    for (const k of keys) this.proc.write(k);
  }

  resize(cols: number, rows: number): void {
    this.proc.resize(cols, rows);
    this.term.resize(cols, rows);
  }

  signal(sig: NodeJS.Signals): void {
    if (!this.exited) process.kill(this.proc.pid, sig);
  }

  /** Terminal state the program left: checked after exit. */
  state() {
    const raw = this.raw;
    const lastShow = raw.lastIndexOf('\x1b[?25h');
    const lastHide = raw.lastIndexOf('\x1b[?25l');
    return {
      alternateScreen: this.term.buffer.active.type === 'alternate',
      cursorVisible: lastShow >= lastHide, // DECTCEM: visible unless hidden last
      mouseTracking: this.term.modes.mouseTrackingMode,
      bracketedPaste: this.term.modes.bracketedPasteMode,
      usedAlternateScreen: raw.includes('\x1b[?1049h'),
    };
  }

  /** Always call at the end of a test. */
  async kill(): Promise<void> {
    if (!this.exited) {
      try {
        this.proc.kill('SIGKILL');
      } catch {
        // already gone
      }
      await Promise.race([this.exit, new Promise((r) => setTimeout(r, 2000))]);
    }
    this.term.dispose();
  }
}

export function spawnKfleet(args: string[], opts?: SpawnOptions): PtySession {
  return new PtySession(args, opts);
}
