// Reading a process's memory and CPU from /proc (Linux): the figures are kfleet's own, taken
// from outside, so the harness's work never counts.
import fs from 'node:fs';
import os from 'node:os';

const TICK_MS = 1000 / 100; // USER_HZ is 100 on every Linux we run on

export interface MemInfo {
  /** Resident set size now, bytes. */
  rss: number;
  /** Peak resident set size (VmHWM), bytes. */
  hwm: number;
}

export function memOf(pid: number): MemInfo | undefined {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/**
 * Start the process's peak RSS (VmHWM) over from its RSS now (Linux: 5 into clear_refs), so that
 * a phase's peak is its own. False when that is not allowed: the peak is then since its start.
 */
export function resetPeakRss(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** CPU time (user + system) the process has used, ms. */
export function cpuMsOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces: fields start after the last ')'.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * TICK_MS;
}

/** CPU use over a window, as % of one core. */
export async function cpuPercent(pid: number, ms: number): Promise<number> {
  const c0 = cpuMsOf(pid);
  const t0 = performance.now();
  await sleep(ms);
  return (100 * (cpuMsOf(pid) - c0)) / (performance.now() - t0);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The machine's CPU time in clock ticks from /proc/stat (undefined off Linux): `steal` is time
 *  the hypervisor gave to other guests while this VM had work, `busy` is time spent working. */
export function cpuTicks(): { busy: number; steal: number; total: number } | undefined {
  try {
    const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, idle, iowait, irq, softirq, steal] = f as [number, number, number, number, number, number, number, number];
    return { busy: user + nice + system + irq + softirq, steal, total: user + nice + system + idle + iowait + irq + softirq + steal };
  } catch {
    return undefined;
  }
}

/** Stolen CPU time between two readings, as a share of all CPU time and of the time at work or stolen. */
export function stealBetween(a: ReturnType<typeof cpuTicks>, b: ReturnType<typeof cpuTicks>): { ofAllPct: number; ofBusyPct: number } | undefined {
  if (!a || !b || b.total === a.total) return undefined;
  const steal = b.steal - a.steal;
  const round = (x: number) => Math.round(x * 10) / 10;
  return { ofAllPct: round((100 * steal) / (b.total - a.total)), ofBusyPct: round((100 * steal) / Math.max(1, b.busy - a.busy + steal)) };
}

export function machine() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? '',
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100),
    node: process.version,
  };
}

export const MB = (b: number | undefined) => (b === undefined ? undefined : Math.round(b / 2 ** 20));
