// Node detail (`enter` on a node): the node's pods with their requests and limits and % of the
// node, QoS and phase, and the "Allocated resources" block exactly as `kubectl describe node`
// prints it. Also the cluster-wide list of pods with containers that set no requests / limits.
//
// Both read NodeAllocationSelector (views/selectors/nodeAllocation.ts); the figures come from
// src/model/allocation.ts, which the oracle test pins to kubectl's.
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import type { NodeAllocationDetail, NodeRow, PodAllocation, PodOnNodeRow } from '../src/model/allocation.js';
import { thousands, truncate } from './format.js';
import type { NodeAllocationSelector } from './selectors/nodeAllocation.js';
import { Table, type Column } from './widgets/Table.js';
import { cpuText, memText, nodeStatusText } from './nodeFormat.js';

/**
 * The "Allocated resources" block as kubectl prints it (tabwriter, 2 spaces of padding):
 *
 *   Allocated resources:
 *     (Total limits may be over 100 percent, i.e., overcommitted.)
 *     Resource           Requests      Limits
 *     --------           --------      ------
 *     cpu                2400m (30%)   2550m (32%)
 *     nvidia.com/gpu     1             1
 */
export function allocatedBlockLines(detail: NodeAllocationDetail, withNote = true): string[] {
  const rows: string[][] = [
    ['Resource', 'Requests', 'Limits'],
    ['--------', '--------', '------'],
    ...detail.resources.map((r) =>
      r.kubectlShowsPercent
        ? [r.resource, `${r.requestsText} (${r.requestsPct}%)`, `${r.limitsText} (${r.limitsPct}%)`]
        : [r.resource, r.requestsText, r.limitsText],
    ),
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  const lines = rows.map((r) => `  ${r[0].padEnd(w0)}  ${r[1].padEnd(w1)}  ${r[2]}`.trimEnd());
  return ['Allocated resources:', ...(withNote ? ['  (Total limits may be over 100 percent, i.e., overcommitted.)'] : []), ...lines];
}

/** "no requests: a,b · no limits: c" for a pod, '' when every container sets both. */
export function missingText(a: PodAllocation): string {
  const parts: string[] = [];
  if (a.containersWithoutRequests.length) parts.push(`no requests: ${a.containersWithoutRequests.join(',')}`);
  if (a.containersWithoutLimits.length) parts.push(`no limits: ${a.containersWithoutLimits.join(',')}`);
  return parts.join(' · ');
}

const isMissing = (a: PodAllocation) => a.containersWithoutRequests.length > 0 || a.containersWithoutLimits.length > 0;

/** "req+lim", "lim", "": which of requests / limits some container leaves unset. */
export function missingShort(a: PodAllocation): string {
  return [a.containersWithoutRequests.length ? 'req' : '', a.containersWithoutLimits.length ? 'lim' : ''].filter(Boolean).join('+');
}

/**
 * The pod table, kubectl's strings ("250m (12%)"). From 110 columns: one column per figure,
 * with NAMESPACE and PHASE; narrower: requests and limits share a cell ("250m/500m (12%/25%)").
 */
function podColumns(width: number, showNamespace: boolean): Column<PodOnNodeRow>[] {
  const wide = width >= 110;
  const both = (req: string, reqPct: number, lim: string, limPct: number) => `${req}/${lim} (${reqPct}%/${limPct}%)`;
  const cols: Column<PodOnNodeRow>[] = [
    ...(wide && showNamespace ? [{ header: 'NAMESPACE', get: (r: PodOnNodeRow) => r.alloc.namespace, maxWidth: 16, priority: 60 }] : []),
    // Narrow: the flag leads the name (no room for a MISSING column; it shows without colour).
    { header: 'NAME', get: (r) => (!wide && isMissing(r.alloc) ? `⚠ ${r.alloc.name}` : r.alloc.name), minWidth: 10, maxWidth: wide ? 40 : 18, priority: 100 },
    ...(wide
      ? ([
          { header: 'CPU REQ', get: (r) => `${r.cpuRequests} (${r.cpuRequestsPct}%)`, align: 'right', priority: 95 },
          { header: 'CPU LIM', get: (r) => `${r.cpuLimits} (${r.cpuLimitsPct}%)`, align: 'right', priority: 90 },
          { header: 'MEM REQ', get: (r) => `${r.memoryRequests} (${r.memoryRequestsPct}%)`, align: 'right', priority: 94 },
          { header: 'MEM LIM', get: (r) => `${r.memoryLimits} (${r.memoryLimitsPct}%)`, align: 'right', priority: 89 },
        ] satisfies Column<PodOnNodeRow>[])
      : ([
          { header: 'CPU REQ/LIM', get: (r) => both(r.cpuRequests, r.cpuRequestsPct, r.cpuLimits, r.cpuLimitsPct), align: 'right', priority: 95 },
          { header: 'MEM REQ/LIM', get: (r) => both(r.memoryRequests, r.memoryRequestsPct, r.memoryLimits, r.memoryLimitsPct), align: 'right', priority: 94 },
        ] satisfies Column<PodOnNodeRow>[])),
    { header: 'QOS', get: (r) => r.alloc.qos, priority: 93 },
    ...(wide ? [{ header: 'PHASE', get: (r: PodOnNodeRow) => r.alloc.phase, priority: 50 }] : []),
    ...(wide ? [{ header: 'MISSING', get: (r: PodOnNodeRow) => (isMissing(r.alloc) ? `⚠ ${width >= 150 ? missingText(r.alloc) : missingShort(r.alloc)}` : ''), minWidth: 9, maxWidth: 44, priority: 92 }] : []),
  ];
  return cols;
}

const podKey = (r: PodOnNodeRow) => r.alloc.key;
const podColor = (r: PodOnNodeRow) => (isMissing(r.alloc) ? 'yellow' : undefined);

export interface NodeDetailProps {
  sel: NodeAllocationSelector;
  /** The selector's version when rendered (memo key). */
  version: number;
  node: string;
  namespace: string | undefined;
  width: number;
  height: number;
  focused: boolean;
}

export function NodeDetailView({ sel, version, node, namespace, width, height, focused }: NodeDetailProps) {
  const detail = useMemo(() => sel.nodeDetail(node), [sel, version, node]); // eslint-disable-line react-hooks/exhaustive-deps
  const row = useMemo(() => sel.index.row(node), [sel, version, node]); // eslint-disable-line react-hooks/exhaustive-deps
  const pods = useMemo(() => (detail ? (namespace === undefined ? detail.pods : detail.pods.filter((p) => p.alloc.namespace === namespace)) : []), [detail, namespace]);
  const columns = useMemo(() => podColumns(width, namespace === undefined), [width, namespace]);

  if (!detail || !row) {
    return (
      <Box flexDirection="column" width={width} height={height}>
        <Text bold>{truncate(`Node ${node}`, width)}</Text>
        <Text color="yellow">{truncate(`node ${node} is gone (deleted from the cluster) — esc goes back`, width)}</Text>
      </Box>
    );
  }

  // Room first for the block, then for at least a few pod rows; on a very short terminal the
  // second head line, kubectl's note line and then the block's tail give way.
  const head = headLines(row, width).slice(0, height >= 18 ? 2 : 1);
  const blockFull = allocatedBlockLines(detail, true);
  let block = height - head.length - blockFull.length - 1 >= 7 ? blockFull : allocatedBlockLines(detail, false);
  const maxBlock = Math.max(1, height - head.length - 1 - 3);
  if (block.length > maxBlock) block = [...block.slice(0, maxBlock - 1), '  … (taller terminal for the whole block)'];
  const missing = detail.pods.filter((p) => isMissing(p.alloc)).length;
  const scope = namespace === undefined ? '' : ` · ${pods.length} in namespace ${namespace} shown`;
  const podsTitle = `Non-terminated Pods: (${detail.pods.length} in total)${scope}${missing ? ` · ⚠ ${missing} without requests/limits on every container` : ''}`;
  const tableHeight = Math.max(2, height - head.length - block.length - 1);
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {head.map((l, i) => (
        <Text key={`h${i}`} bold={i === 0} wrap="truncate">
          {truncate(l, width)}
        </Text>
      ))}
      {block.map((l, i) => (
        <Text key={`b${i}`} wrap="truncate">
          {truncate(l, width)}
        </Text>
      ))}
      <Text bold wrap="truncate">
        {truncate(podsTitle, width)}
      </Text>
      <Table rows={pods} rowKey={podKey} columns={columns} width={width} height={tableHeight} focused={focused} rowColor={podColor} emptyText={namespace ? `no pods of namespace ${namespace} on this node` : 'no pods on this node'} dataVersion={version} />
    </Box>
  );
}

