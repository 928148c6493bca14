// The app shell: header, the current view, status line, and the overlays (confirm dialog,
// palette, filter input, help, context picker). ONE useInput routes every key:
//
//   confirm dialog > palette > filter input > help > context picker   (modal, first open wins)
//   > the view's own keymap section > global section
//
// A global action goes to the view first (it may take `enter` or `back`), then to the focused
// table (cursor keys), then to the shell (quit, help, palette, views, contexts).
import { Box, Text, useApp, useInput, useWindowSize } from 'ink';
import { useCallback, useContext, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { actionDef, type Scope } from '../src/keys/actions.js';
import { keyNameFromInk, splitKeys } from '../src/keys/keyNames.js';
import type { Keymap } from '../src/keys/keymap.js';
import { Actions } from '../src/kube/actions.js';
import { scrubSecrets, type KubeClient } from '../src/kube/client.js';
import { ClusterStore } from '../src/store/clusterStore.js';
import { truncate } from './format.js';
import { completePalette, paletteCandidates, resolvePalette, type PaletteWorld } from './palette.js';
import { VIEWS, findView, paletteViewNames, type ViewDef } from './registry.js';
import { usePrepareWhenSynced } from './prepareViews.js';
import { ShellContext, offer, type ConfirmRequest, type HandlerStack, type ShellApi, type ShellInternals, type ViewOptions } from './shell.js';
import { useStore } from './useStore.js';
import { ActionsContext } from './actionsContext.js';
import { ActionLog } from '../src/kube/actionLog.js';
import { traceEvent } from '../src/app/trace.js';
import { ConfirmDialog } from './widgets/ConfirmDialog.js';
import { ContextPicker, contextMatches, moveCursor, pickerPage, type PickerMove, type Reach } from './widgets/ContextPicker.js';
import { FleetContext, reachOf, useFleetRows, type FleetSource } from './FleetView.js';
import { NamespacePicker, namespaceItems, namespaceMatches } from './NamespacePicker.js';
import { HEADER_HEIGHT, Header } from './widgets/Header.js';
import { Help, helpLines } from './widgets/Help.js';
import { Palette, paletteHeight } from './widgets/Palette.js';
import { StatusLine, type StatusMessage } from './widgets/StatusLine.js';
import { ViewTitle } from './widgets/ViewTitle.js';

/** What the shell needs of the contexts (ContextManager fits; tests pass a small fake). */
export interface ContextSource {
  readonly contexts: readonly { name: string; server?: string; cluster?: string; user?: string; namespace?: string }[];
  readonly currentName: string | undefined;
  readonly previous: string | undefined;
  readonly namespace: string | undefined;
  readonly current: { readonly store: ClusterStore; retryNow(): void } | undefined;
  switchTo(name: string): unknown;
  switchBack(): unknown;
  setNamespace(ns: string | undefined): void;
  onSwitch(fn: (name: string) => void): () => void;
}

export interface AppProps {
  contexts: ContextSource;
  keymap: Keymap;
  initialView?: string;
  readonly?: boolean;
  demo?: boolean;
  options?: ViewOptions;
  /** Fixed size (tests); otherwise the terminal's, following resizes. */
  width?: number;
  height?: number;
  views?: ViewDef[];
  /** The fleet poller (`:fleet`, and reachability in the context picker). */
  fleet?: FleetSource;
  /** Quit (0) or interrupt (130): the caller unmounts, restores the terminal and exits. */
  onExit: (code: number) => void;
  /**
   * Write a key's frame as soon as it is rendered, past Ink's frame-rate cap (maxFps), which
   * is there for the store's change notices (the CLI sets it; ink-testing-library renders
   * every frame anyway).
   */
  immediateFrames?: boolean;
}

type Overlay = { kind: 'palette'; text: string; history: number } | { kind: 'filter' } | { kind: 'help'; scroll: number } | { kind: 'contexts' | 'namespaces'; query: string; cursor: number } | null;

interface PendingConfirm extends ConfirmRequest {
  context: string;
  busy: boolean;
}

const MESSAGE_MS = 6000;

export function App(props: AppProps) {
  const { contexts, keymap, readonly = false, demo = false, onExit } = props;
  const actionLog = useRef<ActionLog | undefined>(undefined);
  const options = useMemo(() => props.options ?? {}, [props.options]);
  const views = props.views ?? VIEWS;
  const term = useWindowSize();
  const width = props.width ?? term.columns;
  const height = props.height ?? term.rows;

  // Context switches and namespace changes come from the ContextManager.
  const [, bump] = useReducer((x: number) => x + 1, 0);
  useEffect(() => contexts.onSwitch(() => bump()), [contexts]);
  const conn = contexts.current;
  usePrepareWhenSynced(conn?.store, views);
  const contextName = contexts.currentName ?? '';
  const namespace = contexts.namespace;

  const [viewName, setViewName] = useState(() => findView(props.initialView ?? 'pods', views)?.name ?? views[0].name);
  const view = findView(viewName, views) ?? views[0];
  // A view whose first render builds a big model (ViewDef.preparing) gets a frame of its own
  // first: the header, its title and what it prepares. It mounts once that frame is out, and
  // the keys typed meanwhile go to it then.
  const [preparing, setPreparing] = useState<{ view: string; note: string } | undefined>(undefined);
  const heldKeys = useRef<{ input: string; ctrl: boolean; name: string | undefined }[]>([]);
  const preparingNow = useRef(false);
  const shownView = useRef(viewName);
  shownView.current = viewName;
  const { waitUntilRenderFlush } = useApp();
  const flushFrame = props.immediateFrames ? waitUntilRenderFlush : undefined;
  // Overlay, filter and dialog state live in a ref so that several keys arriving in one chunk
  // (fast typing, a pty test writing ":nod") each see the state the previous one left.
  const ui = useRef<{ overlay: Overlay; filter: string; confirm: PendingConfirm | null; subScopes: { scope: Scope; savedFilter: string }[] }>({ overlay: null, filter: '', confirm: null, subScopes: [] }).current;
  const [, redraw] = useReducer((x: number) => x + 1, 0);
  const setOverlay = (o: Overlay) => ((ui.overlay = o), redraw());
  const setFilter = (f: string) => ((ui.filter = f), redraw());
  const setConfirm = (c: PendingConfirm | null) => ((ui.confirm = c), redraw());
  const { overlay, filter, confirm } = ui;
  const [message, setMessage] = useState<StatusMessage | undefined>(undefined);
  const history = useRef<string[]>([]);
  const handlers = useRef<{ view: HandlerStack; nav: HandlerStack }>({ view: [], nav: [] }).current;

  const notify = useCallback((text: string, level: 'info' | 'error' = 'info') => setMessage({ text: scrubSecrets(text), level }), []);
  useEffect(() => {
    if (!message) return;
    const t = setTimeout(() => setMessage(undefined), MESSAGE_MS);
    return () => clearTimeout(t);
  }, [message]);

  const openView = useCallback(
    (name: string) => {
      const v = findView(name, views);
      if (!v) return notify(`unknown view "${name}"`, 'error');
      const store = contexts.current?.store;
      const note = v.name !== shownView.current && store ? v.preparing?.(store, contexts.namespace) : undefined;
      preparingNow.current = note !== undefined;
      shownView.current = v.name;
      setPreparing(note ? { view: v.name, note } : undefined);
      setViewName(v.name);
      setFilter('');
      if (!v.built) notify(`the ${v.name} view is not built yet`);
    },
    [views, notify, contexts],
  );
  useEffect(() => {
    if (!preparing) return;
    let live = true;
    const mount = () => {
      if (!live) return;
      live = false;
      preparingNow.current = false;
      setPreparing(undefined);
    };
    // (A terminal that does not drain, e.g. paused with ctrl+s, holds no key for long.)
    const late = setTimeout(mount, flushFrame ? 250 : 0);
    if (flushFrame) void flushFrame().then(mount);
    return () => {
      live = false;
      clearTimeout(late);
    };
  }, [preparing]); // eslint-disable-line react-hooks/exhaustive-deps
  // Then the keys typed while it prepared go to the mounted view: this effect of the shell
  // runs after the view's own (children first), where it registers its key handlers.
  useEffect(() => {
    if (preparing || heldKeys.current.length === 0) return;
    for (const k of heldKeys.current.splice(0)) onKey(k.input, k.ctrl, k.name);
  }, [preparing]); // eslint-disable-line react-hooks/exhaustive-deps

  const api: ShellApi = useMemo(
    () => ({
      keymap,
      readonly,
      contextName,
      notify,
      openView,
      confirm: (req) => {
        if (readonly) {
          logReadonlyRefusal(actionLog.current, contextName, req.title, req.object);
          return notify(`refused: --readonly (${req.title})`, 'error');
        }
        setConfirm({ ...req, context: contextName, busy: false });
      },
    }),
    [keymap, readonly, contextName, notify, openView],
  );
  // A sub-scope (e.g. the object detail inside a view) gets its own `/` text: the view's filter
  // is put aside while it is open and comes back when it closes.
  const pushScope = useCallback((scope: Scope) => {
    const entry = { scope, savedFilter: ui.filter };
    ui.subScopes.push(entry);
    setFilter('');
    return () => {
      const i = ui.subScopes.lastIndexOf(entry);
      if (i < 0) return;
      ui.subScopes.splice(i, 1);
      setFilter(entry.savedFilter);
    };
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
  const internals: ShellInternals = useMemo(() => ({ api, viewHandlers: handlers.view, navHandlers: handlers.nav, pushScope }), [api, handlers, pushScope]);
  // The Actions of the current context (unless the caller provides them, as tests do).
  const outerActions = useContext(ActionsContext);
  const client = (conn as { client?: KubeClient } | undefined)?.client;
  const actions = useMemo(() => outerActions ?? (client ? new Actions({ client, contextName, readonly }) : null), [outerActions, client, contextName, readonly]);
  // The shell's own readonly refusals go to the same action log as the Actions' lines.
  actionLog.current = actions?.log;

  // Each context keeps its own namespace scope, kubectl-like: first visit = the context's
  // kubeconfig namespace (all when none), then whatever the operator chose there.
  const scopes = useRef(new Map<string, string | undefined>()).current;
  const switchContext = (name: string) => {
    try {
      const from = contexts.currentName;
      if (from !== undefined) scopes.set(from, contexts.namespace);
      contexts.switchTo(name);
      const ns = scopes.has(name) ? scopes.get(name) : contexts.contexts.find((c) => c.name === name)?.namespace;
      if (from !== name && ns !== contexts.namespace) contexts.setNamespace(ns);
      notify(`context ${name}${ns ? ` · namespace ${ns}` : ''}`);
    } catch (e) {
      notify(e instanceof Error ? e.message : String(e), 'error');
    }
  };

  const namespaces = useStore(conn?.store ?? EMPTY_STORE, (s) => [...s.list('namespaces').keys()].sort().join('\n'));
  const world: PaletteWorld = useMemo(
    () => ({ views: paletteViewNames(views), contexts: contexts.contexts.map((c) => c.name), namespaces: namespaces ? namespaces.split('\n') : [] }),
    [views, contexts.contexts, namespaces],
  );
  const nsItems = useMemo(() => namespaceItems((namespaces ? namespaces.split('\n') : []).map((name) => ({ name }))), [namespaces]);
  const paletteText = overlay?.kind === 'palette' ? overlay.text : '';
  const paletteOpen = overlay?.kind === 'palette';
  const matches = useMemo(() => (paletteOpen ? completePalette(paletteText, paletteCandidates(world)) : []), [paletteOpen, paletteText, world]);

  const runPalette = (text: string) => {
    setOverlay(null);
    if (!text.trim()) return;
    history.current = [text, ...history.current.filter((h) => h !== text)].slice(0, 50);
    const cmd = resolvePalette(text, world);
    switch (cmd.kind) {
      case 'view':
        return openView(cmd.name);
      case 'ctx':
        return switchContext(cmd.name);
      case 'ns':
        contexts.setNamespace(cmd.namespace);
        return notify(cmd.namespace ? `namespace ${cmd.namespace}` : 'all namespaces');
      case 'quit':
        return onExit(0);
      case 'error':
        return notify(cmd.message, 'error');
    }
  };

  /** The shell's own handling of a global action. */
  const shellAction = (action: string): void => {
    if (action.startsWith('view.')) return openView(action.slice(5));
    switch (action) {
      case 'quit':
        return onExit(0);
      case 'help':
        return setOverlay({ kind: 'help', scroll: 0 });
      case 'palette':
        return setOverlay({ kind: 'palette', text: '', history: -1 });
      case 'filter':
        return setOverlay({ kind: 'filter' });
      case 'back':
        if (filter) setFilter('');
        return;
      case 'contextPicker':
        return setOverlay({ kind: 'contexts', query: '', cursor: 0 });
      case 'namespacePicker':
        return setOverlay({ kind: 'namespaces', query: '', cursor: 0 });
      case 'previousContext':
        if (!contexts.previous) return notify('no previous context');
        return switchContext(contexts.previous);
      case 'retry':
        conn?.retryNow();
        return notify('retrying now');
    }
  };

  const editText = (text: string, input: string, keyName: string | undefined, ctrl: boolean): string | undefined => {
    if (keyName === 'backspace' || keyName === 'delete') return text.slice(0, -1);
    if (keyName === 'ctrl+u') return '';
    if (keyName === 'ctrl+w') return text.replace(/\S+\s*$/, '');
    if (!ctrl && input && !/[\x00-\x1f\x7f]/.test(input)) return text + input;
    return undefined;
  };

  useInput((input, key) => {
    traceEvent('key', {}); // KFLEET_TRACE only: when a key reached kfleet (the bench splits its latency)
    const name = keyNameFromInk(input, key);
    // Several keys in one chunk (fast typing, a paste, a test writing ":nod" or "j\r"): a
    // plain paste goes into an open text input whole; anything else is split into keys.
    if (name === undefined && !key.meta && [...input].length > 1) {
      const textOpen = ui.overlay?.kind === 'palette' || ui.overlay?.kind === 'filter' || ui.overlay?.kind === 'contexts' || ui.overlay?.kind === 'namespaces';
      if (textOpen && !/[\x00-\x1f\x7f]/.test(input)) onKey(input, false, undefined);
      else for (const k of splitKeys(input)) onKey(k.input, false, k.name);
    } else onKey(input, key.ctrl, name);
    // The key's frame goes out now rather than at the next frame-rate slot.
    if (flushFrame) void flushFrame();
  });

  function onKey(input: string, ctrl: boolean, name: string | undefined): void {
    const { overlay, filter, confirm } = ui;
    if (name === 'ctrl+c') return onExit(130);
    if (preparingNow.current) {
      heldKeys.current.push({ input, ctrl, name });
      return;
    }
    setMessage(undefined);

    if (confirm) {
      if (confirm.busy || !name) return;
      const a = keymap.resolve('dialog', name);
      if (a === 'cancel') {
        confirm.onCancel?.();
        setConfirm(null);
      } else if (a === 'confirm') {
        setConfirm({ ...confirm, busy: true });
        Promise.resolve()
          .then(() => confirm.onConfirm())
          .then(
            () => setConfirm(null),
            (e: unknown) => {
              setConfirm(null);
              notify(e instanceof Error ? e.message : String(e), 'error');
            },
          );
      }
      return;
    }

    if (overlay?.kind === 'palette') {
      const a = name ? keymap.resolve('palette', name) : undefined;
      if (a === 'cancel') return setOverlay(null);
      if (a === 'run') return runPalette(overlay.text);
      if (a === 'complete') return setOverlay({ ...overlay, text: completePalette(overlay.text, paletteCandidates(world))[0]?.text ?? overlay.text });
      if (a === 'historyPrev' || a === 'historyNext') {
        const h = Math.max(-1, Math.min(history.current.length - 1, overlay.history + (a === 'historyPrev' ? 1 : -1)));
        return setOverlay({ kind: 'palette', history: h, text: h < 0 ? '' : history.current[h] });
      }
      const next = editText(overlay.text, input, name, ctrl);
      if (next !== undefined) setOverlay({ ...overlay, text: next });
      return;
    }

    if (overlay?.kind === 'filter') {
      const a = name ? keymap.resolve('filter', name) : undefined;
      if (a === 'apply') return setOverlay(null);
      if (a === 'clear') {
        setFilter('');
        return setOverlay(null);
      }
      const next = editText(filter, input, name, ctrl);
      if (next !== undefined) setFilter(next);
      return;
    }

    if (overlay?.kind === 'contexts' || overlay?.kind === 'namespaces') {
      // The pickers: keymap scope `picker`; any other key types into the fuzzy search.
      const a = name ? keymap.resolve('picker', name) : undefined;
      const count = overlay.kind === 'contexts' ? contextMatches(contexts.contexts, overlay.query).length : namespaceMatches(nsItems, overlay.query).length;
      if (a === 'cancel') return setOverlay(overlay.query ? { ...overlay, query: '', cursor: 0 } : null);
      if (a === 'up' || a === 'down' || a === 'pageUp' || a === 'pageDown') return setOverlay({ ...overlay, cursor: moveCursor(overlay.cursor, a as PickerMove, count, pickerPage(bodyHeight)) });
      if (a === 'pick') {
        setOverlay(null);
        if (overlay.kind === 'contexts') {
          const m = contextMatches(contexts.contexts, overlay.query)[Math.min(overlay.cursor, count - 1)];
          if (m) switchContext(m.item.name);
        } else {
          const m = namespaceMatches(nsItems, overlay.query)[Math.min(overlay.cursor, count - 1)];
          if (m) {
            contexts.setNamespace(m.item.namespace);
            notify(m.item.namespace ? `namespace ${m.item.namespace}` : 'all namespaces');
          }
        }
        return;
      }
      const next = editText(overlay.query, input, name, ctrl);
      if (next !== undefined) setOverlay({ ...overlay, query: next, cursor: 0 });
      return;
    }

    if (!name) return;

    if (overlay?.kind === 'help') {
      if (keymap.resolve('help', name)) return setOverlay(null);
      const g = keymap.resolve('global', name);
      const step = { up: -1, down: 1, pageUp: -(height - 4), pageDown: height - 4, top: -1e9, bottom: 1e9 }[g ?? ''];
      if (step !== undefined) return setOverlay({ kind: 'help', scroll: Math.max(0, overlay.scroll + step) });
      if (g === 'quit') return onExit(0);
      if (g === 'back' || g === 'help') return setOverlay(null);
      return;
    }

    // The view's own section first (or the sub-scope it pushed, e.g. an open object detail).
    const viewScope = (ui.subScopes.at(-1)?.scope ?? view.name) as Scope;
    const va = keymap.resolve(viewScope, name);
    if (va) {
      if (readonly && actionDef(viewScope, va)?.mutates) {
        logReadonlyRefusal(actionLog.current, contextName, va, `${viewScope} view`);
        return notify(`refused: --readonly (${va})`, 'error');
      }
      if (!offer(handlers.view, va)) notify(`${va}: not available here`);
      return;
    }
    const g = keymap.resolve('global', name);
    if (!g) return;
    if (offer(handlers.view, g)) return;
    if (offer(handlers.nav, g)) return;
    shellAction(g);
  }

  // ---- layout ----
  const bottom =
    overlay?.kind === 'palette' ? paletteHeight(matches) : 1;
  // title, object, context, the details, the keys line, and the two border rows.
  const dialogHeight = confirm ? 6 + (confirm.details?.length ?? 0) : 0;
  const bodyHeight = Math.max(1, height - HEADER_HEIGHT - bottom - dialogHeight);
  const View = view.component;
  const store = conn?.store ?? EMPTY_STORE;
  const subScope = ui.subScopes.at(-1)?.scope;
  const hints = useMemo(() => (subScope ? subScopeHints(keymap, subScope) : hintText(keymap, view)), [keymap, view, subScope]);
  // Reachability for the context picker: the fleet poller (which reads warm contexts' stores)
  // while the picker is open, else what the current connection knows.
  const fleetRows = useFleetRows(props.fleet, overlay?.kind === 'contexts', false);
  const reach = (name: string): Reach | undefined => {
    const r = reachOf(fleetRows.find((x) => x.context === name));
    if (r && r.level !== 'unknown') return r;
    if (name === contextName && conn) return reachOf({ ...store.connection, context: name, cluster: '', user: '', source: 'warm' });
    return r;
  };
  const fleetCtx = useMemo(() => ({ fleet: props.fleet, switchContext }), [props.fleet, contexts]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <ShellContext.Provider value={internals}>
      <ActionsContext.Provider value={actions}>
      <FleetContext.Provider value={fleetCtx}>
      <Box flexDirection="column" width={width} height={height} overflow="hidden">
        <Header store={store} contextName={contextName} namespace={namespace} demo={demo} readonly={readonly} kinds={view.kinds} viewTitle={view.title} width={width} />
        <Box height={bodyHeight} width={width} flexDirection="column" overflow="hidden">
          {overlay?.kind === 'help' ? (
            <Help lines={helpLines(keymap, view.name, view.title, readonly, subScope)} scroll={overlay.scroll} width={width} height={bodyHeight} closeKeys={keymap.label('help', 'close')} />
          ) : null}
          {overlay?.kind === 'contexts' ? <ContextPicker contexts={contexts.contexts} current={contextName} previous={contexts.previous} reach={reach} state={overlay} width={width} height={bodyHeight} /> : null}
          {overlay?.kind === 'namespaces' ? <NamespacePicker items={nsItems} current={namespace} state={overlay} width={width} height={bodyHeight} /> : null}
          {/* The view stays mounted under overlays so its cursor and state survive. */}
          <Box display={overlay?.kind === 'help' || overlay?.kind === 'contexts' || overlay?.kind === 'namespaces' ? 'none' : 'flex'} flexDirection="column">
            {!conn ? (
              <Text>no context</Text>
            ) : preparing?.view === view.name ? (
              <ViewTitle title={`${view.title} — ${preparing.note}`} width={width} />
            ) : (
              <View key={contextName} store={store} width={width} height={bodyHeight} namespace={namespace} filter={filter} options={options} />
            )}
          </Box>
        </Box>
        {confirm ? <ConfirmDialog title={confirm.title} object={confirm.object} context={confirm.context} details={confirm.details} keymap={keymap} width={width} busy={confirm.busy} /> : null}
        {overlay?.kind === 'palette' ? (
          <Palette text={overlay.text} matches={matches} width={width} />
        ) : overlay?.kind === 'filter' ? (
          <Text wrap="truncate">{truncate(`/${filter}█`, width)}</Text>
        ) : (
          <StatusLine hints={filter ? `/${filter}  (${keymap.label('global', 'back')} clears) · ${hints}` : hints} message={message} width={width} />
        )}
      </Box>
      </FleetContext.Provider>
      </ActionsContext.Provider>
    </ShellContext.Provider>
  );
}

function hintText(keymap: Keymap, view: ViewDef): string {
  return view.hints
    .map((a) => {
      const scope: Scope = actionDef(view.name, a) ? view.name : 'global';
      const label = keymap.label(scope, a);
      return label ? `${label} ${a}` : '';
    })
    .filter(Boolean)
    .join(' · ');
}

/**
 * Every attempt to change a cluster goes to the action log, refusals included: in --readonly
 * the shell refuses before any Actions call, so it writes the line itself.
 */
function logReadonlyRefusal(log: ActionLog | undefined, context: string, action: string, object: string): void {
  (log ?? new ActionLog()).append({ time: new Date().toISOString(), context, action, object, result: 'refused', message: 'refused: kfleet is in --readonly mode' });
}

/** Hints of a sub-scope: its actions (those that write are hidden in --readonly by help only). */
function subScopeHints(keymap: Keymap, scope: Scope): string {
  const own = keymap.entries(scope).map((e) => `${keymap.label(scope, e.action)} ${e.action}`);
  // back, help and search first: on 80 columns the tail of the line is cut.
  return [`${keymap.label('global', 'back')} back`, `${keymap.label('global', 'help')} help`, `${keymap.label('global', 'filter')} search`, ...own].join(' · ');
}

// A store for the moment before a context is chosen (never filled).
const EMPTY_STORE = new ClusterStore();
