// The one module through which kfleet writes to a cluster. Views never call the cluster: they
// describe an action (for the confirm dialog), then run it here. Every action
//   - is refused without a request when kfleet runs with --readonly,
//   - reads what it needs fresh from the server (never the store's lean copies),
//   - does what the kubectl command would (same requests, same checks, same messages),
//   - turns expected failures into a result (a 403 names the missing permission),
//   - is appended to the action log, whatever came of it.
//
// kubectl references (kubernetes/kubernetes, staging/src/k8s.io/kubectl/pkg/):
//   cmd/rollout/rollout_undo.go + polymorphichelpers/rollback.go   rollout undo
//   polymorphichelpers/objectrestarter.go                           rollout restart
//   scale/scale.go (ScaleSimple: merge patch of the scale subresource)
//   drain/cordon.go, drain/drain.go, drain/filters.go               cordon, uncordon, drain
import { KubeError, type KubeClient } from './client.js';
import { ActionLog, type ActionLogEntry, type ActionOutcome } from './actionLog.js';
import type { ControllerRevision, DaemonSet, Deployment, LabelSelector, ReplicaSet, StatefulSet } from './types.js';
import { planControllerRevisionUndo, planDeploymentUndo, type UndoPlan, type WorkloadKind } from '../model/rollout.js';

export type { WorkloadKind } from '../model/rollout.js';
export type ScalableKind = 'Deployment' | 'StatefulSet' | 'ReplicaSet';

export interface WorkloadArgs {
  kind: WorkloadKind;
  namespace: string;
  name: string;
}

export interface DrainOptions {
  /** Delete pods no controller manages (kubectl --force). */
  force?: boolean;
  /** Leave DaemonSet-managed pods alone instead of refusing (kubectl --ignore-daemonsets). */
  ignoreDaemonSets?: boolean;
  /** Evict pods with emptyDir volumes; their data is lost (kubectl --delete-emptydir-data). */
  deleteEmptyDirData?: boolean;
  /** Grace period for each pod; -1 or unset: the pod's own (kubectl --grace-period). */
  gracePeriodSeconds?: number;
  /** Delete pods instead of evicting them, bypassing PodDisruptionBudgets (kubectl --disable-eviction). */
  disableEviction?: boolean;
  /** How long to wait for the pods to be gone (default 60 s). */
  timeoutSeconds?: number;
}

/** Everything kfleet can do to a cluster. `ACTION_TYPES` lists the `type`s. */
export type Action =
  | ({ type: 'rolloutUndo'; toRevision?: number } & WorkloadArgs)
  | ({ type: 'rolloutRestart' } & WorkloadArgs)
  | { type: 'scale'; kind: ScalableKind; namespace: string; name: string; replicas: number }
  | { type: 'deletePod'; namespace: string; name: string; force?: boolean }
  | { type: 'deleteVolumeAttachment'; name: string }
  | { type: 'cordon'; name: string }
  | { type: 'uncordon'; name: string }
  | ({ type: 'drain'; name: string } & DrainOptions);

export type ActionType = Action['type'];
export const ACTION_TYPES: readonly ActionType[] = ['rolloutUndo', 'rolloutRestart', 'scale', 'deletePod', 'deleteVolumeAttachment', 'cordon', 'uncordon', 'drain'];

export interface ActionResult {
  ok: boolean;
  /** One line for the status bar, kubectl's wording where kubectl has one. */
  message: string;
  details?: ActionDetails;
}

export interface ActionDetails {
  /** Rollout undo. */
  fromRevision?: number;
  toRevision?: number;
  plan?: UndoPlan;
  /** How many times a rollout undo was re-planned after a 409 Conflict. */
  conflictRetries?: number;
  /** The permission a 403 said was missing. */
  forbidden?: Permission;
  /** The server's own error text. */
  serverMessage?: string;
  /** Drain: "namespace/name" of pods in each outcome. */
  evicted?: string[];
  deleted?: string[];
  ignored?: string[];
  blocked?: string[];
  failed?: string[];
  warnings?: string[];
  /** Drain: false when the cluster has no pods/eviction and pods were deleted instead. */
  usedEviction?: boolean;
  /** Set when the action log could not be written. */
  logError?: string;
}

/** The confirm dialog's text for an action. */
export interface ActionDescription {
  /** "Roll back deployment/checkout". */
  title: string;
  /** "deployment/checkout in namespace shop". */
  object: string;
  /** The kubeconfig context it will run against. */
  context: string;
  /** What will happen, one line each; the kubectl equivalent last. */
  lines: string[];
}

