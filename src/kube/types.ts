// Lean Kubernetes objects: the JSON shapes the API server sends, with only the fields kfleet
// reads. Field names are the API's own, so fixtures, kubectl output and the embedded cluster
// all speak the same language. `lean.ts` cuts raw objects down to these on ingest.

export type Quantities = Record<string, string>;

export interface OwnerReference {
  apiVersion?: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
}

// ---- pods ----------------------------------------------------------------------------------

export interface ResourceRequirements {
  requests?: Quantities;
  limits?: Quantities;
}

export interface Container {
  name: string;
  image?: string;
  resources?: ResourceRequirements;
  /** "Always" on an init container makes it a restartable (sidecar) init container. */
  restartPolicy?: string;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}

export interface Volume {
  name: string;
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
  /** Generic ephemeral volume: its PVC is named `<pod>-<volume>`. */
  ephemeral?: { volumeClaimTemplate?: { spec?: PersistentVolumeClaimSpec } };
  /** Inline CSI volume (no PV, no PVC). */
  csi?: { driver: string; volumeHandle?: string; readOnly?: boolean };
  awsElasticBlockStore?: { volumeID: string };
  gcePersistentDisk?: { pdName: string };
  /** Any other volume source is reduced to its kind name. */
  other?: string;
}

export interface PodSpec {
  nodeName?: string;
  containers: Container[];
  initContainers?: Container[];
  overhead?: Quantities;
  /** Pod-level resources (Kubernetes 1.32+): when set, they override the container sum. */
  resources?: ResourceRequirements;
  volumes?: Volume[];
  priorityClassName?: string;
  schedulerName?: string;
  serviceAccountName?: string;
  restartPolicy?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: { key?: string; operator?: string; value?: string; effect?: string }[];
}

export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; exitCode?: number; message?: string; finishedAt?: string; startedAt?: string };
}

export interface ContainerStatus {
  name: string;
  ready: boolean;
  restartCount: number;
  started?: boolean;
  image?: string;
  state?: ContainerState;
  lastState?: ContainerState;
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
}

export interface PodStatus {
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown' | string;
  reason?: string;
  message?: string;
  conditions?: Condition[];
  containerStatuses?: ContainerStatus[];
  initContainerStatuses?: ContainerStatus[];
  qosClass?: 'Guaranteed' | 'Burstable' | 'BestEffort' | string;
  startTime?: string;
  podIP?: string;
  hostIP?: string;
  nominatedNodeName?: string;
}

export interface Pod extends KubeObject {
  spec: PodSpec;
  status: PodStatus;
}

export interface PodTemplateSpec {
  metadata?: Partial<ObjectMeta>;
  spec: PodSpec;
}

// ---- nodes ---------------------------------------------------------------------------------

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface Node extends KubeObject {
  spec: { unschedulable?: boolean; taints?: Taint[]; providerID?: string };
  status: {
    capacity?: Quantities;
    allocatable?: Quantities;
    conditions?: Condition[];
    nodeInfo?: { kubeletVersion?: string; osImage?: string; containerRuntimeVersion?: string; kernelVersion?: string; architecture?: string };
    addresses?: { type: string; address: string }[];
    volumesAttached?: { name: string; devicePath?: string }[];
    volumesInUse?: string[];
  };
}

export interface Namespace extends KubeObject {
  status?: { phase?: string };
}

// ---- events --------------------------------------------------------------------------------

export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  fieldPath?: string;
}

export interface KubeEvent extends KubeObject {
  involvedObject: ObjectReference;
  reason?: string;
  message?: string;
  type?: 'Normal' | 'Warning' | string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  series?: { count?: number; lastObservedTime?: string };
  source?: { component?: string; host?: string };
  reportingComponent?: string;
}

// ---- workloads -----------------------------------------------------------------------------

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface DeploymentStrategy {
  type?: 'RollingUpdate' | 'Recreate' | string;
  rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string };
}

