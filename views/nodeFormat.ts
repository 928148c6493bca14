// Text of the nodes table cells: short absolute figures, percentage bars, node status.
// The exact kubectl strings (e.g. "6456Mi") live in the node detail; the table favours
// figures that read at a glance ("6.3Gi") and bars.
import type { NodeStatusInfo, ResourceFigures } from '../src/model/allocation.js';
import { barText } from './widgets/Bar.js';

/** CPU as kubectl writes it: "250m", "22500m", "2" (whole cores); from 100 cores up, cores ("7945"). */
export function cpuText(milli: number): string {
  if (milli % 1000 === 0 || Math.abs(milli) >= 100_000) return String(Math.round(milli / 1000));
  return `${milli}m`;
}

const KI = 1024;
const UNITS = ['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/** Bytes in binary units, at most one decimal: "512Mi", "6.3Gi", "14.4Gi", "980". */
export function memText(bytes: number): string {
  const abs = Math.abs(bytes);
  if (abs < KI) return String(bytes);
  let u = 0;
  let v = bytes / KI;
  while (Math.abs(v) >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  // Whole numbers of Ki/Mi as they are; above, one decimal (dropped when .0).
  const t = u <= 1 || Math.abs(v) >= 100 ? String(Math.round(v)) : String(Math.round(v * 10) / 10);
  return `${t}${UNITS[u]}`;
}

/** "62%", or "130%!" over 100 (overcommit stands out without colour). */
export function pctText(p: number): string {
  return p > 100 ? `${p}%!` : `${p}%`;
}

/** How much of a resource cell to show, from richest to sparsest. */
export type CellLevel = 3 | 2 | 1 | 0;

/** A requests / limits cell: absolute, bar and % (level 3: bar 8, 2: bar 5, 1: bar 4 no absolute, 0: % only). */
export function resourceCell(f: ResourceFigures, which: 'requests' | 'limits', resource: 'cpu' | 'memory', level: CellLevel): string {
  const v = which === 'requests' ? f.requests : f.limits;
  const p = which === 'requests' ? f.requestsPct : f.limitsPct;
  if (level === 0) return pctText(p);
  const bar = barText(p, level === 3 ? 8 : level === 2 ? 5 : 4);
  if (level === 1) return bar;
  const abs = resource === 'cpu' ? cpuText(v) : memText(v);
  return `${abs.padStart(6)} ${bar}`;
}

/** Width of a resource cell at a level (bars keep their width; "!" may add one). */
export function resourceCellWidth(level: CellLevel): number {
  return level === 0 ? 5 : level === 1 ? 10 : level === 2 ? 7 + 11 : 7 + 14;
}

/** A usage cell: "812m 42%" / "42%", "—" without metrics. */
export function usageCell(f: ResourceFigures, resource: 'cpu' | 'memory', withAbsolute: boolean): string {
  if (f.usage === undefined || f.usagePct === undefined) return '—';
  if (!withAbsolute) return pctText(f.usagePct);
  const abs = resource === 'cpu' ? cpuText(f.usage) : memText(f.usage);
  return `${abs.padStart(6)} ${pctText(f.usagePct).padStart(4)}`;
}

const PRESSURE_SHORT: Record<string, string> = {
  MemoryPressure: 'MemPressure',
  DiskPressure: 'DiskPressure',
  PIDPressure: 'PIDPressure',
  NetworkUnavailable: 'NetUnavailable',
};

/** "Ready", "NotReady,MemPressure", "Ready,Cordoned". */
export function nodeStatusText(info: NodeStatusInfo): string {
  return [info.ready, ...(info.cordoned ? ['Cordoned'] : []), ...info.pressures.map((p) => PRESSURE_SHORT[p] ?? p)].join(',');
}

/** Taints without the ones STATUS already says (cordoned, not ready / unreachable). */
export function extraTaints(info: NodeStatusInfo): string[] {
  return info.taints.filter((t) => !(info.cordoned && t.startsWith('node.kubernetes.io/unschedulable:')) && !(info.ready !== 'Ready' && /^node\.kubernetes\.io\/(unreachable|not-ready):/.test(t)));
}
