// Rollout history, undo plans and rollout state, computed exactly as kubectl does. Pure: the
// caller passes the objects (from the store, or freshly read before applying) and gets a plan.
//
// References (kubernetes/kubernetes, staging/src/k8s.io/kubectl/pkg/):
//   polymorphichelpers/rollback.go       DeploymentRollbacker, StatefulSetRollbacker, DaemonSetRollbacker,
//                                        deploymentRevision, findHistory, equalIgnoreHash, annotationsToSkip
//   polymorphichelpers/history.go        ViewHistory (revision -> template, change-cause)
//   polymorphichelpers/rollout_status.go Deployment/StatefulSet/DaemonSet status viewers
//   util/deployment/deployment.go        Revision(), GetAllReplicaSets (selector + controller ref)

import type {
  ControllerRevision,
  DaemonSet,
  Deployment,
  KubeObject,
  LabelSelector,
  PodTemplateSpec,
  ReplicaSet,
  StatefulSet,
} from '../kube/types.js';
import { copyTemplate, samePackedSpec, templateSummary } from '../kube/leanTemplate.js';
import { diffTemplates, POD_TEMPLATE_HASH_LABEL, withoutHashLabel, type TemplateDiff } from './templateDiff.js';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
export const JSON_PATCH = 'application/json-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';

/**
 * Annotations kept from the Deployment and never copied from the ReplicaSet on rollback
 * (kubectl rollback.go `annotationsToSkip`).
 */
export const ANNOTATIONS_TO_SKIP: readonly string[] = [
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
];

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';

export interface WorkloadRef {
  kind: WorkloadKind;
  namespace: string;
  name: string;
}

/** One revision of a workload, as `kubectl rollout history` lists it, plus what the views show. */
export interface RevisionEntry {
  revision: number;
  /** The ReplicaSet or ControllerRevision holding it. */
  source: { kind: 'ReplicaSet' | 'ControllerRevision'; name: string };
  createdAt?: string;
  /** Seconds since creation, when `now` and the timestamp are known. */
  ageSeconds?: number;
  /** `kubernetes.io/change-cause`, or undefined (kubectl prints `<none>`). */
  changeCause?: string;
  /** "container=image" for each container (init containers first). */
  images: string[];
  template: PodTemplateSpec;
  /** True for the revision the workload currently runs. */
  current: boolean;
}

export interface ImageChange {
  container: string;
  from?: string;
  to?: string;
}

/** The result of planning an undo: a patch to send, a skip, or a refusal. */
export type UndoPlan = UndoPatchPlan | UndoSkipPlan | UndoErrorPlan;

interface UndoPlanBase {
  workload: WorkloadRef;
  /** The revision running now (undefined if unknown). */
  fromRevision?: number;
  /** The resolved target revision. */
  toRevision?: number;
}

export interface UndoPatchPlan extends UndoPlanBase {
  kind: 'patch';
  toRevision: number;
  /** Content-Type of the PATCH request. */
  patchType: typeof JSON_PATCH | typeof STRATEGIC_MERGE_PATCH;
  /** The patch body (JSON value); send JSON.stringify(patch). */
  patch: unknown;
  /** resourceVersion of the object the plan was computed from: re-plan if it changed (409). */
  resourceVersion: string;
  /** kubectl's success message ("rolled back"). */
  message: string;
  /** Human summary: "deployment/web: revision 3 -> 2 (app: nginx:1.26 -> nginx:1.25)". */
  summary: string;
  imageChanges: ImageChange[];
  /** Current template against the target one, for the confirm dialog. */
  diff: TemplateDiff;
  targetTemplate: PodTemplateSpec;
}

export interface UndoSkipPlan extends UndoPlanBase {
  kind: 'skip';
  /** kubectl's message, e.g. "skipped rollback (current template already matches revision 0)". */
  message: string;
}

export interface UndoErrorPlan extends UndoPlanBase {
  kind: 'error';
  /** kubectl's error text. */
  message: string;
}

// ---- shared helpers -------------------------------------------------------------------------

/** metav1.IsControlledBy: a controller owner reference with the owner's uid. */
export function isControlledBy(obj: KubeObject, owner: KubeObject): boolean {
  return (obj.metadata.ownerReferences ?? []).some((r) => r.controller === true && r.uid === owner.metadata.uid);
}