export interface WorkloadStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: Condition[];
  // StatefulSet
  currentReplicas?: number;
  currentRevision?: string;
  updateRevision?: string;
  collisionCount?: number;
  // DaemonSet
  currentNumberScheduled?: number;
  desiredNumberScheduled?: number;
  numberReady?: number;
  numberAvailable?: number;
  numberUnavailable?: number;
  numberMisscheduled?: number;
  updatedNumberScheduled?: number;
}

export interface Deployment extends KubeObject {
  spec: {
    replicas?: number;
    selector: LabelSelector;
    template: PodTemplateSpec;
    strategy?: DeploymentStrategy;
    paused?: boolean;
    revisionHistoryLimit?: number;
    progressDeadlineSeconds?: number;
    minReadySeconds?: number;
  };
  status?: WorkloadStatus;
}

export interface ReplicaSet extends KubeObject {
  spec: { replicas?: number; selector: LabelSelector; template: PodTemplateSpec; minReadySeconds?: number };
  status?: WorkloadStatus;
}

export interface StatefulSet extends KubeObject {
  spec: {
    replicas?: number;
    selector: LabelSelector;
    template: PodTemplateSpec;
    serviceName?: string;
    updateStrategy?: { type?: string; rollingUpdate?: { partition?: number; maxUnavailable?: number | string } };
    revisionHistoryLimit?: number;
    volumeClaimTemplates?: { metadata: Partial<ObjectMeta>; spec: PersistentVolumeClaimSpec }[];
    podManagementPolicy?: string;
  };
  status?: WorkloadStatus;
}

export interface DaemonSet extends KubeObject {
  spec: {
    selector: LabelSelector;
    template: PodTemplateSpec;
    updateStrategy?: { type?: string; rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string } };
    revisionHistoryLimit?: number;
    minReadySeconds?: number;
  };
  status?: WorkloadStatus;
}

export interface ControllerRevision extends KubeObject {
  /** For StatefulSets and DaemonSets: a strategic-merge patch `{spec: {template: {...}}}`. */
  data?: unknown;
  revision: number;
}

// ---- storage -------------------------------------------------------------------------------

export interface PersistentVolumeClaimSpec {
  accessModes?: string[];
  storageClassName?: string;
  volumeName?: string;
  resources?: { requests?: Quantities };
  volumeMode?: string;
}

export interface PersistentVolumeClaim extends KubeObject {
  spec: PersistentVolumeClaimSpec;
  status?: { phase?: string; accessModes?: string[]; capacity?: Quantities };
}

export interface PersistentVolume extends KubeObject {
  spec: {
    accessModes?: string[];
    capacity?: Quantities;
    storageClassName?: string;
    claimRef?: { namespace?: string; name?: string; uid?: string };
    csi?: { driver: string; volumeHandle: string };
    awsElasticBlockStore?: { volumeID: string };
    gcePersistentDisk?: { pdName: string };
    persistentVolumeReclaimPolicy?: string;
    nodeAffinity?: unknown;
  };
  status?: { phase?: string };
}

export interface StorageClass extends KubeObject {
  provisioner: string;
  reclaimPolicy?: string;
  volumeBindingMode?: string;
  allowVolumeExpansion?: boolean;
}

export interface VolumeAttachment extends KubeObject {
  spec: {
    attacher: string;
    nodeName: string;
    source: { persistentVolumeName?: string; inlineVolumeSpec?: unknown };
  };
  status?: {
    attached: boolean;
    attachError?: { time?: string; message?: string };
    detachError?: { time?: string; message?: string };
    attachmentMetadata?: Record<string, string>;
  };
}

// ---- metrics.k8s.io ------------------------------------------------------------------------

export interface NodeMetrics {
  metadata: { name: string };
  timestamp?: string;
  window?: string;
  usage: { cpu: string; memory: string };
}

export interface PodMetrics {
  metadata: { name: string; namespace: string };
  timestamp?: string;
  window?: string;
  containers: { name: string; usage: { cpu: string; memory: string } }[];
}

/**
 * A pod's usage as kfleet keeps it: `usage` holds, per container in `containers` order, CPU in
 * nanocores then memory in bytes.
 */
