// Helpers for tests against the embedded cluster.
import { execFile } from 'node:child_process';
import { simRequest, type SimRequest } from '../../src/sim/client.js';

export { simRequest, simStream } from '../../src/sim/client.js';

/** An API request with the sim's token and CA. */
export function api(sim: { url: string; token: string; ca?: string }, path: string, o: SimRequest = {}) {
  return simRequest(sim.url + path, { token: sim.token, ca: sim.ca, ...o });
}

/** Runs kubectl; resolves with stdout, rejects with stderr on a non-zero exit. */
export function kubectl(kubeconfig: string, args: string[], timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('kubectl', ['--kubeconfig', kubeconfig, ...args], { timeout: timeoutMs, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`kubectl ${args.join(' ')}: ${stderr || err.message}`));
      else resolve(stdout);
    });
  });
}

export async function waitFor<T>(fn: () => Promise<T | undefined | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
