// metrics.k8s.io has no watch: poll it. Any error (no metrics-server, 404, 503, 403) just
// means "no metrics": the views then show "—" instead of usage.
import type { KubeClient } from './client.js';
import { readPodMetrics } from './podMetrics.js';
import { PodMetricsTable } from '../model/podMetricsTable.js';
import type { NodeMetrics } from './types.js';
import type { ClusterStore } from '../store/clusterStore.js';
import { traceEvent } from '../app/trace.js';

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
    const cpu0 = process.cpuUsage();
    try {
      const [nodes, pods] = await Promise.all([
        this.client.json<{ items: NodeMetrics[] }>('/apis/metrics.k8s.io/v1beta1/nodes', { timeoutMs: 20_000 }),
        // Read as it streams in: at 150,000 pods the answer is ~45 MB and takes seconds.
        // The last poll's table lends its pod keys to the next.
        this.client.streamed('/apis/metrics.k8s.io/v1beta1/pods', (body) => readPodMetrics(body, this.store.metrics.pods), { timeoutMs: 60_000 }),
      ]);
      this.store.setMetrics({
        available: true,
        nodes: new Map(nodes.items.map((n) => [n.metadata.name, n])),
        pods,
        updatedAt: Date.now(),
      });
    } catch (e) {
      if (this.store.metrics.available || !this.store.metrics.error) {
        this.store.setMetrics({ available: false, nodes: new Map(), pods: PodMetricsTable.EMPTY, error: (e as Error).message });
      }
    }
    if (!this.stopped) {
      // On a huge cluster one poll is 150,000 pod metrics: poll no more often than keeps the
      // servers busy with it under ~1% of the time (a poll taking 500 ms waits at least 50 s),
      // and kfleet's own CPU for reading it under ~0.33% (a poll costing 500 ms of CPU waits
      // 150 s): applying it to the views and V8 collecting it about double that, so an idle
      // kfleet stays under 1%. Metrics come every few minutes on the largest clusters.
      const cpu = process.cpuUsage(cpu0); // the whole process's, while the poll ran
      const cpuMs = (cpu.user + cpu.system) / 1000;
      const interval = Math.max(this.intervalMs, Math.min(300_000, Math.max(100 * (performance.now() - t0), 300 * cpuMs)));
      traceEvent('metrics-poll', { wallMs: Math.round(performance.now() - t0), cpuMs: Math.round(cpuMs), pods: this.store.metrics.pods.size, nextMs: Math.round(interval) });
      this.timer = setTimeout(() => void this.poll(), interval);
      this.timer.unref?.();
    }
  }
}
