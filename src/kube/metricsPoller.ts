// metrics.k8s.io has no watch: poll it. Any error (no metrics-server, 404, 503, 403) just
// means "no metrics": the views then show "—" instead of usage.
import type { KubeClient } from './client.js';
import { parsePodMetrics } from './pageParser.js';
import type { NodeMetrics } from './types.js';
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
        this.client.bytes('/apis/metrics.k8s.io/v1beta1/pods', { timeoutMs: 20_000 }).then(parsePodMetrics),
      ]);
      this.store.setMetrics({
        available: true,
        nodes: new Map(nodes.items.map((n) => [n.metadata.name, n])),
        pods,
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
