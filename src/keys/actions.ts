// Every named action kfleet knows, by keymap scope, with the line `?` help shows for it.
// The keymap (keymaps/default.yaml and the user's file) may only bind actions declared here,
// so a typo is an error naming the file and line instead of a key that silently does nothing.
//
// A feature view adds its actions under its own scope here, binds them in default.yaml, and
// handles them with `useViewActions` (views/shell.tsx).

export interface ActionDef {
  /** One line for `?` help. */
  help: string;
  /** Writes to the cluster: refused (and hidden from help) in --readonly. */
  mutates?: boolean;
}

/** Scopes that take every key while open: global bindings do not apply inside them. */
export const MODAL_SCOPES = ['dialog', 'filter', 'palette', 'help', 'picker'] as const;
/** Scopes of the views (the names in views/registry.ts). */
export const VIEW_SCOPES = ['nodes', 'pods', 'podlist', 'volumes', 'rollouts', 'events', 'fleet'] as const;

/** Scopes a view pushes over its own while a part of it is open (views/shell.tsx useKeyScope). */
export const SUB_SCOPES = ['detail'] as const;

export type ModalScope = (typeof MODAL_SCOPES)[number];
export type ViewScope = (typeof VIEW_SCOPES)[number];
export type SubScope = (typeof SUB_SCOPES)[number];
export type Scope = 'global' | ModalScope | ViewScope | SubScope;

export const SCOPES: readonly Scope[] = ['global', ...VIEW_SCOPES, ...SUB_SCOPES, ...MODAL_SCOPES];

export const ACTIONS: Record<Scope, Record<string, ActionDef>> = {
  global: {
    quit: { help: 'quit kfleet' },
    help: { help: 'show this help' },
    palette: { help: 'command palette (views, ctx NAME, ns NAME, q)' },
    filter: { help: 'filter the current table' },
    up: { help: 'move up' },
    down: { help: 'move down' },
    top: { help: 'go to the first row' },
    bottom: { help: 'go to the last row' },
    pageUp: { help: 'page up' },
    pageDown: { help: 'page down' },
    enter: { help: 'open / drill into the selected row' },
    back: { help: 'back / close / clear' },
    contextPicker: { help: 'pick a context' },
    previousContext: { help: 'switch back to the previous context' },
    namespacePicker: { help: 'pick the namespace scope (or all namespaces)' },
    retry: { help: 'retry the connection now' },
    'view.nodes': { help: 'nodes view' },
    'view.pods': { help: 'pods view' },
    'view.volumes': { help: 'volumes view' },
    'view.rollouts': { help: 'rollouts view' },
    'view.events': { help: 'events view' },
    'view.fleet': { help: 'fleet view' },
  },
  nodes: {
    sort: { help: 'sort by the next column (name, cpu/mem requests, usage, limits, pods, status)' },
    reverse: { help: 'reverse the sort order' },
    group: { help: 'group nodes by zone / instance type / pool label, with subtotals (cycles)' },
    missing: { help: 'list every pod with a container lacking requests or limits' },
  },
  pods: {
    toggle: { help: 'expand / collapse the selected group or pod' },
    expand: { help: 'expand the selected row (again: go to its first child)' },
    collapse: { help: 'collapse the selected row (again: go to its parent)' },
    expandAll: { help: 'expand every group' },
    collapseAll: { help: 'collapse to the top level' },
    depthMore: { help: 'show one level deeper everywhere' },
    depthLess: { help: 'show one level less everywhere' },
    sort: { help: 'sort by name / worst first' },
    editHierarchy: { help: 'edit the grouping levels (saved in settings)' },
    conventions: { help: 'label conventions report: pods missing each level’s label' },
  },
  // The plain pod list: actions on the selected pod (enter opens its detail).
  podlist: {
    delete: { help: 'delete the selected pod (after a confirm)', mutates: true },
    restart: { help: 'rollout restart the workload of the selected pod', mutates: true },
    scale: { help: "scale the selected pod's workload (opens it with the replica count)", mutates: true },
    cordon: { help: "cordon / uncordon the selected pod's node", mutates: true },
    drain: { help: "drain the selected pod's node (ignoring DaemonSet pods)", mutates: true },
    logs: { help: 'logs of the selected pod' },
  },
  volumes: {
    fix: { help: 'do the first fix of the selected volume conflict (after a confirm)', mutates: true },
    risks: { help: 'show rollout risks / back to the conflicts' },
  },
  rollouts: {
    undo: { help: 'roll back: the selected workload to its previous revision, or (in history) to the selected revision', mutates: true },
    history: { help: 'revision history of the selected workload (enter too)' },
    diffDown: { help: 'history: scroll the template diff down' },
    diffUp: { help: 'history: scroll the template diff up' },
  },
  events: {
    warningsOnly: { help: 'show only objects with warnings / everything' },
  },
  // Object detail (enter on a row): describe, events, yaml, logs.
  detail: {
    tabNext: { help: 'next tab (describe, events, yaml, logs)' },
    tabPrev: { help: 'previous tab' },
    logs: { help: 'pod logs tab' },
    follow: { help: 'logs: follow new lines on / off' },
    container: { help: 'logs: next container' },
    previous: { help: 'logs: previous (terminated) instance / current' },
    wrap: { help: 'wrap long lines on / off' },
    searchNext: { help: 'next line matching the / search' },
    searchPrev: { help: 'previous line matching the / search' },
    delete: { help: 'delete this pod (after a confirm)', mutates: true },
    restart: { help: 'rollout restart this workload (a pod: its workload)', mutates: true },
    scale: { help: 'scale this workload: ↑/↓ set the replicas, enter confirms', mutates: true },
    cordon: { help: 'cordon / uncordon this node (a pod: its node)', mutates: true },
    drain: { help: 'drain this node (a pod: its node), ignoring DaemonSet pods', mutates: true },
  },
  fleet: {
    refresh: { help: 'poll every context now' },
  },
  dialog: {
    confirm: { help: 'confirm' },
    cancel: { help: 'cancel' },
  },
  filter: {
    apply: { help: 'keep the filter and return to the table' },
    clear: { help: 'clear the filter' },
  },
  palette: {
    run: { help: 'run the command (or the best completion)' },
    cancel: { help: 'close the palette' },
    complete: { help: 'complete with the best match' },
    historyPrev: { help: 'previous command' },
    historyNext: { help: 'next command' },
  },
  help: {
    close: { help: 'close help' },
  },
  // The context and namespace pickers: other keys type into the fuzzy search.
  picker: {
    pick: { help: 'switch to the selected entry' },
    cancel: { help: 'close the picker' },
    up: { help: 'move up' },
    down: { help: 'move down' },
    pageUp: { help: 'page up' },
    pageDown: { help: 'page down' },
  },
};

export function isScope(s: string): s is Scope {
  return (SCOPES as readonly string[]).includes(s);
}

export function isModalScope(s: Scope): s is ModalScope {
  return (MODAL_SCOPES as readonly string[]).includes(s);
}

export function actionDef(scope: Scope, action: string): ActionDef | undefined {
  return Object.hasOwn(ACTIONS[scope], action) ? ACTIONS[scope][action] : undefined;
}
