// metrics.k8s.io has no watch: poll it. Any error (no metrics-server, 404, 503, 403) just
// means "no metrics": the views then show "—" instead of usage.
import { parseQuantityOr } from '../model/quantity.js';
import type { KubeClient } from './client.js';
import type { LeanPodMetrics, NodeMetrics, PodMetrics } from './types.js';
import type { ClusterStore } from '../store/clusterStore.js';

export class MetricsPoller {
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;

  constructor(
    private readonly client: KubeClient,
    private readonly store: ClusterStore,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.stopped = false;
    void this.poll();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  async poll(): Promise<void> {
    const t0 = performance.now();
    try {
      const [nodes, pods] = await Promise.all([
        this.client.json<{ items: NodeMetrics[] }>('/apis/metrics.k8s.io/v1beta1/nodes', { timeoutMs: 20_000 }),
        this.client.json<{ items: PodMetrics[] }>('/apis/metrics.k8s.io/v1beta1/pods', { timeoutMs: 20_000 }),
      ]);
      this.store.setMetrics({
        available: true,
        nodes: new Map(nodes.items.map((n) => [n.metadata.name, n])),
        pods: new Map(pods.items.map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, leanPodMetrics(p)])),
        updatedAt: Date.now(),
      });
    } catch (e) {
      if (this.store.metrics.available || !this.store.metrics.error) {
        this.store.setMetrics({ available: false, nodes: new Map(), pods: new Map(), error: (e as Error).message });
      }
    }
    if (!this.stopped) {
      // On a huge cluster one poll is 150,000 pod metrics: poll no more often than keeps it
      // under ~1% of the time (a poll taking 500 ms waits at least 50 s).
      const interval = Math.max(this.intervalMs, Math.min(300_000, 100 * (performance.now() - t0)));
      this.timer = setTimeout(() => void this.poll(), interval);
      this.timer.unref?.();
    }
  }
}

/**
 * Only what the views read: per container, CPU in nanocores and memory in bytes, as plain
 * numbers in one array (150,000 pods: ~20 MB instead of ~60 MB of objects and quantity
 * strings). The containers' name lists repeat across replicas and are shared.
 */
export function leanPodMetrics(p: PodMetrics): LeanPodMetrics {
  const cs = p.containers ?? [];
  const usage = new Array<number>(cs.length * 2);
  const names = new Array<string>(cs.length);
  for (let i = 0; i < cs.length; i++) {
    names[i] = cs[i]!.name;
    usage[2 * i] = Number(parseQuantityOr(cs[i]!.usage?.cpu));
    usage[2 * i + 1] = Number(parseQuantityOr(cs[i]!.usage?.memory) / 1_000_000_000n);
  }
  return { containers: shareNames(names), usage };
}

const nameLists = new Map<string, readonly string[]>();
function shareNames(names: string[]): readonly string[] {
  const key = names.join('\0');
  const v = nameLists.get(key);
  if (v !== undefined) return v;
  if (nameLists.size > 10_000) nameLists.clear();
  nameLists.set(key, names);
  return names;
}