/** metav1.LabelSelectorAsSelector(...).Matches(labels). An empty selector matches everything. */
export function selectorMatches(selector: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector?.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of selector?.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(l[e.key]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(l[e.key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/**
 * deploymentutil.Revision: the revision annotation as an integer; a missing annotation is
 * revision 0; an unparsable one is an error (undefined here, and kubectl skips that object).
 */
export function replicaSetRevision(rs: KubeObject): number | undefined {
  const v = rs.metadata.annotations?.[REVISION_ANNOTATION];
  if (v === undefined) return 0;
  // strconv.ParseInt(v, 10, 64): optional sign, decimal digits only.
  if (!/^[+-]?\d+$/.test(v)) return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** "container=image" for init containers then containers (read without parsing a packed template). */
export function templateImages(t: PodTemplateSpec | undefined): string[] {
  const { initContainers, containers } = templateSummary(t);
  return [...initContainers, ...containers].map((c) => `${c.name}=${c.image ?? ''}`);
}

function imageChanges(from: PodTemplateSpec | undefined, to: PodTemplateSpec | undefined): ImageChange[] {
  const map = (t: PodTemplateSpec | undefined) => {
    const { initContainers, containers } = templateSummary(t);
    return new Map([...initContainers, ...containers].map((c) => [c.name, c.image]));
  };
  const a = map(from);
  const b = map(to);
  const out: ImageChange[] = [];
  for (const [name, img] of a) if (b.get(name) !== img) out.push({ container: name, from: img, to: b.get(name) });
  for (const [name, img] of b) if (!a.has(name)) out.push({ container: name, to: img });
  return out;
}

function describeChanges(changes: ImageChange[]): string {
  if (changes.length === 0) return 'no image change';
  return changes.map((c) => `${c.container}: ${c.from ?? '(none)'} -> ${c.to ?? '(none)'}`).join(', ');
}

function ageSeconds(ts: string | undefined, now: number | undefined): number | undefined {
  if (!ts || now === undefined) return undefined;
  const t = Date.parse(ts);
  return Number.isNaN(t) ? undefined : Math.max(0, Math.floor((now - t) / 1000));
}

const isEmpty = (v: unknown): boolean =>
  v === undefined ||
  v === null ||
  v === '' ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);

/**
 * apiequality.Semantic.DeepEqual on JSON values: a missing field equals null, "", [] and {}
 * (Go's zero values that the API omits), so a lean or re-encoded template compares equal.
 * Two packed templates with the same spec JSON compare their other fields only.
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (isEmpty(a) && isEmpty(b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => semanticEqual(x, b[i]));
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    const sameSpec = samePackedSpec(a, b);
    for (const k of new Set([...Object.keys(ao), ...Object.keys(bo)])) {
      if (!(sameSpec && k === 'spec') && !semanticEqual(ao[k], bo[k])) return false;
    }
    return true;
  }
  return a === b;
}

/** kubectl's equalIgnoreHash: templates equal but for the pod-template-hash label. */
export function equalIgnoreHash(a: PodTemplateSpec, b: PodTemplateSpec): boolean {
  return semanticEqual(withoutHashLabel(a), withoutHashLabel(b));
}

function byCreation(a: KubeObject, b: KubeObject): number {
  // replicaSetsByCreationTimestamp: creation time, then name.
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) {
    const da = Date.parse(ta);
    const db = Date.parse(tb);
    if (!Number.isNaN(da) && !Number.isNaN(db) && da !== db) return da - db;
  }
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

// ---- Deployments ----------------------------------------------------------------------------

/**
 * deploymentutil.GetAllReplicaSets: the ReplicaSets in the Deployment's namespace matching its
 * selector and controlled by it, sorted by creation time (then name), with the "new" ReplicaSet
 * (the oldest whose template equals the Deployment's, ignoring the hash) moved last.
 */
export function deploymentReplicaSets(d: Deployment, replicaSets: Iterable<ReplicaSet>): ReplicaSet[] {
  const owned: ReplicaSet[] = [];
  for (const rs of replicaSets) {
    if (rs.metadata.namespace !== d.metadata.namespace) continue;
    if (!selectorMatches(d.spec.selector, rs.metadata.labels)) continue;
    if (isControlledBy(rs, d)) owned.push(rs);
  }
  owned.sort(byCreation);
  const newIdx = owned.findIndex((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
  if (newIdx >= 0) owned.push(...owned.splice(newIdx, 1));
  return owned;
}

/** The Deployment's current revision: its revision annotation, else the highest ReplicaSet revision. */
export function deploymentCurrentRevision(d: Deployment, owned: ReplicaSet[]): number | undefined {
  const own = d.metadata.annotations?.[REVISION_ANNOTATION];
  if (own !== undefined) {
    const r = replicaSetRevision(d);
    if (r !== undefined) return r;
  }
  let max: number | undefined;
  for (const rs of owned) {
    const r = replicaSetRevision(rs);
    if (r !== undefined && (max === undefined || r > max)) max = r;
  }
  return max;
}

/**
 * `kubectl rollout history deployment/X`: one entry per revision, ascending. As in kubectl, a
 * ReplicaSet without the revision annotation is revision 0, an unparsable one is skipped, and
 * when two share a revision the later one in GetAllReplicaSets order wins.
 */
export function deploymentHistory(d: Deployment, replicaSets: Iterable<ReplicaSet>, now?: number): RevisionEntry[] {
  const owned = deploymentReplicaSets(d, replicaSets);
  const current = deploymentCurrentRevision(d, owned);
  const byRevision = new Map<number, ReplicaSet>();
  for (const rs of owned) {
    const r = replicaSetRevision(rs);
    if (r !== undefined) byRevision.set(r, rs);
  }
  return [...byRevision.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([revision, rs]) => ({
      revision,
      source: { kind: 'ReplicaSet' as const, name: rs.metadata.name },
      createdAt: rs.metadata.creationTimestamp,
      ageSeconds: ageSeconds(rs.metadata.creationTimestamp, now),
      changeCause: rs.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION] || undefined,
      images: templateImages(rs.spec.template),
      template: rs.spec.template,
      current: revision === current,
    }));
}

/**
 * Plan `kubectl rollout undo deployment/X [--to-revision=N]` (toRevision 0 = previous).
 * Same checks in the same order as DeploymentRollbacker.Rollback: negative revision, revision
 * lookup, paused, skip when the template already matches, then the JSON patch.
 */
export function planDeploymentUndo(d: Deployment, replicaSets: Iterable<ReplicaSet>, toRevision = 0): UndoPlan {
  const workload: WorkloadRef = { kind: 'Deployment', namespace: d.metadata.namespace ?? 'default', name: d.metadata.name };
  const owned = deploymentReplicaSets(d, replicaSets);
  const fromRevision = deploymentCurrentRevision(d, owned);
  const base = { workload, fromRevision };
  if (toRevision < 0) return { ...base, kind: 'error', message: revisionNotFound(toRevision) };

  // deploymentRevision(): one pass keeping the newest and second-newest revision.
  let target: ReplicaSet | undefined;
  let targetRevision: number | undefined;
  let latestRevision = -1;
  let latest: ReplicaSet | undefined;
  let previousRevision = -1;
  let previous: ReplicaSet | undefined;
  for (const rs of owned) {
    const v = replicaSetRevision(rs);
    if (v === undefined) continue;
    if (toRevision === 0) {
      if (latestRevision < v) {
        previousRevision = latestRevision;
        previous = latest;
        latestRevision = v;
        latest = rs;
      } else if (previousRevision < v) {
        previousRevision = v;
        previous = rs;
      }
    } else if (toRevision === v) {
      target = rs;
      targetRevision = v;
      break;
    }
  }
  if (toRevision > 0 && !target) return { ...base, kind: 'error', message: revisionNotFound(toRevision) };
  if (toRevision === 0) {
    if (!previous) return { ...base, kind: 'error', message: `no rollout history found for deployment "${d.metadata.name}"` };
    target = previous;
    targetRevision = previousRevision;
  }
  const resolved = { ...base, toRevision: targetRevision };

  if (d.spec.paused) {
    return {
      ...resolved,
      kind: 'error',
      message: `you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again`,
    };
  }
  // kubectl prints the revision as asked (0 when undoing to the previous one).
  if (equalIgnoreHash(target!.spec.template, d.spec.template)) {
    return { ...resolved, kind: 'skip', message: `skipped rollback (current template already matches revision ${toRevision})` };
  }

  const template = withoutHashLabel(target!.spec.template);
  const annotations = rollbackAnnotations(d, target!);
  const changes = imageChanges(d.spec.template, template);
  return {
    ...resolved,
    toRevision: targetRevision!,
    kind: 'patch',
    patchType: JSON_PATCH,
    patch: [
      { op: 'replace', path: '/spec/template', value: template },
      { op: 'replace', path: '/metadata/annotations', value: annotations },
    ],
    resourceVersion: d.metadata.resourceVersion,
    message: 'rolled back',
    summary: `deployment/${d.metadata.name}: revision ${fromRevision ?? '?'} -> ${targetRevision} (${describeChanges(changes)})`,
    imageChanges: changes,
    diff: diffTemplates(d.spec.template, template),
    targetTemplate: template,
  };
}

/**
 * The annotations kubectl writes on rollback: the skip-listed ones the Deployment has, plus every
 * ReplicaSet annotation that is not skip-listed. Other Deployment annotations are dropped (the
 * patch replaces the whole map). Keys sorted, as Go's json.Marshal writes a map.
 */
export function rollbackAnnotations(d: Deployment, rs: ReplicaSet): Record<string, string> {
  const skip = new Set(ANNOTATIONS_TO_SKIP);
  const out: Record<string, string> = {};
  for (const k of ANNOTATIONS_TO_SKIP) {
    const v = d.metadata.annotations?.[k];
    if (v !== undefined) out[k] = v;
  }
  for (const [k, v] of Object.entries(rs.metadata.annotations ?? {})) if (!skip.has(k)) out[k] = v;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function revisionNotFound(r: number): string {
  return `unable to find specified revision ${r} in history`;
}

// ---- StatefulSets and DaemonSets (ControllerRevisions) -------------------------------------

/** controlledHistory: ControllerRevisions in the namespace matching the selector and controlled by the owner. */
export function ownedControllerRevisions(owner: StatefulSet | DaemonSet, revisions: Iterable<ControllerRevision>): ControllerRevision[] {
  const out: ControllerRevision[] = [];
  for (const cr of revisions) {
    if (cr.metadata.namespace !== owner.metadata.namespace) continue;
    if (!selectorMatches(owner.spec.selector, cr.metadata.labels)) continue;
    if (isControlledBy(cr, owner)) out.push(cr);
  }
  return out;
}

/** The pod template stored in a ControllerRevision's data (`{spec: {template: {..., $patch: replace}}}`). */
export function revisionTemplate(cr: ControllerRevision): PodTemplateSpec | undefined {
  const t = (cr.data as { spec?: { template?: Record<string, unknown> } } | undefined)?.spec?.template;
  if (!t) return undefined;
  const { $patch: _ignored, ...template } = t;
  return template as unknown as PodTemplateSpec;
}

/** The patch the StatefulSet/DaemonSet controller and kubectl build from the current object. */
export function controllerRevisionPatch(owner: StatefulSet | DaemonSet): unknown {
  return { spec: { template: copyTemplate(owner.spec.template, { $patch: 'replace' }) } };
}

function currentControllerRevision(owner: StatefulSet | DaemonSet, owned: ControllerRevision[]): ControllerRevision | undefined {
  const update = owner.status?.updateRevision;
  if (update) {
    const cr = owned.find((c) => c.metadata.name === update);
    if (cr) return cr;
  }
  const matching = owned.filter((c) => semanticEqual(controllerRevisionPatch(owner), c.data));
  const pool = matching.length > 0 ? matching : owned;
  return pool.reduce<ControllerRevision | undefined>((best, c) => (!best || c.revision > best.revision ? c : best), undefined);
}

/** `kubectl rollout history statefulset/X` or `daemonset/X`: one entry per revision, ascending. */
export function controllerRevisionHistory(
  owner: StatefulSet | DaemonSet,
  revisions: Iterable<ControllerRevision>,
  now?: number,
): RevisionEntry[] {
  const owned = ownedControllerRevisions(owner, revisions);
  const current = currentControllerRevision(owner, owned);
  const byRevision = new Map<number, ControllerRevision>();
  for (const cr of owned) byRevision.set(cr.revision, cr); // kubectl: "assume revisions don't overlap"
  return [...byRevision.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([revision, cr]) => {
      const template = revisionTemplate(cr) ?? { spec: { containers: [] } };
      return {
        revision,
        source: { kind: 'ControllerRevision' as const, name: cr.metadata.name },
        createdAt: cr.metadata.creationTimestamp,
        ageSeconds: ageSeconds(cr.metadata.creationTimestamp, now),
        changeCause: cr.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION] || undefined,
        images: templateImages(template),
        template,
        current: cr === current,
      };
    });
}

/**
 * Plan `kubectl rollout undo statefulset/X` or `daemonset/X` (toRevision 0 = previous): the
 * target ControllerRevision's data, sent as a strategic-merge patch. kubectl has no paused check
 * here. Its "already matches" check compares the bytes of the patch built from the current object
 * with the revision data; this compares the JSON values semantically (see `semanticEqual`), which
 * agrees whenever both come from the API server.
 */
export function planControllerRevisionUndo(
  kind: 'StatefulSet' | 'DaemonSet',
  owner: StatefulSet | DaemonSet,
  revisions: Iterable<ControllerRevision>,
  toRevision = 0,
): UndoPlan {
  const workload: WorkloadRef = { kind, namespace: owner.metadata.namespace ?? 'default', name: owner.metadata.name };
  const owned = ownedControllerRevisions(owner, revisions);
  const fromRevision = currentControllerRevision(owner, owned)?.revision;
  const base = { workload, fromRevision };
  if (toRevision < 0) return { ...base, kind: 'error', message: revisionNotFound(toRevision) };
  if (toRevision === 0 && owned.length <= 1) return { ...base, kind: 'error', message: 'no last revision to roll back to' };

  // findHistory: the second-highest revision, or the first with the asked number.
  let target: ControllerRevision | undefined;
  if (toRevision === 0) target = [...owned].sort((a, b) => a.revision - b.revision)[owned.length - 2];
  else target = owned.find((c) => c.revision === toRevision);
  if (!target) return { ...base, kind: 'error', message: revisionNotFound(toRevision) };
  const resolved = { ...base, toRevision: target.revision };

  if (semanticEqual(controllerRevisionPatch(owner), target.data)) {
    return { ...resolved, kind: 'skip', message: `skipped rollback (current template already matches revision ${toRevision})` };
  }
  const template = revisionTemplate(target) ?? { spec: { containers: [] } };
  const changes = imageChanges(owner.spec.template, template);
  return {
    ...resolved,
    toRevision: target.revision,
    kind: 'patch',
    patchType: STRATEGIC_MERGE_PATCH,
    patch: structuredClone(target.data),
    resourceVersion: owner.metadata.resourceVersion,
    message: 'rolled back',
    summary: `${kind.toLowerCase()}/${owner.metadata.name}: revision ${fromRevision ?? '?'} -> ${target.revision} (${describeChanges(changes)})`,
    imageChanges: changes,
    diff: diffTemplates(owner.spec.template, template),
    targetTemplate: template,
  };
}

// ---- rollout state --------------------------------------------------------------------------

export type RolloutPhase = 'progressing' | 'complete' | 'stalled' | 'paused';

export interface RolloutState {
  phase: RolloutPhase;
  /** updated / desired, in 0..1 (1 when nothing is desired). */
  progress: number;
  desired: number;
  updated: number;
  ready: number;
  available: number;
  /** kubectl rollout status's message (without the trailing newline). */
  message: string;
}

const fraction = (updated: number, desired: number): number => (desired <= 0 ? 1 : Math.min(1, Math.max(0, updated / desired)));

/** Rollout state of a Deployment, following kubectl's DeploymentStatusViewer (paused first). */
export function deploymentRolloutState(d: Deployment): RolloutState {
  const s = d.status ?? {};
  const desired = d.spec.replicas ?? 1;
  const updated = s.updatedReplicas ?? 0;
  const counts = { desired, updated, ready: s.readyReplicas ?? 0, available: s.availableReplicas ?? 0, progress: fraction(updated, desired) };
  const name = d.metadata.name;
  if (d.spec.paused) return { ...counts, phase: 'paused', message: `deployment "${name}" is paused` };
  if ((d.metadata.generation ?? 0) > (s.observedGeneration ?? 0)) {
    return { ...counts, phase: 'progressing', message: 'Waiting for deployment spec update to be observed...' };
  }
  const cond = s.conditions?.find((c) => c.type === 'Progressing');
  if (cond?.reason === 'ProgressDeadlineExceeded') {
    return { ...counts, phase: 'stalled', message: `deployment "${name}" exceeded its progress deadline` };
  }
  if (updated < desired) {
    return { ...counts, phase: 'progressing', message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${desired} new replicas have been updated...` };
  }
  const replicas = s.replicas ?? 0;
  if (replicas > updated) {
    return { ...counts, phase: 'progressing', message: `Waiting for deployment "${name}" rollout to finish: ${replicas - updated} old replicas are pending termination...` };
  }
  if (counts.available < updated) {
    return { ...counts, phase: 'progressing', message: `Waiting for deployment "${name}" rollout to finish: ${counts.available} of ${updated} updated replicas are available...` };
  }
  return { ...counts, phase: 'complete', message: `deployment "${name}" successfully rolled out` };
}

/** Rollout state of a StatefulSet, following kubectl's StatefulSetStatusViewer. */
export function statefulSetRolloutState(sts: StatefulSet): RolloutState {
  const s = sts.status ?? {};
  const desired = sts.spec.replicas ?? 1;
  const updated = s.updatedReplicas ?? 0;
  const ready = s.readyReplicas ?? 0;
  const counts = { desired, updated, ready, available: s.availableReplicas ?? 0, progress: fraction(updated, desired) };
  const type = sts.spec.updateStrategy?.type ?? 'RollingUpdate';
  if (type !== 'RollingUpdate') {
    // OnDelete: kubectl refuses; show whether pods still run the old revision.
    const done = !s.updateRevision || s.updateRevision === s.currentRevision;
    return { ...counts, phase: done ? 'complete' : 'progressing', message: done ? 'OnDelete: all pods at the update revision' : `OnDelete: ${updated} of ${desired} pods at revision ${s.updateRevision} (delete pods to update)` };
  }
  if (!s.observedGeneration || (sts.metadata.generation ?? 0) > s.observedGeneration) {
    return { ...counts, phase: 'progressing', message: 'Waiting for statefulset spec update to be observed...' };
  }
  if (ready < desired) return { ...counts, phase: 'progressing', message: `Waiting for ${desired - ready} pods to be ready...` };
  const ru = sts.spec.updateStrategy?.rollingUpdate;
  if (ru) {
    if (ru.partition !== undefined && updated < desired - ru.partition) {
      const want = desired - ru.partition;
      return { ...counts, progress: fraction(updated, want), phase: 'progressing', message: `Waiting for partitioned roll out to finish: ${updated} out of ${want} new pods have been updated...` };
    }
    return { ...counts, phase: 'complete', message: `partitioned roll out complete: ${updated} new pods have been updated...` };
  }
  if (s.updateRevision !== s.currentRevision) {
    return { ...counts, phase: 'progressing', message: `waiting for statefulset rolling update to complete ${updated} pods at revision ${s.updateRevision}...` };
  }
  return { ...counts, phase: 'complete', message: `statefulset rolling update complete ${s.currentReplicas ?? 0} pods at revision ${s.currentRevision}...` };
}

/** Rollout state of a DaemonSet, following kubectl's DaemonSetStatusViewer. */
export function daemonSetRolloutState(ds: DaemonSet): RolloutState {
  const s = ds.status ?? {};
  const desired = s.desiredNumberScheduled ?? 0;
  const updated = s.updatedNumberScheduled ?? 0;
  const available = s.numberAvailable ?? 0;
  const counts = { desired, updated, ready: s.numberReady ?? 0, available, progress: fraction(updated, desired) };
  const name = ds.metadata.name;
  const type = ds.spec.updateStrategy?.type ?? 'RollingUpdate';
  if (type !== 'RollingUpdate') {
    const done = updated >= desired;
    return { ...counts, phase: done ? 'complete' : 'progressing', message: done ? 'OnDelete: all pods updated' : `OnDelete: ${updated} of ${desired} pods updated (delete pods to update)` };
  }
  if ((ds.metadata.generation ?? 0) > (s.observedGeneration ?? 0)) {
    return { ...counts, phase: 'progressing', message: 'Waiting for daemon set spec update to be observed...' };
  }
  if (updated < desired) {
    return { ...counts, phase: 'progressing', message: `Waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...` };
  }
  if (available < desired) {
    return { ...counts, phase: 'progressing', message: `Waiting for daemon set "${name}" rollout to finish: ${available} of ${desired} updated pods are available...` };
  }
  return { ...counts, phase: 'complete', message: `daemon set "${name}" successfully rolled out` };
}

/** Rollout state of any of the three kinds. */
export function rolloutState(kind: WorkloadKind, obj: Deployment | StatefulSet | DaemonSet): RolloutState {
  if (kind === 'Deployment') return deploymentRolloutState(obj as Deployment);
  if (kind === 'StatefulSet') return statefulSetRolloutState(obj as StatefulSet);
  return daemonSetRolloutState(obj as DaemonSet);
}

export { POD_TEMPLATE_HASH_LABEL };