/** Title, labels and taints, usage: one or two lines above the block. */
function headLines(row: NodeRow, width: number): string[] {
  const l = row.labels;
  const where = [l['topology.kubernetes.io/zone'], l['node.kubernetes.io/instance-type'], poolOf(l)].filter(Boolean).join(' · ');
  const roles = row.info.roles.length ? ` · roles ${row.info.roles.join(',')}` : '';
  const title = `Node ${row.name} — ${nodeStatusText(row.info)}${where ? ` · ${where}` : ''}${roles} · pods ${row.pods}/${row.podCapacity}`;
  const use =
    row.cpu.usage !== undefined && row.memory.usage !== undefined
      ? `usage cpu ${cpuText(row.cpu.usage)} (${row.cpu.usagePct}%) mem ${memText(row.memory.usage)} (${row.memory.usagePct}%)`
      : 'usage — (no metrics)';
  const taints = row.info.taints.length ? `taints ${row.info.taints.join(', ')}` : 'no taints';
  const second = `${use} · ${taints}`;
  return width >= 60 ? [title, second] : [title];
}

export function poolOf(labels: Record<string, string>): string | undefined {
  for (const k of POOL_LABELS) if (labels[k]) return labels[k];
  return undefined;
}

/** Node pool / group labels of the common providers and autoscalers. */
export const POOL_LABELS = [
  'eks.amazonaws.com/nodegroup',
  'cloud.google.com/gke-nodepool',
  'kubernetes.azure.com/agentpool',
  'agentpool',
  'karpenter.sh/nodepool',
  'node.kubernetes.io/pool',
  'nodepool',
];

