// Object detail, opened from a row of any view: tabs describe (kubectl describe-like summary
// with the object's own events), events, yaml (the lean object, no managedFields) and, for
// pods, logs (follow, container pick, previous instance, search, wrap).
//
// Keys come from the `detail` section of the keymap (the host view pushes that scope while
// the detail is open); the cursor keys scroll; `/` searches the current tab (the shell's
// filter input, which starts empty inside the detail); esc clears the search, then closes.
// Actions (delete, restart, scale, cordon/uncordon, drain) go through the shell's confirm.
import { Box, Text } from 'ink';
import { useContext, useEffect, useMemo, useRef, useState } from 'react';
import YAML from 'yaml';
import type { Action } from '../src/kube/actions.js';
import { logContainers } from '../src/kube/logs.js';
import { RESOURCES, type Deployment, type KubeObject, type Node, type Pod, type ResourceKind } from '../src/kube/types.js';
import { describeObject, eventLines } from '../src/model/describe.js';
import type { ClusterStore } from '../src/store/clusterStore.js';
import { ActionsContext } from './actionsContext.js';
import { truncate } from './format.js';
import { TextPane, arraySource, bottomTop, logStatus, searchLines, useLogStream, type TextSource } from './LogsPane.js';
import { confirmAndRun, isRestartable, isScalable, ownerWorkload } from './podActions.js';
import { eventsOfObject } from './selectors/events.js';
import { useKeyScope, useShell, useViewActions } from './shell.js';
import { useStore } from './useStore.js';

export interface DetailTarget {
  kind: ResourceKind;
  /** Store key: "namespace/name" or "name". */
  key: string;
  /** Open on this tab (e.g. "logs"). */
  tab?: Tab;
  /** Open with the scale prompt (from a pod row: its workload). */
  scale?: boolean;
}

export type Tab = 'describe' | 'events' | 'yaml' | 'logs';

export interface ObjectDetailProps {
  store: ClusterStore;
  target: DetailTarget;
  width: number;
  height: number;
  /** The `/` text: searches the current tab. */
  filter: string;
  onClose: () => void;
}

const WORKLOAD_KIND: Partial<Record<ResourceKind, 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet'>> = {
  deployments: 'Deployment',
  statefulsets: 'StatefulSet',
  daemonsets: 'DaemonSet',
  replicasets: 'ReplicaSet',
};

/** The lean object as YAML, with apiVersion and kind first like kubectl get -o yaml. */
export function leanYaml(kind: ResourceKind, obj: KubeObject): string[] {
  const r = RESOURCES[kind];
  const { apiVersion: _a, kind: _k, ...rest } = obj as KubeObject & Record<string, unknown>;
  const doc = { apiVersion: r.group ? `${r.group}/${r.version}` : r.version, kind: r.objectKind, ...rest };
  // Lean objects share equal values (a workload's labels are also its selector): no YAML anchors.
  return YAML.stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false }).replace(/\n$/, '').split('\n');
}