/** An RBAC permission: what a 403 says is missing. */
export interface Permission {
  verb: string;
  resource: string;
  subresource?: string;
  group: string;
  namespace?: string;
}

export const READONLY_MESSAGE = 'refused: kfleet is in --readonly mode';
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
const CONFLICT_RETRIES = 3;

const MERGE_PATCH = 'application/merge-patch+json';
const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';

// kubectl's drain filter messages (drain/filters.go), and its "cannot delete %s: %s" wrapper.
const DAEMONSET_FATAL = 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)';
const DAEMONSET_WARNING = 'ignoring DaemonSet-managed Pods';
const LOCAL_STORAGE_FATAL = 'Pods with local storage (use --delete-emptydir-data to override)';
const LOCAL_STORAGE_WARNING = 'deleting Pods with local storage';
const UNMANAGED_FATAL = 'cannot delete Pods that declare no controller (use --force to override)';
const UNMANAGED_WARNING = 'deleting Pods that declare no controller';

// ---- object naming ---------------------------------------------------------------------------

interface KindInfo {
  resource: string;
  group: string;
  /** kubectl's "kind.group" in its messages: "deployment.apps". */
  kubectlName: string;
}

const KINDS: Record<WorkloadKind | ScalableKind, KindInfo> = {
  Deployment: { resource: 'deployments', group: 'apps', kubectlName: 'deployment.apps' },
  StatefulSet: { resource: 'statefulsets', group: 'apps', kubectlName: 'statefulset.apps' },
  DaemonSet: { resource: 'daemonsets', group: 'apps', kubectlName: 'daemonset.apps' },
  ReplicaSet: { resource: 'replicasets', group: 'apps', kubectlName: 'replicaset.apps' },
};

const SCALABLE: ReadonlySet<string> = new Set<ScalableKind>(['Deployment', 'StatefulSet', 'ReplicaSet']);

const enc = encodeURIComponent;

function appsPath(resource: string, namespace: string, name?: string, sub?: string): string {
  return `/apis/apps/v1/namespaces/${enc(namespace)}/${resource}${name !== undefined ? `/${enc(name)}` : ''}${sub ? `/${sub}` : ''}`;
}

/** The log's and dialog's name of an action's object: kind/name, plus its namespace. */
function actionObject(a: Action): { object: string; namespace?: string } {
  switch (a.type) {
    case 'rolloutUndo':
    case 'rolloutRestart':
    case 'scale':
      return { object: `${a.kind.toLowerCase()}/${a.name}`, namespace: a.namespace };
    case 'deletePod':
      return { object: `pod/${a.name}`, namespace: a.namespace };
    case 'deleteVolumeAttachment':
      return { object: `volumeattachment/${a.name}` };
    case 'cordon':
    case 'uncordon':
    case 'drain':
      return { object: `node/${a.name}` };
  }
}

/** kubectl's spelling of the equivalent command, for the confirm dialog. */
function kubectlCommand(a: Action): string {
  const ns = 'namespace' in a ? ` -n ${a.namespace}` : '';
  switch (a.type) {
    case 'rolloutUndo':
      return `kubectl rollout undo ${a.kind.toLowerCase()}/${a.name}${ns}${a.toRevision ? ` --to-revision=${a.toRevision}` : ''}`;
    case 'rolloutRestart':
      return `kubectl rollout restart ${a.kind.toLowerCase()}/${a.name}${ns}`;
    case 'scale':
      return `kubectl scale ${a.kind.toLowerCase()}/${a.name}${ns} --replicas=${a.replicas}`;
    case 'deletePod':
      return `kubectl delete pod ${a.name}${ns}${a.force ? ' --force --grace-period=0' : ''}`;
    case 'deleteVolumeAttachment':
      return `kubectl delete volumeattachment ${a.name}`;
    case 'cordon':
    case 'uncordon':
      return `kubectl ${a.type} ${a.name}`;
    case 'drain': {
      const flags = [
        a.ignoreDaemonSets ? ' --ignore-daemonsets' : '',
        a.deleteEmptyDirData ? ' --delete-emptydir-data' : '',
        a.force ? ' --force' : '',
        a.disableEviction ? ' --disable-eviction' : '',
        a.gracePeriodSeconds !== undefined && a.gracePeriodSeconds >= 0 ? ` --grace-period=${a.gracePeriodSeconds}` : '',
      ].join('');
      return `kubectl drain ${a.name}${flags}`;
    }
  }
}

