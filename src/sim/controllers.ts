// In-process emulations of the controllers the demo needs: scheduler + kubelet (pod start-up,
// crash loops, image pull failures, volume attach), ReplicaSet, Deployment, StatefulSet,
// DaemonSet. Timer driven; each reconcile writes only when the object really changes.
import { keyOf, type ChangeEvent, type Store } from './store.js';
import { matchLabels, selectorObjectToReqs } from './selectors.js';
import { clone, deepEqual, isoNow, parseQuantity, randomSuffix, shortHash, stableStringify } from './util.js';

export interface ControllerOptions {
  tickMs?: number;
  /** Delay from scheduling to Running/Ready. */
  startDelayMs?: number;
  /** How often a crash-looping container restarts again (0: never). */
  crashRestartMs?: number;
  /** progressDeadlineSeconds are multiplied by this (the sim runs faster than life). */
  progressDeadlineScale?: number;
  /** Removes the deletion-owned pods of other nodes' volumes, etc. */
  remove: (resource: string, obj: any) => void;
}

const REVISION = 'deployment.kubernetes.io/revision';
const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
const HASH = 'pod-template-hash';
// Annotations the deployment controller does not copy to its ReplicaSets.
const SKIP_ANN = new Set(['kubectl.kubernetes.io/last-applied-configuration', REVISION, REVISION_HISTORY, 'deployment.kubernetes.io/desired-replicas', 'deployment.kubernetes.io/max-replicas', 'kubernetes.io/change-cause']);

export function isBrokenImage(image: string | undefined): 'crash' | 'pull' | undefined {
  if (!image) return undefined;
  if (image.includes('does-not-exist')) return 'pull';
  if (image.endsWith(':bad') || image.includes('crash')) return 'crash';
  return undefined;
}

function ownerRef(kind: string, obj: any): any {
  return { apiVersion: 'apps/v1', kind, name: obj.metadata.name, uid: obj.metadata.uid, controller: true, blockOwnerDeletion: true };
}

function controllerOf(obj: any): any | undefined {
  return (obj.metadata.ownerReferences ?? []).find((r: any) => r.controller);
}

function templateWithoutHash(tpl: any): any {
  const t = clone(tpl ?? {});
  if (t.metadata?.labels) {
    delete t.metadata.labels[HASH];
    if (Object.keys(t.metadata.labels).length === 0) delete t.metadata.labels;
  }
  return t;
}

/** The pod-template-hash the deployment controller gives a template. */
export function templateHash(tpl: any, collisionCount = 0): string {
  return shortHash({ tpl: templateWithoutHash(tpl), c: collisionCount }, 10);
}

/** The ControllerRevision data of a StatefulSet/DaemonSet template, and its name hash. */
export function revisionData(tpl: any): { data: any; hash: string } {
  const data = { spec: { template: { ...clone(tpl), $patch: 'replace' } } };
  return { data, hash: shortHash(data, 10) };
}

// Stored objects are replaced, never mutated, so a template's comparison key can be cached.
const TEMPLATE_KEYS = new WeakMap<object, string>();
function templateKey(tpl: any): string {
  let k = TEMPLATE_KEYS.get(tpl);
  if (k === undefined) TEMPLATE_KEYS.set(tpl, (k = stableStringify(templateWithoutHash(tpl))));
  return k;
}

function intOrPercent(v: number | string | undefined, total: number, def: string, roundUp: boolean): number {
  const x = v ?? def;
  if (typeof x === 'number') return x;
  if (x.endsWith('%')) {
    const f = (parseInt(x, 10) * total) / 100;
    return roundUp ? Math.ceil(f) : Math.floor(f);
  }
  return parseInt(x, 10) || 0;
}

