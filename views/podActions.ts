// The safe actions on a row (pod list, object detail): find the object an action applies to,
// ask the shell to confirm (a dialog naming the object and the context), then run it through
// Actions (readonly refusal, 403 naming the permission, action log) and say how it went.
import type { Action, Actions, ScalableKind, WorkloadKind } from '../src/kube/actions.js';
import type { Pod, ResourceKind } from '../src/kube/types.js';
import type { ClusterStore } from '../src/store/clusterStore.js';
import { useContext } from 'react';
import { ActionsContext } from './actionsContext.js';
import type { DetailTarget } from './ObjectDetailView.js';
import { useShell, useViewActions, type ShellApi } from './shell.js';

export interface WorkloadRef {
  kind: WorkloadKind | 'ReplicaSet';
  resource: ResourceKind;
  namespace: string;
  name: string;
}

const RESOURCE_OF: Record<string, ResourceKind> = { Deployment: 'deployments', StatefulSet: 'statefulsets', DaemonSet: 'daemonsets', ReplicaSet: 'replicasets' };

/** The workload a pod belongs to: its controller, and a ReplicaSet's Deployment when it has one. */
export function ownerWorkload(store: ClusterStore, pod: Pod): WorkloadRef | undefined {
  const ns = pod.metadata.namespace ?? 'default';
  const ref = pod.metadata.ownerReferences?.find((r) => r.controller) ?? pod.metadata.ownerReferences?.[0];
  if (!ref || !RESOURCE_OF[ref.kind]) return undefined;
  if (ref.kind === 'ReplicaSet') {
    const rs = store.get('replicasets', `${ns}/${ref.name}`);
    const dep = rs?.metadata.ownerReferences?.find((r) => r.kind === 'Deployment');
    if (dep) return { kind: 'Deployment', resource: 'deployments', namespace: ns, name: dep.name };
  }
  return { kind: ref.kind as WorkloadRef['kind'], resource: RESOURCE_OF[ref.kind], namespace: ns, name: ref.name };
}

export function isScalable(kind: string): kind is ScalableKind {
  return kind === 'Deployment' || kind === 'StatefulSet' || kind === 'ReplicaSet';
}

export function isRestartable(kind: string): kind is WorkloadKind {
  return kind === 'Deployment' || kind === 'StatefulSet' || kind === 'DaemonSet';
}

/**
 * Ask the shell to confirm `action` (it refuses in --readonly), then run it and report the
 * result in the status line. `done` hears the result (e.g. to leave a detail that is gone).
 */
export function confirmAndRun(shell: ShellApi, actions: Actions | null, action: Action, done?: (ok: boolean) => void): void {
  if (!actions) return shell.notify('actions are not available here (no cluster connection)', 'error');
  const d = actions.describeAction(action);
  shell.confirm({
    title: d.title,
    object: d.object,
    // The context has its own line in the dialog already.
    details: d.lines.filter((l) => !l.startsWith('context ')),
    onConfirm: async () => {
      const r = await actions.run(action);
      shell.notify(r.message, r.ok ? 'info' : 'error');
      done?.(r.ok);
    },
  });
}

/**
 * The pod list's row keys (keymap section `podlist`): delete the pod, restart or scale its
 * workload, cordon/uncordon or drain its node, its logs. `selected()` is the pod key under the
 * cursor; `open` shows an object detail (logs, the workload's scale prompt).
 */
export function usePodRowActions(store: ClusterStore, selected: () => string | undefined, open: (t: DetailTarget) => void, active: boolean): void {
  const shell = useShell();
  const actions = useContext(ActionsContext);
  useViewActions((action) => {
    if (!active) return false;
    const names = ['delete', 'restart', 'scale', 'cordon', 'drain', 'logs'];
    if (!names.includes(action)) return false;
    const key = selected();
    const pod = key ? store.get('pods', key) : undefined;
    if (!pod) return shell.notify(key ? `pod ${key} is gone` : 'no pod selected'), true;
    const ns = pod.metadata.namespace ?? 'default';
    const w = ownerWorkload(store, pod);
    switch (action) {
      case 'delete':
        confirmAndRun(shell, actions, { type: 'deletePod', namespace: ns, name: pod.metadata.name });
        return true;
      case 'restart':
        if (!w || !isRestartable(w.kind)) return shell.notify(`restart: pod ${ns}/${pod.metadata.name} has no Deployment, StatefulSet or DaemonSet`), true;
        confirmAndRun(shell, actions, { type: 'rolloutRestart', kind: w.kind, namespace: w.namespace, name: w.name });
        return true;
      case 'scale':
        if (!w || !isScalable(w.kind)) return shell.notify(`scale: pod ${ns}/${pod.metadata.name} has no Deployment, StatefulSet or ReplicaSet${w ? ` (its ${w.kind} runs one per node)` : ''}`), true;
        if (!store.get(w.resource, `${w.namespace}/${w.name}`)) return shell.notify(`scale: ${w.kind} ${w.namespace}/${w.name} is not in the cache yet`), true;
        open({ kind: w.resource, key: `${w.namespace}/${w.name}`, scale: true });
        return true;
      case 'cordon':
      case 'drain': {
        const node = pod.spec.nodeName ? store.get('nodes', pod.spec.nodeName) : undefined;
        if (!pod.spec.nodeName) return shell.notify(`${action}: pod ${ns}/${pod.metadata.name} is not on a node`), true;
        if (action === 'drain') confirmAndRun(shell, actions, { type: 'drain', name: pod.spec.nodeName, ignoreDaemonSets: true });
        else confirmAndRun(shell, actions, { type: node?.spec.unschedulable ? 'uncordon' : 'cordon', name: pod.spec.nodeName });
        return true;
      }
      case 'logs':
        open({ kind: 'pods', key: key!, tab: 'logs' });
        return true;
    }
    return false;
  });
}