/** The confirm dialog's text: what, where (object and context) and the kubectl equivalent. */
export function describeAction(a: Action, context: string, opts: { readonly?: boolean; plan?: UndoPlan } = {}): ActionDescription {
  const { object: obj, namespace } = actionObject(a);
  const object = namespace ? `${obj} in namespace ${namespace}` : obj;
  const lines: string[] = [];
  let title: string;
  switch (a.type) {
    case 'rolloutUndo': {
      title = `Roll back ${obj}`;
      const p = opts.plan;
      if (p?.kind === 'patch') {
        lines.push(`revision ${p.fromRevision ?? '?'} -> ${p.toRevision}`);
        for (const c of p.imageChanges) lines.push(`${c.container}: ${c.from ?? '(none)'} -> ${c.to ?? '(none)'}`);
      } else if (p) lines.push(p.message);
      else lines.push(a.toRevision ? `to revision ${a.toRevision}` : 'to the previous revision');
      break;
    }
    case 'rolloutRestart':
      title = `Restart ${obj}`;
      lines.push('every pod is replaced, following the rollout strategy');
      break;
    case 'scale':
      title = `Scale ${obj}`;
      lines.push(`to ${a.replicas} replica${a.replicas === 1 ? '' : 's'}`);
      break;
    case 'deletePod':
      title = `${a.force ? 'Force delete' : 'Delete'} ${obj}`;
      lines.push(a.force ? 'immediately, without waiting for the kubelet to confirm the pod stopped' : 'its controller, if any, creates a replacement');
      break;
    case 'deleteVolumeAttachment':
      title = `Delete ${obj}`;
      lines.push('the volume is detached from its node so that another node can attach it');
      lines.push('only safe when no running pod on that node still uses the volume');
      break;
    case 'cordon':
      title = `Cordon ${obj}`;
      lines.push('no new pods are scheduled there; running pods stay');
      break;
    case 'uncordon':
      title = `Uncordon ${obj}`;
      lines.push('new pods may be scheduled there again');
      break;
    case 'drain':
      title = `Drain ${obj}`;
      lines.push('cordon it, then evict its pods' + (a.disableEviction ? ' (deleting them, ignoring PodDisruptionBudgets)' : ' (PodDisruptionBudgets are respected)'));
      lines.push(a.ignoreDaemonSets ? 'DaemonSet-managed pods are left alone' : 'refused if DaemonSet-managed pods run there');
      lines.push(a.deleteEmptyDirData ? 'pods with emptyDir volumes are evicted and their local data is lost' : 'refused if pods with emptyDir data run there');
      lines.push(a.force ? 'pods without a controller are deleted and NOT recreated' : 'refused if pods without a controller run there');
      break;
  }
  lines.push(`context ${context}`);
  if (opts.readonly) lines.push(`${READONLY_MESSAGE}: this will not run`);
  lines.push(`same as: ${kubectlCommand(a)}`);
  return { title, object, context, lines };
}

// ---- selectors and small helpers --------------------------------------------------------------

/** metav1.LabelSelectorAsSelector(...).String(): requirements sorted by key, as kubectl sends them. */
export function selectorString(sel: LabelSelector | undefined): string {
  const reqs: [string, string][] = [];
  for (const [k, v] of Object.entries(sel?.matchLabels ?? {})) reqs.push([k, `${k}=${v}`]);
  for (const e of sel?.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    const r =
      e.operator === 'In' ? `${e.key} in (${values})`
      : e.operator === 'NotIn' ? `${e.key} notin (${values})`
      : e.operator === 'Exists' ? e.key
      : e.operator === 'DoesNotExist' ? `!${e.key}`
      : undefined;
    if (r === undefined) throw new Error(`"${e.operator}" is not a valid label selector operator`);
    reqs.push([e.key, r]);
  }
  return reqs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, r]) => r).join(',');
}

/** time.Now().Format(time.RFC3339) in local time, as kubectl writes restartedAt. */
export function rfc3339Local(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const off = -d.getTimezoneOffset();
  const zone = off === 0 ? 'Z' : `${off > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${zone}`;
}

/** "forbidden: you need "patch" on deployments.apps in namespace shop". */
export function permissionMessage(p: Permission): string {
  const res = `${p.resource}${p.group ? `.${p.group}` : ''}${p.subresource ? ` (subresource ${p.subresource})` : ''}`;
  return `forbidden: you need "${p.verb}" on ${res} ${p.namespace ? `in namespace ${p.namespace}` : 'at the cluster scope'}`;
}

/** A request failure carrying the permission the request needed, for a 403's message. */
class RequestFailure extends Error {
  constructor(
    readonly error: KubeError,
    readonly permission: Permission,
  ) {
    super(error.message);
  }
}

