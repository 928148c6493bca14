// Builders for scenario objects: nodes, pods with realistic status, workloads with the
// ReplicaSets / ControllerRevisions their controllers would have made.
import type { Store } from '../store.js';
import { qosClass, revisionData, templateHash } from '../controllers.js';
import { clone, isoNow, shortHash } from '../util.js';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

export class Builder {
  constructor(readonly store: Store) {}
  ago(ms: number): string {
    return isoNow(this.store.now() - ms);
  }

  namespace(name: string, labels: Record<string, string> = {}): any {
    return this.store.load('namespaces', { metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels }, creationTimestamp: this.ago(90 * DAY) }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
  }

  node(name: string, o: { ip: string; zone: string; type: string; pool: string; cpu: string; memory: string; pods?: string; allocCpu: string; allocMemory: string; extra?: Record<string, string>; ready?: boolean; pressure?: string; unschedulable?: boolean; taints?: any[]; labels?: Record<string, string> }): any {
    const now = this.ago(0);
    const cond = (type: string, status: string, reason: string, message: string) => ({ type, status, lastHeartbeatTime: o.ready === false ? this.ago(25 * MIN) : now, lastTransitionTime: this.ago(o.ready === false && type === 'Ready' ? 25 * MIN : 30 * DAY), reason, message });
    const ready = o.ready !== false;
    const conditions = [
      o.pressure === 'MemoryPressure' ? cond('MemoryPressure', 'True', 'KubeletHasInsufficientMemory', 'kubelet has insufficient memory available') : cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      ready ? cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status') : cond('Ready', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'),
    ];
    const taints = [...(o.taints ?? [])];
    if (o.unschedulable) taints.push({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: this.ago(2 * HOUR) });
    if (!ready) taints.push({ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: this.ago(25 * MIN) }, { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: this.ago(24 * MIN) });
    const n = this.store.load('nodes', {
      metadata: {
        name, creationTimestamp: this.ago(30 * DAY),
        labels: {
          'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux', 'kubernetes.io/hostname': name, 'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux',
          'topology.kubernetes.io/zone': o.zone, 'topology.kubernetes.io/region': 'us-east-1', 'node.kubernetes.io/instance-type': o.type, 'eks.amazonaws.com/nodegroup': o.pool,
          ...(o.labels ?? {}),
        },
        annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
      },
      spec: { providerID: `aws:///${o.zone}/i-0${shortHash(name, 16)}`, ...(o.unschedulable ? { unschedulable: true } : {}), ...(taints.length ? { taints } : {}) },
      status: {
        capacity: { cpu: o.cpu, memory: o.memory, pods: o.pods ?? '58', 'ephemeral-storage': '104845292Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', ...(o.extra ?? {}) },
        allocatable: { cpu: o.allocCpu, memory: o.allocMemory, pods: o.pods ?? '58', 'ephemeral-storage': '95551679124', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', ...(o.extra ?? {}) },
        conditions,
        addresses: [{ type: 'InternalIP', address: o.ip }, { type: 'Hostname', address: name }, { type: 'InternalDNS', address: `ip-${o.ip.replace(/\./g, '-')}.ec2.internal` }],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
        nodeInfo: {
          machineID: shortHash(name + 'm', 32), systemUUID: shortHash(name + 's', 32), bootID: shortHash(name + 'b', 32), kernelVersion: '6.1.112-124.190.amzn2023.x86_64', osImage: 'Amazon Linux 2023.6.20241010',
          containerRuntimeVersion: 'containerd://1.7.22', kubeletVersion: 'v1.32.1-eks-5d632ec', kubeProxyVersion: 'v1.32.1-eks-5d632ec', operatingSystem: 'linux', architecture: 'amd64',
        },
        images: [],
      },
    });
    this.store.load('leases', { metadata: { name, namespace: 'kube-node-lease', ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: n.metadata.uid }] }, spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: new Date(this.store.now() - (ready ? 5000 : 25 * MIN)).toISOString().replace('Z', '000Z') } });
    return n;
  }

  /** A pod, with a status derived from `state`. */
  pod(ns: string, name: string, spec: any, o: {
    node?: string; labels?: Record<string, string>; annotations?: Record<string, string>; owner?: { kind: string; obj: any; apiVersion?: string };
    state?: 'running' | 'crash' | 'pull' | 'creating' | 'pending' | 'succeeded' | 'failed' | 'notready'; age?: number; restarts?: number; ip?: string;
  } = {}): any {
    const state = o.state ?? 'running';
    const age = o.age ?? 2 * DAY;
    const started = this.ago(age - 5000);
    const node = o.node ? this.store.get('nodes', o.node) : undefined;
    const hostIP = node?.status.addresses[0].address;
    const full = { restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', serviceAccountName: 'default', schedulerName: 'default-scheduler', enableServiceLinks: true, preemptionPolicy: 'PreemptLowerPriority', priority: 0, ...clone(spec), ...(o.node ? { nodeName: o.node } : {}) };
    full.tolerations ??= [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }, { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }];
    const running = state === 'running' || state === 'notready';
    const ready = state === 'running';
    const cs = (c: any, i: number) => {
      const base = { name: c.name, image: c.image, imageID: running || state === 'crash' ? `${c.image.split(':')[0]}@sha256:${shortHash(c.image, 32)}` : '', ...(running || state === 'crash' ? { containerID: `containerd://${shortHash(name + c.name, 32)}` } : {}), restartCount: 0, started: running, ready };
      if (state === 'crash' && i === 0) return { ...base, ready: false, started: false, restartCount: o.restarts ?? 7, state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 5m0s restarting failed container=${c.name} pod=${name}_${ns}(uid)` } }, lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: this.ago(3 * MIN), finishedAt: this.ago(3 * MIN - 2000), containerID: base.containerID } } };
      if (state === 'pull' && i === 0) return { ...base, state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image}"` } } };
      if (state === 'creating') return { ...base, state: { waiting: { reason: 'ContainerCreating' } } };
      if (state === 'succeeded') return { ...base, started: false, ready: false, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: started, finishedAt: this.ago(age - 60_000) } } };
      if (state === 'failed') return { ...base, started: false, ready: false, state: { terminated: { exitCode: 2, reason: 'Error', startedAt: started, finishedAt: this.ago(age - 30_000) } } };
      if (state === 'crash') return { ...base, ready: true, started: true, state: { running: { startedAt: started } } };
      return { ...base, restartCount: o.restarts ?? 0, state: { running: { startedAt: started } } };
    };
    const phase = { running: 'Running', notready: 'Running', crash: 'Running', pull: 'Pending', creating: 'Pending', pending: 'Pending', succeeded: 'Succeeded', failed: 'Failed' }[state];
    const t = (type: string, ok: boolean, reason?: string) => ({ type, status: ok ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: started, ...(reason ? { reason } : {}) });
    const conditions = state === 'pending'
      ? [{ type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: this.ago(age), reason: 'Unschedulable', message: '0/6 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 1 node(s) were unschedulable, 4 Insufficient cpu. preemption: 0/6 nodes are available: 2 Preemption is not helpful for scheduling, 4 No preemption victims found for incoming pod.' }]
      : [t('PodReadyToStartContainers', state !== 'creating' && state !== 'pull'), t('Initialized', true), t('Ready', ready, ready ? undefined : state === 'succeeded' ? 'PodCompleted' : 'ContainersNotReady'), t('ContainersReady', ready, ready ? undefined : state === 'succeeded' ? 'PodCompleted' : 'ContainersNotReady'), t('PodScheduled', true)];
    const inits = (full.initContainers ?? []).map((c: any) => {
      if (c.restartPolicy === 'Always') return { name: c.name, image: c.image, imageID: `${c.image.split(':')[0]}@sha256:${shortHash(c.image, 32)}`, containerID: `containerd://${shortHash(name + c.name, 32)}`, restartCount: 0, started: running, ready: running, state: { running: { startedAt: started } } };
      return { name: c.name, image: c.image, imageID: `${c.image.split(':')[0]}@sha256:${shortHash(c.image, 32)}`, containerID: `containerd://${shortHash(name + c.name, 32)}`, restartCount: 0, started: false, ready: true, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: started, finishedAt: started } } };
    });
    const ip = o.ip ?? (node && state !== 'pending' && state !== 'creating' ? `10.244.${hostIP.split('.')[3]}.${(parseInt(shortHash(name, 4), 36) % 200) + 10}` : undefined);
    const ownerRefs = o.owner ? [{ apiVersion: o.owner.apiVersion ?? 'apps/v1', kind: o.owner.kind, name: o.owner.obj.metadata.name, uid: o.owner.obj.metadata.uid, controller: true, blockOwnerDeletion: true }] : undefined;
    const pod = {
      metadata: { name, namespace: ns, creationTimestamp: this.ago(age), ...(o.labels ? { labels: o.labels } : {}), ...(o.annotations ? { annotations: o.annotations } : {}), ...(ownerRefs ? { ownerReferences: ownerRefs } : {}) },
      spec: full,
      status: {
        phase, conditions, ...(hostIP && state !== 'pending' ? { hostIP, hostIPs: [{ ip: hostIP }] } : {}), ...(ip ? { podIP: ip, podIPs: [{ ip }] } : {}),
        ...(state !== 'pending' ? { startTime: this.ago(age) } : {}), qosClass: '',
        ...(state !== 'pending' ? { containerStatuses: full.containers.map(cs) } : {}), ...(inits.length && state !== 'pending' ? { initContainerStatuses: inits } : {}),
      },
    };
    pod.status.qosClass = qosClass(pod);
    return this.store.load('pods', pod);
  }

  /** A Deployment with one ReplicaSet per template in `revisions` (oldest first). */
  deployment(ns: string, name: string, o: {
    replicas: number; labels: Record<string, string>; podLabels?: Record<string, string>; revisions: { spec: any; cause?: string; replicas: number; age: number }[];
    strategy?: any; paused?: boolean; revisionHistoryLimit?: number; age?: number; status?: any; annotations?: Record<string, string>;
  }): { deploy: any; rs: any[] } {
    const podLabels = o.podLabels ?? o.labels;
    const last = o.revisions[o.revisions.length - 1]!;
    const tpl = (spec: any) => ({ metadata: { labels: { ...podLabels } }, spec: clone(spec) });
    const deploy = this.store.load('deployments', {
      metadata: {
        name, namespace: ns, creationTimestamp: this.ago(o.age ?? 60 * DAY), labels: o.labels, generation: o.revisions.length + 1,
        annotations: { 'deployment.kubernetes.io/revision': String(o.revisions.length), ...(last.cause ? { 'kubernetes.io/change-cause': last.cause } : {}), ...(o.annotations ?? {}) },
      },
      spec: {
        replicas: o.replicas, selector: { matchLabels: podLabels }, template: tpl(last.spec),
        strategy: o.strategy ?? { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
        revisionHistoryLimit: o.revisionHistoryLimit ?? 10, progressDeadlineSeconds: 600, ...(o.paused ? { paused: true } : {}),
      },
      ...(o.status ? { status: o.status } : {}),
    });
    const rs = o.revisions.map((r, i) => {
      const t = tpl(r.spec);
      const hash = templateHash(t);
      t.metadata.labels['pod-template-hash'] = hash;
      return this.store.load('replicasets', {
        metadata: {
          name: `${name}-${hash}`, namespace: ns, creationTimestamp: this.ago(r.age), labels: { ...podLabels, 'pod-template-hash': hash }, generation: 1,
          annotations: { 'deployment.kubernetes.io/desired-replicas': String(o.replicas), 'deployment.kubernetes.io/max-replicas': String(o.replicas + 1), 'deployment.kubernetes.io/revision': String(i + 1), ...(r.cause ? { 'kubernetes.io/change-cause': r.cause } : {}) },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: deploy.metadata.uid, controller: true, blockOwnerDeletion: true }],
        },
        spec: { replicas: r.replicas, selector: { matchLabels: { ...podLabels, 'pod-template-hash': hash } }, template: t },
      });
    });
    return { deploy, rs };
  }

  /** A StatefulSet or DaemonSet with one ControllerRevision per template (oldest first). */
  revisioned(resource: 'statefulsets' | 'daemonsets', ns: string, name: string, o: { labels: Record<string, string>; spec: any; templates: any[]; ages: number[] }): { obj: any; revisions: any[] } {
    const tpl = (spec: any) => ({ metadata: { labels: { ...o.labels } }, spec: clone(spec) });
    const obj = this.store.load(resource, {
      metadata: { name, namespace: ns, creationTimestamp: this.ago(o.ages[0]!), labels: o.labels, generation: o.templates.length },
      spec: { ...o.spec, selector: { matchLabels: o.labels }, template: tpl(o.templates[o.templates.length - 1]), revisionHistoryLimit: 10 },
    });
    const kind = resource === 'statefulsets' ? 'StatefulSet' : 'DaemonSet';
    const revisions = o.templates.map((spec, i) => {
      const { data, hash } = revisionData(tpl(spec));
      return this.store.load('controllerrevisions', {
        metadata: { name: `${name}-${hash}`, namespace: ns, creationTimestamp: this.ago(o.ages[i]!), labels: { ...o.labels, 'controller.kubernetes.io/hash': hash }, ownerReferences: [{ apiVersion: 'apps/v1', kind, name, uid: obj.metadata.uid, controller: true, blockOwnerDeletion: true }] },
        data, revision: i + 1,
      });
    });
    return { obj, revisions };
  }

  event(ns: string, involved: any, o: { reason: string; message: string; type?: string; count?: number; first: number; last: number; component: string; host?: string; fieldPath?: string }): any {
    const name = `${involved.metadata.name}.${shortHash(o.reason + o.message, 16)}`;
    return this.store.load('events', {
      metadata: { name, namespace: ns, creationTimestamp: this.ago(o.first) },
      involvedObject: { kind: involved.kind ?? 'Pod', namespace: involved.metadata.namespace, name: involved.metadata.name, uid: involved.metadata.uid, apiVersion: involved.apiVersion ?? 'v1', resourceVersion: involved.metadata.resourceVersion, ...(o.fieldPath ? { fieldPath: o.fieldPath } : {}) },
      reason: o.reason, message: o.message, type: o.type ?? 'Warning', count: o.count ?? 1, firstTimestamp: this.ago(o.first), lastTimestamp: this.ago(o.last),
      source: { component: o.component, ...(o.host ? { host: o.host } : {}) }, reportingComponent: o.component, reportingInstance: o.host ?? '',
    });
  }
}

export function container(name: string, image: string, req?: Record<string, string>, lim?: Record<string, string>, extra: any = {}): any {
  const resources: any = {};
  if (req) resources.requests = req;
  if (lim) resources.limits = lim;
  return { name, image, imagePullPolicy: 'IfNotPresent', resources, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', ...extra };
}
