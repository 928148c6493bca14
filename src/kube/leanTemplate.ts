// Workload pod templates, packed (issue 9). A Deployment's or ReplicaSet's pod template is KBs
// of JSON (env, probes, ports, volumes...) and the largest clusters have ~15,000 of each: kept
// as parsed objects they cost more than all the pods (7 KB per Deployment), and even as JSON
// text (3.7 KB) more than the rest of the workload. A lean workload keeps its template's `spec`
// as its JSON deflated (with a dictionary of the usual pod spec text: ~350 B), shared by
// content (a Deployment and its ReplicaSets carry the same one), plus the little that scans of
// every workload read (container names and images, attachable volumes: `templateSummary`).
//
// `template.spec` stays an enumerable property, a getter that inflates and parses on demand
// (the last few hundred parsed specs are kept), so JSON.stringify, structuredClone, spreading,
// YAML and deep equality see the whole template, in the server's key order: rollout undo sends
// it back byte for byte. Like every store object, a parsed spec must not be mutated.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { hash } from './intern.js';
import type { PodSpec, PodTemplateSpec, Volume } from './types.js';

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A container's name and image: what the rollout and filter scans read of a template. */
export interface ContainerImage {
  name: string;
  image?: string;
}

/** What scans of every workload read of its pod template, without parsing it. */
export interface TemplateSummary {
  initContainers: readonly ContainerImage[];
  containers: readonly ContainerImage[];
  /** Only the volumes that can take part in an attachment conflict (as for lean pods). */
  volumes: readonly Volume[];
}

/** Volumes that attach to a node: the only ones kept on lean pods and in summaries. */
export function attachable(v: Raw): boolean {
  return !!(v.persistentVolumeClaim || v.ephemeral || v.csi || v.awsElasticBlockStore || v.gcePersistentDisk);
}

class PackedSpec implements TemplateSummary {
  constructor(
    /** The spec's JSON, deflated, as a latin1 string (one byte per byte, on the V8 heap). */
    readonly deflated: string,
    readonly initContainers: readonly ContainerImage[],
    readonly containers: readonly ContainerImage[],
    readonly volumes: readonly Volume[],
  ) {}
}

const NONE: readonly never[] = Object.freeze([]);
const PACKED = Symbol('kfleet.packedSpec');

// ---- one PackedSpec per distinct spec -------------------------------------------------------
// Weakly held, so a spec is forgotten when the last workload carrying it goes: no bound is
// needed, and no spec in use is ever copied twice (a hash collision leaves one unshared).

const specs = new Map<number, WeakRef<PackedSpec>>();
const forget = new FinalizationRegistry<number>((h) => {
  if (specs.get(h)?.deref() === undefined) specs.delete(h);
});

function packSpec(spec: Raw): PackedSpec {
  const json = JSON.stringify(spec);
  const h = hash(json);
  const old = specs.get(h)?.deref();
  if (old && inflate(old) === json) return old;
  const images = (cs: unknown): readonly ContainerImage[] =>
    Array.isArray(cs) && cs.length ? cs.map((c: Raw) => ({ name: c.name, image: c.image })) : NONE;
  const vols = Array.isArray(spec.volumes) ? (spec.volumes as Raw[]).filter(attachable) : [];
  const p = new PackedSpec(deflate(json), images(spec.initContainers), images(spec.containers), vols.length ? (vols as Volume[]) : NONE);
  if (!old) {
    specs.set(h, new WeakRef(p));
    forget.register(p, h);
  }
  return p;
}

// ---- compression -----------------------------------------------------------------------------
// Templates are much alike: a zlib preset dictionary of the usual pod spec text (keys, probes,
// the service account volume, default tolerations...) makes each one ~10x smaller, not ~4x.
// Deflate is deterministic, so equal specs have equal deflated strings.

const DICTIONARY = Buffer.from(
  [
    '{"containers":[{"name":"","image":"","command":["/bin/sh","-c"],"args":["--"],"workingDir":"/",',
    '"env":[{"name":"POD_NAME","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.name"}}},{"name":"POD_NAMESPACE","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.namespace"}}},',
    '{"name":"","valueFrom":{"secretKeyRef":{"name":"","key":""}}},{"name":"","valueFrom":{"configMapKeyRef":{"name":"","key":""}}},{"name":"","value":""}],',
    '"envFrom":[{"configMapRef":{"name":""}},{"secretRef":{"name":""}}],',
    '"resources":{"limits":{"cpu":"","memory":"Mi"},"requests":{"cpu":"m","memory":"Mi"}},',
    '"ports":[{"name":"http","containerPort":8080,"protocol":"TCP"},{"name":"metrics","containerPort":9090,"protocol":"TCP"}],',
    '"livenessProbe":{"httpGet":{"path":"/healthz","port":8080,"scheme":"HTTP"},"initialDelaySeconds":10,"timeoutSeconds":1,"periodSeconds":10,"successThreshold":1,"failureThreshold":3},',
    '"readinessProbe":{"httpGet":{"path":"/ready","port":"http","scheme":"HTTP"},"initialDelaySeconds":5,"timeoutSeconds":1,"periodSeconds":10,"successThreshold":1,"failureThreshold":3},',
    '"startupProbe":{"tcpSocket":{"port":8080},"exec":{"command":[""]},',
    '"securityContext":{"capabilities":{"drop":["ALL"]},"runAsNonRoot":true,"runAsUser":1000,"readOnlyRootFilesystem":true,"allowPrivilegeEscalation":false},',
    '"volumeMounts":[{"name":"config","mountPath":"/etc/config","readOnly":true},{"name":"data","mountPath":"/data"},{"name":"kube-api-access","mountPath":"/var/run/secrets/kubernetes.io/serviceaccount","readOnly":true}],',
    '"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","imagePullPolicy":"IfNotPresent"},{"name":"","image":"","imagePullPolicy":"Always"}],',
    '"volumes":[{"name":"config","configMap":{"name":"","defaultMode":420}},{"name":"secret","secret":{"secretName":"","defaultMode":420}},{"name":"data","persistentVolumeClaim":{"claimName":""}},{"name":"tmp","emptyDir":{}},',
    '{"name":"kube-api-access","projected":{"defaultMode":420,"sources":[{"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}},{"configMap":{"name":"kube-root-ca.crt","items":[{"key":"ca.crt","path":"ca.crt"}]}},{"downwardAPI":{"items":[{"path":"namespace","fieldRef":{"apiVersion":"v1","fieldPath":"metadata.namespace"}}]}}]}}],',
    '"nodeSelector":{"kubernetes.io/os":"linux"},"affinity":{"podAntiAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[{"weight":100,"podAffinityTerm":{"labelSelector":{"matchLabels":{"app.kubernetes.io/name":""}},"topologyKey":"kubernetes.io/hostname"}}]}},',
    '"restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","serviceAccountName":"default","serviceAccount":"default","securityContext":{},"imagePullSecrets":[{"name":""}],"schedulerName":"default-scheduler",',
    '"tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300},{"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}],"priorityClassName":"","priority":0,"enableServiceLinks":true,"preemptionPolicy":"PreemptLowerPriority"}',
  ].join(''),
);

