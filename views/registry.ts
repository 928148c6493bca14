// The views the shell can show. A feature view plugs in by replacing its placeholder entry:
// `component` gets ViewProps (views/shell.tsx); `name` is also its keymap section.
import type { ComponentType } from 'react';
import type { ViewScope } from '../src/keys/actions.js';
import type { ResourceKind } from '../src/kube/types.js';
import type { ClusterStore } from '../src/store/clusterStore.js';
import { NodesView } from './NodesView.js';
import { FleetView } from './FleetView.js';
import { PodListView, podListPreparing, preparePodList } from './PodListView.js';
import { EventsView } from './EventsView.js';
import { RolloutsView } from './RolloutsView.js';
import { PodsTreeView, podsTreePreparing } from './PodsTreeView.js';
import { placeholderView } from './PlaceholderView.js';
import { VolumesView, volumesPreparing } from './VolumesView.js';
import type { ViewProps } from './shell.js';

export interface ViewDef {
  /** Registry name, keymap section and `:` palette name. */
  name: ViewScope;
  title: string;
  component: ComponentType<ViewProps>;
  /** Other words that open it from the palette (e.g. "po", "no"). */
  paletteAliases: string[];
  /** The kinds it reads: the header shows their list progress and counts. */
  kinds: ResourceKind[];
  /** Actions shown as key hints in the status line (view scope first, then global). */
  hints: string[];
  /** False for placeholders (the palette says the view is not built yet). */
  built: boolean;
  /**
   * When the view's first render would build a model over many objects (grouping 150,000
   * pods, reading every workload): what it is doing, e.g. "grouping 150,000 pods…". The shell
   * then draws a frame with the view's title and that text before it mounts the view, so the
   * key's frame never waits for the build. Undefined (the default): mount at once.
   */
  preparing?: (store: ClusterStore, namespace: string | undefined) => string | undefined;
  /** Background work that lets the view open at once, started when its kinds are synced (views/prepareViews.ts). */
  prepareWhenSynced?: (store: ClusterStore) => void;
}

const COMMON_HINTS = ['help', 'palette', 'filter', 'contextPicker', 'quit'];

export const VIEWS: ViewDef[] = [
  { name: 'nodes', title: 'Nodes', component: NodesView, paletteAliases: ['no', 'node'], kinds: ['nodes', 'pods'], hints: ['sort', 'reverse', 'group', 'missing', ...COMMON_HINTS], built: true },
  // Pods grouped by a label hierarchy (issue 4); the plain list stays as `podlist`.
  { name: 'pods', title: 'Pods', component: PodsTreeView, paletteAliases: ['po', 'pod'], kinds: ['pods'], hints: ['toggle', 'editHierarchy', 'sort', 'conventions', ...COMMON_HINTS], built: true, preparing: podsTreePreparing },
  { name: 'volumes', title: 'Volumes', component: VolumesView, paletteAliases: ['pvc', 'pv', 'vol'], kinds: ['persistentvolumeclaims', 'persistentvolumes', 'volumeattachments', 'pods', 'events'], hints: ['fix', 'risks', ...COMMON_HINTS], built: true, preparing: volumesPreparing },
  { name: 'rollouts', title: 'Rollouts', component: RolloutsView, paletteAliases: ['deploy', 'deployments', 'ro', 'sts', 'ds'], kinds: ['deployments', 'statefulsets', 'daemonsets', 'replicasets', 'controllerrevisions'], hints: ['undo', 'history', ...COMMON_HINTS], built: true },
  { name: 'events', title: 'Events', component: EventsView, paletteAliases: ['ev', 'event'], kinds: ['events'], hints: ['warningsOnly', ...COMMON_HINTS], built: true },
  { name: 'fleet', title: 'Fleet', component: FleetView, paletteAliases: ['clusters', 'contexts'], kinds: ['nodes'], hints: ['refresh', ...COMMON_HINTS], built: true },
  { name: 'podlist', title: 'Pod list', component: PodListView, paletteAliases: [], kinds: ['pods'], hints: COMMON_HINTS, built: true, preparing: podListPreparing, prepareWhenSynced: preparePodList },
];

export function findView(name: string, views: readonly ViewDef[] = VIEWS): ViewDef | undefined {
  return views.find((v) => v.name === name);
}

/** Palette words -> view name. */
export function paletteViewNames(views: readonly ViewDef[] = VIEWS): Map<string, string> {
  const m = new Map<string, string>();
  for (const v of views) m.set(v.name, v.name);
  for (const v of views) for (const a of v.paletteAliases) if (!m.has(a)) m.set(a, v.name);
  return m;
}
