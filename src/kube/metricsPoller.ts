// metrics.k8s.io has no watch: poll it. Any error (no metrics-server, 404, 503, 403) just
// means "no metrics": the views then show "—" instead of usage.
import type { KubeClient } from './client.js';
import type { NodeMetrics, PodMetrics } from './types.js';
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

/** Only what the views read (usage per container), with the repeated strings shared. */
function leanPodMetrics(p: PodMetrics): PodMetrics {
  return {
    metadata: { name: p.metadata.name, namespace: intern(p.metadata.namespace) },
    containers: (p.containers ?? []).map((c) => ({ name: intern(c.name), usage: { cpu: c.usage?.cpu, memory: c.usage?.memory } })),
  };
}

const names = new Map<string, string>();
function intern(s: string): string {
  const v = names.get(s);
  if (v !== undefined) return v;
  if (names.size > 10_000) names.clear();
  names.set(s, s);
  return s;
}