function deflate(json: string): string {
  return deflateRawSync(json, { dictionary: DICTIONARY }).toString('latin1');
}

function inflate(p: PackedSpec): string {
  return inflateRawSync(Buffer.from(p.deflated, 'latin1'), { dictionary: DICTIONARY }).toString();
}

// ---- parsing on demand ----------------------------------------------------------------------

const PARSED_MAX = 256;
const parsed = new Map<PackedSpec, PodSpec>(); // least recently used first

function parse(p: PackedSpec): PodSpec {
  let v = parsed.get(p);
  if (v !== undefined) {
    parsed.delete(p);
  } else {
    v = JSON.parse(inflate(p)) as PodSpec;
    if (parsed.size >= PARSED_MAX) parsed.delete(parsed.keys().next().value!);
  }
  parsed.set(p, v);
  return v;
}

/** The getter of every packed template's `spec` (one function: the objects share a shape). */
const SPEC: PropertyDescriptor = {
  get(this: { [PACKED]: PackedSpec }) {
    return parse(this[PACKED]);
  },
  enumerable: true,
};

function packed(t: object, p: PackedSpec): object {
  Object.defineProperty(t, PACKED, { value: p });
  return t;
}

/**
 * A raw pod template (`spec.template`, or a ControllerRevision's `data.spec.template`) with
 * its spec packed. `meta` leans the template's metadata. Keys keep their order.
 */
export function packTemplate<T = PodTemplateSpec>(raw: Raw, meta: (m: Raw) => unknown = (m) => m): T {
  if (typeof raw?.spec !== 'object' || raw.spec === null || Array.isArray(raw.spec)) return raw as T;
  const out: Raw = {};
  for (const k of Object.keys(raw)) {
    if (k === 'spec') Object.defineProperty(out, 'spec', SPEC);
    else out[k] = k === 'metadata' && raw.metadata ? meta(raw.metadata) : raw[k];
  }
  return packed(out, packSpec(raw.spec)) as T;
}

/**
 * A deep copy of a template, plus `extra` keys after its own; a packed spec stays packed (it is
 * immutable), so the copy compares with `samePackedSpec` without parsing.
 */
export function copyTemplate<T extends object>(t: T, extra?: Record<string, unknown>): T {
  const p = packedOf(t);
  if (!p) return extra ? { ...structuredClone(t), ...extra } : structuredClone(t);
  const out: Raw = {};
  for (const k of Object.keys(t)) {
    if (k === 'spec') Object.defineProperty(out, 'spec', SPEC);
    else out[k] = structuredClone((t as Raw)[k]);
  }
  Object.assign(out, extra);
  return packed(out, p) as T;
}

function packedOf(t: unknown): PackedSpec | undefined {
  return typeof t === 'object' && t !== null ? (t as { [PACKED]?: PackedSpec })[PACKED] : undefined;
}

/** True when both are packed templates with the same spec (to skip parsing both). */
export function samePackedSpec(a: unknown, b: unknown): boolean {
  const pa = packedOf(a);
  const pb = packedOf(b);
  return pa !== undefined && pb !== undefined && (pa === pb || pa.deflated === pb.deflated);
}

/** The spec's JSON and deflated size when the template is packed (tests, benchmarks). */
export function packedSpec(t: unknown): { json: string; deflatedBytes: number } | undefined {
  const p = packedOf(t);
  return p && { json: inflate(p), deflatedBytes: p.deflated.length };
}

/** Containers' names and images and attachable volumes of a template, packed or not. */
export function templateSummary(t: PodTemplateSpec | undefined): TemplateSummary {
  const p = packedOf(t);
  if (p) return p;
  const s = t?.spec;
  return { initContainers: s?.initContainers ?? NONE, containers: s?.containers ?? NONE, volumes: (s?.volumes ?? NONE).filter(attachable) };
}

/** How many distinct specs and parsed specs are held (tests, benchmarks). */
export function templateSizes(): { specs: number; parsed: number } {
  return { specs: specs.size, parsed: parsed.size };
}
