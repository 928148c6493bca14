/*
 * Scenario "incident": the demo cluster, mid-incident. Other tests and views rely on these
 * names and numbers; change them only together with those tests.
 *
 * NODES (6; zone / instance type / pool label eks.amazonaws.com/nodegroup):
 *   worker-a  us-east-1a m5.xlarge  general  alloc cpu 3920m mem 15136052Ki pods 58  Ready
 *   worker-b  us-east-1b m5.xlarge  general  alloc cpu 3920m mem 15136052Ki          Ready
 *   worker-c  us-east-1c m5.large   general  alloc cpu 1930m mem 7000552Ki  pods 29  Ready, limits overcommitted (>100% CPU and memory)
 *   worker-d  us-east-1a m5.xlarge  batch    cordoned (spec.unschedulable) + taint dedicated=batch:NoSchedule
 *   worker-e  us-east-1b m5.xlarge  general  NotReady (Ready=Unknown), MemoryPressure=True, unreachable taints
 *   gpu-f     us-east-1c g5.2xlarge gpu      alloc cpu 7910m mem 31452288Ki nvidia.com/gpu 1, taint nvidia.com/gpu=present:NoSchedule
 *   Each node has a Lease in kube-node-lease.
 *
 * gpu-f "Allocated resources" (kubectl describe node), hand-computed:
 *   pods: monitoring/node-exporter-* (50m/64Mi req, 100m/128Mi lim) and payments/fraud-model
 *   (sidecar init log-shipper 100m/128Mi req 200m/256Mi lim; init fetch-model 2/1Gi req 2/1Gi lim;
 *   app model 1500m/6Gi req 2/8Gi lim + nvidia.com/gpu 1; overhead 250m/120Mi)
 *   => cpu requests 2400m (30%), cpu limits 2550m (32%), memory requests 6456Mi (21%),
 *      memory limits 8696Mi (28%), nvidia.com/gpu 1 / 1.
 *
 * NAMESPACES: default, kube-system, kube-node-lease, shop, payments, monitoring, analytics, data.
 *
 * WORKLOADS
 *   shop/checkout   Deployment, 3 replicas, RollingUpdate 25%/25%, revisionHistoryLimit 10.
 *                   rev 1 image registry.example.com/shop/checkout:1.4.0 (RS replicas 0)
 *                   rev 2 image ...:1.5.0 (RS replicas 3, 3 Running pods on worker-a/b/c)
 *                   rev 3 image ...:1.6.0-crash (RS replicas 1, 1 pod CrashLoopBackOff on worker-a, restarts 9)
 *                   each RS has kubernetes.io/change-cause "kubectl set image deployment/checkout checkout=<image>";
 *                   status Progressing=False ProgressDeadlineExceeded. `rollout undo` -> rev 2's template, RS renumbered to 4.
 *   shop/frontend   Deployment 2/2 healthy (app.kubernetes.io/name=frontend, app.kubernetes.io/component=web).
 *   shop/recommender Deployment paused (spec.paused), 1 replica (app=recommender, tier=backend).
 *   shop/cart       Deployment 1 replica, RollingUpdate, mounts PVC shop/cart-data (RWO): conflict 1 below.
 *   analytics/reports Deployment 1 replica, mounts PVC analytics/reports-cache (RWO): conflict 2 below.
 *   payments/api    Deployment 2 replicas (application=payments-api, component=api), init container
 *                   `migrate` + sidecar (restartable init) `istio-proxy`.
 *   payments/ledger StatefulSet 3 replicas, ControllerRevisions rev 1 (ledger:2.0.1) and rev 2 (ledger:2.1.0, current);
 *                   pods ledger-0..2 on worker-a/b/c.
 *   monitoring/node-exporter DaemonSet, ControllerRevisions rev 1 (v1.7.0) and rev 2 (v1.8.2, current); one pod per node (6).
 *   kube-system/coredns Deployment 2 replicas (k8s-app=kube-dns).
 *   Standalone pods: monitoring/grafana (pod-level spec.resources, worker-b), payments/fraud-model (gpu-f, overhead,
 *   nvidia.com/gpu), payments/wal-archiver (RWOP PVC payments/ledger-wal, worker-b), kube-system/debug-shell
 *   (BestEffort, no labels, worker-c), shop/db-migrate-28930 (Succeeded, worker-a, 1 cpu/2Gi),
 *   shop/report-gen-28931 (Failed, worker-b), data/spark-worker-1 and -2 (worker-c, limits 3 cpu/6Gi each),
 *   data/backfill-7d (worker-d), shop/legacy-importer (worker-e), shop/search-indexer (Pending, unschedulable, 6 cpu).
 *
 * VOLUMES (StorageClass gp3, provisioner ebs.csi.aws.com, WaitForFirstConsumer)
 *   conflict 1 (holder pod): PVC shop/cart-data RWO -> PV pvc-4f1c2d3e-0a1b-4c5d-8e9f-1a2b3c4d5e6f
 *     (volumeHandle vol-0a1b2c3d4e5f60718); VolumeAttachment attached to worker-a; old pod shop/cart-<rev1>-hq7xk
 *     Running on worker-a; new pod shop/cart-<rev2>-m4v9t Pending/ContainerCreating on worker-b; events on the new pod:
 *     FailedAttachVolume "Multi-Attach error for volume "pvc-4f1c..." Volume is already used by pod(s) cart-<rev1>-hq7xk" (x14)
 *     and FailedMount. worker-a status.volumesAttached/volumesInUse list kubernetes.io/csi/ebs.csi.aws.com^vol-0a1b2c3d4e5f60718.
 *   conflict 2 (stale attachment, no pod): PVC analytics/reports-cache RWO -> PV pvc-9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a
 *     (vol-0f9e8d7c6b5a49382); VolumeAttachment attached to worker-e (NotReady), no pod there uses it; new pod
 *     analytics/reports-<rev1>-t8w2n ContainerCreating on worker-c; events FailedAttachVolume "Multi-Attach error for
 *     volume "pvc-9e8d..." Volume is already exclusively attached to one node and can't be attached to another" (x9) and
 *     the newer form (kubernetes PR #138837) "Waiting for detach for volume "pvc-9e8d..." Volume is already exclusively attached
 *     to one node, waiting on detach before it can be attached to another node" (x3). worker-e volumesAttached
 *     lists it, volumesInUse does not.
 *   RWOP: PVC payments/ledger-wal ReadWriteOncePod -> PV pvc-1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f, used by
 *     payments/wal-archiver on worker-b, attached to worker-b (healthy).
 *
 * WARNING EVENTS: BackOff (checkout crash pod, x42), FailedScheduling (search-indexer, x18), Unhealthy (a frontend pod, x3),
 *   NodeNotReady (worker-e, Normal), FailedAttachVolume x3 (above), FailedMount (cart new pod).
 */
