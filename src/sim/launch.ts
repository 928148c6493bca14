// Starts the embedded cluster in a child process (outside the caller's event loop) and
// returns a handle: address, token, a kubeconfig for it, and control helpers.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { Faults, SimOptions } from './server.js';
import { simRequest } from './client.js';

export interface StartSimOptions extends SimOptions {
  /** Context name in the kubeconfig written for this sim (default "kfleet-demo"). */
  context?: string;
  namespace?: string;
  /** Where to write the kubeconfig (default: a new temp dir). */
  kubeconfigPath?: string;
  /** How long to wait for the child to be ready (default 60 s). */
  startTimeoutMs?: number;
}

export type SimState = Record<string, { uid: string; resourceVersion: string }[]>;

export interface SimHandle {
  url: string;
  token: string;
  /** PEM of the sim's self-signed certificate (trust it for https requests). */
  ca?: string;
  port: number;
  kubeconfigPath: string;
  context: string;
  pid: number;
  /** POSTs (or GETs without body) a /_sim/ control endpoint. */
  control(path: string, body?: unknown): Promise<any>;
  setChurn(rate: number): Promise<void>;
  setFaults(f: Partial<Faults>): Promise<void>;
  quiesce(): Promise<void>;
  resume(): Promise<void>;
  state(): Promise<SimState>;
  /** Refuses connections for `seconds`, then serves again on the same port. */
  stopServing(seconds: number): Promise<void>;
  stop(): Promise<void>;
}

function mainModule(): { file: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    // Running under tsx: the child needs it too (resolved from here, not from the cwd).
    return { file: join(dirname(here), 'main.ts'), execArgv: ['--import', import.meta.resolve('tsx')] };
  }
  return { file: join(dirname(here), 'main.js'), execArgv: [] };
}

export async function startSim(opts: StartSimOptions = {}): Promise<SimHandle> {
  const { file, execArgv } = mainModule();
  const { startTimeoutMs, ...childOpts } = opts;
  const child: ChildProcess = fork(file, ['--json', JSON.stringify(childOpts)], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise<any>((resolve, reject) => {
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('sim did not start in time'));
    }, startTimeoutMs ?? 60_000);
    child.once('message', (m: any) => {
      clearTimeout(t);
      if (m?.type === 'ready') resolve(m);
      else reject(new Error(`unexpected message from sim: ${JSON.stringify(m)}`));
    });
    child.once('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`sim exited with code ${code} before it was ready`));
    });
  });
  // The child must not keep the parent alive; it exits by itself when the parent goes.
  child.unref();
  (child.channel as any)?.unref?.();
  const control = async (path: string, body?: unknown) => {
    const res = await simRequest(`${ready.url}/_sim/${path}`, { ca: ready.ca, ...(body === undefined ? {} : { method: 'POST', body: body as object }) });
    if (res.status !== 200) throw new Error(`sim control ${path}: HTTP ${res.status}`);
    return res.json();
  };
  let stopped = false;
  return {
    url: ready.url, token: ready.token, ca: ready.ca, port: ready.port, kubeconfigPath: ready.kubeconfigPath, context: ready.context, pid: child.pid!,
    control,
    setChurn: async (rate) => void (await control('churn', { rate })),
    setFaults: async (f) => void (await control('faults', f)),
    quiesce: async () => void (await control('quiesce', {})),
    resume: async () => void (await control('resume', {})),
    state: () => control('state'),
    stopServing: async (seconds) => {
      await control('stop', { seconds });
      await new Promise((r) => setTimeout(r, 50));
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
    },
  };
}

export { simRequest, simStream, type SimRequest, type SimResponse, type SimStream } from './client.js';
export { writeKubeconfig, kubeconfigYaml, type KubeconfigEntry } from './kubeconfig.js';