// ---- pods missing requests / limits, cluster-wide ------------------------------------------

function missingColumns(showNamespace: boolean): Column<PodAllocation>[] {
  const cols: Column<PodAllocation>[] = [
    { header: 'NAMESPACE', get: (a) => a.namespace, maxWidth: 16, priority: 40 },
    { header: 'NAME', get: (a) => a.name, minWidth: 10, maxWidth: 40, priority: 100 },
    { header: 'NODE', get: (a) => a.nodeName || '<none>', maxWidth: 24, priority: 60 },
    { header: 'QOS', get: (a) => a.qos, priority: 50 },
    { header: 'NO REQUESTS', get: (a) => a.containersWithoutRequests.join(',') || '-', maxWidth: 40, priority: 90 },
    { header: 'NO LIMITS', get: (a) => a.containersWithoutLimits.join(',') || '-', maxWidth: 40, priority: 89 },
  ];
  return showNamespace ? cols : cols.slice(1);
}

const allocKey = (a: PodAllocation) => a.key;

export interface MissingProps {
  sel: NodeAllocationSelector;
  version: number;
  namespace: string | undefined;
  /** The `/` filter: matches pod namespace/name or node name (substring, any case). */
  filter: string;
  width: number;
  height: number;
  focused: boolean;
  onEnter: (a: PodAllocation) => void;
}

export function MissingResourcesView({ sel, version, namespace, filter, width, height, focused, onEnter }: MissingProps) {
  const all = useMemo(() => sel.podsMissingResources(), [sel, version]); // eslint-disable-line react-hooks/exhaustive-deps
  const rows = useMemo(() => {
    const q = filter.trim().toLowerCase();
    return all.filter((a) => (namespace === undefined || a.namespace === namespace) && (!q || a.key.toLowerCase().includes(q) || a.nodeName.toLowerCase().includes(q)));
  }, [all, namespace, filter]);
  const columns = useMemo(() => missingColumns(namespace === undefined), [namespace]);
  const where = namespace === undefined ? 'cluster-wide' : `in namespace ${namespace}`;
  const title = `Pods with containers lacking requests or limits — ${thousands(rows.length)} ${where}${filter ? ` matching /${filter}` : ''} · enter: its node · esc: back`;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate">
        {truncate(title, width)}
      </Text>
      <Text dimColor wrap="truncate">
        {truncate('Every container should set cpu and memory requests and limits (pod-level resources count for all).', width)}
      </Text>
      <Table rows={rows} rowKey={allocKey} columns={columns} width={width} height={Math.max(2, height - 2)} focused={focused} onEnter={onEnter} emptyText="every container sets requests and limits" dataVersion={version} />
    </Box>
  );
}