/** What the log records besides the object and the result. */
interface LogExtras {
  fromRevision?: number;
  toRevision?: number;
}

interface RawPod {
  metadata: { name: string; namespace: string; uid: string; annotations?: Record<string, string>; ownerReferences?: { kind: string; name: string; controller?: boolean }[] };
  spec: { volumes?: { name: string; emptyDir?: unknown }[] };
  status?: { phase?: string };
}

// ---- the module -------------------------------------------------------------------------------

export interface ActionsOptions {
  client: KubeClient;
  contextName: string;
  readonly: boolean;
  /** Default: the log under $XDG_STATE_HOME/kfleet/. */
  log?: ActionLog;
  /** Clock for the restartedAt annotation and the log (tests). */
  now?: () => Date;
  /** Drain: how often to check whether evicted pods are gone (default 1 s, as kubectl). */
  pollIntervalMs?: number;
}

export class Actions {
  readonly client: KubeClient;
  readonly contextName: string;
  readonly readonly: boolean;
  readonly log: ActionLog;
  private readonly now: () => Date;
  private readonly pollIntervalMs: number;

  constructor(opts: ActionsOptions) {
    this.client = opts.client;
    this.contextName = opts.contextName;
    this.readonly = opts.readonly;
    this.log = opts.log ?? new ActionLog();
    this.now = opts.now ?? (() => new Date());
    this.pollIntervalMs = opts.pollIntervalMs ?? 1000;
  }

  /** The confirm dialog's text, naming the object and this context. */
  describeAction(a: Action, plan?: UndoPlan): ActionDescription {
    return describeAction(a, this.contextName, { readonly: this.readonly, plan });
  }

  /** Run any action (what the confirm dialog calls after "y"). */
  run(a: Action): Promise<ActionResult> {
    switch (a.type) {
      case 'rolloutUndo': return this.rolloutUndo(a);
      case 'rolloutRestart': return this.rolloutRestart(a);
      case 'scale': return this.scale(a);
      case 'deletePod': return this.deletePod(a);
      case 'deleteVolumeAttachment': return this.deleteVolumeAttachment(a);
      case 'cordon': return this.cordon(a);
      case 'uncordon': return this.uncordon(a);
      case 'drain': return this.drain(a);
    }
  }

  // ---- rollout undo ---------------------------------------------------------------------------

  /**
   * Plan an undo from fresh reads without applying it (allowed in --readonly): what the confirm
   * dialog shows (target revision, template diff, or kubectl's refusal).
   */
  async previewRolloutUndo(args: WorkloadArgs & { toRevision?: number }): Promise<{ ok: true; plan: UndoPlan } | ActionResult> {
    try {
      return { ok: true, plan: await this.planUndo(args, args.toRevision ?? 0) };
    } catch (e) {
      return this.failure(e);
    }
  }

  /** `kubectl rollout undo KIND/NAME -n NS [--to-revision=N]`. */
  rolloutUndo(args: WorkloadArgs & { toRevision?: number }): Promise<ActionResult> {
    const action: Action = { type: 'rolloutUndo', ...args };
    return this.perform(action, async (extras) => {
      const ki = KINDS[args.kind];
      const toRevision = args.toRevision ?? 0;
      for (let attempt = 0; ; attempt++) {
        const plan = await this.planUndo(args, toRevision);
        extras.fromRevision = plan.fromRevision;
        extras.toRevision = plan.toRevision ?? (toRevision || undefined);
        const details: ActionDetails = { fromRevision: plan.fromRevision, toRevision: plan.toRevision, plan, ...(attempt ? { conflictRetries: attempt } : {}) };
        const who = `${ki.kubectlName}/${args.name}`;
        if (plan.kind === 'error') return { ok: false, message: plan.message, details };
        if (plan.kind === 'skip') return { ok: true, message: `${who} ${plan.message}`, details, outcome: 'skipped' };
        // kubectl sends the patch unconditionally. kfleet adds the resourceVersion it planned
        // from, so a change made meanwhile is a 409 and the undo is planned again on fresh data
        // rather than overwriting it. The resulting object is the same as kubectl's.
        const body =
          plan.patchType === STRATEGIC_MERGE_PATCH
            ? { ...(plan.patch as Record<string, unknown>), metadata: { resourceVersion: plan.resourceVersion } }
            : [{ op: 'replace', path: '/metadata/resourceVersion', value: plan.resourceVersion }, ...(plan.patch as unknown[])];
        try {
          await this.request(
            { verb: 'patch', resource: ki.resource, group: ki.group, namespace: args.namespace },
            appsPath(ki.resource, args.namespace, args.name),
            { method: 'PATCH', body, contentType: plan.patchType },
          );
        } catch (e) {
          if (e instanceof RequestFailure && e.error.kind === 'conflict' && attempt < CONFLICT_RETRIES) continue;
          if (e instanceof RequestFailure && e.error.kind === 'conflict') {
            return { ok: false, message: `${who}: the object kept changing; gave up after ${attempt + 1} attempts (409 Conflict)`, details };
          }
          throw e;
        }
        return { ok: true, message: `${who} ${plan.message} (revision ${plan.fromRevision ?? '?'} -> ${plan.toRevision})`, details };
      }
    });
  }