export function ObjectDetailView({ store, target, width, height, filter, onClose }: ObjectDetailProps) {
  const shell = useShell();
  const actions = useContext(ActionsContext);
  useKeyScope('detail');
  const version = useStore(store, (s) => s.version);
  const live = store.get(target.kind, target.key) as KubeObject | undefined;
  // Keep showing the last known state once the object is gone (deleted), and say so.
  const last = useRef<KubeObject | undefined>(live);
  if (live) last.current = live;
  const obj = live ?? last.current;
  const isPod = target.kind === 'pods';
  const tabs: Tab[] = isPod ? ['describe', 'events', 'yaml', 'logs'] : ['describe', 'events', 'yaml'];
  const [tab, setTab] = useState<Tab>(target.tab && tabs.includes(target.tab) ? target.tab : 'describe');
  const [wrap, setWrap] = useState(false);
  const [tops, setTops] = useState<Record<string, number>>({});
  const [current, setCurrent] = useState<number | undefined>(undefined);
  // Logs.
  const containers = isPod && obj ? logContainers(obj as Pod) : [];
  const [container, setContainer] = useState<string | undefined>(undefined);
  const [previous, setPrevious] = useState(false);
  const [follow, setFollow] = useState(true);
  const [stick, setStick] = useState(true);
  const activeContainer = container ?? containers[0];
  const logTarget = isPod && tab === 'logs' && obj && activeContainer ? { namespace: obj.metadata.namespace ?? 'default', pod: obj.metadata.name, container: activeContainer, previous } : undefined;
  const stream = useLogStream(actions?.client, logTarget, follow);
  // Scale prompt.
  const [scaleTo, setScaleTo] = useState<number | undefined>(undefined);

  const now = Date.now();
  const src: TextSource = useMemo(() => {
    if (!obj) return arraySource([]);
    const ref = { kind: RESOURCES[target.kind].objectKind, namespace: obj.metadata.namespace, name: obj.metadata.name, uid: obj.metadata.uid };
    const events = eventsOfObject(store, ref).map((x) => x.event);
    switch (tab) {
      case 'describe':
        return arraySource(describeObject(target.kind, obj, { now, events, pods: target.kind === 'nodes' ? store.objectsByIndex<'pods'>('podsByNode', obj.metadata.name) : undefined }));
      case 'events':
        return arraySource(eventLines(events, now));
      case 'yaml':
        return arraySource(leanYaml(target.kind, obj));
      case 'logs':
        return stream ? { count: stream.lines.size, line: (i) => stream.lines.at(i) ?? '' } : arraySource([]);
    }
  }, [obj, tab, version, stream, stream?.lines.total, stream?.state]); // eslint-disable-line react-hooks/exhaustive-deps

  const bodyHeight = Math.max(1, height - 2);
  const maxTop = bottomTop(src, width - 1, bodyHeight, wrap);
  const following = tab === 'logs' && stick;
  const top = following ? maxTop : Math.min(tops[tab] ?? 0, maxTop);
  const matches = useMemo(() => searchLines(src, filter), [src, filter, src.count]); // eslint-disable-line react-hooks/exhaustive-deps

  // A new search: jump to its first match at or after the top.
  useEffect(() => {
    if (!filter) return setCurrent(undefined);
    const first = matches.find((m) => m >= top) ?? matches[0];
    if (first !== undefined) jump(first);
    else setCurrent(undefined);
  }, [filter, tab]); // eslint-disable-line react-hooks/exhaustive-deps

  function setTop(t: number) {
    const v = Math.max(0, Math.min(maxTop, t));
    setTops((m) => ({ ...m, [tab]: v }));
    if (tab === 'logs') setStick(v >= maxTop && follow);
  }
  function jump(line: number) {
    setCurrent(line);
    setTop(line - Math.floor(bodyHeight / 3));
  }

  const kindLabel = RESOURCES[target.kind].objectKind;
  const workloadKind = WORKLOAD_KIND[target.kind];
  const pod = isPod ? (obj as Pod | undefined) : undefined;
  const run = (a: Action, closeOnOk = false) => confirmAndRun(shell, actions, a, (ok) => ok && closeOnOk && onClose());

  useViewActions((action) => {
    if (scaleTo !== undefined) {
      // The scale prompt: up/down change the count, enter asks to confirm, esc cancels.
      if (action === 'up' || action === 'scale') return setScaleTo(scaleTo + 1), true;
      if (action === 'down') return setScaleTo(Math.max(0, scaleTo - 1)), true;
      if (action === 'back') return setScaleTo(undefined), true;
      if (action === 'enter' && obj && workloadKind && isScalable(workloadKind)) {
        setScaleTo(undefined);
        run({ type: 'scale', kind: workloadKind, namespace: obj.metadata.namespace ?? 'default', name: obj.metadata.name, replicas: scaleTo });
        return true;
      }
      return true;
    }
    switch (action) {
      case 'back':
        if (filter) return false; // the shell clears the search first
        onClose();
        return true;
      case 'up':
        return setTop(top - 1), true;
      case 'down':
        return setTop(top + 1), true;
      case 'pageUp':
        return setTop(top - bodyHeight), true;
      case 'pageDown':
        return setTop(top + bodyHeight), true;
      case 'top':
        return setTop(0), true;
      case 'bottom':
        setTop(maxTop);
        if (tab === 'logs') setStick(true);
        return true;
      case 'enter':
        return true;
      case 'tabNext':
      case 'tabPrev': {
        const i = tabs.indexOf(tab);
        setTab(tabs[(i + (action === 'tabNext' ? 1 : tabs.length - 1)) % tabs.length]);
        setCurrent(undefined);
        return true;
      }
      case 'logs':
        if (!isPod) return shell.notify('logs are for pods'), true;
        setTab('logs');
        return true;
      case 'wrap':
        setWrap(!wrap);
        return true;
      case 'searchNext':
      case 'searchPrev': {
        if (!filter) return shell.notify('no search: type / first'), true;
        if (matches.length === 0) return shell.notify(`no line matches "${filter}"`), true;
        const from = current ?? top;
        const next = action === 'searchNext' ? (matches.find((m) => m > from) ?? matches[0]) : ([...matches].reverse().find((m) => m < from) ?? matches[matches.length - 1]);
        jump(next);
        return true;
      }
      case 'follow':
        if (tab !== 'logs') return shell.notify('follow: open the logs tab first'), true;
        setFollow(!follow || previous);
        setStick(!follow);
        return true;
      case 'container':
        if (!isPod || containers.length === 0) return true;
        setContainer(containers[(containers.indexOf(activeContainer!) + 1) % containers.length]);
        setTab('logs');
        setStick(true);
        return true;
      case 'previous':
        if (!isPod) return true;
        setPrevious(!previous);
        setTab('logs');
        setStick(true);
        return true;
      case 'delete':
        if (!pod) return shell.notify(`delete: only pods can be deleted here (this is a ${kindLabel})`), true;
        run({ type: 'deletePod', namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name }, true);
        return true;
      case 'restart': {
        const w = pod ? ownerWorkload(store, pod) : workloadKind && obj ? { kind: workloadKind, namespace: obj.metadata.namespace ?? 'default', name: obj.metadata.name } : undefined;
        if (!w || !isRestartable(w.kind)) return shell.notify(`restart: ${pod ? 'this pod has no Deployment, StatefulSet or DaemonSet' : `a ${kindLabel} cannot be restarted`}`), true;
        run({ type: 'rolloutRestart', kind: w.kind, namespace: w.namespace, name: w.name });
        return true;
      }
      case 'scale':
        if (!workloadKind || !isScalable(workloadKind) || !obj) return shell.notify(`scale: a ${kindLabel} cannot be scaled${pod ? ' (use s on the pod list row: it opens the workload)' : ''}`), true;
        if (shell.readonly) return shell.notify(`refused: --readonly (scale)`, 'error'), true;
        setScaleTo((obj as Deployment).spec.replicas ?? 1);
        return true;
      case 'cordon':
      case 'drain': {
        const nodeName = target.kind === 'nodes' ? obj?.metadata.name : pod?.spec.nodeName;
        if (!nodeName) return shell.notify(`${action}: no node here`), true;
        if (action === 'drain') run({ type: 'drain', name: nodeName, ignoreDaemonSets: true });
        else {
          const node = store.get('nodes', nodeName) as Node | undefined;
          run({ type: node?.spec.unschedulable ? 'uncordon' : 'cordon', name: nodeName });
        }
        return true;
      }
    }
    return false;
  });

  // Open straight into the scale prompt when asked (s on a pod row).
  useEffect(() => {
    if (target.scale && obj && workloadKind && isScalable(workloadKind) && !shell.readonly) setScaleTo((obj as Deployment).spec.replicas ?? 1);
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const name = obj ? (obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name) : target.key;
  const tabBar = tabs.map((t) => (t === tab ? `[${t}]` : ` ${t} `)).join(' ');
  const head = `${kindLabel} ${name}${live ? '' : obj ? '  (deleted: last known state)' : '  (not found)'}`;
  let sub: string;
  if (scaleTo !== undefined) sub = `scale ${kindLabel.toLowerCase()}/${obj?.metadata.name} to ${scaleTo} replicas  (↑/↓ change · enter confirm · esc cancel)`;
  else if (tab === 'logs') sub = `${logStatus(stream, activeContainer ?? '?', previous)}${stream?.state.error ? ` · ${stream.state.error}` : ''}${!follow ? ' · follow off' : ''}${wrap ? ' · wrap' : ''}`;
  else sub = `${src.count} lines${wrap ? ' · wrap' : ''}`;
  if (filter) sub += ` · /${filter}: ${matches.length} match${matches.length === 1 ? '' : 'es'}`;

  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate">
        {truncate(`${head}   ${tabBar}`, width)}
      </Text>
      <Text dimColor={scaleTo === undefined} color={scaleTo !== undefined ? 'yellow' : undefined} wrap="truncate">
        {truncate(sub, width)}
      </Text>
      <TextPane src={src} top={top} width={width} height={bodyHeight} wrap={wrap} search={filter} current={current} emptyText={tab === 'logs' ? (stream?.state.error ?? 'waiting for log lines…') : '(empty)'} />
    </Box>
  );
}
