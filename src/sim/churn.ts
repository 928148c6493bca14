// Churn: R changes per second, a mix of pod readiness flips, pod delete + recreate and new
// events. Flips use spread copies so generated pods keep their shared JSON fragments.
import { keyOf, type Store } from './store.js';
import { isoNow, randomSuffix } from './util.js';

export class Churn {
  rate = 0;
  private timer?: NodeJS.Timeout;
  private carry = 0;
  private events: string[] = [];
  private n = 0;

  constructor(
    readonly store: Store,
    readonly remove: (resource: string, obj: any) => void,
    /** Whether the controllers run (and so replace a deleted owned pod themselves). */
    readonly controllersRunning: () => boolean = () => true,
  ) {}

  setRate(rate: number): void {
    this.rate = Math.max(0, rate);
    if (this.rate > 0 && !this.timer) {
      this.timer = setInterval(() => this.step(), 50);
      this.timer.unref();
    } else if (this.rate === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
      this.carry = 0;
    }
  }

  private step(): void {
    this.carry += this.rate / 20;
    const n = Math.floor(this.carry);
    this.carry -= n;
    for (let i = 0; i < n; i++) this.one();
  }

  private randomPod(): any | undefined {
    const ks = this.store.kind('pods');
    const keys = ks.sortedKeys();
    if (keys.length === 0) return undefined;
    return ks.map.get(keys[Math.floor(this.store.rng() * keys.length)]!)?.obj;
  }

  /** One change: 60% readiness flip, 20% delete + recreate, 20% a new event. */
  one(): void {
    const r = this.store.rng();
    const pod = this.randomPod();
    if (!pod) return;
    if (r < 0.6) this.flip(pod);
    else if (r < 0.8) this.recreate(pod);
    else this.event(pod);
  }

  private flip(pod: any): void {
    const st = pod.status ?? {};
    if (st.phase !== 'Running') return this.event(pod);
    const ready = (st.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
    const now = isoNow(this.store.now());
    const conditions = (st.conditions ?? []).map((c: any) => (c.type === 'Ready' || c.type === 'ContainersReady' ? { ...c, status: ready ? 'False' : 'True', lastTransitionTime: now } : c));
    const containerStatuses = (st.containerStatuses ?? []).map((c: any, i: number) => (i === 0 ? { ...c, ready: !ready } : c));
    this.store.put('pods', { ...pod, metadata: { ...pod.metadata }, status: { ...st, conditions, containerStatuses } });
  }

  private recreate(pod: any): void {
    const owned = (pod.metadata.ownerReferences ?? []).some((o: any) => o.controller);
    this.remove('pods', pod);
    // Its controller makes a new one; with the controllers stopped (benchmarks), churn does,
    // so the pod count stays put however long it runs.
    if (owned && this.controllersRunning()) return;
    const base = pod.metadata.name.replace(/-[a-z0-9]{5}$/, '');
    const meta = { ...pod.metadata, name: `${base}-${randomSuffix(this.store.rng)}`, creationTimestamp: undefined, uid: undefined, resourceVersion: undefined };
    delete meta.creationTimestamp;
    delete meta.uid;
    this.store.put('pods', { ...pod, metadata: meta });
  }

  private event(pod: any): void {
    const now = isoNow(this.store.now());
    const name = `${pod.metadata.name}.churn${(this.n++).toString(16)}`;
    this.store.put('events', {
      metadata: { name, namespace: pod.metadata.namespace },
      involvedObject: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid, apiVersion: 'v1', fieldPath: 'spec.containers{main}' },
      reason: 'Unhealthy', message: 'Readiness probe failed: HTTP probe failed with statuscode: 503', type: 'Warning', count: 1,
      firstTimestamp: now, lastTimestamp: now, source: { component: 'kubelet', host: pod.spec?.nodeName }, reportingComponent: 'kubelet', reportingInstance: pod.spec?.nodeName ?? '',
    });
    this.events.push(`${pod.metadata.namespace}/${name}`);
    // Keep churn's own events bounded, like the apiserver's event TTL.
    while (this.events.length > 2000) {
      const k = this.events.shift()!;
      const e = this.store.get('events', k);
      if (e) this.store.remove('events', keyOf(e));
    }
  }
}