  /** Fresh reads, then the model's plan. Throws RequestFailure. */
  private async planUndo(args: WorkloadArgs, toRevision: number): Promise<UndoPlan> {
    const ki = KINDS[args.kind];
    const ns = args.namespace;
    const obj = await this.request<Deployment | StatefulSet | DaemonSet>(
      { verb: 'get', resource: ki.resource, group: ki.group, namespace: ns },
      appsPath(ki.resource, ns, args.name),
    );
    // kubectl lists by the workload's selector and keeps what the workload controls.
    const selector = `?labelSelector=${enc(selectorString(obj.spec.selector))}`;
    if (args.kind === 'Deployment') {
      const list = await this.request<{ items: ReplicaSet[] }>(
        { verb: 'list', resource: 'replicasets', group: 'apps', namespace: ns },
        appsPath('replicasets', ns) + selector,
      );
      return planDeploymentUndo(obj as Deployment, list.items, toRevision);
    }
    const list = await this.request<{ items: ControllerRevision[] }>(
      { verb: 'list', resource: 'controllerrevisions', group: 'apps', namespace: ns },
      appsPath('controllerrevisions', ns) + selector,
    );
    return planControllerRevisionUndo(args.kind, obj as StatefulSet | DaemonSet, list.items, toRevision);
  }

  // ---- rollout restart, scale -------------------------------------------------------------------