export interface LeanPodMetrics {
  containers: readonly string[];
  usage: number[];
}

// ---- the resources kfleet watches ----------------------------------------------------------

export interface KindMap {
  nodes: Node;
  namespaces: Namespace;
  pods: Pod;
  events: KubeEvent;
  deployments: Deployment;
  replicasets: ReplicaSet;
  statefulsets: StatefulSet;
  daemonsets: DaemonSet;
  controllerrevisions: ControllerRevision;
  persistentvolumeclaims: PersistentVolumeClaim;
  persistentvolumes: PersistentVolume;
  storageclasses: StorageClass;
  volumeattachments: VolumeAttachment;
}

export type ResourceKind = keyof KindMap;

export interface ResourceInfo {
  kind: ResourceKind;
  /** The `kind` field of the objects, e.g. "Pod". */
  objectKind: string;
  group: string; // "" for core
  version: string;
  namespaced: boolean;
}

export const RESOURCES: Record<ResourceKind, ResourceInfo> = {
  nodes: { kind: 'nodes', objectKind: 'Node', group: '', version: 'v1', namespaced: false },
  namespaces: { kind: 'namespaces', objectKind: 'Namespace', group: '', version: 'v1', namespaced: false },
  pods: { kind: 'pods', objectKind: 'Pod', group: '', version: 'v1', namespaced: true },
  events: { kind: 'events', objectKind: 'Event', group: '', version: 'v1', namespaced: true },
  deployments: { kind: 'deployments', objectKind: 'Deployment', group: 'apps', version: 'v1', namespaced: true },
  replicasets: { kind: 'replicasets', objectKind: 'ReplicaSet', group: 'apps', version: 'v1', namespaced: true },
  statefulsets: { kind: 'statefulsets', objectKind: 'StatefulSet', group: 'apps', version: 'v1', namespaced: true },
  daemonsets: { kind: 'daemonsets', objectKind: 'DaemonSet', group: 'apps', version: 'v1', namespaced: true },
  controllerrevisions: { kind: 'controllerrevisions', objectKind: 'ControllerRevision', group: 'apps', version: 'v1', namespaced: true },
  persistentvolumeclaims: { kind: 'persistentvolumeclaims', objectKind: 'PersistentVolumeClaim', group: '', version: 'v1', namespaced: true },
  persistentvolumes: { kind: 'persistentvolumes', objectKind: 'PersistentVolume', group: '', version: 'v1', namespaced: false },
  storageclasses: { kind: 'storageclasses', objectKind: 'StorageClass', group: 'storage.k8s.io', version: 'v1', namespaced: false },
  volumeattachments: { kind: 'volumeattachments', objectKind: 'VolumeAttachment', group: 'storage.k8s.io', version: 'v1', namespaced: false },
};

export const RESOURCE_KINDS = Object.keys(RESOURCES) as ResourceKind[];

/** The API path of a resource collection, optionally inside one namespace. */
export function collectionPath(kind: ResourceKind, namespace?: string): string {
  const r = RESOURCES[kind];
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  return r.namespaced && namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${kind}` : `${base}/${kind}`;
}

/** The path of one object. */
export function objectPath(kind: ResourceKind, name: string, namespace?: string): string {
  const r = RESOURCES[kind];
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const ns = r.namespaced ? `/namespaces/${encodeURIComponent(namespace ?? 'default')}` : '';
  return `${base}${ns}/${kind}/${encodeURIComponent(name)}`;
}

/**
 * Store key of an object: "namespace/name" for namespaced objects, "name" otherwise. Joined
 * rather than concatenated: `a + b` makes V8 a cons string (32 B pointing at both parts) that
 * hashing then flattens into a second, flat copy, and a key held in Maps and Sets keeps both;
 * join writes one flat string (at 150,000 pods the cons strings of keys were ~10 MB of the live heap).
 */
export function objectKey(obj: { metadata: { name: string; namespace?: string } }): string {
  return obj.metadata.namespace ? [obj.metadata.namespace, obj.metadata.name].join('/') : obj.metadata.name;
}
