// The reference: kubectl against the same server, timed with /usr/bin/time -v when present
// (wall time and peak RSS from the kernel), else by polling /proc/PID/status for VmHWM.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { memOf } from './proc.js';

export interface KubectlRun {
  args: string[];
  wallMs: number;
  peakRssBytes: number;
  outputBytes: number;
  exitCode: number;
  /** Killed when its RSS passed the cap: wall time and RSS are then lower bounds. */
  killedAtCap: boolean;
}

const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** The first child of a process (kubectl under /usr/bin/time). */
function childOf(pid: number): number | undefined {
  try {
    return Number(fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0]) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs kubectl; kills it when its RSS passes `capBytes` (at 150,000 pods `-o json` needs tens
 * of GB, more than a shared machine has): the result then says `killedAtCap`.
 */
export function runKubectl(kubeconfig: string, args: string[], capBytes = Infinity): Promise<KubectlRun> {
  const argv = ['--kubeconfig', kubeconfig, ...args];
  const t0 = performance.now();
  const child = TIME ? spawn(TIME, ['-v', 'kubectl', ...argv], { stdio: ['ignore', 'pipe', 'pipe'] }) : spawn('kubectl', argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let outputBytes = 0;
  let stderr = '';
  let polledPeak = 0;
  child.stdout.on('data', (d: Buffer) => void (outputBytes += d.length));
  child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
  let killedAtCap = false;
  const poll = setInterval(() => {
    const pid = TIME && child.pid ? childOf(child.pid) : child.pid;
    const m = pid ? memOf(pid) : undefined;
    if (m) polledPeak = Math.max(polledPeak, m.hwm);
    if (pid && polledPeak > capBytes && !killedAtCap) {
      killedAtCap = true;
      process.kill(pid, 'SIGKILL');
    }
  }, 50);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - t0;
      clearInterval(poll);
      const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ?? 0);
      const exit = TIME ? Number(/Exit status: (\d+)/.exec(stderr)?.[1] ?? code ?? 1) : (code ?? 1);
      if (exit !== 0 && !killedAtCap) return reject(new Error(`kubectl ${args.join(' ')} exited ${exit}: ${stderr.slice(0, 500)}`));
      resolve({ args, wallMs, peakRssBytes: Math.max(kb * 1024, polledPeak), outputBytes, exitCode: exit, killedAtCap });
    });
  });
}