function podReady(p: any): boolean {
  return (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
}

function activePod(p: any): boolean {
  return !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';
}

export class Controllers {
  private timer?: NodeJS.Timeout;
  private dirty = new Map<string, Set<string>>();
  private pendingStart = new Map<string, number>(); // pod key -> time to start
  private lastCrashBump = 0;
  private unsub: () => void;
  private progressAt = new Map<string, number>(); // deployment key -> last progress time
  readonly opts: Required<Omit<ControllerOptions, 'remove'>> & Pick<ControllerOptions, 'remove'>;

  constructor(readonly store: Store, opts: ControllerOptions) {
    this.opts = { tickMs: 100, startDelayMs: 300, crashRestartMs: 15_000, progressDeadlineScale: 0.05, ...opts };
    this.unsub = store.subscribe((ev) => this.onChange(ev));
  }

  start(): void {
    if (this.timer) return;
    // Everything is dirty once at start, so scenarios need not pre-compute every status.
    // ReplicaSet statuses first: the deployment controller scales by their available counts.
    for (const rs of this.store.list('replicasets')) if (!rs.status) this.syncReplicaSet(keyOf(rs));
    for (const r of ['deployments', 'replicasets', 'statefulsets', 'daemonsets']) for (const o of this.store.list(r)) this.mark(r, keyOf(o));
    for (const p of this.store.list('pods')) if (p.status?.phase === 'Pending' || !p.spec?.nodeName) this.mark('pods', keyOf(p));
    this.lastCrashBump = this.store.now();
    this.timer = setInterval(() => this.tick(), this.opts.tickMs);
    this.timer.unref?.();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  close(): void {
    this.stop();
    this.unsub();
  }

  get running(): boolean {
    return !!this.timer;
  }

  private mark(resource: string, key: string): void {
    let s = this.dirty.get(resource);
    if (!s) this.dirty.set(resource, (s = new Set()));
    s.add(key);
  }

  private markOwner(obj: any): void {
    const ref = controllerOf(obj);
    if (!ref) return;
    const res = { ReplicaSet: 'replicasets', Deployment: 'deployments', StatefulSet: 'statefulsets', DaemonSet: 'daemonsets' }[ref.kind as string];
    if (res) this.mark(res, obj.metadata.namespace ? `${obj.metadata.namespace}/${ref.name}` : ref.name);
  }

  private onChange(ev: ChangeEvent): void {
    const { resource, obj } = ev;
    if (['deployments', 'replicasets', 'statefulsets', 'daemonsets', 'pods'].includes(resource)) {
      if (ev.type !== 'DELETED') this.mark(resource, keyOf(obj));
      this.markOwner(obj);
    }
    if (resource === 'nodes') for (const d of this.store.list('daemonsets')) this.mark('daemonsets', keyOf(d));
    if (resource === 'volumeattachments' && ev.type === 'DELETED') {
      for (const p of this.store.list('pods')) if (p.status?.phase === 'Pending' && p.spec?.nodeName) this.pendingStart.set(keyOf(p), this.store.now() + this.opts.startDelayMs);
    }
    if (resource === 'pods' && ev.type === 'DELETED') for (const va of this.store.list('volumeattachments')) this.mark('volumeattachments', va.metadata.name);
  }

  /** One pass of every controller over what changed. */
  tick(): void {
    this.usedCpu = undefined;
    // A bounded amount of work per tick keeps the server responsive on huge clusters.
    const deadline = performance.now() + 25;
    let budget = 1;
    const take = (resource: string, fn: (k: string) => void) => {
      const set = this.dirty.get(resource);
      if (!set) return;
      for (const k of set) {
        if (performance.now() > deadline) return void (budget = 0);
        set.delete(k);
        fn(k);
      }
      if (set.size === 0) this.dirty.delete(resource);
    };
    for (let round = 0; round < 4 && this.dirty.size && budget > 0; round++) {
      take('deployments', (k) => this.syncDeployment(k));
      take('replicasets', (k) => this.syncReplicaSet(k));
      take('statefulsets', (k) => this.syncStatefulSet(k));
      take('daemonsets', (k) => this.syncDaemonSet(k));
      take('pods', (k) => this.syncPod(k));
      if (this.dirty.delete('volumeattachments')) this.syncAttachments();
    }
    const now = this.store.now();
    for (const [k, at] of this.pendingStart) {
      if (at > now) continue;
      this.pendingStart.delete(k);
      this.startPod(k);
    }
    if (this.opts.crashRestartMs > 0 && now - this.lastCrashBump >= this.opts.crashRestartMs) {
      this.lastCrashBump = now;
      this.bumpCrashLoops();
    }
    // Progress deadlines are time based: re-check deployments that are not complete.
    for (const k of this.progressAt.keys()) this.mark('deployments', k);
  }

  /** Writes obj unless it equals the stored one (ignoring resourceVersion). */
  private update(resource: string, obj: any): any {
    const cur = this.store.get(resource, keyOf(obj));
    if (cur) {
      const a = { ...obj, metadata: { ...obj.metadata, resourceVersion: '' } };
      const b = { ...cur, metadata: { ...cur.metadata, resourceVersion: '' } };
      if (stableStringify(a) === stableStringify(b)) return cur;
    }
    return this.store.put(resource, obj);
  }

  // ---- pods: scheduler and kubelet -------------------------------------------------------------

  private syncPod(key: string): void {
    const pod = this.store.get('pods', key);
    if (!pod || !activePod(pod)) return;
    if (!pod.spec.nodeName) {
      const node = this.pickNode(pod);
      if (!node) return;
      const p = clone(pod);
      p.spec.nodeName = node.metadata.name;
      p.status = {
        ...(p.status ?? {}),
        phase: 'Pending',
        hostIP: nodeIP(node),
        conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: isoNow(this.store.now()) }],
        qosClass: p.status?.qosClass ?? qosClass(p),
        containerStatuses: p.spec.containers.map((c: any) => ({ name: c.name, image: c.image, imageID: '', ready: false, restartCount: 0, started: false, state: { waiting: { reason: 'ContainerCreating' } } })),
      };
      this.store.put('pods', p);
      this.pendingStart.set(key, this.store.now() + this.opts.startDelayMs);
      return;
    }
    const waiting = (pod.status?.containerStatuses ?? []).every((c: any) => c.state?.waiting?.reason === 'ContainerCreating');
    if (pod.status?.phase === 'Pending' && waiting && !this.pendingStart.has(key)) this.pendingStart.set(key, this.store.now() + this.opts.startDelayMs);
  }

  private pickNode(pod: any): any | undefined {
    // Requested CPU per node, computed once per tick and kept up to date as pods are placed.
    const used = (this.usedCpu ??= this.computeUsedCpu());
    let want = 0;
    for (const c of pod.spec.containers ?? []) want += parseQuantity(c.resources?.requests?.cpu);
    const nodes = this.store.list('nodes').filter((n) => {
      if (n.spec?.unschedulable) return false;
      if ((used.get(n.metadata.name) ?? 0) + want > parseQuantity(n.status?.allocatable?.cpu ?? '1000')) return false;
      const ready = (n.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
      if (ready && ready.status !== 'True') return false;
      for (const t of n.spec?.taints ?? []) {
        if (t.effect !== 'NoSchedule' && t.effect !== 'NoExecute') continue;
        if (!(pod.spec.tolerations ?? []).some((tol: any) => tol.operator === 'Exists' ? !tol.key || tol.key === t.key : tol.key === t.key && tol.value === t.value)) return false;
      }
      for (const [k, v] of Object.entries(pod.spec.nodeSelector ?? {})) if (n.metadata.labels?.[k] !== v) return false;
      return true;
    });
    if (nodes.length === 0) return undefined;
    // Least requested CPU share first (spread), by name for ties: deterministic.
    const share = (n: any) => (used.get(n.metadata.name) ?? 0) / (parseQuantity(n.status?.allocatable?.cpu) || 1);
    nodes.sort((a, b) => share(a) - share(b) || (a.metadata.name < b.metadata.name ? -1 : 1));
    used.set(nodes[0].metadata.name, (used.get(nodes[0].metadata.name) ?? 0) + want);
    return nodes[0];
  }

  private usedCpu?: Map<string, number>;
  private computeUsedCpu(): Map<string, number> {
    const used = new Map<string, number>();
    for (const p of this.store.list('pods')) {
      if (!p.spec?.nodeName || !activePod(p)) continue;
      let cpu = 0;
      for (const c of p.spec.containers ?? []) cpu += parseQuantity(c.resources?.requests?.cpu);
      used.set(p.spec.nodeName, (used.get(p.spec.nodeName) ?? 0) + cpu);
    }
    return used;
  }

  /** A pod may start unless one of its PVCs' volumes is attached to another node. */
  private volumeBlocked(pod: any): boolean {
    for (const v of pod.spec.volumes ?? []) {
      const claim = v.persistentVolumeClaim?.claimName;
      if (!claim) continue;
      const pvc = this.store.getNs('persistentvolumeclaims', claim, pod.metadata.namespace);
      const pv = pvc?.spec?.volumeName;
      if (!pv) continue;
      if (this.store.list('volumeattachments').some((va) => va.spec?.source?.persistentVolumeName === pv && va.spec.nodeName !== pod.spec.nodeName && va.status?.attached)) return true;
    }
    return false;
  }

  private startPod(key: string): void {
    const pod = this.store.get('pods', key);
    if (!pod || !activePod(pod) || pod.status?.phase !== 'Pending' || !pod.spec.nodeName) return;
    if (this.volumeBlocked(pod)) return;
    const now = isoNow(this.store.now());
    const p = clone(pod);
    const node = this.store.get('nodes', p.spec.nodeName);
    this.attachVolumes(p);
    let allReady = true;
    p.status.containerStatuses = p.spec.containers.map((c: any) => {
      const broken = isBrokenImage(c.image);
      if (broken === 'pull') {
        allReady = false;
        return { name: c.name, image: c.image, imageID: '', ready: false, restartCount: 0, started: false, state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image}"` } } };
      }
      if (broken === 'crash') {
        allReady = false;
        return {
          name: c.name, image: c.image, imageID: `docker-pullable://${c.image}@sha256:${shortHash(c.image, 20)}`, containerID: `containerd://${shortHash(key + c.name, 32)}`, ready: false, restartCount: 1, started: false,
          state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 10s restarting failed container=${c.name} pod=${p.metadata.name}_${p.metadata.namespace}(${p.metadata.uid})` } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: now, finishedAt: now, containerID: `containerd://${shortHash(key + c.name, 32)}` } },
        };
      }
      return { name: c.name, image: c.image, imageID: `docker-pullable://${c.image}@sha256:${shortHash(c.image, 20)}`, containerID: `containerd://${shortHash(key + c.name, 32)}`, ready: true, restartCount: 0, started: true, state: { running: { startedAt: now } } };
    });
    p.status.phase = 'Running';
    p.status.startTime ??= now;
    p.status.podIP ??= podIP(this.store, node);
    p.status.podIPs = [{ ip: p.status.podIP }];
    const cond = (type: string, ok: boolean) => ({ type, status: ok ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: now, ...(ok ? {} : { reason: 'ContainersNotReady', message: `containers with unready status: [${p.status.containerStatuses.filter((c: any) => !c.ready).map((c: any) => c.name).join(' ')}]` }) });
    p.status.conditions = [cond('PodReadyToStartContainers', true), cond('Initialized', true), cond('Ready', allReady), cond('ContainersReady', allReady), cond('PodScheduled', true)].map((c) => (c.status === 'True' ? { type: c.type, status: c.status, lastProbeTime: null, lastTransitionTime: now } : c));
    this.store.put('pods', p);
  }

  /** Attaches the pod's CSI persistent volumes to its node (VolumeAttachment + node status). */
  private attachVolumes(pod: any): void {
    for (const v of pod.spec.volumes ?? []) {
      const claim = v.persistentVolumeClaim?.claimName;
      const pvc = claim && this.store.getNs('persistentvolumeclaims', claim, pod.metadata.namespace);
      const pv = pvc?.spec?.volumeName && this.store.get('persistentvolumes', pvc.spec.volumeName);
      if (!pv?.spec?.csi) continue;
      const node = pod.spec.nodeName;
      if (this.store.list('volumeattachments').some((va) => va.spec?.source?.persistentVolumeName === pv.metadata.name && va.spec.nodeName === node)) continue;
      this.store.put('volumeattachments', {
        metadata: { name: `csi-${shortHash(pv.metadata.name + node, 32)}`, annotations: { 'csi.alpha.kubernetes.io/node-id': node } },
        spec: { attacher: pv.spec.csi.driver, nodeName: node, source: { persistentVolumeName: pv.metadata.name } },
        status: { attached: true, attachmentMetadata: { devicePath: '/dev/xvdba' } },
      });
      this.moveNodeVolume('', node, pv);
    }
  }

  private bumpCrashLoops(): void {
    const now = isoNow(this.store.now());
    for (const pod of this.store.list('pods')) {
      const css: any[] = pod.status?.containerStatuses ?? [];
      if (!css.some((c) => c.state?.waiting?.reason === 'CrashLoopBackOff')) continue;
      const p = clone(pod);
      for (const c of p.status.containerStatuses) {
        if (c.state?.waiting?.reason !== 'CrashLoopBackOff') continue;
        c.restartCount = (c.restartCount ?? 0) + 1;
        c.lastState = { terminated: { ...(c.lastState?.terminated ?? { exitCode: 1, reason: 'Error' }), startedAt: now, finishedAt: now } };
        const backoff = Math.min(300, 10 * 2 ** Math.min(5, c.restartCount - 1));
        c.state.waiting.message = `back-off ${backoff >= 60 ? `${Math.floor(backoff / 60)}m${backoff % 60 ? `${backoff % 60}s` : ''}` : `${backoff}s`} restarting failed container=${c.name} pod=${p.metadata.name}_${p.metadata.namespace}(${p.metadata.uid})`;
      }
      this.store.put('pods', p);
    }
  }

  /** Attach/detach: a volume attached to a node no pod there uses moves to the node that waits for it. */
  private syncAttachments(): void {
    for (const va of this.store.list('volumeattachments')) {
      const pvName = va.spec?.source?.persistentVolumeName;
      const pv = pvName && this.store.get('persistentvolumes', pvName);
      const claim = pv?.spec?.claimRef;
      if (!claim) continue;
      const users = this.store.list('pods', claim.namespace).filter((p) => activePod(p) && (p.spec.volumes ?? []).some((v: any) => v.persistentVolumeClaim?.claimName === claim.name));
      if (users.some((p) => p.spec.nodeName === va.spec.nodeName)) continue;
      // The attach/detach controller will not detach from an unhealthy node on its own.
      const holder = this.store.get('nodes', va.spec.nodeName);
      const ready = (holder?.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
      if (holder && ready?.status !== 'True') continue;
      const waiter = users.find((p) => p.spec.nodeName && p.status?.phase === 'Pending');
      if (!waiter) continue; // a stale attachment stays until someone deletes it
      const oldNode = va.spec.nodeName;
      this.store.remove('volumeattachments', keyOf(va));
      const name = `csi-${shortHash(pvName + waiter.spec.nodeName, 32)}`;
      this.store.put('volumeattachments', {
        metadata: { name, annotations: { 'csi.alpha.kubernetes.io/node-id': waiter.spec.nodeName } },
        spec: { attacher: va.spec.attacher, nodeName: waiter.spec.nodeName, source: { persistentVolumeName: pvName } },
        status: { attached: true, attachmentMetadata: { devicePath: '/dev/xvdba' } },
      });
      this.moveNodeVolume(oldNode, waiter.spec.nodeName, pv);
      this.mark('pods', keyOf(waiter));
      this.pendingStart.set(keyOf(waiter), this.store.now() + this.opts.startDelayMs);
    }
  }

  private moveNodeVolume(from: string, to: string, pv: any): void {
    const handle = pv.spec?.csi ? `kubernetes.io/csi/${pv.spec.csi.driver}^${pv.spec.csi.volumeHandle}` : undefined;
    if (!handle) return;
    const a = this.store.get('nodes', from);
    if (a) {
      const n = clone(a);
      n.status.volumesAttached = (n.status.volumesAttached ?? []).filter((v: any) => v.name !== handle);
      n.status.volumesInUse = (n.status.volumesInUse ?? []).filter((v: string) => v !== handle);
      this.update('nodes', n);
    }
    const b = this.store.get('nodes', to);
    if (b) {
      const n = clone(b);
      n.status.volumesAttached = [...(n.status.volumesAttached ?? []).filter((v: any) => v.name !== handle), { name: handle, devicePath: '' }];
      n.status.volumesInUse = [...(n.status.volumesInUse ?? []).filter((v: string) => v !== handle), handle];
      this.update('nodes', n);
    }
  }

  // ---- ReplicaSet ----------------------------------------------------------------------------

  private newPod(owner: any, ownerKind: string, name: string, extraLabels: Record<string, string>): any {
    const tpl = clone(owner.spec.template ?? {});
    const pod = {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name, namespace: owner.metadata.namespace, labels: { ...(tpl.metadata?.labels ?? {}), ...extraLabels }, ...(tpl.metadata?.annotations ? { annotations: tpl.metadata.annotations } : {}), ownerReferences: [ownerRef(ownerKind, owner)] },
      spec: { restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', serviceAccountName: 'default', ...tpl.spec },
      status: { phase: 'Pending' },
    };
    pod.status = { phase: 'Pending', qosClass: qosClass(pod) } as any;
    return pod;
  }

  private syncReplicaSet(key: string): void {
    const rs = this.store.get('replicasets', key);
    if (!rs) return;
    const pods = this.store.dependents('pods', rs.metadata.uid).filter(activePod);
    const want = rs.spec.replicas ?? 1;
    if (pods.length < want) {
      for (let i = pods.length; i < want; i++) {
        let name: string;
        do name = `${rs.metadata.name}-${randomSuffix(this.store.rng)}`;
        while (this.store.getNs('pods', name, rs.metadata.namespace));
        this.store.put('pods', this.newPod(rs, 'ReplicaSet', name, {}));
      }
    } else if (pods.length > want) {
      // Unscheduled, then not ready, then newest go first (like the real controller).
      const rank = (p: any) => (!p.spec.nodeName ? 0 : !podReady(p) ? 1 : 2);
      pods.sort((a, b) => rank(a) - rank(b) || (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') || (a.metadata.name < b.metadata.name ? 1 : -1));
      for (const p of pods.slice(0, pods.length - want)) this.opts.remove('pods', p);
    }
    const now = this.store.dependents('pods', rs.metadata.uid).filter(activePod);
    const ready = now.filter(podReady).length;
    const next = clone(rs);
    next.status = {
      replicas: now.length, fullyLabeledReplicas: now.length, readyReplicas: ready, availableReplicas: ready,
      observedGeneration: rs.metadata.generation ?? 1,
    };
    if (!ready) delete next.status.readyReplicas, delete next.status.availableReplicas;
    this.update('replicasets', next);
  }

  // ---- Deployment ----------------------------------------------------------------------------

  private syncDeployment(key: string): void {
    const d = this.store.get('deployments', key);
    if (!d) {
      this.progressAt.delete(key);
      return;
    }
    const ns = d.metadata.namespace;
    const all = this.store.dependents('replicasets', d.metadata.uid);
    const tpl = templateKey(d.spec.template);
    let newRS = all.find((rs) => templateKey(rs.spec.template) === tpl);
    const rev = (rs: any) => parseInt(rs.metadata.annotations?.[REVISION] ?? '0', 10) || 0;
    const maxRev = all.reduce((m, rs) => Math.max(m, rev(rs)), 0);
    const desired = d.spec.replicas ?? 1;
    const now = this.store.now();
    if (d.spec.paused) {
      this.deploymentStatus(d, all, newRS, now);
      return;
    }
    const copiedAnnotations = () => {
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries<string>(d.metadata.annotations ?? {})) if (!SKIP_ANN.has(k)) out[k] = v;
      const cause = d.metadata.annotations?.['kubernetes.io/change-cause'];
      if (cause !== undefined) out['kubernetes.io/change-cause'] = cause;
      return out;
    };
    const surge = d.spec.strategy?.type === 'Recreate' ? 0 : intOrPercent(d.spec.strategy?.rollingUpdate?.maxSurge, desired, '25%', true);
    if (!newRS) {
      const hash = templateHash(d.spec.template, d.status?.collisionCount ?? 0);
      void tpl;
      const labels = { ...(d.spec.template.metadata?.labels ?? {}), [HASH]: hash };
      const rsTpl = clone(d.spec.template);
      rsTpl.metadata = { ...(rsTpl.metadata ?? {}), labels };
      newRS = this.store.put('replicasets', {
        metadata: {
          name: `${d.metadata.name}-${hash}`, namespace: ns, labels,
          annotations: { ...copiedAnnotations(), 'deployment.kubernetes.io/desired-replicas': String(desired), 'deployment.kubernetes.io/max-replicas': String(desired + surge), [REVISION]: String(maxRev + 1) },
          ownerReferences: [ownerRef('Deployment', d)],
        },
        spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector: { ...d.spec.selector, matchLabels: { ...(d.spec.selector?.matchLabels ?? {}), [HASH]: hash } }, template: rsTpl },
      });
      this.progressAt.set(key, now);
    } else if (rev(newRS) < maxRev) {
      // An old template came back (rollout undo): the old ReplicaSet gets the next revision.
      const rs = clone(newRS);
      const hist = rs.metadata.annotations?.[REVISION_HISTORY];
      const old = String(rev(newRS));
      rs.metadata.annotations = { ...(rs.metadata.annotations ?? {}), ...copiedAnnotations(), [REVISION]: String(maxRev + 1), [REVISION_HISTORY]: hist ? `${hist},${old}` : old };
      if (d.metadata.annotations?.['kubernetes.io/change-cause'] === undefined) delete rs.metadata.annotations['kubernetes.io/change-cause'];
      newRS = this.store.put('replicasets', rs);
      this.progressAt.set(key, now);
    }
    const olds = all.filter((rs) => rs.metadata.uid !== newRS.metadata.uid);
    const replicasOf = (rs: any) => rs.spec.replicas ?? 0;
    const scale = (rs: any, n: number) => {
      if (replicasOf(rs) === n) return rs;
      const r = clone(rs);
      r.spec.replicas = n;
      r.metadata.annotations = { ...(r.metadata.annotations ?? {}), 'deployment.kubernetes.io/desired-replicas': String(desired), 'deployment.kubernetes.io/max-replicas': String(desired + surge) };
      this.progressAt.set(key, now);
      return this.store.put('replicasets', r);
    };
    const available = (rs: any) => rs.status?.availableReplicas ?? 0;
    if (d.spec.strategy?.type === 'Recreate') {
      for (const rs of olds) scale(rs, 0);
      const oldPods = olds.some((rs) => this.store.dependents('pods', rs.metadata.uid).some(activePod));
      if (!oldPods) newRS = scale(newRS, desired);
    } else {
      const maxUnavail = intOrPercent(d.spec.strategy?.rollingUpdate?.maxUnavailable, desired, '25%', false) || (surge === 0 ? 1 : 0);
      let total = all.reduce((s, rs) => s + replicasOf(rs === newRS ? newRS : rs), 0);
      total = olds.reduce((s, rs) => s + replicasOf(rs), 0) + replicasOf(newRS);
      if (replicasOf(newRS) > desired) newRS = scale(newRS, desired);
      else if (replicasOf(newRS) < desired) {
        const room = desired + surge - total;
        if (room > 0) newRS = scale(newRS, Math.min(desired, replicasOf(newRS) + room));
      }
      // Old ReplicaSets: drop unavailable replicas first, then as many as availability allows.
      const minAvailable = desired - maxUnavail;
      const allAvailable = available(newRS) + olds.reduce((s, rs) => s + available(rs), 0);
      let canRemove = allAvailable - minAvailable;
      for (const rs of [...olds].sort((a, b) => rev(a) - rev(b))) {
        let n = replicasOf(rs);
        const unavailable = Math.max(0, n - available(rs));
        n -= unavailable;
        const drop = Math.max(0, Math.min(n, canRemove));
        n -= drop;
        canRemove -= drop;
        scale(rs, n);
      }
    }
    // Keep revisionHistoryLimit old ReplicaSets with no replicas; delete the oldest beyond it.
    const limit = d.spec.revisionHistoryLimit ?? 10;
    const idle = this.store.dependents('replicasets', d.metadata.uid).filter((rs) => rs.metadata.uid !== newRS.metadata.uid && (rs.spec.replicas ?? 0) === 0 && !(rs.status?.replicas ?? 0)).sort((a, b) => rev(a) - rev(b));
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) this.opts.remove('replicasets', rs);
    const dd = this.store.get('deployments', key);
    if (dd.metadata.annotations?.[REVISION] !== newRS.metadata.annotations[REVISION]) {
      const n = clone(dd);
      n.metadata.annotations = { ...(n.metadata.annotations ?? {}), [REVISION]: newRS.metadata.annotations[REVISION] };
      this.store.put('deployments', n);
    }
    this.deploymentStatus(this.store.get('deployments', key), this.store.dependents('replicasets', d.metadata.uid), this.store.get('replicasets', keyOf(newRS)), now);
  }

  private deploymentStatus(d: any, all: any[], newRS: any | undefined, now: number): void {
    const key = keyOf(d);
    const desired = d.spec.replicas ?? 1;
    const sum = (f: (rs: any) => number) => all.reduce((s, rs) => s + f(rs), 0);
    const replicas = sum((rs) => rs.status?.replicas ?? 0);
    const ready = sum((rs) => rs.status?.readyReplicas ?? 0);
    const availableN = sum((rs) => rs.status?.availableReplicas ?? 0);
    const updated = newRS?.status?.replicas ?? 0;
    const maxUnavail = d.spec.strategy?.type === 'Recreate' ? 0 : intOrPercent(d.spec.strategy?.rollingUpdate?.maxUnavailable, desired, '25%', false);
    const ts = isoNow(now);
    const prevConds: any[] = d.status?.conditions ?? [];
    const cond = (type: string, status: string, reason: string, message: string) => {
      const prev = prevConds.find((c) => c.type === type);
      const same = prev && prev.status === status && prev.reason === reason && prev.message === message;
      return same ? prev : { type, status, lastUpdateTime: ts, lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime : ts, reason, message };
    };
    const availableCond = availableN >= desired - maxUnavail
      ? cond('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
      : cond('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.');
    const complete = newRS && updated === desired && availableN === desired && replicas === desired && (newRS.status?.availableReplicas ?? 0) === desired;
    let progressing: any;
    const rsName = newRS?.metadata.name ?? d.metadata.name;
    if (d.spec.paused) {
      progressing = cond('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused');
      this.progressAt.delete(key);
    } else if (complete) {
      progressing = cond('Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${rsName}" has successfully progressed.`);
      this.progressAt.delete(key);
    } else {
      const prevP = prevConds.find((c) => c.type === 'Progressing');
      if (!this.progressAt.has(key)) this.progressAt.set(key, prevP?.reason === 'ProgressDeadlineExceeded' ? 0 : Date.parse(prevP?.lastUpdateTime ?? '') || now);
      const deadline = (d.spec.progressDeadlineSeconds ?? 600) * 1000 * this.opts.progressDeadlineScale;
      const last = this.progressAt.get(key)!;
      if (prevP?.reason === 'ProgressDeadlineExceeded' && last === 0) progressing = prevP;
      else if (now - last > deadline) progressing = cond('Progressing', 'False', 'ProgressDeadlineExceeded', `ReplicaSet "${rsName}" has timed out progressing.`);
      else progressing = cond('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${rsName}" is progressing.`);
    }
    const next = clone(d);
    next.status = {
      observedGeneration: d.metadata.generation ?? 1, replicas, updatedReplicas: updated, readyReplicas: ready, availableReplicas: availableN,
      ...(replicas - availableN > 0 || desired - availableN > 0 ? { unavailableReplicas: Math.max(replicas, desired) - availableN } : {}),
      conditions: [availableCond, progressing],
      ...(d.status?.collisionCount ? { collisionCount: d.status.collisionCount } : {}),
    };
    for (const k of ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas'] as const) if (!next.status[k]) delete next.status[k];
    this.update('deployments', next);
  }

  // ---- ControllerRevisions (StatefulSet, DaemonSet) --------------------------------------------

  /** The ControllerRevision for the owner's current template, re-numbered if an old one returns. */
  private currentRevision(owner: any, kind: string): any {
    const { data, hash } = revisionData(owner.spec.template);
    const revs = this.store.dependents('controllerrevisions', owner.metadata.uid);
    const maxRev = revs.reduce((m, r) => Math.max(m, r.revision ?? 0), 0);
    const match = revs.find((r) => deepEqual(r.data, data));
    if (match) {
      if (match.revision === maxRev) return match;
      const r = clone(match);
      r.revision = maxRev + 1;
      return this.store.put('controllerrevisions', r);
    }
    const labels = { ...(owner.spec.selector?.matchLabels ?? owner.spec.template.metadata?.labels ?? {}), 'controller.kubernetes.io/hash': hash };
    return this.store.put('controllerrevisions', {
      metadata: { name: `${owner.metadata.name}-${hash}`, namespace: owner.metadata.namespace, labels, ownerReferences: [ownerRef(kind, owner)] },
      data, revision: maxRev + 1,
    });
  }

  private pruneRevisions(owner: any, keep: Set<string>): void {
    const limit = owner.spec.revisionHistoryLimit ?? 10;
    const revs = this.store.dependents('controllerrevisions', owner.metadata.uid).filter((r) => !keep.has(r.metadata.name)).sort((a, b) => a.revision - b.revision);
    for (const r of revs.slice(0, Math.max(0, revs.length - limit))) this.opts.remove('controllerrevisions', r);
  }

  private syncStatefulSet(key: string): void {
    const sts = this.store.get('statefulsets', key);
    if (!sts) return;
    const cr = this.currentRevision(sts, 'StatefulSet');
    const updateRevision = cr.metadata.name;
    const want = sts.spec.replicas ?? 1;
    const pods = this.store.dependents('pods', sts.metadata.uid).filter(activePod);
    const byOrdinal = new Map(pods.map((p) => [parseInt(p.metadata.name.slice(sts.metadata.name.length + 1), 10), p]));
    for (const [i, p] of byOrdinal) if (i >= want) this.opts.remove('pods', p);
    // Create missing ordinals; replace one outdated pod at a time, highest ordinal first, once the others are ready.
    let busy = false;
    for (let i = 0; i < want; i++) {
      if (!byOrdinal.has(i)) {
        const p = this.newPod(sts, 'StatefulSet', `${sts.metadata.name}-${i}`, { 'controller-revision-hash': updateRevision, 'statefulset.kubernetes.io/pod-name': `${sts.metadata.name}-${i}`, 'apps.kubernetes.io/pod-index': String(i) });
        p.spec.hostname = p.metadata.name;
        if (sts.spec.serviceName) p.spec.subdomain = sts.spec.serviceName;
        this.store.put('pods', p);
        busy = true;
      } else if (!podReady(byOrdinal.get(i)) && !isBrokenImage(byOrdinal.get(i).spec.containers[0]?.image)) busy = true;
    }
    if (!busy && (sts.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
      const partition = sts.spec.updateStrategy?.rollingUpdate?.partition ?? 0;
      for (let i = want - 1; i >= partition; i--) {
        const p = byOrdinal.get(i);
        if (p && p.metadata.labels?.['controller-revision-hash'] !== updateRevision) {
          this.opts.remove('pods', p);
          this.mark('statefulsets', key);
          break;
        }
      }
    }
    const now = this.store.dependents('pods', sts.metadata.uid).filter(activePod);
    const updated = now.filter((p) => p.metadata.labels?.['controller-revision-hash'] === updateRevision).length;
    const ready = now.filter(podReady).length;
    const prevCurrent = sts.status?.currentRevision ?? updateRevision;
    const currentRevision = updated === want && now.length === want ? updateRevision : prevCurrent;
    const next = clone(this.store.get('statefulsets', key));
    next.status = {
      observedGeneration: sts.metadata.generation ?? 1, replicas: now.length, readyReplicas: ready, availableReplicas: ready,
      currentReplicas: now.filter((p) => p.metadata.labels?.['controller-revision-hash'] === currentRevision).length, updatedReplicas: updated,
      currentRevision, updateRevision, collisionCount: sts.status?.collisionCount ?? 0,
    };
    for (const k of ['readyReplicas', 'currentReplicas', 'updatedReplicas'] as const) if (!next.status[k]) delete next.status[k];
    this.update('statefulsets', next);
    this.pruneRevisions(sts, new Set([currentRevision, updateRevision]));
  }

  private syncDaemonSet(key: string): void {
    const ds = this.store.get('daemonsets', key);
    if (!ds) return;
    const cr = this.currentRevision(ds, 'DaemonSet');
    const hash = cr.metadata.labels['controller.kubernetes.io/hash'];
    const nodes = this.store.list('nodes').filter((n) => {
      for (const [k, v] of Object.entries(ds.spec.template.spec?.nodeSelector ?? {})) if (n.metadata.labels?.[k] !== v) return false;
      const tols = ds.spec.template.spec?.tolerations ?? [];
      return (n.spec?.taints ?? []).every((t: any) => t.effect === 'PreferNoSchedule' || tols.some((tol: any) => tol.operator === 'Exists' && (!tol.key || tol.key === t.key)) || t.key.startsWith('node.kubernetes.io/'));
    });
    const pods = this.store.dependents('pods', ds.metadata.uid).filter(activePod);
    const onNode = new Map<string, any>(pods.map((p) => [p.spec.nodeName, p]));
    const names = new Set(nodes.map((n) => n.metadata.name));
    for (const p of pods) if (!names.has(p.spec.nodeName)) this.opts.remove('pods', p);
    let replaced = false;
    for (const n of nodes) {
      const p = onNode.get(n.metadata.name);
      if (p && p.metadata.labels?.['controller-revision-hash'] === hash) continue;
      if (p) {
        if (replaced) continue; // maxUnavailable 1: one node at a time
        this.opts.remove('pods', p);
        replaced = true;
        this.mark('daemonsets', key);
        continue;
      }
      let name: string;
      do name = `${ds.metadata.name}-${randomSuffix(this.store.rng)}`;
      while (this.store.getNs('pods', name, ds.metadata.namespace));
      const pod = this.newPod(ds, 'DaemonSet', name, { 'controller-revision-hash': hash, 'pod-template-generation': String(ds.metadata.generation ?? 1) });
      pod.spec.nodeName = n.metadata.name;
      pod.status = { ...pod.status, hostIP: nodeIP(n) };
      this.store.put('pods', pod);
    }
    const now = this.store.dependents('pods', ds.metadata.uid).filter(activePod);
    const ready = now.filter(podReady).length;
    const updated = now.filter((p) => p.metadata.labels?.['controller-revision-hash'] === hash).length;
    const next = clone(this.store.get('daemonsets', key));
    next.status = {
      currentNumberScheduled: now.length, desiredNumberScheduled: nodes.length, numberMisscheduled: 0, numberReady: ready,
      observedGeneration: ds.metadata.generation ?? 1, updatedNumberScheduled: updated, numberAvailable: ready,
      ...(nodes.length - ready > 0 ? { numberUnavailable: nodes.length - ready } : {}),
    };
    if (!ready) delete next.status.numberAvailable;
    this.update('daemonsets', next);
    this.pruneRevisions(ds, new Set([cr.metadata.name]));
  }
}

export function qosClass(pod: any): string {
  const cs = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of cs) {
    const r = c.resources?.requests ?? {};
    const l = c.resources?.limits ?? {};
    if (Object.keys(r).length || Object.keys(l).length) any = true;
    for (const res of ['cpu', 'memory']) {
      if (!l[res] || (r[res] !== undefined && parseQuantity(r[res]) !== parseQuantity(l[res]))) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

export function nodeIP(node: any): string {
  return (node?.status?.addresses ?? []).find((a: any) => a.type === 'InternalIP')?.address ?? '10.0.0.1';
}

let ipCounter = 0;
function podIP(store: Store, node: any): string {
  const base = nodeIP(node).split('.');
  ipCounter = (ipCounter + 1) % 250;
  return `10.244.${base[3] ?? '0'}.${(ipCounter + Math.floor(store.rng() * 3)) % 250 + 2}`;
}