  /** `kubectl rollout restart KIND/NAME -n NS`: stamp the pod template with restartedAt. */
  rolloutRestart(args: WorkloadArgs): Promise<ActionResult> {
    return this.perform({ type: 'rolloutRestart', ...args }, async () => {
      const ki = KINDS[args.kind];
      const perm = { resource: ki.resource, group: ki.group, namespace: args.namespace };
      const path = appsPath(ki.resource, args.namespace, args.name);
      const obj = await this.request<Deployment>({ verb: 'get', ...perm }, path);
      if (args.kind === 'Deployment' && obj.spec.paused) {
        return { ok: false, message: "can't restart paused deployment (run rollout resume first)" };
      }
      const patch = { spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: rfc3339Local(this.now()) } } } } };
      await this.request({ verb: 'patch', ...perm }, path, { method: 'PATCH', body: patch, contentType: STRATEGIC_MERGE_PATCH });
      return { ok: true, message: `${ki.kubectlName}/${args.name} restarted` };
    });
  }

  /** `kubectl scale KIND/NAME -n NS --replicas=N`: a merge patch of the scale subresource. */
  scale(args: { kind: ScalableKind; namespace: string; name: string; replicas: number }): Promise<ActionResult> {
    return this.perform({ type: 'scale', ...args }, async () => {
      // Checked before any request: DaemonSets have no scale subresource.
      if (!SCALABLE.has(args.kind)) return { ok: false, message: `cannot scale a ${args.kind}` };
      if (!Number.isInteger(args.replicas) || args.replicas < 0) {
        return { ok: false, message: `cannot scale ${args.kind.toLowerCase()}/${args.name}: replicas must be a whole number >= 0` };
      }
      const ki = KINDS[args.kind];
      await this.request(
        { verb: 'patch', resource: ki.resource, subresource: 'scale', group: ki.group, namespace: args.namespace },
        appsPath(ki.resource, args.namespace, args.name, 'scale'),
        { method: 'PATCH', body: { spec: { replicas: args.replicas } }, contentType: MERGE_PATCH },
      );
      return { ok: true, message: `${ki.kubectlName}/${args.name} scaled` };
    });
  }

  // ---- deletions ------------------------------------------------------------------------------

  /** `kubectl delete pod NAME -n NS [--force --grace-period=0]`. */
  deletePod(args: { namespace: string; name: string; force?: boolean }): Promise<ActionResult> {
    return this.perform({ type: 'deletePod', ...args }, async () => {
      await this.request(
        { verb: 'delete', resource: 'pods', group: '', namespace: args.namespace },
        `/api/v1/namespaces/${enc(args.namespace)}/pods/${enc(args.name)}`,
        { method: 'DELETE', body: deleteOptions(args.force ? 0 : undefined) },
      );
      return { ok: true, message: `pod "${args.name}" ${args.force ? 'force deleted' : 'deleted'}` };
    });
  }

  /** `kubectl delete volumeattachment NAME`: lets a volume stuck on a dead node attach elsewhere. */
  deleteVolumeAttachment(args: { name: string }): Promise<ActionResult> {
    return this.perform({ type: 'deleteVolumeAttachment', ...args }, async () => {
      await this.request(
        { verb: 'delete', resource: 'volumeattachments', group: 'storage.k8s.io' },
        `/apis/storage.k8s.io/v1/volumeattachments/${enc(args.name)}`,
        { method: 'DELETE', body: deleteOptions() },
      );
      return { ok: true, message: `volumeattachment.storage.k8s.io "${args.name}" deleted` };
    });
  }

  // ---- nodes ------------------------------------------------------------------------------------

  /** `kubectl cordon NAME`. */
  cordon(args: { name: string }): Promise<ActionResult> {
    return this.perform({ type: 'cordon', ...args }, () => this.setUnschedulable(args.name, true));
  }

  /** `kubectl uncordon NAME`. */
  uncordon(args: { name: string }): Promise<ActionResult> {
    return this.perform({ type: 'uncordon', ...args }, () => this.setUnschedulable(args.name, false));
  }

  /** CordonHelper: read the node; patch spec.unschedulable unless it already is as wanted. */
  private async setUnschedulable(name: string, desired: boolean): Promise<ActionResult & { outcome?: ActionOutcome }> {
    const path = `/api/v1/nodes/${enc(name)}`;
    const node = await this.request<{ spec?: { unschedulable?: boolean } }>({ verb: 'get', resource: 'nodes', group: '' }, path);
    const verb = desired ? 'cordoned' : 'uncordoned';
    if ((node.spec?.unschedulable ?? false) === desired) return { ok: true, message: `node/${name} already ${verb}`, outcome: 'skipped' };
    // kubectl's two-way merge patch: `false` is the field's zero value, omitted, hence null.
    await this.request({ verb: 'patch', resource: 'nodes', group: '' }, path, {
      method: 'PATCH',
      body: { spec: { unschedulable: desired ? true : null } },
      contentType: STRATEGIC_MERGE_PATCH,
    });
    return { ok: true, message: `node/${name} ${verb}` };
  }

  /**
   * `kubectl drain NAME` with its safeguards: cordon first; then refuse (leaving the node
   * cordoned, as kubectl does) if any pod may not go: DaemonSet-managed (unless
   * ignoreDaemonSets), emptyDir data (unless deleteEmptyDirData), no controller (unless force).
   * Mirror pods are skipped. Pods are evicted through the Eviction API, or deleted when the
   * cluster has none (kubectl's CheckEvictionSupport) or disableEviction is set. A 429 (a
   * PodDisruptionBudget) is reported, not retried: kubectl retries every 5 s until its timeout;
   * an operator in a TUI would rather see it at once and decide.
   */
  drain(args: { name: string } & DrainOptions): Promise<ActionResult> {
    return this.perform({ type: 'drain', ...args }, async () => {
      const node = args.name;
      const cordon = await this.setUnschedulable(node, true);
      const list = await this.request<{ items: RawPod[] }>(
        { verb: 'list', resource: 'pods', group: '' },
        `/api/v1/pods?fieldSelector=${enc(`spec.nodeName=${node}`)}`,
      );

      // drain/filters.go, in kubectl's order; the first filter that does not delete wins.
      const errors = new Map<string, string[]>();
      const warnings = new Map<string, string[]>();
      const ignored: string[] = [];
      const toEvict: RawPod[] = [];
      const daemonSets = new Map<string, Promise<RequestFailure | undefined>>();
      const add = (m: Map<string, string[]>, msg: string, pod: string) => m.set(msg, [...(m.get(msg) ?? []), pod]);
      for (const pod of list.items) {
        const id = `${pod.metadata.namespace}/${pod.metadata.name}`;
        const finished = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
        const ctrl = (pod.metadata.ownerReferences ?? []).find((r) => r.controller);
        if (ctrl?.kind === 'DaemonSet' && !finished) {
          const key = `${pod.metadata.namespace}/${ctrl.name}`;
          if (!daemonSets.has(key)) {
            daemonSets.set(
              key,
              this.request({ verb: 'get', resource: 'daemonsets', group: 'apps', namespace: pod.metadata.namespace }, appsPath('daemonsets', pod.metadata.namespace, ctrl.name)).then(
                () => undefined,
                (e) => (e instanceof RequestFailure ? e : Promise.reject(e)),
              ),
            );
          }
          const err = await daemonSets.get(key)!;
          if (err) {
            // An orphan of a deleted DaemonSet goes with --force; any other error stops the drain.
            if (err.error.kind === 'notfound' && args.force) add(warnings, err.error.message, id), toEvict.push(pod);
            else if (err.error.kind === 'forbidden') throw err;
            else add(errors, err.error.message, id);
          } else if (!args.ignoreDaemonSets) add(errors, DAEMONSET_FATAL, id);
          else add(warnings, DAEMONSET_WARNING, id), ignored.push(id);
          continue;
        }
        if (pod.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) {
          ignored.push(id);
          continue;
        }
        if (!finished && (pod.spec.volumes ?? []).some((v) => v.emptyDir)) {
          if (!args.deleteEmptyDirData) {
            add(errors, LOCAL_STORAGE_FATAL, id);
            continue;
          }
          add(warnings, LOCAL_STORAGE_WARNING, id);
        }
        if (!finished && !ctrl) {
          if (!args.force) {
            add(errors, UNMANAGED_FATAL, id);
            continue;
          }
          add(warnings, UNMANAGED_WARNING, id);
        }
        toEvict.push(pod);
      }
      const warningLines = [...warnings].map(([msg, pods]) => `${msg}: ${pods.join(', ')}`);
      if (errors.size > 0) {
        const why = [...errors].map(([msg, pods]) => `cannot delete ${msg}: ${pods.join(', ')}`).join('; ');
        return {
          ok: false,
          message: `unable to drain node "${node}" (${cordon.message}, left cordoned): ${why}`,
          details: { failed: [...errors.values()].flat(), ignored, warnings: warningLines },
        };
      }

      const useEviction = !args.disableEviction && (await this.evictionSupported());
      const gone = await Promise.all(toEvict.map((p) => this.evictOrDelete(p, useEviction, args.gracePeriodSeconds)));
      const done: RawPod[] = [];
      const blocked: string[] = [];
      const failed: string[] = [];
      const problems: string[] = [];
      gone.forEach((r, i) => {
        const pod = toEvict[i]!;
        const id = `${pod.metadata.namespace}/${pod.metadata.name}`;
        if (r === 'ok') done.push(pod);
        else if (r === 'blocked') blocked.push(id);
        else failed.push(id), problems.push(`${id}: ${r}`);
      });
      const stuck = await this.waitForDeletion(done, (args.timeoutSeconds ?? 60) * 1000);
      const ids = done.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
      const details: ActionDetails = {
        [useEviction ? 'evicted' : 'deleted']: ids,
        ignored,
        blocked,
        failed: [...failed, ...stuck],
        warnings: warningLines,
        usedEviction: useEviction,
      };
      const how = useEviction ? 'evicted' : 'deleted (this cluster has no Eviction API)';
      if (blocked.length || failed.length || stuck.length) {
        const why = [
          blocked.length ? `${blocked.length} blocked by a PodDisruptionBudget (429): ${blocked.join(', ')}` : '',
          problems.join('; '),
          stuck.length ? `still there after ${args.timeoutSeconds ?? 60}s: ${stuck.join(', ')}` : '',
        ].filter(Boolean).join('; ');
        return { ok: false, message: `node/${node} not fully drained (${ids.length} pods ${how}, left cordoned): ${why}`, details };
      }
      return { ok: true, message: `node/${node} drained (${ids.length} pods ${how}${ignored.length ? `, ${ignored.length} ignored` : ''})`, details };
    });
  }

  /** kubectl's CheckEvictionSupport: does the core API list a pods/eviction subresource? */
  private async evictionSupported(): Promise<boolean> {
    const list = await this.request<{ resources?: { name: string }[] }>({ verb: 'get', resource: 'discovery', group: '' }, '/api/v1');
    return (list.resources ?? []).some((r) => r.name === 'pods/eviction');
  }

  /** Evict (or delete) one pod: 'ok' (also when already gone), 'blocked' on a 429, or the error. */
  private async evictOrDelete(pod: RawPod, eviction: boolean, gracePeriodSeconds?: number): Promise<'ok' | 'blocked' | string> {
    const { name, namespace } = pod.metadata;
    const podPath = `/api/v1/namespaces/${enc(namespace)}/pods/${enc(name)}`;
    const grace = gracePeriodSeconds !== undefined && gracePeriodSeconds >= 0 ? gracePeriodSeconds : undefined;
    try {
      if (eviction) {
        await this.request({ verb: 'create', resource: 'pods', subresource: 'eviction', group: '', namespace }, `${podPath}/eviction`, {
          method: 'POST',
          body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace }, deleteOptions: deleteOptions(grace) },
        });
      } else {
        await this.request({ verb: 'delete', resource: 'pods', group: '', namespace }, podPath, { method: 'DELETE', body: deleteOptions(grace) });
      }
      return 'ok';
    } catch (e) {
      if (!(e instanceof RequestFailure)) throw e;
      if (e.error.kind === 'notfound') return 'ok';
      if (e.error.status === 429) return 'blocked';
      if (e.error.kind === 'forbidden') throw e;
      return e.error.message;
    }
  }

  /** kubectl waits until each pod is gone or replaced by a new one of the same name (new uid). */
  private async waitForDeletion(pods: RawPod[], timeoutMs: number): Promise<string[]> {
    let pending = pods;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const still = await Promise.all(
        pending.map(async (p) => {
          try {
            const cur = await this.client.json<RawPod>(`/api/v1/namespaces/${enc(p.metadata.namespace)}/pods/${enc(p.metadata.name)}`);
            return cur.metadata.uid === p.metadata.uid;
          } catch (e) {
            if (e instanceof KubeError && e.kind === 'notfound') return false;
            return true; // unknown: keep waiting
          }
        }),
      );
      pending = pending.filter((_, i) => still[i]);
      if (pending.length === 0 || Date.now() >= deadline) return pending.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
      await new Promise((r) => setTimeout(r, this.pollIntervalMs));
    }
  }

  // ---- plumbing -------------------------------------------------------------------------------

  /** One request; a KubeError becomes a RequestFailure that knows the permission it needed. */
  private async request<T>(perm: Permission, path: string, opts: { method?: 'GET' | 'POST' | 'PATCH' | 'DELETE'; body?: unknown; contentType?: string } = {}): Promise<T> {
    try {
      return await this.client.json<T>(path, opts);
    } catch (e) {
      if (e instanceof KubeError) throw new RequestFailure(e, perm);
      throw e;
    }
  }

  /** Turn an exception into a result: 403 names the permission; other errors keep the server's text. */
  private failure(e: unknown): ActionResult {
    if (e instanceof RequestFailure) {
      const serverMessage = e.error.message;
      if (e.error.kind === 'forbidden') return { ok: false, message: permissionMessage(e.permission), details: { forbidden: e.permission, serverMessage } };
      return { ok: false, message: serverMessage, details: { serverMessage } };
    }
    if (e instanceof KubeError) return { ok: false, message: e.message, details: { serverMessage: e.message } };
    return { ok: false, message: `unexpected error: ${(e as Error)?.message ?? String(e)}` };
  }

  /**
   * The frame of every action: the --readonly refusal (before any request), the body, the
   * conversion of errors into a result, and the log line.
   */
  private async perform(action: Action, body: (extras: LogExtras) => Promise<ActionResult & { outcome?: ActionOutcome }>): Promise<ActionResult> {
    const extras: LogExtras = {};
    let result: ActionResult & { outcome?: ActionOutcome };
    if (this.readonly) result = { ok: false, message: READONLY_MESSAGE, outcome: 'refused' };
    else {
      try {
        result = await body(extras);
      } catch (e) {
        result = this.failure(e);
      }
    }
    if (action.type === 'rolloutUndo' && extras.toRevision === undefined && action.toRevision) extras.toRevision = action.toRevision;
    const { outcome, ...out } = result;
    const { object, namespace } = actionObject(action);
    const entry: ActionLogEntry = {
      time: this.now().toISOString(),
      context: this.contextName,
      action: action.type,
      object,
      ...(namespace !== undefined ? { namespace } : {}),
      ...(extras.fromRevision !== undefined ? { fromRevision: extras.fromRevision } : {}),
      ...(extras.toRevision !== undefined ? { toRevision: extras.toRevision } : {}),
      result: outcome ?? (out.ok ? 'ok' : 'failed'),
      message: out.message,
    };
    const logError = this.log.append(entry);
    if (logError) out.details = { ...out.details, logError };
    return out;
  }
}

/** DeleteOptions as kubectl sends them: background cascading, optional grace period. */
function deleteOptions(gracePeriodSeconds?: number): Record<string, unknown> {
  return { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background', ...(gracePeriodSeconds !== undefined ? { gracePeriodSeconds } : {}) };
}