import type { Store } from '../store.js';
import { Builder, container, DAY, HOUR, MIN } from './build.js';

const M5 = { cpu: '4', memory: '16069940Ki', allocCpu: '3920m', allocMemory: '15136052Ki', type: 'm5.xlarge' };

export function incident(store: Store): void {
  const b = new Builder(store);
  for (const ns of ['default', 'kube-system', 'kube-node-lease', 'shop', 'payments', 'monitoring', 'analytics', 'data']) b.namespace(ns);

  b.node('worker-a', { ...M5, ip: '10.0.1.11', zone: 'us-east-1a', pool: 'general' });
  b.node('worker-b', { ...M5, ip: '10.0.2.12', zone: 'us-east-1b', pool: 'general' });
  b.node('worker-c', { cpu: '2', memory: '7934440Ki', allocCpu: '1930m', allocMemory: '7000552Ki', pods: '29', type: 'm5.large', ip: '10.0.3.13', zone: 'us-east-1c', pool: 'general' });
  b.node('worker-d', { ...M5, ip: '10.0.1.14', zone: 'us-east-1a', pool: 'batch', unschedulable: true, taints: [{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' }] });
  b.node('worker-e', { ...M5, ip: '10.0.2.15', zone: 'us-east-1b', pool: 'general', ready: false, pressure: 'MemoryPressure' });
  b.node('gpu-f', { cpu: '8', memory: '32386176Ki', allocCpu: '7910m', allocMemory: '31452288Ki', type: 'g5.2xlarge', ip: '10.0.3.16', zone: 'us-east-1c', pool: 'gpu', extra: { 'nvidia.com/gpu': '1' }, taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }] });

  // ---- shop/checkout: revision 3 crash-loops ----
  const checkoutSpec = (tag: string) => ({ containers: [container('checkout', `registry.example.com/shop/checkout:${tag}`, { cpu: '250m', memory: '256Mi' }, { cpu: '500m', memory: '512Mi' }, { ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }], env: [{ name: 'LOG_LEVEL', value: 'info' }] })] });
  const cause = (tag: string) => `kubectl set image deployment/checkout checkout=registry.example.com/shop/checkout:${tag}`;
  const checkoutLabels = { 'app.kubernetes.io/name': 'checkout', 'app.kubernetes.io/component': 'api', 'app.kubernetes.io/part-of': 'shop' };
  const checkout = b.deployment('shop', 'checkout', {
    replicas: 3, labels: checkoutLabels,
    revisions: [
      { spec: checkoutSpec('1.4.0'), cause: cause('1.4.0'), replicas: 0, age: 20 * DAY },
      { spec: checkoutSpec('1.5.0'), cause: cause('1.5.0'), replicas: 3, age: 6 * DAY },
      { spec: checkoutSpec('1.6.0-crash'), cause: cause('1.6.0-crash'), replicas: 1, age: 40 * MIN },
    ],
    status: {
      observedGeneration: 4, replicas: 4, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 1,
      conditions: [
        { type: 'Available', status: 'True', lastUpdateTime: b.ago(6 * DAY), lastTransitionTime: b.ago(6 * DAY), reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
        { type: 'Progressing', status: 'False', lastUpdateTime: b.ago(30 * MIN), lastTransitionTime: b.ago(30 * MIN), reason: 'ProgressDeadlineExceeded', message: '' },
      ],
    },
  });
  const [, rs2, rs3] = checkout.rs;
  checkout.deploy.status.conditions[1].message = `ReplicaSet "${rs3.metadata.name}" has timed out progressing.`;
  const podOf = (rs: any, sfx: string) => `${rs.metadata.name}-${sfx}`;
  const rsLabels = (rs: any) => rs.spec.template.metadata.labels;
  const checkoutPods = [['worker-a', 'x7k2p'], ['worker-b', 'b9d4q'], ['worker-c', 'r5t8z']].map(([node, sfx]) =>
    b.pod('shop', podOf(rs2, sfx!), rs2.spec.template.spec, { node, labels: rsLabels(rs2), owner: { kind: 'ReplicaSet', obj: rs2 }, age: 6 * DAY }));
  const crashPod = b.pod('shop', podOf(rs3, 'w2c6n'), rs3.spec.template.spec, { node: 'worker-a', labels: rsLabels(rs3), owner: { kind: 'ReplicaSet', obj: rs3 }, state: 'crash', restarts: 9, age: 40 * MIN });
  void checkoutPods;

  // ---- other shop workloads ----
  const fe = b.deployment('shop', 'frontend', {
    replicas: 2, labels: { 'app.kubernetes.io/name': 'frontend', 'app.kubernetes.io/component': 'web', 'app.kubernetes.io/part-of': 'shop' },
    revisions: [{ spec: { containers: [container('nginx', 'nginx:1.27.2', { cpu: '100m', memory: '128Mi' }, { cpu: '200m', memory: '256Mi' }, { readinessProbe: { httpGet: { path: '/healthz', port: 80 }, periodSeconds: 10 } })] }, replicas: 2, age: 12 * DAY }],
  });
  const fePods = [['worker-a', 'k3m8d'], ['worker-b', 'p6s2f']].map(([node, sfx]) => b.pod('shop', podOf(fe.rs[0], sfx!), fe.rs[0].spec.template.spec, { node, labels: rsLabels(fe.rs[0]), owner: { kind: 'ReplicaSet', obj: fe.rs[0] }, age: 12 * DAY }));
  const rec = b.deployment('shop', 'recommender', {
    replicas: 1, paused: true, labels: { app: 'recommender', tier: 'backend' },
    revisions: [{ spec: { containers: [container('recommender', 'registry.example.com/shop/recommender:0.9.3', { cpu: '500m', memory: '1Gi' }, { cpu: '1', memory: '2Gi' })] }, replicas: 1, age: 9 * DAY }],
  });
  b.pod('shop', podOf(rec.rs[0], 'z8v3l'), rec.rs[0].spec.template.spec, { node: 'worker-b', labels: rsLabels(rec.rs[0]), owner: { kind: 'ReplicaSet', obj: rec.rs[0] }, age: 9 * DAY });

  // ---- storage ----
  store.load('storageclasses', { metadata: { name: 'gp3', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' }, creationTimestamp: b.ago(90 * DAY) }, provisioner: 'ebs.csi.aws.com', parameters: { type: 'gp3', fsType: 'ext4' }, reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true });
  const volume = (ns: string, claim: string, pvName: string, handle: string, mode: string, size: string, zone: string) => {
    const pvc = store.load('persistentvolumeclaims', {
      metadata: { name: claim, namespace: ns, creationTimestamp: b.ago(30 * DAY), annotations: { 'pv.kubernetes.io/bind-completed': 'yes', 'volume.kubernetes.io/storage-provisioner': 'ebs.csi.aws.com' }, finalizers: ['kubernetes.io/pvc-protection'] },
      spec: { accessModes: [mode], resources: { requests: { storage: size } }, storageClassName: 'gp3', volumeMode: 'Filesystem', volumeName: pvName },
      status: { phase: 'Bound', accessModes: [mode], capacity: { storage: size } },
    });
    store.load('persistentvolumes', {
      metadata: { name: pvName, creationTimestamp: b.ago(30 * DAY), annotations: { 'pv.kubernetes.io/provisioned-by': 'ebs.csi.aws.com' }, finalizers: ['kubernetes.io/pv-protection', 'external-attacher/ebs-csi-aws-com'] },
      spec: {
        accessModes: [mode], capacity: { storage: size }, storageClassName: 'gp3', persistentVolumeReclaimPolicy: 'Delete', volumeMode: 'Filesystem',
        claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name: claim, uid: pvc.metadata.uid },
        csi: { driver: 'ebs.csi.aws.com', volumeHandle: handle, fsType: 'ext4' },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [zone] }] }] } },
      },
      status: { phase: 'Bound' },
    });
    return pvc;
  };
  const attach = (pvName: string, node: string, ago: number) => store.load('volumeattachments', {
    metadata: { name: `csi-${pvName.replace(/-/g, '').slice(3, 35)}${node.length}`, creationTimestamp: b.ago(ago), annotations: { 'csi.alpha.kubernetes.io/node-id': node }, finalizers: ['external-attacher/ebs-csi-aws-com'] },
    spec: { attacher: 'ebs.csi.aws.com', nodeName: node, source: { persistentVolumeName: pvName } },
    status: { attached: true, attachmentMetadata: { devicePath: '/dev/xvdaa' } },
  });
  const nodeVolume = (node: string, handle: string, inUse: boolean) => {
    const n = store.get('nodes', node);
    const name = `kubernetes.io/csi/ebs.csi.aws.com^${handle}`;
    n.status.volumesAttached = [...(n.status.volumesAttached ?? []), { name, devicePath: '' }];
    if (inUse) n.status.volumesInUse = [...(n.status.volumesInUse ?? []), name];
  };

  // conflict 1: shop/cart, old pod on worker-a holds the volume, new pod waits on worker-b
  const CART_PV = 'pvc-4f1c2d3e-0a1b-4c5d-8e9f-1a2b3c4d5e6f';
  volume('shop', 'cart-data', CART_PV, 'vol-0a1b2c3d4e5f60718', 'ReadWriteOnce', '20Gi', 'us-east-1a');
  const cartSpec = (tag: string) => ({
    containers: [container('cart', `registry.example.com/shop/cart:${tag}`, { cpu: '200m', memory: '512Mi' }, { cpu: '500m', memory: '1Gi' }, { volumeMounts: [{ name: 'data', mountPath: '/var/lib/cart' }] })],
    volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'cart-data' } }],
  });
  const cart = b.deployment('shop', 'cart', {
    replicas: 1, labels: { app: 'cart', component: 'store' },
    revisions: [{ spec: cartSpec('2.3.0'), replicas: 1, age: 15 * DAY }, { spec: cartSpec('2.4.0'), replicas: 1, age: 35 * MIN }],
  });
  const cartOld = b.pod('shop', podOf(cart.rs[0], 'hq7xk'), cart.rs[0].spec.template.spec, { node: 'worker-a', labels: rsLabels(cart.rs[0]), owner: { kind: 'ReplicaSet', obj: cart.rs[0] }, age: 15 * DAY });
  const cartNew = b.pod('shop', podOf(cart.rs[1], 'm4v9t'), cart.rs[1].spec.template.spec, { node: 'worker-b', labels: rsLabels(cart.rs[1]), owner: { kind: 'ReplicaSet', obj: cart.rs[1] }, state: 'creating', age: 35 * MIN });
  attach(CART_PV, 'worker-a', 15 * DAY);
  nodeVolume('worker-a', 'vol-0a1b2c3d4e5f60718', true);
  b.event('shop', cartNew, { reason: 'FailedAttachVolume', message: `Multi-Attach error for volume "${CART_PV}" Volume is already used by pod(s) ${cartOld.metadata.name}`, count: 14, first: 35 * MIN, last: 1 * MIN, component: 'attachdetach-controller' });
  b.event('shop', cartNew, { reason: 'FailedMount', message: 'Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[data], failed to process volumes=[]: timed out waiting for the condition', count: 15, first: 33 * MIN, last: 2 * MIN, component: 'kubelet', host: 'worker-b' });

  // conflict 2: analytics/reports, volume still attached to NotReady worker-e, no pod there
  const REPORTS_PV = 'pvc-9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a';
  volume('analytics', 'reports-cache', REPORTS_PV, 'vol-0f9e8d7c6b5a49382', 'ReadWriteOnce', '50Gi', 'us-east-1b');
  const rep = b.deployment('analytics', 'reports', {
    replicas: 1, labels: { app: 'reports', tier: 'batch' }, strategy: { type: 'Recreate' },
    revisions: [{ spec: { containers: [container('reports', 'registry.example.com/analytics/reports:3.1.2', { cpu: '300m', memory: '768Mi' }, { cpu: '1', memory: '1536Mi' }, { volumeMounts: [{ name: 'cache', mountPath: '/cache' }] })], volumes: [{ name: 'cache', persistentVolumeClaim: { claimName: 'reports-cache' } }] }, replicas: 1, age: 25 * DAY }],
  });
  const repPod = b.pod('analytics', podOf(rep.rs[0], 't8w2n'), rep.rs[0].spec.template.spec, { node: 'worker-c', labels: rsLabels(rep.rs[0]), owner: { kind: 'ReplicaSet', obj: rep.rs[0] }, state: 'creating', age: 22 * MIN });
  attach(REPORTS_PV, 'worker-e', 25 * DAY);
  nodeVolume('worker-e', 'vol-0f9e8d7c6b5a49382', false);
  b.event('analytics', repPod, { reason: 'FailedAttachVolume', message: `Multi-Attach error for volume "${REPORTS_PV}" Volume is already exclusively attached to one node and can't be attached to another`, count: 9, first: 22 * MIN, last: 4 * MIN, component: 'attachdetach-controller' });
  b.event('analytics', repPod, { reason: 'FailedAttachVolume', message: `Waiting for detach for volume "${REPORTS_PV}" Volume is already exclusively attached to one node, waiting on detach before it can be attached to another node`, count: 3, first: 4 * MIN, last: 1 * MIN, component: 'attachdetach-controller' });

  // RWOP, healthy
  const WAL_PV = 'pvc-1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
  volume('payments', 'ledger-wal', WAL_PV, 'vol-01d2e3f405a6b4c7d', 'ReadWriteOncePod', '10Gi', 'us-east-1b');
  b.pod('payments', 'wal-archiver', { containers: [container('archiver', 'registry.example.com/payments/wal-archiver:1.2.0', { cpu: '100m', memory: '128Mi' }, { cpu: '200m', memory: '256Mi' }, { volumeMounts: [{ name: 'wal', mountPath: '/wal' }] })], volumes: [{ name: 'wal', persistentVolumeClaim: { claimName: 'ledger-wal' } }] }, { node: 'worker-b', labels: { app: 'wal-archiver', component: 'storage' }, age: 10 * DAY });
  attach(WAL_PV, 'worker-b', 10 * DAY);
  nodeVolume('worker-b', 'vol-01d2e3f405a6b4c7d', true);

  // ---- payments ----
  const payApi = b.deployment('payments', 'api', {
    replicas: 2, labels: { application: 'payments-api', component: 'api' },
    revisions: [{
      spec: {
        initContainers: [
          container('migrate', 'registry.example.com/payments/migrate:5.0.0', { cpu: '500m', memory: '256Mi' }, { cpu: '500m', memory: '256Mi' }),
          container('istio-proxy', 'docker.io/istio/proxyv2:1.23.2', { cpu: '100m', memory: '128Mi' }, { cpu: '500m', memory: '512Mi' }, { restartPolicy: 'Always' }),
        ],
        containers: [container('api', 'registry.example.com/payments/api:5.0.0', { cpu: '400m', memory: '512Mi' }, { cpu: '800m', memory: '1Gi' })],
      }, replicas: 2, age: 8 * DAY,
    }],
  });
  for (const [node, sfx] of [['worker-b', 'f2g7h'], ['worker-c', 'j9k4m']]) b.pod('payments', podOf(payApi.rs[0], sfx!), payApi.rs[0].spec.template.spec, { node, labels: rsLabels(payApi.rs[0]), owner: { kind: 'ReplicaSet', obj: payApi.rs[0] }, age: 8 * DAY });
  const ledgerSpec = (tag: string) => ({ containers: [container('ledger', `registry.example.com/payments/ledger:${tag}`, { cpu: '300m', memory: '1Gi' }, { cpu: '600m', memory: '2Gi' })] });
  const ledger = b.revisioned('statefulsets', 'payments', 'ledger', {
    labels: { 'app.kubernetes.io/name': 'ledger', 'app.kubernetes.io/component': 'database' },
    spec: { replicas: 3, serviceName: 'ledger', podManagementPolicy: 'OrderedReady', updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } } },
    templates: [ledgerSpec('2.0.1'), ledgerSpec('2.1.0')], ages: [40 * DAY, 5 * DAY],
  });
  const ledgerRev = ledger.revisions[1].metadata.name;
  ['worker-a', 'worker-b', 'worker-c'].forEach((node, i) => b.pod('payments', `ledger-${i}`, { ...ledger.obj.spec.template.spec, hostname: `ledger-${i}`, subdomain: 'ledger' }, {
    node, owner: { kind: 'StatefulSet', obj: ledger.obj }, age: 5 * DAY,
    labels: { ...ledger.obj.spec.template.metadata.labels, 'controller-revision-hash': ledgerRev, 'statefulset.kubernetes.io/pod-name': `ledger-${i}`, 'apps.kubernetes.io/pod-index': String(i) },
  }));
  ledger.obj.status = { observedGeneration: 2, replicas: 3, readyReplicas: 3, availableReplicas: 3, currentReplicas: 3, updatedReplicas: 3, currentRevision: ledgerRev, updateRevision: ledgerRev, collisionCount: 0 };
  b.pod('payments', 'fraud-model', {
    runtimeClassName: 'kata', overhead: { cpu: '250m', memory: '120Mi' },
    tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    initContainers: [
      container('log-shipper', 'fluent/fluent-bit:3.1.9', { cpu: '100m', memory: '128Mi' }, { cpu: '200m', memory: '256Mi' }, { restartPolicy: 'Always' }),
      container('fetch-model', 'registry.example.com/payments/fetch-model:1.0.0', { cpu: '2', memory: '1Gi' }, { cpu: '2', memory: '1Gi' }),
    ],
    containers: [container('model', 'registry.example.com/payments/fraud-model:7.2.0', { cpu: '1500m', memory: '6Gi', 'nvidia.com/gpu': '1' }, { cpu: '2', memory: '8Gi', 'nvidia.com/gpu': '1' })],
  }, { node: 'gpu-f', labels: { app: 'fraud-model', component: 'inference' }, age: 3 * DAY });

  // ---- monitoring ----
  const neSpec = (tag: string) => ({
    hostNetwork: true, tolerations: [{ operator: 'Exists' }],
    containers: [container('node-exporter', `quay.io/prometheus/node-exporter:${tag}`, { cpu: '50m', memory: '64Mi' }, { cpu: '100m', memory: '128Mi' })],
  });
  const ne = b.revisioned('daemonsets', 'monitoring', 'node-exporter', {
    labels: { 'app.kubernetes.io/name': 'node-exporter', 'app.kubernetes.io/component': 'metrics' },
    spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } } },
    templates: [neSpec('v1.7.0'), neSpec('v1.8.2')], ages: [60 * DAY, 7 * DAY],
  });
  const neHash = ne.revisions[1].metadata.labels['controller.kubernetes.io/hash'];
  const neSfx = ['a1b2c', 'd3f4g', 'h5j6k', 'l7m8n', 'p9q2r', 's4t5v'];
  ['worker-a', 'worker-b', 'worker-c', 'worker-d', 'worker-e', 'gpu-f'].forEach((node, i) => b.pod('monitoring', `node-exporter-${neSfx[i]}`, ne.obj.spec.template.spec, {
    node, owner: { kind: 'DaemonSet', obj: ne.obj }, age: 7 * DAY, ip: store.get('nodes', node).status.addresses[0].address,
    labels: { ...ne.obj.spec.template.metadata.labels, 'controller-revision-hash': neHash, 'pod-template-generation': '2' },
  }));
  b.pod('monitoring', 'grafana', {
    resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
    containers: [container('grafana', 'grafana/grafana:11.3.0', { cpu: '200m', memory: '256Mi' }), container('renderer', 'grafana/grafana-image-renderer:3.11.6')],
  }, { node: 'worker-b', labels: { 'app.kubernetes.io/name': 'grafana', 'app.kubernetes.io/component': 'dashboard' }, age: 20 * DAY });

  // ---- kube-system ----
  const dns = b.deployment('kube-system', 'coredns', {
    replicas: 2, labels: { 'k8s-app': 'kube-dns' },
    revisions: [{ spec: { priorityClassName: 'system-cluster-critical', containers: [container('coredns', 'registry.k8s.io/coredns/coredns:v1.11.3', { cpu: '100m', memory: '70Mi' }, { memory: '170Mi' })] }, replicas: 2, age: 90 * DAY }],
  });
  for (const [node, sfx] of [['worker-a', 'c8d9f'], ['worker-b', 'g2h3j']]) b.pod('kube-system', podOf(dns.rs[0], sfx!), dns.rs[0].spec.template.spec, { node, labels: rsLabels(dns.rs[0]), owner: { kind: 'ReplicaSet', obj: dns.rs[0] }, age: 90 * DAY });
  b.pod('kube-system', 'debug-shell', { containers: [container('shell', 'busybox:1.37', undefined, undefined, { command: ['sleep', 'infinity'] })] }, { node: 'worker-c', age: 50 * MIN });

  // ---- one-offs ----
  const job = (name: string) => ({ kind: 'Job', apiVersion: 'batch/v1', obj: { metadata: { name, uid: store.newUid() } } });
  b.pod('shop', 'db-migrate-28930', { restartPolicy: 'Never', containers: [container('migrate', 'registry.example.com/shop/migrate:1.5.0', { cpu: '1', memory: '2Gi' }, { cpu: '1', memory: '2Gi' })] }, { node: 'worker-a', labels: { 'job-name': 'db-migrate-28930' }, owner: job('db-migrate-28930'), state: 'succeeded', age: 6 * DAY });
  b.pod('shop', 'report-gen-28931', { restartPolicy: 'Never', containers: [container('report', 'registry.example.com/shop/report-gen:0.4.1', { cpu: '500m', memory: '1Gi' }, { cpu: '500m', memory: '1Gi' })] }, { node: 'worker-b', labels: { 'job-name': 'report-gen-28931' }, owner: job('report-gen-28931'), state: 'failed', age: 5 * HOUR });
  for (const i of [1, 2]) b.pod('data', `spark-worker-${i}`, { containers: [container('spark', 'apache/spark:3.5.3', { cpu: '500m', memory: '1Gi' }, { cpu: '3', memory: '6Gi' })] }, { node: 'worker-c', labels: { app: 'spark', component: 'worker' }, age: 2 * DAY });
  b.pod('data', 'backfill-7d', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'batch', effect: 'NoSchedule' }], containers: [container('backfill', 'registry.example.com/data/backfill:2.2.0', { cpu: '1', memory: '4Gi' }, { cpu: '2', memory: '8Gi' })] }, { node: 'worker-d', labels: { app: 'backfill' }, age: 26 * HOUR });
  b.pod('shop', 'legacy-importer', { containers: [container('importer', 'registry.example.com/shop/legacy-importer:0.1.0', { cpu: '200m', memory: '256Mi' }, { cpu: '400m', memory: '512Mi' })] }, { node: 'worker-e', labels: { app: 'legacy-importer' }, age: 4 * DAY });
  const indexer = b.pod('shop', 'search-indexer', { containers: [container('indexer', 'registry.example.com/shop/search-indexer:4.0.0', { cpu: '6', memory: '8Gi' }, { cpu: '6', memory: '8Gi' })] }, { labels: { app: 'search', component: 'indexer' }, state: 'pending', age: 18 * MIN });

  // ---- events ----
  b.event('shop', crashPod, { reason: 'BackOff', message: `Back-off restarting failed container checkout in pod ${crashPod.metadata.name}_shop(${crashPod.metadata.uid})`, count: 42, first: 38 * MIN, last: 30_000, component: 'kubelet', host: 'worker-a', fieldPath: 'spec.containers{checkout}' });
  b.event('shop', indexer, { reason: 'FailedScheduling', message: indexer.status.conditions[0].message, count: 18, first: 18 * MIN, last: 1 * MIN, component: 'default-scheduler' });
  b.event('shop', fePods[1], { reason: 'Unhealthy', message: 'Readiness probe failed: HTTP probe failed with statuscode: 503', count: 3, first: 12 * MIN, last: 9 * MIN, component: 'kubelet', host: 'worker-b', fieldPath: 'spec.containers{nginx}' });
  b.event('default', { kind: 'Node', apiVersion: 'v1', metadata: { name: 'worker-e', uid: store.get('nodes', 'worker-e').metadata.uid } }, { reason: 'NodeNotReady', type: 'Normal', message: 'Node worker-e status is now: NodeNotReady', first: 25 * MIN, last: 25 * MIN, component: 'node-controller' });
  b.event('shop', { kind: 'Deployment', apiVersion: 'apps/v1', metadata: checkout.deploy.metadata }, { reason: 'ScalingReplicaSet', type: 'Normal', message: `Scaled up replica set ${rs3.metadata.name} from 0 to 1`, first: 40 * MIN, last: 40 * MIN, component: 'deployment-controller' });
}
